package dev.godiag.format.pprof.legacy;

import dev.godiag.model.ValueType;
import dev.godiag.util.LongList;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The threadz format: an optional "--- threadz N ---" preamble, then per thread
 * "--- Thread HEX (name: NAME/N) stack: ---" followed by address lines.
 */
final class ThreadProfileParser {
    private ThreadProfileParser() {
    }

    private static final Pattern THREADZ_START = Pattern.compile("--- threadz \\d+ ---");

    static DraftProfile parse(Lines lines) {
        lines.skipBlankAndComments();
        String line = lines.text();
        if (THREADZ_START.matcher(line).find()) {
            lines.recognize("thread profile");
            // Skip the preamble up to the first stack trace.
            while (lines.scan()) {
                line = lines.text();
                if (MemoryMapSection.isSentinel(line) || line.startsWith("-")) {
                    break;
                }
            }
        } else if (ThreadHeader.find(line)) {
            lines.recognize("thread profile");
        } else {
            return null;
        }
        ValueType count = new ValueType("thread", "count");
        DraftProfile d = new DraftProfile("thread-legacy", count, 1, List.of(count));
        while (!MemoryMapSection.isSentinel(line)) {
            if (line.startsWith("---- no stack trace for")) {
                break;
            }
            if (!ThreadHeader.find(line)) {
                throw lines.bad("expected \"--- Thread HEX (name: NAME/N) stack: ---\", got " + Quote.of(line));
            }
            LongList addrs = new LongList();
            line = readStack(lines, addrs);
            if (addrs.size() == 0) {
                // "same as previous thread" (or an empty stack) counts for the previous sample
                if (!d.samples.isEmpty()) {
                    d.samples.get(d.samples.size() - 1).values[0]++;
                }
                continue;
            }
            d.samples.add(new DraftSample(new long[] {1}, LegacyStacks.interrupted(d, addrs.toArray())));
        }
        MemoryMapSection.readAfterSentinel(lines, d);
        LegacyStacks.dropDuplicateLeaves(d);
        return d;
    }

    /**
     * Reads the addresses of one thread into addrs (left empty for "same as previous thread")
     * and returns the trimmed line that ended the stack.
     */
    private static String readStack(Lines lines, LongList addrs) {
        String line = "";
        boolean sameAsPrevious = false;
        while (lines.scan()) {
            line = GoStrings.trimSpace(lines.text());
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("---")) {
                break;
            }
            if (line.contains("same as previous thread")) {
                sameAsPrevious = true;
                continue;
            }
            for (long a : LegacyStacks.hexAddresses(lines, line)) {
                addrs.add(a);
            }
        }
        if (sameAsPrevious) {
            addrs.clear();
        }
        return line;
    }
}
