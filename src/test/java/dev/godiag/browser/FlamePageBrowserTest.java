package dev.godiag.browser;

import com.fasterxml.jackson.databind.JsonNode;
import dev.godiag.testutil.Browser;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.godiag.browser.Pages.d;
import static dev.godiag.browser.Pages.pct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The flame page of a real CPU profile in a real browser, checked the way a Go engineer would:
 * against the numbers the real pprof prints for the same file.
 */
class FlamePageBrowserTest {
    static Browser browser;

    @TempDir
    static Path dir;

    static Path cpu;
    static Path cpuPage;

    @BeforeAll
    static void up() {
        cpu = Corpus.file("go1.27/cpuwork/cpu.pprof");
        browser = Browser.start();
        cpuPage = Pages.flame(dir, "cpu.html", cpu);
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
    }

    private static void openCpu() {
        browser.open(cpuPage);
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
    }

    /** A function of the profile that is exactly one node of the tree (so its node total is its cum). */
    private static String singleNodeFunction(String... candidates) {
        for (String c : candidates) {
            List<?> nodes = browser.eval("return window.godiag.find(arguments[0])", c);
            if (nodes.size() == 1) {
                return c;
            }
        }
        throw new AssertionError("none of " + List.of(candidates) + " is a single node");
    }

    private static long node(String function) {
        List<Number> nodes = browser.eval("return window.godiag.find(arguments[0])", function);
        assertThat(nodes).as("nodes of %s", function).isNotEmpty();
        return nodes.get(0).longValue();
    }

    private static Pages.TopRow row(List<Pages.TopRow> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in pprof's rows"));
    }

    @Test
    void loadsAndDrawsWithoutErrors() {
        openCpu();
        double ms = browser.evalNumber("return window.godiag.firstRenderMs");
        assertThat(ms).isPositive();
        long nonWhite = browser.<Number>eval("var c = document.getElementById('flame');"
                + "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;"
                + "for (var k = 0; k < d.length; k += 4) if (d[k] !== 255 || d[k + 1] !== 255 || d[k + 2] !== 255) n++;"
                + "return n;").longValue();
        assertThat(nonWhite).as("non-white canvas pixels").isPositive();
        assertThat(browser.element("#title").getText()).contains("cpu.pprof");
        assertThat(browser.<List<?>>eval("return Array.from(document.querySelectorAll('#breadcrumbs button'))"))
                .hasSize(1);
        browser.assertNoErrors();
    }

    @Test
    void hoverShowsPprofsCumOfTheFunction() {
        openCpu();
        String fn = singleNodeFunction("main.validate", "main.handle");
        Pages.TopRow expected = row(Pages.pprofTop(cpu, "-cum"), fn);

        Pages.hoverNode(browser, node(fn));
        List<String> lines = Pages.tooltipLines(browser);
        assertThat(lines.get(0)).isEqualTo(fn);
        String total = lines.get(1);
        assertThat(total).startsWith("total: " + expected.cum() + " (").endsWith(" of root)");
        assertThat(pct(total)).isCloseTo(pct(expected.cumPct()), within(0.005));
        String self = lines.get(2);
        assertThat(self).startsWith("self: " + expected.flat() + " (");
        assertThat(pct(self)).isCloseTo(pct(expected.flatPct()), within(0.005));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("file: ").contains(".go"));
        assertThat(lines).contains("kind: own");

        // the mouse leaves the canvas: the tooltip goes
        browser.hover(browser.element("#title"), 2, 2);
        browser.waitFor("document.getElementById('tooltip').hidden");
        browser.assertNoErrors();
    }

    @Test
    void clickZoomsAndTheRootCrumbGoesBack() {
        openCpu();
        String fn = singleNodeFunction("main.validate", "main.handle");
        long i = node(fn);
        Pages.clickNode(browser, i);
        browser.waitFor("window.godiag.state().zoom === " + i);

        List<Map<String, String>> crumbs = browser.eval("return Array.from(document.querySelectorAll('#breadcrumbs button'))"
                + ".map(b => ({text: b.textContent, node: b.getAttribute('data-node'), current: b.getAttribute('aria-current')}))");
        assertThat(crumbs.size()).isGreaterThan(1);
        assertThat(crumbs.get(0)).containsEntry("text", "all").containsEntry("node", "0");
        assertThat(crumbs.get(crumbs.size() - 1)).containsEntry("text", fn)
                .containsEntry("node", String.valueOf(i)).containsEntry("current", "true");

        Map<String, Number> r = Pages.rect(browser, i);
        double width = browser.evalNumber("return document.getElementById('flame').clientWidth");
        assertThat(d(r, "x")).isEqualTo(0.0);
        assertThat(d(r, "w")).isCloseTo(width, within(0.5));
        // and it is drawn there: the tooltip of a point near the right edge of its row is it
        Pages.mouseAt(browser, width - 5, d(r, "y") + 8);
        browser.waitFor("!document.getElementById('tooltip').hidden");
        assertThat(Pages.tooltipLines(browser).get(0)).isEqualTo(fn);

        WebElement root = browser.element("#breadcrumbs button");
        browser.actions().moveToElement(root).click().perform();
        browser.waitFor("window.godiag.state().zoom === 0");
        assertThat(browser.<List<?>>eval("return Array.from(document.querySelectorAll('#breadcrumbs button'))"))
                .hasSize(1);
        assertThat(d(Pages.rect(browser, i), "w")).isLessThan(width);
        browser.assertNoErrors();
    }

    @Test
    void searchShowsTheShareOfPprofsFocus() {
        openCpu();
        // the page's search is case-insensitive; pprof's -focus is made so with (?i)
        String[] focus = Pages.pprofShowing(cpu, "-focus=(?i)regexp|json");
        WebElement search = browser.element("#search");
        search.click();
        browser.actions().sendKeys("regexp|json").perform();
        browser.waitFor("window.godiag.state().search === 'regexp|json'"
                + " && document.getElementById('search-result').textContent !== ''");
        String result = browser.element("#search-result").getText();
        assertThat(result).startsWith("matched: ").endsWith(" (" + focus[0] + ")");
        assertThat(pct(result)).isCloseTo(Double.parseDouble(focus[1]), within(0.005));
        assertThat(browser.evalNumber("return window.godiag.state().matched"))
                .isEqualTo(browser.evalNumber("return " + focusNs(focus[0])));

        // an invalid regex: a message, no exception
        browser.actions().keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).sendKeys(Keys.BACK_SPACE)
                .sendKeys("(").perform();
        browser.waitFor("window.godiag.state().search === '('");
        WebElement out = browser.element("#search-result");
        assertThat(out.getText()).startsWith("invalid regex: ");
        assertThat(out.getAttribute("class")).contains("error");
        assertThat(browser.<Object>eval("return window.godiag.state().matched")).isNull();

        // emptied: no result, no highlight
        browser.actions().sendKeys(Keys.BACK_SPACE).perform();
        browser.waitFor("window.godiag.state().search === ''");
        assertThat(browser.element("#search-result").getText()).isEmpty();
        browser.assertNoErrors();
    }

    /** "250ms" -> nanoseconds (the profile's unit). */
    private static long focusNs(String v) {
        var m = java.util.regex.Pattern.compile("([0-9.]+)(ns|us|ms|s)").matcher(v);
        assertThat(m.matches()).as(v).isTrue();
        double f = switch (m.group(2)) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            default -> 1e9;
        };
        return Math.round(Double.parseDouble(m.group(1)) * f);
    }

    @Test
    void sandwichFromTheContextMenuAndCtrlClick() {
        openCpu();
        String fn = singleNodeFunction("main.validate", "main.handle");
        Pages.contextClickNode(browser, node(fn));
        browser.waitFor("!document.getElementById('context-menu').hidden");
        browser.element("#context-menu button[data-action=sandwich]").click();
        browser.waitFor("window.godiag.state().sandwich === '" + fn + "'");
        assertThat(browser.<String>eval("return window.godiag.state().view")).isEqualTo("sandwich");
        assertThat(browser.element("#sandwich-title").getText()).contains(fn);
        assertThat(new Select(browser.element("#view")).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("sandwich");

        // ctrl-click in the flame graph
        openCpu();
        long h = node("main.handle");
        Pages.clickNode(browser, h, Keys.CONTROL);
        browser.waitFor("window.godiag.state().sandwich === 'main.handle'");
        assertThat(browser.evalNumber("return window.godiag.state().zoom")).isZero();
        browser.assertNoErrors();
    }

    /**
     * pprof's large test profile (23k locations, stacks 60 frames deep through main.next calling
     * itself through closures): the page opens as an icicle with the root in view, and merging
     * recursion folds each function met again below itself into its outer box, keeping every total.
     */
    @Test
    void aDeepProfileOpensAtItsRootAndCanMergeRecursion() {
        Path page = Pages.flame(dir, "large.html", Corpus.file("upstream/pprof/internal_proftest__large.cpu"));
        browser.open(page);
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
        assertThat(browser.<String>eval("return window.godiag.state().orientation")).isEqualTo("icicle");
        assertThat(d(Pages.rect(browser, 0), "y")).as("the root row on top").isZero();
        Map<String, Number> before = browser.eval("return window.godiag.treeStats()");
        assertThat(d(before, "depth") * 18).as("taller than the window").isGreaterThan(Browser.HEIGHT);
        assertThat(browser.element("#merge-recursion-box").isDisplayed()).isTrue();
        assertThat(browser.<Object>eval("return window.godiag.recursion() && window.godiag.consistent()"))
                .isEqualTo(true);

        browser.element("#merge-recursion").click();
        browser.waitFor("window.godiag.state().mergeRecursion");
        Map<String, Number> merged = browser.eval("return window.godiag.treeStats()");
        assertThat(d(merged, "nodes")).isLessThan(d(before, "nodes"));
        assertThat(d(merged, "depth")).isLessThan(d(before, "depth"));
        assertThat(d(merged, "total")).isEqualTo(d(before, "total"));
        // no function is below itself any more, and every node is its self plus its children
        assertThat(browser.<Object>eval("return window.godiag.consistent()")).isEqualTo(true);
        assertThat(browser.<Object>eval("return window.godiag.recursion()")).isEqualTo(false);

        browser.element("#merge-recursion").click();
        browser.waitFor("!window.godiag.state().mergeRecursion");
        assertThat(browser.<Map<String, Number>>eval("return window.godiag.treeStats()")).isEqualTo(before);
        browser.assertNoErrors();
    }

    @Test
    void icicleToggleMovesTheRootToTheTop() {
        openCpu();
        assertThat(browser.<String>eval("return window.godiag.state().orientation")).isEqualTo("flame");
        double height = browser.evalNumber("return document.getElementById('flame').clientHeight");
        Map<String, Number> root = Pages.rect(browser, 0);
        assertThat(d(root, "y")).as("flame: root row at the bottom").isGreaterThan(height - 2 * 18);
        assertThat(browser.element("#orientation").getText()).startsWith("Flame");

        browser.element("#orientation").click();
        browser.waitFor("window.godiag.state().orientation === 'icicle'");
        browser.waitFor("window.godiag.rectOf(0) && window.godiag.rectOf(0).y === 0");
        assertThat(browser.element("#orientation").getText()).startsWith("Icicle");
        // the drawing follows: hovering the top row shows the root
        Pages.mouseAt(browser, 30, 8);
        browser.waitFor("!document.getElementById('tooltip').hidden");
        assertThat(Pages.tooltipLines(browser).get(0)).isEqualTo("all");

        browser.element("#orientation").click();
        browser.waitFor("window.godiag.state().orientation === 'flame'");
        browser.assertNoErrors();
    }

    @Test
    void topTableRowsArePprofsRows() {
        openCpu();
        new Select(browser.element("#view")).selectByValue("table");
        browser.waitFor("document.querySelectorAll('#top-table tbody tr').length > 0");
        assertThat(browser.element("#top-table th[data-sort=flat]").getAttribute("aria-sort")).isEqualTo("descending");
        assertRows(Pages.pprofTop(cpu), false);

        browser.element("#top-table th[data-sort=cum]").click();
        browser.waitFor("document.querySelector('#top-table th[data-sort=cum]').getAttribute('aria-sort') === 'descending'");
        assertRows(Pages.pprofTop(cpu, "-cum"), true);

        // a row opens the sandwich view of its function
        String first = browser.element("#top-table tbody tr td.name").getText();
        browser.element("#top-table tbody tr").click();
        browser.waitFor("window.godiag.state().sandwich === " + jsString(first));
        browser.assertNoErrors();
    }

    private static String jsString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * The table's first rows are pprof's first rows: the same sort values in the same order, and
     * for each function pprof's own values. Functions tied on the sort value may come in another
     * order than pprof's (see {@link #topTableBreaksTiesAsPprof}).
     */
    private static void assertRows(List<Pages.TopRow> pprof, boolean byCum) {
        int n = 12;
        List<List<String>> rows = pageRows(n);
        Map<String, Pages.TopRow> byName = new java.util.HashMap<>();
        pprof.forEach(r -> byName.put(r.name(), r));
        for (int k = 0; k < n; k++) {
            List<String> page = rows.get(k);
            Pages.TopRow want = byName.get(page.get(5));
            String at = "row " + k + ": page " + page + ", pprof " + want + ", pprof's row " + pprof.get(k);
            assertThat(want).as(at).isNotNull();
            assertThat(page.get(byCum ? 3 : 0)).as(at).isEqualTo(byCum ? pprof.get(k).cum() : pprof.get(k).flat());
            assertThat(page.get(0)).as(at).isEqualTo(want.flat());
            assertThat(page.get(3)).as(at).isEqualTo(want.cum());
            // percentages: as pprof prints them, except zero, which pprof prints "0%" and the page
            // "0.00%" (a known difference, see the report): those are compared as numbers
            assertPct(page.get(1), want.flatPct(), at);
            assertPct(page.get(4), want.cumPct(), at);
            if (!byCum) {
                assertPct(page.get(2), pprof.get(k).sumPct(), at);
            }
        }
    }

    private static List<List<String>> pageRows(int n) {
        List<List<String>> rows = browser.eval("return Array.from(document.querySelectorAll('#top-table tbody tr'))"
                + ".slice(0, arguments[0]).map(tr => Array.from(tr.children, td => td.textContent))", n);
        assertThat(rows).hasSize(n);
        return rows;
    }

    /**
     * pprof -top orders functions of equal flat by name (FlatNameOrder), and -top -cum those of
     * equal cum by name, then flat (CumNameOrder): in cpu.pprof
     * crypto/internal/fips140/sha256.blockSHANI (20ms flat, 20ms cum) comes before
     * regexp/syntax.(*compiler).inst (20ms, 30ms). The table's whole order is pprof's.
     */
    @Test
    void topTableBreaksTiesAsPprof() {
        openCpu();
        new Select(browser.element("#view")).selectByValue("table");
        browser.waitFor("document.querySelectorAll('#top-table tbody tr').length > 0");
        List<Pages.TopRow> flat = Pages.pprofTop(cpu);
        assertThat(pageRows(15).stream().map(r -> r.get(5)).toList())
                .isEqualTo(flat.subList(0, 15).stream().map(Pages.TopRow::name).toList());
        browser.element("#top-table th[data-sort=cum]").click();
        browser.waitFor("document.querySelector('#top-table th[data-sort=cum]').getAttribute('aria-sort') === 'descending'");
        List<Pages.TopRow> cum = Pages.pprofTop(cpu, "-cum");
        assertThat(pageRows(30).stream().map(r -> r.get(5)).toList())
                .isEqualTo(cum.subList(0, 30).stream().map(Pages.TopRow::name).toList());
    }

    private static void assertPct(String page, String pprof, String at) {
        if (pct(pprof) == 0) {
            assertThat(pct(page)).as(at).isZero();
        } else {
            assertThat(page).as(at).isEqualTo(pprof);
        }
    }

    @Test
    void heapProfileSwitchesSampleTypeAndShowsBytes() {
        Path heap = Corpus.file("go1.19/cpuwork/heap.pprof");
        Path page = Pages.flame(dir, "heap.html", heap);
        JsonNode data = Pages.data(page);
        int alloc = -1;
        int inuse = -1;
        for (int k = 0; k < data.get("types").size(); k++) {
            String n = data.get("types").get(k).get("name").asText();
            if (n.equals("alloc_space")) {
                alloc = k;
            } else if (n.equals("inuse_space")) {
                inuse = k;
            }
        }
        assertThat(alloc).isNotNegative();
        browser.open(page);
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
        // pprof's default for a heap profile is inuse_space
        assertThat(browser.evalNumber("return window.godiag.state().type")).isEqualTo(inuse);

        new Select(browser.element("#type")).selectByValue(String.valueOf(alloc));
        browser.waitFor("window.godiag.state().type === " + alloc);

        List<Pages.TopRow> rows = Pages.pprofTop(heap, "-cum", "-sample_index=alloc_space", "-unit=MB");
        Pages.TopRow pick = null;
        for (Pages.TopRow r : rows) {
            List<?> nodes = browser.eval("return window.godiag.find(arguments[0])", r.name());
            if (r.name().startsWith("main.") && nodes.size() == 1 && r.cum().endsWith("MB")) {
                pick = r;
                break;
            }
        }
        assertThat(pick).as("a main function with one node and at least 1MB").isNotNull();
        Pages.hoverNode(browser, node(pick.name()));
        List<String> lines = Pages.tooltipLines(browser);
        assertThat(lines.get(0)).isEqualTo(pick.name());
        assertThat(lines.get(1)).startsWith("total: " + pick.cum() + " (");
        assertThat(pct(lines.get(1))).isCloseTo(pct(pick.cumPct()), within(0.005));

        // back to inuse_space: kB-sized values, as pprof prints them with -unit=kB
        new Select(browser.element("#type")).selectByValue(String.valueOf(inuse));
        browser.waitFor("window.godiag.state().type === " + inuse);
        List<Pages.TopRow> inuseRows = Pages.pprofTop(heap, "-cum", "-sample_index=inuse_space", "-unit=kB");
        Pages.TopRow small = null;
        for (Pages.TopRow r : inuseRows) {
            List<?> nodes = browser.eval("return window.godiag.find(arguments[0])", r.name());
            double kb = Double.parseDouble(r.cum().replace("kB", ""));
            if (nodes.size() == 1 && kb >= 1 && kb < 1024) {
                small = r;
                break;
            }
        }
        assertThat(small).as("a function with one node below 1MB in use").isNotNull();
        Pages.hoverNode(browser, node(small.name()));
        lines = Pages.tooltipLines(browser);
        assertThat(lines.get(0)).isEqualTo(small.name());
        assertThat(lines.get(1)).startsWith("total: " + small.cum() + " (");
        browser.assertNoErrors();
        assertThat(browser.driver().findElements(By.cssSelector("#tag-filter"))).isEmpty();
    }

    /** Runtime functions in the top table say what they stand for (the runtime-frame table). */
    @Test
    void runtimeFunctionsExplainThemselvesInTheTable() {
        openCpu();
        String why = browser.eval("var c = Array.from(document.querySelectorAll('#top-table td.name'))"
                + ".find(td => td.textContent === 'runtime.mallocgc'); return c ? c.getAttribute('data-why') : null;");
        assertThat(why).isNotNull().containsIgnoringCase("alloc");
        String own = browser.eval("var c = Array.from(document.querySelectorAll('#top-table td.name'))"
                + ".find(td => td.textContent === 'main.fib'); return c.getAttribute('data-why');");
        assertThat(own).isNull();
        browser.assertNoErrors();
    }
}
