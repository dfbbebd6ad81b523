package dev.godiag.analysis.profile;

import dev.godiag.util.BadInputException;
import dev.godiag.model.FunctionTable;
import dev.godiag.model.LocationTable;
import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes uninteresting frames as pprof does: the profile's own drop_frames/keep_frames
 * (e.g. allocator internals in legacy heap profiles) and the user's --prune-from.
 */
public final class FramePruner {
    private static final Pattern BRACKET = Pattern.compile("\\(anonymous namespace\\)|operator\\(\\)|\\(");

    private FramePruner() {
    }

    /** pprof's simplifyFunc: the name up to its first "(" that is not part of a reserved C++ name. */
    static String simplify(String f) {
        String name = f.startsWith(".") ? f.substring(1) : f;
        Matcher m = BRACKET.matcher(name);
        while (m.find()) {
            String g = m.group();
            if (g.equals("(")) {
                return name.substring(0, m.start());
            }
        }
        return name;
    }

    /** Applies the profile's drop_frames/keep_frames (pprof's RemoveUninteresting). */
    public static Profile removeUninteresting(Profile p) {
        if (p.dropFrames().isEmpty()) {
            return p;
        }
        Pattern drop = compile(p.dropFrames(), "drop_frames");
        Pattern keep = p.keepFrames().isEmpty() ? null : compile(p.keepFrames(), "keep_frames");
        return prune(p, drop, keep);
    }

    private static Pattern compile(String rx, String what) {
        try {
            return Pattern.compile("^(" + rx + ")$");
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new BadInputException("profile's " + what + " is not a valid regexp: " + e.getDescription());
        }
    }

    /**
     * Drops, from each sample, the frames from the root down to the last frame matching drop
     * (and not keep) that has user frames above... as pprof's Prune: everything beneath the
     * first matching frame seen from the root, once a non-matching frame has been seen.
     */
    static Profile prune(Profile p, Pattern drop, Pattern keep) {
        FunctionTable fns = p.functions();
        LocationTable locs = p.locations();
        Map<String, Boolean> cache = new HashMap<>();
        int n = locs.size();
        boolean[] pruneLoc = new boolean[n];
        boolean[] pruneBeneath = new boolean[n];
        int[] cutAt = new int[n]; // lines to keep start at this offset (0 for locations dropped whole)
        boolean any = false;
        for (int l = 0; l < n; l++) {
            int first = locs.lineStart[l];
            int count = locs.lineStart[l + 1] - first;
            int i;
            for (i = count - 1; i >= 0; i--) {
                int f = locs.lineFunction[first + i];
                if (f >= 0 && !fns.name[f].isEmpty() && pruneFromHere(fns.name[f], drop, keep, cache)) {
                    break;
                }
            }
            if (i >= 0) {
                any = true;
                pruneBeneath[l] = true;
                if (i == count - 1) {
                    pruneLoc[l] = true;
                } else {
                    cutAt[l] = i + 1;
                }
            }
        }
        if (!any) {
            return p;
        }
        LocationTable newLocs = dropInnerLines(locs, cutAt);
        SampleTable s = p.samples();
        SampleTableBuilder out = new SampleTableBuilder(s.valueCount, s.size(), s.locations.length);
        for (int k = 0; k < s.size(); k++) {
            int from = s.locStart[k];
            int to = s.locStart[k + 1];
            boolean foundUser = false;
            int keepFrom = from;
            for (int i = to - 1; i >= from; i--) {
                int id = s.locations[i];
                if (!pruneLoc[id] && !pruneBeneath[id]) {
                    foundUser = true;
                    continue;
                }
                if (!foundUser) {
                    continue;
                }
                keepFrom = pruneLoc[id] ? i + 1 : i;
                break;
            }
            out.addLocations(s, keepFrom, to);
            out.copyLabels(s, k, null);
            out.endSample(s, k);
        }
        return p.withLocations(newLocs, out.build());
    }

    private static boolean pruneFromHere(String name, Pattern drop, Pattern keep, Map<String, Boolean> cache) {
        Boolean cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        String simple = simplify(name);
        boolean r = drop.matcher(simple).find() && (keep == null || !keep.matcher(simple).find());
        cache.put(name, r);
        return r;
    }

    /** --prune-from: drops every frame beneath (called by) the first frame matching rx from the leaf. */
    public static Profile pruneFrom(Profile p, Pattern rx) {
        FunctionTable fns = p.functions();
        LocationTable locs = p.locations();
        int n = locs.size();
        int[] cutAt = new int[n];
        boolean[] beneath = new boolean[n];
        for (int l = 0; l < n; l++) {
            int first = locs.lineStart[l];
            int count = locs.lineStart[l + 1] - first;
            for (int i = 0; i < count; i++) {
                int f = locs.lineFunction[first + i];
                if (f >= 0 && !fns.name[f].isEmpty() && rx.matcher(simplify(fns.name[f])).find()) {
                    beneath[l] = true;
                    cutAt[l] = i;
                    break;
                }
            }
        }
        LocationTable newLocs = dropInnerLines(locs, cutAt);
        SampleTable s = p.samples();
        SampleTableBuilder out = new SampleTableBuilder(s.valueCount, s.size(), s.locations.length);
        for (int k = 0; k < s.size(); k++) {
            int from = s.locStart[k];
            int to = s.locStart[k + 1];
            int keepFrom = from;
            for (int i = from; i < to; i++) {
                if (beneath[s.locations[i]]) {
                    keepFrom = i;
                    break;
                }
            }
            out.addLocations(s, keepFrom, to);
            out.copyLabels(s, k, null);
            out.endSample(s, k);
        }
        return p.withLocations(newLocs, out.build());
    }

    /** Drops the first (innermost) cutAt[l] lines of each location l. */
    private static LocationTable dropInnerLines(LocationTable locs, int[] cutAt) {
        return LocationLines.rewrite(locs, (l, first, count, keepLine) -> {
            for (int k = 0; k < cutAt[l]; k++) {
                keepLine[k] = false;
            }
            return cutAt[l] > 0;
        });
    }
}
