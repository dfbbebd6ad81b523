package dev.godiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.analysis.trace.TraceAnalysis;
import dev.godiag.analysis.trace.TraceOverview;
import dev.godiag.util.Units;

import java.io.IOException;

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
        a.overview().warning().ifPresent(w -> sb.append("\nwarning: ").append(a.source()).append(": ").append(w)
                .append('\n'));
        return sb.toString();
    }

    public static String markdown(TraceAnalysis a) {
        StringBuilder sb = new StringBuilder("### Execution trace\n\n");
        overview(sb, a, "- ");
        TraceWaitSections.text(sb, a, true);
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

    public static String json(TraceAnalysis a) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("source", a.source());
            overview(g, a.overview());
            TraceWaitSections.json(g, a);
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
}
