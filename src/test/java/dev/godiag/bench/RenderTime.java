package dev.godiag.bench;

import dev.godiag.testutil.Browser;
import dev.godiag.testutil.Tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Time to first render of a godiag HTML page, measured in headless Chromium: opens the page N
 * times and reports, per metric, the median and the minimum. Run through bench/render-time.sh.
 *
 * <pre>
 * java -cp ... dev.godiag.bench.RenderTime PAGE.html [--runs N] [--warmup W] [--fresh] [--timeout SECONDS]
 * </pre>
 *
 * Metrics of each run (all in ms, all from the browser's clock, whose zero is the navigation start):
 * <ul>
 * <li>{@code firstRenderMs}: {@code window.godiag.firstRenderMs}, the page's own report of when
 *     its first frame was drawn ({@code performance.now()}, so: navigation start to first render)</li>
 * <li>{@code domContentLoaded}, {@code load}: the navigation entry's domContentLoadedEventEnd and
 *     loadEventEnd (the HTML, with its embedded JSON, parsed; inline scripts run)</li>
 * <li>{@code firstContentfulPaint}: the browser's first-contentful-paint entry (absent when the
 *     browser did not report one)</li>
 * <li>{@code driverWall}: wall time in this JVM from asking WebDriver to navigate until it saw
 *     firstRenderMs set (WebDriver's round trips and 5 ms polling included: an upper bound)</li>
 * </ul>
 * Fails (exit 1) when the page never sets firstRenderMs or logs a JavaScript error.
 */
public final class RenderTime {
    private static final String[] METRICS = {"firstRenderMs", "domContentLoaded", "load", "firstContentfulPaint",
        "driverWall"};

    private RenderTime() {
    }

    public static void main(String[] args) throws Exception {
        Path page = null;
        int runs = 10;
        int warmup = 1;
        boolean fresh = false;
        int timeoutSeconds = 120;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--timeout" -> timeoutSeconds = Integer.parseInt(args[++i]);
                case "--fresh" -> fresh = true;
                default -> {
                    if (args[i].startsWith("-") || page != null) {
                        usage("unexpected argument " + args[i]);
                    }
                    page = Path.of(args[i]).toAbsolutePath();
                }
            }
        }
        if (page == null) {
            usage("no page given");
        }
        if (!Files.isRegularFile(page)) {
            usage("no such file: " + page);
        }
        if (runs < 1 || warmup < 0) {
            usage("--runs must be >= 1 and --warmup >= 0");
        }
        Tools.BrowserBinaries binaries = Tools.browserIfInstalled().orElse(null);
        if (binaries == null) {
            System.err.println("render-time: needs chromium and chromedriver (on PATH, or GODIAG_CHROMIUM and"
                    + " GODIAG_CHROMEDRIVER; Debian packages chromium and chromium-driver)");
            System.exit(2);
        }

        List<Map<String, Double>> results = new ArrayList<>();
        Browser browser = null;
        try {
            for (int r = 0; r < warmup + runs; r++) {
                if (browser == null || fresh) {
                    if (browser != null) {
                        browser.close();
                    }
                    browser = Browser.launch(binaries.chromium(), binaries.chromedriver());
                }
                Map<String, Double> m = measure(browser, page, Duration.ofSeconds(timeoutSeconds));
                boolean measured = r >= warmup;
                StringBuilder line = new StringBuilder();
                m.forEach((k, v) -> line.append(' ').append(k).append('=')
                        .append(v == null ? "n/a" : String.format(Locale.ROOT, "%.1f", v)));
                System.err.printf(Locale.ROOT, "render-time: %s %d:%s%n", measured ? "run" : "warmup",
                        measured ? r - warmup + 1 : r + 1, line);
                if (measured) {
                    results.add(m);
                }
            }
        } catch (RuntimeException | AssertionError e) {
            System.err.println("render-time: " + e.getMessage());
            results = null;
        } finally {
            if (browser != null) {
                browser.close();
            }
        }
        if (results == null) {
            System.exit(1);
        }
        report(page, runs, warmup, fresh, results);
    }

    private static void usage(String why) {
        System.err.println("render-time: " + why);
        System.err.println("usage: RenderTime PAGE.html [--runs N] [--warmup W] [--fresh] [--timeout SECONDS]");
        System.exit(2);
    }

    /** One navigation to the page: its metrics in ms. */
    static Map<String, Double> measure(Browser browser, Path page, Duration timeout) {
        browser.open("about:blank");
        long t0 = System.nanoTime();
        browser.open(page);
        long deadline = t0 + timeout.toNanos();
        while (!Boolean.TRUE.equals(browser.eval("return !!(window.godiag && typeof window.godiag.firstRenderMs"
                + " === 'number' && window.godiag.firstRenderMs > 0)"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("window.godiag.firstRenderMs not set after " + timeout.toSeconds()
                        + " s; page errors: " + browser.errors());
            }
            sleep(5);
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        List<String> errors = browser.errors();
        if (!errors.isEmpty()) {
            throw new AssertionError("JavaScript errors on the page: " + errors);
        }
        Map<String, Object> js = browser.eval("""
                var nav = performance.getEntriesByType('navigation')[0] || {};
                var fcp = performance.getEntriesByName('first-contentful-paint')[0];
                return {
                  firstRenderMs: window.godiag.firstRenderMs - (nav.startTime || 0),
                  domContentLoaded: nav.domContentLoadedEventEnd,
                  load: nav.loadEventEnd,
                  firstContentfulPaint: fcp ? fcp.startTime : null
                };
                """);
        Map<String, Double> m = new LinkedHashMap<>();
        for (String k : METRICS) {
            Object v = k.equals("driverWall") ? (Object) wall : js.get(k);
            m.put(k, v instanceof Number n ? n.doubleValue() : null);
        }
        return m;
    }

    private static void report(Path page, int runs, int warmup, boolean fresh, List<Map<String, Double>> results)
            throws Exception {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "page: %s (%.1f MB)%n", page, Files.size(page) / 1e6));
        out.append(String.format(Locale.ROOT, "runs: %d measured, %d warmup, %s; headless Chromium %dx%d%n%n",
                runs, warmup, fresh ? "a fresh browser per run" : "one browser, a new navigation per run",
                Browser.WIDTH, Browser.HEIGHT));
        out.append("| metric (ms; driverWall from the JVM's navigate call, the rest from navigation start)"
                + " | median | min | max |\n");
        out.append("|---|---:|---:|---:|\n");
        for (String k : METRICS) {
            double[] v = results.stream().map(r -> r.get(k)).filter(x -> x != null)
                    .mapToDouble(Double::doubleValue).sorted().toArray();
            if (v.length == 0) {
                out.append("| ").append(k).append(" | n/a | n/a | n/a |\n");
                continue;
            }
            out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", k, median(v), v[0],
                    v[v.length - 1]));
        }
        System.out.print(out);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
