package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.runtime.MemoryGrowth;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.model.ExpvarSnapshot;
import dev.godiag.model.GcCycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.bytes;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.list;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.round;

/**
 * memory.heap-growth: the live heap grows and is not released, judged by {@link MemoryGrowth} on
 * heap profiles over time (with the allocation sites that grow), else on /debug/vars memstats
 * snapshots (HeapAlloc), else on the live heap gctrace reports after each collection.
 */
public final class HeapGrowthRule implements Rule {
    static final Threshold GROWTH = new Threshold("growthShare", "fraction", 0.10, 0.25, 0.50,
            "the fitted growth over the series relative to the largest live heap seen");
    /** A "leaking" verdict (a site or the heap rising at every snapshot) is at least a warning. */
    static final int LEAKING_MIN_SCORE = 50;
    /** Fitted growth below which the finding stays an info: too little memory to call a leak. */
    static final double MIN_GROWTH_BYTES = 1 << 20;
    /** Largest live heap below which growth stays an info: Go's smallest heap goal. */
    static final double MIN_HEAP_BYTES = 4 << 20;
    private static final int INFO_MAX_SCORE = 49;
    /** A heap profiles' rise under this many sampling periods (4 MiB at Go's default rate) may be sampling noise. */
    static final int SAMPLING_NOISE_PERIODS = 8;
    static final double MIB = 1024 * 1024;

    static final RuleInfo INFO = RuleInfo.of("memory.heap-growth", "memory",
            "live heap that grows over time and is not released",
            Set.of(DiagnosisInput.Kind.HEAP_PROFILE, DiagnosisInput.Kind.MEMSTATS, DiagnosisInput.Kind.GCTRACE), GROWTH);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        MemoryGrowth.Result g = null;
        MemoryGrowth.Result heap = null;
        String source = null;
        if (input.profiles(DiagnosisInput.Kind.HEAP_PROFILE).size() >= 3) {
            heap = input.heapGrowth();
            g = heap;
            source = "heap profiles (inuse_space)";
        }
        MemoryGrowth.Result exact = memstatsGrowth(input);
        if (g == null && exact != null) {
            g = exact;
            source = "memstats HeapAlloc";
        }
        if (g == null && !input.gcTraces().isEmpty() && input.gcTraces().get(0).cycles().size() >= 3) {
            List<MemoryGrowth.Point> pts = new ArrayList<>();
            for (GcCycle c : input.gcTraces().get(0).cycles()) {
                if (Double.isFinite(c.liveHeapMB())) {
                    pts.add(new MemoryGrowth.Point("gc " + c.number(), c.atSeconds(), c.liveHeapMB() * MIB,
                            Double.NaN));
                }
            }
            if (pts.size() >= 3) {
                g = MemoryGrowth.ofSeries(pts);
                source = "gctrace live heap";
            }
        }
        if (g == null || g.verdict() != MemoryGrowth.Verdict.GROWING && g.verdict() != MemoryGrowth.Verdict.LEAKING) {
            return List.of();
        }
        List<MemoryGrowth.Point> pts = g.points();
        int n = pts.size();
        double max = pts.stream().mapToDouble(MemoryGrowth.Point::liveBytes).max().orElse(0);
        double fitted = fittedGrowth(g);
        double share = max > 0 ? fitted / max : 0;
        int score = config.resolve(this, GROWTH).score(share);
        // a rise of a few hundred KiB, or a heap that stays under Go's smallest heap goal (4 MiB, below
        // which the collector hardly runs), is warm-up, pools and lazily built tables: worth a note,
        // not a leak anyone should hunt
        boolean small = fitted < MIN_GROWTH_BYTES || max < MIN_HEAP_BYTES;
        String doubt = g == heap ? samplingDoubt(input, fitted, exact) : null;
        small |= doubt != null;
        boolean leaking = g.verdict() == MemoryGrowth.Verdict.LEAKING && !small;
        if (leaking) {
            score = Math.max(score, LEAKING_MIN_SCORE);
        }
        if (small) {
            score = Math.min(score, INFO_MAX_SCORE);
        }
        if (score < 25) {
            return List.of();
        }
        MemoryGrowth.Site top = g.growingSites().isEmpty() ? null : g.growingSites().get(0);
        List<Long> series = new ArrayList<>();
        for (MemoryGrowth.Point p : pts) {
            series.add(Math.round(p.liveBytes()));
        }
        Finding.Builder b = Finding.builder(this)
                .title((leaking ? "Memory leak" : "Growing heap") + (top != null ? " in " + top.function() : "")
                        + " (" + bytes(pts.get(0).liveBytes()) + " → " + bytes(pts.get(n - 1).liveBytes()) + ")")
                .score(score)
                .summary("The live heap " + (leaking ? "rises and is not released" : "grows") + " across " + n
                        + " measurements (" + source + "): " + bytes(pts.get(0).liveBytes()) + " → "
                        + bytes(pts.get(n - 1).liveBytes())
                        + (top != null ? "; " + top.function() + " (" + top.file() + ":" + top.line() + ") holds "
                        + MemoryGrowth.shareOfGrowth(top.shareOfGrowth()) : "")
                        + (doubt != null ? "; " + doubt
                        : small ? "; a growth of " + bytes(fitted) + " to a heap of " + bytes(max)
                        + " is too small to call a leak" : ""))
                .evidence("source", source)
                .evidence("verdict", g.verdict().id())
                .evidence("slopeBytes", Math.round(g.fit().slope()))
                .evidence("slopeUnit", g.fit().perSecond() ? "per second" : "per snapshot")
                .evidence("slopeLowBytes", Double.isFinite(g.fit().slopeLow()) ? Math.round(g.fit().slopeLow()) : null)
                .evidence("r2", round(g.fit().r2()))
                .evidence("growthShare", round(share))
                .evidence("liveBytes", series.size() <= 50 ? series : null)
                .evidence("firstLiveBytes", Math.round(pts.get(0).liveBytes()))
                .evidence("lastLiveBytes", Math.round(pts.get(n - 1).liveBytes()));
        if (top != null) {
            b.location(top.function(), top.file(), top.line())
                    .evidence("topSite", top.function())
                    .evidence("topSiteFile", top.file())
                    .evidence("topSiteLine", top.line())
                    .evidence("topSiteBytesPerSnapshot", list(top.inuseBytes()))
                    .evidence("topSiteObjectsPerSnapshot", list(top.inuseObjects()))
                    .evidence("topSiteShareOfGrowth", round(top.shareOfGrowth()));
        }
        if (g.objectSizeHint() != null && !g.objectSizeHint().isEmpty()) {
            b.evidence("objectSizeHint", g.objectSizeHint());
        }
        if (doubt != null) {
            b.evidence("samplingDoubt", doubt);
        }
        return List.of(b.evidence("reason", g.reason()).build());
    }

    /** The fitted growth over the whole series, in bytes. */
    private static double fittedGrowth(MemoryGrowth.Result g) {
        List<MemoryGrowth.Point> pts = g.points();
        int n = pts.size();
        double span = g.fit().perSecond() ? pts.get(n - 1).timeSeconds() - pts.get(0).timeSeconds() : n - 1;
        return g.fit().slope() * span;
    }

    /** The growth of memstats' HeapAlloc over at least 3 /debug/vars snapshots, or null. */
    private static MemoryGrowth.Result memstatsGrowth(DiagnosisInput input) {
        List<MemoryGrowth.Point> pts = new ArrayList<>();
        for (ExpvarSnapshot s : input.memstatsSeries()) {
            if (s.memstats() != null) {
                pts.add(new MemoryGrowth.Point(s.source(), Double.NaN, s.memstats().heapAlloc(),
                        s.memstats().heapObjects()));
            }
        }
        return pts.size() >= 3 ? MemoryGrowth.ofSeries(pts) : null;
    }

    /**
     * Why a heap profiles' rise may not be real, or null. Heap profiles are sampled: the runtime
     * records about one allocation per sampling period (512 KiB by default) and scales it up, so a
     * rise of a few periods is a few samples, which a handful of replaced objects give by chance
     * (new ones sampled, the freed ones they replace not). memstats' HeapAlloc counts every byte:
     * when it was read too and stays flat (no significant growth, under 1 MiB fitted), the
     * profiles' rise is sampling.
     */
    private static String samplingDoubt(DiagnosisInput input, double fitted, MemoryGrowth.Result exact) {
        if (exact != null && exact.verdict() != MemoryGrowth.Verdict.GROWING
                && exact.verdict() != MemoryGrowth.Verdict.LEAKING && fittedGrowth(exact) < MIN_GROWTH_BYTES) {
            List<MemoryGrowth.Point> e = exact.points();
            return "memstats HeapAlloc, which counts every byte, does not grow (" + bytes(e.get(0).liveBytes())
                    + " → " + bytes(e.get(e.size() - 1).liveBytes()) + "): the heap profiles' rise is sampling";
        }
        long period = input.profiles(DiagnosisInput.Kind.HEAP_PROFILE).get(0).profile().period();
        if (period > 0 && fitted < SAMPLING_NOISE_PERIODS * period) {
            return "a rise of " + bytes(fitted) + " is about " + Math.max(1, Math.round(fitted / period))
                    + " samples of the heap profile (one per " + bytes(period) + " allocated), within sampling noise";
        }
        return null;
    }
}
