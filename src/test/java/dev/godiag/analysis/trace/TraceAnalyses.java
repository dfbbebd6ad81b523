package dev.godiag.analysis.trace;

import dev.godiag.format.trace.TraceReader;
import dev.godiag.format.trace.TraceStates;
import dev.godiag.model.trace.TraceSummary;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: every trace analysis of a trace file or bytes, as the pipeline runs them. */
final class TraceAnalyses {
    private TraceAnalyses() {
    }

    static TraceAnalysis of(Path trace) {
        try (InputStream in = Files.newInputStream(trace)) {
            return of(trace.getFileName().toString(), in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TraceAnalysis of(String name, byte[] bytes) {
        return of(name, new ByteArrayInputStream(bytes));
    }

    private static TraceAnalysis of(String name, InputStream in) {
        TraceAnalyzer a = new TraceAnalyzer(name);
        TraceStates states = new TraceStates();
        try {
            TraceSummary s = new TraceReader().read(in, g -> a.accept(states.apply(g)));
            return a.finish(s.minor(), s.warning());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
