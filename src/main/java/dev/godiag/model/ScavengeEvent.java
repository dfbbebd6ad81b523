package dev.godiag.model;

/**
 * One scavenger line of {@code GODEBUG=gctrace=1}. Go 1.19/1.20 print
 * {@code scav W KiB work, R KiB total, U% util}; later versions
 * {@code scav B KiB work (bg), E KiB work (eager), R KiB now, U% util}. Either form may end with
 * {@code (forced)} (debug.FreeOSMemory) or {@code [controller reset]}.
 *
 * @param workKiB         memory released since the previous line (W, or B + E)
 * @param backgroundKiB   B, released by the background scavenger; -1 when the version does not split it
 * @param eagerKiB        E, released eagerly (allocation, FreeOSMemory); -1 when not split
 * @param releasedKiB     R: heap memory released to the OS now (heapReleased; "total" and "now" are the same counter)
 * @param utilPercent     U: heap in use as a share of the retained heap
 * @param forced          "(forced)"
 * @param controllerReset "[controller reset]"
 * @param sourceLine      the 1-based line in the input
 */
public record ScavengeEvent(long workKiB, long backgroundKiB, long eagerKiB, long releasedKiB, long utilPercent,
                            boolean forced, boolean controllerReset, long sourceLine) {
}
