package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.Threshold;

import java.util.function.Predicate;

/** code.defer-hot: runtime.deferproc/deferreturn visible in the CPU: defers that are not open-coded on a hot path. */
public final class DeferHotRule extends ShareRule {
    static final Threshold SHARE = new Threshold("deferShare", "fraction", 0.01, 0.03, 0.08,
            "share of the CPU samples in runtime.deferproc*, deferreturn, newdefer/freedefer, popDefer and (*_panic).nextDefer (Go 1.22+) (1%/3%/8%: open-coded defers, Go 1.14+, cost nearly nothing and never appear)");

    public DeferHotRule() {
        super("code.defer-hot", "code", "runtime.deferproc/deferreturn visible in the CPU: defers that are not open-coded on a hot path", SHARE, Source.CPU);
    }

    @Override
    Predicate<String> match() {
        return StackMatch.prefixes("runtime.deferproc", "runtime.deferreturn", "runtime.deferCallSave", "runtime.freedefer",
                "runtime.newdefer", "runtime.popDefer", "runtime.(*_panic).nextDefer");
    }

    @Override
    Predicate<String> exclude() {
        return null;
    }

    @Override
    String what() {
        return "heap/stack-allocated defers on a hot path";
    }

    @Override
    String explanation() {
        return "Since Go 1.14 most defers are open-coded and free; the compiler falls back to runtime.deferproc/deferreturn when a defer sits in a loop, when a function has more than 8 defers or when it returns through too many paths. Those defers allocate a record and run through the runtime on every call.";
    }

    @Override
    String fix() {
        return "Move the defer out of the loop: put the loop body in its own function (so its defer is open-coded), or release the resource explicitly at the end of the iteration.";
    }

    @Override
    String[] example() {
        return new String[] {"for _, f := range files {\n    fd, _ := os.Open(f)\n    defer fd.Close() // runtime.deferproc, and files stay open\n    process(fd)\n}", "for _, f := range files {\n    processFile(f) // opens, defers Close (open-coded), processes\n}"};
    }
}
