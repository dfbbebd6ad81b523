package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.compiler.CompilerJoin;
import dev.godiag.analysis.profile.FunctionCosts;
import dev.godiag.diagnosis.CompilerCards;
import dev.godiag.analysis.profile.Stacks;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.Profile;
import dev.godiag.model.compiler.CompilerDiagnostics;
import dev.godiag.model.compiler.InlineDecision;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * cpu.hotspot: a function of the service's own code that spends a large share of the CPU itself, at
 * its hottest line. The share leaves out the profiler's and tracer's own work; a profile too small,
 * a function behind too few samples or a program that mostly waits caps the finding at info
 * ({@link CpuProfileStats}); frames the symbolizer could not name are never a hotspot.
 */
public final class CpuHotspotRule implements Rule {
    static final Threshold FLAT_SHARE = new Threshold("ownFlatShare", "fraction", 0.05, 0.15, 0.30,
            "the function's own (flat) share of the CPU samples");
    /** Findings for at most this many functions. */
    static final int MAX_FINDINGS = 3;

    static final RuleInfo INFO = RuleInfo.of("cpu.hotspot", "cpu",
            "a function of your own code spends a large share of the CPU itself",
            Set.of(Kind.CPU_PROFILE), FLAT_SHARE);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        FunctionCosts cpu = input.costs(Kind.CPU_PROFILE, null);
        CpuProfileStats stats = CpuProfileStats.of(input);
        if (cpu == null || cpu.total() == 0 || stats == null) {
            return List.of();
        }
        Profile p = input.merged(Kind.CPU_PROFILE);
        Stacks lines = input.lineStacks(Kind.CPU_PROFILE);
        long tooling = StackMatch.of(p, lines, null, n -> false, null, false, true).tooling();
        long total = cpu.total() - tooling;
        if (total <= 0) {
            return List.of();
        }
        Threshold t = config.resolve(this, FLAT_SHARE);
        List<Finding> out = new ArrayList<>();
        for (FunctionCosts.Row r : cpu.ownRows()) {
            if (!StackMatch.isOwn(r.function())) {
                continue;
            }
            double share = (double) r.flat() / total;
            int score = t.score(share);
            if (score < 25 || out.size() == MAX_FINDINGS) {
                break;
            }
            long flatSamples = stats.samplesOf(r.flat());
            CpuProfileStats.Judged judged = stats.judge(score, flatSamples);
            StackMatch.Line line = StackMatch.hottestLine(p, lines, null, r.function(), true);
            String file = line != null && !line.file().isEmpty() ? line.file() : r.file();
            long lineNo = line == null ? 0 : line.line();
            String where = lineNo > 0 ? String.format(Locale.ROOT, ", most at %s:%d", file, lineNo) : "";
            Finding.Builder b = Finding.builder(this)
                    .title("CPU hotspot in " + r.function())
                    .score(judged.score())
                    .summary(String.format(Locale.ROOT, "%s spends %.1f%% of the CPU samples itself (%.1f%% with"
                                    + " what it calls; %d of %d samples)%s", r.function(), 100 * share,
                            100 * (double) r.cum() / total, flatSamples, stats.samples(), where)
                            + (judged.caveat() == null ? "" : "; " + judged.caveat()))
                    .location(r.function(), file, lineNo)
                    .evidence("function", r.function())
                    .evidence("file", file.isEmpty() ? null : file)
                    .evidence("line", lineNo > 0 ? lineNo : null)
                    .evidence("flatShare", round(share))
                    .evidence("cumShare", round((double) r.cum() / total))
                    .evidence("flat", r.flat(), cpu.unit())
                    .evidence("cum", r.cum(), cpu.unit())
                    .evidence("total", total, cpu.unit())
                    .evidence("flatSamples", flatSamples)
                    .evidence("profilerOverhead", tooling > 0 ? tooling : null, cpu.unit());
            stats.evidence(b);
            compilerFacts(b, input, p, r, file, lineNo);
            b.evidence("caveat", judged.caveat()).evidence("cpuProfile", StackMatch.inputPaths(input, Kind.CPU_PROFILE, "cpu.pprof"));
            out.add(b.build());
        }
        return out;
    }

    /**
     * With a compiler log: whether the function was inlined and why not (the cost against the
     * budget), the callees inlined in its body, the callees with the most CPU under it and whether
     * those calls were inlined, and the bounds checks left at its hottest line;
     * only where file and line match.
     */
    private static void compilerFacts(Finding.Builder b, DiagnosisInput input, Profile p, FunctionCosts.Row r,
                                      String hotFile, long hotLine) {
        CompilerDiagnostics d = input.compilerDiagnostics();
        if (d == null) {
            return;
        }
        long startLine = 0;
        var functions = p.functions();
        for (int i = 0; i < functions.size(); i++) {
            if (r.function().equals(functions.name[i]) && functions.startLine[i] > 0) {
                startLine = functions.startLine[i];
                break;
            }
        }
        int cpu = p.sampleTypeIndex("cpu");
        int cpuIndex = cpu >= 0 ? cpu : p.sampleTypes().size() - 1; // the CPU time, as the costs are
        List<String> hotCallees = CompilerJoin.hotCallees(d, p, cpuIndex, r.function(), 3).stream()
                .map(CompilerJoin.HotCallee::summary).toList();
        b.evidence("hotCallees", hotCallees.isEmpty() ? null : hotCallees);
        InlineDecision decision = CompilerJoin.decisionFor(d, r.function(), r.file(), startLine);
        if (decision != null) {
            b.evidence("inlined", decision.inlinable());
            List<String> callees = CompilerJoin.inlinedCallees(d, decision);
            b.evidence("inlinedCallees", callees.isEmpty() ? null : callees);
            if (!decision.inlinable()) {
                b.evidence("notInlinedBecause", decision.reason());
                b.evidence("inlineCost", decision.cost() >= 0 ? decision.cost() : null);
                b.evidence("inlineBudget", decision.budget() >= 0 ? decision.budget() : null);
                if (decision.budget() > 0 && decision.cost() > decision.budget()) {
                    b.card(CompilerCards.NOT_INLINED);
                }
            }
        }
        if (hotLine > 0) {
            List<String> checks = CompilerJoin.boundsChecksAt(d, hotFile, hotLine).stream()
                    .map(c -> c.pos() + (c.slice() ? " (slice)" : " (index)")).toList();
            if (!checks.isEmpty()) {
                b.evidence("boundsChecksAtHottestLine", checks);
                b.card(CompilerCards.BOUNDS_CHECK);
            }
        }
    }

    static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
