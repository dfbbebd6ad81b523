package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.Threshold;

import java.util.function.Predicate;

/** cpu.gc-work: much of the CPU goes to the garbage collector's mark and sweep work. */
public final class GcWorkRule extends ShareRule {
    static final Threshold SHARE = new Threshold("gcShare", "fraction", 0.10, 0.25, 0.40,
            "share of the CPU samples in the GC: gcBgMarkWorker, gcDrain*, markroot*, scanobject/scanObject, gcAssistAlloc*, bgsweep/sweepone (10%/25%/40%: the GC aims at 25% of GOMAXPROCS only while marking)");

    public GcWorkRule() {
        super("cpu.gc-work", "cpu", "much of the CPU goes to the garbage collector's mark and sweep work", SHARE, Source.CPU);
    }

    @Override
    Predicate<String> match() {
        return StackMatch.prefixes("runtime.gcBgMarkWorker", "runtime.gcDrain", "runtime.markroot", "runtime.scanobject", "runtime.scanObject", "runtime.scanblock", "runtime.scanstack", "runtime.scanSpan", "runtime.scanframeworker", "runtime.greyobject", "runtime.gcAssistAlloc", "runtime.gcMark", "runtime.gcStart", "runtime.gcSweep", "runtime.bgsweep", "runtime.sweepone", "runtime.(*sweepLocked).sweep", "runtime.wbBufFlush", "runtime.gcWriteBarrier", "runtime.(*gcWork).");
    }

    @Override
    Predicate<String> exclude() {
        return null;
    }

    @Override
    String what() {
        return "garbage collection work";
    }

    @Override
    String explanation() {
        return "The collector's background mark workers (runtime.gcBgMarkWorker, gcDrain, scanobject), its mark assists charged to allocating goroutines (gcAssistAlloc) and the sweeper (bgsweep) take this share of the CPU. GC cost grows with the allocation rate and with the amount of live pointer-bearing memory it has to scan.";
    }

    @Override
    String fix() {
        return "Reduce the allocation rate (see cpu.allocation-pressure and the alloc_space profile) and the number of pointers in long-lived data (slices of values instead of pointers, indices instead of pointers in big maps). If memory allows, raise GOGC or set GOMEMLIMIT so the GC runs less often; check the effect with GODEBUG=gctrace=1.";
    }

    @Override
    String[] example() {
        return new String[] {"// default: GC each time the heap doubles\n./service", "// fewer cycles while memory allows (Go 1.19+)\nGOGC=200 GOMEMLIMIT=3GiB ./service"};
    }
}
