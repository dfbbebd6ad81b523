package dev.godiag.format.pprof;

import dev.godiag.model.FunctionTable;
import dev.godiag.model.LocationTable;
import dev.godiag.model.Mapping;
import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.model.ValueType;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a profile as pprof's {@code Profile.String()} does, which is what {@code pprof -raw}
 * prints: header, samples with location ids and labels, locations, mappings. Meant for comparing
 * godiag's reading of a file with pprof's, line by line.
 *
 * <p>The model cannot tell a missing period type from an empty one; the PeriodType line is left
 * out when both its type and unit are empty, as pprof leaves it out when there is none.
 */
public final class RawProfileDumper {
    private RawProfileDumper() {
    }

    /** Sixteen spaces: pprof's indent for a sample's label line. */
    private static final String LABEL_INDENT = " ".repeat(16);
    /** Thirteen spaces: pprof's indent for the second and later lines of a location. */
    private static final String LINE_INDENT = " ".repeat(13);

    public static String dump(Profile p) {
        List<String> out = new ArrayList<>();
        for (String c : p.comments()) {
            out.add("Comment: " + c);
        }
        if (!p.docUrl().isEmpty()) {
            out.add("Doc: " + p.docUrl());
        }
        ValueType pt = p.periodType();
        if (!pt.type().isEmpty() || !pt.unit().isEmpty()) {
            out.add("PeriodType: " + pt.type() + " " + pt.unit());
        }
        out.add("Period: " + p.period());
        if (p.timeNanos() != 0) {
            out.add("Time: " + goTime(p.timeNanos()));
        }
        if (p.durationNanos() != 0) {
            // pprof prints "%.4v": the duration's string cut to four characters
            String d = goDuration(p.durationNanos());
            out.add("Duration: " + d.substring(0, d.offsetByCodePoints(0, Math.min(4, d.codePointCount(0, d.length())))));
        }
        out.add("Samples:");
        out.add(sampleTypeLine(p));
        SampleTable s = p.samples();
        for (int i = 0; i < s.size(); i++) {
            addSample(out, p, i);
        }
        out.add("Locations");
        LocationTable locs = p.locations();
        for (int i = 0; i < locs.size(); i++) {
            addLocation(out, p, i);
        }
        out.add("Mappings");
        for (Mapping m : p.mappings()) {
            out.add(mapping(m));
        }
        return String.join("\n", out) + "\n";
    }

    private static String sampleTypeLine(Profile p) {
        StringBuilder b = new StringBuilder();
        for (ValueType t : p.sampleTypes()) {
            b.append(t.type()).append('/').append(t.unit());
            if (t.type().equals(p.defaultSampleType())) {
                b.append("[dflt]");
            }
            b.append(' ');
        }
        return b.toString().strip();
    }

    private static void addSample(List<String> out, Profile p, int i) {
        SampleTable s = p.samples();
        StringBuilder b = new StringBuilder();
        for (int v = 0; v < s.valueCount; v++) {
            b.append(' ').append(String.format("%10d", s.value(i, v)));
        }
        b.append(": ");
        for (int k = s.locStart[i]; k < s.locStart[i + 1]; k++) {
            b.append(p.locations().id[s.locations[k]]).append(' ');
        }
        out.add(b.toString());
        String strLabels = stringLabels(s, i);
        if (!strLabels.isEmpty()) {
            out.add(LABEL_INDENT + strLabels);
        }
        String numLabels = numericLabels(s, i);
        if (!numLabels.isEmpty()) {
            out.add(LABEL_INDENT + numLabels);
        }
    }

    /** "key:[v1 v2]" per key, sorted as Go sorts strings (by bytes, i.e. by code point). */
    private static String stringLabels(SampleTable s, int i) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (int k = s.labelStart[i]; k < s.labelStart[i + 1]; k++) {
            if (s.labelStr[k] != null) {
                byKey.computeIfAbsent(s.labelKey[k], x -> new ArrayList<>()).add(s.labelStr[k]);
            }
        }
        List<String> parts = new ArrayList<>();
        byKey.forEach((key, values) -> parts.add(key + ":[" + String.join(" ", values) + "]"));
        return sortedJoin(parts);
    }

    /**
     * "key:[1 2]", or "key:[1 unit 2 unit]" when any value of the key has a unit (pprof then pads
     * the missing units with "").
     */
    private static String numericLabels(SampleTable s, int i) {
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (int k = s.labelStart[i]; k < s.labelStart[i + 1]; k++) {
            if (s.labelStr[k] == null) {
                byKey.computeIfAbsent(s.labelKey[k], x -> new ArrayList<>()).add(k);
            }
        }
        List<String> parts = new ArrayList<>();
        byKey.forEach((key, idx) -> {
            boolean withUnits = idx.stream().anyMatch(k -> s.labelUnit[k] != null && !s.labelUnit[k].isEmpty());
            List<String> values = new ArrayList<>();
            for (int k : idx) {
                String unit = s.labelUnit[k] == null ? "" : s.labelUnit[k];
                values.add(withUnits ? s.labelNum[k] + " " + unit : Long.toString(s.labelNum[k]));
            }
            parts.add(key + ":[" + String.join(" ", values) + "]");
        });
        return sortedJoin(parts);
    }

    private static String sortedJoin(List<String> parts) {
        parts.sort(RawProfileDumper::compareCodePoints);
        return String.join(" ", parts);
    }

    private static int compareCodePoints(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    private static void addLocation(List<String> out, Profile p, int i) {
        LocationTable l = p.locations();
        StringBuilder head = new StringBuilder(String.format("%6d: %s ", l.id[i], hex(l.address[i])));
        if (l.mapping[i] >= 0) {
            head.append("M=").append(p.mappings().get(l.mapping[i]).id()).append(' ');
        }
        if (l.folded[i]) {
            head.append("[F] ");
        }
        if (l.lineCount(i) == 0) {
            out.add(head.toString());
            return;
        }
        String prefix = head.toString();
        for (int k = l.lineStart[i]; k < l.lineStart[i + 1]; k++) {
            out.add(prefix + line(p.functions(), l, k));
            prefix = LINE_INDENT; // details only on the first line
        }
    }

    private static String line(FunctionTable f, LocationTable l, int k) {
        int fn = l.lineFunction[k];
        if (fn < 0) {
            return "??";
        }
        String s = f.name[fn] + " " + f.filename[fn] + ":" + l.lineNumber[k] + ":" + l.lineColumn[k]
                + " s=" + f.startLine[fn];
        return f.name[fn].equals(f.systemName[fn]) ? s : s + "(" + f.systemName[fn] + ")";
    }

    private static String mapping(Mapping m) {
        String bits = (m.hasFunctions() ? "[FN]" : "") + (m.hasFilenames() ? "[FL]" : "")
                + (m.hasLineNumbers() ? "[LN]" : "") + (m.hasInlineFrames() ? "[IN]" : "");
        return m.id() + ": " + hex(m.start()) + "/" + hex(m.limit()) + "/" + hex(m.offset()) + " " + m.file() + " "
                + m.buildId() + " " + bits;
    }

    /** Go's %#x of a uint64. */
    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /**
     * Go's time.Time.String() for time.Unix(0, nanos) in the local zone:
     * "2006-01-02 15:04:05.999999999 -0700 MST". Zone abbreviations come from Java's tables,
     * which agree with Go's tzdata for UTC and the common zones.
     */
    static String goTime(long nanos) {
        Instant t = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        ZonedDateTime z = t.atZone(ZoneId.systemDefault());
        StringBuilder b = new StringBuilder(z.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)));
        int frac = z.getNano();
        if (frac != 0) {
            String f = String.format("%09d", frac);
            b.append('.').append(f.replaceAll("0+$", ""));
        }
        b.append(' ').append(z.format(DateTimeFormatter.ofPattern("xx", Locale.ROOT)));
        b.append(' ').append(zoneAbbreviation(z));
        return b.toString();
    }

    private static String zoneAbbreviation(ZonedDateTime z) {
        if (z.getZone().normalized().equals(java.time.ZoneOffset.UTC)) {
            return "UTC";
        }
        String name = z.format(DateTimeFormatter.ofPattern("zzz", Locale.ROOT));
        // Go names zones without an abbreviation by their offset, as "+03" or "-0930".
        if (name.startsWith("GMT") && name.length() > 3) {
            String off = z.format(DateTimeFormatter.ofPattern("xx", Locale.ROOT));
            return off.endsWith("00") ? off.substring(0, 3) : off;
        }
        return name;
    }

    /** Go's time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
    static String goDuration(long d) {
        boolean negative = d < 0;
        long u = negative ? -d : d; // unsigned magnitude (Long.MIN_VALUE stays as 2^63)
        String s;
        if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
            if (u == 0) {
                return "0s";
            }
            if (u < 1_000L) {
                s = u + "ns";
            } else if (u < 1_000_000L) {
                s = fraction(u, 3) + "µs";
            } else {
                s = fraction(u, 6) + "ms";
            }
        } else {
            String secs = fraction(Long.remainderUnsigned(u, 60_000_000_000L), 9) + "s";
            long minutes = Long.divideUnsigned(u, 60_000_000_000L);
            if (minutes == 0) {
                s = secs;
            } else if (minutes < 60) {
                s = minutes + "m" + secs;
            } else {
                s = (minutes / 60) + "h" + (minutes % 60) + "m" + secs;
            }
        }
        return negative ? "-" + s : s;
    }

    /** v / 10^prec with the fraction's trailing zeros (and a bare point) removed. */
    private static String fraction(long v, int prec) {
        long scale = (long) Math.pow(10, prec);
        String whole = Long.toUnsignedString(Long.divideUnsigned(v, scale));
        long frac = Long.remainderUnsigned(v, scale);
        if (frac == 0) {
            return whole;
        }
        String f = String.format("%0" + prec + "d", frac).replaceAll("0+$", "");
        return whole + "." + f;
    }
}
