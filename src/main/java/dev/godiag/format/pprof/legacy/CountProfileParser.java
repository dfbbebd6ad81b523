package dev.godiag.format.pprof.legacy;

import dev.godiag.model.ValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * goroutine / threadcreate count text: "TYPE profile: total N", then "COUNT @ 0xADDR 0xADDR ..."
 * lines. Any TYPE is taken, as by pprof, and names the profile "TYPE-text".
 */
final class CountProfileParser {
    private CountProfileParser() {
    }

    private static final Pattern HEADER = Pattern.compile("(" + GoRegex.NS + "+) profile: total \\d+");

    static DraftProfile parse(Lines lines) {
        // Leading blank and comment lines are allowed before the header.
        lines.skipBlankAndComments();
        Matcher header = HEADER.matcher(lines.text());
        if (!header.matches()) {
            return null;
        }
        String type = header.group(1);
        lines.recognize(type + " profile");
        ValueType count = new ValueType(type, "count");
        DraftProfile d = new DraftProfile(type + "-text", count, 1, List.of(count));
        while (lines.scan()) {
            String line = lines.text();
            if (GoStrings.isSpaceOrComment(line)) {
                continue; // includes the symbolized "#\t0x..." lines and "# labels: {...}"
            }
            if (line.startsWith("---")) {
                break;
            }
            readSample(lines, line, d);
        }
        MemoryMapSection.readAfterSentinel(lines, d);
        return d;
    }

    /** One "COUNT @ 0xA 0xB" line; pprof wants exactly that shape, nothing before or after. */
    private static void readSample(Lines lines, String line, DraftProfile d) {
        int digits = CharRuns.digits(line, 0);
        int p = digits;
        boolean ok = digits > 0 && line.startsWith(" @", p);
        p += 2;
        List<String> hex = new ArrayList<>();
        while (ok && p < line.length()) {
            int h = line.startsWith(" 0x", p) ? CharRuns.lowerHex(line, p + 3) : 0;
            ok = h > 0;
            if (ok) {
                hex.add(line.substring(p + 3, p + 3 + h));
                p += 3 + h;
            }
        }
        if (!ok || hex.isEmpty()) {
            throw lines.bad("expected \"COUNT @ 0xADDR ...\", got " + Quote.of(line));
        }
        // pprof reads the count with strconv base 0, so a leading 0 means octal.
        Long n = GoInts.parseInt(line.substring(0, digits));
        if (n == null) {
            throw lines.bad("bad count " + Quote.of(line.substring(0, digits)));
        }
        long[] addrs = new long[hex.size()];
        for (int i = 0; i < addrs.length; i++) {
            addrs[i] = Numbers.hex(lines, hex.get(i));
        }
        d.samples.add(new DraftSample(new long[] {n}, LegacyStacks.callers(d, addrs)));
    }
}
