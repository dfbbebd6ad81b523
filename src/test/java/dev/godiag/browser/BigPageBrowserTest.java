package dev.godiag.browser;

import com.fasterxml.jackson.databind.JsonNode;
import dev.godiag.bench.StressProfileGenerator;
import dev.godiag.testutil.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A page of a large tree (150k+ nodes) opens, draws and searches without errors. */
class BigPageBrowserTest {
    static Browser browser;

    @TempDir
    static Path dir;

    @BeforeAll
    static void up() {
        browser = Browser.start();
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void bigTreeOpensDrawsAndSearches() {
        Path profile = Pages.writeProfile(dir, "stress.pb.gz",
                StressProfileGenerator.generate(1, StressProfileGenerator.Config.of(0.05)));
        // nothing folded into "other" boxes: the search then sees every frame, as pprof does
        Path page = dir.resolve("stress.html");
        Pages.godiag(page, "flame", "--max-nodes", "2000000", "--min-fraction", "0", "-o", page.toString(),
                profile.toString());
        JsonNode data = Pages.data(page);
        int nodes = data.get("nodes").get("parent").size();
        System.out.printf("big page: %d nodes, %.1f MB, truncation %s%n", nodes, page.toFile().length() / 1e6,
                data.get("truncation"));
        assertThat(data.get("truncation").isNull()).as("truncation").isTrue();
        assertThat(nodes).as("nodes in the page").isGreaterThanOrEqualTo(150_000);

        browser.open(page);
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0", Duration.ofMinutes(5)); // a hang guard
        Map<String, Object> t = browser.eval("return window.godiag.timings");
        System.out.printf("big page: firstRenderMs %.1f, timings %s%n",
                browser.evalNumber("return window.godiag.firstRenderMs"), t);
        browser.assertNoErrors();

        // search: the share of pprof's -focus
        String regex = "mallocgc";
        String[] focus = Pages.pprofShowing(profile, "-focus=(?i)" + regex);
        browser.element("#search").click();
        browser.actions().sendKeys(regex).perform();
        browser.waitFor("document.getElementById('search-result').textContent.startsWith('matched: ')");
        String result = browser.element("#search-result").getText();
        System.out.println("big page: " + result + "; pprof: " + String.join(" ", focus));
        assertThat(Pages.pct(result)).isCloseTo(Double.parseDouble(focus[1]), within(0.005));
        assertThat(result).endsWith("(" + focus[0] + ")");

        // hovering and zooming work at this size
        long child = browser.<Number>eval("var T = window.godiag; for (var i = 1; i < 100; i++) "
                + "{ var r = T.rectOf(i); if (r && r.w > 50) return i; } return -1;").longValue();
        assertThat(child).isPositive();
        Pages.clickNode(browser, child);
        browser.waitFor("window.godiag.state().zoom === " + child);
        browser.assertNoErrors();
    }
}
