package dev.godiag.model;

/**
 * One garbage collection as {@code GODEBUG=gctrace=1} reports it:
 * {@code gc N @Ts U%: a+b+c ms clock, d+e/f/g+h ms cpu, A->B->C MB, G MB goal, S MB stacks,
 * X MB globals, P P (forced)}. Sizes are as printed, in the runtime's "MB" (MiB); fields a runtime
 * version does not print are NaN.
 *
 * @param number           the cycle number (N)
 * @param atSeconds        seconds since the program started (T)
 * @param cpuPercent       U: the share of CPU used by GC since the program started, as printed
 * @param sweepTermClockMs a: stop-the-world sweep termination, wall clock
 * @param markClockMs      b: concurrent mark and scan, wall clock
 * @param markTermClockMs  c: stop-the-world mark termination, wall clock
 * @param sweepTermCpuMs   d
 * @param assistCpuMs      e: mutator assists during the mark (allocation outrunning the GC)
 * @param backgroundCpuMs  f: background mark workers
 * @param idleCpuMs        g: idle-time mark workers
 * @param markTermCpuMs    h
 * @param heapStartMB      A: heap size when the cycle started
 * @param heapEndMB        B: heap size when the mark ended
 * @param liveHeapMB       C: marked (live) heap
 * @param goalMB           G: the heap goal
 * @param stacksMB         S (Go 1.18+)
 * @param globalsMB        X (Go 1.18+)
 * @param procs            P: GOMAXPROCS
 * @param forced           "(forced)": runtime.GC or debug.FreeOSMemory, not the pacer
 * @param leakCheck        "(checking for goroutine leaks)" (Go 1.26+ goroutine leak detection)
 * @param sourceLine       the 1-based line in the input
 */
public record GcCycle(long number, double atSeconds, double cpuPercent, double sweepTermClockMs, double markClockMs,
                      double markTermClockMs, double sweepTermCpuMs, double assistCpuMs, double backgroundCpuMs,
                      double idleCpuMs, double markTermCpuMs, double heapStartMB, double heapEndMB, double liveHeapMB,
                      double goalMB, double stacksMB, double globalsMB, int procs, boolean forced, boolean leakCheck,
                      long sourceLine) {
    /** The stop-the-world time of the cycle: sweep termination plus mark termination, wall clock. */
    public double pauseMs() {
        return sweepTermClockMs + markTermClockMs;
    }

    /** All CPU time the cycle used. */
    public double cpuMs() {
        return sweepTermCpuMs + assistCpuMs + backgroundCpuMs + idleCpuMs + markTermCpuMs;
    }
}
