package dev.godiag.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Browser;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.TraceFixtures;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The execution-trace page ({@code godiag trace --format html}) in a real browser, read as a Go
 * engineer reads it, against {@code godiag trace --format json} of the same trace (the JSON other
 * tests check against go tool trace): the overview, the goroutine-state heatmap (a column per
 * bucket, the real mouse on one shows its numbers), the waits per kind, the goroutine groups (a
 * click opens their slowest goroutines), scheduler latency, MMU, user tasks and the goroutines
 * blocked to the end, with no console error and nothing wider than a 1366 or 800 px window.
 * Traces: the corpus's Go 1.27 and Go 1.19 cpuwork, tracework with every scenario (tasks), and
 * leakprims with its leaks on (goroutines blocked to the end). Screenshots under
 * target/screenshots/trace/.
 */
class TracePageBrowserTest {
    static final Path SHOTS = Path.of("target/screenshots/trace");
    static final ObjectMapper JSON = new ObjectMapper();
    /** How far the page reaches past the window's right edge, in CSS px. */
    static final String OVERFLOW = "return document.documentElement.scrollWidth - document.documentElement.clientWidth";

    /** A page and the JSON of the same trace. */
    record Page(Path html, JsonNode json) {
    }

    static Browser browser;

    @TempDir
    static Path dir;

    static Page cpu127;
    static Page cpu119;
    static Page scenarios;
    static Page leaky;

    @BeforeAll
    static void up() throws IOException {
        Files.createDirectories(SHOTS);
        cpu127 = page("cpu127", Corpus.file("go1.27/cpuwork/trace.out"));
        cpu119 = page("cpu119", Corpus.file("go1.19/cpuwork/trace.out"));
        scenarios = page("scenarios", TraceFixtures.allScenarios127());
        Path leakOut = dir.resolve("leakprims");
        Files.createDirectories(leakOut);
        Path binary = GoFixtures.build(Tools.go127(), "leakprims");
        Peers.Result r = Peers.run(List.of(binary.toString(), "-out", leakOut.toString(), "-rwmutex", "-cond",
                "-waitgroup", "-trace"), null);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        leaky = page("leaky", leakOut.resolve("trace.out"));
        browser = Browser.start();
        browser.driver().manage().window().setSize(new Dimension(1366, 900));
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
    }

    private static Page page(String name, Path trace) throws IOException {
        Path html = dir.resolve(name + ".html");
        Pages.godiag(html, "trace", "--format", "html", "-o", html.toString(), trace.toString());
        Peers.Result r = Godiag.run("trace", "--format", "json", trace.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode json = JSON.readTree(r.stdout());
        assertThat(Pages.data(html).get("report")).as("the page embeds exactly the JSON").isEqualTo(json);
        return new Page(html, json);
    }

    private static void open(Page p) {
        browser.open(p.html());
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
        assertThat(browser.element("#load-error").isDisplayed()).isFalse();
    }

    /** The page's time(): three significant digits in the largest unit of at least 1 (a hand twin). */
    static String time(long ns) {
        double a = Math.abs((double) ns);
        if (a >= 1e9) {
            return sig(ns / 1e9) + "s";
        }
        if (a >= 1e6) {
            return sig(ns / 1e6) + "ms";
        }
        if (a >= 1e3) {
            return sig(ns / 1e3) + "\u00b5s";
        }
        return sig(ns) + "ns";
    }

    private static String sig(double v) {
        return new BigDecimal(v).round(new MathContext(3, RoundingMode.HALF_UP)).stripTrailingZeros().toPlainString();
    }

    static String pct(double share) {
        return new BigDecimal(share * 100).setScale(1, RoundingMode.HALF_UP).toPlainString() + "%";
    }

    private static String stat(String css, String key) {
        return browser.element(css + " dd[data-stat='" + key + "']").getText();
    }

    private static List<String> texts(String script, Object... args) {
        return browser.eval(script, args);
    }

    private static List<String> tooltip() {
        browser.waitFor("!document.getElementById('tooltip').hidden");
        return texts("return Array.from(document.querySelectorAll('#tooltip > div')).map(d => d.textContent)");
    }

    /** Moves the real mouse to the middle of the element inside the svg. */
    private static void hoverIn(String svgCss, String markCss) {
        WebElement svg = browser.element(svgCss);
        browser.eval("arguments[0].scrollIntoView({block: 'center'})", svg);
        List<Number> at = browser.eval("var s = arguments[0].getBoundingClientRect(),"
                + " m = arguments[0].querySelector(arguments[1]).getBoundingClientRect();"
                + "return [m.left + m.width / 2 - s.left, m.top + m.height / 2 - s.top]", svg, markCss);
        browser.hover(svg, at.get(0).doubleValue(), at.get(1).doubleValue());
    }

    /** Moves the real mouse off every chart, onto the page's title. */
    private static void mouseAway() {
        browser.eval("window.scrollTo(0, 0)");
        browser.hover(browser.element("#title"), 2, 2);
    }

    static void shot(String name) {
        byte[] png = ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES);
        try {
            Files.write(SHOTS.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void overviewIsTheTracesNumbers() {
        for (Page p : List.of(cpu127, cpu119, scenarios, leaky)) {
            open(p);
            JsonNode o = p.json().get("overview");
            assertThat(browser.element("#title").getText())
                    .isEqualTo("Execution trace: " + p.json().get("source").asText());
            assertThat(stat("#overview", "duration")).isEqualTo(time(o.get("durationNanos").asLong()));
            assertThat(stat("#overview", "goroutines")).isEqualTo(o.get("goroutinesSeen").asText());
            assertThat(stat("#overview", "created")).isEqualTo(o.get("goroutinesCreated").asText());
            assertThat(stat("#overview", "procs")).isEqualTo(o.get("procsSeen").asText());
            assertThat(stat("#overview", "cpu-samples")).isEqualTo(o.get("cpuSamples").asText());
            assertThat(browser.element("#summary").getText()).isEqualTo("trace format of " + o.get("format").asText()
                    + " \u00b7 " + time(o.get("durationNanos").asLong()) + " \u00b7 " + o.get("generations").asText()
                    + (o.get("generations").asInt() == 1 ? " generation" : " generations") + " \u00b7 "
                    + o.get("events").asText() + " events");
            assertThat(browser.element("#warnings").isDisplayed()).isEqualTo(!o.get("warning").isNull());
            browser.assertNoErrors();
        }
        // by hand: the Go 1.27 corpus trace lasts 6119177344 ns, the Go 1.19 one 6169141638 ns
        open(cpu127);
        assertThat(stat("#overview", "duration")).isEqualTo("6.12s");
        open(cpu119);
        assertThat(stat("#overview", "duration")).isEqualTo("6.17s");
        assertThat(browser.element("#summary").getText()).startsWith("trace format of go1.19");
    }

    @Test
    void heatmapHasAColumnPerBucketAndTheMouseShowsItsNumbers() {
        for (Page p : List.of(cpu127, cpu119, scenarios)) {
            open(p);
            JsonNode h = p.json().get("heatmap");
            JsonNode buckets = h.get("buckets");
            assertThat(buckets.size()).isGreaterThan(10);
            assertThat(browser.evalNumber("return document.querySelectorAll('#heatmap svg.chart rect.bucket').length"))
                    .isEqualTo(buckets.size());
            // one stacked area per state: running, runnable, network, sync, syscall, other
            assertThat(browser.evalNumber("return document.querySelectorAll('#heatmap svg.chart path').length"))
                    .isEqualTo(6);
            assertThat(browser.element("#heatmap .note").getText())
                    .contains("per " + time(h.get("bucketNanos").asLong()) + " bucket",
                            "GOMAXPROCS " + h.get("gomaxprocs"));
            // the bucket with the most goroutines waiting on sync, and the last one (often narrower)
            int most = 0;
            for (int i = 0; i < buckets.size(); i++) {
                if (buckets.get(i).get("sync").asDouble() > buckets.get(most).get("sync").asDouble()) {
                    most = i;
                }
            }
            for (int i : new int[] {most, buckets.size() - 1}) {
                JsonNode b = buckets.get(i);
                hoverIn("#heatmap svg.chart", "rect.bucket[data-index='" + i + "']");
                List<String> tip = tooltip();
                long from = b.get("startNanos").asLong() - h.get("startNanos").asLong();
                assertThat(tip.get(0)).as("bucket %d", i)
                        .isEqualTo(time(from) + " \u2013 " + time(from + b.get("widthNanos").asLong()));
                Map<String, String> lines = new java.util.LinkedHashMap<>();
                tip.stream().skip(1).forEach(l -> lines.put(l.substring(0, l.lastIndexOf(": ")),
                        l.substring(l.lastIndexOf(": ") + 2)));
                Map<String, String> keys = Map.of("Running", "running", "Runnable", "runnable", "Network wait",
                        "network", "Sync wait (mutex, chan, select)", "sync", "Syscall", "syscall", "Other wait",
                        "otherWaiting");
                keys.forEach((label, key) -> assertThat(Double.parseDouble(lines.get(label)))
                        .as("%s of bucket %d", label, i)
                        .isCloseTo(b.get(key).asDouble(), within(0.005)));
                assertThat(lines.get("GC mark")).isEqualTo(pct(b.get("gcMark").asDouble()));
                assertThat(lines.get("Stop-the-world")).isEqualTo(pct(b.get("stw").asDouble()));
                mouseAway();
                browser.waitFor("document.getElementById('tooltip').hidden");
            }
            browser.assertNoErrors();
        }
    }

    @Test
    void waitsTableGivesEachKindsTotal() {
        for (Page p : List.of(cpu127, cpu119, scenarios)) {
            open(p);
            JsonNode waits = p.json().get("waits");
            assertThat(waits.size()).isGreaterThanOrEqualTo(3);
            List<Map<String, Object>> rows = browser.eval("return Array.from(document.querySelectorAll("
                    + "'#waits-table tr')).slice(1).map(tr => ({kind: tr.dataset.kind || null,"
                    + " cells: Array.from(tr.children).map(td => td.textContent)}))");
            int at = 0;
            for (JsonNode k : waits) {
                Map<String, Object> row = rows.get(at++);
                assertThat(row.get("kind")).isEqualTo(k.get("kind").asText());
                @SuppressWarnings("unchecked")
                List<String> cells = (List<String>) row.get("cells");
                assertThat(cells.get(0)).isEqualTo(time(k.get("delayNanos").asLong()));
                assertThat(cells.get(1)).isEqualTo(k.get("count").asText());
                assertThat(cells.get(3)).startsWith(k.get("kind").asText() + ": " + k.get("meaning").asText());
                for (JsonNode s : k.get("top")) {
                    @SuppressWarnings("unchecked")
                    List<String> c = (List<String>) rows.get(at++).get("cells");
                    assertThat(c.subList(0, 3)).containsExactly(time(s.get("delayNanos").asLong()),
                            s.get("count").asText(), time(s.get("maxDelayNanos").asLong()));
                    JsonNode leaf = s.get("frames").size() == 0 ? null : s.get("frames").get(0);
                    int own = s.get("own").asInt();
                    JsonNode mine = own > 0 ? s.get("frames").get(own) : null;
                    assertThat(c.get(3)).isEqualTo(leaf == null ? "(no stack)" : at(leaf)
                            + (mine == null ? "" : " from " + at(mine)));
                }
            }
            assertThat(at).isEqualTo(rows.size());
        }
        // the cpuwork program's goroutines wait on one mutex: sync is the largest kind, led by Mutex.Lock
        open(cpu127);
        assertThat(browser.element("#waits-table tr[data-kind=sync] td.fn").getText()).contains("(14 stacks)");
        assertThat(browser.element("#waits-table tr[data-kind=net] td.fn").getText())
                .isEqualTo("net: waiting on the network (none)");
        browser.assertNoErrors();
    }

    @Test
    void groupRowsAndAClickOpensTheSlowestGoroutines() {
        for (Page p : List.of(cpu127, scenarios)) {
            open(p);
            JsonNode groups = p.json().get("goroutineGroups");
            List<List<String>> rows = browser.eval("return Array.from(document.querySelectorAll("
                    + "'#groups-table tr.group')).map(tr => Array.from(tr.children).map(td => td.textContent))");
            assertThat(rows).hasSize(groups.size());
            for (int i = 0; i < groups.size(); i++) {
                JsonNode g = groups.get(i);
                String name = g.path("name").asText("");
                assertThat(rows.get(i).get(0)).isEqualTo(name.isEmpty() ? "(no stack seen)" : name);
                assertThat(rows.get(i).subList(2, 5)).as(name).containsExactly(g.get("count").asText(),
                        time(g.get("totalNanos").asLong()), time(g.get("execNanos").asLong()));
                assertThat(rows.get(i).subList(5, 13)).containsExactly(time(g.get("schedWaitNanos").asLong()),
                        time(g.get("blockNetNanos").asLong()), time(g.get("blockSyncNanos").asLong()),
                        time(g.get("blockOtherNanos").asLong()), time(g.get("syscallNanos").asLong()),
                        time(g.get("syscallBlockNanos").asLong()), time(g.get("unknownNanos").asLong()),
                        time(g.get("assistNanos").asLong()));
            }
            assertThat(browser.evalNumber("return Array.from(document.querySelectorAll('#groups-table tr.slow'))"
                    + ".filter(tr => tr.offsetParent !== null).length")).as("closed at first").isZero();
            // a real click on the group with the most goroutines
            int most = 0;
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i).get("count").asInt() > groups.get(most).get("count").asInt()) {
                    most = i;
                }
            }
            JsonNode g = groups.get(most);
            assertThat(g.get("slowest").size()).isPositive();
            WebElement tr = browser.element("#groups-table tr.group[data-group='" + most + "']");
            browser.eval("arguments[0].scrollIntoView({block: 'center'})", tr);
            browser.actions().moveToElement(tr).click().perform();
            String shown = "Array.from(document.querySelectorAll('#groups-table tr.slow[data-group=\"" + most + "\"]'))"
                    + ".filter(tr => tr.offsetParent !== null)";
            browser.waitFor(shown + ".length > 0");
            List<List<String>> slow = browser.eval("return " + shown
                    + ".map(tr => Array.from(tr.children).map(td => td.textContent))");
            assertThat(slow).hasSize(g.get("slowest").size());
            for (int i = 0; i < slow.size(); i++) {
                JsonNode s = g.get("slowest").get(i);
                assertThat(slow.get(i).get(0)).isEqualTo("goroutine " + s.get("id").asText());
                assertThat(slow.get(i).subList(3, 5)).containsExactly(time(s.get("totalNanos").asLong()),
                        time(s.get("execNanos").asLong()));
                if (i > 0) {
                    assertThat(s.get("totalNanos").asLong()).as("slowest first")
                            .isLessThanOrEqualTo(g.get("slowest").get(i - 1).get("totalNanos").asLong());
                }
            }
            // the other groups stay closed; a second click closes this one
            assertThat(browser.evalNumber("return Array.from(document.querySelectorAll('#groups-table tr.slow'))"
                    + ".filter(tr => tr.offsetParent !== null).length")).isEqualTo(slow.size());
            browser.actions().moveToElement(tr).click().perform();
            browser.waitFor(shown + ".length === 0");
            browser.assertNoErrors();
        }
        // tracework's convoy: 8 main.convoyWorker goroutines, mostly waiting on sync
        open(scenarios);
        List<List<String>> convoy = browser.eval("return Array.from(document.querySelectorAll("
                + "'#groups-table tr.group'))"
                + ".map(tr => Array.from(tr.children).map(td => td.textContent))"
                + ".filter(c => c[0] === 'main.convoyWorker')");
        assertThat(convoy).hasSize(1);
        assertThat(convoy.get(0).get(2)).isEqualTo("8");
    }

    @Test
    void schedulerLatencyHistogramAndMmu() {
        for (Page p : List.of(cpu127, cpu119, scenarios)) {
            open(p);
            JsonNode s = p.json().get("schedulerLatency");
            JsonNode w = s.get("waits");
            assertThat(stat("#sched-latency", "waits")).isEqualTo(w.get("count").asText());
            assertThat(stat("#sched-latency", "p50")).isEqualTo(time(w.get("p50Nanos").asLong()));
            assertThat(stat("#sched-latency", "p95")).isEqualTo(time(w.get("p95Nanos").asLong()));
            assertThat(stat("#sched-latency", "p99")).isEqualTo(time(w.get("p99Nanos").asLong()));
            assertThat(stat("#sched-latency", "max")).isEqualTo(time(w.get("maxNanos").asLong()));
            assertThat(stat("#sched-latency", "total")).isEqualTo(time(w.get("totalNanos").asLong()));
            assertThat(stat("#sched-latency", "gomaxprocs")).isEqualTo(s.get("gomaxprocs").asText());
            // the histogram: a bar per bucket above zero; those bars and the zero-length waits are every wait
            long zero = 0;
            int bars = 0;
            for (JsonNode b : w.get("buckets")) {
                if (b.get("lowNanos").asLong() == 0) {
                    zero += b.get("count").asLong();
                } else {
                    bars++;
                }
            }
            assertThat(browser.evalNumber(
                    "return document.querySelectorAll('#sched-latency svg.chart rect.bar').length"))
                    .isEqualTo(bars);
            assertThat(browser.evalNumber("return Array.from(document.querySelectorAll('#sched-latency rect.bar'))"
                    + ".reduce((a, r) => a + Number(r.dataset.count), 0)") + zero).isEqualTo(w.get("count").asDouble());
            // the real mouse on the tallest bar
            JsonNode tallest = null;
            for (JsonNode b : w.get("buckets")) {
                boolean taller = tallest == null || b.get("count").asLong() > tallest.get("count").asLong();
                if (b.get("lowNanos").asLong() > 0 && taller) {
                    tallest = b;
                }
            }
            hoverIn("#sched-latency svg.chart", "rect.bar[data-low='" + tallest.get("lowNanos").asText() + "']");
            assertThat(tooltip()).containsExactly(time(tallest.get("lowNanos").asLong()) + " \u2013 "
                    + time(tallest.get("highNanos").asLong()), tallest.get("count").asText() + " waits");
            mouseAway();

            // GC: cycles and the MMU at 1 ms, 10 ms, 100 ms, and a point per window of the curve
            JsonNode gc = p.json().get("gc");
            assertThat(stat("#gc-trace", "cycles")).isEqualTo(gc.get("cycles").asText());
            assertThat(stat("#gc-trace", "mark-share")).isEqualTo(pct(gc.get("markShare").asDouble()));
            assertThat(stat("#gc-trace", "pause-share")).isEqualTo(pct(gc.get("pauseShare").asDouble()));
            assertThat(gc.get("mmu").size()).isEqualTo(3);
            for (JsonNode m : gc.get("mmu")) {
                assertThat(stat("#gc-trace", "mmu-" + m.get("windowNanos").asText()))
                        .isEqualTo(pct(m.get("utilization").asDouble()));
            }
            assertThat(browser.evalNumber("return document.querySelectorAll('#gc-trace svg.chart circle.pt').length"))
                    .isEqualTo(gc.get("mmuCurve").size());
            // the curve's points are the JSON's, each a share of the CPU
            List<Number> curve = browser.eval("return Array.from(document.querySelectorAll('#gc-trace circle.pt'))"
                    + ".map(c => Number(c.dataset.utilization))");
            for (int i = 0; i < curve.size(); i++) {
                assertThat(curve.get(i).doubleValue())
                        .isEqualTo(gc.get("mmuCurve").get(i).get("utilization").asDouble())
                        .isBetween(0.0, 1.0);
            }
            JsonNode last = gc.get("mmuCurve").get(gc.get("mmuCurve").size() - 1);
            hoverIn("#gc-trace svg.chart", "circle.pt[data-window='" + last.get("windowNanos").asText() + "']");
            assertThat(tooltip()).containsExactly("window " + time(last.get("windowNanos").asLong()),
                    "MMU " + pct(last.get("utilization").asDouble()));
            mouseAway();
            browser.assertNoErrors();
        }
        // by hand from the Go 1.27 corpus JSON: MMU 12.4% at 1 ms (0.123648), 50.7% at 10 ms, 46 GC cycles
        open(cpu127);
        assertThat(stat("#gc-trace", "mmu-1000000")).isEqualTo("12.4%");
        assertThat(stat("#gc-trace", "mmu-10000000")).isEqualTo("50.7%");
        assertThat(stat("#gc-trace", "cycles")).isEqualTo("46");
    }

    @Test
    void taskTableOfTheRequestTasks() {
        open(scenarios);
        JsonNode u = scenarios.json().get("userTasks");
        List<List<String>> rows = browser.eval("return Array.from(document.querySelectorAll("
                + "'#user-tasks table[data-table=tasks] tr')).slice(1)"
                + ".map(tr => Array.from(tr.children).map(td => td.textContent))");
        List<List<String>> expected = new ArrayList<>();
        for (String kind : List.of("task", "region")) {
            for (JsonNode t : u.get(kind + "s")) {
                JsonNode d = t.get("durations");
                expected.add(List.of(kind, t.get("type").asText(), t.get("count").asText(),
                        t.get("incomplete").asText(),
                        time(d.get("p50Nanos").asLong()), time(d.get("p95Nanos").asLong()),
                        time(d.get("p99Nanos").asLong()), time(d.get("maxNanos").asLong())));
            }
        }
        assertThat(rows).isEqualTo(expected);
        // tracework's tasks scenario: "request" tasks with a "db" region inside, about 1 s of them
        assertThat(rows).anySatisfy(r -> assertThat(r.subList(0, 2)).containsExactly("task", "request"))
                .anySatisfy(r -> assertThat(r.subList(0, 2)).containsExactly("region", "db"));
        JsonNode request = u.get("tasks").get(0);
        assertThat(request.get("count").asInt()).isGreaterThan(20);
        // the slowest requests, longest first
        List<List<String>> slow = browser.eval("return Array.from(document.querySelectorAll("
                + "'#user-tasks table[data-table=slowest-0] tr')).slice(1)"
                + ".map(tr => Array.from(tr.children).map(td => td.textContent))");
        assertThat(slow).hasSize(request.get("slowest").size());
        assertThat(slow.get(0).get(0)).isEqualTo(request.get("slowest").get(0).get("id").asText());
        for (int i = 0; i < slow.size(); i++) {
            JsonNode s = request.get("slowest").get(i);
            assertThat(slow.get(i).subList(1, 4)).containsExactly("g" + s.get("goroutine").asText(),
                    time(s.get("startNanos").asLong() - scenarios.json().at("/overview/startNanos").asLong()),
                    time(s.get("durationNanos").asLong()));
            if (i > 0) {
                assertThat(s.get("durationNanos").asLong())
                        .isLessThanOrEqualTo(request.get("slowest").get(i - 1).get("durationNanos").asLong());
            }
        }
        browser.assertNoErrors();

        // a trace without tasks has no tasks section
        open(cpu127);
        assertThat(browser.element("#user-tasks").isDisplayed()).isFalse();
    }

    @Test
    void blockedThroughoutTable() {
        open(leaky);
        JsonNode groups = leaky.json().get("blockedThroughout");
        assertThat(groups.size()).as("leakprims' leaked goroutines").isPositive();
        assertThat(browser.element("#blocked").isDisplayed()).isTrue();
        List<Map<String, Object>> rows = browser.eval("return Array.from(document.querySelectorAll("
                + "'#blocked-table tbody tr'))"
                + ".map(tr => ({cells: Array.from(tr.children).map(td => td.textContent), title: tr.title}))");
        assertThat(rows).hasSize(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            JsonNode g = groups.get(i);
            @SuppressWarnings("unchecked")
            List<String> cells = (List<String>) rows.get(i).get("cells");
            assertThat(cells.get(0)).isEqualTo(g.get("goroutines").asText());
            if (g.get("sinceTraceStart").asInt() == g.get("goroutines").asInt()) {
                assertThat(cells.get(1)).isEqualTo("whole trace");
            } else {
                assertThat(cells.get(1)).endsWith(time(g.get("longestNanos").asLong()));
            }
            JsonNode site = g.get("frames").get(g.get("site").asInt());
            assertThat(cells.get(3)).isEqualTo(site.get("function").asText());
            assertThat(cells.get(4)).isEqualTo(site.get("file").asText() + ":" + site.get("line").asText());
            assertThat((String) rows.get(i).get("title")).contains(site.get("function").asText());
        }
        // the leaks leakprims makes on purpose are there, named by the function that blocked
        List<String> sites = rows.stream().map(r -> ((List<?>) r.get("cells")).get(3).toString()).toList();
        assertThat(sites).anySatisfy(s -> assertThat(s).startsWith("main."));
        browser.assertNoErrors();

        // where nothing stayed blocked the section says so instead of an empty table
        open(cpu127);
        assertThat(cpu127.json().get("blockedThroughout").size()).isZero();
        assertThat(browser.element("#blocked-note").getText()).startsWith("None:");
        assertThat(browser.element("#blocked-table").isDisplayed()).isFalse();
        browser.assertNoErrors();
    }

    @Test
    void nothingWiderThanALaptopWindow() {
        for (Page p : List.of(cpu127, cpu119, scenarios, leaky)) {
            open(p);
            assertThat(browser.evalNumber(OVERFLOW))
                    .as("page overflow at 1366 px").isLessThanOrEqualTo(0);
            // every table fits without its own scroll bar, every chart inside the window
            List<String> scrolling = texts("return Array.from(document.querySelectorAll('.table-wrap'))"
                    + ".filter(w => w.offsetParent !== null && w.scrollWidth > w.clientWidth + 1)"
                    + ".map(w => w.querySelector('table').id || w.querySelector('table').dataset.table)");
            assertThat(scrolling).as("tables scrolling sideways at 1366 px").isEmpty();
            List<Number> rights = browser.eval("return Array.from(document.querySelectorAll('svg.chart'))"
                    + ".map(s => s.getBoundingClientRect().right)");
            assertThat(rights).isNotEmpty().allSatisfy(r -> assertThat(r.doubleValue()).isLessThanOrEqualTo(1366));
            browser.assertNoErrors();
        }
        open(scenarios);
        browser.eval("window.scrollTo(0, 0)");
        shot("light-1366");
    }

    @Test
    void readableInAnEightHundredPixelWindow() {
        try {
            browser.driver().manage().window().setSize(new Dimension(800, 900));
            for (Page p : List.of(cpu127, scenarios)) {
                open(p);
                assertThat(browser.evalNumber(OVERFLOW))
                        .as("page overflow at 800 px").isLessThanOrEqualTo(0);
                double width = browser.evalNumber("return document.documentElement.clientWidth");
                List<List<Number>> charts = browser.eval("return Array.from(document.querySelectorAll('svg.chart'))"
                        + ".map(s => { const r = s.getBoundingClientRect(); return [r.left, r.right, r.width]; })");
                assertThat(charts).hasSizeGreaterThanOrEqualTo(3).allSatisfy(c -> {
                    assertThat(c.get(0).doubleValue()).isGreaterThanOrEqualTo(0);
                    assertThat(c.get(1).doubleValue()).isLessThanOrEqualTo(width);
                    assertThat(c.get(2).doubleValue()).isGreaterThan(300);
                });
                // the numbers on top wrap into the window
                List<Number> stats = browser.eval("return Array.from(document.querySelectorAll('dl.stats dd'))"
                        + ".map(d => d.getBoundingClientRect().right)");
                assertThat(stats).allSatisfy(r -> assertThat(r.doubleValue()).isLessThanOrEqualTo(width));
                browser.assertNoErrors();
            }
            browser.eval("window.scrollTo(0, 0)");
            shot("light-800");
        } finally {
            browser.driver().manage().window().setSize(new Dimension(1366, 900));
        }
    }

    private static String at(JsonNode frame) {
        return frame.get("function").asText() + " " + frame.get("file").asText() + ":" + frame.get("line").asText();
    }
}
