package dev.godiag.format.pprof.legacy;

import dev.godiag.util.BadInputException;
import dev.godiag.model.Profile;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's legacy profile formats, read into the columnar model the way google/pprof's {@code Parse}
 * reads them (profile/legacy_profile.go): same sample types, values, period, location addresses,
 * location ids and mappings, and the same drop/keep-frames regexes.
 *
 * <p>Formats, tried in pprof's order: the old binary CPU format ("cpu-legacy"), heap text
 * ("heap-text"), goroutine/threadcreate count text ("goroutine-text", "threadcreate-text", or
 * "TYPE-text" for any other "TYPE profile: total N"), the threadz format ("thread-legacy") and
 * mutex/block contention text ("mutex-text", "block-text"); last, the Java agent's heap and
 * contention text and its variant of the binary CPU format ("java-heap", "java-contention",
 * "java-cpu"), whose symbol tables give functions, files and lines.
 *
 * <p>What pprof keeps of Go's debug=1 text, and so what is kept here: only the hex addresses of
 * the stack lines (minus one, to land on the call instruction). The symbolized {@code #\t0x...}
 * lines and the {@code # labels: {...}} lines are comments to pprof and are skipped, so the
 * profile has no functions and no labels; locations get a fake mapping unless the file carries a
 * memory map. One deliberate addition: the heap profile's {@code # runtime.MemStats} trailer is
 * kept in {@link Profile#comments}, verbatim.
 *
 * <p>Deliberate differences, all on inputs pprof accepts only by producing garbage or rejects
 * anyway: values whose arithmetic overflows int64 (pprof wraps) and recognized-but-broken files
 * (pprof sometimes says "unrecognized") raise {@link BadInputException} naming the line; a memory
 * map line whose first number has more than 64 hex digits is ignored. Every line is matched in
 * linear time, so hostile input cannot make the reader crawl.
 */
public final class LegacyProfileReader {
    private LegacyProfileReader() {
    }

    /** The text formats, in pprof's order of trial; each gets the lines from the start. */
    private static final List<Function<Lines, DraftProfile>> TEXT_FORMATS = List.of(
            HeapProfileParser::parse,
            CountProfileParser::parse,
            ThreadProfileParser::parse,
            ContentionProfileParser::parse);

    /** A header that did not parse: Go's own profile names, or any name before "profile: total". */
    private static final Pattern BROKEN_HEADER = Pattern.compile(
            "(heap|allocs|goroutine|goroutineleak|threadcreate|block|mutex) profile:|(" + GoRegex.NS
                    + "+) profile: total");

    /**
     * Parses a legacy profile, or returns null when the data is in no legacy format known here.
     * Throws {@link BadInputException} when the format is recognized but broken.
     */
    public static Profile parse(byte[] data) {
        try {
            DraftProfile d = LegacyCpuParser.parse(data);
            if (d == null) {
                d = parseText(new LineIndex(data, 0), data);
            }
            return d == null ? null : d.build();
        } catch (NotThisFormat e) {
            return null;
        }
    }

    private static DraftProfile parseText(LineIndex text, byte[] data) {
        for (Function<Lines, DraftProfile> format : TEXT_FORMATS) {
            DraftProfile d = format.apply(text.lines());
            if (d != null) {
                return d;
            }
        }
        DraftProfile java = JavaProfileParser.parseText(data);
        if (java != null) {
            return java;
        }
        rejectBrokenHeader(text.lines());
        return null;
    }

    /**
     * No parser took the data. If it still opens like a Go text profile ("heap profile: 1: 2 [",
     * "goroutine profile: total"), it is one that got cut or mangled: say so rather than
     * "unknown format". pprof calls these unrecognized; it rejects them all the same.
     */
    private static void rejectBrokenHeader(Lines lines) {
        lines.skipBlankAndComments();
        Matcher m = BROKEN_HEADER.matcher(lines.text());
        if (m.lookingAt()) {
            lines.recognize((m.group(1) != null ? m.group(1) : m.group(2)) + " profile");
            throw lines.bad("malformed header " + Quote.of(lines.text()));
        }
    }
}
