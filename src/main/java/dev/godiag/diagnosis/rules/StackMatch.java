package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.profile.SampleIndex;
import dev.godiag.analysis.profile.Stacks;
import dev.godiag.model.Profile;
import dev.godiag.util.GoSymbols;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The samples of a profile whose stack contains a function a rule looks for, counted once per sample
 * (so nested matches, e.g. regexp.MustCompile over regexp.compile, are not counted twice), with who
 * in the service's own code is responsible: the nearest own frame above the outermost (root-most)
 * matching frame, or, when {@code fromLeaf}, the nearest own frame at or above the leaf-most match.
 */
final class StackMatch {

    /** What matched: the summed value, the profile total, by own caller and by matching function. */
    record Result(long matched, long total, Map<String, Long> ownCallers, Map<String, Long> entries,
                  Map<String, Long> leaves) {
        double share() {
            return total == 0 ? 0 : (double) matched / total;
        }

        String topOwnCaller() {
            return ownCallers.isEmpty() ? null : ownCallers.keySet().iterator().next();
        }
    }

    private StackMatch() {
    }

    /**
     * The service's own code: not the runtime or the standard library, not an assembly symbol
     * without a package (gcWriteBarrier), not cgo's generated wrappers (main._Cfunc_spin, _cgo_...),
     * so a finding names the Go function that made the call.
     */
    static boolean isOwn(String function) {
        if (function.indexOf('.') < 0 || function.contains("._Cfunc_") || function.contains("._cgo_")
                || function.contains("_cgoexp_") || function.startsWith("_cgo")) {
            return false;
        }
        return GoSymbols.kindOf(GoSymbols.packageOf(function)) == GoSymbols.Kind.OWN;
    }


    /**
     * @param s        p's stacks (DiagnosisInput.stacks: computed once per input)
     * @param match    the functions looked for
     * @param exclude  samples with any such function on the stack are left out (null: none)
     */
    static Result of(Profile p, Stacks s, String sampleType, Predicate<String> match, Predicate<String> exclude,
                     boolean fromLeaf) {
        int index = SampleIndex.resolve(p, sampleType);
        long matched = 0;
        Map<String, Long> own = new HashMap<>();
        Map<String, Long> entries = new HashMap<>();
        Map<String, Long> leaves = new HashMap<>();
        for (int i = 0; i < s.size(); i++) {
            int[] frames = s.frames(i);
            int at = -1;
            boolean excluded = false;
            for (int f = 0; f < frames.length; f++) {
                String name = s.node(frames[f]).name();
                if (exclude != null && exclude.test(name)) {
                    excluded = true;
                    break;
                }
                if (match.test(name) && (at < 0 || fromLeaf)) {
                    at = f;
                }
            }
            if (excluded || at < 0) {
                continue;
            }
            long v = s.value(i, index, false);
            if (v == 0) {
                continue;
            }
            matched += v;
            entries.merge(s.node(frames[at]).name(), v, Long::sum);
            leaves.merge(s.node(frames[frames.length - 1]).name(), v, Long::sum);
            for (int f = at; f >= 0; f--) {
                String name = s.node(frames[f]).name();
                if (isOwn(name)) {
                    own.merge(name, v, Long::sum);
                    break;
                }
            }
        }
        return new Result(matched, SampleIndex.total(p, index), sorted(own), sorted(entries), sorted(leaves));
    }

    static Map<String, Long> sorted(Map<String, Long> m) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The first n entries as "name=value" strings, in order. */
    static java.util.List<String> top(Map<String, Long> m, int n) {
        return m.entrySet().stream().limit(n).map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    static Predicate<String> prefixes(String... ps) {
        return n -> {
            for (String p : ps) {
                if (n.startsWith(p)) {
                    return true;
                }
            }
            return false;
        };
    }
}
