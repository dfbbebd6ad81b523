package dev.godiag.testutil;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A real headless Chromium driven through chromedriver (Selenium), for tests of the HTML pages
 * godiag writes (see docs/flame-html.md for the flame page's test contract).
 *
 * <p>Uses Debian's {@code chromium} and {@code chromium-driver}, found by {@link Tools} (on PATH;
 * override with GODIAG_CHROMIUM / GODIAG_CHROMEDRIVER). Both paths are given to Selenium
 * explicitly, so Selenium Manager never runs and nothing is downloaded. When either is missing,
 * {@link #start()} skips the test on a developer machine and fails it in CI, where {@code .ci/run}
 * installs them (.ci/needs-chromium): a CI run never reports a browser class as "Tests run: 0".
 *
 * <p>Starting Chromium takes a second or two: start one per test class and reuse it.
 *
 * <pre>{@code
 * class FlamePageTest {
 *     static Browser browser;
 *
 *     @BeforeAll static void up() { browser = Browser.start(); }
 *     @AfterAll static void down() { if (browser != null) browser.close(); }
 *
 *     @Test void rendersWithoutErrors(@TempDir Path dir) {
 *         Path page = ...write the page...;
 *         browser.open(page);                                   // also clears the console log
 *         browser.waitFor("window.godiag && window.godiag.firstRenderMs > 0");
 *         Number ms = browser.eval("return window.godiag.firstRenderMs");
 *         browser.hover(browser.element("#flame"), 100, 20);   // real mouse move, CSS px from top-left
 *         browser.assertNoErrors();                             // no SEVERE console entry, no uncaught error
 *     }
 * }
 * }</pre>
 */
public final class Browser implements AutoCloseable {
    public static final int WIDTH = 1400;
    public static final int HEIGHT = 900;

    /** Installed into every page before its own scripts: records uncaught errors and rejections. */
    private static final String ERROR_TRAP = """
            (function () {
              if (window.__godiagTestErrors) return;
              var errs = window.__godiagTestErrors = [];
              window.addEventListener('error', function (e) {
                errs.push(String(e.message || e.type) + (e.filename ? ' at ' + e.filename + ':' + e.lineno : ''));
              });
              window.addEventListener('unhandledrejection', function (e) {
                errs.push('unhandled rejection: ' + String(e.reason && (e.reason.stack || e.reason)));
              });
            })();
            """;

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path userDataDir;
    private final List<LogEntry> console = new ArrayList<>();
    /** Ends chromedriver and Chromium when the JVM exits without close() (System.exit, a killed fork). */
    private final Thread reaper;
    private boolean closed;

    private Browser(ChromeDriverService service, ChromeDriver driver, Path userDataDir) {
        this.service = service;
        this.driver = driver;
        this.userDataDir = userDataDir;
        this.reaper = new Thread(this::quit, "browser-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts headless Chromium. Skips the calling test when Chromium or chromedriver is missing,
     * except in CI, where that fails it ({@link Tools}).
     */
    public static Browser start() {
        return launch(Tools.chromium(), Tools.chromedriver());
    }

    /** Starts headless Chromium with these binaries; no skipping (for tools outside JUnit). */
    public static Browser launch(Path chromium, Path chromedriver) {
        // Selenium's own chatter (CDP version lookups, OpenTelemetry) is not what a test reports
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
        // the driver is given explicitly below; the property too, so nothing ever asks Selenium Manager
        System.setProperty("webdriver.chrome.driver", chromedriver.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory("godiag-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-extensions",
                "--window-size=" + WIDTH + "," + HEIGHT,
                "--user-data-dir=" + profile,
                "--no-first-run",
                "--no-default-browser-check",
                "--allow-file-access-from-files");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        ChromeDriver driver = null;
        try {
            driver = new ChromeDriver(service, options);
            // hang guards, generous for a busy machine: a wait ends as soon as its condition holds
            driver.manage().timeouts().scriptTimeout(Duration.ofMinutes(2));
            driver.manage().timeouts().pageLoadTimeout(Duration.ofMinutes(2));
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", ERROR_TRAP));
            return new Browser(service, driver, profile);
        } catch (RuntimeException | Error e) {
            if (driver != null) {
                driver.quit();
            }
            service.stop();
            deleteTree(profile);
            throw e;
        }
    }

    /** The Selenium driver, for anything this class does not wrap. */
    public WebDriver driver() {
        return driver;
    }

    /** Opens a local file (e.g. a generated HTML page) and waits for its load event. Clears the console log. */
    public void open(Path file) {
        open(file.toAbsolutePath().toUri().toString());
    }

    /** Opens a URL and waits for its load event. Clears the console log. */
    public void open(String url) {
        drainConsole();
        console.clear();
        driver.get(url);
    }

    /**
     * Evaluates JavaScript in the page, as a function body: {@code return ...} gives the result.
     * Numbers come back as Long or Double, arrays as List, objects as Map. {@code arguments[i]} are
     * the args (WebElements allowed).
     */
    @SuppressWarnings("unchecked")
    public <T> T eval(String script, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** {@link #eval} for a numeric result; fails when it is not a number. */
    public double evalNumber(String script, Object... args) {
        Object r = eval(script, args);
        if (!(r instanceof Number n)) {
            throw new AssertionError("not a number: " + r + " from " + script);
        }
        return n.doubleValue();
    }

    /** Waits (up to 2 minutes, a hang guard) until the JavaScript expression is truthy. */
    public void waitFor(String expression) {
        waitFor(expression, Duration.ofMinutes(2));
    }

    /** Waits until the JavaScript expression is truthy. */
    public void waitFor(String expression, Duration timeout) {
        new WebDriverWait(driver, timeout, Duration.ofMillis(20))
                .withMessage(() -> "waiting for " + expression + "; errors so far: " + errors())
                .until(d -> Boolean.TRUE.equals(
                        ((JavascriptExecutor) d).executeScript("return !!(" + expression + ")")));
    }

    /** The element of a CSS selector (fails when absent). */
    public WebElement element(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /** A new Actions chain for real mouse and keyboard input. */
    public Actions actions() {
        return new Actions(driver);
    }

    /**
     * Moves the real mouse to (x, y) CSS pixels from the element's top-left corner (as
     * {@code window.godiag.rectOf} and a mouse event's offsetX/offsetY count them). The element
     * must be in the viewport.
     */
    public void hover(WebElement element, double x, double y) {
        int[] d = offsetFromCenter(element, x, y);
        actions().moveToElement(element, d[0], d[1]).perform();
    }

    /** Clicks the real mouse at (x, y) CSS pixels from the element's top-left corner. */
    public void click(WebElement element, double x, double y) {
        int[] d = offsetFromCenter(element, x, y);
        actions().moveToElement(element, d[0], d[1]).click().perform();
    }

    /**
     * Selenium's element offsets count from the element's in-view center: the center of the part
     * of its box inside the viewport, floor((left + right) / 2) in viewport pixels. This converts
     * from the top-left corner of the whole box (an element taller than the window included).
     */
    private int[] offsetFromCenter(WebElement element, double x, double y) {
        List<Number> r = eval("var r = arguments[0].getBoundingClientRect();"
                + "return [r.left, r.top, r.right, r.bottom, window.innerWidth, window.innerHeight];", element);
        double left = r.get(0).doubleValue();
        double top = r.get(1).doubleValue();
        double visibleLeft = Math.max(left, 0);
        double visibleTop = Math.max(top, 0);
        double visibleRight = Math.min(r.get(2).doubleValue(), r.get(4).doubleValue());
        double visibleBottom = Math.min(r.get(3).doubleValue(), r.get(5).doubleValue());
        double cx = Math.floor((visibleLeft + visibleRight) / 2);
        double cy = Math.floor((visibleTop + visibleBottom) / 2);
        return new int[] {(int) Math.round(left + x - cx), (int) Math.round(top + y - cy)};
    }

    /** All console entries since the last {@link #open} (each level). */
    public List<LogEntry> console() {
        drainConsole();
        return List.copyOf(console);
    }

    /** The SEVERE console entries since the last {@link #open}: console.error and uncaught errors. */
    public List<String> severe() {
        return console().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(e -> e.getMessage())
                .toList();
    }

    /**
     * What went wrong on the page: SEVERE console entries plus uncaught errors and unhandled
     * rejections the page had (recorded by a script installed before the page's own).
     */
    public List<String> errors() {
        List<String> all = new ArrayList<>(severe());
        try {
            List<Object> trapped = eval("return window.__godiagTestErrors || []");
            for (Object t : trapped) {
                String s = String.valueOf(t);
                if (all.stream().noneMatch(m -> m.contains(s))) {
                    all.add(s);
                }
            }
        } catch (RuntimeException e) {
            all.add("cannot read the page's errors: " + e.getMessage());
        }
        return all;
    }

    /** Fails when the page logged a console error or had an uncaught JavaScript error. */
    public void assertNoErrors() {
        List<String> errs = errors();
        if (!errs.isEmpty()) {
            throw new AssertionError("JavaScript errors on " + driver.getCurrentUrl() + ":\n  "
                    + String.join("\n  ", errs));
        }
    }

    private void drainConsole() {
        // chromedriver hands out each entry once; keep them until the next open()
        console.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook does the same
        }
        quit();
    }

    private synchronized void quit() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            driver.quit();
        } catch (RuntimeException e) {
            // already gone
        } finally {
            service.stop();
            deleteTree(userDataDir);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp profile is harmless
        }
    }
}
