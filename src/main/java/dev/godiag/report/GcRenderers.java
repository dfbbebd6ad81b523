package dev.godiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.model.GcCycle;
import dev.godiag.model.GcTrace;
import dev.godiag.model.ScavengeEvent;
import dev.godiag.model.SchedSample;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/** The GC report of gctrace logs as text, markdown and JSON. */
public final class GcRenderers {
    private GcRenderers() {
    }

    /**
     * One analysed input.
     *
     * @param input  what it was: "gctrace" (a log) or "memstats" (a /debug/vars snapshot, whose
     *               PauseNs/PauseEnd ring buffer gives the last 256 cycles)
     * @param cycles all cycles the input counts (NumGC for memstats; the gc lines of a log)
     * @param forced the forced ones among them
     */
    public record Report(String name, String input, GcTrace trace, GcAnalysis.Result result, long cycles,
                         long forced) {
        /** A gctrace log: every cycle is in the analysis. */
        public static Report ofLog(String name, GcTrace trace, GcAnalysis.Result result) {
            return new Report(name, "gctrace", trace, result, result.cycles().size(), result.forced());
        }
    }

    public static String text(List<Report> reports, boolean cycles) {
        StringBuilder sb = new StringBuilder();
        for (Report r : reports) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            summary(sb, r, "");
            windows(sb, r.result(), false);
            if (!r.result().notes().isEmpty()) {
                sb.append("\nNotes:\n");
                for (String n : r.result().notes()) {
                    sb.append("- ").append(n).append('\n');
                }
            }
            if (cycles) {
                cycleTable(sb, r.result().cycles());
            }
            warnings(sb, r.trace());
        }
        return sb.toString();
    }

    private static void summary(StringBuilder sb, Report r, String bullet) {
        GcAnalysis.Result a = r.result();
        List<GcCycle> c = a.cycles();
        sb.append(bullet).append("GC: ").append(r.name()).append(", ").append(r.cycles())
                .append(r.cycles() == 1 ? " cycle" : " cycles");
        if (r.input().equals("memstats")) {
            sb.append(" (memstats; the last ").append(c.size()).append(" from its pause ring buffer)");
        } else if (!c.isEmpty()) {
            sb.append(fmt(" over %.1fs (gc %d to %d)", a.spanSeconds(), c.get(0).number(), c.get(c.size() - 1).number()));
        }
        sb.append(", ").append(r.forced()).append(" forced");
        if (a.leakChecks() > 0) {
            sb.append(", ").append(a.leakChecks()).append(" checking for goroutine leaks");
        }
        sb.append('\n');
        if (c.isEmpty()) {
            return;
        }
        GcAnalysis.Percentiles p = a.pauseMs();
        sb.append(bullet).append(fmt("Pauses (stop the world, ms): p50 %s, p95 %s, p99 %s, max %s%n",
                ms(p.p50()), ms(p.p95()), ms(p.p99()), ms(p.max())));
        sb.append(bullet).append(fmt("GC CPU: %s of the CPU since start (last reported); assists %s of GC CPU%n",
                pct(a.gcCpuPercent()), pct(a.assistPercent())));
        sb.append(bullet).append(fmt("Frequency: %s", Double.isFinite(a.cyclesPerSecond())
                ? num(a.cyclesPerSecond()) + " cycles/s" : "unknown"));
        if (Double.isFinite(a.allocRateMBps())) {
            sb.append(fmt("; allocation about %s/s (heap growth between cycles)", mib(a.allocRateMBps())));
        }
        sb.append(System.lineSeparator());
        GcCycle first = c.get(0);
        GcCycle last = c.get(c.size() - 1);
        if (Double.isNaN(first.liveHeapMB()) && Double.isNaN(last.liveHeapMB())) {
            sb.append(bullet).append(fmt("Heap: goal now %s", mib(last.goalMB())));
        } else {
            sb.append(bullet).append(fmt("Heap: live %s → %s, goal %s → %s, peak live %s",
                    mib(first.liveHeapMB()), mib(last.liveHeapMB()), mib(first.goalMB()), mib(last.goalMB()),
                    mib(c.stream().mapToDouble(GcCycle::liveHeapMB).max().orElse(Double.NaN))));
        }
        if (!Double.isNaN(a.stacksGrowthMB())) {
            sb.append(fmt("; stacks %s MiB, globals %s MiB", signed(a.stacksGrowthMB()), signed(a.globalsGrowthMB())));
        }
        sb.append('\n');
        List<SchedSample> sched = r.trace().sched();
        if (!sched.isEmpty()) {
            sb.append(bullet).append(fmt("Scheduler: %d SCHED samples, gomaxprocs %d, threads up to %d, global run"
                            + " queue up to %d, idle Ps at the end %d%n", sched.size(),
                    sched.get(sched.size() - 1).gomaxprocs(),
                    sched.stream().mapToLong(SchedSample::threads).max().orElse(-1),
                    sched.stream().mapToLong(SchedSample::runqueue).max().orElse(-1),
                    sched.get(sched.size() - 1).idleprocs()));
        }
        List<ScavengeEvent> scav = r.trace().scavenges();
        if (!scav.isEmpty()) {
            long work = scav.stream().mapToLong(ScavengeEvent::workKiB).sum();
            sb.append(bullet).append(fmt("Scavenger: %d lines, %d KiB returned to the OS, %d KiB released at the end%n",
                    scav.size(), work, scav.get(scav.size() - 1).releasedKiB()));
        }
    }

    private static void windows(StringBuilder sb, GcAnalysis.Result a, boolean markdown) {
        if (a.windows().size() < 2) {
            return;
        }
        double width = a.windows().get(0).toSeconds() - a.windows().get(0).fromSeconds();
        String[] header = {"from s", "to s", "cycles", "forced", "p50 ms", "p99 ms", "max ms", "GC CPU%", "assist%",
                "live MiB", "goal MiB"};
        if (markdown) {
            sb.append("\n| ").append(String.join(" | ", header)).append(" |\n|").append("---:|".repeat(header.length))
                    .append('\n');
        } else {
            sb.append(fmt("%nWindows of %ss:%n", num(width)));
            sb.append(fmt("%8s %8s %6s %6s %7s %7s %7s %7s %7s %7s %7s%n", (Object[]) header));
        }
        for (GcAnalysis.Window w : a.windows()) {
            Object[] cells = {num(w.fromSeconds()), num(w.toSeconds()), w.cycles(), w.forced(), ms(w.pauseMs().p50()),
                    ms(w.pauseMs().p99()), ms(w.pauseMs().max()), num(w.gcCpuPercent()), num(w.assistPercent()),
                    num(w.maxLiveHeapMB()), num(w.maxGoalMB())};
            if (markdown) {
                sb.append("| ");
                for (Object o : cells) {
                    sb.append(o).append(" | ");
                }
                sb.setLength(sb.length() - 1);
                sb.append('\n');
            } else {
                sb.append(fmt("%8s %8s %6s %6s %7s %7s %7s %7s %7s %7s %7s%n", cells));
            }
        }
    }

    private static void cycleTable(StringBuilder sb, List<GcCycle> cycles) {
        sb.append(fmt("%nCycles:%n%6s %9s %8s %8s %8s %8s %7s %7s %7s %5s  %s%n", "gc", "at s", "pause ms",
                "mark ms", "cpu ms", "assist", "start", "end", "live", "goal", "flags"));
        for (GcCycle c : cycles) {
            sb.append(fmt("%6d %9.3f %8s %8s %8s %8s %7s %7s %7s %5s  %s%n", c.number(), c.atSeconds(),
                    ms(c.pauseMs()), ms(c.markClockMs()), ms(c.cpuMs()), ms(c.assistCpuMs()), num(c.heapStartMB()),
                    num(c.heapEndMB()), num(c.liveHeapMB()), num(c.goalMB()),
                    (c.forced() ? "forced " : "") + (c.leakCheck() ? "leak-check" : "")));
        }
    }

    private static void warnings(StringBuilder sb, GcTrace t) {
        for (String w : t.warnings()) {
            sb.append("warning: ").append(t.source()).append(": ").append(w).append('\n');
        }
        if (t.warningCount() > t.warnings().size()) {
            sb.append("warning: ").append(t.source()).append(": and ").append(t.warningCount() - t.warnings().size())
                    .append(" more\n");
        }
    }

    public static String markdown(List<Report> reports) {
        StringBuilder sb = new StringBuilder("### GC\n\n");
        for (Report r : reports) {
            summary(sb, r, "- ");
            windows(sb, r.result(), true);
            if (!r.result().notes().isEmpty()) {
                sb.append('\n');
                for (String n : r.result().notes()) {
                    sb.append("- ").append(n).append('\n');
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public static String json(List<Report> reports) {
        return Json.write(g -> {
            if (reports.size() > 1) {
                g.writeStartArray();
            }
            for (Report r : reports) {
                report(g, r);
            }
            if (reports.size() > 1) {
                g.writeEndArray();
            }
        });
    }

    private static void report(JsonGenerator g, Report r) throws IOException {
        GcAnalysis.Result a = r.result();
        g.writeStartObject();
        g.writeStringField("source", r.name());
        g.writeStringField("input", r.input());
        g.writeNumberField("lines", r.trace().lines());
        g.writeNumberField("cycles", r.cycles());
        g.writeNumberField("cyclesAnalysed", a.cycles().size());
        g.writeNumberField("forced", r.forced());
        g.writeNumberField("leakChecks", a.leakChecks());
        g.writeNumberField("gcForcedLines", r.trace().gcForcedLines().length);
        g.writeObjectFieldStart("pauseMs");
        number(g, "p50", a.pauseMs().p50());
        number(g, "p95", a.pauseMs().p95());
        number(g, "p99", a.pauseMs().p99());
        number(g, "max", a.pauseMs().max());
        g.writeEndObject();
        number(g, "gcCpuPercent", a.gcCpuPercent());
        number(g, "assistPercent", a.assistPercent());
        number(g, "cyclesPerSecond", a.cyclesPerSecond());
        number(g, "allocRateMBps", a.allocRateMBps());
        number(g, "spanSeconds", a.spanSeconds());
        series(g, "atSeconds", a.cycles(), GcCycle::atSeconds);
        series(g, "heapGoalMB", a.cycles(), GcCycle::goalMB);
        series(g, "liveHeapMB", a.cycles(), GcCycle::liveHeapMB);
        series(g, "pauseMsPerCycle", a.cycles(), GcCycle::pauseMs);
        g.writeArrayFieldStart("windows");
        for (GcAnalysis.Window w : a.windows()) {
            g.writeStartObject();
            number(g, "fromSeconds", w.fromSeconds());
            number(g, "toSeconds", w.toSeconds());
            g.writeNumberField("cycles", w.cycles());
            g.writeNumberField("forced", w.forced());
            number(g, "pauseP50Ms", w.pauseMs().p50());
            number(g, "pauseP99Ms", w.pauseMs().p99());
            number(g, "pauseMaxMs", w.pauseMs().max());
            number(g, "gcCpuPercent", w.gcCpuPercent());
            number(g, "assistPercent", w.assistPercent());
            number(g, "maxLiveHeapMB", w.maxLiveHeapMB());
            number(g, "maxGoalMB", w.maxGoalMB());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("scavenger");
        for (ScavengeEvent s : r.trace().scavenges()) {
            g.writeStartObject();
            g.writeNumberField("workKiB", s.workKiB());
            g.writeNumberField("releasedKiB", s.releasedKiB());
            g.writeNumberField("utilPercent", s.utilPercent());
            g.writeBooleanField("forced", s.forced());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("notes");
        for (String n : a.notes()) {
            g.writeString(n);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("warnings");
        for (String w : r.trace().warnings()) {
            g.writeString(w);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void series(JsonGenerator g, String field, List<GcCycle> cycles,
                               java.util.function.ToDoubleFunction<GcCycle> f) throws IOException {
        g.writeArrayFieldStart(field);
        for (GcCycle c : cycles) {
            double v = f.applyAsDouble(c);
            if (Double.isFinite(v)) {
                g.writeNumber(v);
            } else {
                g.writeNull();
            }
        }
        g.writeEndArray();
    }

    static void number(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(field, Math.round(v * 1e4) / 1e4);
        } else {
            g.writeNullField(field);
        }
    }

    private static String ms(double v) {
        return Double.isFinite(v) ? (v >= 100 ? fmt("%.0f", v) : v >= 10 ? fmt("%.1f", v) : fmt("%.3f", v)) : "-";
    }

    /** A percentage in a sentence; "unknown" when the input does not give it. */
    private static String pct(double v) {
        return Double.isFinite(v) ? num(v) + "%" : "unknown";
    }

    /** The runtime's "MB" (gctrace prints bytes >> 20, so MiB) in a sentence; "unknown" when not given. */
    private static String mib(double v) {
        return Double.isFinite(v) ? num(v) + " MiB" : "unknown";
    }

    static String num(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : fmt("%.2f", v);
    }

    private static String signed(double v) {
        return Double.isFinite(v) ? (v >= 0 ? "+" : "") + num(v) : "-";
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
