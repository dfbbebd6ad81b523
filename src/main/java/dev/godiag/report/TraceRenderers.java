package dev.godiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.analysis.trace.BlockedThroughout;
import dev.godiag.analysis.trace.TraceAnalysis;
import dev.godiag.analysis.trace.TraceOverview;
import dev.godiag.model.trace.TraceFrame;
import dev.godiag.util.Units;

import java.io.IOException;
import java.util.List;

/**
 * The report of an execution trace as text, markdown and JSON; the HTML page
 * ({@link TraceHtmlRenderer}) embeds exactly the JSON.
 */
public final class TraceRenderers {
    private TraceRenderers() {
    }

    public static String text(TraceAnalysis a) {
        StringBuilder sb = new StringBuilder();
        overview(sb, a, "");
        TraceWaitSections.text(sb, a, false);
        TraceTimeSections.text(sb, a, false);
        blockedThroughout(sb, a, "");
        a.overview().warning().ifPresent(w -> sb.append("\nwarning: ").append(a.source()).append(": ").append(w)
                .append('\n'));
        return sb.toString();
    }

    public static String markdown(TraceAnalysis a) {
        StringBuilder sb = new StringBuilder("### Execution trace\n\n");
        overview(sb, a, "- ");
        TraceWaitSections.text(sb, a, true);
        TraceTimeSections.text(sb, a, true);
        blockedThroughout(sb, a, "- ");
        a.overview().warning().ifPresent(w -> sb.append("\n> warning: ").append(w).append('\n'));
        return sb.toString();
    }

    private static void overview(StringBuilder sb, TraceAnalysis a, String bullet) {
        TraceOverview o = a.overview();
        sb.append(bullet).append("Trace: ").append(a.source()).append(" (format of Go 1.").append(o.goMinor()).append("), ")
                .append(Units.time(o.durationNanos())).append(", ").append(o.generations()).append(" generation")
                .append(o.generations() == 1 ? "" : "s").append(", ").append(o.events()).append(" events\n");
        sb.append(bullet).append("Goroutines: ").append(o.goroutinesSeen()).append(" seen, ")
                .append(o.goroutinesCreated()).append(" created during the trace; Ps: ").append(o.procsSeen())
                .append("; CPU samples: ").append(o.cpuSamples()).append('\n');
    }

    /** The goroutines blocked for the whole trace (or from their creation), a line per stack. */
    private static void blockedThroughout(StringBuilder sb, TraceAnalysis a, String bullet) {
        if (a.blockedThroughout().isEmpty()) {
            return;
        }
        sb.append(bullet.isEmpty() ? "\n" : "\n#### ").append("Blocked to the end, never woken")
                .append(bullet.isEmpty() ? ":\n" : "\n\n");
        for (BlockedThroughout.BlockedGroup g : a.blockedThroughout()) {
            TraceFrame at = g.site();
            sb.append(bullet.isEmpty() ? "  " : bullet).append(g.goroutines()).append(g.goroutines() == 1
                            ? " goroutine" : " goroutines").append(" in ")
                    .append(g.reason().isEmpty() ? "a wait begun before the trace" : "'" + g.reason() + "'")
                    .append(" at ").append(at == null ? "an unknown stack" : at.function() + " (" + at.file() + ":"
                            + at.line() + ")");
            if (g.sinceTraceStart() == g.goroutines()) {
                sb.append(", the whole trace");
            } else {
                sb.append(", ").append(g.shortestNanos() == g.longestNanos() ? "for " + Units.time(g.longestNanos())
                        : Units.time(g.shortestNanos()) + " to " + Units.time(g.longestNanos()));
            }
            sb.append('\n');
        }
    }

    private static void blockedThroughout(JsonGenerator g, TraceAnalysis a) throws IOException {
        g.writeArrayFieldStart("blockedThroughout");
        for (BlockedThroughout.BlockedGroup b : a.blockedThroughout()) {
            g.writeStartObject();
            g.writeStringField("reason", b.reason());
            g.writeNumberField("goroutines", b.goroutines());
            g.writeNumberField("sinceTraceStart", b.sinceTraceStart());
            g.writeNumberField("shortestNanos", b.shortestNanos());
            g.writeNumberField("longestNanos", b.longestNanos());
            frames(g, "frames", b.frames());
            g.writeNumberField("site", b.site() == null ? -1 : b.frames().indexOf(b.site()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    public static String json(TraceAnalysis a) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("source", a.source());
            overview(g, a.overview());
            TraceWaitSections.json(g, a);
            TraceTimeSections.json(g, a);
            blockedThroughout(g, a);
            g.writeEndObject();
        });
    }

    private static void overview(JsonGenerator g, TraceOverview o) throws IOException {
        g.writeObjectFieldStart("overview");
        g.writeNumberField("goMinor", o.goMinor());
        g.writeStringField("format", "go1." + o.goMinor());
        g.writeNumberField("startNanos", o.startNanos());
        g.writeNumberField("endNanos", o.endNanos());
        g.writeNumberField("durationNanos", o.durationNanos());
        g.writeNumberField("generations", o.generations());
        g.writeNumberField("events", o.events());
        g.writeNumberField("goroutinesCreated", o.goroutinesCreated());
        g.writeNumberField("goroutinesSeen", o.goroutinesSeen());
        g.writeNumberField("procsSeen", o.procsSeen());
        g.writeNumberField("cpuSamples", o.cpuSamples());
        if (o.warning().isPresent()) {
            g.writeStringField("warning", o.warning().get());
        } else {
            g.writeNullField("warning");
        }
        g.writeEndObject();
    }

    /** A stack as a JSON array field of {function, file, line}, innermost frame first. */
    static void frames(JsonGenerator g, String field, List<TraceFrame> frames) throws IOException {
        g.writeArrayFieldStart(field);
        for (TraceFrame f : frames) {
            g.writeStartObject();
            g.writeStringField("function", f.function());
            g.writeStringField("file", f.file());
            g.writeNumberField("line", f.line());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
