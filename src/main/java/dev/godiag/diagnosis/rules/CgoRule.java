package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.Threshold;

import java.util.function.Predicate;

/** code.cgo: much of the CPU in cgo calls (runtime.cgocall): C code or the cgo transition. */
public final class CgoRule extends ShareRule {
    static final Threshold SHARE = new Threshold("cgoShare", "fraction", 0.10, 0.25, 0.50,
            "share of the CPU samples under runtime.cgocall/asmcgocall or cgo callbacks (10%/25%/50%)");

    public CgoRule() {
        super("code.cgo", "code", "much of the CPU in cgo calls (runtime.cgocall): C code or the cgo transition", SHARE, Source.CPU);
    }

    @Override
    Predicate<String> match() {
        return n -> n.equals("runtime.cgocall") || n.equals("runtime.cgocallback") || n.equals("runtime.cgocallbackg") || n.startsWith("_cgo_");
    }

    @Override
    Predicate<String> exclude() {
        return null;
    }

    @Override
    String what() {
        return "time in cgo calls";
    }

    @Override
    String explanation() {
        return "Each call into C goes through runtime.cgocall: the goroutine's thread leaves the Go scheduler for the duration (costing tens of nanoseconds and, when the call blocks, a thread per call), and the C code's own time is shown under cgocall because Go cannot unwind C stacks without a cgo traceback handler.";
    }

    @Override
    String fix() {
        return "Make fewer, bigger calls (pass a batch to C instead of one item per call), move hot small functions to Go, and for C that blocks bound the concurrency of callers. To see inside the C code, register a traceback (import _ \"github.com/ianlancetaylor/cgosymbolizer\") or profile with perf.";
    }

    @Override
    String[] example() {
        return null;
    }
}
