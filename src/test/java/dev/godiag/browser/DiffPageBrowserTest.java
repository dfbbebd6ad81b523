package dev.godiag.browser;

import com.fasterxml.jackson.databind.JsonNode;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.testutil.Browser;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The diff page: a pair of profiles whose change is known exactly, so every number in the tooltip
 * and every color can be worked out by hand.
 *
 * <p>base: main.a 100 samples, main.b 100 (2 s); new: main.a 300, main.b 100, main.c 50 (4.5 s);
 * 10 ms per sample, all under main.main. Normalized, the base is scaled by 450/200 = 2.25.
 */
class DiffPageBrowserTest {
    static Browser browser;

    @TempDir
    static Path dir;

    static Path base;
    static Path neu;

    static final long MS10 = 10_000_000L;

    @BeforeAll
    static void up() {
        Map<String, Integer> b = new LinkedHashMap<>();
        b.put("main.a", 100);
        b.put("main.b", 100);
        Map<String, Integer> n = new LinkedHashMap<>();
        n.put("main.a", 300);
        n.put("main.b", 100);
        n.put("main.c", 50);
        base = Pages.writeProfile(dir, "base.pprof", profile(b));
        neu = Pages.writeProfile(dir, "new.pprof", profile(n));
        browser = Browser.start();
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
    }

    /** A CPU profile: one sample per function, main.main -> fn, with count and count * 10ms. */
    static dev.godiag.model.Profile profile(Map<String, Integer> counts) {
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("samples", "count").sampleType("cpu", "nanoseconds");
        int main = b.addFunction(1, "main.main", "main.main", "main.go", 1);
        int id = 2;
        for (var e : counts.entrySet()) {
            // the function ids differ between the profiles' orders only by name: diffs match by name
            int f = b.addFunction(id, e.getKey(), e.getKey(), "main.go", 10 * id);
            b.addLine(f, 10L * id + 1, 0);
            int leaf = b.endLocation(id, -1, 0x100L * id, false);
            b.addLine(main, 5, 0);
            int root = b.endLocation(100 + id, -1, 0x10000L + id, false);
            b.addSampleLocation(leaf);
            b.addSampleLocation(root);
            b.endSample(e.getValue(), e.getValue() * MS10);
            id++;
        }
        return b.build();
    }

    private Path diffPage(String name, String... options) {
        Path page = dir.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("diff", "-o", page.toString()));
        args.addAll(List.of(options));
        args.add(base.toString());
        args.add(neu.toString());
        return Pages.godiag(page, args.toArray(String[]::new));
    }

    private void openAtCpu(Path page) {
        JsonNode data = Pages.data(page);
        assertThat(data.get("kind").asText()).isEqualTo("diff");
        int cpu = -1;
        for (int k = 0; k < data.get("types").size(); k++) {
            if (data.get("types").get(k).get("name").asText().equals("cpu")) {
                cpu = k;
            }
        }
        browser.open(page);
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
        // the CPU time is what pprof shows first for a CPU profile
        assertThat(browser.evalNumber("return window.godiag.state().type")).isEqualTo(cpu);
    }

    private long node(String fn) {
        List<Number> nodes = browser.eval("return window.godiag.find(arguments[0])", fn);
        assertThat(nodes).as(fn).hasSize(1);
        return nodes.get(0).longValue();
    }

    private List<String> hover(String fn) {
        Pages.hoverNode(browser, node(fn));
        List<String> lines = Pages.tooltipLines(browser);
        assertThat(lines.get(0)).isEqualTo(fn);
        return lines;
    }

    private static void assertRedish(List<Long> px, String what) {
        assertThat(px.get(0) - px.get(2)).as("%s is red-ish: %s", what, px).isGreaterThan(40);
    }

    private static void assertBlueish(List<Long> px, String what) {
        assertThat(px.get(2) - px.get(0)).as("%s is blue-ish: %s", what, px).isGreaterThan(40);
    }

    @Test
    void normalizedDiffShowsScaledBaseNewAndDelta() {
        Path page = diffPage("norm.html", "--normalize");
        openAtCpu(page);
        // main.a: base 1s * 2.25 = 2.25s, new 3s: +750ms, +33.33%
        List<String> a = hover("main.a");
        assertThat(a).contains("total: 3s (66.67% of root)", "base: 2.25s (scaled)", "new: 3s", "delta: +750ms (+33.33%)");
        // main.b: base 2.25s, new 1s: -1.25s, -55.56%
        List<String> b = hover("main.b");
        assertThat(b).contains("base: 2.25s (scaled)", "new: 1s", "delta: -1.25s (-55.56%)");
        // main.c: only in the new profile
        List<String> c = hover("main.c");
        assertThat(c).contains("new: 500ms", "delta: +500ms (new)");
        // main.main: 2s * 2.25 = 4.5s both, no change (pprof style: "4.50s", only ".00" is dropped)
        List<String> m = hover("main.main");
        assertThat(m).contains("base: 4.50s (scaled)", "new: 4.50s", "delta: 0 (0%)");

        assertRedish(Pages.fillOf(browser, node("main.a")), "main.a (grew)");
        assertBlueish(Pages.fillOf(browser, node("main.b")), "main.b (shrank)");
        assertRedish(Pages.fillOf(browser, node("main.c")), "main.c (new)");
        List<Long> grey = Pages.fillOf(browser, node("main.main"));
        assertThat(Math.abs(grey.get(0) - grey.get(2))).as("main.main unchanged is grey: %s", grey).isLessThan(12);
        // the new-only node is marked apart from a grown one: striped, two colors on its top row
        Map<String, Number> r = Pages.rect(browser, node("main.c"));
        List<String> colors = browser.eval("var c = document.getElementById('flame'), k = window.devicePixelRatio || 1;"
                + "var d = c.getContext('2d').getImageData(Math.round(arguments[0] * k), Math.round((arguments[1] + 1) * k),"
                + " Math.round(Math.min(30, arguments[2] - 4) * k), 1).data, s = new Set();"
                + "for (var i = 0; i < d.length; i += 4) s.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);"
                + "return Array.from(s);", Pages.d(r, "x") + 2, Pages.d(r, "y"), Pages.d(r, "w"));
        assertThat(colors.size()).as("stripes of main.c: %s", colors).isGreaterThan(1);
        browser.assertNoErrors();
    }

    @Test
    void absoluteDiffWithNormalizeFalse() {
        Path page = diffPage("abs.html", "--normalize=false");
        openAtCpu(page);
        assertThat(browser.element("#legend-lines").getText()).doesNotContain("normalized");
        // main.a: 1s -> 3s: +2s, +200%
        List<String> a = hover("main.a");
        assertThat(a).contains("base: 1s", "new: 3s", "delta: +2s (+200%)");
        assertThat(a).noneMatch(l -> l.contains("scaled"));
        // main.b: 1s -> 1s: unchanged, grey
        List<String> b = hover("main.b");
        assertThat(b).contains("base: 1s", "new: 1s", "delta: 0 (0%)");
        List<Long> grey = Pages.fillOf(browser, node("main.b"));
        assertThat(Math.abs(grey.get(0) - grey.get(2))).as("main.b unchanged is grey: %s", grey).isLessThan(12);
        // main.main: 2s -> 4.5s: +2.5s, +125%
        List<String> m = hover("main.main");
        assertThat(m).contains("base: 2s", "new: 4.50s", "delta: +2.50s (+125%)");
        assertRedish(Pages.fillOf(browser, node("main.a")), "main.a (grew)");
        assertRedish(Pages.fillOf(browser, node("main.main")), "main.main (grew)");
        browser.assertNoErrors();
    }

    @Test
    void realCorpusDiffLoadsAndItsTableMatchesPprof() {
        Path b = Corpus.file("go1.19/cpuwork/cpu.pprof");
        Path n = Corpus.file("go1.27/cpuwork/cpu.pprof");
        Path page = dir.resolve("corpus.html");
        Pages.godiag(page, "diff", "-o", page.toString(), b.toString(), n.toString());
        browser.open(page);
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
        assertThat(browser.element("#title").getText()).startsWith("Diff: ");
        // a function in both: its tooltip has the three diff lines
        List<Number> nodes = browser.eval("return window.godiag.find('main.handle')");
        assertThat(nodes).isNotEmpty();
        Pages.hoverNode(browser, nodes.get(0).longValue());
        List<String> lines = Pages.tooltipLines(browser);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("base: "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("new: "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("delta: "));
        // the new profile's values are the new profile's: main.handle's cum as pprof prints it
        Pages.TopRow handle = Pages.pprofTop(n, "-cum").stream().filter(r -> r.name().equals("main.handle"))
                .findFirst().orElseThrow();
        if (nodes.size() == 1) {
            assertThat(lines).contains("new: " + handle.cum());
        }
        browser.assertNoErrors();
    }
}
