package dev.godiag.browser;

import dev.godiag.model.ProfileBuilder;
import dev.godiag.testutil.Browser;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Function names are untrusted (they come from profiles and traces): whatever they contain, the
 * page shows them as text and runs none of it.
 */
class HostileNamesBrowserTest {
    static Browser browser;

    @TempDir
    static Path dir;

    static final String SCRIPT = "</script><script>window.pwned=1</script>";
    static final String IMG = "<img src=x onerror=\"window.pwned=2\">";
    static final String QUOTES = "main.\"quoted\" 'single' `back` &amp; <b>bold</b> \\u003c";
    static final String RTL = "main.\u202eevil\u202c.handler";
    static final String SEPARATORS = "main.sep\u2028line\u2029para";
    static final String HUGE = "main." + "x".repeat(10_000);
    static final List<String> NAMES = List.of(SCRIPT, IMG, QUOTES, RTL, SEPARATORS, HUGE);

    static final String EVIL_FILE = "<evil onerror=\"window.pwned=3\">.go";

    static Path page;
    static Path tracePage;

    @BeforeAll
    static void up() throws IOException {
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("samples", "count");
        int main = b.addFunction(1, "main.main", "main.main", "main.go", 1);
        int id = 2;
        for (String name : NAMES) {
            // no system name: a name chosen by the profiler is shown as it is (pprof would simplify
            // a name equal to its system name that looks like demangled C++, e.g. drop its "<...>")
            int f = b.addFunction(id, name, "", "<evil onerror=\"window.pwned=3\">.go", 1);
            b.addLine(f, 3, 0);
            int leaf = b.endLocation(id, -1, 0x10L * id, false);
            b.addLine(main, 7, 0);
            int root = b.endLocation(100 + id, -1, 0x1000L + id, false);
            b.addSampleLocation(leaf);
            b.addSampleLocation(root);
            b.endSample(10 + id);
            id++;
        }
        Path in = Pages.writeProfile(dir, "hostile.pb.gz", b.build());
        browser = Browser.start();
        page = Pages.flame(dir, "hostile.html", in);
        // a real trace whose string table names its goroutines' start function and the mutex's Lock
        // with markup: the trace page's groups and waits tables show those names
        byte[] trace = TraceStrings.rename(Files.readAllBytes(Corpus.file("go1.27/cpuwork/trace.out")), Map.of(
                "main.main.func2", SCRIPT, "sync.(*Mutex).Lock", IMG, "sync/mutex.go", EVIL_FILE,
                "sync.(*Mutex).Unlock", QUOTES));
        Path traceIn = dir.resolve("hostile.trace");
        Files.write(traceIn, trace);
        tracePage = dir.resolve("hostile-trace.html");
        Pages.godiag(tracePage, "trace", "--format", "html", "-o", tracePage.toString(), traceIn.toString());
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
    }

    private void assertNothingRan() {
        assertThat(browser.<Object>eval("return window.pwned")).isNull();
        assertThat(browser.<Number>eval("return document.querySelectorAll('img').length").longValue()).isZero();
        assertThat(browser.<Number>eval("return document.querySelectorAll('script').length").longValue())
                .as("only the page's two script elements").isEqualTo(2);
        assertThat(browser.<Number>eval("return document.querySelectorAll('b, evil').length").longValue()).isZero();
        browser.assertNoErrors();
    }

    @Test
    void namesAreTextInTheTooltipAndNothingRuns() {
        browser.open(page);
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
        assertNothingRan();
        for (String name : NAMES) {
            List<Number> nodes = browser.eval("return window.godiag.find(arguments[0])", name);
            assertThat(nodes).as("nodes of %s", name.length() > 60 ? name.substring(0, 60) : name).hasSize(1);
            Pages.hoverNode(browser, nodes.get(0).longValue());
            List<String> lines = Pages.tooltipLines(browser);
            if (name == HUGE) {
                // cut after 400 characters, with the length said
                assertThat(lines.get(0)).startsWith(name.substring(0, 400)).contains("(" + name.length() + " chars)");
                assertThat(lines.get(0).length()).isLessThan(500);
            } else {
                assertThat(lines.get(0)).isEqualTo(name);
            }
            assertThat(lines).contains("file: <evil onerror=\"window.pwned=3\">.go:3");
        }
        // breadcrumbs of a zoomed hostile node are text too
        long img = browser.<List<Number>>eval("return window.godiag.find(arguments[0])", IMG).get(0).longValue();
        Pages.clickNode(browser, img);
        browser.waitFor("window.godiag.state().zoom === " + img);
        assertThat(browser.<String>eval("return document.querySelector('#breadcrumbs button[aria-current=true]').textContent"))
                .isEqualTo(IMG);
        assertNothingRan();
    }

    @Test
    void namesFromATraceAreTextOnTheTracePage() {
        browser.open(tracePage);
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
        assertNothingRan();
        List<String> groups = browser.eval("return Array.from(document.querySelectorAll("
                + "'#groups-table tr.group td.fn'),"
                + " td => td.textContent)");
        assertThat(groups).contains(SCRIPT);
        assertThat(browser.<String>eval("return document.querySelector('#groups-table tr.group td.fn').title"))
                .isEqualTo(SCRIPT);
        List<String> waits = browser.eval("return Array.from(document.querySelectorAll('#waits-table td.fn'),"
                + " td => td.textContent)");
        assertThat(waits).contains(IMG + " " + EVIL_FILE + ":46", QUOTES + " " + EVIL_FILE + ":65");
        // the scheduler latency's "where" names the first frame outside the runtime
        List<String> where = browser.eval("return Array.from(document.querySelectorAll("
                + "'#sched-latency table[data-table=made-runnable] td.fn'), td => td.textContent)");
        assertThat(where).contains(QUOTES + " (" + EVIL_FILE + ":65)");
        assertNothingRan();
    }

    @Test
    void namesAreTextInTheTopTableAndTheSandwichTitle() {
        browser.open(page);
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
        new Select(browser.element("#view")).selectByValue("table");
        browser.waitFor("document.querySelectorAll('#top-table tbody tr').length > 0");
        List<String> cells = browser.eval("return Array.from(document.querySelectorAll('#top-table td.name'), td => td.textContent)");
        assertThat(cells).containsAll(NAMES).contains("main.main");
        // the search filters the table with the name as a regex: a literal search for the script name
        browser.element("#search").click();
        browser.actions().sendKeys("pwned=1").perform();
        browser.waitFor("document.querySelectorAll('#top-table tbody tr').length === 1");
        assertThat(browser.<String>eval("return document.querySelector('#top-table td.name').textContent")).isEqualTo(SCRIPT);
        browser.element("#top-table tbody tr").click();
        browser.waitFor("window.godiag.state().view === 'sandwich'");
        assertThat(browser.<String>eval("return window.godiag.state().sandwich")).isEqualTo(SCRIPT);
        assertThat(browser.<String>eval("return document.getElementById('sandwich-title').textContent")).contains(SCRIPT);
        Map<String, Object> st = browser.eval("return window.godiag.state()");
        assertThat(st).containsEntry("view", "sandwich");
        assertNothingRan();
    }
}
