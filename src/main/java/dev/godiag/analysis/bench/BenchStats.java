package dev.godiag.analysis.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * benchstat's statistics (x/perf/benchmath with go-moremath/stats), reimplemented:
 * <ul>
 * <li>the median with a distribution-free confidence interval: the order statistics [lo, hi) whose
 *     binomial(n, 1/2) mass first reaches the confidence, grown from the middle with a left bias
 *     (exact binomial for n &lt;= 30, normal approximation above, as moremath's QuantileCI);</li>
 * <li>the two-sided Mann-Whitney U test: exact p-values for samples up to 50 (25 when there are
 *     ties), from the permutation distribution of the rank sum counted over tie groups; otherwise the
 *     normal approximation with tie correction and continuity correction.</li>
 * </ul>
 * No library: commons-math3's {@code MannWhitneyUTest} has only the normal approximation (without
 * benchstat's continuity correction, and no exact distribution under ties), so it does not give
 * benchstat's p-values; the exact distribution here is our own dynamic programme over tie groups,
 * the normal CDF our own erfc (series and continued fraction; p-values are shown to 3 decimals).
 */
public final class BenchStats {
    public static final double DEFAULT_CONFIDENCE = 0.95;
    public static final double DEFAULT_ALPHA = 0.05;

    private BenchStats() {
    }

    /** A summary: the center (median, or the mode under assume=exact), the interval and warnings. */
    public record Summary(double center, double lo, double hi, List<String> warnings) {
        public Summary {
            warnings = List.copyOf(warnings);
        }

        /** "± N%" cell: ∞ when the interval is unbounded, ? when it crosses zero. */
        public String pctRange() {
            if (Double.isInfinite(lo) || Double.isInfinite(hi)) {
                return "∞";
            }
            double cs = Math.signum(center);
            if (cs != Math.signum(lo) || cs != Math.signum(hi)) {
                return "?";
            }
            if (center == 0) {
                return "0%";
            }
            double v = Math.max(hi / center - 1, 1 - lo / center);
            return dev.godiag.util.GoFormat.fixed(100 * v, 0) + "%";
        }
    }

    /** A comparison: the p-value (0 when not computed), sample sizes, alpha and warnings. */
    public record Comparison(double p, int n1, int n2, double alpha, List<String> warnings) {
        public Comparison {
            warnings = List.copyOf(warnings);
        }

        /** "p=0.008 n=10" (no p when not computed; "n=4+5" when the sizes differ). */
        public String pn() {
            String s = p != 0 ? "p=" + dev.godiag.util.GoFormat.fixed(p, 3) + " " : "";
            return s + (n1 == n2 ? "n=" + n1 : "n=" + n1 + "+" + n2);
        }

        /** True when the difference is significant at alpha. */
        public boolean significant() {
            return !(p > alpha);
        }

        /** "~" when not significant, else the change from old to new in percent. */
        public String delta(double oldV, double newV) {
            if (p > alpha) {
                return "~";
            }
            if (oldV == newV) {
                return "0.00%";
            }
            if (oldV == 0) {
                return "?";
            }
            return signedPct((newV / oldV - 1.0) * 100.0);
        }
    }

    /** Go's "%+.2f%%". */
    public static String signedPct(double pct) {
        String s = dev.godiag.util.GoFormat.fixed(pct, 2);
        return (s.startsWith("-") ? s : "+" + s) + "%";
    }

    /** The median with its distribution-free confidence interval. */
    public static Summary median(double[] sorted, double confidence) {
        int n = sorted.length;
        int[] orders = medianOrders(n, confidence);
        double median = quantile(sorted, 0.5);
        double lo = orders[0] < 1 ? Double.NEGATIVE_INFINITY : sorted[orders[0] - 1];
        double hi = orders[1] - 1 >= n ? Double.POSITIVE_INFINITY : sorted[orders[1] - 1];
        List<String> w = Double.isInfinite(lo) || Double.isInfinite(hi) ? NEED_FOR_INTERVAL.computeIfAbsent(confidence,
                BenchStats::needForInterval) : List.of();
        return new Summary(median, lo, hi, w);
    }

    /** The "need >= N samples" warning by confidence level, computed once per level (every small sample has it). */
    private static final java.util.Map<Double, List<String>> NEED_FOR_INTERVAL =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static List<String> needForInterval(double confidence) {
        String op = ">";
        int need = 50;
        for (int k = 2; k <= 50; k++) {
            int[] o = medianOrders(k, confidence);
            if (0 < o[0] && o[1] <= k) {
                op = ">=";
                need = k;
                break;
            }
        }
        return List.of("need " + op + " " + need + " samples for confidence interval at level " + goFloat(confidence));
    }

    /** Under assume=exact: the mode, the range, and a warning when the values are not all equal. */
    public static Summary exact(double[] sorted) {
        double val = sorted[0];
        int count = 1;
        double mode = val;
        int modeCount = 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == val) {
                count++;
                if (count > modeCount) {
                    mode = val;
                    modeCount = count;
                }
            } else {
                val = sorted[i];
                count = 1;
            }
        }
        List<String> w = new ArrayList<>();
        if (modeCount != sorted.length) {
            w.add("exact distribution expected, but values range from " + goFloat(sorted[0]) + " to "
                    + goFloat(sorted[sorted.length - 1]));
        }
        return new Summary(mode, sorted[0], sorted[sorted.length - 1], w);
    }

    /** Go's %v of a float64 (shortest representation; exponent form for large and small). */
    public static String goFloat(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0" : "0";
        }
        java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale(); // decimal exponent of the first digit
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 21) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = String.valueOf(Math.abs(exp));
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return sign + d.abs().toPlainString();
    }

    /** moremath's R8 quantile of a sorted sample. */
    static double quantile(double[] xs, double q) {
        int len = xs.length;
        double n = 1 / 3.0 + q * (len + 1 / 3.0);
        double kf = Math.floor(n);
        double frac = n - kf;
        int k = (int) kf;
        if (k <= 0) {
            return xs[0];
        } else if (k >= len) {
            return xs[len - 1];
        }
        return xs[k - 1] + frac * (xs[k] - xs[k - 1]);
    }

    /** The 1-based order statistics [lo, hi) of the median's confidence interval (0 and n+1: unbounded). */
    static int[] medianOrders(int n, double confidence) {
        if (confidence >= 1) {
            return new int[] {0, n + 1};
        }
        int l;
        int r;
        if (n <= 30) {
            int x = (int) (Math.ceil((n + 1) * 0.5) - 1);
            double accum = binomPmf(n, x);
            l = x;
            r = x + 1;
            double lp = binomPmf(n, l - 1);
            double rp = binomPmf(n, r);
            while (accum < confidence && (lp > 0 || rp > 0)) {
                if (lp >= rp) {
                    accum += lp;
                    l--;
                    lp = binomPmf(n, l - 1);
                } else {
                    accum += rp;
                    r++;
                    rp = binomPmf(n, r);
                }
            }
        } else {
            double mu = n * 0.5;
            double sigma = Math.sqrt(n * 0.25);
            double l1 = mu + sigma * invStdNormal((1 - confidence) / 2);
            double r1 = 2 * mu - l1;
            l = (int) Math.floor(Math.floor(l1 - 0.5) + 0.5) + 1;
            r = (int) Math.floor(Math.ceil(r1 - 0.5) + 0.5) + 1;
            double conf = normCdf(r - 0.5, mu, sigma) - normCdf(l - 0.5, mu, sigma);
            double biased = normCdf(r - 1 - 0.5, mu, sigma) - normCdf(l - 0.5, mu, sigma);
            if (biased >= confidence && biased < conf) {
                r = r - 1;
            }
        }
        return new int[] {Math.max(l, 0), Math.min(r, n + 1)};
    }

    private static double binomPmf(int n, int k) {
        if (k < 0 || k > n) {
            return 0;
        }
        return choose(n, k) * Math.pow(0.5, k) * Math.pow(0.5, n - k);
    }

    /** moremath's Choose: exact in 64-bit integers up to n = 20, else exp(lgamma...). */
    static double choose(int n, int k) {
        if (k == 0 || k == n) {
            return 1;
        }
        if (k < 0 || n < k) {
            return 0;
        }
        if (n <= 20) {
            long numer = 1;
            for (long n1 = n - (k - 1); n1 <= n; n1++) {
                numer *= n1;
            }
            long denom = 1;
            for (int i = 2; i <= k; i++) {
                denom *= i;
            }
            return (double) (numer / denom);
        }
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }

    /**
     * benchstat's comparison of two samples: Mann-Whitney U, two-sided; p = 1 with a warning when it
     * cannot be computed (all values equal); the "need >= N samples" warning when not significant
     * and both samples are too small to ever be.
     */
    public static Comparison compare(double[] x1, double[] x2, double alpha) {
        int n1 = x1.length;
        int n2 = x2.length;
        double p;
        try {
            p = mannWhitneyP(x1, x2);
        } catch (IllegalArgumentException e) {
            return new Comparison(1, n1, n2, alpha, List.of(e.getMessage()));
        }
        List<String> w = new ArrayList<>();
        if (p > alpha) {
            String op = ">";
            int need = 10;
            for (int n = 1; n <= 9; n++) {
                if (U_TEST_MIN_P[n] <= alpha) {
                    op = ">=";
                    need = n;
                    break;
                }
            }
            if (n1 < need && n2 < need) {
                w.add("need " + op + " " + need + " samples to detect a difference at alpha level " + goFloat(alpha));
            }
        }
        return new Comparison(p, n1, n2, alpha, w);
    }

    /** The smallest two-sided exact p-value with n samples on each side (2 / C(2n, n)). */
    private static final double[] U_TEST_MIN_P = {0, 1, 0.3333333333333333, 0.1, 0.02857142857142857,
        0.007936507936507936, 0.0021645021645021645, 0.0005827505827505828, 0.0001554001554001554,
        4.113533525298231e-05};

    /** The two-sided Mann-Whitney U p-value; IllegalArgumentException "all samples are equal". */
    static double mannWhitneyP(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        if (n1 == 0 || n2 == 0) {
            throw new IllegalArgumentException("sample is too small");
        }
        double[] x1 = a.clone();
        double[] x2 = b.clone();
        Arrays.sort(x1);
        Arrays.sort(x2);
        // merge, group ties; R1 = rank sum of x1
        int n = n1 + n2;
        double[] merged = new double[n];
        boolean[] first = new boolean[n];
        int i = 0;
        int j = 0;
        for (int o = 0; o < n; o++) {
            if (j >= n2 || i < n1 && x1[i] < x2[j]) {
                merged[o] = x1[i++];
                first[o] = true;
            } else {
                merged[o] = x2[j++];
            }
        }
        List<Integer> ties = new ArrayList<>();
        boolean hasTies = false;
        double r1 = 0;
        for (int k = 0; k < n; ) {
            int start = k;
            int nx1 = 0;
            double v = merged[k];
            do { // at least one: a NaN equals nothing, itself included
                if (first[k]) {
                    nx1++;
                }
                k++;
            } while (k < n && merged[k] == v);
            r1 += (start + 1 + k) / 2.0 * nx1;
            ties.add(k - start);
            hasTies |= k - start > 1;
        }
        double u1 = r1 - n1 * (n1 + 1) / 2.0;
        double u2 = (double) n1 * n2 - u1;
        double usmall = Math.min(u1, u2);
        if (!hasTies && n1 <= 50 && n2 <= 50 || hasTies && n1 <= 25 && n2 <= 25) {
            if (ties.size() == 1) {
                throw new IllegalArgumentException("all samples are equal");
            }
            if (u1 == u2) {
                return 1;
            }
            return exactCdf(n1, ties, usmall) * 2;
        }
        double t = 0;
        for (int tie : ties) {
            t += (double) tie * tie * tie - tie;
        }
        double nn = n;
        double mu = (double) n1 * n2 / 2;
        double sigma = Math.sqrt((double) n1 * n2 * ((nn + 1) - t / (nn * (nn - 1))) / 12);
        if (sigma == 0) {
            throw new IllegalArgumentException("all samples are equal");
        }
        double numer = u1 - mu;
        numer -= Math.signum(numer) * 0.5;
        double z = numer / sigma;
        double c = normCdf(z, 0, 1);
        return 2 * Math.min(c, 1 - c);
    }

    /**
     * P(U1 &lt;= u) under the null hypothesis, given the tie groups of the pooled sample: the number
     * of ways to pick n1 of the pooled values whose rank sum keeps U1 &lt;= u, over C(n, n1). Counted
     * with a dynamic programme over tie groups in doubled rank sums (midranks are halves).
     */
    static double exactCdf(int n1, List<Integer> ties, double u) {
        int n = 0;
        for (int t : ties) {
            n += t;
        }
        int maxTwoR = n * (n + 1);
        // ways[k][s]: ways to choose k values so far with doubled rank sum s
        double[][] ways = new double[n1 + 1][maxTwoR + 1];
        ways[0][0] = 1;
        int pos = 0;
        int used = 0;
        for (int t : ties) {
            int twoMid = 2 * pos + 1 + t; // (pos+1 + pos+t)
            double[][] next = new double[n1 + 1][maxTwoR + 1];
            for (int k = 0; k <= Math.min(n1, used); k++) {
                for (int s = 0; s <= maxTwoR; s++) {
                    double w = ways[k][s];
                    if (w == 0) {
                        continue;
                    }
                    for (int r = 0; r <= t && k + r <= n1; r++) {
                        next[k + r][s + r * twoMid] += w * choose(t, r);
                    }
                }
            }
            ways = next;
            pos += t;
            used += t;
        }
        double limit = 2 * u + n1 * (n1 + 1); // 2*R1 <= 2U + n1(n1+1)
        double count = 0;
        double total = 0;
        for (int s = 0; s <= maxTwoR; s++) {
            total += ways[n1][s];
            if (s <= limit) {
                count += ways[n1][s];
            }
        }
        return count / total;
    }

    static double normCdf(double x, double mu, double sigma) {
        return erfc(-(x - mu) / (sigma * Math.sqrt(2))) / 2;
    }

    /** The complementary error function: power series below 2.5, Lentz's continued fraction above. */
    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 0) {
            return 2 - erfc(-x);
        }
        if (x < 2.5) {
            double sum = 0;
            double term = x;
            for (int k = 0; k < 200; k++) {
                double add = term / (2 * k + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
                term *= -x * x / (k + 1);
            }
            return 1 - 2 / Math.sqrt(Math.PI) * sum;
        }
        if (x > 27) {
            return 0;
        }
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int k = 1; k < 500; k++) {
            double ak = k / 2.0;
            d = x + ak * d;
            d = d == 0 ? tiny : d;
            c = x + ak / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    /** The standard normal quantile: Acklam's rational approximation with one Halley refinement. */
    static double invStdNormal(double p) {
        if (p <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double plow = 0.02425;
        double x;
        if (p < plow) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else if (p <= 1 - plow) {
            double q = p - 0.5;
            double r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        } else {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double e = 0.5 * erfc(-x / Math.sqrt(2)) - p;
        double u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    /** The geometric mean as moremath computes it (running mean of logs); NaN when any value is &lt;= 0. */
    public static double geomean(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double m = 0;
        int i = 0;
        for (double x : xs) {
            if (x <= 0) {
                return Double.NaN;
            }
            m += (Math.log(x) - m) / (i + 1);
            i++;
        }
        return Math.exp(m);
    }
}
