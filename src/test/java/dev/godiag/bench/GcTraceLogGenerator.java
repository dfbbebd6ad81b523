package dev.godiag.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * Writes the standard error of a long-running Go HTTP service started with
 * {@code GODEBUG=gctrace=1,scavtrace=1}, for the {@code gctrace} case of {@code bench/run.sh}:
 * deterministic from a seed, of a given size.
 * <p>
 * The service's own log lines (about 19 of 20 lines) come in three styles: {@code log}'s default
 * ({@code 2026/11/26 14:31:06 GET /api/orders/1234 200 12.3ms 812B}), {@code log/slog}'s JSON
 * handler (a request log with a varying number of fields, some with item lists, 150 to 700 bytes)
 * and {@code log/slog}'s text handler (warnings: slow queries, retries). In between, the runtime's
 * lines, in the shapes Go 1.19 and 1.27 print them ({@code ../shared/corpus/go1.*}/{@code gctrace.log};
 * runtime/mgc.go, mgcscavenge.go, proc.go):
 * <ul>
 * <li>{@code gc N @T s U%: a+b+c ms clock, d+e/f/g+h ms cpu, A->B->C MB, G MB goal, S MB stacks,
 * X MB globals, 8 P}, cycle numbers from 1 up, {@code @T} growing, the times formatted as the runtime
 * does (fmtNSAsMS: two significant digits, whole ms from 10 ms), the heap following a GOGC=100 pacer
 * around a drifting live heap, {@code U%} the cumulative GC CPU share; about one line in 20;</li>
 * <li>now and then {@code (forced)} cycles (runtime.GC from an admin endpoint), pairs of Go 1.26+
 * {@code (checking for goroutine leaks)} forced cycles (a goroutineleak profile), and after an idle
 * gap of over two minutes a {@code GC forced} line (forcegchelper) before the periodic cycle;</li>
 * <li>the scavenger's Go 1.21+ line {@code scav B KiB work (bg), E KiB work (eager), R KiB now, U% util}
 * after some cycles, rarely ending with {@code [controller reset]}, and with {@code (forced)} after a
 * forced cycle.</li>
 * </ul>
 * No application line starts with {@code gc }, so {@code grep -c '^gc '} counts exactly the cycles.
 * The counts written are printed to standard error.
 * <p>
 * Usage: {@code GcTraceLogGenerator OUT [SIZE_MB (default 1024, MiB)] [SEED (default 1)]}
 */
public final class GcTraceLogGenerator {
    private static final int PROCS = 8;
    private static final LocalDateTime START = LocalDateTime.of(2026, 11, 26, 14, 31, 6);
    private static final DateTimeFormatter LOG_DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd ");
    private static final String[] METHODS = {"GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"};
    private static final String[] PATHS = {"/api/orders", "/api/orders/", "/api/cart/", "/api/users/",
        "/api/products", "/api/products/", "/api/search", "/healthz", "/api/checkout", "/api/inventory/"};
    private static final String[] AGENTS = {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)",
        "curl/8.5.0", "Go-http-client/1.1", "okhttp/4.12.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"};
    private static final int[] STATUS = {200, 200, 200, 200, 200, 200, 200, 200, 201, 204, 304, 400, 404, 500};
    private static final String[] WARNINGS = {"slow query", "retrying upstream call", "cache miss storm",
        "client closed request", "rate limited"};

    /** What was written. */
    public record Counts(long bytes, long lines, long cycles, long forcedCycles, long leakCheckCycles,
                         long gcForcedLines, long scavLines) {
    }

    private GcTraceLogGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: GcTraceLogGenerator OUT [SIZE_MB (default 1024)] [SEED (default 1)]");
            System.exit(2);
        }
        long mb = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        Counts c = write(Path.of(args[0]), mb << 20, seed);
        System.err.printf("wrote %s: %d bytes, %d lines, %d gc cycles (%d forced, %d leak checks), "
                + "%d 'GC forced' lines, %d scav lines%n", args[0], c.bytes(), c.lines(), c.cycles(),
                c.forcedCycles(), c.leakCheckCycles(), c.gcForcedLines(), c.scavLines());
    }

    /** Writes at least {@code bytes} bytes (whole lines) to {@code out}. */
    public static Counts write(Path out, long bytes, long seed) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            return new Writer(os, seed).run(bytes);
        }
    }

    private static final class Writer {
        private final OutputStream os;
        private final SplittableRandom rnd;
        private final StringBuilder sb = new StringBuilder(1 << 16);
        private long written;
        private long lines;
        private long cycles;
        private long forcedCycles;
        private long leakChecks;
        private long gcForcedLines;
        private long scavLines;

        private long nowNs; // time since the process started
        private double gcCpuMs; // all GC CPU so far, for U%
        private double baseLive = 40; // MB, drifts
        private long live = 3; // MB after the last cycle
        private int stacks = 0;
        private int globals = 0;
        private long dayCache = -1;
        private String dayText = "";

        Writer(OutputStream os, long seed) {
            this.os = os;
            this.rnd = new SplittableRandom(seed);
        }

        Counts run(long target) throws IOException {
            startup();
            while (written + sb.length() < target) {
                // about 19 application lines between two cycles
                int apps = 4 + rnd.nextInt(31);
                for (int i = 0; i < apps; i++) {
                    // a busy service: 50 to 400 lines a second, with the odd idle spell
                    nowNs += 1_000_000L + rnd.nextLong(20_000_000L);
                    appLine();
                }
                int r = rnd.nextInt(1000);
                if (r < 3) {
                    // idle (night, a deploy drained the instance): the 2-minute periodic GC kicks in
                    nowNs += 121_000_000_000L + rnd.nextLong(60_000_000_000L);
                    line("GC forced");
                    gcForcedLines++;
                    gc(false, false);
                } else if (r < 6) {
                    // a goroutineleak profile: two forced cycles checking for leaks, close together
                    gc(true, true);
                    nowNs += 150_000_000L + rnd.nextLong(100_000_000L);
                    gc(true, true);
                } else if (r < 14) {
                    gc(true, false); // runtime.GC() from an admin endpoint
                    scav(true);
                } else {
                    gc(false, false);
                }
                if (rnd.nextInt(8) == 0) {
                    scav(false);
                }
                if (sb.length() >= 1 << 16) {
                    flush();
                }
            }
            flush();
            return new Counts(written, lines, cycles, forcedCycles, leakChecks, gcForcedLines, scavLines);
        }

        private void startup() {
            day();
            sb.append(dayText);
            time(false);
            sb.append("starting shopsvc version=1.14.2 go=go1.27.0 gomaxprocs=").append(PROCS).append('\n');
            lines++;
            day();
            sb.append(dayText);
            time(false);
            sb.append("listening on 0.0.0.0:8080\n");
            lines++;
        }

        private void line(String s) {
            sb.append(s).append('\n');
            lines++;
        }

        private void flush() throws IOException {
            byte[] b = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            os.write(b);
            written += b.length;
            sb.setLength(0);
        }

        // ---- application lines ----

        private void appLine() {
            int k = rnd.nextInt(100);
            if (k < 60) {
                jsonRequest();
            } else if (k < 92) {
                stdlog();
            } else {
                slogText();
            }
            lines++;
        }

        private void day() {
            long d = nowNs / 86_400_000_000_000L;
            if (d != dayCache) {
                dayCache = d;
                dayText = START.plusDays(d).format(LOG_DAY);
            }
        }

        /** hh:mm:ss of the wall clock, optionally with .nnnnnnnnn. */
        private void time(boolean nanos) {
            long s = START.toLocalTime().toSecondOfDay() + nowNs / 1_000_000_000L;
            s %= 86_400;
            two(s / 3600);
            sb.append(':');
            two(s / 60 % 60);
            sb.append(':');
            two(s % 60);
            if (nanos) {
                String f = Long.toString(nowNs % 1_000_000_000L);
                sb.append('.').append("000000000", f.length(), 9).append(f);
            }
            sb.append(' ');
        }

        private void two(long v) {
            if (v < 10) {
                sb.append('0');
            }
            sb.append(v);
        }

        private void isoTime() {
            day();
            sb.append(dayText, 0, 4).append('-').append(dayText, 5, 7).append('-').append(dayText, 8, 10).append('T');
            time(true);
            sb.setLength(sb.length() - 1);
            sb.append('Z');
        }

        private void path() {
            String p = PATHS[rnd.nextInt(PATHS.length)];
            sb.append(p);
            if (p.endsWith("/")) {
                sb.append(1 + rnd.nextInt(99_999));
            } else if (p.equals("/api/search")) {
                sb.append("?q=").append(WORDS[rnd.nextInt(WORDS.length)]).append("&page=").append(1 + rnd.nextInt(9));
            }
        }

        private static final String[] WORDS = {"shoes", "red+dress", "usb-c+cable", "coffee", "lamp", "desk",
            "running+shoes+men", "gift+card"};

        private void requestId() {
            for (int i = 0; i < 16; i++) {
                sb.append(Character.forDigit(rnd.nextInt(16), 16));
            }
        }

        private void dur() {
            long us = 80 + (long) (rnd.nextDouble() * rnd.nextDouble() * 250_000);
            sb.append(us / 1000).append('.').append(us % 1000 / 100).append("ms");
        }

        /** {@code log}'s default format. */
        private void stdlog() {
            day();
            sb.append(dayText);
            time(false);
            sb.append(METHODS[rnd.nextInt(METHODS.length)]).append(' ');
            path();
            sb.append(' ').append(STATUS[rnd.nextInt(STATUS.length)]).append(' ');
            dur();
            sb.append(' ').append(rnd.nextInt(40_000)).append("B\n");
        }

        /** {@code log/slog}'s JSON handler: a request log, more or less detailed. */
        private void jsonRequest() {
            int status = STATUS[rnd.nextInt(STATUS.length)];
            sb.append("{\"time\":\"");
            isoTime();
            sb.append("\",\"level\":\"").append(status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO")
                    .append("\",\"msg\":\"request\",\"method\":\"").append(METHODS[rnd.nextInt(METHODS.length)])
                    .append("\",\"path\":\"");
            path();
            sb.append("\",\"status\":").append(status).append(",\"duration_ms\":");
            long us = 80 + (long) (rnd.nextDouble() * rnd.nextDouble() * 250_000);
            sb.append(us / 1000).append('.').append(us % 1000);
            sb.append(",\"bytes\":").append(rnd.nextInt(60_000)).append(",\"request_id\":\"");
            requestId();
            sb.append('"');
            if (rnd.nextInt(3) > 0) {
                sb.append(",\"remote\":\"10.").append(rnd.nextInt(256)).append('.').append(rnd.nextInt(256)).append('.')
                        .append(rnd.nextInt(256)).append(':').append(1024 + rnd.nextInt(60_000)).append('"');
                sb.append(",\"user_agent\":\"").append(AGENTS[rnd.nextInt(AGENTS.length)]).append('"');
            }
            if (rnd.nextInt(4) == 0) {
                sb.append(",\"user\":{\"id\":").append(rnd.nextInt(1_000_000)).append(",\"tier\":\"")
                        .append(rnd.nextBoolean() ? "free" : "plus").append("\"}");
            }
            if (rnd.nextInt(5) == 0) {
                int n = 1 + rnd.nextInt(12);
                sb.append(",\"items\":[");
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    sb.append("{\"sku\":\"SKU-").append(10_000 + rnd.nextInt(90_000)).append("\",\"qty\":")
                            .append(1 + rnd.nextInt(5)).append('}');
                }
                sb.append(']');
            }
            if (status >= 500) {
                sb.append(",\"error\":\"upstream inventory: context deadline exceeded\"");
            }
            sb.append("}\n");
        }

        /** {@code log/slog}'s text handler: warnings. */
        private void slogText() {
            sb.append("time=");
            isoTime();
            String w = WARNINGS[rnd.nextInt(WARNINGS.length)];
            sb.append(" level=WARN msg=\"").append(w).append('"');
            switch (w) {
                case "slow query" -> {
                    sb.append(" query=\"SELECT id, sku, qty, price FROM order_items WHERE order_id = $1\" dur=");
                    sb.append(100 + rnd.nextInt(2000)).append("ms rows=").append(rnd.nextInt(500));
                }
                case "retrying upstream call" -> sb.append(" upstream=inventory attempt=").append(1 + rnd.nextInt(3))
                        .append(" err=\"dial tcp 10.0.3.17:9000: connect: connection refused\"");
                default -> {
                    sb.append(" path=");
                    path();
                }
            }
            sb.append(" request_id=");
            requestId();
            sb.append('\n');
        }

        // ---- runtime lines ----

        /** A duration as gctrace prints it (runtime fmtNSAsMS). */
        private void ms(long ns) {
            if (ns >= 10_000_000L) {
                sb.append(ns / 1_000_000L);
                return;
            }
            long x = ns / 1000;
            if (x == 0) {
                sb.append('0');
                return;
            }
            int dec = 3;
            while (x >= 100) {
                x /= 10;
                dec--;
            }
            // itoaDiv(x, dec): x with dec decimal places
            String digits = Long.toString(x);
            if (dec == 0) {
                sb.append(digits);
                return;
            }
            if (digits.length() <= dec) {
                sb.append("0.").append("000", 0, dec - digits.length()).append(digits);
            } else {
                int p = digits.length() - dec;
                sb.append(digits, 0, p).append('.').append(digits, p, digits.length());
            }
        }

        /** A skewed duration: mostly near lo, now and then up to hi. */
        private long ns(long lo, long hi) {
            double u = rnd.nextDouble();
            return lo + (long) ((hi - lo) * u * u * u);
        }

        private void gc(boolean forced, boolean leakCheck) {
            cycles++;
            if (forced) {
                forcedCycles++;
            }
            if (leakCheck) {
                leakChecks++;
            }
            // the heap: the live heap drifts (traffic), the pacer aims at twice the last live heap
            baseLive = Math.max(8, Math.min(900, baseLive * (0.98 + rnd.nextDouble() * 0.041)));
            stacks = Math.max(0, Math.min(24, stacks + rnd.nextInt(3) - 1));
            globals = cycles < 3 ? 0 : 1;
            long goal = Math.max(4, live * 2 + stacks + globals);
            long start = forced ? Math.max(1, (long) (goal * (0.3 + 0.6 * rnd.nextDouble())))
                    : Math.max(1, goal - rnd.nextInt((int) Math.max(1, goal / 10)));
            long end = start + rnd.nextInt((int) Math.max(1, goal / 12));
            long newLive = Math.max(0, Math.min(end, Math.round(baseLive * (0.9 + 0.2 * rnd.nextDouble()))));

            long a = ns(8_000, 2_500_000);
            long b = ns(300_000, 40_000_000);
            long c = ns(3_000, 600_000);
            long assist = rnd.nextInt(3) == 0 ? 0 : ns(1_000, b / 2);
            long bg = (long) (b * PROCS / 4 * (0.8 + 0.4 * rnd.nextDouble())); // the 25% dedicated workers
            long idle = rnd.nextInt(4) == 0 ? 0 : ns(0, b * 2);
            long d = a * PROCS;
            long h = c * PROCS;
            gcCpuMs += (d + assist + bg + idle + h) / 1e6;
            long atMs = nowNs / 1_000_000L;
            double util = nowNs == 0 ? 0 : gcCpuMs / (nowNs / 1e6 * PROCS) * 100;

            sb.append("gc ").append(cycles).append(" @").append(atMs / 1000).append('.');
            long frac = atMs % 1000;
            if (frac < 100) {
                sb.append('0');
            }
            if (frac < 10) {
                sb.append('0');
            }
            sb.append(frac).append("s ").append((int) util).append('%');
            if (leakCheck) {
                sb.append(" (checking for goroutine leaks)");
            }
            sb.append(": ");
            ms(a);
            sb.append('+');
            ms(b);
            sb.append('+');
            ms(c);
            sb.append(" ms clock, ");
            ms(d);
            sb.append('+');
            ms(assist);
            sb.append('/');
            ms(bg);
            sb.append('/');
            ms(idle);
            sb.append('+');
            ms(h);
            sb.append(" ms cpu, ").append(start).append("->").append(end).append("->").append(newLive)
                    .append(" MB, ").append(goal).append(" MB goal, ").append(stacks).append(" MB stacks, ")
                    .append(globals).append(" MB globals, ").append(PROCS).append(" P");
            if (forced) {
                sb.append(" (forced)");
            }
            sb.append('\n');
            lines++;
            live = newLive;
            nowNs += a + b + c;
        }

        private void scav(boolean forced) {
            scavLines++;
            long bgKiB = forced ? 0 : (rnd.nextInt(3) == 0 ? 0 : 64L * (1 + rnd.nextInt(4096)));
            long eagerKiB = forced ? 4L * (1 + rnd.nextInt(200_000)) : (rnd.nextInt(10) == 0 ? 4L * rnd.nextInt(8192) : 0);
            long nowKiB = 1024L * (long) (baseLive * (0.2 + rnd.nextDouble()));
            sb.append("scav ").append(bgKiB).append(" KiB work (bg), ").append(eagerKiB).append(" KiB work (eager), ")
                    .append(nowKiB).append(" KiB now, ").append(60 + rnd.nextInt(40)).append("% util");
            if (forced) {
                sb.append(" (forced)");
            } else if (rnd.nextInt(50) == 0) {
                sb.append(" [controller reset]");
            }
            sb.append('\n');
            lines++;
        }
    }
}
