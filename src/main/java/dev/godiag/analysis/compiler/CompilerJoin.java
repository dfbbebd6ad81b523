package dev.godiag.analysis.compiler;

import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.model.compiler.BoundsCheck;
import dev.godiag.model.compiler.CompilerDiagnostics;
import dev.godiag.model.compiler.Escape;
import dev.godiag.model.compiler.InlineDecision;
import dev.godiag.model.compiler.InlinedCall;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compiler's diagnostics joined to profiles by file and line: why an allocation site's values
 * are on the heap, whether a hot function was inlined and why not, which bounds checks stand in
 * hot lines. Only exact lines join; a site in a file the logs do not cover has no facts.
 */
public final class CompilerJoin {
    private CompilerJoin() {
    }

    /** What one profile says an escape's line weighs. */
    public record Weight(String profile, String measure, long value, double share) {
    }

    /** An escape with its line's weight in each allocation profile (none without profiles). */
    public record RankedEscape(Escape escape, List<Weight> weights) {
        public double topShare() {
            return weights.stream().mapToDouble(Weight::share).max().orElse(0);
        }
    }

    /** An allocation site of a profile and the escapes the compiler reports at its line. */
    public record AllocationSite(LineWeights.Site site, List<Escape> escapes) {
    }

    /**
     * A function hot in a CPU profile with the inliner's decision on it ({@code null}: none in the
     * logs) and the callees that take the most CPU under it.
     */
    public record HotFunction(String function, String file, long value, double share, InlineDecision decision,
                              List<HotCallee> callees) {
    }

    /**
     * A callee of a hot function with the CPU spent in it (and below) when called from there, and
     * whether those calls were inlined, as the profile shows it: an inlined call is a line of the
     * caller's own location, a real call a location of its own. {@code decision}: the inliner's
     * decision at the callee's declaration, {@code null} when the logs have none (the runtime's
     * assembly, a package not compiled with the flags).
     */
    public record HotCallee(String function, long value, double share, boolean inlined, InlineDecision decision) {
        /** "main.rotl 2.6% inlined", "main.hash 20.3% called: function too complex: cost 95 exceeds budget 80". */
        public String summary() {
            String how = inlined ? "inlined" : decision != null && !decision.inlinable() ? "called: " + decision.reason()
                    : decision != null ? "called (inlinable, not inlined at this call)" : "called";
            return String.format(java.util.Locale.ROOT, "%s %.1f%% %s", function, 100 * share, how);
        }
    }

    /** A callee below this share of the profile's total is not listed. */
    public static final double MIN_CALLEE_SHARE = 0.01;

    /** A bounds check at a line with CPU weight of its own. */
    public record HotBoundsCheck(BoundsCheck check, long value, double share) {
    }

    /** Every escape, heaviest first by its line's weight in the profiles, then by place. */
    public static List<RankedEscape> rank(CompilerDiagnostics d, List<LineWeights> allocations) {
        List<RankedEscape> out = new ArrayList<>();
        for (Escape e : d.escapes()) {
            List<Weight> ws = new ArrayList<>();
            for (LineWeights w : allocations) {
                long v = w.at(e.pos().file(), e.pos().line());
                if (v > 0) {
                    ws.add(new Weight(w.name(), w.measure(), v, w.share(v)));
                }
            }
            out.add(new RankedEscape(e, ws));
        }
        out.sort(Comparator.comparingDouble(RankedEscape::topShare).reversed()
                .thenComparing(r -> r.escape().pos().file()).thenComparingInt(r -> r.escape().pos().line())
                .thenComparingInt(r -> r.escape().pos().column()));
        return out;
    }

    /**
     * The heaviest allocation sites in files the compiler reported on, at most {@code limit}, each
     * with the escapes at its line (empty when the compiler reports none there: an allocation in a
     * callee the profile shows at this line, or a log of another build).
     */
    public static List<AllocationSite> allocationSites(CompilerDiagnostics d, LineWeights allocations, int limit) {
        Set<String> files = files(d);
        List<AllocationSite> out = new ArrayList<>();
        for (LineWeights.Site s : allocations.sites()) {
            if (out.size() >= limit) {
                break;
            }
            if (files.stream().noneMatch(f -> CompilerFiles.same(f, s.file()))) {
                continue;
            }
            List<Escape> at = d.escapes().stream().filter(e -> e.pos().line() == s.line()
                    && CompilerFiles.same(e.pos().file(), s.file())).toList();
            out.add(new AllocationSite(s, at));
        }
        return out;
    }

    /**
     * The functions with the most flat CPU in files the compiler reported on, at most
     * {@code limit}, each with the inliner's decision at its declaration (matched by the profile's
     * start line, else by name in the file).
     */
    public static List<HotFunction> hotFunctions(CompilerDiagnostics d, Profile cpu, int sampleIndex, int limit) {
        SampleTable samples = cpu.samples();
        var locations = cpu.locations();
        var functions = cpu.functions();
        Map<Integer, long[]> flat = new HashMap<>();
        long total = 0;
        for (int s = 0; s < samples.size(); s++) {
            long v = Math.abs(samples.value(s, sampleIndex));
            total += v;
            if (samples.locStart[s] == samples.locStart[s + 1]) {
                continue;
            }
            int loc = samples.locations[samples.locStart[s]];
            int l = locations.lineStart[loc];
            if (l < locations.lineStart[loc + 1] && locations.lineFunction[l] >= 0) {
                flat.computeIfAbsent(locations.lineFunction[l], k -> new long[1])[0] += v;
            }
        }
        Set<String> files = files(d);
        List<HotFunction> out = new ArrayList<>();
        long sum = total;
        flat.entrySet().stream().sorted(Comparator.comparingLong((Map.Entry<Integer, long[]> e) -> e.getValue()[0])
                        .reversed().thenComparing(e -> String.valueOf(functions.name[e.getKey()])))
                .forEach(e -> {
                    int fn = e.getKey();
                    String file = functions.filename[fn];
                    if (out.size() >= limit || file == null || files.stream().noneMatch(f -> CompilerFiles.same(f, file))) {
                        return;
                    }
                    String name = functions.name[fn] == null ? "" : functions.name[fn];
                    out.add(new HotFunction(name, file, e.getValue()[0], sum == 0 ? 0 : (double) e.getValue()[0] / sum,
                            decisionFor(d, name, file, functions.startLine[fn]),
                            hotCallees(d, cpu, sampleIndex, name, MAX_CALLEES)));
                });
        return out;
    }

    /** Callees listed per hot function. */
    static final int MAX_CALLEES = 5;

    /**
     * The callees of {@code function} with the most CPU under it (each sample counted once, at the
     * frame it calls from nearest the leaf), at least {@link #MIN_CALLEE_SHARE} of the profile, at
     * most {@code limit}; a callee inlined at some calls and called at others is listed twice.
     */
    public static List<HotCallee> hotCallees(CompilerDiagnostics d, Profile cpu, int sampleIndex, String function,
                                             int limit) {
        SampleTable samples = cpu.samples();
        var locations = cpu.locations();
        var functions = cpu.functions();
        Map<Long, long[]> byCallee = new HashMap<>(); // function index * 2 + inlined -> value
        long total = 0;
        for (int s = 0; s < samples.size(); s++) {
            long v = Math.abs(samples.value(s, sampleIndex));
            total += v;
            int calleeFn = -1;
            int calleeLoc = -1;
            frames:
            for (int k = samples.locStart[s]; k < samples.locStart[s + 1]; k++) {
                int loc = samples.locations[k];
                // a location's lines: the innermost (inlined) function first, the one it was inlined into last
                for (int l = locations.lineStart[loc]; l < locations.lineStart[loc + 1]; l++) {
                    int fn = locations.lineFunction[l];
                    if (fn >= 0 && function.equals(functions.name[fn])) {
                        // a goroutine preempted by a signal shows the runtime's asyncPreempt as if called:
                        // no call of the code's
                        if (calleeFn >= 0 && !"runtime.asyncPreempt".equals(functions.name[calleeFn])) {
                            byCallee.computeIfAbsent(calleeFn * 2L + (calleeLoc == loc ? 1 : 0), x -> new long[1])[0] += v;
                        }
                        break frames;
                    }
                    calleeFn = fn;
                    calleeLoc = loc;
                }
            }
        }
        long sum = total;
        List<HotCallee> out = new ArrayList<>();
        byCallee.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<Long, long[]> e) -> e.getValue()[0]).reversed()
                        .thenComparing(e -> e.getKey()))
                .forEach(e -> {
                    double share = sum == 0 ? 0 : (double) e.getValue()[0] / sum;
                    int fn = (int) (e.getKey() / 2);
                    if (out.size() >= limit || share < MIN_CALLEE_SHARE || functions.name[fn] == null) {
                        return;
                    }
                    String name = functions.name[fn];
                    InlineDecision decision = functions.filename[fn] == null ? null
                            : decisionFor(d, name, functions.filename[fn], functions.startLine[fn]);
                    out.add(new HotCallee(name, e.getValue()[0], share, e.getKey() % 2 == 1, decision));
                });
        return out;
    }

    /**
     * The inliner's decision on a profile's function: at its declaration (the profile's start line,
     * when it has one), else by its name in its file; null when the logs have none.
     */
    public static InlineDecision decisionFor(CompilerDiagnostics d, String name, String file, long startLine) {
        for (InlineDecision i : d.inlining()) {
            if (!CompilerFiles.same(i.pos().file(), file)) {
                continue;
            }
            boolean byLine = startLine > 0 && i.pos().line() == startLine;
            boolean byName = startLine <= 0 && !i.function().isEmpty() && name.endsWith("." + i.function());
            if (byLine || byName) {
                return i;
            }
        }
        return null;
    }

    /**
     * The callees the compiler inlined in the body of the function declared at {@code decision}:
     * the "inlining call" sites from its declaration to the next declaration in its file, each
     * callee once, in the order of their first call.
     */
    public static List<String> inlinedCallees(CompilerDiagnostics d, InlineDecision decision) {
        String file = decision.pos().file();
        int from = decision.pos().line();
        int to = Integer.MAX_VALUE;
        for (InlineDecision i : d.inlining()) {
            if (i.pos().line() > from && i.pos().line() < to && i.pos().file().equals(file)) {
                to = i.pos().line();
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (InlinedCall c : d.inlinedCalls()) {
            if (c.pos().file().equals(file) && c.pos().line() >= from && c.pos().line() < to) {
                out.add(c.callee());
            }
        }
        return List.copyOf(out);
    }

    /** The bounds checks the compiler left at a line of a profile's file. */
    public static List<BoundsCheck> boundsChecksAt(CompilerDiagnostics d, String file, long line) {
        return d.boundsChecks().stream().filter(b -> b.pos().line() == line && CompilerFiles.same(b.pos().file(), file))
                .toList();
    }

    /** The bounds checks at lines with flat CPU weight, heaviest first. */
    public static List<HotBoundsCheck> hotBoundsChecks(CompilerDiagnostics d, LineWeights cpu) {
        List<HotBoundsCheck> out = new ArrayList<>();
        for (BoundsCheck b : d.boundsChecks()) {
            long v = cpu.at(b.pos().file(), b.pos().line());
            if (v > 0) {
                out.add(new HotBoundsCheck(b, v, cpu.share(v)));
            }
        }
        out.sort(Comparator.comparingLong(HotBoundsCheck::value).reversed());
        return out;
    }

    private static Set<String> files(CompilerDiagnostics d) {
        Set<String> files = new LinkedHashSet<>();
        d.escapes().forEach(e -> files.add(e.pos().file()));
        d.inlining().forEach(i -> files.add(i.pos().file()));
        d.inlinedCalls().forEach(c -> files.add(c.pos().file()));
        d.boundsChecks().forEach(b -> files.add(b.pos().file()));
        return files;
    }
}
