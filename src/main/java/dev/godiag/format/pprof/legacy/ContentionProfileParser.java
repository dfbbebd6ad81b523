package dev.godiag.format.pprof.legacy;

import dev.godiag.model.ValueType;

import java.util.List;

/**
 * mutex / block contention text: "--- mutex:" or "--- contention:" (or C++'s "--- contentionz"),
 * "key=value" attribute lines, then "CYCLES COUNT @ 0xADDR ..." samples.
 */
final class ContentionProfileParser {
    private ContentionProfileParser() {
    }

    static DraftProfile parse(Lines lines) {
        if (!lines.scan()) {
            return null;
        }
        String first = lines.text();
        String kind;
        if (first.startsWith("--- mutex:")) {
            kind = "mutex-text";
        } else if (first.startsWith("--- contention:") || first.startsWith("--- contentionz ")) {
            kind = "block-text";
        } else {
            return null;
        }
        lines.recognize(kind.startsWith("mutex") ? "mutex profile" : "contention profile");
        ContentionAttributes attributes = ContentionAttributes.read(lines, first.startsWith("--- contentionz "));
        if (attributes == null) {
            return null; // Java's, read by JavaProfileParser
        }
        ValueType contentions = new ValueType("contentions", "count");
        DraftProfile d = new DraftProfile(kind, contentions, attributes.period(),
                List.of(contentions, new ValueType("delay", "nanoseconds")));
        d.durationNanos = attributes.durationNanos();
        // The attributes stopped on the first sample line (or "---", or the end).
        while (true) {
            String line = GoStrings.trimSpace(lines.text());
            if (line.startsWith("---")) {
                break;
            }
            if (!GoStrings.isSpaceOrComment(line)) {
                readSample(lines, line, d, attributes);
            }
            if (!lines.scan()) {
                break;
            }
        }
        MemoryMapSection.readAfterSentinel(lines, d);
        return d;
    }

    private static void readSample(Lines lines, String line, DraftProfile d, ContentionAttributes attributes) {
        String[] g = ContentionSampleLine.match(line);
        if (g == null) {
            throw lines.bad("expected \"CYCLES COUNT @ 0xADDR ...\", got " + Quote.of(line));
        }
        long cycles = Numbers.decimal(lines, g[0], "delay");
        long count = Numbers.decimal(lines, g[1], "count");
        // Un-sample: delays go from cycles to nanoseconds and both scale by the sampling period.
        long period = attributes.period();
        if (period > 0) {
            if (attributes.cpuHz() > 0) {
                double cpuGHz = (double) attributes.cpuHz() / 1e9;
                cycles = Numbers.toLong(lines, (double) cycles * (double) period / cpuGHz);
            }
            count = Numbers.multiply(lines, count, period);
        }
        long[] addrs = LegacyStacks.hexAddresses(lines, g[2]);
        d.samples.add(new DraftSample(new long[] {count, cycles}, LegacyStacks.callers(d, addrs)));
    }
}
