package dev.godiag.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.server.TestServer;
import dev.godiag.server.TestServer.MultipartPart;
import dev.godiag.testutil.Browser;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI of {@code godiag serve} end to end in headless Chromium against a running server:
 * upload through the file input, follow the analysis to the report page, read the findings in the
 * embedded diagnose page and zoom its flame graph, upload a goroutine capture as a zip, compare two
 * CPU uploads, search the history. Each step leaves a screenshot under target/screenshots/serve/.
 */
class ServeUploadBrowserTest {
    static final Path SHOTS = Path.of("target/screenshots/serve");
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> LEAKS = List.of("main.leakRange.func1", "main.leakSend.func1",
            "main.leakSelect.func1", "main.leakNil.func1", "main.leakCtx.func1", "main.leakMutex.func1",
            "main.leakWG.func2");

    static TestServer server;
    static Browser browser;

    @TempDir
    static Path dir;

    @BeforeAll
    static void up() throws IOException {
        Files.createDirectories(SHOTS);
        browser = Browser.start();
        server = TestServer.start();
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

    static void shot(String name) {
        byte[] png = ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES);
        try {
            Files.write(SHOTS.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for two frames of the framed page to be drawn after a scroll (a screenshot taken before shows it blank). */
    static void painted(String frame) {
        browser.driver().switchTo().frame(browser.element(frame));
        ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeAsyncScript(
                "var done = arguments[0]; requestAnimationFrame(function () { requestAnimationFrame(done); });");
        top();
    }

    static void size(int width, int height) {
        browser.driver().manage().window().setSize(new Dimension(width, height));
    }

    static void theme(String theme) {
        browser.eval("localStorage.setItem('godiag-theme', arguments[0])", theme);
    }

    static void top() {
        browser.driver().switchTo().defaultContent();
    }

    /** Uploads files through the page's file input and waits for the upload's page; returns its id. */
    static String uploadThroughThePage(String service, String version, String labels, Path... files)
            throws IOException {
        top();
        browser.open(server.base + "/");
        theme("light");
        browser.open(server.base + "/");
        browser.waitFor("document.getElementById('upload-form') && window.getComputedStyle(document.body)");
        browser.element("#service").sendKeys(service);
        browser.element("#version").sendKeys(version);
        browser.element("#labels").sendKeys(labels);
        for (Path f : files) {
            browser.element("#files").sendKeys(f.toRealPath().toString());
        }
        browser.waitFor("document.querySelectorAll('#picked li').length === " + files.length);
        // every status line the page shows with the progress bar's value, kept across the navigation
        browser.eval("sessionStorage.setItem('lines', '[]'); new MutationObserver(function () {"
                + " var l = JSON.parse(sessionStorage.getItem('lines'));"
                + " l.push(document.getElementById('upload-progress').value + '|'"
                + " + document.getElementById('upload-text').textContent);"
                + " sessionStorage.setItem('lines', JSON.stringify(l)); })"
                + ".observe(document.getElementById('upload-text'), {childList: true, characterData: true, subtree: true});");
        browser.element("#upload-button").click();
        browser.waitFor("/^\\/uploads\\/[a-z0-9]+$/.test(location.pathname)");
        String id = browser.<String>eval("return location.pathname").substring("/uploads/".length());
        List<Object> lines = browser.eval("return JSON.parse(sessionStorage.getItem('lines'))");
        // the bar full once all is sent, then where the analysis stands, until the report opens
        assertThat(lines).as("status lines").anySatisfy(l -> assertThat(String.valueOf(l)).matches(
                "1\\|stored; (queued(, \\d+ ahead)?|analysing for \\d+\\.\\d s)"));
        browser.waitFor("document.readyState === 'complete'");
        browser.assertNoErrors();
        return id;
    }

    /** Moves into the embedded diagnose page once its findings are drawn. */
    static void enterReport() {
        top();
        browser.waitFor("document.getElementById('report-frame')");
        browser.driver().switchTo().frame(browser.element("#report-frame"));
        browser.waitFor("document.querySelectorAll('#main .finding').length > 0");
        // sandboxed: the report runs with no origin of this server's
        assertThat(browser.<String>eval("return window.origin")).isEqualTo("null");
        browser.assertNoErrors();
    }

    /** Everything the page loaded came from this server. */
    static void assertLocalOnly() {
        List<Object> foreign = browser.eval("return performance.getEntriesByType('resource').map(function (e) {"
                + " return e.name; }).filter(function (n) { return n.indexOf(location.origin + '/') !== 0; })");
        assertThat(foreign).as("requests to elsewhere").isEmpty();
    }

    static JsonNode meta(String id) throws IOException {
        return JSON.readTree(server.get("/api/uploads/" + id).body());
    }

    @Test
    void aCpuProfileUploadedThroughThePageOpensItsReportAndFlameGraph() throws IOException {
        size(1366, 768);
        browser.open(server.base + "/");
        theme("light");
        String earlier = JSON.readTree(server.postMultipart("/api/uploads?wait=120", List.of(MultipartPart.file(
                "cpu.pprof", Files.readAllBytes(Corpus.file("go1.19/cpuwork/cpu.pprof"))),
                MultipartPart.field("service", "cpuwork"), MultipartPart.field("version", "go1.19"),
                MultipartPart.field("labels", "run=earlier"))).body()).get("id").asText();
        browser.open(server.base + "/");
        shot("01-upload-page");
        server.platform.uploads().setSourceUrl("cpuwork", "https://git.example.com/org/cpuwork/blob/{version}/{file}#L{line}");
        String id = uploadThroughThePage("cpuwork", "go1.27", "run=e2e",
                Corpus.file("go1.27/cpuwork/cpu.pprof"));
        assertThat(browser.element("h1").getText()).startsWith("cpuwork");
        assertLocalOnly();
        // the report fills the window once scrolled to
        assertThat(browser.evalNumber("return document.getElementById('report-frame').getBoundingClientRect().height"))
                .isGreaterThanOrEqualTo(browser.evalNumber("return window.innerHeight") - 80);
        assertThat(browser.element(".m-labels").getText()).contains("run=e2e");
        assertThat(browser.element(".m-files").getText()).contains("cpu.pprof");

        // the findings lead the embedded report: the top one as the API lists it
        JsonNode findings = meta(id).get("findings");
        assertThat(findings.size()).isPositive();
        enterReport();
        String first = browser.eval("return document.querySelector('#main .finding h2').textContent");
        assertThat(first).contains(findings.get(0).get("title").asText());
        assertThat(browser.element("#main .finding h2").isDisplayed()).isTrue();
        // with the service's link template, a finding's place links to the line in the repository, in a new tab
        List<Map<String, String>> links = browser.eval("return Array.from(document.querySelectorAll('#main .finding"
                + " .where a')).map(function (a) { return {href: a.href, target: a.target}; })");
        assertThat(links).isNotEmpty().allSatisfy(l -> {
            assertThat(l.get("href")).matches("https://git\\.example\\.com/org/cpuwork/blob/go1\\.27/.+\\.go#L\\d+");
            assertThat(l.get("target")).isEqualTo("_blank");
        });
        top();
        shot("02-report");

        // the CPU flame graph tab, then a click on a frame zooms to it
        browser.driver().switchTo().frame(browser.element("#report-frame"));
        browser.element("#tabs button[data-tab='flame']").click();
        browser.waitFor("document.getElementById('frame-flame') && document.getElementById('frame-flame').dataset.loaded");
        browser.driver().switchTo().frame(browser.element("#frame-flame"));
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
        long node = browser.<Number>eval("return window.godiag.find('main.fib')[0]").longValue();
        Map<String, Number> before = browser.eval("return window.godiag.rectOf(arguments[0])", node);
        double canvas = browser.evalNumber("return document.getElementById('flame').clientWidth");
        assertThat(before.get("w").doubleValue()).isLessThan(canvas * 0.9);
        long crumbs = browser.<Number>eval("return document.querySelectorAll('#breadcrumbs button').length").longValue();
        WebElement flame = browser.element("#flame");
        browser.eval("arguments[0].scrollIntoView({block: 'center'})", flame);
        browser.click(flame, before.get("x").doubleValue() + before.get("w").doubleValue() / 2,
                before.get("y").doubleValue() + before.get("h").doubleValue() / 2);
        browser.waitFor("window.godiag.state().zoom === " + node);
        Map<String, Number> after = browser.eval("return window.godiag.rectOf(arguments[0])", node);
        assertThat(after.get("w").doubleValue()).as("the zoomed frame spans the graph").isGreaterThan(canvas * 0.95);
        assertThat(browser.<Number>eval("return document.querySelectorAll('#breadcrumbs button').length").longValue())
                .isGreaterThan(crumbs);
        browser.assertNoErrors();
        top();
        shot("03-flame-zoomed");
        browser.assertNoErrors();

        // "compare with…" the earlier upload of the service: the earlier is the base
        new Select(browser.element("#compare-other")).selectByValue(earlier);
        browser.element("#compare-with button[type=submit]").click();
        browser.waitFor("location.pathname === '/compare' && document.getElementById('diff-head')");
        assertThat(new Select(browser.element("#pick-base")).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo(earlier);
        assertThat(new Select(browser.element("#pick-new")).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo(id);
    }

    @Test
    void aGoroutineCaptureAsAZipShowsTheLeaks() throws IOException {
        size(1366, 768);
        Path zip = dir.resolve("leakysvc-capture.zip");
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
            for (Path f : Corpus.glob("go1.27/leakysvc/goroutine.t*.debug2.txt")) {
                z.putNextEntry(new ZipEntry("capture/" + f.getFileName()));
                z.write(Files.readAllBytes(f));
                z.closeEntry();
            }
        }
        String id = uploadThroughThePage("leakysvc", "v7", "env=staging", zip);
        JsonNode m = meta(id);
        assertThat(m.get("files").size()).isEqualTo(5);
        // a whole capture's files are listed on demand
        assertThat(browser.element(".m-files summary").getText()).startsWith("5 files, ");
        browser.element(".m-files summary").click();
        assertThat(browser.element(".m-files").getText()).contains("capture/goroutine.t4.debug2.txt");
        enterReport();
        String text = browser.element("#main").getText();
        for (String fn : LEAKS) {
            assertThat(text).contains(fn);
        }
        top();
        shot("04-goroutine-report");

        // dark theme: the page's chrome turns dark around the report
        theme("dark");
        browser.open(server.base + "/uploads/" + id);
        enterReport();
        top();
        assertThat(browser.<String>eval("return getComputedStyle(document.body).backgroundColor"))
                .isEqualTo("rgb(13, 17, 23)");
        shot("05-report-dark");
        size(390, 844);
        browser.open(server.base + "/uploads/" + id);
        enterReport();
        top();
        shot("06-report-phone-dark");
        theme("light");
        browser.open(server.base + "/uploads/" + id);
        enterReport();
        top();
        assertThat(browser.evalNumber("return document.documentElement.scrollWidth"))
                .as("nothing wider than the phone").isLessThanOrEqualTo(390);
        shot("07-report-phone");
        browser.eval("document.getElementById('report-frame').scrollIntoView()");
        painted("#report-frame");
        shot("07b-report-phone-frame");
        size(1366, 768);
    }

    @Test
    void twoCpuUploadsCompareAndTheHistoryFiltersByService() throws IOException {
        size(1366, 768);
        String old = upload("go1.19/cpuwork/cpu.pprof", "compare-svc", "go1.19");
        String neu = upload("go1.27/cpuwork/cpu.pprof", "compare-svc", "go1.27");
        browser.open(server.base + "/compare");
        theme("light");
        new Select(browser.element("#pick-base")).selectByValue(old);
        new Select(browser.element("#pick-new")).selectByValue(neu);
        new Select(browser.element("#kind")).selectByVisibleText("cpu");
        browser.element("#compare-pick button[type=submit]").click();
        browser.waitFor("document.querySelector('section[data-section=top-losers-by-flat] tbody tr')");
        // the first loser as the API's JSON has it: a function that shrank
        String name = browser.eval("return document.querySelector('section[data-section=top-losers-by-flat] tbody tr"
                + " td.fn code').textContent");
        String delta = browser.eval("return document.querySelector('section[data-section=top-losers-by-flat] tbody tr"
                + " td.delta').textContent");
        assertThat(delta).startsWith("-");
        JsonNode diff = JSON.readTree(server.get("/api/compare?base=" + old + "&new=" + neu + "&kind=cpu").body());
        JsonNode row = null;
        for (JsonNode r : diff.get("rows")) {
            if (r.get("name").asText().equals(name)) {
                row = r;
            }
        }
        assertThat(row).as("row %s in the API's compare", name).isNotNull();
        assertThat(row.get("flatDelta").asLong()).isNegative();
        // the diff flame graph renders in its frame
        browser.driver().switchTo().frame(browser.element("#diff-frame"));
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
        assertThat(browser.<String>eval("return window.origin")).isEqualTo("null");
        browser.assertNoErrors();
        top();
        assertLocalOnly();
        shot("08-compare");
        browser.eval("document.getElementById('diff-frame').scrollIntoView()");
        painted("#diff-frame");
        shot("09-compare-flame");

        // the history, filtered by service
        browser.open(server.base + "/uploads");
        browser.element("#filters input[name=service]").sendKeys("compare-svc");
        browser.element("#filters button[type=submit]").click();
        browser.waitFor("location.search.indexOf('service=compare-svc') >= 0");
        List<Object> rows = browser.eval("return Array.from(document.querySelectorAll('table.uploads tbody tr'))"
                + ".map(function (tr) { return tr.dataset.id + ' ' + tr.querySelector('td.service').textContent; })");
        assertThat(rows).containsExactly(neu + " compare-svc", old + " compare-svc");
        assertLocalOnly();
        shot("10-history-filtered");

        // tick both rows: the compare opens with the older as base
        assertThat(browser.element("#compare-ticked").isEnabled()).isFalse();
        for (WebElement box : browser.driver().findElements(org.openqa.selenium.By.cssSelector("input.pick"))) {
            box.click();
        }
        assertThat(browser.element("#compare-ticked").isEnabled()).isTrue();
        browser.element("#compare-ticked").click();
        browser.waitFor("location.pathname === '/compare' && document.getElementById('diff-head')");
        assertThat(new Select(browser.element("#pick-base")).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo(old);
        browser.assertNoErrors();

        // dark: the compare page and the history
        theme("dark");
        browser.open(server.base + "/compare?base=" + old + "&new=" + neu);
        assertThat(browser.<String>eval("return getComputedStyle(document.body).backgroundColor"))
                .isEqualTo("rgb(13, 17, 23)");
        shot("10b-compare-dark");
        browser.open(server.base + "/uploads");
        shot("10c-history-dark");
        browser.open(server.base + "/");
        shot("10d-upload-dark");
        theme("light");

        size(390, 844);
        browser.open(server.base + "/uploads");
        assertThat(browser.evalNumber("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(390);
        shot("11-history-phone");
        browser.open(server.base + "/compare?base=" + old + "&new=" + neu);
        assertThat(browser.evalNumber("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(390);
        shot("11b-compare-phone");
        browser.open(server.base + "/");
        shot("12-upload-phone");
        size(1366, 768);
    }

    @Test
    void aFileGodiagCannotReadShowsItsErrorLine() throws IOException {
        size(1366, 768);
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "nothing to see here\n");
        browser.open(server.base + "/");
        theme("light");
        browser.open(server.base + "/");
        browser.element("#files").sendKeys(notes.toRealPath().toString());
        browser.element("#upload-button").click();
        browser.waitFor("!document.getElementById('upload-error').hidden");
        assertThat(browser.element("#upload-error").getText())
                .startsWith("notes.txt: not an input godiag reads").endsWith(" — open the failed upload");
        shot("13-upload-refused");
        // (the console holds the refused request's 422: the failed upload's page is opened afresh)
        String failed = browser.element("#upload-error a").getAttribute("href");
        assertThat(failed).matches(".*/uploads/[a-z0-9]+");
        browser.open(failed);
        browser.waitFor("document.getElementById('upload-failed')");
        assertThat(browser.element("#upload-failed").getText()).contains("notes.txt: not an input godiag reads");
        shot("14-failed-upload");
        browser.assertNoErrors();
    }

    static String upload(String corpus, String service, String version) throws IOException {
        TestServer.Answer a = server.postMultipart("/api/uploads?wait=120", List.of(
                MultipartPart.file("cpu.pprof", Files.readAllBytes(Corpus.file(corpus))),
                MultipartPart.field("service", service), MultipartPart.field("version", version)));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return JSON.readTree(a.body()).get("id").asText();
    }
}
