package dev.godiag.format;

/**
 * What an input is, as {@link Inputs#detect} tells from its first bytes. A kind is decided by
 * content alone; the finer answer a kind needs (which profile, which goroutine form) comes from
 * reading it ({@link Input}).
 */
public enum InputKind {
    /** profile.proto (gzipped or not), Go's legacy text and binary forms, speedscope JSON, folded stacks. */
    PROFILE("a profile"),
    /** A goroutine dump (debug=2, a panic, a SIGQUIT log) or goroutine debug=1 text. */
    GOROUTINES("goroutines"),
    /** A log read for the runtime's gctrace, scavenger and schedtrace lines. */
    GCTRACE("a gctrace log"),
    /** /debug/vars JSON. */
    EXPVAR("/debug/vars JSON"),
    /** The Prometheus text exposition (/metrics). */
    PROMETHEUS("Prometheus metrics"),
    /** Go benchmark results (go test -bench output). */
    BENCHMARKS("Go benchmark results"),
    /** A load-test summary: hey, wrk, vegeta (text or JSON), a CSV of latencies. */
    LOAD_SUMMARY("a load-test summary"),
    /** Derived metrics as JSON: {"metrics":[{"name":..,"unit":..,"values":[..]}]}. */
    METRICS_JSON("metrics JSON"),
    /** An execution trace (runtime/trace, /debug/pprof/trace, go test -trace), of any Go from 1.11. */
    TRACE("an execution trace"),
    /** The Go compiler's diagnostics: go build -gcflags=-m/-m=2/check_bce output, or a -json=0 file. */
    COMPILER_LOG("Go compiler diagnostics"),
    /** A heap dump: what runtime/debug.WriteHeapDump writes ("go1.7 heap dump"), of any Go from 1.7. */
    HEAP_DUMP("a Go heap dump"),
    /** None of the above. */
    UNRECOGNISED("unrecognised input");

    private final String description;

    InputKind(String description) {
        this.description = description;
    }

    /** The kind in words, for messages: "a gctrace log", "Go benchmark results". */
    public String description() {
        return description;
    }
}
