package dev.godiag.model.trace;

/** One frame of a trace stack: the program counter, its function, file and line. */
public record TraceFrame(long pc, String function, String file, long line) {
}
