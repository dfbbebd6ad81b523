package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.Threshold;

import java.util.function.Predicate;

/** cpu.allocation-pressure: much of the CPU goes to allocating memory (runtime.mallocgc and friends). */
public final class AllocationPressureRule extends ShareRule {
    static final Threshold SHARE = new Threshold("mallocShare", "fraction", 0.10, 0.20, 0.35,
            "share of the CPU samples whose stack passes through runtime.mallocgc* or runtime.newobject/makeslice/growslice (10%/20%/35%: a few percent is normal for Go)");

    public AllocationPressureRule() {
        super("cpu.allocation-pressure", "cpu", "much of the CPU goes to allocating memory (runtime.mallocgc and friends)", SHARE, Source.CPU);
    }

    @Override
    Predicate<String> match() {
        return n -> n.startsWith("runtime.mallocgc") || n.equals("runtime.newobject") || n.equals("runtime.newarray") || n.equals("runtime.makeslice");
    }

    @Override
    Predicate<String> exclude() {
        return null;
    }

    @Override
    String what() {
        return "allocation pressure";
    }

    @Override
    String explanation() {
        return "Every heap allocation runs runtime.mallocgc (split into mallocgcSmallScanNoHeader, mallocgcSmallNoscan... since Go 1.22), which zeroes memory, may assist the GC and makes the next GC cycle come sooner. When it takes this share of the CPU, the service spends its time creating garbage; the own functions listed are where the allocations start.";
    }

    @Override
    String fix() {
        return "Allocate less in the functions named: preallocate slices and maps with their final size, reuse buffers (sync.Pool, Reset()), avoid converting between string and []byte, avoid boxing values in interfaces, and keep short-lived values on the stack (check with go build -gcflags=-m). GOGC/GOMEMLIMIT only trade memory for GC time.";
    }

    /** The own functions that allocate most bytes, from an allocs profile when there is one. */
    @Override
    void moreEvidence(dev.godiag.diagnosis.DiagnosisInput input, dev.godiag.diagnosis.Finding.Builder b) {
        dev.godiag.model.Profile allocs = input.merged(dev.godiag.diagnosis.DiagnosisInput.Kind.ALLOCS_PROFILE);
        if (allocs == null) {
            return;
        }
        try {
            StackMatch.Result r = StackMatch.of(allocs,
                    input.stacks(dev.godiag.diagnosis.DiagnosisInput.Kind.ALLOCS_PROFILE), "alloc_space", n -> true,
                    null, true);
            b.evidence("allocSitesBytes", StackMatch.top(r.ownCallers(), 5));
        } catch (RuntimeException e) {
            // no alloc_space in this profile
        }
    }

    @Override
    String[] example() {
        return new String[] {"for _, o := range orders {\n    out = append(out, render(o)) // out grows and is copied again and again\n}", "out := make([]string, 0, len(orders))\nfor _, o := range orders {\n    out = append(out, render(o))\n}"};
    }
}
