package dev.godiag.format.bench;

/**
 * Units of the benchmark format as x/perf/benchunit tidies them: ns becomes sec and MB becomes B
 * in a unit's numerator, the value scaled to match.
 */
public final class BenchUnits {
    private BenchUnits() {
    }

    /** The tidied unit and the factor to multiply values by. */
    public record Tidy(String unit, double factor) {
    }

    private static final Tidy SEC_PER_OP = new Tidy("sec/op", 1e-9);
    private static final Tidy BYTES_PER_SEC = new Tidy("B/s", 1e6);
    private static final Tidy BYTES_PER_OP = new Tidy("B/op", 1);
    private static final Tidy ALLOCS_PER_OP = new Tidy("allocs/op", 1);

    public static Tidy tidy(String unit) {
        switch (unit) {
            case "ns/op":
                return SEC_PER_OP;
            case "MB/s":
                return BYTES_PER_SEC;
            case "B/op":
                return BYTES_PER_OP;
            case "allocs/op":
                return ALLOCS_PER_OP;
            default:
                break;
        }
        if (!unit.contains("ns") && !unit.contains("MB")) {
            return new Tidy(unit, 1);
        }
        StringBuilder out = new StringBuilder();
        double factor = 1;
        boolean denom = false;
        int i = 0;
        while (i < unit.length()) {
            char c = unit.charAt(i);
            if (isSeparator(c)) {
                if (c == '*') {
                    denom = false;
                } else if (c == '/') {
                    denom = true;
                }
                out.append(c);
                i++;
                continue;
            }
            int end = i;
            while (end < unit.length() && !isSeparator(unit.charAt(end))) {
                end++;
            }
            String tok = unit.substring(i, end);
            if (!denom && tok.equals("ns")) {
                out.append("sec");
                factor /= 1e9;
            } else if (!denom && tok.equals("MB")) {
                out.append("B");
                factor *= 1e6;
            } else {
                out.append(tok);
            }
            i = end;
        }
        return new Tidy(out.toString(), factor);
    }

    private static boolean isSeparator(char c) {
        return c == '*' || c == '/' || c == '-' || Character.isWhitespace(c);
    }
}
