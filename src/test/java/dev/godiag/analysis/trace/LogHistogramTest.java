package dev.godiag.analysis.trace;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The histogram's buckets hold their values; its percentiles against the exact ones of the sorted values. */
class LogHistogramTest {
    @Test
    void everyValueLandsInTheBucketThatHoldsIt() {
        for (long v : new long[] {1, 2, 3, 7, 8, 9, 1000, 1023, 1024, 1025, 999_999, 1_000_000, Long.MAX_VALUE / 3}) {
            int b = LogHistogram.bucket(v);
            assertThat(LogHistogram.lower(b)).as("%d", v).isLessThanOrEqualTo(v);
            assertThat(LogHistogram.lower(b + 1)).as("%d", v).isGreaterThan(v);
            assertThat((double) LogHistogram.lower(b + 1) / LogHistogram.lower(b)).isLessThanOrEqualTo(2.0);
        }
    }

    @Test
    void percentilesAreWithinOneBucketAboveTheExactOnes() {
        Random r = new Random(7);
        LogHistogram h = new LogHistogram();
        long[] v = new long[10_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (long) Math.exp(r.nextDouble() * 20);
            h.add(v[i]);
        }
        Arrays.sort(v);
        LogHistogram.Summary s = h.summary();
        assertThat(s.count()).isEqualTo(v.length);
        assertThat(s.totalNanos()).isEqualTo(Arrays.stream(v).sum());
        assertThat(s.maxNanos()).isEqualTo(v[v.length - 1]);
        assertThat(s.minNanos()).isEqualTo(v[0]);
        checkNear(s.p50Nanos(), v[4999]);
        checkNear(s.p95Nanos(), v[9499]);
        checkNear(s.p99Nanos(), v[9899]);
        assertThat(s.buckets().stream().mapToLong(LogHistogram.Bucket::count).sum()).isEqualTo(v.length);
    }

    private static void checkNear(long got, long exact) {
        assertThat(got).isGreaterThanOrEqualTo(exact);
        assertThat((double) got).isLessThanOrEqualTo(exact * Math.pow(2, 1.0 / 8) + 1);
    }
}
