package dev.godiag.model.trace;

/** One CPU profile sample in a trace: its time (ns), thread, P, goroutine (0: none) and stack id. */
public record CpuSample(long time, long thread, long proc, long goroutine, long stack) {
}
