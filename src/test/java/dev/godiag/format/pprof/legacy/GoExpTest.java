package dev.godiag.format.pprof.legacy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GoExpTest {
    /**
     * Go's amd64 math.Exp, spot-checked against values Go 1.27 printed on an FMA machine (a
     * 2-million-argument sweep over heap-like inputs matched bit for bit when this was written).
     */
    @Test
    void goExpMatchesGoBitForBit() {
        // bits of x, bits of Go's math.Exp(x): arguments where StrictMath and Math.exp both differ
        long[][] cases = {
            {0xbf866c0000000000L, 0x3fefa6cd3a4a675fL}, // -0.01094818115234375
            {0xbfcc128000000000L, 0x3fe9b2bddec804adL}, // -0.2193145751953125
            {0xbfa20b8000000000L, 0x3feee44f4f28202fL}, // -0.035243988037109375
            {0xbfcd3c0ca4587e6bL, 0x3fe977461f1b2a23L}, // -0.22839506172839505
            {Double.doubleToLongBits(-745.1), 1L}, // the smallest denormal
            {Double.doubleToLongBits(-746.0), 0L},
            {Double.doubleToLongBits(710.0), Double.doubleToLongBits(Double.POSITIVE_INFINITY)},
        };
        for (long[] c : cases) {
            double x = Double.longBitsToDouble(c[0]);
            assertThat(Double.doubleToLongBits(GoExp.exp(x))).as("exp(%s)", x).isEqualTo(c[1]);
        }
        assertThat(GoExp.exp(Double.NEGATIVE_INFINITY)).isZero();
        assertThat(GoExp.exp(Double.NaN)).isNaN();
    }
}
