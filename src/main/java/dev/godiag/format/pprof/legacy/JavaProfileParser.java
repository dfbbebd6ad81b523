package dev.godiag.format.pprof.legacy;

import dev.godiag.model.ValueType;
import dev.godiag.util.BadInputException;
import dev.godiag.util.GoPaths;
import dev.godiag.util.RawUtf8;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The legacy profiles of Google's Java agent, as pprof reads them (profile/legacy_java_profile.go):
 * heap and contention text ("--- heapz 1 ---", "--- contentionz 1 ---": "key = value" attributes,
 * then "VALUE COUNT @ 0xADDR ..." samples) and the binary CPU format whose header says "Java";
 * all end with a symbol table, one "0xADDR function (file:line)" per frame. Addresses only join
 * samples to frames: the profile keeps none.
 */
final class JavaProfileParser {
    private JavaProfileParser() {
    }

    /** The agent samples heap allocations every 512 KiB on average. */
    private static final long HEAP_SAMPLING_RATE = 524288;

    /** heapz or contentionz text, or null when the data is neither. */
    static DraftProfile parseText(byte[] data) {
        TextLines lines = new TextLines(data);
        if (!lines.nextTerminated()) {
            return null; // pprof wants the header line and something after it
        }
        String header = GoStrings.trimSpace(lines.text);
        boolean heap;
        if (header.equals("--- heapz 1 ---")) {
            heap = true;
        } else if (header.equals("--- contentionz 1 ---")) {
            heap = false;
        } else {
            return null;
        }
        String what = heap ? "Java heap profile" : "Java contention profile";
        Attributes a = Attributes.read(lines, heap, what);
        if (a == null) {
            return null; // an attribute of another format (C++'s contentionz has been tried already)
        }
        if (a.resolution == null) {
            throw new BadInputException(what + ": no \"resolution\" attribute, so no sample types");
        }
        ValueType periodType = a.period != null ? new ValueType("contentions", "count") : new ValueType("", "");
        List<ValueType> types = heap
                ? List.of(new ValueType("inuse_objects", "count"), new ValueType("inuse_space", a.resolution))
                : List.of(new ValueType("contentions", "count"), new ValueType("delay", a.resolution));
        DraftProfile d = new DraftProfile(heap ? "java-heap" : "java-contention", periodType,
                a.period != null ? a.period : 0, types);
        d.durationNanos = a.durationNanos;
        readSamples(lines, d, heap, a.period != null ? a.period : 0, what);
        readSymbols(lines, d, what);
        return d;
    }

    /** The samples of a binary CPU profile marked as Java, from w on, and the symbols after them. */
    static DraftProfile cpu(byte[] data, Words w, long periodMicros) {
        DraftProfile d = LegacyCpuParser.draft("java-cpu", periodMicros);
        LegacyCpuParser.readSamples(w, d, d.period(), false);
        TextLines lines = new TextLines(data);
        lines.skipTo(w.end());
        readSymbols(lines, d, "Java CPU profile");
        return d;
    }

    /** The "key = value" lines after the header. */
    private record Attributes(String resolution, Long period, long durationNanos) {
        /** Null when an attribute is foreign to the format (pprof: not this format). */
        static Attributes read(TextLines lines, boolean heap, String what) {
            String resolution = null;
            Long period = null;
            long durationNanos = 0;
            while (lines.nextTerminated()) {
                String line = GoStrings.trimSpace(lines.text);
                if (line.isEmpty()) {
                    continue;
                }
                String[] kv = attribute(line);
                if (kv == null) {
                    lines.back(); // the first sample
                    break;
                }
                String key = GoStrings.trimSpace(kv[0]);
                String value = GoStrings.trimSpace(kv[1]);
                switch ((heap ? "heap/" : "contention/") + key) {
                    case "heap/format", "contention/format" -> {
                        if (!value.equals("java")) {
                            return null;
                        }
                    }
                    case "heap/resolution", "contention/resolution" -> resolution = value;
                    case "contention/sampling period" -> period = number(lines, what, key, value);
                    case "contention/ms since reset" -> {
                        long ms = number(lines, what, key, value);
                        try {
                            durationNanos = Math.multiplyExact(ms, 1_000_000L);
                        } catch (ArithmeticException e) {
                            throw lines.bad(what, "\"ms since reset\" " + ms + " overflows");
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return new Attributes(resolution, period, durationNanos);
        }

        private static long number(TextLines lines, String what, String key, String value) {
            Long v = GoInts.parseInt(value);
            if (v == null) {
                throw lines.bad(what, "bad " + key + " " + Quote.of(value));
            }
            return v;
        }
    }

    private static boolean isWordOrSpace(char c) {
        return c == ' ' || c == '_' || CharRuns.isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /**
     * pprof's {@code ([\w ]+)=([\w ]+)}, found anywhere in the line: the first run of word
     * characters and spaces that an '=' and another such character follow. Null if none.
     */
    static String[] attribute(String line) {
        int i = 0;
        int n = line.length();
        while (i < n) {
            if (!isWordOrSpace(line.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && isWordOrSpace(line.charAt(i))) {
                i++;
            }
            if (i + 1 < n && line.charAt(i) == '=' && isWordOrSpace(line.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && isWordOrSpace(line.charAt(end))) {
                    end++;
                }
                return new String[] {line.substring(start, i), line.substring(i + 1, end)};
            }
        }
        return null;
    }

    /**
     * pprof's {@code  *(\d+) +(\d+) +@ +([ x0-9a-f]*)}, found anywhere in the line: the two
     * numbers and the address list, or null. Each start that fails moves the next one past the
     * first number, so the scan stays linear.
     */
    static String[] sample(String line) {
        int n = line.length();
        int i = 0;
        while (i < n) {
            int p = CharRuns.skipSpaces(line, i);
            int d1 = p;
            p += CharRuns.digits(line, p);
            if (p == d1) {
                i = d1 + 1;
                continue;
            }
            int q = p;
            int sp = CharRuns.skipSpaces(line, q);
            int d2 = sp;
            int d2end = d2 + CharRuns.digits(line, d2);
            if (sp > q && d2end > d2) {
                int at = CharRuns.skipSpaces(line, d2end);
                if (at > d2end && at < n && line.charAt(at) == '@') {
                    int addrs = CharRuns.skipSpaces(line, at + 1);
                    if (addrs > at + 1) {
                        return new String[] {line.substring(d1, p), line.substring(d2, d2end),
                                CharRuns.addressGroup(line, addrs)};
                    }
                }
            }
            i = p;
        }
        return null;
    }

    private static void readSamples(TextLines lines, DraftProfile d, boolean heap, long period, String what) {
        while (lines.nextTerminated()) {
            String line = GoStrings.trimSpace(lines.text);
            if (line.isEmpty()) {
                continue;
            }
            String[] g = sample(line);
            if (g == null) {
                lines.back(); // the symbol table
                return;
            }
            // the count comes second in the agent's lines
            long count = value(lines, what, g[1], "count");
            long value = value(lines, what, g[0], heap ? "bytes" : "delay");
            long[] addrs = hexAddresses(lines, what, g[2]);
            List<DraftLocation> stack = new java.util.ArrayList<>(addrs.length);
            for (long a : addrs) {
                stack.add(d.location(a));
            }
            if (heap) {
                if (count == 0) {
                    throw lines.bad(what, "sample count must not be 0 in " + Quote.of(line));
                }
                long blockSize = value / count;
                long[] scaled = unsample(lines, what, count, value);
                d.samples.add(new DraftSample(scaled, stack, blockSize));
            } else {
                if (period != 0) {
                    count = multiply(lines, what, count, period);
                    value = multiply(lines, what, value, period);
                }
                d.samples.add(new DraftSample(new long[] {count, value}, stack));
            }
        }
    }

    /** strconv.ParseInt(s, 0, 64): a leading 0 means octal, as pprof reads these values. */
    private static long value(TextLines lines, String what, String digits, String name) {
        Long v = GoInts.parseInt(digits);
        if (v == null) {
            throw lines.bad(what, name + " " + Quote.abbreviate(digits) + " is not a number pprof reads");
        }
        return v;
    }

    private static long multiply(TextLines lines, String what, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw lines.bad(what, "value " + a + " * " + b + " overflows 64 bits");
        }
    }

    /** pprof's scaleHeapSample with the agent's rate: each value over the chance it was sampled. */
    private static long[] unsample(TextLines lines, String what, long count, long size) {
        if (count == 0 || size == 0) {
            return new long[] {0, 0};
        }
        double avgSize = (double) size / (double) count;
        double scale = 1 / (1 - GoExp.exp(-avgSize / (double) HEAP_SAMPLING_RATE));
        return new long[] {toLong(lines, what, (double) count * scale), toLong(lines, what, (double) size * scale)};
    }

    private static long toLong(TextLines lines, String what, double v) {
        if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) {
            throw lines.bad(what, "sample value " + v + " overflows 64 bits");
        }
        return (long) v;
    }

    private static long[] hexAddresses(TextLines lines, String what, String s) {
        dev.godiag.util.LongList out = new dev.godiag.util.LongList();
        int i = 0;
        while ((i = s.indexOf("0x", i)) >= 0) {
            int h = CharRuns.lowerHex(s, i + 2);
            if (h == 0) {
                i++;
                continue;
            }
            String digits = s.substring(i + 2, i + 2 + h);
            try {
                out.add(Long.parseUnsignedLong(digits, 16));
            } catch (NumberFormatException e) {
                throw lines.bad(what, "address 0x" + Quote.abbreviate(digits) + " does not fit in 64 bits");
            }
            i += 2 + h;
        }
        return out.toArray();
    }

    /**
     * The symbol table: "0xADDR function (file:line)", "0xADDR function (path)", a JIT stub, or
     * a bare name (the agent's "GC", "VM"...). Lines of other shapes and addresses no sample uses
     * are skipped. Locations are then numbered in order of use and the addresses dropped.
     */
    private static void readSymbols(TextLines lines, DraftProfile d, String what) {
        Map<String, JavaFunction> functions = new HashMap<>();
        while (lines.next()) {
            String line = GoStrings.trimSpace(lines.text);
            if (line.isEmpty()) {
                continue;
            }
            String[] loc = symbolLine(line);
            if (loc == null) {
                continue;
            }
            long address;
            try {
                address = Long.parseUnsignedLong(loc[0], 16);
            } catch (NumberFormatException e) {
                throw lines.bad(what, "address 0x" + Quote.abbreviate(loc[0]) + " does not fit in 64 bits");
            }
            DraftLocation l = d.existingLocation(address);
            if (l == null) {
                continue; // no sample uses it
            }
            String rest = loc[1];
            String function;
            String file = "";
            long lineNo = 0;
            String[] fl = functionFileLine(rest);
            String[] fp;
            if (fl != null) {
                function = fl[0];
                file = fl[1];
                try {
                    long n = Long.parseLong(fl[2]);
                    lineNo = n > 0 ? n : 0;
                } catch (NumberFormatException e) {
                    lineNo = 0;
                }
            } else if ((fp = functionPath(rest)) != null) {
                // a shared library: its name is enough
                function = fp[0];
                file = GoPaths.base(fp[1]);
            } else if (rest.contains("generated stub/JIT")) {
                function = "STUB";
            } else {
                function = rest; // the agent's own states: "GC", "VM"...
            }
            String f = function;
            String fileName = file;
            l.frame = new DraftLocation.Frame(functions.computeIfAbsent(f, k -> new JavaFunction(f, fileName)),
                    lineNo);
        }
        d.numberLocations();
        // frames not in the table keep an address until pprof drops them all: they get its fake mapping
        DraftMapping fake = null;
        for (DraftLocation l : d.locations()) {
            if (l.frame == null && l.address != 0) {
                if (fake == null) {
                    fake = new DraftMapping();
                    fake.limit = -1L;
                    fake.id = 1;
                    d.mappings.add(fake);
                }
                l.mapping = fake;
            }
        }
        d.keepAddresses = false;
    }

    /** A function of the symbol table; the first line naming it gives its file. */
    record JavaFunction(String name, String file) {
    }

    /** pprof's {@code ^\s*0x([[:xdigit:]]+)\s+(.*)\s*$} on a trimmed line: {hex, rest} or null. */
    static String[] symbolLine(String line) {
        if (!line.startsWith("0x")) {
            return null;
        }
        int p = 2;
        while (p < line.length() && CharRuns.isHexDigit(line.charAt(p))) {
            p++;
        }
        if (p == 2) {
            return null;
        }
        int q = p;
        while (q < line.length() && isGoSpace(line.charAt(q))) {
            q++;
        }
        if (q == p) {
            return null;
        }
        return new String[] {line.substring(2, p), line.substring(q)};
    }

    private static boolean isGoSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    /**
     * The last "(" that white space precedes, at or before limit (inclusive); -1 if none. The
     * greedy {@code (.*)\s+\(} of pprof's patterns picks it.
     */
    private static int lastParen(String s, int limit) {
        for (int p = Math.min(limit, s.length() - 1); p >= 1; p--) {
            if (s.charAt(p) == '(' && isGoSpace(s.charAt(p - 1))) {
                return p;
            }
        }
        return -1;
    }

    /** pprof's {@code ^(.*)\s+\((.+):(-?\d+)\)$}: {function, file, line} or null. */
    static String[] functionFileLine(String s) {
        int n = s.length();
        if (n == 0 || s.charAt(n - 1) != ')') {
            return null;
        }
        int d = n - 1;
        while (d > 0 && CharRuns.isDigit(s.charAt(d - 1))) {
            d--;
        }
        if (d == n - 1) {
            return null;
        }
        int colon = d - 1;
        if (colon >= 0 && s.charAt(colon) == '-') {
            colon--;
        }
        if (colon < 0 || s.charAt(colon) != ':') {
            return null;
        }
        int p = lastParen(s, colon - 2); // the file between them is not empty
        if (p < 0) {
            return null;
        }
        return new String[] {s.substring(0, p - 1), s.substring(p + 1, colon), s.substring(colon + 1, n - 1)};
    }

    /** pprof's {@code ^(.*)\s+\((.*)\)$}: {function, path} or null. */
    static String[] functionPath(String s) {
        int n = s.length();
        if (n == 0 || s.charAt(n - 1) != ')') {
            return null;
        }
        int p = lastParen(s, n - 2);
        if (p < 0) {
            return null;
        }
        return new String[] {s.substring(0, p - 1), s.substring(p + 1, n - 1)};
    }

    /** Lines split at '\n' only, as pprof splits these files; whether each had its '\n'. */
    static final class TextLines {
        private final byte[] data;
        private int pos;
        private int lineStart;
        private int lineNumber;
        String text = "";

        TextLines(byte[] data) {
            this.data = data;
        }

        /** Skips to a byte offset (after binary data), counting no lines. */
        void skipTo(int offset) {
            pos = offset;
        }

        /**
         * The next line if a '\n' ends it: pprof reads attributes and samples only from such lines,
         * and leaves an unterminated last line to the symbol table.
         */
        boolean nextTerminated() {
            int nl = pos;
            while (nl < data.length && data[nl] != '\n') {
                nl++;
            }
            if (nl >= data.length) {
                return false;
            }
            lineStart = pos;
            text = RawUtf8.decode(data, pos, nl - pos);
            pos = nl + 1;
            lineNumber++;
            return true;
        }

        boolean next() {
            if (pos >= data.length) {
                text = "";
                return false;
            }
            lineStart = pos;
            int nl = pos;
            while (nl < data.length && data[nl] != '\n') {
                nl++;
            }
            text = RawUtf8.decode(data, pos, nl - pos);
            pos = nl < data.length ? nl + 1 : nl;
            lineNumber++;
            return true;
        }

        /** Puts the current line back, to be read again by the next section. */
        void back() {
            pos = lineStart;
            lineNumber--;
        }

        BadInputException bad(String what, String message) {
            return new BadInputException(what + " line " + lineNumber + ": " + message);
        }
    }
}
