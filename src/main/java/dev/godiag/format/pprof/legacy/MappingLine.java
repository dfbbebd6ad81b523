package dev.godiag.format.pprof.legacy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.godiag.format.pprof.legacy.GoRegex.NS;
import static dev.godiag.format.pprof.legacy.GoRegex.S;
import static dev.godiag.format.pprof.legacy.GoRegex.XDIGIT;

/** One memory map line, as /proc/self/maps or pprof's brief "start-end file (@offset) buildid". */
final class MappingLine {
    private MappingLine() {
    }

    /** Not a mapping: maybe a "name=value" definition. */
    static final DraftMapping UNRECOGNIZED = new DraftMapping();
    /** A mapping pprof skips, having permissions without 'x'. */
    static final DraftMapping NOT_EXECUTABLE = new DraftMapping();

    private static final String HEX_RANGE = S + "*(?:0x)?(?<start>" + XDIGIT + "+)[\\t\\n\\f\\r -]?" + S
            + "*(?:0x)?(?<end>" + XDIGIT + "+):?";
    private static final String PERM = "(?:" + S + "+(?<perm>[-rwxp]+))?";
    private static final Pattern PROC_MAPS = Pattern.compile(HEX_RANGE + PERM + "(?:" + S + "+(?<offset>" + XDIGIT
            + "+))?" + S + "+" + XDIGIT + "+:" + XDIGIT + "+" + S + "+[0-9]+(?:" + S + "+(?<file>" + NS + "+))?");
    private static final Pattern BRIEF_MAPS = Pattern.compile(HEX_RANGE + PERM + "(?:" + S + "+(?<file>" + NS
            + "+))?(?:" + S + "+\\(@(?<offset>" + XDIGIT + "+)\\))?(?:" + S + "+(?<buildid>" + XDIGIT + "+))?");
    /**
     * Longest leading hex run a map line may have. Beyond it the regexes above backtrack
     * quadratically; pprof would accept such a line only with absurd leading zeros.
     */
    static final int MAX_MAP_NUMBER = 64;

    /** The mapping, or {@link #UNRECOGNIZED} or {@link #NOT_EXECUTABLE}. */
    static DraftMapping parse(String line) {
        if (leadingHexRun(line) > MAX_MAP_NUMBER) {
            return UNRECOGNIZED;
        }
        Matcher m = PROC_MAPS.matcher(line);
        if (!m.lookingAt() && !(m = BRIEF_MAPS.matcher(line)).lookingAt()) {
            return UNRECOGNIZED;
        }
        String perm = group(m, "perm");
        if (!perm.isEmpty() && !perm.contains("x")) {
            return NOT_EXECUTABLE;
        }
        try {
            DraftMapping md = new DraftMapping();
            md.file = group(m, "file");
            md.buildId = group(m, "buildid");
            md.start = Long.parseUnsignedLong(m.group("start"), 16);
            md.limit = Long.parseUnsignedLong(m.group("end"), 16);
            String offset = group(m, "offset");
            md.offset = offset.isEmpty() ? 0 : Long.parseUnsignedLong(offset, 16);
            return md;
        } catch (NumberFormatException e) {
            return UNRECOGNIZED;
        }
    }

    /** Length of the hex digits at the start of a map line (after blanks and "0x"). */
    private static int leadingHexRun(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (line.startsWith("0x", i)) {
            i += 2;
        }
        int j = i;
        while (j < line.length() && CharRuns.isHexDigit(line.charAt(j))) {
            j++;
        }
        return j - i;
    }

    /** The named group, or "" where it did not take part or the pattern has none (/proc maps: no build id). */
    private static String group(Matcher m, String name) {
        String g = m.namedGroups().containsKey(name) ? m.group(name) : null;
        return g == null ? "" : g;
    }
}
