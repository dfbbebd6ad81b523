package dev.godiag.format.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads load-test summaries into a {@link LoadSummary}: hey's default text summary, wrk's text
 * (percentiles with {@code --latency}), {@code vegeta report} text and {@code -type=json}, and a CSV
 * of latencies. Which one a text is follows from its own landmarks ({@link #recognize}).
 */
public final class LoadReader {
    // landmarks matched within one line each: a pattern free to span lines (\\s* at a line start,
    // [\\s\\S]* between two lines) backtracks quadratically on blank or repeated lines
    private static final Pattern HEY_SUMMARY = Pattern.compile("(?m)^Summary:[ \\t]*$");
    private static final Pattern HEY_RATE = Pattern.compile("(?m)^[ \\t]*Requests/sec:");
    private static final Pattern WRK = Pattern.compile("(?m)^[ \\t]+\\d+ requests in \\S+, \\S+ read[ \\t]*$");
    private static final Pattern VEGETA = Pattern.compile("(?m)^Requests\\s+\\[total, rate");
    private static final Pattern VEGETA_JSON = Pattern.compile("^\\s*\\{[\\s\\S]*\"latencies\"\\s*:");
    private static final Pattern HEADER_CELL = Pattern.compile("[a-z_ ()\\[\\]µμ.-]{1,40}");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    private LoadReader() {
    }

    /** The format of a text, or null when it is none of the load summaries. */
    public static String recognize(String head) {
        if (VEGETA_JSON.matcher(head).find()) {
            return "vegeta-json";
        }
        if (VEGETA.matcher(head).find()) {
            return "vegeta";
        }
        Matcher summary = HEY_SUMMARY.matcher(head);
        if (summary.find() && HEY_RATE.matcher(head).find(summary.end())) {
            return "hey";
        }
        if (WRK.matcher(head).find()) {
            return "wrk";
        }
        return csvColumn(head.lines().findFirst().orElse("")) != null ? "csv" : null;
    }

    public static LoadSummary read(String name, String text) {
        String f = recognize(text);
        if (f == null) {
            throw new BadInputException(name + ": not a load-test summary (hey, wrk --latency, vegeta report, or a CSV with a latency column)");
        }
        return switch (f) {
            case "hey" -> hey(name, text);
            case "wrk" -> wrk(name, text);
            case "vegeta" -> vegetaText(name, text);
            case "vegeta-json" -> vegetaJson(name, text);
            default -> csv(name, text);
        };
    }

    // ---- hey (github.com/rakyll/hey requester/print.go defaultTmpl) ----

    private static LoadSummary hey(String name, String text) {
        double total = number(name, text, "(?m)^[ \\t]*Total:\\s+(\\S+) secs", "Total");
        double rps = number(name, text, "(?m)^[ \\t]*Requests/sec:\\s+(\\S+)", "Requests/sec");
        double slowest = optional(text, "(?m)^[ \\t]*Slowest:\\s+(\\S+) secs");
        double[] pct = new double[101];
        Arrays.fill(pct, Double.NaN);
        Matcher m = Pattern.compile("(?m)^[ \\t]*(\\d+)% in (\\S+) secs").matcher(text);
        while (m.find()) {
            int p = Integer.parseInt(m.group(1));
            if (p <= 100) {
                pct[p] = Double.parseDouble(m.group(2));
            }
        }
        long ok = 0;
        long failed = 0;
        Matcher s = Pattern.compile("(?m)^[ \\t]*\\[(\\d+)]\\s+(\\d+) responses").matcher(text);
        while (s.find()) {
            int code = Integer.parseInt(s.group(1));
            long n = Long.parseLong(s.group(2));
            if (code >= 200 && code < 400) {
                ok += n;
            } else {
                failed += n;
            }
        }
        int errAt = text.indexOf("Error distribution:");
        if (errAt >= 0) {
            Matcher e = Pattern.compile("(?m)^[ \\t]*\\[(\\d+)]\\s+\\S").matcher(text.substring(errAt));
            while (e.find()) {
                failed += Long.parseLong(e.group(1));
            }
        }
        long requests = ok + failed;
        if (requests == 0) {
            throw new BadInputException(name + ": hey summary without a status code or error distribution");
        }
        return new LoadSummary("hey", requests, total, rps, (double) failed / requests,
                pct[50], pct[90], pct[95], pct[99], slowest, new double[0]);
    }

    // ---- wrk (github.com/wg/wrk src/wrk.c, units.c) ----

    private static LoadSummary wrk(String name, String text) {
        Matcher r = Pattern.compile("(?m)^[ \\t]+(\\d+) requests in (\\S+), \\S+ read").matcher(text);
        r.find();
        long requests = Long.parseLong(r.group(1));
        double duration = wrkTime(name, r.group(2));
        double rps = number(name, text, "(?m)^Requests/sec:\\s+(\\S+)", "Requests/sec");
        long failed = (long) optionalOr(text, "(?m)^[ \\t]+Non-2xx or 3xx responses: (\\d+)", 0);
        Matcher se = Pattern.compile("(?m)^[ \\t]+Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(text);
        if (se.find()) {
            // wrk counts a timed-out or failed read against a request it may also have completed;
            // connect errors never became requests. All four are failures here.
            for (int g = 1; g <= 4; g++) {
                failed += Long.parseLong(se.group(g));
            }
        }
        double[] pct = new double[101];
        Arrays.fill(pct, Double.NaN);
        int at = text.indexOf("Latency Distribution");
        if (at >= 0) {
            Matcher m = Pattern.compile("(?m)^[ \\t]+(\\d+)%\\s+(\\S+)\\s*$").matcher(text.substring(at));
            while (m.find()) {
                int p = Integer.parseInt(m.group(1));
                if (p <= 100) {
                    pct[p] = wrkTime(name, m.group(2));
                }
            }
        }
        double max = Double.NaN;
        Matcher lat = Pattern.compile("(?m)^[ \\t]+Latency\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+\\S+%").matcher(text);
        if (lat.find()) {
            max = wrkTime(name, lat.group(3));
        }
        return new LoadSummary("wrk", requests, duration, rps,
                requests == 0 ? 0 : Math.min(1.0, (double) failed / requests),
                pct[50], pct[90], pct[95], pct[99], max, new double[0]);
    }

    /** wrk's units (units.c): us, ms, s from format_time_us; s, m, h from format_time_s. */
    private static double wrkTime(String name, String s) {
        Matcher m = Pattern.compile("(\\d+\\.?\\d*)(us|ms|s|m|h)").matcher(s);
        if (!m.matches()) {
            throw new BadInputException(name + ": wrk time not understood: " + s);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1e6;
            case "ms" -> v / 1e3;
            case "s" -> v;
            case "m" -> v * 60;
            default -> v * 3600;
        };
    }

    // ---- vegeta report (github.com/tsenart/vegeta lib/reporters.go NewTextReporter) ----

    private static LoadSummary vegetaText(String name, String text) {
        double[] req = bracketRow(name, text, "Requests", false);
        double[] dur = bracketRow(name, text, "Duration", true);
        String[] latLabels = labels(name, text, "Latencies");
        double[] lat = bracketRow(name, text, "Latencies", true);
        double success = number(name, text, "(?m)^Success\\s+\\[ratio]\\s+(\\S+)%", "Success") / 100;
        double p50 = Double.NaN, p90 = Double.NaN, p95 = Double.NaN, p99 = Double.NaN, max = Double.NaN;
        for (int i = 0; i < latLabels.length && i < lat.length; i++) {
            switch (latLabels[i]) {
                case "50" -> p50 = lat[i];
                case "90" -> p90 = lat[i];
                case "95" -> p95 = lat[i];
                case "99" -> p99 = lat[i];
                case "max" -> max = lat[i];
                default -> { }
            }
        }
        // [total, rate, throughput]: throughput counts successful requests over the total duration
        return new LoadSummary("vegeta", (long) req[0], dur[0], req[2], 1 - success, p50, p90, p95, p99, max,
                new double[0]);
    }

    private static String[] labels(String name, String text, String row) {
        Matcher m = Pattern.compile("(?m)^" + row + "\\s+\\[([^]]*)]").matcher(text);
        if (!m.find()) {
            throw new BadInputException(name + ": vegeta report without a " + row + " row");
        }
        return m.group(1).split(",\\s*");
    }

    private static double[] bracketRow(String name, String text, String row, boolean durations) {
        Matcher m = Pattern.compile("(?m)^" + row + "\\s+\\[[^]]*]\\s+(.+)$").matcher(text);
        if (!m.find()) {
            throw new BadInputException(name + ": vegeta report without a " + row + " row");
        }
        String[] parts = m.group(1).trim().split(",\\s*");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = durations ? goDuration(name, parts[i]) : Double.parseDouble(parts[i]);
        }
        return out;
    }

    /** A Go time.Duration's String(): 1h2m3.5s, 12.5ms, 300µs, 0s. Seconds. */
    static double goDuration(String name, String s) {
        String t = s.trim();
        if (t.equals("0") || t.equals("0s")) {
            return 0;
        }
        Matcher m = GO_DURATION.matcher(t);
        double sum = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double v = Double.parseDouble(m.group(1));
            sum += v * switch (m.group(2)) {
                case "ns" -> 1e-9;
                case "us", "µs", "μs" -> 1e-6;
                case "ms" -> 1e-3;
                case "s" -> 1;
                case "m" -> 60;
                default -> 3600;
            };
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            throw new BadInputException(name + ": duration not understood: " + s);
        }
        return sum;
    }

    // ---- vegeta report -type=json (lib/metrics.go; durations in nanoseconds) ----

    private static LoadSummary vegetaJson(String name, String text) {
        double requests = Double.NaN, duration = 0, wait = 0, throughput = Double.NaN, success = Double.NaN;
        double p50 = Double.NaN, p90 = Double.NaN, p95 = Double.NaN, p99 = Double.NaN, max = Double.NaN;
        try (JsonParser p = new JsonFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadInputException(name + ": vegeta JSON report: expected an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals("latencies") && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        p.nextToken();
                        double v = p.getValueAsDouble(Double.NaN) / 1e9;
                        switch (k) {
                            case "50th" -> p50 = v;
                            case "90th" -> p90 = v;
                            case "95th" -> p95 = v;
                            case "99th" -> p99 = v;
                            case "max" -> max = v;
                            default -> { }
                        }
                    }
                    continue;
                }
                switch (field) {
                    case "requests" -> requests = p.getValueAsDouble(Double.NaN);
                    case "duration" -> duration = p.getValueAsDouble(0) / 1e9;
                    case "wait" -> wait = p.getValueAsDouble(0) / 1e9;
                    case "throughput" -> throughput = p.getValueAsDouble(Double.NaN);
                    case "success" -> success = p.getValueAsDouble(Double.NaN);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new BadInputException(name + ": bad vegeta JSON report: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException jp ? jp.getOriginalMessage() : e.getMessage()));
        }
        if (Double.isNaN(requests)) {
            throw new BadInputException(name + ": vegeta JSON report without \"requests\"");
        }
        // the text report's total duration is duration + wait
        return new LoadSummary("vegeta-json", (long) requests, duration + wait, throughput, 1 - success,
                p50, p90, p95, p99, max, new double[0]);
    }

    // ---- CSV of latencies ----

    /** The CSV column {index, scale to seconds (0: each value carries its unit)}, or null. */
    private static double[] csvColumn(String header) {
        String h = header.strip();
        if (h.isEmpty() || Character.isDigit(h.charAt(0)) || h.startsWith("{")) {
            return null;
        }
        String[] cols = h.split(",", -1);
        for (int i = 0; i < cols.length; i++) {
            String c = cols[i].strip().replace("\"", "").toLowerCase(Locale.ROOT);
            if (!HEADER_CELL.matcher(c).matches()) {
                return null;
            }
            if (!c.startsWith("latency") && cols.length > 1) {
                continue;
            }
            double scale = headerUnit(c);
            if (c.startsWith("latency") || scale > 0) {
                return new double[]{i, scale};
            }
        }
        return null;
    }

    /** The unit a header names (latency_ms, latency (s), ms, seconds...) in seconds, 0 if none. */
    private static double headerUnit(String c) {
        Matcher m = Pattern.compile("(?:^|[\\s_(\\[-])(ns|us|µs|μs|ms|s|sec|secs|seconds|millis|milliseconds|micros|microseconds|nanos|nanoseconds)[)\\]]?$")
                .matcher(c);
        if (!m.find()) {
            return 0;
        }
        return switch (m.group(1)) {
            case "ns", "nanos", "nanoseconds" -> 1e-9;
            case "us", "µs", "μs", "micros", "microseconds" -> 1e-6;
            case "ms", "millis", "milliseconds" -> 1e-3;
            default -> 1;
        };
    }

    private static LoadSummary csv(String name, String text) {
        List<String> lines = text.lines().toList();
        double[] col = csvColumn(lines.get(0));
        int idx = (int) col[0];
        double scale = col[1];
        List<Double> values = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (idx >= cells.length) {
                throw new BadInputException(name + ":" + (i + 1) + ": no latency column");
            }
            String v = cells[idx].strip().replace("\"", "");
            if (NUMBER.matcher(v).matches()) {
                if (scale == 0) {
                    throw new BadInputException(name + ":" + (i + 1) + ": " + v
                            + " has no unit (name it in the header, e.g. latency_ms, or write 12ms)");
                }
                values.add(Double.parseDouble(v) * scale);
            } else {
                values.add(goDuration(name + ":" + (i + 1), v));
            }
        }
        if (values.isEmpty()) {
            throw new BadInputException(name + ": no latencies in the CSV");
        }
        double[] samples = values.stream().mapToDouble(Double::doubleValue).toArray();
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new LoadSummary("csv", samples.length, Double.NaN, Double.NaN, Double.NaN,
                rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.95), rank(sorted, 0.99),
                sorted[sorted.length - 1], samples);
    }

    /** The nearest-rank percentile: the smallest value with at least p of the samples at or below it. */
    static double rank(double[] sorted, double p) {
        int k = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, k - 1)];
    }

    // ---- helpers ----

    private static double number(String name, String text, String regex, String what) {
        double v = optional(text, regex);
        if (Double.isNaN(v)) {
            throw new BadInputException(name + ": summary without " + what);
        }
        return v;
    }

    private static double optional(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(m.group(1));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double optionalOr(String text, String regex, double or) {
        double v = optional(text, regex);
        return Double.isNaN(v) ? or : v;
    }
}
