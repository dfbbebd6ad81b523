package dev.godiag.analysis.profile;

import dev.godiag.util.Units;

import dev.godiag.util.BadInputException;
import dev.godiag.model.FunctionTable;
import dev.godiag.model.LocationTable;
import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sample and frame filters with pprof's semantics: focus/ignore/hide/show select samples and
 * frames by function name, file or binary; show_from cuts stacks below a frame; tagfocus and
 * tagignore select samples by label. Each returns a new profile and reports whether its
 * expression matched anything (pprof warns when it did not).
 */
public final class SampleFilter {
    private SampleFilter() {
    }

    public static Pattern compile(String what, String rx) {
        if (rx == null || rx.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(rx);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new BadInputException("parsing " + what + " regexp: " + e.getDescription() + " in '" + rx + "'");
        }
    }

    private static boolean matches(Pattern p, String s) {
        return p.matcher(s).find();
    }

    private static boolean lineMatches(FunctionTable fns, int f, Pattern re) {
        return f >= 0 && (matches(re, fns.name[f]) || matches(re, fns.filename[f]));
    }

    private static boolean mappingMatches(Profile p, int loc, Pattern re) {
        int m = p.locations().mapping[loc];
        return m >= 0 && matches(re, p.mappings().get(m).file());
    }

    private static boolean locationMatches(Profile p, int loc, Pattern re) {
        LocationTable locs = p.locations();
        for (int i = locs.lineStart[loc]; i < locs.lineStart[loc + 1]; i++) {
            if (lineMatches(p.functions(), locs.lineFunction[i], re)) {
                return true;
            }
        }
        return mappingMatches(p, loc, re);
    }

    /** What each name filter matched. */
    public record NameMatches(boolean focus, boolean ignore, boolean hide, boolean show) {
    }

    public record Filtered(Profile profile, NameMatches matches) {
    }

    /** pprof's FilterSamplesByName. */
    public static Filtered byName(Profile p, Pattern focus, Pattern ignore, Pattern hide, Pattern show) {
        if (focus == null && ignore == null && hide == null && show == null) {
            return new Filtered(p, new NameMatches(true, false, false, false));
        }
        LocationTable locs = p.locations();
        FunctionTable fns = p.functions();
        int n = locs.size();
        // 0: neither, 1: focused, 2: ignored
        byte[] focusOrIgnore = new byte[n];
        boolean[] hidden = new boolean[n];
        boolean anyHidden = false;
        boolean fm = false;
        boolean im = false;
        boolean hm = false;
        boolean hnm = false;
        boolean[] hideLine = new boolean[locs.lineFunction.length];
        boolean[] showDrop = new boolean[locs.lineFunction.length];
        for (int l = 0; l < n; l++) {
            if (ignore != null && locationMatches(p, l, ignore)) {
                im = true;
                focusOrIgnore[l] = 2;
            } else if (focus == null || locationMatches(p, l, focus)) {
                fm = true;
                focusOrIgnore[l] = 1;
            }
            int first = locs.lineStart[l];
            int last = locs.lineStart[l + 1];
            int remaining = last - first;
            if (hide != null && locationMatches(p, l, hide)) {
                hm = true;
                if (mappingMatches(p, l, hide)) {
                    for (int i = first; i < last; i++) {
                        hideLine[i] = true;
                    }
                    remaining = 0;
                } else {
                    for (int i = first; i < last; i++) {
                        if (lineMatches(fns, locs.lineFunction[i], hide)) {
                            hideLine[i] = true;
                            remaining--;
                        }
                    }
                }
                if (remaining == 0) {
                    hidden[l] = true;
                    anyHidden = true;
                }
            }
            if (show != null) {
                int kept = 0;
                boolean whole = mappingMatches(p, l, show);
                for (int i = first; i < last; i++) {
                    if (hideLine[i]) {
                        continue;
                    }
                    int f = locs.lineFunction[i];
                    if (whole || f < 0 || lineMatches(fns, f, show)) {
                        kept++;
                    } else {
                        showDrop[i] = true;
                    }
                }
                if (kept == 0) {
                    hidden[l] = true;
                    anyHidden = true;
                } else {
                    hnm = true;
                }
            }
        }
        LocationTable newLocs = (hide == null && show == null) ? locs
                : LocationLines.rewrite(locs, (l, first, count, keep) -> {
                    boolean changed = false;
                    for (int i = 0; i < count; i++) {
                        if (hideLine[first + i] || showDrop[first + i]) {
                            keep[i] = false;
                            changed = true;
                        }
                    }
                    return changed;
                });
        SampleTable s = p.samples();
        SampleTableBuilder out = new SampleTableBuilder(s.valueCount, s.size(), s.locations.length);
        for (int k = 0; k < s.size(); k++) {
            int from = s.locStart[k];
            int to = s.locStart[k + 1];
            if (!focusedAndNotIgnored(s.locations, from, to, focusOrIgnore)) {
                continue;
            }
            if (anyHidden) {
                int kept = 0;
                for (int i = from; i < to; i++) {
                    if (!hidden[s.locations[i]]) {
                        out.addLocation(s.locations[i]);
                        kept++;
                    }
                }
                if (kept == 0) {
                    continue;
                }
            } else {
                out.addLocations(s, from, to);
            }
            out.copyLabels(s, k, null);
            out.endSample(s, k);
        }
        return new Filtered(p.withLocations(newLocs, out.build()), new NameMatches(fm, im, hm, hnm));
    }

    private static boolean focusedAndNotIgnored(int[] locations, int from, int to, byte[] focusOrIgnore) {
        boolean f = false;
        for (int i = from; i < to; i++) {
            byte m = focusOrIgnore[locations[i]];
            if (m == 2) {
                return false;
            }
            if (m == 1) {
                f = true;
            }
        }
        return f;
    }

    public record ShowFrom(Profile profile, boolean matched) {
    }

    /** pprof's ShowFrom: keeps each stack from the root down to its last (leaf-most) matching frame. */
    public static ShowFrom showFrom(Profile p, Pattern re) {
        if (re == null) {
            return new ShowFrom(p, false);
        }
        LocationTable locs = p.locations();
        FunctionTable fns = p.functions();
        int n = locs.size();
        boolean[] showLoc = new boolean[n];
        int[] keepThrough = new int[n]; // last matching line index (lines kept: 0..keepThrough)
        boolean matched = false;
        for (int l = 0; l < n; l++) {
            keepThrough[l] = -1;
            if (mappingMatches(p, l, re)) {
                showLoc[l] = true;
                matched = true;
                continue;
            }
            int first = locs.lineStart[l];
            for (int i = locs.lineStart[l + 1] - first - 1; i >= 0; i--) {
                if (lineMatches(fns, locs.lineFunction[first + i], re)) {
                    keepThrough[l] = i;
                    showLoc[l] = true;
                    matched = true;
                    break;
                }
            }
        }
        LocationTable newLocs = LocationLines.rewrite(locs, (l, first, count, keep) -> {
            // lines [0, i] are kept: line 0 is the leaf-most, so the frames "below" the match go
            int i = keepThrough[l];
            if (i < 0 || i == count - 1) {
                return false;
            }
            for (int k = i + 1; k < count; k++) {
                keep[k] = false;
            }
            return true;
        });
        SampleTable s = p.samples();
        SampleTableBuilder out = new SampleTableBuilder(s.valueCount, s.size(), s.locations.length);
        for (int k = 0; k < s.size(); k++) {
            int from = s.locStart[k];
            int to = s.locStart[k + 1];
            for (int i = to - 1; i >= from; i--) {
                if (showLoc[s.locations[i]]) {
                    out.addLocations(s, from, i + 1);
                    out.copyLabels(s, k, null);
                    out.endSample(s, k);
                    break;
                }
            }
        }
        return new ShowFrom(p.withLocations(newLocs, out.build()), matched);
    }

    /** A predicate over samples by their labels. */
    public interface TagMatch {
        boolean test(SampleTable s, int sample);
    }

    public record TagFiltered(Profile profile, boolean focusMatched, boolean ignoreMatched) {
    }

    /** pprof's FilterSamplesByTag. */
    public static TagFiltered byTag(Profile p, TagMatch focus, TagMatch ignore) {
        SampleTable s = p.samples();
        SampleTableBuilder out = new SampleTableBuilder(s.valueCount, s.size(), s.locations.length);
        boolean fm = false;
        boolean im = false;
        for (int k = 0; k < s.size(); k++) {
            boolean focused = focus == null || focus.test(s, k);
            boolean ignored = ignore != null && ignore.test(s, k);
            fm |= focused;
            im |= ignored;
            if (focused && !ignored) {
                out.copy(s, k);
            }
        }
        return new TagFiltered(p.withSamples(out.build()), fm, im);
    }

    private static final Pattern RANGE = Pattern.compile("([+-]?\\d+)([a-zA-Z]+)?");

    /**
     * Compiles a tagfocus/tagignore expression: "[key=]regexp[,regexp...]" over string labels, or
     * "[key=]value", "[key=]lo:", ":hi", "lo:hi" numeric ranges with units (e.g. 32kb:1mb).
     *
     * @param numLabelUnits unit of each numeric label key (pprof's NumLabelUnits)
     * @param notes receives pprof's note that a value was read as a range
     */
    public static TagMatch compileTagFilter(String name, String value, Map<String, String> numLabelUnits,
                                            List<String> notes) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String wantKey = null;
        int eq = value.indexOf('=');
        if (eq >= 0) {
            wantKey = value.substring(0, eq);
            value = value.substring(eq + 1);
        }
        NumFilter num = parseRange(value);
        if (num != null) {
            notes.add(name + ":Interpreted '" + value + "' as range, not regexp");
            String key = wantKey;
            return (s, k) -> {
                for (int i = s.labelStart[k]; i < s.labelStart[k + 1]; i++) {
                    if (s.labelStr[i] != null || (key != null && !s.labelKey[i].equals(key))) {
                        continue;
                    }
                    String unit = numLabelUnits.getOrDefault(s.labelKey[i], s.labelKey[i]);
                    if (num.test(s.labelNum[i], unit)) {
                        return true;
                    }
                }
                return false;
            };
        }
        List<Pattern> rfx = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            rfx.add(part.isEmpty() ? Pattern.compile("") : compile(name, part));
        }
        if (wantKey == null) {
            return (s, k) -> {
                outer:
                for (Pattern rx : rfx) {
                    for (int i = s.labelStart[k]; i < s.labelStart[k + 1]; i++) {
                        if (s.labelStr[i] != null && matches(rx, s.labelKey[i] + ":" + s.labelStr[i])) {
                            continue outer;
                        }
                    }
                    return false;
                }
                return true;
            };
        }
        String key = wantKey;
        return (s, k) -> {
            for (int i = s.labelStart[k]; i < s.labelStart[k + 1]; i++) {
                if (s.labelStr[i] != null && s.labelKey[i].equals(key)) {
                    for (Pattern rx : rfx) {
                        if (matches(rx, s.labelStr[i])) {
                            return true;
                        }
                    }
                }
            }
            return false;
        };
    }

    private interface NumFilter {
        boolean test(long v, String unit);
    }

    /** pprof's parseTagFilterRange; null when the expression is not a range. */
    static NumFilter parseRange(String filter) {
        Matcher m = RANGE.matcher(filter);
        List<String[]> ranges = new ArrayList<>();
        while (ranges.size() < 2 && m.find()) {
            ranges.add(new String[] {m.group(0), m.group(1), m.group(2) == null ? "" : m.group(2)});
        }
        if (ranges.isEmpty()) {
            return null;
        }
        long v;
        try {
            v = Long.parseLong(ranges.get(0)[1]);
        } catch (NumberFormatException e) {
            throw new BadInputException("tag filter: number out of range: " + ranges.get(0)[1]);
        }
        Units.Scaled first = Units.scale(v, ranges.get(0)[2], ranges.get(0)[2]);
        String unit = first.unit();
        double scaled = first.value();
        if (ranges.size() == 1) {
            String match = ranges.get(0)[0];
            if (filter.equals(match)) {
                return (x, u) -> {
                    Units.Scaled s = Units.scale(x, u, unit);
                    return s.unit().equals(unit) && s.value() == scaled;
                };
            } else if (filter.equals(match + ":")) {
                return (x, u) -> {
                    Units.Scaled s = Units.scale(x, u, unit);
                    return s.unit().equals(unit) && s.value() >= scaled;
                };
            } else if (filter.equals(":" + match)) {
                return (x, u) -> {
                    Units.Scaled s = Units.scale(x, u, unit);
                    return s.unit().equals(unit) && s.value() <= scaled;
                };
            }
            return null;
        }
        if (!filter.equals(ranges.get(0)[0] + ":" + ranges.get(1)[0])) {
            return null;
        }
        long v2;
        try {
            v2 = Long.parseLong(ranges.get(1)[1]);
        } catch (NumberFormatException e) {
            throw new BadInputException("tag filter: number out of range: " + ranges.get(1)[1]);
        }
        Units.Scaled second = Units.scale(v2, ranges.get(1)[2], unit);
        if (!unit.equals(second.unit())) {
            return null;
        }
        double hi = second.value();
        return (x, u) -> {
            Units.Scaled s = Units.scale(x, u, unit);
            return s.unit().equals(unit) && s.value() >= scaled && s.value() <= hi;
        };
    }

    /** pprof's NumLabelUnits: the unit of each numeric label key, inferred when the profile gives none. */
    public static Map<String, String> numLabelUnits(Profile p) {
        Map<String, String> units = new java.util.TreeMap<>();
        java.util.Set<String> keys = new java.util.TreeSet<>();
        SampleTable s = p.samples();
        for (int i = 0; i < s.labelKey.length; i++) {
            if (s.labelStr[i] != null) {
                continue;
            }
            keys.add(s.labelKey[i]);
            String u = s.labelUnit[i];
            if (u != null && !u.isEmpty()) {
                units.putIfAbsent(s.labelKey[i], u);
            }
        }
        for (String k : keys) {
            if (!units.containsKey(k)) {
                units.put(k, k.equals("alignment") || k.equals("request") ? "bytes" : k);
            }
        }
        return units;
    }
}
