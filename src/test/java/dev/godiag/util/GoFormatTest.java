package dev.godiag.util;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GoFormatTest {
    /** Printed by Go 1.19's fmt: %.2f, %.1f, %.0f, %.4g and %.3g of each value. */
    private static final String[] GO = {
        "2.675|2.67|2.7|3|2.675|2.67",
        "0.125|0.12|0.1|0|0.125|0.125",
        "0.375|0.38|0.4|0|0.375|0.375",
        "2.5|2.50|2.5|2|2.5|2.5",
        "3.5|3.50|3.5|4|3.5|3.5",
        "0.35|0.35|0.3|0|0.35|0.35",
        "1.005|1.00|1.0|1|1.005|1",
        "1234.5|1234.50|1234.5|1234|1234|1.23e+03",
        "1e-07|0.00|0.0|0|1e-07|1e-07",
        "1.23456789125e+08|123456789.12|123456789.1|123456789|1.235e+08|1.23e+08",
        "0.0625|0.06|0.1|0|0.0625|0.0625",
        "9.9995|10.00|10.0|10|9.999|10",
        "99.995|100.00|100.0|100|100|100",
    };

    @Test
    void formatsAsGoFmtDoes() {
        for (String line : GO) {
            String[] f = line.split("\\|");
            double v = Double.parseDouble(f[0]);
            assertEquals(f[1], GoFormat.fixed(v, 2), line);
            assertEquals(f[2], GoFormat.fixed(v, 1), line);
            assertEquals(f[3], GoFormat.fixed(v, 0), line);
            assertEquals(f[4], GoFormat.general(v, 4), line);
            assertEquals(f[5], GoFormat.general(v, 3), line);
        }
    }

    /** The fast path (the shortest decimal) rounds exactly as the exact binary value does, ties included. */
    @Test
    void roundingAgreesWithTheExactValue() {
        SplittableRandom rnd = new SplittableRandom(20261202);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            // every magnitude a benchmark or profile prints, and ties and their neighbours
            double v = Math.pow(10, rnd.nextDouble(-12, 18)) * (rnd.nextBoolean() ? 1 : -1);
            values.add(v);
            int d = rnd.nextInt(0, 8);
            double tie = (Math.floor(Math.abs(v) * Math.pow(10, d)) + 0.5) / Math.pow(10, d);
            values.add(tie);
            values.add(Math.nextUp(tie));
            values.add(Math.nextDown(tie));
            values.add((double) rnd.nextInt(0, 1 << 20) / (1 << rnd.nextInt(1, 12))); // exact binary fractions
        }
        for (double v : values) {
            for (int d = 0; d <= 10; d += 1 + (int) (Math.abs(v) % 3)) {
                assertEquals(new BigDecimal(v).setScale(d, RoundingMode.HALF_EVEN).toPlainString(), GoFormat.plain(v, d),
                        v + " at " + d);
            }
            for (int p = 1; p <= 15; p += 1 + (int) (Math.abs(v) % 4)) {
                assertEquals(GoFormat.generalExact(v, p), GoFormat.general(v, p), v + " to " + p + " digits");
            }
        }
    }
}
