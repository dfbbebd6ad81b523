package dev.godiag.browser;

import dev.godiag.server.TestServer;
import dev.godiag.server.TestServer.MultipartPart;
import dev.godiag.testutil.Browser;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's page of a running godiag serve in headless Chromium: the history and the trend
 * charts as a user reads them (CSS applied under the page's CSP, no console error), the knowledge
 * base's filter as the user types; screenshots at laptop and phone widths, light and dark, under
 * target/screenshots/serve/.
 */
class ServicePageBrowserTest {
    static final Path SHOTS = Path.of("target/screenshots/serve");
    static TestServer server;
    static Browser browser;
    static final List<String> uploads = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        server = TestServer.start();
        String[][] inputs = {{"go1.19/leakysvc/heap.t1.pprof", "heap.pprof", "v1.0"},
                {"go1.19/leakysvc/goroutine.t2.debug2.txt", "goroutines.txt", "v1.1"},
                {"go1.19/leakysvc/heap.t3.pprof", "heap.pprof", "v1.2"},
                {"go1.19/leakysvc/cpu.pprof", "cpu.pprof", "v1.3"},
                {"go1.19/cpuwork/cpu.pprof", "cpu.pprof", "v1.4"}};
        for (String[] in : inputs) {
            TestServer.Answer a = server.postMultipart("/api/uploads?wait=120", List.of(
                    MultipartPart.file(in[1], Files.readAllBytes(Corpus.file(in[0]))),
                    MultipartPart.field("service", "checkout"), MultipartPart.field("version", in[2]),
                    MultipartPart.field("labels", "env=prod")));
            assertThat(a.status()).as(a.body()).isEqualTo(201);
            Matcher m = Pattern.compile("\"id\":\"([a-z0-9]+)\"").matcher(a.body());
            assertThat(m.find()).isTrue();
            uploads.add(m.group(1));
        }
        server.platform.uploads().saveGate("checkout", "v1.2", true, "within thresholds", Map.of(), "{}");
        server.platform.uploads().saveGate("checkout", "v1.3", false, "cpu main.fib +35%", Map.of(), "{}");
        Files.createDirectories(SHOTS);
        browser = Browser.start();
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static void shot(String name) throws IOException {
        Path png = ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    static void size(int w, int h) {
        browser.driver().manage().window().setSize(new Dimension(w, h));
    }

    @Test
    void theServicePageShowsTheHistoryAndChartsAsTheUserSeesThem() throws Exception {
        size(1366, 900);
        browser.open(server.base + "/services/checkout");
        browser.assertNoErrors(); // a CSP violation (inline style or script) would be an error here

        List<String> rows = browser.eval("return Array.from(document.querySelectorAll('table.history tbody tr'))"
                + ".map(function (r) { return r.querySelector('a').getAttribute('href'); })");
        List<String> newestFirst = new ArrayList<>(uploads.stream().map(id -> "/uploads/" + id).toList());
        java.util.Collections.reverse(newestFirst);
        assertThat(rows).containsExactlyElementsOf(newestFirst);
        String firstRow = browser.eval("return document.querySelector('table.history tbody tr').textContent");
        assertThat(firstRow).contains("v1.4").contains("cpu").contains("env=prod");

        // the charts: titles a screen reader and a hover read, points with their values
        assertThat(browser.<String>eval("return document.querySelector('#trend-heap > title').textContent"))
                .isEqualTo("Heap in use");
        List<String> heapTitles = browser.eval("return Array.from(document.querySelectorAll('#trend-heap circle.point"
                + " title')).map(function (t) { return t.textContent; })");
        assertThat(heapTitles).hasSize(2).allMatch(t -> t.matches("\\d+\\.\\d MiB · \\d\\d-\\d\\d \\d\\d:\\d\\d · v1\\.[02]"));
        List<String> gateTitles = browser.eval("return Array.from(document.querySelectorAll('#trend-gates .gate title'))"
                + ".map(function (t) { return t.textContent; })");
        assertThat(gateTitles).hasSize(2);
        assertThat(gateTitles.get(0)).startsWith("pass · ").endsWith(" · v1.2 · within thresholds");
        assertThat(gateTitles.get(1)).startsWith("fail · ").endsWith(" · v1.3 · cpu main.fib +35%");
        long cpuLines = browser.<Number>eval("return document.querySelectorAll('#trend-cpu g.line').length").longValue();
        long legend = browser.<Number>eval("return document.querySelectorAll('#trends ul.legend li').length").longValue();
        assertThat(cpuLines).isBetween(2L, 6L).isEqualTo(legend);
        // the stylesheet colours the lines (classes, not inline styles): a stroke, and each line its own
        List<String> strokes = browser.eval("return Array.from(document.querySelectorAll('#trend-cpu g.line path'))"
                + ".map(function (p) { return getComputedStyle(p).stroke; })");
        assertThat(strokes).doesNotContain("none").doesNotHaveDuplicates();
        // the chart fits the laptop's width: nothing scrolls sideways
        assertThat(browser.<Boolean>eval("return document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
        shot("service-laptop");

        browser.element("#theme-toggle").click();
        browser.waitFor("document.documentElement.getAttribute('data-theme') === 'dark'");
        shot("service-laptop-dark");
        browser.element("#theme-toggle").click();

        size(390, 844);
        browser.open(server.base + "/services/checkout");
        assertThat(browser.<Boolean>eval("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("no sideways scrolling on a phone").isTrue();
        shot("service-phone");
        browser.eval("document.getElementById('history').scrollIntoView()");
        shot("service-phone-history");
        browser.assertNoErrors();
    }

    @Test
    void theKnowledgeBaseFiltersAsTheUserTypes() throws Exception {
        size(1366, 900);
        browser.open(server.base + "/kb");
        long all = browser.<Number>eval("return document.querySelectorAll('li.card-item:not([hidden])').length").longValue();
        browser.element("#kb-q").sendKeys("mutex");
        browser.waitFor("document.querySelectorAll('li.card-item:not([hidden])').length < " + all);
        List<String> shown = browser.eval("return Array.from(document.querySelectorAll('li.card-item:not([hidden])'))"
                + ".map(function (li) { return li.id; })");
        assertThat(shown).isNotEmpty().contains("card-locks.contention");
        assertThat(browser.<String>eval("return document.getElementById('kb-count').textContent"))
                .isEqualTo(shown.size() + " of " + all + " cards match");
        shot("kb-filtered");
        browser.open(server.base + "/kb/locks.contention");
        shot("kb-card");
        size(390, 844);
        browser.open(server.base + "/kb");
        assertThat(browser.<Boolean>eval("return document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
        shot("kb-phone");
        browser.open(server.base + "/guard");
        shot("guard-not-running-phone");
        browser.assertNoErrors();
    }
}
