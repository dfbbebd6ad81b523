package dev.godiag.browser;

import dev.godiag.testutil.Browser;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report pages follow the system's dark mode (prefers-color-scheme, emulated over CDP as a
 * dark system sets it), as godiag serve's pages around them do: dark background and light text on
 * the diagnose page and in its tabs, and on the flame graph's canvas frames whose labels read
 * against their fill, a diff's red for growth and blue for shrinking. In light mode the colours
 * are the ones they always were. Screenshots of every page in dark under target/screenshots/dark/.
 */
class DarkThemeBrowserTest {
    static final Path SHOTS = Path.of("target/screenshots/dark");
    static final String DARK_BG = "rgb(13, 17, 23)";
    static final String DARK_FG = "rgb(230, 237, 243)";

    static Browser browser;

    @TempDir
    static Path dir;

    static Path diagnose;
    static Path flame;
    static Path diff;
    static Path trace;

    @BeforeAll
    static void up() throws IOException {
        Files.createDirectories(SHOTS);
        diagnose = dir.resolve("diagnose.html");
        Pages.godiag(diagnose, "diagnose", "-o", diagnose.toString(), Corpus.file("go1.27/leakysvc").toString());
        flame = Pages.flame(dir, "flame.html", Corpus.file("go1.27/cpuwork/cpu.pprof"));
        diff = dir.resolve("diff.html");
        Pages.godiag(diff, "diff", "--format", "html", "-o", diff.toString(),
                Corpus.file("go1.19/cpuwork/cpu.pprof").toString(), Corpus.file("go1.27/cpuwork/cpu.pprof").toString());
        trace = dir.resolve("trace.html");
        Pages.godiag(trace, "trace", "--format", "html", "-o", trace.toString(),
                Corpus.file("go1.27/cpuwork/trace.out").toString());
        browser = Browser.start();
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void lightAgain() {
        scheme("light");
    }

    /** What the system tells pages about its colour scheme ("dark" or "light"). */
    static void scheme(String value) {
        browser.driver().switchTo().defaultContent();
        ((ChromeDriver) browser.driver()).executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", value))));
    }

    static void shot(String name) {
        byte[] png = ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES);
        try {
            Files.write(SHOTS.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String css(String selector, String property) {
        return browser.eval("return getComputedStyle(document.querySelector(arguments[0]))[arguments[1]]",
                selector, property);
    }

    static void openFlame(Path page) {
        browser.open(page);
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
        Pages.settle(browser);
    }

    static long node(String fn) {
        List<Number> nodes = browser.eval("return window.godiag.find(arguments[0])", fn);
        assertThat(nodes).as("nodes of %s", fn).isNotEmpty();
        return nodes.get(0).longValue();
    }

    /** WCAG relative luminance of an sRGB pixel [r, g, b, ...]. */
    static double luminance(List<Long> px) {
        double[] c = new double[3];
        for (int k = 0; k < 3; k++) {
            double v = px.get(k) / 255.0;
            c[k] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    static double contrast(List<Long> a, List<Long> b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    /**
     * The contrast of node i's label against its fill: the fill from the top edge, the label's
     * colour the pixel of its text that differs most from the fill (the core of a glyph's stroke).
     */
    static double labelContrast(long node) {
        Map<String, Number> r = Pages.rect(browser, node);
        List<Long> fill = Pages.fillOf(browser, node);
        List<List<Long>> strip = browser.eval("var c = document.getElementById('flame'), k = window.devicePixelRatio || 1;"
                + "var x = Math.round(arguments[0] * k), y = Math.round(arguments[1] * k),"
                + " w = Math.round(arguments[2] * k), h = Math.round(arguments[3] * k);"
                + "var d = c.getContext('2d').getImageData(x, y, w, h).data, out = [];"
                + "for (var i = 0; i < d.length; i += 4) out.push([d[i], d[i + 1], d[i + 2]]);"
                + "return out;", Pages.d(r, "x") + 2, Pages.d(r, "y") + 3, Math.min(80, Pages.d(r, "w") - 4),
                Pages.d(r, "h") - 6);
        return strip.stream().mapToDouble(px -> contrast(px, fill)).max().orElse(1);
    }

    @Test
    void diagnosePageAndItsTabsAreDark() {
        scheme("dark");
        browser.open(diagnose);
        browser.waitFor("document.querySelectorAll('#main .finding').length > 0");
        assertThat(css("body", "backgroundColor")).isEqualTo(DARK_BG);
        assertThat(css("body", "color")).isEqualTo(DARK_FG);
        // severities in the dark theme's colours (as godiag serve's), readable on the dark background
        assertThat(css(".finding.critical .sev", "color")).isEqualTo("rgb(255, 107, 107)");
        assertThat(css("#tabs button[aria-selected=true]", "color")).isEqualTo(DARK_FG);
        assertThat(css("svg.spark polyline", "stroke")).isEqualTo("rgb(108, 182, 255)");
        shot("diagnose-findings");
        for (String tab : List.of("flame", "goroutines", "gc", "memory")) {
            browser.driver().switchTo().defaultContent();
            browser.element("#tabs button[data-tab='" + tab + "']").click();
            browser.waitFor("document.getElementById('frame-" + tab + "') && document.getElementById('frame-"
                    + tab + "').dataset.loaded");
            browser.driver().switchTo().frame(browser.element("#frame-" + tab));
            // the page in the sandboxed frame follows the same preference
            browser.waitFor("document.body && document.body.children.length > 0");
            assertThat(css("body", "backgroundColor")).as("tab %s", tab).isEqualTo(DARK_BG);
            assertThat(css("body", "color")).as("tab %s", tab).isEqualTo(DARK_FG);
            if (tab.equals("goroutines")) {
                // a bucket opened: its stack on the dark details panel, the blocked frame marked dark red
                browser.element("#buckets tr.bucket").click();
                browser.waitFor("document.querySelector('#buckets tr.details li.blocked')");
                assertThat(css("#buckets tr.details > td", "backgroundColor")).isEqualTo("rgb(17, 22, 29)");
                assertThat(css("#buckets tr.details li.blocked", "backgroundColor")).isEqualTo("rgb(58, 29, 31)");
            }
            Pages.settle(browser);
            browser.driver().switchTo().defaultContent();
            shot("diagnose-tab-" + tab);
        }
        browser.assertNoErrors();
    }

    @Test
    void flameCanvasIsDarkWithReadableLabels() {
        scheme("dark");
        openFlame(flame);
        assertThat(css("body", "backgroundColor")).isEqualTo(DARK_BG);
        assertThat(css("body", "color")).isEqualTo(DARK_FG);
        // the canvas's empty area (above the flames' tops, left) is the page's background
        assertThat(Pages.pixel(browser, 1, 1)).containsExactly(13L, 17L, 23L, 255L);
        long fib = node("main.fib");
        List<Long> fill = Pages.fillOf(browser, fib);
        assertThat(luminance(fill)).as("main.fib's fill %s is a dark theme's (not a bright) colour", fill)
                .isLessThan(0.2);
        assertThat(labelContrast(fib)).as("main.fib's label on its fill").isGreaterThanOrEqualTo(4.5);
        assertThat(labelContrast(node("runtime.mcall"))).as("runtime.mcall's label").isGreaterThanOrEqualTo(4.5);
        shot("flame");
        Pages.hoverNode(browser, fib);
        assertThat(css("#tooltip", "backgroundColor")).isEqualTo("rgba(21, 27, 35, 0.97)");
        assertThat(css("#tooltip", "color")).isEqualTo(DARK_FG);
        shot("flame-tooltip");
        browser.hover(browser.element("#title"), 2, 2);

        // a search match stands out and keeps a readable label; the rest is dimmed
        browser.element("#search").sendKeys("^main\\.fib$");
        browser.waitFor("window.godiag.state().search === '^main\\\\.fib$'");
        Pages.settle(browser);
        List<Long> match = Pages.fillOf(browser, fib);
        List<Long> dimmed = Pages.fillOf(browser, node("runtime.mcall"));
        assertThat(contrast(match, dimmed)).as("match %s against dimmed %s", match, dimmed).isGreaterThan(3);
        assertThat(labelContrast(fib)).as("matched main.fib's label").isGreaterThanOrEqualTo(4.5);
        shot("flame-search");
        browser.assertNoErrors();
    }

    @Test
    void flameRedrawsWhenTheSystemTurnsDark() {
        openFlame(flame);
        assertThat(Pages.pixel(browser, 1, 1)).containsExactly(255L, 255L, 255L, 255L);
        String ownCodeSwatch = css(".color-legend span.sw", "backgroundColor");
        scheme("dark");
        browser.waitFor("(function () { var c = document.getElementById('flame');"
                + " return c.getContext('2d').getImageData(0, 0, 1, 1).data[0] === 13; })()");
        assertThat(css(".color-legend span.sw", "backgroundColor")).as("the legend's own-code swatch follows")
                .isNotEqualTo(ownCodeSwatch);
        assertThat(labelContrast(node("main.fib"))).isGreaterThanOrEqualTo(4.5);
        browser.assertNoErrors();
    }

    @Test
    void diffKeepsRedForGrowthAndBlueForShrinkingInDark() {
        scheme("dark");
        openFlame(diff);
        assertThat(css("body", "backgroundColor")).isEqualTo(DARK_BG);
        int checked = 0;
        for (String fn : List.of("main.handle", "main.fib", "runtime.netpoll", "main.checksum")) {
            long n = node(fn);
            Pages.hoverNode(browser, n);
            String delta = Pages.tooltipLines(browser).stream().filter(l -> l.startsWith("delta: ")).findFirst()
                    .orElseThrow();
            List<Long> px = Pages.fillOf(browser, n);
            if (delta.startsWith("delta: +") && !delta.endsWith("(new)")) {
                assertThat(px.get(0) - px.get(2)).as("%s grew (%s): red-ish %s", fn, delta, px).isGreaterThan(40);
                checked++;
            } else if (delta.startsWith("delta: -")) {
                assertThat(px.get(2) - px.get(0)).as("%s shrank (%s): blue-ish %s", fn, delta, px).isGreaterThan(40);
                checked++;
            }
            assertThat(labelContrast(n)).as("%s's label", fn).isGreaterThanOrEqualTo(4.5);
        }
        assertThat(checked).as("nodes that grew or shrank").isGreaterThanOrEqualTo(2);
        assertThat(css(".changes-list tr.grew td.cdelta", "color")).isEqualTo("rgb(255, 123, 114)");
        assertThat(css(".changes-list tr.shrank td.cdelta", "color")).isEqualTo("rgb(108, 182, 255)");
        browser.eval("window.scrollTo(0, 0)");
        shot("diff");
        browser.assertNoErrors();
    }

    @Test
    void tracePageIsDark() {
        scheme("dark");
        browser.open(trace);
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
        assertThat(css("body", "backgroundColor")).isEqualTo(DARK_BG);
        assertThat(css("body", "color")).isEqualTo(DARK_FG);
        // table heads and chart labels in the dark palette, the states in its brighter colours
        assertThat(css("#waits-table th", "backgroundColor")).isEqualTo("rgb(21, 27, 35)");
        assertThat(css("#heatmap svg text", "fill")).isEqualTo("rgb(145, 152, 161)");
        assertThat(browser.<String>eval("return getComputedStyle(document.querySelector('#groups-legend i'))"
                + ".backgroundColor")).as("running's swatch").isEqualTo("rgb(86, 211, 100)");
        assertThat(css("#sched-latency rect.bar", "fill")).as("runnable").isEqualTo("rgb(240, 136, 62)");
        assertThat(css("#gc-trace polyline", "stroke")).isEqualTo("rgb(68, 147, 248)");
        shot("trace");
        // the tooltip on the heatmap is dark too
        WebElement svg = browser.element("#heatmap svg.chart");
        browser.hover(svg, svg.getRect().getWidth() / 2.0, 60);
        browser.waitFor("!document.getElementById('tooltip').hidden");
        assertThat(css("#tooltip", "backgroundColor")).isEqualTo("rgb(21, 27, 35)");
        shot("trace-tooltip");
        browser.assertNoErrors();
    }

    @Test
    void lightModeKeepsItsColours() {
        scheme("light");
        browser.open(diagnose);
        browser.waitFor("document.querySelectorAll('#main .finding').length > 0");
        assertThat(css("body", "backgroundColor")).isEqualTo("rgb(255, 255, 255)");
        assertThat(css("body", "color")).isEqualTo("rgb(29, 29, 31)");
        assertThat(css(".finding.critical .sev", "color")).isEqualTo("rgb(179, 38, 30)");
        assertThat(css("svg.spark polyline", "stroke")).isEqualTo("rgb(42, 98, 201)");

        browser.open(trace);
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
        assertThat(css("body", "backgroundColor")).isEqualTo("rgb(255, 255, 255)");
        assertThat(css("#waits-table th", "backgroundColor")).isEqualTo("rgb(243, 243, 245)");
        assertThat(css("#sched-latency rect.bar", "fill")).isEqualTo("rgb(217, 115, 13)");

        openFlame(flame);
        assertThat(css("body", "backgroundColor")).isEqualTo("rgb(255, 255, 255)");
        assertThat(Pages.pixel(browser, 1, 1)).containsExactly(255L, 255L, 255L, 255L);
        long fib = node("main.fib");
        List<Long> fill = Pages.fillOf(browser, fib);
        assertThat(luminance(fill)).as("main.fib's light fill %s", fill).isGreaterThan(0.2);
        // the light theme's label is #111 on every frame
        Map<String, Number> r = Pages.rect(browser, fib);
        List<List<Long>> strip = browser.eval("var c = document.getElementById('flame'), k = window.devicePixelRatio || 1;"
                + "var d = c.getContext('2d').getImageData(Math.round(arguments[0] * k), Math.round(arguments[1] * k),"
                + " Math.round(60 * k), Math.round(arguments[2] * k)).data, out = [];"
                + "for (var i = 0; i < d.length; i += 4) out.push([d[i], d[i + 1], d[i + 2]]);"
                + "return out;", Pages.d(r, "x") + 2, Pages.d(r, "y") + 3, Pages.d(r, "h") - 6);
        long darkest = strip.stream().mapToLong(px -> px.get(0) + px.get(1) + px.get(2)).min().orElseThrow();
        assertThat(darkest).as("the darkest label pixel, near #111").isLessThan(3 * 0x30);
        browser.assertNoErrors();
    }
}
