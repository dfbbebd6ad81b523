package dev.godiag.model;

import java.util.List;

/**
 * What the runtime traced in a log: the {@code gctrace} cycles in order of appearance, the
 * scavenger lines, the lines of the periodic forced GC ({@code GC forced}), {@code schedtrace}
 * samples, the number of gctrace=2 {@code scan:} lines, and the lines the reader skipped as
 * malformed ({@code line N: ...}, at most {@link #MAX_WARNINGS} kept, {@code warningCount} counts all).
 *
 * @param gcForcedLines the 1-based line numbers of the {@code GC forced} lines
 * @param lines         the number of lines read
 */
public record GcTrace(String source, List<GcCycle> cycles, List<ScavengeEvent> scavenges, long[] gcForcedLines,
                      List<SchedSample> sched, long scanStatLines, long lines, List<String> warnings,
                      long warningCount) implements RuntimeInput {
    public static final int MAX_WARNINGS = 1000;

    public GcTrace {
        cycles = List.copyOf(cycles);
        scavenges = List.copyOf(scavenges);
        sched = List.copyOf(sched);
        warnings = List.copyOf(warnings);
    }

    /** How many skipped lines the commands that use a log's numbers show on the terminal. */
    public static final int WARNINGS_SHOWN = 10;

    /**
     * The skipped lines as warnings naming the log ({@code "gc.log: line 12: ..."}), at most
     * {@link #WARNINGS_SHOWN} of them, then one saying how many more there are.
     */
    public List<String> warningLines() {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < Math.min(warnings.size(), WARNINGS_SHOWN); i++) {
            out.add(source + ": " + warnings.get(i));
        }
        if (warningCount > out.size()) {
            out.add(source + ": and " + (warningCount - out.size()) + " more lines skipped");
        }
        return out;
    }

    /** Cycles started by runtime.GC or debug.FreeOSMemory ("(forced)" at the end of the gc line). */
    public long forcedCycles() {
        return cycles.stream().filter(GcCycle::forced).count();
    }
}
