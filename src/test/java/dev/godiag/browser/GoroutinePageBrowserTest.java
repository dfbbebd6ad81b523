package dev.godiag.browser;

import dev.godiag.testutil.Browser;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The goroutine report page ({@code godiag goroutines -o x.html}) of leakysvc's five snapshots in a
 * real browser, checked against the ground truth the corpus README states for the seven leaks.
 */
class GoroutinePageBrowserTest {
    static Browser browser;

    @TempDir
    static Path dir;

    static Path page;
    static Path hostilePage;

    /** One leak of the corpus README's leakysvc table: goroutine function, the line where it blocks. */
    record Leak(String function, String blocksAt) {
    }

    /** The README's table, as it states it (count t0..t4: 0, 60, 120, 180, 185 for every one). */
    static final List<Leak> LEAKS = List.of(
            new Leak("main.leakRange.func1", "main.go:30"),
            new Leak("main.leakSend.func1", "main.go:43"),
            new Leak("main.leakSelect.func1", "main.go:55"),
            new Leak("main.leakNil.func1", "main.go:63"),
            new Leak("main.leakCtx.func1", "main.go:73"),
            new Leak("main.leakMutex.func1", "main.go:83"),
            new Leak("main.leakWG.func2", "main.go:94"));
    static final String COUNTS = "0 → 60 → 120 → 180 → 185";
    static final String SCRIPT = "main.<script>alert(1)</script>";
    static final String CREATOR = "main.</script><script>window.pwned=1</script>";
    static final String IMG_FILE = "/src/<img src=x onerror=\"window.pwned=2\">.go";
    static final String BOLD = "main.<b>bold</b>&amp;\u2028sep";

    @BeforeAll
    static void up() throws IOException {
        List<String> args = new ArrayList<>(List.of("goroutines", "-o"));
        page = dir.resolve("leakysvc.html");
        args.add(page.toString());
        for (int t = 0; t <= 4; t++) {
            args.add(Corpus.file("go1.27/leakysvc/goroutine.t" + t + ".debug2.txt").toString());
        }
        Pages.godiag(page, args.toArray(String[]::new));

        Path dump = dir.resolve("hostile.debug2.txt");
        Files.writeString(dump, """
                goroutine 7 [chan receive (nil chan), 12 minutes]:
                %s(0x1)
                \t%s:30 +0x25
                created by %s in goroutine 1
                \t/src/main.go:12 +0x33

                goroutine 8 [select (no cases)]:
                %s(...)
                \t/src/evil&.go:55 +0x25
                created by main.main in goroutine 1
                \t/src/main.go:13 +0x33

                goroutine 1 [running]:
                main.main()
                \t/src/main.go:20 +0x1

                goroutine 9 [chan send]:
                main.cut<u>x</u>(...)
                """.formatted(SCRIPT, IMG_FILE, CREATOR, BOLD), StandardCharsets.UTF_8);
        hostilePage = dir.resolve("hostile.html");
        Pages.godiag(hostilePage, "goroutines", "--format", "html", "-o", hostilePage.toString(), dump.toString());
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

    /** The table's rows as shown: function, verdict, count cell, sparkline label, blocked-at title. */
    private static List<Map<String, String>> rows() {
        return browser.eval("return Array.from(document.querySelectorAll('#buckets tbody tr.bucket')).map(tr => ({"
                + "fn: tr.getAttribute('data-function'), verdict: tr.getAttribute('data-verdict'), verdictText: tr.querySelector('td.verdict').textContent,"
                + "count: tr.querySelector('td.count').textContent,"
                + "counts: (tr.querySelector('td.counts svg') || {getAttribute: () => null}).getAttribute('aria-label'),"
                + "change: (tr.querySelector('td.change') || {}).textContent,"
                + "blocked: tr.querySelector('td.blocked').title || tr.querySelector('td.blocked').textContent,"
                + "index: tr.getAttribute('data-index')}))");
    }

    private static Map<String, String> row(List<Map<String, String>> rows, String fn) {
        List<Map<String, String>> found = rows.stream().filter(r -> fn.equals(r.get("fn"))).toList();
        assertThat(found).as("rows of %s", fn).hasSize(1);
        return found.get(0);
    }

    @Test
    void listsTheSevenLeaksOfTheReadmeWithTheirCountsAndLines() {
        open(page);
        browser.assertNoErrors();
        assertThat(browser.element("#title").getText()).isEqualTo("Goroutines: 1298");
        List<Map<String, String>> rows = rows();
        for (Leak leak : LEAKS) {
            Map<String, String> r = row(rows, leak.function());
            assertThat(r.get("verdict")).as(leak.function()).endsWith("-leak");
            assertThat(r.get("verdictText")).as(leak.function()).endsWith(r.get("verdict"));
            assertThat(r.get("count")).as(leak.function()).isEqualTo("185");
            assertThat(r.get("counts")).as(leak.function()).isEqualTo(COUNTS);
            assertThat(r.get("change")).as(leak.function()).isEqualTo("only grows");
            assertThat(r.get("blocked")).as(leak.function())
                    .isEqualTo("example.com/shop/leakysvc/" + leak.blocksAt());
        }
        // the README's "not leaks"
        assertThat(row(rows, "main.main").get("verdict")).doesNotEndWith("-leak");
        assertThat(rows.stream().filter(r -> r.get("verdict").endsWith("-leak")).map(r -> r.get("fn")))
                .containsExactlyInAnyOrderElementsOf(LEAKS.stream().map(Leak::function).toList());
        // the header: snapshot totals and the verdict chips with their counts
        assertThat(browser.<List<String>>eval("return Array.from(document.querySelectorAll('#snapshots li'))"
                + ".map(li => li.querySelector('.total').textContent)"))
                .containsExactly("3 goroutines", "423 goroutines", "843 goroutines", "1263 goroutines",
                        "1298 goroutines");
        // the two leak chips together: 7 buckets of 185 goroutines
        long goroutines = 0;
        long buckets = 0;
        for (String v : List.of("definite-leak", "likely-leak")) {
            String chip = browser.element("#verdict-toggles button[data-verdict='" + v + "']").getText();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(v + " (\\d+) in (\\d+) buckets?").matcher(chip);
            assertThat(m.matches()).as(chip).isTrue();
            goroutines += Long.parseLong(m.group(1));
            buckets += Long.parseLong(m.group(2));
        }
        assertThat(goroutines).isEqualTo(7 * 185);
        assertThat(buckets).isEqualTo(7);
        assertThat(browser.element("#warnings").isDisplayed()).isFalse();
    }

    @Test
    void clickingARowShowsItsStackAndTheBlockingLine() {
        open(page);
        String index = row(rows(), "main.leakRange.func1").get("index");
        WebElement tr = browser.element("#buckets tr.bucket[data-index='" + index + "']");
        browser.click(tr.findElement(org.openqa.selenium.By.cssSelector("td.function")), 10, 6);
        browser.waitFor("document.querySelector('#buckets tr.details[data-index=\"" + index + "\"]')");
        assertThat(browser.element("#buckets tr.bucket[data-index='" + index + "']").getAttribute("aria-expanded"))
                .isEqualTo("true");
        WebElement details = browser.element("#buckets tr.details[data-index='" + index + "']");
        assertThat(details.isDisplayed()).isTrue();
        String text = details.getText();
        assertThat(text).contains("main.leakRange.func1", "example.com/shop/leakysvc/main.go:30",
                "created by", "main.leakRange", COUNTS);
        assertThat(details.findElement(org.openqa.selenium.By.cssSelector(".reason")).getText())
                .contains("main.go:30");
        List<String> blocked = browser.eval("return Array.from(arguments[0].querySelectorAll('ol.stack li.blocked'))"
                + ".map(li => li.textContent)", details);
        assertThat(blocked).singleElement().asString()
                .contains("main.leakRange.func1").contains("example.com/shop/leakysvc/main.go:30");
        assertThat(details.findElement(org.openqa.selenium.By.cssSelector("dd.ids")).getText()).matches("\\d+(, \\d+)*.*");

        // the keyboard closes it again: the row has the focus after the click
        assertThat(browser.<Object>eval("return document.activeElement.getAttribute('data-index')")).isEqualTo(index);
        browser.actions().sendKeys(Keys.ENTER).perform();
        browser.waitFor("!document.querySelector('#buckets tr.details')");
        assertThat(browser.element("#buckets tr.bucket[data-index='" + index + "']").getAttribute("aria-expanded"))
                .isEqualTo("false");
        browser.assertNoErrors();
    }

    @Test
    void theRegexFilterNarrowsTheRows() {
        open(page);
        int all = rows().size();
        assertThat(all).isEqualTo(11);
        WebElement filter = browser.element("#filter");
        filter.click();
        filter.sendKeys("leak(range|send)\\.func");
        browser.waitFor("document.querySelectorAll('#buckets tbody tr.bucket').length === 2");
        assertThat(rows().stream().map(r -> r.get("fn")))
                .containsExactlyInAnyOrder("main.leakRange.func1", "main.leakSend.func1");
        assertThat(browser.element("#filter-result").getText()).startsWith("2 of 11 buckets");
        // files too: main.go:94 is only the WaitGroup leak's line
        filter.clear();
        filter.sendKeys("main\\.go:94", Keys.ENTER);
        browser.waitFor("document.querySelectorAll('#buckets tbody tr.bucket').length === 1");
        assertThat(rows().get(0).get("fn")).isEqualTo("main.leakWG.func2");
        // a bad regex is flagged and changes nothing
        filter.sendKeys("(", Keys.ENTER);
        browser.waitFor("document.getElementById('filter').classList.contains('invalid')");
        assertThat(rows()).hasSize(1);
        browser.assertNoErrors();
    }

    @Test
    void theVerdictToggleHidesBenignRows() {
        open(page);
        assertThat(rows().stream().filter(r -> r.get("verdict").equals("benign"))).hasSize(3);
        WebElement benign = browser.element("#verdict-toggles button[data-verdict='benign']");
        browser.click(benign, 8, 8);
        browser.waitFor("document.querySelectorAll('#buckets tbody tr.bucket').length === 8");
        assertThat(benign.getAttribute("aria-pressed")).isEqualTo("false");
        assertThat(rows()).noneMatch(r -> r.get("verdict").equals("benign"));
        // and back, from the keyboard
        benign.sendKeys(Keys.SPACE);
        browser.waitFor("document.querySelectorAll('#buckets tbody tr.bucket').length === 11");
        browser.assertNoErrors();
    }

    @Test
    void sortingByCountPutsTheLargestFirst() {
        open(page);
        browser.element("#buckets th[data-sort='count'] button").click();
        assertThat(browser.element("#buckets th[data-sort='count']").getAttribute("aria-sort")).isEqualTo("descending");
        List<Long> counts = rows().stream().map(r -> Long.parseLong(r.get("count"))).toList();
        assertThat(counts).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        browser.element("#buckets th[data-sort='count'] button").click();
        assertThat(rows().stream().map(r -> Long.parseLong(r.get("count"))).toList()).isSorted();
        browser.assertNoErrors();
    }

    @Test
    void hostileNamesAreTextAndNothingRuns() {
        open(hostilePage);
        browser.assertNoErrors();
        assertThat(browser.<Object>eval("return window.pwned")).isNull();
        assertThat(browser.<Number>eval("return document.querySelectorAll('script').length").longValue())
                .as("only the page's two script elements").isEqualTo(2);
        assertThat(browser.<Number>eval("return document.querySelectorAll('img, b, u').length").longValue()).isZero();
        List<Map<String, String>> rows = rows();
        assertThat(rows.stream().map(r -> r.get("fn"))).contains(SCRIPT, BOLD);
        Map<String, String> r = row(rows, SCRIPT);
        assertThat(r.get("blocked")).isEqualTo(IMG_FILE + ":30");
        for (Map<String, String> each : rows) {
            browser.eval("window.godiag.toggle(Number(arguments[0]))", each.get("index"));
        }
        browser.waitFor("document.querySelectorAll('#buckets tr.details').length === " + rows.size());
        String text = browser.eval("return document.querySelector('#buckets tbody').textContent");
        assertThat(text).contains(SCRIPT, CREATOR, IMG_FILE, BOLD);
        // the dump is cut inside a frame: the warning, hostile text included, is at the bottom as text
        assertThat(browser.element("#warnings").isDisplayed()).isTrue();
        assertThat(browser.<String>eval("return document.querySelector('#warnings ul').textContent"))
                .contains("input ends inside a frame of goroutine 9");
        assertThat(browser.<Object>eval("return window.pwned")).isNull();
        assertThat(browser.<Number>eval("return document.querySelectorAll('script').length").longValue()).isEqualTo(2);
        assertThat(browser.<Number>eval("return document.querySelectorAll('img, b, u').length").longValue()).isZero();
        browser.assertNoErrors();
    }
}
