package dev.godiag.analysis.runtime;

import dev.godiag.model.GcCycle;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time windows over logs whose cycles are far apart: only windows with cycles are made, whatever
 * the gap (a day of quiet at a 1 ms window is 86 million empty windows, which must not be walked),
 * and a width below the precision of the times still ends.
 */
class GcAnalysisWindowsTest {
    private static GcCycle cycle(long n, double at) {
        return new GcCycle(n, at, 1, 0.1, 1, 0.1, 0.2, 0.1, 1, 0, 0.2, 3, 4, 2, 4, 0, 0, 2, false, false, n);
    }

    @Test
    void longGapsAreJumped() {
        List<GcCycle> cycles = List.of(cycle(1, 0.0105), cycle(2, 0.0115), cycle(3, 86_400.0005), cycle(4, 3e9));
        GcAnalysis.Result r = GcAnalysis.of(cycles, 0.001);
        assertThat(r.windows()).extracting(GcAnalysis.Window::cycles).containsExactly(1, 1, 1, 1);
        for (int i = 0; i < cycles.size(); i++) {
            GcAnalysis.Window w = r.windows().get(i);
            double at = cycles.get(i).atSeconds();
            assertThat(w.fromSeconds()).isLessThanOrEqualTo(at);
            assertThat(w.toSeconds()).isGreaterThan(at);
            assertThat(w.toSeconds() - w.fromSeconds()).isCloseTo(0.001, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void shortGapsKeepTheirWindowsAsBefore() {
        // fewer than a thousand empty windows in between: walked, boundaries by repeated addition
        List<GcCycle> cycles = List.of(cycle(1, 0.5), cycle(2, 7.5), cycle(3, 12.25));
        GcAnalysis.Result r = GcAnalysis.of(cycles, 1);
        assertThat(r.windows()).extracting(GcAnalysis.Window::fromSeconds).containsExactly(0.0, 7.0, 12.0);
        assertThat(r.windows()).extracting(GcAnalysis.Window::toSeconds).containsExactly(1.0, 8.0, 13.0);
    }

    @Test
    void widthBelowThePrecisionOfTheTimesEnds() {
        List<GcCycle> cycles = List.of(cycle(1, 3e9), cycle(2, 3e9 + 1), cycle(3, 3e9 + 1));
        GcAnalysis.Result r = GcAnalysis.of(cycles, 1e-12);
        assertThat(r.windows()).extracting(GcAnalysis.Window::cycles).containsExactly(1, 2);
    }
}
