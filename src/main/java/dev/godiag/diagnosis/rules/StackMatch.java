package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.profile.NodeInfo;
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
 * matching frame, or, when {@code fromLeaf}, the nearest own frame at or above the leaf-most match;
 * and the line of that own frame that carries the most (the call to fix). Stacks at line
 * granularity ({@code DiagnosisInput.lineStacks}) give lines; at function granularity lines are 0.
 */
final class StackMatch {

    /**
     * Work that is not the program's own: the profiler writing its profiles, the execution tracer
     * writing its trace. Samples through these are left out of CPU shares, matched and total.
     */
    static final Predicate<String> TOOLING = prefixes("runtime/pprof.", "runtime/trace.", "runtime.traceAdvance",
            "runtime.traceReader", "runtime.traceEvent", "runtime.traceLocker", "runtime.traceAcquire",
            "runtime.traceRelease", "runtime.(*traceBuf)", "runtime.(*traceWriter)", "runtime.(*traceStackTable)",
            "runtime.readTrace", "runtime.ReadTrace", "runtime.traceFlush", "runtime.traceStack",
            "runtime.(*profBuf)", "runtime.runtime_readProfile", "runtime/pprof.readProfile");

    /** Package initialisation: runs once at start-up, so nothing under it is a per-call cost. */
    static final Predicate<String> INIT = prefixes("runtime.doInit");

    /** A place in the code: function, file and line (0 when not known). */
    record Line(String function, String file, long line) {
    }

    /**
     * What matched: the summed value, the total it is a share of, by own caller and by matching
     * function and leaf, the hottest line of each own caller, and what was left out as tooling.
     */
    record Result(long matched, long total, Map<String, Long> ownCallers, Map<String, Long> entries,
                  Map<String, Long> leaves, Map<String, Line> ownLines, long tooling) {
        double share() {
            return total == 0 ? 0 : (double) matched / total;
        }

        String topOwnCaller() {
            return ownCallers.isEmpty() ? null : ownCallers.keySet().iterator().next();
        }

        /** The own caller's line that carries most of what matched, or null. */
        Line lineOf(String ownCaller) {
            return ownLines.get(ownCaller);
        }
    }

    private StackMatch() {
    }

    /**
     * The service's own code: not the runtime or the standard library, not an assembly symbol
     * without a package (gcWriteBarrier), not cgo's generated wrappers (main._Cfunc_spin, _cgo_...),
     * not what a symbolizer leaves when it cannot name a frame ({@code <unknown>}, a bare address,
     * a mapping such as {@code [vdso]}), so a finding names the Go function that made the call.
     */
    static boolean isOwn(String function) {
        if (function.indexOf('.') < 0 || function.contains("._Cfunc_") || function.contains("._cgo_")
                || function.contains("_cgoexp_") || function.startsWith("_cgo") || !isSymbolized(function)) {
            return false;
        }
        return GoSymbols.kindOf(GoSymbols.packageOf(function)) == GoSymbols.Kind.OWN;
    }

    /** Whether a frame has a real function name: not {@code <unknown>}, an address, a [mapping] or a file. */
    static boolean isSymbolized(String function) {
        return !function.isEmpty() && !function.startsWith("<") && !function.startsWith("[")
                && !function.startsWith("0x") && !function.endsWith(".so") && !function.contains(".so.");
    }

    static Result of(Profile p, Stacks s, String sampleType, Predicate<String> match, Predicate<String> exclude,
                     boolean fromLeaf) {
        return of(p, s, sampleType, match, exclude, fromLeaf, false);
    }

    /**
     * @param s        p's stacks (DiagnosisInput.stacks or lineStacks: computed once per input)
     * @param match    the functions looked for
     * @param exclude  samples with any such function on the stack are left out (null: none)
     * @param skipTooling whether samples through {@link #TOOLING} leave the total too (CPU shares)
     */
    static Result of(Profile p, Stacks s, String sampleType, Predicate<String> match, Predicate<String> exclude,
                     boolean fromLeaf, boolean skipTooling) {
        int index = SampleIndex.resolve(p, sampleType);
        long matched = 0;
        long tooling = 0;
        Map<String, Long> own = new HashMap<>();
        Map<String, Long> entries = new HashMap<>();
        Map<String, Long> leaves = new HashMap<>();
        Map<Line, Long> lines = new HashMap<>();
        for (int i = 0; i < s.size(); i++) {
            int[] frames = s.frames(i);
            long v = s.value(i, index, false);
            if (v == 0) {
                continue;
            }
            if (skipTooling && any(s, frames, TOOLING)) {
                tooling += v;
                continue;
            }
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
            matched += v;
            entries.merge(s.node(frames[at]).name(), v, Long::sum);
            leaves.merge(s.node(frames[frames.length - 1]).name(), v, Long::sum);
            for (int f = at; f >= 0; f--) {
                NodeInfo n = s.node(frames[f]);
                if (isOwn(n.name())) {
                    own.merge(n.name(), v, Long::sum);
                    lines.merge(new Line(n.name(), n.file(), n.lineno()), v, Long::sum);
                    break;
                }
            }
        }
        long total = SampleIndex.total(p, index) - tooling;
        return new Result(matched, total, sorted(own), sorted(entries), sorted(leaves), hottest(lines), tooling);
    }

    /** Whether any frame of the stack is one of these functions. */
    static boolean any(Stacks s, int[] frames, Predicate<String> functions) {
        for (int f : frames) {
            if (functions.test(s.node(f).name())) {
                return true;
            }
        }
        return false;
    }

    /** Per function, its line with the largest value. */
    private static Map<String, Line> hottest(Map<Line, Long> lines) {
        Map<String, Line> best = new HashMap<>();
        Map<String, Long> bestValue = new HashMap<>();
        for (Map.Entry<Line, Long> e : lines.entrySet()) {
            String fn = e.getKey().function();
            Long b = bestValue.get(fn);
            if (b == null || e.getValue() > b || e.getValue().equals(b) && e.getKey().line() < best.get(fn).line()) {
                best.put(fn, e.getKey());
                bestValue.put(fn, e.getValue());
            }
        }
        return best;
    }

    /**
     * The line of a function with the largest value as the leaf (flat, as {@code top -lines} ranks
     * it), or with {@code flat} false anywhere on the stack (cum); null when the function is absent.
     */
    static Line hottestLine(Profile p, Stacks s, String sampleType, String function, boolean flat) {
        int index = SampleIndex.resolve(p, sampleType);
        Map<Line, Long> lines = new HashMap<>();
        for (int i = 0; i < s.size(); i++) {
            int[] frames = s.frames(i);
            long v = s.value(i, index, false);
            if (v == 0) {
                continue;
            }
            for (int f = frames.length - 1; f >= (flat ? frames.length - 1 : 0); f--) {
                NodeInfo n = s.node(frames[f]);
                if (n.name().equals(function)) {
                    lines.merge(new Line(n.name(), n.file(), n.lineno()), v, Long::sum);
                    break;
                }
            }
        }
        return hottest(lines).get(function);
    }

    /**
     * How many sampled allocations stand behind the allocations of the stacks through {@code match}
     * (with an own caller), from the heap profile's unsampled counts: Go scales a stack's n sampled
     * objects of average size s by 1/(1-e^(-s/rate)), so n = objects x (1-e^(-s/rate)). Stacks of a
     * handful of samples say little about where memory goes.
     */
    static double heapSamples(Profile p, Stacks s, Predicate<String> match, Predicate<String> exclude) {
        int objects;
        int bytes;
        try {
            objects = SampleIndex.resolve(p, "alloc_objects");
            bytes = SampleIndex.resolve(p, "alloc_space");
        } catch (RuntimeException e) {
            return Double.NaN;
        }
        long rate = p.period();
        if (rate <= 0) {
            return Double.NaN;
        }
        double n = 0;
        for (int i = 0; i < s.size(); i++) {
            int[] frames = s.frames(i);
            if (exclude != null && any(s, frames, exclude) || !any(s, frames, match)) {
                continue;
            }
            long count = s.value(i, objects, false);
            long size = s.value(i, bytes, false);
            if (count > 0) {
                n += count * -Math.expm1(-((double) size / count) / rate);
            }
        }
        return n;
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

    /**
     * The names the inputs of a kind were read from, space-separated and quoted for a shell where
     * needed: what a card's verify command runs on ({cpuProfile}, {allocsProfile}...); the
     * conventional file name when the diagnosis had none of that kind (the command to take next).
     */
    static String inputPaths(dev.godiag.diagnosis.DiagnosisInput input, dev.godiag.diagnosis.DiagnosisInput.Kind kind,
                             String conventional) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (var p : input.profiles(kind)) {
            String n = p.name();
            out.add(n.matches("[A-Za-z0-9_./:@%+=,-]+") ? n : "'" + n.replace("'", "'\\''") + "'");
        }
        return out.isEmpty() ? conventional : String.join(" ", out);
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
