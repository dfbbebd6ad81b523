package dev.godiag.format.pprof;

import dev.godiag.format.BadInputException;
import dev.godiag.model.Mapping;
import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.ValueType;
import dev.godiag.util.IntList;
import dev.godiag.util.LongList;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
 * mutex/block contention text ("mutex-text", "block-text"). Java profiles are not read.
 *
 * <p>What pprof keeps of Go's debug=1 text, and so what is kept here: only the hex addresses of
 * the stack lines (minus one, to land on the call instruction). The symbolized {@code #\t0x...}
 * lines and the {@code # labels: {...}} lines are comments to pprof and are skipped, so the
 * profile has no functions and no labels; locations get a fake mapping unless the file carries a
 * memory map. One deliberate addition: the heap profile's {@code # runtime.MemStats} trailer is
 * kept in {@link Profile#comments}, verbatim; pprof drops it, but its report legend skips
 * comments starting with '#', so reports stay identical.
 *
 * <p>Deliberate differences, all on inputs pprof accepts only by producing garbage or rejects
 * anyway: values whose arithmetic overflows int64 (pprof wraps) and recognized-but-broken files
 * (pprof sometimes says "unrecognized") raise {@link BadInputException} naming the line; a memory
 * map line whose first number has more than {@value #MAX_MAP_NUMBER} hex digits is ignored. Every
 * line is matched in linear time, so hostile input cannot make the reader crawl.
 */
public final class LegacyProfileReader {
    private LegacyProfileReader() {
    }

    /** bufio.Scanner's limit: pprof fails on any line of 64 KiB or more. */
    private static final int MAX_LINE = 64 * 1024;

    // Go's \s is [\t\n\f\r ]; Java's also matches \x0B, so the classes are spelled out.
    private static final String S = "[\\t\\n\\f\\r ]";
    private static final String NS = "[^\\t\\n\\f\\r ]";
    private static final String XDIGIT = "[0-9A-Fa-f]";

    private static final Pattern COUNT_START = Pattern.compile("(" + NS + "+) profile: total \\d+");
    private static final Pattern HEAP_HEADER = Pattern.compile(
            "heap profile: *(\\d+): *(\\d+) *\\[ *(\\d+): *(\\d+) *\\] *@ *(heap[_a-z0-9]*)/?(\\d*)");
    private static final Pattern GROWTH_HEADER = Pattern.compile(
            "heap profile: *(\\d+): *(\\d+) *\\[ *(\\d+): *(\\d+) *\\] @ growthz?");
    private static final Pattern FRAGMENTATION_HEADER = Pattern.compile(
            "heap profile: *(\\d+): *(\\d+) *\\[ *(\\d+): *(\\d+) *\\] @ fragmentationz?");
    private static final Pattern THREADZ_START = Pattern.compile("--- threadz \\d+ ---");
    /** A header that did not parse: Go's own profile names, or any name before "profile: total". */
    private static final Pattern BROKEN_HEADER = Pattern.compile(
            "(heap|allocs|goroutine|goroutineleak|threadcreate|block|mutex) profile:|(" + NS + "+) profile: total");

    // Memory map lines, as /proc/self/maps or pprof's brief "start-end file (@offset) buildid".
    private static final String HEX_RANGE = S + "*(?:0x)?(" + XDIGIT + "+)[\\t\\n\\f\\r -]?" + S + "*(?:0x)?("
            + XDIGIT + "+):?";
    private static final String PERM = "(?:" + S + "+([-rwxp]+))?";
    private static final Pattern PROC_MAPS = Pattern.compile(HEX_RANGE + PERM + "(?:" + S + "+(" + XDIGIT + "+))?"
            + S + "+" + XDIGIT + "+:" + XDIGIT + "+" + S + "+[0-9]+(?:" + S + "+(" + NS + "+))?");
    private static final Pattern BRIEF_MAPS = Pattern.compile(HEX_RANGE + PERM + "(?:" + S + "+(" + NS + "+))?"
            + "(?:" + S + "+\\(@(" + XDIGIT + "+)\\))?(?:" + S + "+(" + XDIGIT + "+))?");
    /** A glog prefix ("I0101 12:00:00.000 file.cc:12] "), which pprof strips from map lines. */
    private static final Pattern LOG_PREFIX = Pattern.compile("[^\\[\\]]+:[0-9]+]" + S);
    private static final Pattern SHARED_LIBRARY = Pattern.compile("([.]so$|[.]so[._][0-9]+)");
    /**
     * Longest leading hex run a map line may have. Beyond it the regexes above backtrack
     * quadratically; pprof would accept such a line only with absurd leading zeros.
     */
    private static final int MAX_MAP_NUMBER = 64;

    /**
     * Parses a legacy profile, or returns null when the data is in no legacy format known here.
     * Throws {@link BadInputException} when the format is recognized but broken.
     */
    public static Profile parse(byte[] data) {
        try {
            Draft d = parseCpu(data);
            if (d == null) {
                LineIndex text = new LineIndex(data, 0);
                d = parseHeap(text.lines());
                if (d == null) {
                    d = parseGoCount(text.lines());
                }
                if (d == null) {
                    d = parseThread(text.lines());
                }
                if (d == null) {
                    d = parseContention(text.lines());
                }
                if (d == null) {
                    rejectBrokenHeader(text.lines());
                }
            }
            return d == null ? null : d.build();
        } catch (NotThisFormat e) {
            return null;
        }
    }

    /**
     * No parser took the data. If it still opens like a Go text profile ("heap profile: 1: 2 [",
     * "goroutine profile: total"), it is one that got cut or mangled: say so rather than
     * "unknown format". pprof calls these unrecognized; it rejects them all the same.
     */
    private static void rejectBrokenHeader(Lines lines) {
        while (lines.scan() && isSpaceOrComment(lines.text)) {
            // skip
        }
        Matcher m = BROKEN_HEADER.matcher(lines.text);
        if (m.lookingAt()) {
            lines.recognize((m.group(1) != null ? m.group(1) : m.group(2)) + " profile");
            throw lines.bad("malformed header " + quote(lines.text));
        }
    }

    // ---------------------------------------------------------------------------------------
    // goroutine / threadcreate: "TYPE profile: total N", then "COUNT @ 0xADDR 0xADDR ..." lines

    private static Draft parseGoCount(Lines lines) {
        // Leading blank and comment lines are allowed before the header.
        while (lines.scan() && isSpaceOrComment(lines.text)) {
            // skip
        }
        Matcher header = COUNT_START.matcher(lines.text);
        if (!header.matches()) {
            return null;
        }
        String type = header.group(1);
        lines.recognize(type + " profile");
        Draft d = new Draft(type + "-text");
        d.sampleTypes.add(new ValueType(type, "count"));
        d.periodType = new ValueType(type, "count");
        d.period = 1;
        while (lines.scan()) {
            String line = lines.text;
            if (isSpaceOrComment(line)) {
                continue; // includes the symbolized "#\t0x..." lines and "# labels: {...}"
            }
            if (line.startsWith("---")) {
                break;
            }
            readCountLine(lines, line, d);
        }
        readAdditionalSections(lines, d);
        return d;
    }

    /** One "COUNT @ 0xA 0xB" line; pprof wants exactly that shape, nothing before or after. */
    private static void readCountLine(Lines lines, String line, Draft d) {
        int digits = digitRun(line, 0);
        int p = digits;
        boolean ok = digits > 0 && line.startsWith(" @", p);
        p += 2;
        List<String> hex = new ArrayList<>();
        while (ok && p < line.length()) {
            int h = line.startsWith(" 0x", p) ? lowerHexRun(line, p + 3) : 0;
            ok = h > 0;
            if (ok) {
                hex.add(line.substring(p + 3, p + 3 + h));
                p += 3 + h;
            }
        }
        if (!ok || hex.isEmpty()) {
            throw lines.bad("expected \"COUNT @ 0xADDR ...\", got " + quote(line));
        }
        // pprof reads the count with strconv base 0, so a leading 0 means octal.
        Long n = goParseInt(line.substring(0, digits));
        if (n == null) {
            throw lines.bad("bad count " + quote(line.substring(0, digits)));
        }
        List<Loc> stack = new ArrayList<>(hex.size());
        for (String h : hex) {
            // Return addresses: step back onto the call instruction.
            stack.add(d.location(parseHex(lines, h) - 1));
        }
        d.samples.add(new Smp(new long[] {n}, stack));
    }

    // ---------------------------------------------------------------------------------------
    // heap: "heap profile: N: N [N: N] @ heap/RATE", then "N: N [N: N] @ 0xADDR ..." lines

    private static Draft parseHeap(Lines lines) {
        if (!lines.scan()) {
            return null;
        }
        String header = lines.text;
        Draft d = new Draft("heap-text");
        d.periodType = new ValueType("space", "bytes");
        boolean hasAlloc = false;
        boolean unsample = false;
        Matcher m = HEAP_HEADER.matcher(header);
        if (m.find()) {
            lines.recognize("heap profile");
            // pprof compares the header totals as strings only, to decide whether the file has
            // alloc columns; it never parses them.
            hasAlloc = !m.group(3).equals(m.group(1)) && !m.group(3).equals("0")
                    || !m.group(4).equals(m.group(2)) && !m.group(4).equals("0");
            long rate = 0;
            if (!m.group(6).isEmpty()) {
                rate = parseDecimal(lines, m.group(6), "sampling rate");
            }
            switch (m.group(5)) {
                case "heapz_v2", "heap_v2" -> {
                    unsample = true;
                    d.period = rate;
                }
                case "heapprofile" -> d.period = 1;
                // Go writes twice its MemProfileRate here, for old pprof versions.
                case "heap" -> {
                    unsample = true;
                    d.period = rate / 2;
                }
                default -> throw lines.bad("unknown heap profile kind " + quote(m.group(5)));
            }
        } else if (GROWTH_HEADER.matcher(header).find() || FRAGMENTATION_HEADER.matcher(header).find()) {
            lines.recognize("heap profile");
            d.period = 1;
        } else {
            return null;
        }
        if (hasAlloc) {
            // alloc first, so that pprof's default (the last type) is inuse_space
            d.sampleTypes.add(new ValueType("alloc_objects", "count"));
            d.sampleTypes.add(new ValueType("alloc_space", "bytes"));
            d.sampleTypes.add(new ValueType("inuse_objects", "count"));
            d.sampleTypes.add(new ValueType("inuse_space", "bytes"));
        } else {
            d.sampleTypes.add(new ValueType("objects", "count"));
            d.sampleTypes.add(new ValueType("space", "bytes"));
        }
        boolean inMemStats = false;
        while (lines.scan()) {
            String line = goTrimSpace(lines.text);
            if (isSpaceOrComment(line)) {
                inMemStats |= line.equals("# runtime.MemStats");
                if (inMemStats && !line.isEmpty()) {
                    d.comments.add(lines.text);
                }
                continue;
            }
            if (isMemoryMapSentinel(line)) {
                break;
            }
            readHeapSample(lines, line, d, hasAlloc, unsample);
        }
        readAdditionalSections(lines, d);
        return d;
    }

    private static void readHeapSample(Lines lines, String line, Draft d, boolean hasAlloc, boolean unsample) {
        String[] g = matchHeapSample(line);
        if (g == null) {
            throw lines.bad("expected \"INUSE: BYTES [ALLOC: BYTES] @ 0xADDR ...\", got " + quote(line));
        }
        long[] values = new long[hasAlloc ? 4 : 2];
        // The block size label comes from the last non-empty pair: inuse if any, else alloc.
        long[] blockSize = {0};
        int v = 0;
        // pprof un-samples with the period, i.e. for "@ heap/N" with N/2, Go's real rate.
        if (hasAlloc) {
            v = heapPair(lines, g[2], g[3], "allocation", d.period, unsample, values, v, blockSize);
        }
        heapPair(lines, g[0], g[1], "inuse", d.period, unsample, values, v, blockSize);
        List<Loc> stack = new ArrayList<>();
        for (long addr : hexAddresses(lines, g[4])) {
            stack.add(d.location(addr - 1));
        }
        Smp s = new Smp(values, stack);
        s.hasBytes = true;
        s.bytes = blockSize[0];
        d.samples.add(s);
    }

    /** Stores one count/size pair at values[at], un-sampled like pprof; returns the next index. */
    private static int heapPair(Lines lines, String countText, String sizeText, String label, long rate,
                                boolean unsample, long[] values, int at, long[] blockSize) {
        long count = parseDecimal(lines, countText, label + " count");
        long size = parseDecimal(lines, sizeText, label + " bytes");
        if (count == 0 && size != 0) {
            throw lines.bad(label + " count was 0 but " + label + " bytes was " + size);
        }
        if (count != 0) {
            blockSize[0] = size / count;
            if (unsample) {
                long[] scaled = scaleHeapSample(lines, count, size, rate);
                count = scaled[0];
                size = scaled[1];
            }
        }
        values[at] = count;
        values[at + 1] = size;
        return at + 2;
    }

    /**
     * Undoes heap sampling: an allocation of average size S shows up with probability
     * 1-exp(-S/rate), so each value is divided by that (pprof's scaleHeapSample).
     */
    private static long[] scaleHeapSample(Lines lines, long count, long size, long rate) {
        if (count == 0 || size == 0) {
            return new long[] {0, 0};
        }
        if (rate <= 1) {
            return new long[] {count, size}; // everything was sampled, or the rate is unknown
        }
        double avgSize = (double) size / (double) count;
        double scale = 1 / (1 - GoExp.exp(-avgSize / (double) rate));
        return new long[] {toLong(lines, (double) count * scale), toLong(lines, (double) size * scale)};
    }

    // ---------------------------------------------------------------------------------------
    // mutex / block: "--- mutex:" or "--- contention:", "key=value" lines, "CYCLES COUNT @ ..."

    private static Draft parseContention(Lines lines) {
        if (!lines.scan()) {
            return null;
        }
        String first = lines.text;
        String kind;
        if (first.startsWith("--- mutex:")) {
            kind = "mutex-text";
        } else if (first.startsWith("--- contention:") || first.startsWith("--- contentionz ")) {
            kind = "block-text";
        } else {
            return null;
        }
        boolean cppContentionz = first.startsWith("--- contentionz ");
        lines.recognize(kind.startsWith("mutex") ? "mutex profile" : "contention profile");
        Draft d = new Draft(kind);
        d.periodType = new ValueType("contentions", "count");
        d.period = 1;
        d.sampleTypes.add(new ValueType("contentions", "count"));
        d.sampleTypes.add(new ValueType("delay", "nanoseconds"));
        long cpuHz = 0;
        while (lines.scan()) {
            String line = goTrimSpace(lines.text);
            if (isSpaceOrComment(line)) {
                continue;
            }
            if (line.startsWith("---")) {
                break;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                break; // the first sample
            }
            String key = goTrimSpace(line.substring(0, eq));
            String val = goTrimSpace(line.substring(eq + 1));
            switch (key) {
                case "cycles/second" -> cpuHz = attribute(lines, key, val);
                case "sampling period" -> d.period = attribute(lines, key, val);
                case "ms since reset" -> d.durationNanos = multiply(lines, attribute(lines, key, val), 1_000_000L);
                case "discarded samples" -> {
                    // ignored, as by pprof
                }
                case "format", "resolution" -> {
                    if (cppContentionz) {
                        throw new NotThisFormat(); // a Java contention profile
                    }
                    throw lines.bad("unexpected attribute " + quote(key));
                }
                default -> throw lines.bad("unknown attribute " + quote(key));
            }
        }
        // The loop above stopped on the first sample line (or "---", or the end).
        while (true) {
            String line = goTrimSpace(lines.text);
            if (line.startsWith("---")) {
                break;
            }
            if (!isSpaceOrComment(line)) {
                readContentionSample(lines, line, d, cpuHz);
            }
            if (!lines.scan()) {
                break;
            }
        }
        readAdditionalSections(lines, d);
        return d;
    }

    private static void readContentionSample(Lines lines, String line, Draft d, long cpuHz) {
        String[] g = matchContentionSample(line);
        if (g == null) {
            throw lines.bad("expected \"CYCLES COUNT @ 0xADDR ...\", got " + quote(line));
        }
        long cycles = parseDecimal(lines, g[0], "delay");
        long count = parseDecimal(lines, g[1], "count");
        // Un-sample: delays go from cycles to nanoseconds and both scale by the sampling period.
        long period = d.period;
        if (period > 0) {
            if (cpuHz > 0) {
                double cpuGHz = (double) cpuHz / 1e9;
                cycles = toLong(lines, (double) cycles * (double) period / cpuGHz);
            }
            count = multiply(lines, count, period);
        }
        List<Loc> stack = new ArrayList<>();
        for (long addr : hexAddresses(lines, g[2])) {
            stack.add(d.location(addr - 1));
        }
        d.samples.add(new Smp(new long[] {count, cycles}, stack));
    }

    private static long attribute(Lines lines, String key, String val) {
        Long v = goParseInt(val);
        if (v == null) {
            throw lines.bad("bad " + key + " " + quote(val));
        }
        return v;
    }

    // ---------------------------------------------------------------------------------------
    // threadz: "--- Thread HEX (name: NAME/N) stack: ---" followed by address lines

    private static Draft parseThread(Lines lines) {
        while (lines.scan() && isSpaceOrComment(lines.text)) {
            // skip
        }
        String line = lines.text;
        if (THREADZ_START.matcher(line).find()) {
            lines.recognize("thread profile");
            // Skip the preamble up to the first stack trace.
            while (lines.scan()) {
                line = lines.text;
                if (isMemoryMapSentinel(line) || line.startsWith("-")) {
                    break;
                }
            }
        } else if (isThreadStart(line)) {
            lines.recognize("thread profile");
        } else {
            return null;
        }
        Draft d = new Draft("thread-legacy");
        d.sampleTypes.add(new ValueType("thread", "count"));
        d.periodType = new ValueType("thread", "count");
        d.period = 1;
        while (!isMemoryMapSentinel(line)) {
            if (line.startsWith("---- no stack trace for")) {
                break;
            }
            if (!isThreadStart(line)) {
                throw lines.bad("expected \"--- Thread HEX (name: NAME/N) stack: ---\", got " + quote(line));
            }
            LongList addrs = new LongList();
            line = readThreadStack(lines, addrs);
            if (addrs.size() == 0) {
                // "same as previous thread" (or an empty stack) counts for the previous sample
                if (!d.samples.isEmpty()) {
                    d.samples.get(d.samples.size() - 1).values[0]++;
                }
                continue;
            }
            List<Loc> stack = new ArrayList<>(addrs.size());
            for (int i = 0; i < addrs.size(); i++) {
                // the leaf is the interrupted pc itself, the others are return addresses
                stack.add(d.location(i > 0 ? addrs.get(i) - 1 : addrs.get(i)));
            }
            d.samples.add(new Smp(new long[] {1}, stack));
        }
        readAdditionalSections(lines, d);
        cleanupDuplicateLocations(d);
        return d;
    }

    /**
     * Whether the line contains pprof's {@code --- Thread ([[:xdigit:]]+) \(name: (.*)/(\d+)\) stack: ---}.
     * Checked by hand: the regex backtracks quadratically on a line of repeated headers. Since
     * {@code .*} spans anything, a match exists iff some "--- Thread HEX (name: " is followed,
     * anywhere later, by "/DIGITS) stack: ---"; the earliest such header leaves the most room.
     */
    static boolean isThreadStart(String line) {
        int from = 0;
        int i;
        while ((i = line.indexOf("--- Thread ", from)) >= 0) {
            int p = i + "--- Thread ".length();
            int h = 0;
            while (p + h < line.length() && isHexDigit(line.charAt(p + h))) {
                h++;
            }
            if (h > 0 && line.startsWith(" (name: ", p + h)) {
                return hasThreadTrailer(line, p + h + " (name: ".length());
            }
            from = i + 1;
        }
        return false;
    }

    /** Whether "/DIGITS) stack: ---" occurs at or after from. */
    private static boolean hasThreadTrailer(String line, int from) {
        String tail = ") stack: ---";
        int j = from;
        while ((j = line.indexOf(tail, j)) >= 0) {
            int d = j;
            while (d > from && isDigit(line.charAt(d - 1))) {
                d--;
            }
            if (d < j && d > from && line.charAt(d - 1) == '/') {
                return true;
            }
            j++;
        }
        return false;
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /**
     * Reads the addresses of one thread into addrs (left empty for "same as previous thread")
     * and returns the trimmed line that ended the stack.
     */
    private static String readThreadStack(Lines lines, LongList addrs) {
        String line = "";
        boolean sameAsPrevious = false;
        while (lines.scan()) {
            line = goTrimSpace(lines.text);
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
            for (long a : hexAddresses(lines, line)) {
                addrs.add(a);
            }
        }
        if (sameAsPrevious) {
            addrs.clear();
        }
        return line;
    }

    // ---------------------------------------------------------------------------------------
    // old binary CPU format: words 0, 3, 0, period(us), 0, then samples, then a memory map

    private static Draft parseCpu(byte[] data) {
        for (Words.Order order : Words.Order.values()) {
            Words w = new Words(data, order);
            long n1 = w.next();
            long n2 = w.next();
            long n3 = w.next();
            long n4 = w.next();
            long n5 = w.next();
            if (w.dead || n1 != 0 || n2 != 3 || n4 == 0 || n5 != 0) {
                continue;
            }
            if (n3 == 0) {
                return cpuProfile(w, n4);
            }
            if (n3 == 1) {
                return null; // a Java CPU profile
            }
        }
        return null;
    }

    private static Draft cpuProfile(Words w, long periodMicros) {
        if (periodMicros < 0 || periodMicros > Long.MAX_VALUE / 1000) {
            throw new BadInputException("CPU profile header: sampling period " + Long.toUnsignedString(periodMicros)
                    + " us is out of range");
        }
        Draft d = new Draft("cpu-legacy");
        d.period = periodMicros * 1000;
        d.periodType = new ValueType("cpu", "nanoseconds");
        d.sampleTypes.add(new ValueType("samples", "count"));
        d.sampleTypes.add(new ValueType("cpu", "nanoseconds"));
        readCpuSamples(w, d);
        dropSignalHandlerFrames(d);
        Lines mapLines = new LineIndex(w.data, w.dead ? w.data.length : w.pos).lines();
        mapLines.recognize("CPU profile memory map");
        applyMemoryMap(d, mapLines);
        cleanupDuplicateLocations(d);
        return d;
    }

    /** Samples are COUNT, DEPTH, DEPTH addresses; "0, 1, 0" ends them. */
    private static void readCpuSamples(Words w, Draft d) {
        while (w.remaining() > 0) {
            int at = w.pos;
            long count = w.next();
            long depth = w.next();
            // pprof's bound: a stack may not have more entries than 4-byte words remain.
            if (w.dead || Long.compareUnsigned(depth, w.remaining() / 4) > 0) {
                throw new BadInputException("CPU profile: truncated or corrupt sample at byte " + at);
            }
            long[] addrs = new long[(int) depth];
            for (int i = 0; i < addrs.length; i++) {
                addrs[i] = w.next();
            }
            if (count == 0 && depth == 1 && addrs[0] == 0) {
                break;
            }
            List<Loc> stack = new ArrayList<>(addrs.length);
            for (int i = 0; i < addrs.length; i++) {
                stack.add(d.location(i > 0 ? addrs[i] - 1 : addrs[i]));
            }
            if (count < 0) {
                throw new BadInputException("CPU profile: sample count out of range at byte " + at);
            }
            long cpu;
            try {
                cpu = Math.multiplyExact(count, d.period);
            } catch (ArithmeticException e) {
                throw new BadInputException("CPU profile: sample count " + count + " overflows at byte " + at);
            }
            d.samples.add(new Smp(new long[] {count, cpu}, stack));
        }
    }

    /**
     * When nearly all samples share the frame above the leaf, it is the signal handler's
     * frame, not the program's: remove it (up to twice), as pprof does.
     */
    private static void dropSignalHandlerFrames(Draft d) {
        int n = d.samples.size();
        int margin = n / 32; // tolerate one odd sample per 32
        for (int iter = 0; iter < 2; iter++) {
            Map<Long, Integer> secondFrames = new HashMap<>();
            for (Smp s : d.samples) {
                if (s.locs.size() > 1) {
                    secondFrames.merge(s.locs.get(1).address, 1, Integer::sum);
                }
            }
            // At most one address can reach the threshold, so map order does not matter.
            for (Map.Entry<Long, Integer> e : secondFrames.entrySet()) {
                if (e.getValue() >= n - margin) {
                    long addr = e.getKey();
                    for (Smp s : d.samples) {
                        if (s.locs.size() > 1 && s.locs.get(1).address == addr) {
                            s.locs.remove(1);
                        }
                    }
                    break;
                }
            }
        }
    }

    /**
     * The leaf may appear twice, from the signal context and from unwinding (the latter
     * adjusted by -1): drop the copy. Runs after ids are assigned, so the dropped location keeps
     * its id and stays listed, as in pprof.
     */
    private static void cleanupDuplicateLocations(Draft d) {
        for (Smp s : d.samples) {
            if (s.locs.size() > 1 && s.locs.get(0).address == s.locs.get(1).address + 1) {
                s.locs.remove(1);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // memory maps and the id assignment pprof does after parsing

    /** Skips to a memory-map sentinel (unless on one already) and reads the mappings after it. */
    private static void readAdditionalSections(Lines lines, Draft d) {
        while (!isMemoryMapSentinel(lines.text) && lines.scan()) {
            // skip unknown sections
        }
        applyMemoryMap(d, lines);
    }

    private static boolean isMemoryMapSentinel(String line) {
        return line.contains("--- Memory map: ---") || line.contains("MAPPED_LIBRARIES:");
    }

    private static void applyMemoryMap(Draft d, Lines lines) {
        d.mappings.addAll(readMappings(lines));
        mergeMappings(d);
        assignLocationIds(d);
        assignMappings(d);
    }

    /** Reads mapping lines to the end; "name=value" lines define $name for later lines. */
    private static List<MapDraft> readMappings(Lines lines) {
        List<MapDraft> result = new ArrayList<>();
        Substitutions vars = new Substitutions();
        while (lines.scan()) {
            String line = vars.apply(removeLogPrefix(lines.text));
            MapDraft m = parseMappingLine(line);
            if (m == UNRECOGNIZED) {
                int eq = line.indexOf('=');
                if (eq >= 0) {
                    vars.define("$" + goTrimSpace(line.substring(0, eq)), goTrimSpace(line.substring(eq + 1)));
                }
            } else if (m != NOT_EXECUTABLE) {
                result.add(m);
            }
        }
        return result;
    }

    private static final MapDraft UNRECOGNIZED = new MapDraft();
    private static final MapDraft NOT_EXECUTABLE = new MapDraft();

    private static String removeLogPrefix(String line) {
        Matcher m = LOG_PREFIX.matcher(line);
        return m.lookingAt() ? line.substring(m.end()) : line;
    }

    private static MapDraft parseMappingLine(String line) {
        if (leadingHexRun(line) > MAX_MAP_NUMBER) {
            return UNRECOGNIZED;
        }
        String start;
        String end;
        String perm;
        String offset;
        String file;
        String buildId = "";
        Matcher m = PROC_MAPS.matcher(line);
        if (m.lookingAt()) {
            start = m.group(1);
            end = m.group(2);
            perm = orEmpty(m.group(3));
            offset = orEmpty(m.group(4));
            file = orEmpty(m.group(5));
        } else if ((m = BRIEF_MAPS.matcher(line)).lookingAt()) {
            start = m.group(1);
            end = m.group(2);
            perm = orEmpty(m.group(3));
            file = orEmpty(m.group(4));
            offset = orEmpty(m.group(5));
            buildId = orEmpty(m.group(6));
        } else {
            return UNRECOGNIZED;
        }
        if (!perm.isEmpty() && !perm.contains("x")) {
            return NOT_EXECUTABLE;
        }
        try {
            MapDraft md = new MapDraft();
            md.file = file;
            md.buildId = buildId;
            md.start = Long.parseUnsignedLong(start, 16);
            md.limit = Long.parseUnsignedLong(end, 16);
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
        while (j < line.length() && Character.digit(line.charAt(j), 16) >= 0 && line.charAt(j) < 128) {
            j++;
        }
        return j - i;
    }

    /**
     * pprof's massageMappings: joins mappings split into adjacent pieces and moves the likely main
     * binary (the first named non-library, non-[special] mapping) to the front.
     */
    private static void mergeMappings(Draft d) {
        List<MapDraft> ms = d.mappings;
        if (ms.size() > 1) {
            List<MapDraft> merged = new ArrayList<>();
            merged.add(ms.get(0));
            for (MapDraft m : ms.subList(1, ms.size())) {
                MapDraft last = merged.get(merged.size() - 1);
                if (adjacent(last, m)) {
                    last.limit = m.limit;
                    if (!m.file.isEmpty()) {
                        last.file = m.file;
                    }
                    if (!m.buildId.isEmpty()) {
                        last.buildId = m.buildId;
                    }
                    for (Loc l : d.locations) {
                        if (l.mapping == m) {
                            l.mapping = last;
                        }
                    }
                    continue;
                }
                merged.add(m);
            }
            ms = merged;
        }
        for (int i = 0; i < ms.size(); i++) {
            String file = goTrimSpace(ms.get(i).file.replace("(deleted)", ""));
            if (file.isEmpty() || SHARED_LIBRARY.matcher(file).find() || file.charAt(0) == '[') {
                continue;
            }
            MapDraft main = ms.get(i);
            ms.set(i, ms.get(0));
            ms.set(0, main);
            break;
        }
        d.mappings = ms;
    }

    private static boolean adjacent(MapDraft m1, MapDraft m2) {
        if (!m1.file.isEmpty() && !m2.file.isEmpty() && !m1.file.equals(m2.file)) {
            return false;
        }
        if (!m1.buildId.isEmpty() && !m2.buildId.isEmpty() && !m1.buildId.equals(m2.buildId)) {
            return false;
        }
        if (m1.limit != m2.start) {
            return false;
        }
        return m1.offset == 0 || m2.offset == 0 || m1.offset + (m1.limit - m1.start) == m2.offset;
    }

    /** Keeps only locations some sample uses, numbered 1.. in order of first use. */
    private static void assignLocationIds(Draft d) {
        List<Loc> used = new ArrayList<>();
        for (Loc l : d.locations) {
            l.id = 0;
        }
        for (Smp s : d.samples) {
            for (Loc l : s.locs) {
                if (l.id == 0) {
                    used.add(l);
                    l.id = used.size();
                }
            }
        }
        d.locations = used;
    }

    /**
     * pprof's remapMappingIDs: fixes up what legacy handlers got wrong about the main binary,
     * then gives each location the mapping holding its address, or a catch-all fake mapping
     * (Go's legacy handlers wrote no mappings at all). Locations at address 0 get none.
     */
    private static void assignMappings(Draft d) {
        List<MapDraft> ms = d.mappings;
        if (ms.size() > 1 && ms.get(0).file.startsWith("/anon_hugepage") && ms.get(0).limit == ms.get(1).start) {
            ms.remove(0);
        }
        if (!ms.isEmpty()) {
            MapDraft m = ms.get(0);
            if (m.start - m.offset == 0x400000L) {
                m.start = 0x400000L;
                m.offset = 0;
            }
        }
        MapDraft fake = null;
        for (Loc l : d.locations) {
            if (l.mapping != null || l.address == 0) {
                continue;
            }
            l.mapping = containing(ms, l.address);
            if (l.mapping == null) {
                if (fake == null) {
                    fake = new MapDraft();
                    fake.limit = -1L;
                    ms.add(fake);
                }
                l.mapping = fake;
            }
        }
        for (int i = 0; i < ms.size(); i++) {
            ms.get(i).id = i + 1;
        }
    }

    private static MapDraft containing(List<MapDraft> ms, long a) {
        for (MapDraft m : ms) {
            if (Long.compareUnsigned(m.start, a) <= 0 && Long.compareUnsigned(a, m.limit) < 0) {
                return m;
            }
        }
        // Legacy handlers dropped the first piece of a mapping split in two; its offset tells
        // where the mapping really starts.
        for (MapDraft m : ms) {
            if (m.offset != 0 && Long.compareUnsigned(m.start - m.offset, a) <= 0
                    && Long.compareUnsigned(a, m.start) < 0) {
                m.start -= m.offset;
                m.offset = 0;
                return m;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------
    // matching sample lines. pprof's regexes are unanchored; these matchers find the same
    // leftmost match in linear time (Java's backtracking would go cubic on hostile lines).

    /**
     * pprof's {@code (-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)}, found anywhere in the
     * line: returns the five groups, or null.
     */
    static String[] matchHeapSample(String s) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            boolean numberStart = isDigit(c) || c == '-' && i + 1 < s.length() && isDigit(s.charAt(i + 1));
            if (!numberStart) {
                i++;
                continue;
            }
            String[] g = heapSampleAt(s, i);
            if (g != null) {
                return g;
            }
            // Every quantifier in the pattern is followed by a character it cannot match, so the
            // match from i is unique; a later start inside the same number fails the same way.
            i = c == '-' ? i + 1 : i;
            i += digitRun(s, i);
        }
        return null;
    }

    private static String[] heapSampleAt(String s, int i) {
        String[] g = new String[5];
        int p = i;
        int[] end = new int[1];
        if ((g[0] = signedDigits(s, p, end)) == null) {
            return null;
        }
        p = end[0];
        if (!s.startsWith(":", p)) {
            return null;
        }
        p = skipSpaces(s, p + 1);
        if ((g[1] = signedDigits(s, p, end)) == null) {
            return null;
        }
        p = skipSpaces(s, end[0]);
        if (!s.startsWith("[", p)) {
            return null;
        }
        p = skipSpaces(s, p + 1);
        int d = digitRun(s, p);
        if (d == 0 || !s.startsWith(":", p + d)) {
            return null;
        }
        g[2] = s.substring(p, p + d);
        p = skipSpaces(s, p + d + 1);
        d = digitRun(s, p);
        if (d == 0) {
            return null;
        }
        g[3] = s.substring(p, p + d);
        p = skipSpaces(s, p + d);
        if (!s.startsWith("] @", p)) {
            return null;
        }
        g[4] = s.substring(p + 3, p + 3 + addressCharRun(s, p + 3));
        return g;
    }

    /**
     * pprof's {@code (\d+) *(\d+) @([ x0-9a-f]*)}, found anywhere in the line: returns the three
     * groups, or null. Backtracking may split one digit run in two ("1234 @" gives 123 and 4);
     * that is reproduced.
     */
    static String[] matchContentionSample(String s) {
        int a = 0;
        while (a < s.length()) {
            if (!isDigit(s.charAt(a))) {
                a++;
                continue;
            }
            int b = a + digitRun(s, a);
            int c = skipSpaces(s, b);
            int d = c + digitRun(s, c);
            if (c > b && d > c && s.startsWith(" @", d)) {
                return new String[] {s.substring(a, b), s.substring(c, d), addressGroup(s, d + 2)};
            }
            if (b - a >= 2 && s.startsWith(" @", b)) {
                return new String[] {s.substring(a, b - 1), s.substring(b - 1, b), addressGroup(s, b + 2)};
            }
            // Starts later in the same digit run meet the same conditions, only weaker: skip it.
            a = b;
        }
        return null;
    }

    private static String addressGroup(String s, int from) {
        return s.substring(from, from + addressCharRun(s, from));
    }

    /** -?\d+ at p, or null; end[0] receives the end. */
    private static String signedDigits(String s, int p, int[] end) {
        int q = s.startsWith("-", p) ? p + 1 : p;
        int d = digitRun(s, q);
        if (d == 0) {
            return null;
        }
        end[0] = q + d;
        return s.substring(p, q + d);
    }

    /** pprof's parseHexAddresses: every {@code 0x[0-9a-f]+} in the text, as 64-bit numbers. */
    private static long[] hexAddresses(Lines lines, String s) {
        LongList out = new LongList();
        int i = 0;
        while ((i = s.indexOf("0x", i)) >= 0) {
            int h = lowerHexRun(s, i + 2);
            if (h == 0) {
                i++;
                continue;
            }
            out.add(parseHex(lines, s.substring(i + 2, i + 2 + h)));
            i += 2 + h;
        }
        return out.toArray();
    }

    private static long parseHex(Lines lines, String digits) {
        try {
            return Long.parseUnsignedLong(digits, 16);
        } catch (NumberFormatException e) {
            throw lines.bad("address 0x" + abbreviate(digits) + " does not fit in 64 bits");
        }
    }

    private static long parseDecimal(Lines lines, String digits, String what) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw lines.bad(what + " " + abbreviate(digits) + " is out of range");
        }
    }

    private static long multiply(Lines lines, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw lines.bad("value " + a + " * " + b + " overflows 64 bits");
        }
    }

    /** Go's int64(float64) truncates toward zero; out of range it is garbage, so refuse it. */
    private static long toLong(Lines lines, double v) {
        if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) {
            throw lines.bad("sample value " + v + " overflows 64 bits");
        }
        return (long) v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digitRun(String s, int p) {
        int q = p;
        while (q < s.length() && isDigit(s.charAt(q))) {
            q++;
        }
        return q - p;
    }

    private static int lowerHexRun(String s, int p) {
        int q = p;
        while (q < s.length() && (isDigit(s.charAt(q)) || s.charAt(q) >= 'a' && s.charAt(q) <= 'f')) {
            q++;
        }
        return q - p;
    }

    /** Run of {@code [ x0-9a-f]}. */
    private static int addressCharRun(String s, int p) {
        int q = p;
        while (q < s.length()) {
            char c = s.charAt(q);
            if (!(c == ' ' || c == 'x' || isDigit(c) || c >= 'a' && c <= 'f')) {
                break;
            }
            q++;
        }
        return q - p;
    }

    private static int skipSpaces(String s, int p) {
        while (p < s.length() && s.charAt(p) == ' ') {
            p++;
        }
        return p;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    // ---------------------------------------------------------------------------------------
    // Go's string and number rules

    /** Go's strings.TrimSpace (Unicode White_Space). */
    static String goTrimSpace(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isGoSpace(s.charAt(a))) {
            a++;
        }
        while (b > a && isGoSpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    private static boolean isGoSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u0085', '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F',
                 '\u205F', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200A';
        };
    }

    private static boolean isSpaceOrComment(String line) {
        String t = goTrimSpace(line);
        return t.isEmpty() || t.charAt(0) == '#';
    }

    /**
     * strconv.ParseInt(s, 0, 64): optional sign, then 0x/0o/0b or a leading 0 (octal) prefix,
     * '_' between digits. Null where Go reports an error.
     */
    static Long goParseInt(String s) {
        boolean negative = false;
        String body = s;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            body = s.substring(1);
        }
        Long u = goParseUint(body);
        if (u == null) {
            return null;
        }
        if (negative) {
            return Long.compareUnsigned(u, Long.MIN_VALUE) > 0 ? null : -u;
        }
        return u < 0 ? null : u;
    }

    private static Long goParseUint(String s) {
        if (s.isEmpty()) {
            return null;
        }
        int base = 10;
        int i = 0;
        if (s.charAt(0) == '0') {
            char p = s.length() >= 3 ? Character.toLowerCase(s.charAt(1)) : 0;
            base = p == 'b' ? 2 : p == 'o' ? 8 : p == 'x' ? 16 : 8;
            i = p == 'b' || p == 'o' || p == 'x' ? 2 : 1;
        }
        long cutoff = Long.divideUnsigned(-1L, base) + 1;
        boolean underscores = false;
        long n = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') {
                underscores = true;
                continue;
            }
            int digit = c < 128 ? Character.digit(c, 36) : -1;
            if (digit < 0 || digit >= base || Long.compareUnsigned(n, cutoff) >= 0) {
                return null;
            }
            long next = n * base + digit;
            if (Long.compareUnsigned(next, n * base) < 0) {
                return null;
            }
            n = next;
        }
        return underscores && !underscoresOk(s) ? null : n;
    }

    /** Go's rule: '_' only between digits, or right after a base prefix. */
    private static boolean underscoresOk(String s) {
        char saw = '^';
        int i = 0;
        boolean hex = false;
        if (s.length() >= 2 && s.charAt(0) == '0' && "bBoOxX".indexOf(s.charAt(1)) >= 0) {
            i = 2;
            saw = '0';
            hex = Character.toLowerCase(s.charAt(1)) == 'x';
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            char lc = Character.toLowerCase(c);
            if (isDigit(c) || hex && lc >= 'a' && lc <= 'f') {
                saw = '0';
            } else if (c == '_') {
                if (saw != '0') {
                    return false;
                }
                saw = '_';
            } else {
                if (saw == '_') {
                    return false;
                }
                saw = '!';
            }
        }
        return saw != '_';
    }

    private static String quote(String s) {
        return "\"" + abbreviate(s) + "\"";
    }

    /** At most 60 characters, control characters escaped, so messages stay on one line. */
    private static String abbreviate(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    // ---------------------------------------------------------------------------------------
    // pprof's addLegacyFrameInfo: frames to prune, by profile kind (applied elsewhere)

    private static final List<List<String>> HEAP_TYPES = List.of(
            List.of("allocations", "size"),
            List.of("objects", "space"),
            List.of("inuse_objects", "inuse_space"),
            List.of("alloc_objects", "alloc_space"),
            List.of("alloc_objects", "alloc_space", "inuse_objects", "inuse_space"));
    private static final List<List<String>> CONTENTION_TYPES = List.of(List.of("contentions", "delay"));

    static final String ALLOC_DROP_FRAMES = String.join("|",
            "calloc", "cfree", "malloc", "free", "memalign", "do_memalign", "(__)?posix_memalign", "pvalloc",
            "valloc", "realloc",
            "tcmalloc::.*", "tc_calloc", "tc_cfree", "tc_malloc", "tc_free", "tc_memalign", "tc_posix_memalign",
            "tc_pvalloc", "tc_valloc", "tc_realloc", "tc_new", "tc_delete", "tc_newarray", "tc_deletearray",
            "tc_new_nothrow", "tc_newarray_nothrow",
            "malloc_zone_malloc", "malloc_zone_calloc", "malloc_zone_valloc", "malloc_zone_realloc",
            "malloc_zone_memalign", "malloc_zone_free",
            "runtime\\..*",
            "BaseArena::.*", "(::)?do_malloc_no_errno", "(::)?do_malloc_pages", "(::)?do_malloc",
            "DoSampledAllocation", "MallocedMemBlock::MallocedMemBlock", "_M_allocate", "__builtin_(vec_)?delete",
            "__builtin_(vec_)?new", "__gnu_cxx::new_allocator::allocate", "__libc_malloc",
            "__malloc_alloc_template::allocate", "allocate", "cpp_alloc", "operator new(\\[\\])?",
            "simple_alloc::allocate");
    static final String ALLOC_KEEP_FRAMES = String.join("|",
            "runtime\\.panic", "runtime\\.reflectcall", "runtime\\.call[0-9]*");
    static final String CPU_DROP_FRAMES = String.join("|",
            "ProfileData::Add", "ProfileData::prof_handler", "CpuProfiler::prof_handler", "__pthread_sighandler",
            "__restore");
    static final String LOCK_DROP_FRAMES = String.join("|",
            "RecordLockProfileData", "(base::)?RecordLockProfileData.*", "(base::)?SubmitMutexProfileData.*",
            "(base::)?SubmitSpinLockProfileData.*", "(base::Mutex::)?AwaitCommon.*", "(base::Mutex::)?Unlock.*",
            "(base::Mutex::)?UnlockSlow.*", "(base::Mutex::)?ReaderUnlock.*", "(base::MutexLock::)?~MutexLock.*",
            "(Mutex::)?AwaitCommon.*", "(Mutex::)?Unlock.*", "(Mutex::)?UnlockSlow.*", "(Mutex::)?ReaderUnlock.*",
            "(MutexLock::)?~MutexLock.*", "(SpinLock::)?Unlock.*", "(SpinLock::)?SlowUnlock.*",
            "(SpinLockHolder::)?~SpinLockHolder.*");

    private static boolean hasTypes(List<ValueType> types, List<List<String>> candidates) {
        List<String> names = types.stream().map(ValueType::type).toList();
        return candidates.contains(names);
    }

    // ---------------------------------------------------------------------------------------
    // the profile under construction, as mutable objects like pprof's, so that its id and
    // mapping passes can be followed step by step

    private static final class Loc {
        final long address;
        MapDraft mapping;
        long id;

        Loc(long address) {
            this.address = address;
        }
    }

    private static final class Smp {
        final long[] values;
        final List<Loc> locs;
        boolean hasBytes;
        long bytes;

        Smp(long[] values, List<Loc> locs) {
            this.values = values;
            this.locs = locs;
        }
    }

    private static final class MapDraft {
        long start;
        long limit;
        long offset;
        String file = "";
        String buildId = "";
        long id;
    }

    private static final class Draft {
        final String kind;
        final List<ValueType> sampleTypes = new ArrayList<>();
        ValueType periodType;
        long period;
        long durationNanos;
        final List<String> comments = new ArrayList<>();
        /** In creation order until {@link #assignLocationIds}, then in id order. */
        List<Loc> locations = new ArrayList<>();
        private final Map<Long, Loc> byAddress = new HashMap<>();
        final List<Smp> samples = new ArrayList<>();
        List<MapDraft> mappings = new ArrayList<>();

        Draft(String kind) {
            this.kind = kind;
        }

        /** The one location per (adjusted) address. */
        Loc location(long address) {
            return byAddress.computeIfAbsent(address, a -> {
                Loc l = new Loc(a);
                locations.add(l);
                return l;
            });
        }

        Profile build() {
            ProfileBuilder b = new ProfileBuilder(kind);
            b.sampleTypes(sampleTypes);
            b.period(periodType, period);
            b.duration(durationNanos);
            comments.forEach(b::comment);
            if (hasTypes(sampleTypes, HEAP_TYPES)) {
                b.dropFrames(ALLOC_DROP_FRAMES).keepFrames(ALLOC_KEEP_FRAMES);
            } else if (hasTypes(sampleTypes, CONTENTION_TYPES)) {
                b.dropFrames(LOCK_DROP_FRAMES);
            } else {
                b.dropFrames(CPU_DROP_FRAMES);
            }
            Map<MapDraft, Integer> mapIndex = new java.util.IdentityHashMap<>();
            for (MapDraft m : mappings) {
                mapIndex.put(m, b.addMapping(new Mapping(m.id, m.start, m.limit, m.offset, m.file, m.buildId,
                        false, false, false, false)));
            }
            Map<Loc, Integer> locIndex = new java.util.IdentityHashMap<>();
            for (Loc l : locations) {
                int mi = l.mapping == null ? -1 : mapIndex.get(l.mapping);
                locIndex.put(l, b.endLocation(l.id, mi, l.address, false));
            }
            for (Smp s : samples) {
                for (Loc l : s.locs) {
                    b.addSampleLocation(locIndex.get(l));
                }
                if (s.hasBytes) {
                    b.addNumLabel("bytes", s.bytes, null);
                }
                b.endSample(s.values);
            }
            return b.build();
        }
    }

    // ---------------------------------------------------------------------------------------
    // input cursors

    /** Thrown before a format is recognized, when the data turns out not to be in it. */
    private static final class NotThisFormat extends RuntimeException {
        NotThisFormat() {
            super(null, null, false, false);
        }
    }

    /** The lines of the data from an offset, split as Go's bufio.ScanLines splits them. */
    private static final class LineIndex {
        final byte[] data;
        final int[] start;
        final int[] end;

        LineIndex(byte[] data, int from) {
            this.data = data;
            IntList s = new IntList();
            IntList e = new IntList();
            int p = from;
            while (p < data.length) {
                int nl = p;
                while (nl < data.length && data[nl] != '\n') {
                    nl++;
                }
                s.add(p);
                e.add(nl);
                p = nl + 1;
            }
            start = s.toArray();
            end = e.toArray();
        }

        Lines lines() {
            return new Lines(this);
        }

        String text(int i) {
            int e = end[i];
            if (e > start[i] && data[e - 1] == '\r') {
                e--;
            }
            return new String(data, start[i], e - start[i], StandardCharsets.UTF_8);
        }
    }

    /** A bufio.Scanner over the lines: {@link #text} is "" once {@link #scan} returns false. */
    private static final class Lines {
        private final LineIndex index;
        private int next;
        private int lineNumber;
        private String format; // null until the format is recognized
        String text = "";

        Lines(LineIndex index) {
            this.index = index;
        }

        boolean scan() {
            if (next >= index.start.length) {
                text = "";
                return false;
            }
            int i = next++;
            lineNumber = i + 1;
            if (index.end[i] - index.start[i] >= MAX_LINE) {
                if (format == null) {
                    throw new NotThisFormat();
                }
                throw bad("line longer than " + (MAX_LINE - 1) + " bytes");
            }
            text = index.text(i);
            return true;
        }

        void recognize(String formatName) {
            format = formatName;
        }

        BadInputException bad(String what) {
            return new BadInputException(format + " line " + lineNumber + ": " + what);
        }
    }

    /** Binary words of one width and byte order; reading past the end yields 0 and sets dead. */
    private static final class Words {
        enum Order { LE32, BE32, LE64, BE64 } // pprof's order of trial

        final byte[] data;
        private final int width;
        private final boolean little;
        int pos;
        boolean dead;

        Words(byte[] data, Order order) {
            this.data = data;
            this.width = order == Order.LE32 || order == Order.BE32 ? 4 : 8;
            this.little = order == Order.LE32 || order == Order.LE64;
        }

        long next() {
            if (dead || data.length - pos < width) {
                dead = true;
                return 0;
            }
            long v = 0;
            for (int i = 0; i < width; i++) {
                long b = data[pos + (little ? i : width - 1 - i)] & 0xffL;
                v |= b << (8 * i);
            }
            pos += width;
            return v;
        }

        int remaining() {
            return dead ? 0 : data.length - pos;
        }
    }

    /**
     * pprof's "$name" substitutions in memory maps (a strings.Replacer): at each position the
     * earliest-defined name that matches is replaced.
     */
    private static final class Substitutions {
        private final Map<String, String> values = new HashMap<>();
        /** Definition order: a later definition of the same name never wins. */
        private final Map<String, Integer> order = new HashMap<>();
        private final TreeSet<Integer> lengths = new TreeSet<>();

        void define(String name, String value) {
            if (!values.containsKey(name)) {
                values.put(name, value);
                order.put(name, order.size());
                lengths.add(name.length());
            }
        }

        String apply(String line) {
            if (values.isEmpty() || line.indexOf('$') < 0) {
                return line;
            }
            StringBuilder out = new StringBuilder(line.length());
            int i = 0;
            while (i < line.length()) {
                String hit = null;
                if (line.charAt(i) == '$') {
                    hit = earliestNameAt(line, i);
                }
                if (hit == null) {
                    out.append(line.charAt(i++));
                } else {
                    out.append(values.get(hit));
                    i += hit.length();
                }
            }
            return out.toString();
        }

        private String earliestNameAt(String line, int i) {
            String best = null;
            int bestOrder = Integer.MAX_VALUE;
            for (int len : lengths) {
                if (i + len > line.length()) {
                    break;
                }
                String candidate = line.substring(i, i + len);
                Integer o = order.get(candidate);
                if (o != null) {
                    if (o < bestOrder) {
                        best = candidate;
                        bestOrder = o;
                    }
                }
            }
            return best;
        }
    }

    /**
     * Go's math.Exp as pprof runs it on amd64: not fdlibm (Java's StrictMath.exp) but the
     * runtime's assembly routine (a Shibata/SLEEF-style reduction by ln 2 and a Taylor series on
     * x/16, squared back four times), on its fused multiply-add path (CPUs with AVX and FMA).
     * The two disagree in the last bit for about 6% of heap arguments, and through
     * 1/(1-exp(-x)) that changes about one un-sampled heap value in a million.
     */
    static final class GoExp {
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
}
