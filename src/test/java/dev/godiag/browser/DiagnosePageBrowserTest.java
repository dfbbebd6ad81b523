package dev.godiag.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Browser;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The joined page of {@code godiag diagnose -o x.html}: the findings, and as tabs the flame graph,
 * goroutine, gc and memory pages of the same inputs, each in a sandboxed srcdoc iframe. Checked
 * in a real browser on leakysvc (the seven leaks of the corpus README, 185 goroutines each) and on
 * cpuwork (a cpu.hotspot finding links to its function in the flame graph).
 */
class DiagnosePageBrowserTest {
    static Browser browser;

    @TempDir
    static Path dir;

    static Path leaky;
    static Path cpu;

    static final List<String> LEAKS = List.of("main.leakRange.func1", "main.leakSend.func1",
            "main.leakSelect.func1", "main.leakNil.func1", "main.leakCtx.func1", "main.leakMutex.func1",
            "main.leakWG.func2");

    @BeforeAll
    static void up() {
        leaky = dir.resolve("page.html");
        Pages.godiag(leaky, "diagnose", "-o", leaky.toString(), Corpus.file("go1.27/leakysvc").toString());
        cpu = dir.resolve("cpu.html");
        Pages.godiag(cpu, "diagnose", "-o", cpu.toString(), Corpus.file("go1.27/cpuwork").toString());
        browser = Browser.start();
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
    }

    private static void open(Path p) {
        browser.driver().switchTo().defaultContent();
        browser.open(p);
        browser.waitFor("document.querySelectorAll('#main .finding').length > 0");
    }

    /** Clicks a tab and moves into its frame once the embedded page has rendered. */
    private static void enter(String tab, String ready) {
        browser.driver().switchTo().defaultContent();
        browser.element("#tabs button[data-tab='" + tab + "']").click();
        browser.waitFor("document.getElementById('frame-" + tab + "') && document.getElementById('frame-" + tab
                + "').dataset.loaded");
        assertThat(browser.element("#frame-" + tab).isDisplayed()).isTrue();
        assertThat(browser.element("#main").isDisplayed()).isFalse();
        browser.driver().switchTo().frame(browser.element("#frame-" + tab));
        browser.waitFor(ready);
        // the test's error trap runs in the frames too (see Browser): assertNoErrors sees their errors
        assertThat(browser.<Object>eval("return Array.isArray(window.__godiagTestErrors)")).isEqualTo(true);
        browser.assertNoErrors();
    }

    @Test
    void findingsAndTabsOfLeakysvc() {
        open(leaky);
        browser.assertNoErrors();
        assertThat(browser.<List<Object>>eval("return Array.from(document.querySelectorAll('#tabs button'))"
                + ".map(b => b.textContent)"))
                .containsExactly("Findings", "CPU flame graph", "Goroutines", "GC", "Memory");
        String findings = browser.element("#main").getText();
        for (String fn : LEAKS) {
            assertThat(findings).contains(fn);
        }
        // a goroutine leak finding links to the Goroutines tab
        List<Object> links = browser.eval("return Array.from(document.querySelectorAll('#main .finding a.to-tab'))"
                + ".map(a => a.dataset.tab)");
        assertThat(links).contains("goroutines", "memory");

        // Goroutines: the seven leak buckets, 185 goroutines each in the last snapshot
        enter("goroutines", "window.godiag && window.godiag.firstRenderMs > 0");
        List<Map<String, Object>> rows = browser.eval("return Array.from(document.querySelectorAll("
                + "'#buckets tbody tr.bucket')).filter(tr => tr.getAttribute('data-verdict').endsWith('-leak'))"
                + ".map(tr => ({fn: tr.getAttribute('data-function'), count: tr.querySelector('td.count').textContent}))");
        assertThat(rows).extracting(r -> r.get("fn")).containsExactlyInAnyOrderElementsOf(LEAKS);
        assertThat(rows).extracting(r -> r.get("count")).containsOnly("185");
        assertNoNetwork();

        // the flame graph renders inside its frame
        enter("flame", "window.godiag && window.godiag.firstRenderMs > 0");
        assertThat(browser.evalNumber("return document.getElementById('flame').clientWidth")).isGreaterThan(300);
        assertNoNetwork();

        // GC: the pause chart
        enter("gc", "window.godiag && window.godiag.firstRenderMs > 0");
        assertThat(browser.evalNumber(
                "return document.querySelectorAll('#gc-0 figure[data-chart=pause] circle.pt').length"))
                .isGreaterThan(0);

        enter("memory", "window.godiag && window.godiag.firstRenderMs > 0");
        // five heap profiles, the first taken before the service's first GC and left out of the trend
        assertThat(browser.evalNumber("return document.querySelectorAll('figure[data-chart=live] circle.pt').length"))
                .isEqualTo(4);

        browser.driver().switchTo().defaultContent();
        browser.assertNoErrors();
    }

    @Test
    void aGoroutineLeakFindingOpensTheGoroutinesTab() {
        open(leaky);
        WebElement leak = browser.element("#main .finding a.to-tab[data-tab='goroutines']");
        browser.eval("arguments[0].scrollIntoView({block: 'center'})", leak);
        leak.click();
        assertThat(browser.element("#frame-goroutines").isDisplayed()).isTrue();
        assertThat(browser.element("#main").isDisplayed()).isFalse();
        assertThat(browser.element("#tabs button[data-tab='goroutines']").getAttribute("aria-selected"))
                .isEqualTo("true");
        assertThat(browser.element("#tabs button[data-tab='findings']").getAttribute("aria-selected"))
                .isEqualTo("false");
        // and back to the findings
        browser.element("#tabs button[data-tab='findings']").click();
        assertThat(browser.element("#main").isDisplayed()).isTrue();
        assertThat(browser.element("#frame-goroutines").isDisplayed()).isFalse();
        browser.assertNoErrors();
    }

    /** In the current frame: an image from the network is refused by the CSP, not loaded. */
    private static void assertNoNetwork() {
        Object r = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                document.addEventListener('securitypolicyviolation', function (e) {
                  done('blocked ' + e.effectiveDirective);
                }, { once: true });
                var img = new Image();
                img.onload = function () { done('loaded'); };
                img.src = 'http://127.0.0.1:9/x.png';
                document.body.appendChild(img);
                """);
        assertThat(String.valueOf(r)).startsWith("blocked img-src");
        // the violation is reported on the console; that is this check, not the page
        browser.driver().switchTo().parentFrame();
        browser.open(browser.driver().getCurrentUrl());
    }

    @Test
    void aCpuFindingSearchesItsFunctionInTheFlameGraph() {
        open(cpu);
        WebElement a = browser.element("#main .finding a.to-tab[data-tab='flame']");
        String fn = browser.eval("return Array.from(document.querySelectorAll('#main .finding'))"
                + ".filter(f => f.querySelector('a.to-tab[data-tab=flame]'))[0].querySelector('.where code').textContent");
        browser.eval("arguments[0].scrollIntoView({block: 'center'})", a);
        a.click();
        browser.waitFor("document.getElementById('frame-flame') && document.getElementById('frame-flame').dataset.loaded");
        browser.driver().switchTo().frame(browser.element("#frame-flame"));
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0 && window.godiag.state().search");
        String function = fn.replaceFirst(" \\(.*", "");
        assertThat(browser.<Object>eval("return window.godiag.state().search"))
                .isEqualTo("^" + function.replaceAll("([.*+?^${}()|\\[\\]\\\\/])", "\\\\$1") + "$");
        assertThat(browser.element("#search").getAttribute("value")).isEqualTo(browser.eval("return window.godiag.state().search"));
        assertThat(browser.element("#search-result").getText()).isNotEmpty();
        browser.assertNoErrors();
        browser.driver().switchTo().defaultContent();
        browser.assertNoErrors();
    }

    /** Java side: neither the page nor any embedded page refers to anything outside itself. */
    @Test
    void noExternalReferences() throws IOException {
        String page = Files.readString(leaky);
        Matcher m = Pattern.compile("(?s)<script id=\"godiag-data\" type=\"application/json\">(.*?)</script>")
                .matcher(page);
        assertThat(m.find()).isTrue();
        JsonNode data = new ObjectMapper().readTree(m.group(1));
        List<String> docs = new ArrayList<>(List.of(page.substring(0, m.start()) + page.substring(m.end())));
        List<String> ids = new ArrayList<>();
        for (JsonNode t : data.get("tabs")) {
            ids.add(t.get("id").asText());
            docs.add(t.get("html").asText());
        }
        assertThat(ids).containsExactly("flame", "goroutines", "gc", "memory");
        assertThat(data.get("findings").size()).isGreaterThanOrEqualTo(7);
        Pattern external = Pattern.compile("(?i)(<link|<script[^>]*\\ssrc|<img[^>]*\\ssrc|<iframe[^>]*\\ssrc\\s*="
                + "|@import|url\\(\\s*['\"]?(https?:)?//|(src|href|action)\\s*=\\s*['\"]?(https?:)?//)");
        for (String doc : docs) {
            assertThat(doc).startsWith("<!DOCTYPE html>");
            assertThat(doc).containsPattern("Content-Security-Policy\" content=\"default-src 'none';");
            Matcher x = external.matcher(doc);
            assertThat(x.find()).as("external reference %s", x.find(0) ? x.group() : "").isFalse();
        }
        // the embedded pages are strings in the JSON: no markup of theirs is in the page itself
        assertThat(page.split("<script", -1)).hasSize(3);
    }
}
