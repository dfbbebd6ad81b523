package dev.godiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.analysis.trace.GcTrace;
import dev.godiag.analysis.trace.Heatmap;
import dev.godiag.analysis.trace.LogHistogram;
import dev.godiag.analysis.trace.SchedulerLatency;
import dev.godiag.analysis.trace.TraceAnalysis;
import dev.godiag.analysis.trace.UserTasks;
import dev.godiag.model.trace.TraceFrame;
import dev.godiag.util.Units;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trace report's time sections (scheduler latency, GC, heatmap, user tasks and regions) as text,
 * markdown and JSON; {@link TraceRenderers} calls them.
 */
final class TraceTimeSections {
    private static final int TEXT_ROWS = 5;

    private TraceTimeSections() {
    }

    static void text(StringBuilder sb, TraceAnalysis a, boolean markdown) {
        String h = markdown ? "\n#### " : "\n";
        String b = markdown ? "- " : "  ";
        SchedulerLatency s = a.schedulerLatency();
        if (s != null) {
            sb.append(h).append("Scheduler latency (runnable to running)\n");
            sb.append(b).append(dist(s.waits())).append('\n');
            sb.append(b).append("runnable goroutines: max ").append(s.maxRunnable()).append(", mean ")
                    .append(num(s.meanRunnable())).append(" (GOMAXPROCS ").append(s.gomaxprocs()).append("), more than")
                    .append(" GOMAXPROCS runnable ").append(pct(s.overProcsShare())).append(" of the time\n");
            for (SchedulerLatency.Wait w : s.worst().subList(0, Math.min(TEXT_ROWS, s.worst().size()))) {
                sb.append(b).append("g").append(w.goroutine()).append(" waited ").append(Units.time(w.durationNanos()))
                        .append(" at ").append(Units.time(w.startNanos() - a.overview().startNanos()))
                        .append(", made runnable by ").append(w.madeRunnableBy()).append(top(w.stack())).append('\n');
            }
        }
        GcTrace g = a.gc();
        if (g != null) {
            sb.append(h).append("GC (from the trace)\n");
            sb.append(b).append(g.cycles()).append(" cycles, mark phase on ").append(pct(g.markShare()))
                    .append(" of the time, world stopped ").append(pct(g.pauseShare())).append('\n');
            sb.append(b).append("stop-the-world pauses: ").append(dist(g.pauses())).append('\n');
            for (Map.Entry<String, GcTrace.KindTotal> k : g.pausesByKind().entrySet()) {
                sb.append(b).append("  ").append(k.getKey()).append(": ").append(k.getValue().count())
                        .append(", total ")
                        .append(Units.time(k.getValue().totalNanos())).append('\n');
            }
            sb.append(b).append("minimum mutator utilization:");
            for (GcTrace.MmuPoint p : g.mmu()) {
                sb.append(' ').append(Units.time(p.windowNanos())).append(' ').append(pct(p.utilization()));
            }
            sb.append('\n');
        }
        Heatmap m = a.heatmap();
        if (m != null && !m.buckets().isEmpty()) {
            Heatmap.Bucket worst = m.buckets().stream().max((x, y) -> Double.compare(x.runnable(), y.runnable()))
                    .orElseThrow();
            sb.append(h).append("Goroutine states over time\n");
            sb.append(b).append(m.buckets().size()).append(" buckets of ").append(Units.time(m.bucketNanos()))
                    .append("; most runnable at ").append(Units.time(worst.startNanos() - m.startNanos())).append(": ")
                    .append(num(worst.runnable())).append(" runnable, ").append(num(worst.running()))
                    .append(" running\n");
        }
        UserTasks t = a.userTasks();
        if (t != null && (!t.tasks().isEmpty() || !t.regions().isEmpty())) {
            sb.append(h).append("User tasks and regions\n");
            for (UserTasks.TypeStats x : t.tasks()) {
                sb.append(b).append("task ").append(x.type()).append(": ").append(typeLine(x)).append('\n');
            }
            for (UserTasks.TypeStats x : t.regions()) {
                sb.append(b).append("region ").append(x.type()).append(": ").append(typeLine(x)).append('\n');
            }
        }
    }

    private static String typeLine(UserTasks.TypeStats x) {
        return x.count() + " (" + x.incomplete() + " incomplete); complete: " + dist(x.durations());
    }

    private static String dist(LogHistogram.Summary d) {
        if (d.count() == 0) {
            return "none";
        }
        return d.count() + ", p50 " + Units.time(d.p50Nanos()) + ", p95 " + Units.time(d.p95Nanos()) + ", p99 "
                + Units.time(d.p99Nanos()) + ", max " + Units.time(d.maxNanos()) + ", total "
                + Units.time(d.totalNanos());
    }

    private static String top(List<TraceFrame> stack) {
        for (TraceFrame f : stack) {
            if (!f.function().startsWith("runtime.")) {
                return " in " + f.function() + " (" + f.file() + ":" + f.line() + ")";
            }
        }
        return stack.isEmpty() ? "" : " in " + stack.getFirst().function();
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static void json(JsonGenerator g, TraceAnalysis a) throws IOException {
        if (a.schedulerLatency() != null) {
            schedulerLatency(g, a.schedulerLatency());
        }
        if (a.gc() != null) {
            gc(g, a.gc());
        }
        if (a.heatmap() != null) {
            heatmap(g, a.heatmap());
        }
        if (a.userTasks() != null) {
            g.writeObjectFieldStart("userTasks");
            types(g, "tasks", a.userTasks().tasks());
            types(g, "regions", a.userTasks().regions());
            g.writeEndObject();
        }
    }

    private static void schedulerLatency(JsonGenerator g, SchedulerLatency s) throws IOException {
        g.writeObjectFieldStart("schedulerLatency");
        g.writeFieldName("waits");
        dist(g, s.waits());
        g.writeNumberField("maxRunnable", s.maxRunnable());
        g.writeNumberField("meanRunnable", s.meanRunnable());
        g.writeNumberField("gomaxprocs", s.gomaxprocs());
        g.writeNumberField("overProcsShare", s.overProcsShare());
        g.writeArrayFieldStart("worst");
        for (SchedulerLatency.Wait w : s.worst()) {
            g.writeStartObject();
            g.writeNumberField("goroutine", w.goroutine());
            g.writeNumberField("startNanos", w.startNanos());
            g.writeNumberField("durationNanos", w.durationNanos());
            g.writeStringField("madeRunnableBy", w.madeRunnableBy());
            TraceRenderers.frames(g, "stack", w.stack());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("stacks");
        for (SchedulerLatency.WaitStack w : s.stacks()) {
            g.writeStartObject();
            g.writeNumberField("count", w.count());
            g.writeNumberField("totalNanos", w.totalNanos());
            g.writeNumberField("maxNanos", w.maxNanos());
            TraceRenderers.frames(g, "stack", w.stack());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void gc(JsonGenerator g, GcTrace c) throws IOException {
        g.writeObjectFieldStart("gc");
        g.writeNumberField("cycles", c.cycles());
        g.writeNumberField("markNanos", c.markNanos());
        g.writeNumberField("markShare", c.markShare());
        g.writeNumberField("pauseShare", c.pauseShare());
        g.writeNumberField("spanNanos", c.spanNanos());
        g.writeFieldName("pauses");
        dist(g, c.pauses());
        g.writeArrayFieldStart("pausesByKind");
        for (Map.Entry<String, GcTrace.KindTotal> k : c.pausesByKind().entrySet()) {
            g.writeStartObject();
            g.writeStringField("kind", k.getKey());
            g.writeNumberField("count", k.getValue().count());
            g.writeNumberField("totalNanos", k.getValue().totalNanos());
            g.writeEndObject();
        }
        g.writeEndArray();
        spans(g, "longestPauses", c.longestPauses());
        spans(g, "longestCycles", c.longestCycles());
        mmu(g, "mmu", c.mmu());
        mmu(g, "mmuCurve", c.mmuCurve());
        g.writeEndObject();
    }

    private static void spans(JsonGenerator g, String name, List<GcTrace.Span> spans) throws IOException {
        g.writeArrayFieldStart(name);
        for (GcTrace.Span s : spans) {
            g.writeStartObject();
            g.writeNumberField("startNanos", s.startNanos());
            g.writeNumberField("durationNanos", s.durationNanos());
            g.writeStringField("kind", s.kind());
            g.writeBooleanField("unfinished", s.unfinished());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void mmu(JsonGenerator g, String name, List<GcTrace.MmuPoint> points) throws IOException {
        g.writeArrayFieldStart(name);
        for (GcTrace.MmuPoint p : points) {
            g.writeStartObject();
            g.writeNumberField("windowNanos", p.windowNanos());
            g.writeNumberField("utilization", p.utilization());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void heatmap(JsonGenerator g, Heatmap m) throws IOException {
        g.writeObjectFieldStart("heatmap");
        g.writeNumberField("startNanos", m.startNanos());
        g.writeNumberField("bucketNanos", m.bucketNanos());
        g.writeNumberField("gomaxprocs", m.gomaxprocs());
        g.writeArrayFieldStart("buckets");
        for (Heatmap.Bucket b : m.buckets()) {
            g.writeStartObject();
            g.writeNumberField("startNanos", b.startNanos());
            g.writeNumberField("widthNanos", b.widthNanos());
            g.writeNumberField("running", b.running());
            g.writeNumberField("runnable", b.runnable());
            g.writeNumberField("network", b.network());
            g.writeNumberField("sync", b.sync());
            g.writeNumberField("syscall", b.syscall());
            g.writeNumberField("otherWaiting", b.otherWaiting());
            g.writeNumberField("gcMark", b.gcMark());
            g.writeNumberField("stw", b.stw());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void types(JsonGenerator g, String name, List<UserTasks.TypeStats> types) throws IOException {
        g.writeArrayFieldStart(name);
        for (UserTasks.TypeStats t : types) {
            g.writeStartObject();
            g.writeStringField("type", t.type());
            g.writeNumberField("count", t.count());
            g.writeNumberField("incomplete", t.incomplete());
            g.writeFieldName("durations");
            dist(g, t.durations());
            g.writeArrayFieldStart("slowest");
            for (UserTasks.Instance i : t.slowest()) {
                g.writeStartObject();
                g.writeNumberField("id", i.id());
                g.writeNumberField("goroutine", i.goroutine());
                g.writeNumberField("startNanos", i.startNanos());
                g.writeNumberField("durationNanos", i.durationNanos());
                g.writeArrayFieldStart("logs");
                for (String l : i.logs()) {
                    g.writeString(l);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void dist(JsonGenerator g, LogHistogram.Summary d) throws IOException {
        g.writeStartObject();
        g.writeNumberField("count", d.count());
        g.writeNumberField("totalNanos", d.totalNanos());
        g.writeNumberField("minNanos", d.minNanos());
        g.writeNumberField("maxNanos", d.maxNanos());
        g.writeNumberField("p50Nanos", d.p50Nanos());
        g.writeNumberField("p95Nanos", d.p95Nanos());
        g.writeNumberField("p99Nanos", d.p99Nanos());
        g.writeArrayFieldStart("buckets");
        for (LogHistogram.Bucket b : d.buckets()) {
            g.writeStartObject();
            g.writeNumberField("lowNanos", b.lowNanos());
            g.writeNumberField("highNanos", b.highNanos());
            g.writeNumberField("count", b.count());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
