package dev.godiag.server;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A service's trend charts as inline SVG, drawn on the server (no library, no script): line charts
 * of numbers over a service's uploads and a strip of gate results. Colours come from classes the
 * stylesheet themes; every point carries a {@code <title>} (the browser's hover text) and its exact
 * value in {@code data-value}, and every string in them is escaped.
 */
final class TrendCharts {
    static final int WIDTH = 560;
    static final int HEIGHT = 230;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 14;
    private static final int BOTTOM = 40;
    /** Distinct line colours (series-0 .. series-5 in the stylesheet). */
    static final int COLOURS = 6;
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final String UTC = " <span class=\"muted\">· times in UTC</span>";

    private TrendCharts() {
    }

    /** How a chart's numbers read: counts, bytes (KiB, MiB, GiB) or shares (%). */
    enum Unit {
        COUNT, BYTES, SHARE;

        String format(double v) {
            return switch (this) {
                case COUNT -> v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) v)
                        : String.format(Locale.ROOT, "%.2f", v);
                case BYTES -> bytes(v);
                case SHARE -> share(v);
            };
        }
    }

    /** One upload on the x axis: its id (for the link), time and version. */
    record Upload(String id, Instant at, String version) {
    }

    /** One line: its name (the legend) and a value per upload of the x axis, null where it has none. */
    record Series(String name, List<Double> values) {
    }

    /** One gate result: when, the version, pass or fail, its summary. */
    record Gate(Instant at, String version, boolean passed, String summary) {
    }

    /** Bytes in the largest binary unit under the value: 19.0 MiB, 512 KiB (whole numbers without decimals). */
    static String bytes(double v) {
        double a = Math.abs(v);
        String[] units = {"GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            double unit = 1L << (30 - 10 * i);
            if (a >= unit) {
                double n = v / unit;
                return (n == Math.rint(n) ? String.format(Locale.ROOT, "%.0f", n)
                        : String.format(Locale.ROOT, "%.1f", n)) + " " + units[i];
            }
        }
        return String.format(Locale.ROOT, "%.0f B", v);
    }

    static String share(double v) {
        double pct = v * 100;
        return Math.abs(pct - Math.rint(pct)) > 1e-9 && Math.abs(pct) < 10 ? String.format(Locale.ROOT, "%.1f%%", pct)
                : String.format(Locale.ROOT, "%.0f%%", pct);
    }

    /**
     * A line chart: one line per series over the uploads (evenly spaced, oldest left), a y axis
     * from zero with ticks in the unit, a legend when there are several series.
     *
     * @param id   the element id (tests and links find the chart by it)
     * @param what what the chart shows, its accessible name and heading
     */
    static String lines(String id, String what, Unit unit, List<Upload> uploads, List<Series> series) {
        double max = 0;
        for (Series s : series) {
            for (Double v : s.values()) {
                if (v != null) {
                    max = Math.max(max, v);
                }
            }
        }
        double[] ticks = ticks(max, unit);
        double top = ticks[ticks.length - 1];
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<figure class=\"trend\"><figcaption>").append(Page.esc(what)).append(UTC).append("</figcaption>")
                .append("<svg class=\"chart\" id=\"").append(Page.esc(id)).append("\" viewBox=\"0 0 ").append(WIDTH)
                .append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(Page.esc(what))
                .append("\" data-max=\"").append(num(top)).append("\"><title>").append(Page.esc(what)).append("</title>");
        for (double t : ticks) {
            double y = y(t, top);
            sb.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(num(y)).append("\" y2=\"").append(num(y)).append("\"/>")
                    .append("<text class=\"tick y\" x=\"").append(LEFT - 6).append("\" y=\"").append(num(y + 4))
                    .append("\" text-anchor=\"end\">").append(Page.esc(unit.format(t))).append("</text>");
        }
        xLabels(sb, uploads.stream().map(Upload::at).toList());
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            String cls = "series-" + (si % COLOURS);
            // a gap (an upload without this number) breaks the line rather than joining across it
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < uploads.size(); i++) {
                Double v = s.values().get(i);
                if (v == null) {
                    pen = false;
                    continue;
                }
                path.append(pen ? " L" : (path.isEmpty() ? "M" : " M")).append(num(x(i, uploads.size()))).append(' ')
                        .append(num(y(v, top)));
                pen = true;
            }
            sb.append("<g class=\"line ").append(cls).append("\" data-series=\"").append(Page.esc(s.name())).append("\">");
            if (!path.isEmpty()) {
                sb.append("<path d=\"").append(path).append("\"/>");
            }
            for (int i = 0; i < uploads.size(); i++) {
                Double v = s.values().get(i);
                if (v == null) {
                    continue;
                }
                Upload u = uploads.get(i);
                sb.append("<a href=\"/uploads/").append(Page.esc(u.id())).append("\"><circle class=\"point\" cx=\"")
                        .append(num(x(i, uploads.size()))).append("\" cy=\"").append(num(y(v, top)))
                        .append("\" r=\"4\" data-value=\"").append(exact(v)).append("\" data-upload=\"")
                        .append(Page.esc(u.id())).append("\"><title>")
                        .append(Page.esc((series.size() > 1 ? s.name() + ": " : "") + unit.format(v) + " · "
                                + SHORT.format(u.at()) + (u.version() == null ? "" : " · " + u.version())))
                        .append("</title></circle></a>");
            }
            sb.append("</g>");
        }
        sb.append("</svg>");
        if (series.size() > 1) {
            sb.append("<ul class=\"legend\">");
            for (int si = 0; si < series.size(); si++) {
                sb.append("<li><span class=\"swatch series-").append(si % COLOURS).append("\"></span><code>")
                        .append(Page.esc(series.get(si).name())).append("</code></li>");
            }
            sb.append("</ul>");
        }
        return sb.append("</figure>").toString();
    }

    /** Gate results over time: a pass row and a fail row of markers, oldest left, each with its summary as title. */
    static String gates(String id, List<Gate> gates) {
        int rowPass = TOP + 30;
        int rowFail = TOP + 80;
        int height = rowFail + 30 + BOTTOM - 10;
        StringBuilder sb = new StringBuilder(2048);
        String what = "Gate results";
        sb.append("<figure class=\"trend\"><figcaption>").append(what).append(UTC).append("</figcaption>")
                .append("<svg class=\"chart gates\" id=\"").append(Page.esc(id)).append("\" viewBox=\"0 0 ").append(WIDTH)
                .append(' ').append(height).append("\" role=\"img\" aria-label=\"").append(what).append("\"><title>")
                .append(what).append("</title>")
                .append("<text class=\"tick y\" x=\"").append(LEFT - 6).append("\" y=\"").append(rowPass + 4)
                .append("\" text-anchor=\"end\">pass</text>")
                .append("<text class=\"tick y\" x=\"").append(LEFT - 6).append("\" y=\"").append(rowFail + 4)
                .append("\" text-anchor=\"end\">fail</text>");
        for (int row : new int[] {rowPass, rowFail}) {
            sb.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(row).append("\" y2=\"").append(row).append("\"/>");
        }
        xLabels(sb, gates.stream().map(Gate::at).toList(), rowFail + 30);
        for (int i = 0; i < gates.size(); i++) {
            Gate g = gates.get(i);
            double x = x(i, gates.size());
            String title = (g.passed() ? "pass" : "fail") + " · " + SHORT.format(g.at())
                    + (g.version() == null ? "" : " · " + g.version()) + (g.summary().isEmpty() ? "" : " · " + g.summary());
            if (g.passed()) {
                sb.append("<circle class=\"gate pass\" cx=\"").append(num(x)).append("\" cy=\"").append(rowPass)
                        .append("\" r=\"6\"><title>").append(Page.esc(title)).append("</title></circle>");
            } else {
                sb.append("<path class=\"gate fail\" d=\"M").append(num(x - 6)).append(' ').append(rowFail - 6)
                        .append(" L").append(num(x + 6)).append(' ').append(rowFail + 6).append(" M").append(num(x - 6))
                        .append(' ').append(rowFail + 6).append(" L").append(num(x + 6)).append(' ').append(rowFail - 6)
                        .append("\"><title>").append(Page.esc(title)).append("</title></path>");
            }
        }
        return sb.append("</svg></figure>").toString();
    }

    private static void xLabels(StringBuilder sb, List<Instant> times) {
        xLabels(sb, times, HEIGHT - BOTTOM);
    }

    /** The time of the first, last and (room allowing) middle points under the x axis. */
    private static void xLabels(StringBuilder sb, List<Instant> times, int axisY) {
        sb.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y1=\"").append(axisY).append("\" y2=\"").append(axisY).append("\"/>");
        int n = times.size();
        List<Integer> at = new ArrayList<>();
        if (n > 0) {
            at.add(0);
        }
        // a middle label only where it cannot run into the first or the last
        int middle = n / 2;
        if (n > 2 && Math.abs(x(middle, n) - (LEFT + WIDTH - RIGHT) / 2.0) < 40) {
            at.add(middle);
        }
        if (n > 1) {
            at.add(n - 1);
        }
        for (int i : at) {
            double x = x(i, n);
            String anchor = n == 1 ? "middle" : i == 0 ? "start" : i == n - 1 ? "end" : "middle";
            sb.append("<text class=\"tick x\" x=\"").append(num(x)).append("\" y=\"").append(axisY + 18)
                    .append("\" text-anchor=\"").append(anchor).append("\">").append(SHORT.format(times.get(i)))
                    .append("</text>");
        }
    }

    /** Evenly spaced, oldest left; a single point in the middle. */
    static double x(int i, int n) {
        double inner = WIDTH - LEFT - RIGHT - 16;
        return n <= 1 ? LEFT + 8 + inner / 2 : LEFT + 8 + inner * i / (n - 1);
    }

    static double y(double v, double top) {
        double inner = HEIGHT - TOP - BOTTOM;
        return top <= 0 ? HEIGHT - BOTTOM : HEIGHT - BOTTOM - inner * v / top;
    }

    /**
     * Ticks from zero to a round number at or above {@code max}: steps of 1, 2 or 5 times a power of
     * ten (of 1024 for bytes, so the labels are whole KiB and MiB), four or five of them.
     */
    static double[] ticks(double max, Unit unit) {
        if (!(max > 0)) {
            return new double[] {0, unit == Unit.SHARE ? 0.01 : 1};
        }
        double scale = 1;
        double m = max;
        if (unit == Unit.BYTES) {
            while (m >= 1024) {
                m /= 1024;
                scale *= 1024;
            }
        }
        double raw = m / 4;
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = pow;
        for (double f : new double[] {1, 2, 2.5, 5, 10}) {
            if (f * pow >= raw) {
                step = f * pow;
                break;
            }
        }
        if (unit == Unit.COUNT) {
            step = Math.max(1, Math.ceil(step));
        }
        int n = (int) Math.ceil(m / step - 1e-9);
        double[] out = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            out[i] = i * step * scale;
        }
        return out;
    }

    /** A value as stored, for tests and scripts to read back exactly. */
    static String exact(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A number for an SVG attribute: short, dot decimal. */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
