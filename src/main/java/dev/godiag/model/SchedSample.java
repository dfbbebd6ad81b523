package dev.godiag.model;

import java.util.List;

/**
 * One {@code GODEBUG=schedtrace=N} sample: {@code SCHED Tms: gomaxprocs=.. idleprocs=.. threads=..
 * spinningthreads=.. [needspinning=..] idlethreads=.. runqueue=..} then, without scheddetail, the
 * per-P run queues ({@code [0 0]} in Go 1.19, {@code [ 0 0 ] schedticks=[ 5 6 ]} in Go 1.27), or
 * with {@code scheddetail=1} the {@code gcwaiting= nmidlelocked= stopwait= sysmonwait=} fields on
 * the same line and one {@code P}, {@code M} and {@code G} line each after it. Fields a version
 * does not print are -1; {@code nil} ids are -1 too.
 *
 * @param timeMs        T: milliseconds since the first sample
 * @param localRunqueues the per-P run queue lengths (from the bracket list or the P lines)
 * @param schedticks    the per-P schedule ticks (Go 1.27's {@code schedticks=[...]} or the P lines); empty if not printed
 * @param sourceLine    the 1-based line of the SCHED line
 */
public record SchedSample(long timeMs, long gomaxprocs, long idleprocs, long threads, long spinningThreads,
                          long needSpinning, long idleThreads, long runqueue, long[] localRunqueues, long[] schedticks,
                          long gcWaiting, long nmIdleLocked, long stopWait, long sysmonWait,
                          List<P> ps, List<M> ms, List<G> gs, long sourceLine) {
    public SchedSample {
        ps = List.copyOf(ps);
        ms = List.copyOf(ms);
        gs = List.copyOf(gs);
    }

    /** True when scheddetail printed P, M and G lines. */
    public boolean detailed() {
        return gcWaiting >= 0;
    }

    /** {@code  P0: status=1 schedtick=5 syscalltick=2 m=3 runqsize=0 gfreecnt=0 timerslen=1}. */
    public record P(long id, long status, long schedtick, long syscalltick, long m, long runqsize, long gfreecnt,
                    long timerslen) {
    }

    /** {@code  M3: p=0 curg=17 mallocing=0 throwing=0 preemptoff= locks=1 dying=0 spinning=false blocked=false lockedg=-1}. */
    public record M(long id, long p, long curg, long mallocing, long throwing, String preemptoff, long locks,
                    long dying, boolean spinning, boolean blocked, long lockedg) {
    }

    /** {@code  G1: status=4(sleep) m=-1 lockedm=-1}. */
    public record G(long goid, long status, String waitReason, long m, long lockedm) {
    }
}
