package dev.godiag.format.pprof.legacy;

/**
 * The "key=value" lines between a contention header and the first sample.
 *
 * @param cpuHz         cycles per second, to turn delays into nanoseconds (0: keep cycles)
 * @param period        the sampling period
 * @param durationNanos from "ms since reset"
 */
record ContentionAttributes(long cpuHz, long period, long durationNanos) {
    /**
     * Reads attribute lines after the header; null when they are a Java contention profile's. Stops on the first other line (a sample, "---", or
     * the end), which is left in {@link Lines#text}.
     *
     * @param cppContentionz whether the header was C++'s "--- contentionz", whose Java twin
     *                       is told apart by its "format" and "resolution" attributes
     */
    static ContentionAttributes read(Lines lines, boolean cppContentionz) {
        long cpuHz = 0;
        long period = 1;
        long durationNanos = 0;
        while (lines.scan()) {
            String line = GoStrings.trimSpace(lines.text());
            if (GoStrings.isSpaceOrComment(line)) {
                continue;
            }
            if (line.startsWith("---")) {
                break;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                break; // the first sample
            }
            String key = GoStrings.trimSpace(line.substring(0, eq));
            String val = GoStrings.trimSpace(line.substring(eq + 1));
            switch (key) {
                case "cycles/second" -> cpuHz = value(lines, key, val);
                case "sampling period" -> period = value(lines, key, val);
                case "ms since reset" -> durationNanos = Numbers.multiply(lines, value(lines, key, val), 1_000_000L);
                case "discarded samples" -> {
                    // ignored, as by pprof
                }
                case "format", "resolution" -> {
                    if (cppContentionz) {
                        return null; // a Java contention profile
                    }
                    throw lines.bad("unexpected attribute " + Quote.of(key));
                }
                default -> throw lines.bad("unknown attribute " + Quote.of(key));
            }
        }
        return new ContentionAttributes(cpuHz, period, durationNanos);
    }

    /** strconv.ParseInt(val, 0, 64), as pprof reads attribute values. */
    private static long value(Lines lines, String key, String val) {
        Long v = GoInts.parseInt(val);
        if (v == null) {
            throw lines.bad("bad " + key + " " + Quote.of(val));
        }
        return v;
    }
}
