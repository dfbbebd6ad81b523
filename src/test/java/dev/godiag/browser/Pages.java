package dev.godiag.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.model.Profile;
import dev.godiag.testutil.Browser;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared helpers of the browser tests: writing pages, asking the real pprof, driving the canvas. */
final class Pages {
    private Pages() {
    }

    /** Runs godiag with these arguments (which must write the page) and returns the page. */
    static Path godiag(Path page, String... args) {
        Peers.Result r = Godiag.run(args);
        assertThat(r.exitCode()).as("godiag %s: %s", List.of(args), r.stderr()).isZero();
        assertThat(page).exists();
        return page;
    }

    static Path flame(Path dir, String name, Path profile) {
        Path page = dir.resolve(name);
        return godiag(page, "flame", "-o", page.toString(), profile.toString());
    }

    static Path writeProfile(Path dir, String name, Profile p) {
        Path f = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(f)) {
            ProtoProfileWriter.write(p, os);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    /** The JSON embedded in the page. */
    static JsonNode data(Path page) {
        try {
            String html = Files.readString(page);
            String open = "<script id=\"godiag-data\" type=\"application/json\">";
            int a = html.indexOf(open);
            assertThat(a).as("data script in %s", page).isGreaterThanOrEqualTo(0);
            int b = html.indexOf("</script>", a);
            return new ObjectMapper().readTree(html.substring(a + open.length(), b));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One row of pprof -top as pprof printed it. */
    record TopRow(String flat, String flatPct, String sumPct, String cum, String cumPct, String name) {
    }

    /** pprof's own output of -top with these flags (no node trimming) for the file. */
    static String pprofOutput(Path file, String... flags) {
        List<String> cmd = new ArrayList<>(List.of(Peers.pprof127().toString(), "-top", "-nodefraction=0",
                "-edgefraction=0", "-nodecount=100000"));
        cmd.addAll(List.of(flags));
        cmd.add(file.toString());
        Peers.Result r = Peers.run(cmd, null);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout();
    }

    /** The rows of pprof -top as printed, names without the " (inline)" markers. */
    static List<TopRow> pprofTop(Path file, String... flags) {
        String out = pprofOutput(file, flags);
        List<TopRow> rows = new ArrayList<>();
        boolean body = false;
        for (String line : out.split("\n")) {
            if (line.trim().startsWith("flat  flat%")) {
                body = true;
                continue;
            }
            if (body && !line.isBlank()) {
                String[] c = line.trim().split("\\s+", 6);
                String name = c[5].replaceFirst(" \\((partial-)?inline\\)$", "");
                rows.add(new TopRow(c[0], c[1], c[2], c[3], c[4], name));
            }
        }
        assertThat(rows).as(out).isNotEmpty();
        return rows;
    }

    private static final Pattern SHOWING = Pattern.compile(
            "Showing nodes accounting for (\\S+), (\\S+)% of (\\S+) total");

    /** pprof's header "Showing nodes accounting for X, Y% of Z total": {X, Y, Z}. */
    static String[] pprofShowing(Path file, String... flags) {
        String out = pprofOutput(file, flags);
        Matcher m = SHOWING.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return new String[] {m.group(1), m.group(2), m.group(3)};
    }

    /** The number in a percentage like "12.5%" or "-3%". */
    static double pct(String s) {
        Matcher m = Pattern.compile("(-?[0-9.]+)%").matcher(s);
        assertThat(m.find()).as("a percentage in %s", s).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** Node i's rect on the canvas (CSS px from its top-left), failing when not drawn. */
    static Map<String, Number> rect(Browser b, long node) {
        Map<String, Number> r = b.eval("return window.godiag.rectOf(arguments[0])", node);
        assertThat(r).as("rectOf(%s)", node).isNotNull();
        return r;
    }

    static double d(Map<String, Number> r, String k) {
        return r.get(k).doubleValue();
    }

    /**
     * Scrolls so that canvas point (x, y) is in the viewport and returns its viewport position.
     * {@link Browser#hover} counts from the element's centre as computed from its whole box, but
     * WebDriver's element origin is the centre of the element's part in the viewport: for a
     * canvas taller than the window the two differ, so such points are reached from the viewport.
     */
    static double[] bringIntoView(Browser b, double x, double y) {
        List<Number> v = b.eval("var c = document.getElementById('flame');"
                + "var r0 = c.getBoundingClientRect();"
                + "var want = r0.top + arguments[1];"
                + "if (want < 40 || want > window.innerHeight - 40) window.scrollBy(0, want - window.innerHeight / 2);"
                + "var r = c.getBoundingClientRect();"
                + "var inside = r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;"
                + "return [r.left + arguments[0], r.top + arguments[1], inside ? 1 : 0];", x, y);
        return new double[] {v.get(0).doubleValue(), v.get(1).doubleValue(), v.get(2).doubleValue()};
    }

    /** Moves the real mouse to canvas point (x, y), CSS px from the canvas's top-left. */
    static void mouseAt(Browser b, double x, double y) {
        double[] p = bringIntoView(b, x, y);
        settle(b);
        if (p[2] == 1) {
            b.hover(b.element("#flame"), x, y);
        } else {
            b.actions().moveToLocation((int) Math.floor(p[0]), (int) Math.floor(p[1])).perform();
        }
    }

    /** A point inside node i, left of the middle of wide nodes (clear of nothing in particular). */
    static double[] pointIn(Browser b, long node) {
        Map<String, Number> r = rect(b, node);
        return new double[] {d(r, "x") + Math.min(d(r, "w") / 2, 40), d(r, "y") + d(r, "h") / 2};
    }

    /**
     * Waits until the page has drawn the frame it asked for: rectOf answers for the state at once,
     * but hit testing uses the last frame drawn (the page draws in requestAnimationFrame).
     */
    static void settle(Browser b) {
        ((org.openqa.selenium.JavascriptExecutor) b.driver()).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "requestAnimationFrame(() => requestAnimationFrame(() => done(true)));");
    }

    /** Moves the real mouse into node i (scrolling it into view first) and waits for the tooltip. */
    static void hoverNode(Browser b, long node) {
        settle(b);
        double[] p = pointIn(b, node);
        mouseAt(b, p[0], p[1]);
        b.waitFor("!document.getElementById('tooltip').hidden");
    }

    /** Clicks the real mouse in node i, with these modifier keys held (none for a plain click). */
    static void clickNode(Browser b, long node, org.openqa.selenium.Keys... modifiers) {
        double[] p = pointIn(b, node);
        mouseAt(b, p[0], p[1]);
        var a = b.actions();
        for (var k : modifiers) {
            a = a.keyDown(k);
        }
        a = a.click();
        for (var k : modifiers) {
            a = a.keyUp(k);
        }
        a.perform();
    }

    /** Right-clicks the real mouse in node i. */
    static void contextClickNode(Browser b, long node) {
        double[] p = pointIn(b, node);
        mouseAt(b, p[0], p[1]);
        b.actions().contextClick().perform();
    }

    /** The tooltip's lines (each its own div). */
    static List<String> tooltipLines(Browser b) {
        return b.eval("return Array.from(document.querySelectorAll('#tooltip > div')).map(d => d.textContent)");
    }

    /** The canvas pixel [r, g, b, a] at CSS (x, y) of the canvas. */
    static List<Long> pixel(Browser b, double x, double y) {
        return b.eval("var c = document.getElementById('flame'), k = window.devicePixelRatio || 1;"
                + "return Array.from(c.getContext('2d').getImageData(Math.round(arguments[0] * k),"
                + " Math.round(arguments[1] * k), 1, 1).data)", x, y);
    }

    /** The fill of node i: a pixel on its top edge, clear of its label. */
    static List<Long> fillOf(Browser b, long node) {
        Map<String, Number> r = rect(b, node);
        return pixel(b, d(r, "x") + d(r, "w") / 2, d(r, "y") + 1);
    }
}
