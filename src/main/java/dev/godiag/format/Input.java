package dev.godiag.format;

import dev.godiag.model.BenchFile;
import dev.godiag.model.ExpvarSnapshot;
import dev.godiag.model.GcTrace;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.PromMetrics;
import dev.godiag.format.load.LoadSummary;

import java.util.List;
import java.util.Objects;

/**
 * One input as {@link Inputs#read} read it: one record per kind, each with the name of its source
 * and what was read. A surface switches over it; a new kind is a new record here and a rule in
 * {@link Inputs}, and the compiler points at every switch that has to handle it.
 */
public sealed interface Input {
    /** The source's name (file, URL, {@code <stdin>}, an upload's name). */
    String name();

    /** The kind, as {@link Inputs#detect} names it. */
    InputKind kind();

    /** A profile of any kind but goroutine (those are {@link Goroutines}). */
    record Profile(String name, dev.godiag.model.Profile profile, ProfileKind profileKind) implements Input {
        public Profile {
            Objects.requireNonNull(profile);
            Objects.requireNonNull(profileKind);
        }

        @Override
        public InputKind kind() {
            return InputKind.PROFILE;
        }

        /** Go's debug=1 text (or another legacy text form) rather than profile.proto. */
        public boolean text() {
            return profile.kind().endsWith("-text");
        }
    }

    /**
     * Goroutines in any form: a full dump, debug=1 text, or a goroutine or goroutineleak profile
     * ({@link GoroutineDump#format} says which). {@code timeNanos} is the profile's time, 0 when the
     * form has none.
     */
    record Goroutines(String name, GoroutineDump dump, long timeNanos) implements Input {
        @Override
        public InputKind kind() {
            return InputKind.GOROUTINES;
        }
    }

    /** A log with gctrace, scavenger or schedtrace lines. */
    record GcTraceLog(String name, GcTrace trace) implements Input {
        @Override
        public InputKind kind() {
            return InputKind.GCTRACE;
        }
    }

    /** /debug/vars JSON. */
    record Expvar(String name, ExpvarSnapshot vars) implements Input {
        @Override
        public InputKind kind() {
            return InputKind.EXPVAR;
        }
    }

    /** The Prometheus text exposition. */
    record Prometheus(String name, PromMetrics metrics) implements Input {
        @Override
        public InputKind kind() {
            return InputKind.PROMETHEUS;
        }
    }

    /** Go benchmark results. */
    record Benchmarks(String name, BenchFile file) implements Input {
        @Override
        public InputKind kind() {
            return InputKind.BENCHMARKS;
        }
    }

    /** A load-test summary. */
    record Load(String name, LoadSummary summary) implements Input {
        @Override
        public InputKind kind() {
            return InputKind.LOAD_SUMMARY;
        }
    }

    /** Derived metrics, {@code {"metrics":[{"name":..,"unit":..,"values":[..]}]}}, in file order. */
    record Metrics(String name, List<Metric> metrics) implements Input {
        public Metrics {
            metrics = List.copyOf(metrics);
        }

        @Override
        public InputKind kind() {
            return InputKind.METRICS_JSON;
        }
    }

    /** One metric of a metrics JSON file. */
    record Metric(String name, String unit, List<Double> values) {
        public Metric {
            values = List.copyOf(values);
        }
    }

    /**
     * An execution trace, not read yet: a trace may be far larger than memory, so whoever takes it
     * streams it once from {@code source} within {@code limits} (a file is read from disk again; any
     * other source was read whole and is its bytes). {@code goMinor} is the header's Go version.
     */
    record Trace(String name, Source source, ReadLimits limits, int goMinor) implements Input {
        public Trace {
            Objects.requireNonNull(source);
            Objects.requireNonNull(limits);
        }

        @Override
        public InputKind kind() {
            return InputKind.TRACE;
        }
    }

    /** The Go compiler's escapes, inlining decisions and bounds checks. */
    record CompilerLog(String name, dev.godiag.model.compiler.CompilerDiagnostics diagnostics) implements Input {
        @Override
        public InputKind kind() {
            return InputKind.COMPILER_LOG;
        }
    }

    /**
     * A heap dump, not read yet: it may be several GB, and naming its roots needs the binary that
     * wrote it, so whoever takes it reads it from {@code source} (a file where it lies; any other
     * source was read whole within the limits and is its bytes).
     */
    record HeapDump(String name, Source source) implements Input {
        public HeapDump {
            Objects.requireNonNull(source);
        }

        @Override
        public InputKind kind() {
            return InputKind.HEAP_DUMP;
        }
    }

    /**
     * Nothing godiag reads: {@code reason} says what it looked like, one line without the name
     * ("not a profile: a zip archive ...", "text in no format godiag reads (first line: ...)").
     */
    record Unrecognised(String name, String reason) implements Input {
        @Override
        public InputKind kind() {
            return InputKind.UNRECOGNISED;
        }
    }
}
