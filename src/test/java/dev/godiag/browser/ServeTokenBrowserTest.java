package dev.godiag.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.server.TestServer;
import dev.godiag.testutil.Browser;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upload page against a server whose writes need a token: the page asks for it once when the
 * server answers 401, keeps it, and sends it with every later write (an upload dropped on the page,
 * "analyse again").
 */
class ServeTokenBrowserTest {
    static final Path SHOTS = Path.of("target/screenshots/serve");
    static final String TOKEN = "s3cret-token";
    static TestServer server;
    static Browser browser;

    @BeforeAll
    static void up() throws IOException {
        Files.createDirectories(SHOTS);
        browser = Browser.start();
        server = TestServer.start(TestServer.Settings.sqlite().withToken(TOKEN));
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static void shot(String name) throws IOException {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES));
    }

    static String uploadId() {
        browser.waitFor("/^\\/uploads\\/[a-z0-9]+$/.test(location.pathname) && document.readyState === 'complete'");
        return browser.<String>eval("return location.pathname").substring("/uploads/".length());
    }

    @Test
    void theTokenIsAskedOnceKeptAndSentWithEveryWrite() throws Exception {
        browser.open(server.base + "/");
        browser.eval("localStorage.removeItem('godiag-token'); localStorage.setItem('godiag-theme', 'light')");
        browser.open(server.base + "/");
        browser.element("#service").sendKeys("tokensvc");
        browser.element("#files").sendKeys(Corpus.file("go1.27/cpuwork/cpu.pprof").toRealPath().toString());
        browser.element("#upload-button").click();
        browser.waitFor("!document.getElementById('token-box').hidden");
        assertThat(browser.element("#upload-error").getText())
                .isEqualTo("writes need the server's token: Authorization: Bearer TOKEN");
        assertThat(browser.<Object>eval("return localStorage.getItem('godiag-token')")).isNull();
        shot("15-token-asked");
        browser.element("#token").sendKeys(TOKEN + org.openqa.selenium.Keys.ENTER);
        String first = uploadId();
        assertThat(browser.<String>eval("return localStorage.getItem('godiag-token')")).isEqualTo(TOKEN);
        browser.open(server.base + "/uploads/" + first);
        browser.waitFor("document.getElementById('report-frame')");
        browser.assertNoErrors();

        // "analyse again" sends the kept token: the analysis runs anew
        ObjectMapper json = new ObjectMapper();
        String analysed = json.readTree(server.get("/api/uploads/" + first).body()).get("analysis").get("at").asText();
        browser.element("#reanalyse").click();
        browser.waitFor("document.getElementById('report-frame') && performance.getEntriesByType('navigation')[0]"
                + ".type === 'reload'");
        JsonNode again = json.readTree(server.get("/api/uploads/" + first + "/report?format=json&wait=120").body());
        assertThat(again.has("findings")).isTrue();
        assertThat(json.readTree(server.get("/api/uploads/" + first).body()).get("analysis").get("at").asText())
                .isNotEqualTo(analysed);
        assertThat(browser.element("#token-box").isDisplayed()).isFalse();

        // a file dropped on the page goes up with the kept token, no question asked
        browser.open(server.base + "/");
        String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(Corpus.file("go1.19/cpuwork/cpu.pprof")));
        browser.eval("var bytes = Uint8Array.from(atob(arguments[0]), function (c) { return c.charCodeAt(0); });"
                + "var dt = new DataTransfer(); dt.items.add(new File([bytes], 'dropped.pprof'));"
                + "var drop = document.getElementById('drop');"
                + "drop.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));"
                + "drop.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));", b64);
        assertThat(browser.element("#picked").getText()).startsWith("dropped.pprof (");
        browser.element("#upload-button").click();
        String second = uploadId();
        assertThat(second).isNotEqualTo(first);
        assertThat(browser.element(".m-files").getText()).contains("dropped.pprof");
        browser.assertNoErrors();
    }
}
