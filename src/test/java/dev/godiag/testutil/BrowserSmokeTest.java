package dev.godiag.testutil;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real browser works: a page's script runs, real mouse events reach its handlers, errors are seen. */
class BrowserSmokeTest {
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

    private static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>smoke</title>
            <style>body { margin: 0 } #c { position: absolute; left: 37px; top: 53px }</style>
            </head><body>
            <canvas id="c" width="301" height="151"></canvas>
            <div id="out"></div>
            <script>
              var c = document.getElementById('c');
              var g = c.getContext('2d');
              g.fillStyle = '#c33';
              g.fillRect(0, 0, 150, 75);
              window.moves = [];
              c.addEventListener('mousemove', function (e) {
                window.moves.push({x: e.offsetX, y: e.offsetY, trusted: e.isTrusted});
                document.getElementById('out').textContent = e.offsetX + ',' + e.offsetY;
              });
              window.godiag = {firstRenderMs: performance.now(), sum: [1, 2, 3].reduce((a, b) => a + b)};
            </script>
            </body></html>
            """;

    private static Path write(String name, String html) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, html);
        return p;
    }

    @Test
    void runsTheScriptAndRealMouseMovesReachTheCanvas() throws IOException {
        browser.open(write("smoke.html", PAGE));
        browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");

        assertThat(browser.<Long>eval("return window.godiag.sum")).isEqualTo(6L);
        assertThat(browser.evalNumber("return window.innerWidth")).isEqualTo(Browser.WIDTH);
        // the canvas really was drawn: the pixel at (10, 10) is the red fill
        List<Long> px = browser.eval("return Array.from(document.getElementById('c')"
                + ".getContext('2d').getImageData(10, 10, 1, 1).data)");
        assertThat(px).containsExactly(0xccL, 0x33L, 0x33L, 0xffL);

        WebElement canvas = browser.element("#c");
        browser.hover(canvas, 20, 30);
        browser.waitFor("window.moves.length > 0");
        browser.hover(canvas, 250, 140);
        browser.waitFor("document.getElementById('out').textContent === '250,140'");

        List<Map<String, Object>> moves = browser.eval("return window.moves");
        assertThat(moves).allSatisfy(m -> assertThat(m.get("trusted")).isEqualTo(true));
        assertThat(moves.get(0)).containsEntry("x", 20L).containsEntry("y", 30L);
        assertThat(moves.get(moves.size() - 1)).containsEntry("x", 250L).containsEntry("y", 140L);
        browser.assertNoErrors();
    }

    @Test
    void seesConsoleErrorsAndUncaughtExceptions() throws IOException {
        browser.open(write("broken.html", """
                <!doctype html><html><body><script>
                  console.error('boom from console');
                  setTimeout(function () { null.x(); }, 0);
                  window.done = true;
                </script></body></html>
                """));
        browser.waitFor("window.done && window.__godiagTestErrors.length > 0");
        assertThat(browser.severe()).anySatisfy(m -> assertThat(m).contains("boom from console"));
        assertThatThrownBy(browser::assertNoErrors).isInstanceOf(AssertionError.class)
                .hasMessageContaining("boom from console")
                .hasMessageContaining("TypeError");

        // a new page starts with a clean log
        browser.open(write("clean.html", "<!doctype html><html><body><script>window.ok = 1</script></body></html>"));
        assertThat(browser.<Long>eval("return window.ok")).isEqualTo(1L);
        browser.assertNoErrors();
    }
}
