package dev.godiag.guard;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/**
 * guard's log: one logfmt line per event ({@code ts=... level=warn msg="alert firing" job=...}),
 * the form Loki, Vector and {@code grep} read. Values with spaces, quotes or {@code =} are quoted;
 * control characters from targets (error messages quote what they sent) are escaped.
 */
final class GuardLog {
    private final Consumer<String> sink;
    private final Clock clock;

    GuardLog(Consumer<String> sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    void info(String msg, Object... keyValues) {
        write("info", msg, keyValues);
    }

    void warn(String msg, Object... keyValues) {
        write("warn", msg, keyValues);
    }

    void error(String msg, Object... keyValues) {
        write("error", msg, keyValues);
    }

    private void write(String level, String msg, Object... kv) {
        StringBuilder sb = new StringBuilder(128);
        sb.append("ts=").append(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS));
        sb.append(" level=").append(level).append(" msg=");
        value(sb, msg);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            sb.append(' ').append(kv[i]).append('=');
            value(sb, String.valueOf(kv[i + 1]));
        }
        sink.accept(sb.toString());
    }

    static void value(StringBuilder sb, String v) {
        boolean quote = v.isEmpty();
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f;
        }
        if (!quote) {
            sb.append(v);
            return;
        }
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
