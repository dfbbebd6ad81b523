package dev.godiag.format.trace;

import dev.godiag.model.trace.TraceGeneration;
import dev.godiag.model.trace.TraceSummary;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Old-format traces (Go 1.11-1.21) against Go 1.27's own reader of them, {@code go tool trace
 * -d=parsed}: every event (its kind, time, thread, P and goroutine) and every state transition.
 */
class OldTraceReaderTest {
    private static final Path CORPUS = Corpus.file("go1.19/cpuwork/trace.out");

    @Test
    void theCorpusGo119TraceIsGos() throws Exception {
        Read r = read(CORPUS);
        assertThat(r.summary.minor()).isEqualTo(19);
        assertThat(r.summary.warning()).isEmpty();
        List<String> parsed = GoTraceDump.lines(CORPUS, "-d=parsed");
        assertSameAsGo(r, parsed);
        assertThat(GoTraceDump.goTransitions(parsed)).hasSizeGreaterThan(100_000);
    }

    static void assertSameAsGo(Read r, List<String> parsed) {
        Map<String, Integer> goEvents = GoTraceDump.goEvents(parsed);
        Map<String, Integer> ourEvents = GoTraceDump.ourEvents(r.generations);
        assertThat(GoTraceDump.minus(ourEvents, goEvents)).as("events Go does not have").isEmpty();
        assertThat(GoTraceDump.minus(goEvents, ourEvents)).as("Go's events godiag lacks").isEmpty();
        Map<String, Integer> go = GoTraceDump.goTransitions(parsed);
        Map<String, Integer> ours = GoTraceDump.ourTransitions(r.generations);
        assertThat(GoTraceDump.minus(ours, go)).as("transitions Go does not have").isEmpty();
        assertThat(GoTraceDump.minus(go, ours)).as("Go's transitions godiag lacks").isEmpty();
    }

    record Read(TraceSummary summary, List<TraceGeneration> generations) {
    }

    static Read read(Path trace) throws IOException {
        List<TraceGeneration> generations = new ArrayList<>();
        try (InputStream in = Files.newInputStream(trace)) {
            TraceSummary s = new TraceReader().read(in, generations::add);
            return new Read(s, generations);
        }
    }
}
