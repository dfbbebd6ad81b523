package dev.godiag.analysis.bench;


import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The statistics against independent values: textbook constants for erfc and the normal quantile,
 * the exact Mann-Whitney distribution counted by hand (and R's wilcox.test), benchmath's table of the
 * smallest possible p-values, and the known order statistics of the median's 95% interval.
 */
class BenchStatsTest {
    @Test
    void erfcAndNormalQuantileMatchKnownValues() {
        assertThat(BenchStats.erfc(0)).isEqualTo(1.0);
        assertThat(BenchStats.erfc(0.5)).isCloseTo(0.4795001221869535, within(1e-15));
        assertThat(BenchStats.erfc(1)).isCloseTo(0.15729920705028513, within(1e-15));
        assertThat(BenchStats.erfc(3)).isCloseTo(2.209049699858544e-05, within(1e-19));
        assertThat(BenchStats.erfc(-1)).isCloseTo(1.8427007929497148, within(1e-15));
        assertThat(BenchStats.invStdNormal(0.975)).isCloseTo(1.959963984540054, within(1e-12));
        assertThat(BenchStats.invStdNormal(0.01)).isCloseTo(-2.3263478740408408, within(1e-12));
    }

    @Test
    void exactUTestSmallestPValuesAreTwoOverChoose() {
        // completely separated samples of n each: p = 2 / C(2n, n), benchmath's uTestMinP table
        double[] want = {1, 0.3333333333333333, 0.1, 0.02857142857142857, 0.007936507936507936};
        for (int n = 1; n <= 5; n++) {
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = i;
                y[i] = 100 + i;
            }
            assertThat(BenchStats.mannWhitneyP(x, y)).as("n=%d", n).isCloseTo(want[n - 1], within(1e-15));
        }
    }

    @Test
    void exactUTestByHandAndWithTies() {
        // x = {1,2,4}, y = {3,5,6}: U1 = 1; P(U <= 1) = 2/20, two-sided 0.2 (R: wilcox.test exact p = 0.2)
        assertThat(BenchStats.mannWhitneyP(new double[] {1, 2, 4}, new double[] {3, 5, 6})).isCloseTo(0.2, within(1e-15));
        // identical samples: p = 1
        assertThat(BenchStats.mannWhitneyP(new double[] {1, 2}, new double[] {1, 2})).isEqualTo(1.0);
        // ties {1,1 | 1,2}: midranks 2,2,2,4; R1 = 4, U1 = 1 (of 4); permutations of the pooled values
        // give R1 in {4 (x3 ways), 6 (x3 ways)}: P(U1 <= 1) = 1/2, p = 1
        assertThat(BenchStats.mannWhitneyP(new double[] {1, 1}, new double[] {1, 2})).isCloseTo(1.0, within(1e-15));
    }

    @Test
    void allEqualSamplesCannotBeCompared() {
        BenchStats.Comparison c = BenchStats.compare(new double[] {5, 5, 5}, new double[] {5, 5, 5}, 0.05);
        assertThat(c.p()).isEqualTo(1.0);
        assertThat(c.warnings()).contains("all samples are equal");
    }

    @Test
    void normalApproximationAgreesWithExactForLargeSamples() {
        // 30 vs 30 with ties uses the normal approximation (more than 25 with ties); without ties, exact
        double[] x = new double[30];
        double[] y = new double[30];
        for (int i = 0; i < 30; i++) {
            x[i] = i;
            y[i] = i + 7.5;
        }
        double exact = BenchStats.mannWhitneyP(x, y);
        double[] xt = x.clone();
        xt[0] = xt[1]; // one tie
        double approx = BenchStats.mannWhitneyP(xt, y);
        assertThat(approx).isCloseTo(exact, within(0.01));
    }

    @Test
    void medianIntervalOrderStatistics() {
        // the distribution-free 95% interval of the median: n=6 -> (x1, x6), n=10 -> (x2, x9)
        assertThat(BenchStats.medianOrders(6, 0.95)).containsExactly(1, 6);
        assertThat(BenchStats.medianOrders(10, 0.95)).containsExactly(2, 9);
        // n=5: growing from the middle with a left bias reaches 1 - 1/32 = 0.969 at [x0 = -inf, x5)
        assertThat(BenchStats.medianOrders(5, 0.95)).containsExactly(0, 5);
        BenchStats.Summary s = BenchStats.median(new double[] {1, 2, 3, 4, 5}, 0.95);
        assertThat(s.center()).isEqualTo(3.0);
        assertThat(s.pctRange()).isEqualTo("∞");
        assertThat(s.warnings()).containsExactly("need >= 6 samples for confidence interval at level 0.95");
    }

    @Test
    void geomeanAndGoFloat() {
        assertThat(BenchStats.geomean(List.of(1.0, 100.0))).isCloseTo(10.0, within(1e-12));
        assertThat(BenchStats.geomean(List.of(1.0, 0.0))).isNaN();
        assertThat(BenchStats.goFloat(2.2530000000000003e-06)).isEqualTo("2.2530000000000003e-06");
        assertThat(BenchStats.goFloat(100)).isEqualTo("100");
        assertThat(BenchStats.goFloat(0.05)).isEqualTo("0.05");
        assertThat(BenchStats.goFloat(1e21)).isEqualTo("1e+21");
    }
}
