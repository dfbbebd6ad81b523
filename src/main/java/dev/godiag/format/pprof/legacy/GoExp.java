package dev.godiag.format.pprof.legacy;

/**
 * Go's math.Exp as pprof runs it on amd64: not fdlibm (Java's StrictMath.exp) but the runtime's
 * assembly routine (a Shibata/SLEEF-style reduction by ln 2 and a Taylor series on x/16, squared
 * back four times), on its fused multiply-add path (CPUs with AVX and FMA). The two disagree in
 * the last bit for about 6% of heap arguments, and through 1/(1-exp(-x)) that changes about one
 * un-sampled heap value in a million.
 */
final class GoExp {
    private GoExp() {
    }

    private static final double LOG2E = 1.4426950408889634073599246810018920;
    private static final double LN2_HI = 0.69314718055966295651160180568695068359375;
    private static final double LN2_LO = 0.28235290563031577122588448175013436025525412068e-12;
    private static final double OVERFLOW = 7.09782712893384e+02;
    /** Taylor coefficients 1/8! .. 1/3!, then 1/2 and 1, highest first. */
    private static final double[] TAYLOR = {
        2.4801587301587301587e-5, 1.9841269841269841270e-4, 1.3888888888888888889e-3,
        8.3333333333333333333e-3, 4.1666666666666666667e-2, 1.6666666666666666667e-1, 0.5, 1.0};

    static double exp(double x) {
        if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
            return x;
        }
        if (x == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        if (x > OVERFLOW) {
            return Double.POSITIVE_INFINITY;
        }
        // k = round-to-even(x / ln 2), as CVTSD2SL does; out of int range it yields MIN_VALUE
        double t = Math.rint(x * LOG2E);
        int k = t >= Integer.MIN_VALUE && t <= Integer.MAX_VALUE ? (int) t : Integer.MIN_VALUE;
        double kd = k;
        double r = Math.fma(-LN2_HI, kd, x);
        r = Math.fma(-LN2_LO, kd, r);
        r *= 0.0625;
        double poly = TAYLOR[0];
        for (int i = 1; i < TAYLOR.length; i++) {
            poly = Math.fma(poly, r, TAYLOR[i]);
        }
        // e = exp(r) - 1 for r = x/16, squared back up: (1+e)^2 - 1 = e * (e + 2)
        double e = r * poly;
        for (int i = 0; i < 3; i++) {
            e *= e + 2.0;
        }
        double f = Math.fma(e, e + 2.0, 1.0);
        return scaleByPowerOfTwo(f, k);
    }

    /** f * 2^k the way the routine does it, including its flush to 0 below 2^-1074. */
    private static double scaleByPowerOfTwo(double f, int k) {
        long biased = (long) k + 0x3FF;
        if (biased >= 0x7FF) {
            return Double.POSITIVE_INFINITY;
        }
        if (biased > 0) {
            return f * Double.longBitsToDouble(biased << 52);
        }
        if (biased < -52) {
            return 0;
        }
        double partial = f * Double.longBitsToDouble((biased + 0x3FE) << 52);
        return partial * Double.longBitsToDouble(1L << 52);
    }
}
