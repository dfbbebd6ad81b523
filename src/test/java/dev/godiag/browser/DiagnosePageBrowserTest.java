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
    static Path quiet;
    static Path hot;

    /** The line the source pane must mark for the memory leak (main.go:101 by the corpus README). */
    static final String LEAK_LINE = "\tstore[key] = make([]byte, 64<<10) // the leaking line";

    static final List<String> LEAKS = List.of("main.leakRange.func1", "main.leakSend.func1",
            "main.leakSelect.func1", "main.leakNil.func1", "main.leakCtx.func1", "main.leakMutex.func1",
            "main.leakWG.func2");

    @BeforeAll
    static void up() throws IOException {
        // a stand-in checkout of the service: numbered lines, line 101 the one the heap profiles name
        Path src = dir.resolve("src/shop/leakysvc");
        Files.createDirectories(src);
        List<String> lines = new ArrayList<>(List.of("package main"));
        for (int n = 2; n <= 150; n++) {
            lines.add(n == 101 ? LEAK_LINE : "// line " + n);
        }
        Files.write(src.resolve("main.go"), lines);
        leaky = dir.resolve("page.html");
        Pages.godiag(leaky, "diagnose", "-o", leaky.toString(), "--source-root", dir.resolve("src").toString(),
                Corpus.file("go1.27/leakysvc").toString());
        // the service before any load: three goroutines, nothing to find
        quiet = dir.resolve("quiet.html");
        Pages.godiag(quiet, "diagnose", "-o", quiet.toString(),
                Corpus.file("go1.27/leakysvc/goroutine.t0.debug2.txt").toString(),
                Corpus.file("go1.27/leakysvc/heap.t0.pprof").toString());
        cpu = dir.resolve("cpu.html");
        Pages.godiag(cpu, "diagnose", "-o", cpu.toString(), Corpus.file("go1.27/cpuwork").toString());
        // the hotpaths fixture's profiles with its source: profile findings with the scan findings in their code
        hot = dir.resolve("hot.html");
        Path profiles = Path.of("src/test/resources/dev/godiag/diagnosis/rules/hotpaths/go1.27");
        Pages.godiag(hot, "diagnose", "-o", hot.toString(), "--source-root", "testdata/gen/hotpaths",
                profiles.resolve("cpu.pprof").toString(), profiles.resolve("allocs.pprof").toString());
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
    void aFindingListsTheScanFindingsInItsCode() {
        open(hot);
        browser.assertNoErrors();
        List<Map<String, Object>> items = browser.eval("return Array.from(document.querySelectorAll("
                + "'#main section.finding')).map(s => ({title: s.querySelector('h2').textContent,"
                + " checks: Array.from(s.querySelectorAll(':scope > ul.in-source li')).map(li => li.dataset.check),"
                + " text: Array.from(s.querySelectorAll(':scope > ul.in-source li')).map(li => li.textContent).join('|')}))");
        Map<String, Object> timeAfter = items.stream().filter(i -> String.valueOf(i.get("title")).contains("time.After")
                || String.valueOf(i.get("title")).contains("timer")).findFirst().orElseThrow();
        assertThat(String.valueOf(timeAfter.get("checks"))).contains("scan.time-after-in-loop");
        assertThat(String.valueOf(timeAfter.get("text"))).contains("main.go:42 scan.time-after-in-loop: time.After");
        assertNoNetwork();
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

    @Test
    void theSummaryOpensWithTheTopFixesAndTheHealthOfEachArea() {
        open(leaky);
        assertThat(browser.<Object>eval("return !!(document.getElementById('overview').compareDocumentPosition("
                + "document.querySelector('#main .finding')) & Node.DOCUMENT_POSITION_FOLLOWING)")).isEqualTo(true);
        // three things to fix, the memory leak first (score 100), each a link to its finding on the page
        List<Object> top = browser.eval("return Array.from(document.querySelectorAll('#top li a'))"
                + ".map(a => a.getAttribute('href'))");
        assertThat(top).hasSize(3).first().isEqualTo("#finding-memory.heap-growth-main.mem");
        for (Object href : top) {
            assertThat(browser.<Object>eval("return !!document.getElementById(arguments[0])",
                    String.valueOf(href).substring(1))).as("%s", href).isEqualTo(true);
        }
        List<Map<String, Object>> health = browser.eval("return Array.from(document.querySelectorAll('#health tr'))"
                + ".map(tr => ({area: tr.dataset.area, status: tr.dataset.status, text: tr.querySelector('td.v')"
                + ".textContent, points: tr.querySelector('svg.spark') ? tr.querySelector('svg.spark').dataset.points"
                + " : null}))");
        assertThat(health).extracting(h -> h.get("area")).containsExactly("goroutines", "heap", "gc", "contention",
                "cpu");
        // goroutines: 3 at t0 (main, listener, the pprof request), 7 leaks x 185 + 3 = 1298 at t4
        assertThat(health.get(0)).containsEntry("status", "critical").containsEntry("points", "5");
        assertThat((String) health.get(0).get("text")).contains("3 → 1298 over 5 snapshots");
        // heap: t0 was taken before the first GC (every allocation still counted live), so 4 profiles
        assertThat(health.get(1)).containsEntry("status", "critical").containsEntry("points", "4");
        assertThat((String) health.get(1).get("text")).startsWith("leaking ").contains("over 4 heap profiles");
        // contention: both profiles are there, with their counts
        assertThat((String) health.get(3).get("text")).contains("mutex: ").contains("block: ").contains(" contentions");
        browser.assertNoErrors();
    }

    @Test
    void oneFindingPerPlaceWithTheOtherRulesAsEvidence() {
        open(cpu);
        // the regexp compiled per call and the allocations it makes there: one finding, two sources
        List<Map<String, Object>> validate = browser.eval("return Array.from(document.querySelectorAll('#main .finding'))"
                + ".filter(f => f.querySelector('h2').textContent.includes('main.validate'))"
                + ".map(f => ({id: f.id, related: Array.from(f.querySelectorAll('.related')).map(r => r.dataset.rule)}))");
        assertThat(validate).hasSize(1);
        assertThat(validate.get(0).get("related")).isEqualTo(List.of("cpu.allocation-pressure"));
        open(leaky);
        // seven leaks, one finding each; the count that multiplies is their summary, not an eighth cause
        assertThat(browser.<Object>eval("return Array.from(document.querySelectorAll('#main .finding h2'))"
                + ".filter(h => /goroutine leak/i.test(h.textContent)).length")).isEqualTo(7L);
        assertThat(browser.<Object>eval("return Array.from(document.querySelectorAll('#main .finding h2'))"
                + ".filter(h => h.textContent.includes('Goroutine count multiplies')).length")).isEqualTo(1L);
        browser.assertNoErrors();
    }

    @Test
    void deepLinksOpenWhereTheyPoint() {
        open(leaky);
        String last = browser.eval("var all = document.querySelectorAll('#main .finding'); return all[all.length - 1].id");
        browser.open(leaky.toUri() + "#" + last);
        browser.waitFor("document.querySelectorAll('#main .finding').length > 0");
        browser.waitFor("document.getElementById('" + last + "').classList.contains('target')");
        // scrolled into view inside the findings pane
        assertThat(browser.evalNumber("var r = document.getElementById('" + last + "').getBoundingClientRect();"
                + " var m = document.getElementById('main').getBoundingClientRect();"
                + " return r.top >= m.top - 1 && r.top < m.bottom ? 1 : 0")).isEqualTo(1);
        assertThat(browser.evalNumber("return document.getElementById('main').scrollTop")).isGreaterThan(0);

        browser.open(leaky.toUri() + "#tab-goroutines");
        browser.waitFor("document.getElementById('frame-goroutines') && document.getElementById('frame-goroutines')"
                + ".dataset.loaded");
        assertThat(browser.element("#frame-goroutines").isDisplayed()).isTrue();
        assertThat(browser.element("#main").isDisplayed()).isFalse();
        assertThat(browser.element("#tabs button[data-tab='goroutines']").getAttribute("aria-selected"))
                .isEqualTo("true");
        // a tab opened by hand is in the address, to share
        browser.element("#tabs button[data-tab='gc']").click();
        assertThat(browser.<Object>eval("return location.hash")).isEqualTo("#tab-gc");
        // a finding's link from another tab comes back to the findings
        browser.eval("location.hash = '#finding-memory.heap-growth-main.mem'");
        browser.waitFor("!document.getElementById('main').hidden");
        assertThat(browser.element("#finding-memory\\.heap-growth-main\\.mem").getAttribute("class")).contains("target");
        browser.assertNoErrors();
    }

    @Test
    void theSourcePaneShowsTheLinesAroundTheFinding() {
        open(leaky);
        Map<String, Object> pane = browser.eval("var p = document.querySelector("
                + "'#finding-memory\\\\.heap-growth-main\\\\.mem pre.source');"
                + " var rows = p.querySelectorAll('span[data-line]');"
                + " return {mark: p.querySelector('span.mark').dataset.line, text: p.querySelector('span.mark').textContent,"
                + " first: rows[0].dataset.line, last: rows[rows.length - 1].dataset.line}");
        assertThat(pane).containsEntry("mark", "101").containsEntry("first", "95").containsEntry("last", "107");
        assertThat((String) pane.get("text")).isEqualTo("101" + LEAK_LINE);
        // a goroutine leak's pane marks its blocking line (main.go:73 by the corpus README)
        assertThat(browser.<Object>eval("var f = Array.from(document.querySelectorAll('#main .finding')).filter(f =>"
                + " f.querySelector('h2').textContent.includes('main.leakCtx.func1'))[0];"
                + " return f.querySelector('pre.source span.mark').dataset.line")).isEqualTo("73");
        browser.assertNoErrors();
    }

    @Test
    void aQuietServiceGetsAHealthReportNotAnEmptyPage() {
        browser.driver().switchTo().defaultContent();
        browser.open(quiet);
        browser.waitFor("document.querySelectorAll('#health tr').length > 0");
        assertThat(browser.element("#main").getText()).doesNotContain("critical");
        assertThat(browser.evalNumber("return document.querySelectorAll('#main .finding').length")).isZero();
        assertThat(browser.element("#top").getText()).contains("Nothing to fix");
        Map<String, Object> health = browser.eval("var m = {}; document.querySelectorAll('#health tr').forEach(tr =>"
                + " m[tr.dataset.area] = tr.dataset.status + ': ' + tr.querySelector('td.v').textContent); return m");
        assertThat((String) health.get("goroutines")).isEqualTo("ok: 3 goroutines (one snapshot: take two to see a trend)");
        assertThat((String) health.get("heap")).startsWith("ok: ").contains("MiB in use");
        // what was not given is said, not passed as healthy
        assertThat((String) health.get("cpu")).isEqualTo("unknown: no CPU profile");
        assertThat((String) health.get("contention")).isEqualTo("unknown: no mutex or block profile, or execution trace");
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
