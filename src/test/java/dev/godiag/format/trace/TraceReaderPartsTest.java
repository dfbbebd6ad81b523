package dev.godiag.format.trace;

import dev.godiag.analysis.trace.TraceOverview;
import dev.godiag.model.trace.CpuSample;
import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceChanges;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceGeneration;
import dev.godiag.model.trace.TraceRange;
import dev.godiag.model.trace.TraceSummary;
import dev.godiag.model.trace.UserAnnotation;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generation handed over in parts reads as the same trace as when whole: the corpus trace read
 * with parts of a few hundred events gives the same events, samples, times, transitions, ranges
 * and annotations, in the same order, as a read in parts large enough to hold each generation
 * whole, whose events and transitions {@link TraceReaderTest} checks against {@code go tool trace}.
 * The transitions of the split read come from the reader's own ordering (the route
 * {@link TraceSources} takes), those of the whole read from {@link TraceStates} ordering again.
 */
class TraceReaderPartsTest {
    private static final Path TRACE = Corpus.file("go1.27/cpuwork/trace.out");
    private static final int SMALL = 500;

    private record Read(List<TraceGeneration> parts, List<TraceChanges> changes, TraceSummary summary) {
    }

    private static Read whole() throws IOException {
        List<TraceGeneration> parts = new ArrayList<>();
        List<TraceChanges> changes = new ArrayList<>();
        TraceStates states = new TraceStates();
        try (InputStream in = Files.newInputStream(TRACE)) {
            TraceSummary s = new TraceReader(TraceReader.DEFAULT_MAX_GENERATION_BYTES, Integer.MAX_VALUE).read(in,
                    g -> {
                        parts.add(g);
                        changes.add(states.apply(g));
                    });
            return new Read(parts, changes, s);
        }
    }

    private static Read split() throws IOException {
        List<TraceGeneration> parts = new ArrayList<>();
        List<TraceChanges> changes = new ArrayList<>();
        TraceStates states = new TraceStates();
        try (InputStream in = Files.newInputStream(TRACE)) {
            TraceSummary s = new TraceReader(TraceReader.DEFAULT_MAX_GENERATION_BYTES, SMALL).readParts(in,
                    (g, part) -> {
                        parts.add(g);
                        changes.add(states.apply(g, part));
                    });
            return new Read(parts, changes, s);
        }
    }

    @Test
    void partsAreConsecutiveSlicesOfTheirGenerationSharingItsTables() throws IOException {
        Read whole = whole();
        Read split = split();
        Set<Long> numbers = new LinkedHashSet<>();
        for (int i = 0; i < split.parts().size(); i++) {
            TraceGeneration p = split.parts().get(i);
            assertThat(p.events().size()).isBetween(0, SMALL);
            if (i > 0 && split.parts().get(i - 1).number() == p.number()) {
                TraceGeneration before = split.parts().get(i - 1);
                assertThat(p.strings()).isSameAs(before.strings());
                assertThat(p.stacks()).isSameAs(before.stacks());
                // a part is full unless it is its generation's last
                assertThat(before.events()).hasSize(SMALL);
            } else {
                assertThat(numbers.add(p.number())).as("generation %d comes in consecutive parts", p.number()).isTrue();
            }
        }
        assertThat(whole.parts()).hasSize(whole.summary().generations());
        assertThat(split.parts().size()).isGreaterThan(3 * whole.parts().size());
        assertThat(numbers).containsExactlyElementsOf(whole.parts().stream().map(TraceGeneration::number).toList());
        assertThat(split.summary()).isEqualTo(whole.summary());
    }

    @Test
    void eventsSamplesAndTimesAreThoseOfTheWholeRead() throws IOException {
        Read whole = whole();
        Read split = split();
        assertThat(events(split)).isEqualTo(events(whole));
        assertThat(samples(split)).isEqualTo(samples(whole)).isNotEmpty();
        assertThat(events(whole)).hasSize((int) whole.summary().events());
    }

    @Test
    void transitionsRangesAndAnnotationsFromTheReadersOrderingAreThoseOfTheStates() throws IOException {
        Read whole = whole();
        Read split = split();
        List<String> wholeTransitions = transitions(whole);
        assertThat(wholeTransitions).hasSizeGreaterThan(100_000);
        assertThat(transitions(split)).isEqualTo(wholeTransitions);
        assertThat(ranges(split)).isEqualTo(ranges(whole)).isNotEmpty();
        assertThat(annotations(split)).isEqualTo(annotations(whole));
    }

    @Test
    void theOverviewCountsGenerationsNotParts() throws IOException {
        Read whole = whole();
        Read split = split();
        TraceOverview.Builder a = new TraceOverview.Builder();
        whole.changes().forEach(a::accept);
        TraceOverview.Builder b = new TraceOverview.Builder();
        split.changes().forEach(b::accept);
        TraceOverview o = a.build(26, Optional.empty());
        assertThat(b.build(26, Optional.empty())).isEqualTo(o);
        assertThat(o.generations()).isEqualTo(whole.summary().generations()).isGreaterThan(1);
    }

    private static List<String> events(Read r) {
        return r.parts().stream().flatMap(g -> g.events().stream()).map(TraceReaderPartsTest::event).toList();
    }

    private static String event(TraceEvent e) {
        return e.type() + " " + e.time() + " " + e.thread() + " " + Arrays.toString(e.args());
    }

    private static List<CpuSample> samples(Read r) {
        return r.parts().stream().flatMap(g -> g.cpuSamples().stream()).toList();
    }

    private static List<String> transitions(Read r) {
        List<String> out = new ArrayList<>();
        for (TraceChanges c : r.changes()) {
            for (StateTransition t : c.transitions()) {
                out.add(t.time() + " " + t.goroutine() + " " + t.id() + " " + t.from() + "->" + t.to() + " "
                        + t.reason() + " " + c.generation().stack(t.stack()).frames() + " " + event(t.event()));
            }
        }
        return out;
    }

    private static List<String> ranges(Read r) {
        List<String> out = new ArrayList<>();
        for (TraceChanges c : r.changes()) {
            for (TraceRange t : c.ranges()) {
                out.add(t.time() + " " + t.edge() + " " + t.name() + " " + t.scope() + " " + t.scopeId() + " "
                        + event(t.event()));
            }
        }
        return out;
    }

    private static List<String> annotations(Read r) {
        List<String> out = new ArrayList<>();
        for (TraceChanges c : r.changes()) {
            for (UserAnnotation a : c.annotations()) {
                out.add(a.time() + " " + a.kind() + " " + a.task() + " " + a.parent() + " " + a.type() + " "
                        + a.category() + " " + a.message() + " " + a.goroutine() + " " + event(a.event()));
            }
        }
        return out;
    }
}
