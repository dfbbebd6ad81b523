package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.profile.FunctionCosts;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** cpu.hotspot: a function of the service's own code that spends a large share of the CPU itself. */
public final class CpuHotspotRule implements Rule {
    static final Threshold FLAT_SHARE = new Threshold("ownFlatShare", "fraction", 0.05, 0.15, 0.30,
            "the function's own (flat) share of the CPU samples");
    /** Findings for at most this many functions. */
    static final int MAX_FINDINGS = 3;

    static final RuleInfo INFO = RuleInfo.of("cpu.hotspot", "cpu",
            "a function of your own code spends a large share of the CPU itself",
            Set.of(DiagnosisInput.Kind.CPU_PROFILE), FLAT_SHARE);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        FunctionCosts cpu = input.costs(DiagnosisInput.Kind.CPU_PROFILE, null);
        if (cpu == null || cpu.total() == 0) {
            return List.of();
        }
        Threshold t = config.resolve(this, FLAT_SHARE);
        List<Finding> out = new ArrayList<>();
        for (FunctionCosts.Row r : cpu.ownRows()) {
            double share = cpu.share(r.flat());
            int score = t.score(share);
            if (score < 25 || out.size() == MAX_FINDINGS) {
                break;
            }
            out.add(Finding.builder(this)
                    .title("CPU hotspot in " + r.function())
                    .score(score)
                    .summary(String.format(Locale.ROOT, "%s spends %.1f%% of the CPU samples itself (%.1f%% with"
                            + " what it calls)", r.function(), 100 * share, 100 * cpu.share(r.cum())))
                    .location(r.function(), r.file(), 0)
                    .evidence("function", r.function())
                    .evidence("flatShare", round(share))
                    .evidence("cumShare", round(cpu.share(r.cum())))
                    .evidence("flat", r.flat(), cpu.unit())
                    .evidence("cum", r.cum(), cpu.unit())
                    .evidence("total", cpu.total(), cpu.unit())
                    .build());
        }
        return out;
    }

    static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
