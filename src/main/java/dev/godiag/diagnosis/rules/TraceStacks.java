package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.trace.BlockingStack;
import dev.godiag.model.trace.TraceFrame;
import dev.godiag.util.GoSymbols;

import java.util.List;
import java.util.Optional;

/** What the trace rules read in a blocking profile's stack: the program's own frame, what waits. */
final class TraceStacks {
    private TraceStacks() {
    }

    /** The innermost frame of the program's own code (not runtime, not the standard library). */
    static Optional<TraceFrame> ownFrame(List<TraceFrame> frames) {
        for (TraceFrame f : frames) {
            if (GoSymbols.kindOf(GoSymbols.packageOf(f.function())) == GoSymbols.Kind.OWN) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The frame to point at: the program's own, else the innermost. */
    static Optional<TraceFrame> where(BlockingStack s) {
        return ownFrame(s.frames()).or(s::leaf);
    }

    /** The root frame's function: the goroutine's start function when the stack is whole. */
    static String root(BlockingStack s) {
        return s.frames().isEmpty() ? "" : s.frames().get(s.frames().size() - 1).function();
    }

    static boolean contains(BlockingStack s, String... functions) {
        for (TraceFrame f : s.frames()) {
            for (String fn : functions) {
                if (f.function().equals(fn)) {
                    return true;
                }
            }
        }
        return false;
    }

    static String at(TraceFrame f) {
        return f.function() + " (" + f.file() + ":" + f.line() + ")";
    }

    static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1e3;
    }
}
