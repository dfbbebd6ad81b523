package dev.godiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.analysis.trace.BlockingKind;
import dev.godiag.analysis.trace.BlockingProfile;
import dev.godiag.analysis.trace.BlockingStack;
import dev.godiag.analysis.trace.GoroutineGroup;
import dev.godiag.analysis.trace.GoroutineTimes;
import dev.godiag.analysis.trace.TraceAnalysis;
import dev.godiag.model.trace.TraceFrame;
import dev.godiag.util.GoSymbols;
import dev.godiag.util.Units;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The trace report's sections "where goroutines waited" (the four blocking profiles: total delay and
 * top stacks) and "goroutine groups" (goroutines by start function with the split of their time and
 * the slowest of each), as text, markdown and JSON.
 */
final class TraceWaitSections {
    /** Stacks shown per kind of wait, groups shown in text. */
    static final int TOP_STACKS = 5;
    static final int TOP_GROUPS = 15;

    private TraceWaitSections() {
    }

    /** The leaf and, when the leaf is not the program's own code, the innermost frame that is. */
    private static String where(BlockingStack s) {
        if (s.leaf().isEmpty()) {
            return "(no stack)";
        }
        TraceFrame leaf = s.leaf().get();
        String out = leaf.function() + " " + leaf.file() + ":" + leaf.line();
        int own = ownFrame(s.frames());
        if (own <= 0) {
            return out;
        }
        TraceFrame f = s.frames().get(own);
        return out + " from " + f.function() + " " + f.file() + ":" + f.line();
    }

    /** The index of the innermost frame of the program's own code, or -1. */
    private static int ownFrame(List<TraceFrame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if (GoSymbols.kindOf(GoSymbols.packageOf(frames.get(i).function())) == GoSymbols.Kind.OWN) {
                return i;
            }
        }
        return -1;
    }

    static void text(StringBuilder sb, TraceAnalysis a, boolean markdown) {
        sb.append(markdown ? "\n#### Where goroutines waited\n\n" : "\nWhere goroutines waited\n");
        for (BlockingKind k : BlockingKind.values()) {
            BlockingProfile p = a.blocking().get(k);
            String head = String.format("%s (%s): %s in %d waits", k.flag(), k.meaning(),
                    Units.time(p.totalDelayNanos()), p.totalCount());
            sb.append(markdown ? "- **" + head + "**\n" : "  " + head + "\n");
            List<BlockingStack> top = p.stacks().subList(0, Math.min(TOP_STACKS, p.stacks().size()));
            for (BlockingStack s : top) {
                String row = String.format("%10s %8d  %s", Units.time(s.delayNanos()), s.count(), where(s));
                sb.append(markdown ? "  - `" + row.strip() + "`\n" : "    " + row + "\n");
            }
        }
        List<GoroutineGroup> groups = a.goroutineGroups();
        sb.append(markdown ? "\n#### Goroutine groups\n\n" : "\nGoroutine groups (by start function, most running"
                + " time first)\n");
        String[] cols = {"count", "total", "running", "sched", "net", "sync", "blocked", "syscall", "sys-block",
            "unknown", "assist"};
        if (markdown) {
            sb.append("| start function | ").append(String.join(" | ", cols)).append(" |\n|---");
            sb.append("|---:".repeat(cols.length)).append("|\n");
        } else {
            StringBuilder h = new StringBuilder("  ");
            for (String c : cols) {
                h.append(String.format("%10s", c));
            }
            sb.append(h).append("  start function\n");
        }
        for (GoroutineGroup g : groups.subList(0, Math.min(TOP_GROUPS, groups.size()))) {
            GoroutineTimes t = g.sum();
            long[] v = {t.total(), t.exec(), t.schedWait(), t.blockNet(), t.blockSync(), t.blockOther(),
                t.syscall(), t.syscallBlock(), g.unknown(), t.assist()};
            String name = g.name().isEmpty() ? "(no stack seen)" : g.name();
            if (markdown) {
                sb.append("| `").append(name).append("` | ").append(g.count());
                for (long x : v) {
                    sb.append(" | ").append(Units.time(x));
                }
                sb.append(" |\n");
            } else {
                sb.append(String.format("  %10d", g.count()));
                for (long x : v) {
                    sb.append(String.format("%10s", Units.time(x)));
                }
                sb.append("  ").append(name).append('\n');
            }
        }
        if (groups.size() > TOP_GROUPS) {
            sb.append(markdown ? "\n" : "  ").append(groups.size() - TOP_GROUPS).append(" more groups (see JSON)\n");
        }
    }

    static void json(JsonGenerator g, TraceAnalysis a) throws IOException {
        g.writeArrayFieldStart("waits");
        for (BlockingKind k : BlockingKind.values()) {
            BlockingProfile p = a.blocking().get(k);
            g.writeStartObject();
            g.writeStringField("kind", k.flag());
            g.writeStringField("meaning", k.meaning());
            g.writeNumberField("delayNanos", p.totalDelayNanos());
            g.writeNumberField("count", p.totalCount());
            g.writeNumberField("stacks", p.stacks().size());
            g.writeArrayFieldStart("top");
            for (BlockingStack s : p.stacks().subList(0, Math.min(TOP_STACKS, p.stacks().size()))) {
                g.writeStartObject();
                g.writeNumberField("delayNanos", s.delayNanos());
                g.writeNumberField("count", s.count());
                g.writeNumberField("maxDelayNanos", s.maxDelayNanos());
                TraceRenderers.frames(g, "frames", s.frames());
                g.writeNumberField("own", ownFrame(s.frames()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("goroutineGroups");
        for (GoroutineGroup gr : a.goroutineGroups()) {
            g.writeStartObject();
            g.writeStringField("name", gr.name());
            g.writeNumberField("count", gr.count());
            times(g, gr.sum(), gr.unknown());
            g.writeArrayFieldStart("slowest");
            for (GoroutineTimes t : gr.slowest()) {
                g.writeStartObject();
                g.writeNumberField("id", t.id());
                times(g, t, t.unknown());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void times(JsonGenerator g, GoroutineTimes t, long unknown) throws IOException {
        g.writeNumberField("totalNanos", t.total());
        g.writeNumberField("execNanos", t.exec());
        g.writeNumberField("schedWaitNanos", t.schedWait());
        g.writeNumberField("blockNetNanos", t.blockNet());
        g.writeNumberField("blockSyncNanos", t.blockSync());
        g.writeNumberField("blockOtherNanos", t.blockOther());
        g.writeNumberField("syscallNanos", t.syscall());
        g.writeNumberField("syscallBlockNanos", t.syscallBlock());
        g.writeNumberField("unknownNanos", unknown);
        g.writeNumberField("assistNanos", t.assist());
        g.writeNumberField("sweepNanos", t.sweep());
        g.writeObjectFieldStart("blockByReason");
        for (Map.Entry<String, Long> e : t.blockByReason().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }
}
