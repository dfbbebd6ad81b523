package dev.godiag.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Browser;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The gc and memory pages ({@code godiag gc -o x.html}, {@code godiag memory -o x.html}) in a real
 * browser. The gc numbers are the hand-computed ones of GcMemoryCommandTest's javadoc (16 cycles,
 * 10 forced, pause p50 1.504 ms, max 7.81 ms); the memory sites are compared with
 * {@code godiag memory --format json}, which GcMemoryCommandTest checks against pprof.
 */
class GcMemoryPageBrowserTest {
    static Browser browser;

    @TempDir
    static Path dir;

    static Path gcPage;
    static Path leakPage;
    static Path stablePage;
    static List<String> heaps = new ArrayList<>();

    @BeforeAll
    static void up() {
        gcPage = dir.resolve("gc.html");
        Pages.godiag(gcPage, "gc", "-o", gcPage.toString(), Corpus.file("go1.27/leakysvc/gctrace.log").toString());
        for (int t = 0; t <= 4; t++) {
            heaps.add(Corpus.file("go1.27/leakysvc/heap.t" + t + ".pprof").toString());
        }
        leakPage = dir.resolve("memory.html");
        List<String> args = new ArrayList<>(List.of("memory", "-o", leakPage.toString()));
        args.addAll(heaps);
        Pages.godiag(leakPage, args.toArray(String[]::new));
        stablePage = dir.resolve("stable.html");
        Pages.godiag(stablePage, "memory", "--format", "html", "-o", stablePage.toString(),
                Corpus.file("go1.19/cpuwork/gctrace.log").toString());
        browser = Browser.start();
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
    }

    private static void open(Path p) {
        browser.open(p);
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
    }

    private static String stat(String key) {
        return browser.element("#gc-0 dd[data-stat='" + key + "']").getText();
    }

    /** Moves the real mouse onto a chart mark (circle or bar) and waits for the tooltip of its index. */
    private static List<String> hoverMark(String svgCss, String markCss) {
        WebElement svg = browser.element(svgCss);
        browser.eval("arguments[0].scrollIntoView({block: 'center'})", svg);
        List<Number> at = browser.eval("var s = arguments[0].getBoundingClientRect(),"
                + " m = arguments[0].querySelector(arguments[1]).getBoundingClientRect();"
                + "return [m.left + m.width / 2 - s.left, m.top + m.height / 2 - s.top]", svg, markCss);
        browser.hover(svg, at.get(0).doubleValue(), at.get(1).doubleValue());
        browser.waitFor("!document.getElementById('tooltip').hidden");
        return browser.eval("return Array.from(document.querySelectorAll('#tooltip > div')).map(d => d.textContent)");
    }

    @Test
    void gcPageHeaderAndCharts() {
        open(gcPage);
        browser.assertNoErrors();
        assertThat(stat("cycles")).isEqualTo("16");
        assertThat(stat("forced")).isEqualTo("10");
        assertThat(stat("p50")).isEqualTo("1.504 ms");
        assertThat(stat("p95")).isEqualTo("7.81 ms");
        assertThat(stat("p99")).isEqualTo("7.81 ms");
        assertThat(stat("max")).isEqualTo("7.81 ms");
        assertThat(stat("gc-cpu")).isEqualTo("0%");
        // the pause chart: one point per cycle, in time order; the heap chart: live and goal
        assertThat(browser.evalNumber("return document.querySelectorAll('#gc-0 figure[data-chart=pause] circle.pt').length"))
                .isEqualTo(16);
        List<Double> values = browser.<List<Object>>eval("return Array.from(document.querySelectorAll("
                + "'#gc-0 figure[data-chart=pause] circle.pt')).map(c => Number(c.getAttribute('data-value')))")
                .stream().map(o -> ((Number) o).doubleValue()).toList();
        assertThat(values.stream().mapToDouble(Double::doubleValue).max().orElseThrow()).isCloseTo(7.81, within(1e-9));
        assertThat(browser.evalNumber("return document.querySelectorAll('#gc-0 figure[data-chart=heap] g[data-series] path.series').length"))
                .isEqualTo(2);
        assertThat(browser.evalNumber("return document.querySelectorAll('#gc-0 figure[data-chart=heap] circle.pt').length"))
                .isEqualTo(32);
        assertThat(browser.evalNumber("return document.querySelectorAll('#gc-0 figure[data-chart=cpu] rect.bar').length"))
                .isEqualTo(5);
        assertThat(browser.evalNumber("return document.querySelectorAll('#gc-0 table.windows tbody tr').length"))
                .isEqualTo(5);
        assertThat(browser.element("#gc-0 ul.notes").getText()).contains("10 collections were forced");

        // real mouse on the tenth cycle's point (the 7.81 ms pause at 58.354 s)
        List<String> tip = hoverMark("#gc-0 figure[data-chart=pause] svg", "circle.pt[data-index='9']");
        assertThat(tip).contains("pause 7.81 ms");
        assertThat(tip.get(0)).isEqualTo("cycle 10 of 16 at 58.354 s");
        assertThat(browser.evalNumber("return document.querySelectorAll('#gc-0 figure[data-chart=pause] circle.pt.hot').length"))
                .isEqualTo(1);
        // and on the first window's bar of the GC CPU chart
        tip = hoverMark("#gc-0 figure[data-chart=cpu] svg", "rect.bar[data-index='0']");
        assertThat(tip).contains("GC CPU 0.0402%");
        browser.assertNoErrors();
    }

    @Test
    void gcPageReadableAt800Px() {
        org.openqa.selenium.Dimension before = browser.driver().manage().window().getSize();
        try {
            browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(800, 900));
            open(gcPage);
            browser.assertNoErrors();
            // no horizontal scrolling of the page; every chart at least 300 px wide and inside the window
            assertThat(browser.evalNumber("return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
                    .isLessThanOrEqualTo(0);
            List<Number> widths = browser.eval("return Array.from(document.querySelectorAll('figure.chart svg'))"
                    + ".map(s => s.getBoundingClientRect().width)");
            assertThat(widths).hasSize(3).allSatisfy(w -> assertThat(w.doubleValue()).isBetween(300.0, 800.0));
        } finally {
            browser.driver().manage().window().setSize(before);
        }
    }

    @Test
    void memoryPageOfTheLeakySeries() throws Exception {
        Peers.Result r = Godiag.run(new ArrayList<>(List.of("memory", "--format", "json")) {
            {
                addAll(heaps);
            }
        });
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.stdout());
        open(leakPage);
        browser.assertNoErrors();
        assertThat(browser.element("#verdict").getAttribute("data-verdict")).isEqualTo("leaking");
        assertThat(browser.element("#verdict").getAttribute("class")).isEqualTo("verdict-leaking");
        assertThat(browser.element("#verdict-word").getText()).isEqualToIgnoringCase("leaking");
        assertThat(browser.element("#reason").getText()).isEqualTo(json.get("reason").asText());
        String background = browser.eval("return getComputedStyle(document.getElementById('verdict')).backgroundColor");
        assertThat(background).isEqualTo("rgb(179, 38, 30)");
        // main.mem first, with its bytes per snapshot as the JSON gives them
        List<Map<String, Object>> rows = browser.eval("return Array.from(document.querySelectorAll('#sites tbody tr.site'))"
                + ".map(tr => ({fn: tr.getAttribute('data-function'),"
                + " bytes: Array.from(tr.querySelectorAll('td.snap')).map(td => td.getAttribute('data-bytes')),"
                + " spark: tr.querySelector('td.spark svg').getAttribute('aria-label')}))");
        assertThat(rows).isNotEmpty();
        assertThat(rows.get(0).get("fn")).isEqualTo("main.mem");
        JsonNode site = json.get("growingSites").get(0);
        assertThat(site.get("function").asText()).isEqualTo("main.mem");
        List<String> expected = new ArrayList<>();
        site.get("inuseBytes").forEach(n -> expected.add(n.asText()));
        assertThat(expected).hasSize(4); // heap.t0, taken before the first GC, is left out
        assertThat(rows.get(0).get("bytes")).isEqualTo(expected);
        // 1115476 / 2^20 = 1.064, 2788692 / 2^20 = 2.659
        assertThat((String) rows.get(0).get("spark")).startsWith("1.06MiB \u2192 2.66MiB");
        // the chart: 4 points and the fitted line
        assertThat(browser.evalNumber("return document.querySelectorAll('figure[data-chart=live] circle.pt').length"))
                .isEqualTo(4);
        assertThat(browser.evalNumber("return document.querySelectorAll('figure[data-chart=live] line.fit').length"))
                .isEqualTo(1);
        assertThat(browser.element("#object-hint").getText()).isEqualTo(json.get("objectSizeHint").asText());
        List<String> tip = hoverMark("figure[data-chart=live] svg", "circle.pt[data-index='3']");
        assertThat(tip).contains("live heap 11.64MiB (" + json.get("points").get(3).get("liveBytes").asText() + " bytes)");
        browser.assertNoErrors();
    }

    @Test
    void memoryPageOfAStableGctrace() {
        open(stablePage);
        browser.assertNoErrors();
        assertThat(browser.element("#verdict").getAttribute("data-verdict")).isEqualTo("stable");
        assertThat(browser.element("#verdict-word").getText()).isEqualToIgnoringCase("stable");
        assertThat(browser.element("#sites-section").isDisplayed()).isFalse();
        assertThat(browser.evalNumber("return document.querySelectorAll('figure[data-chart=live] circle.pt').length"))
                .isEqualTo(174);
    }
}
