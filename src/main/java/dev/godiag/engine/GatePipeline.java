package dev.godiag.engine;

import dev.godiag.analysis.bench.GateEvaluation;
import dev.godiag.format.Source;
import dev.godiag.format.bench.BenchReader;
import dev.godiag.store.BaselineRepository;
import dev.godiag.store.BaselineRepository.Metric;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * godiag gate: the candidate's metrics against a baseline's (stored or inputs), per metric
 * significance and threshold, and the memory trend over a stored baseline's last runs.
 */
public final class GatePipeline {
    private final EngineContext ctx;
    private final Supplier<BaselineRepository> baselines;

    /**
     * @param baselines the stored baselines a request may name, asked for only when one does (a
     *                  command line then opens its database; a daemon hands over the one it keeps
     *                  open); null when there is no store, and only input baselines are read
     */
    public GatePipeline(EngineContext ctx, Supplier<BaselineRepository> baselines) {
        this.ctx = ctx;
        this.baselines = baselines;
    }

    /** One side of the comparison: metrics in order, the better= metadata of their units, the heap's history. */
    private record Side(List<Metric> metrics, Map<String, String> better, List<Double> heapHistory) {
    }

    public GateResult run(GateRequest r) {
        List<String> warnings = new ArrayList<>();
        // baseline files are read while the candidate's are (two large files take the time of one)
        List<String> baselineWarnings = new ArrayList<>();
        CompletableFuture<Side> baselineFiles = r.baseline() instanceof GateRequest.Baseline.Inputs in
                ? CompletableFuture.supplyAsync(() -> inputs(in.sources(), baselineWarnings)) : null;
        Side candidate = inputs(r.candidates(), warnings);
        return FailureAfterWarnings.carrying(warnings, () -> {
            Side baseline;
            if (baselineFiles != null) {
                try {
                    baseline = baselineFiles.join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : e;
                }
                warnings.addAll(baselineWarnings);
            } else {
                baseline = stored(((GateRequest.Baseline.Stored) r.baseline()).name());
            }
            return new GateResult(evaluate(baseline, candidate, r), warnings);
        });
    }

    /** Reads inputs as 'godiag baseline save' does (the same kinds and derived metrics). */
    private Side inputs(List<Source> sources, List<String> warnings) {
        BaselineInputs.Read read = BaselineInputs.read(sources, ctx.limits());
        warnings.addAll(read.warnings());
        return new Side(read.metrics(), read.better(), null);
    }

    private Side stored(String name) {
        if (baselines == null) {
            throw new InvalidRequestException("no baseline store to read the baseline '" + name + "' from");
        }
        BaselineRepository store = baselines.get();
        BaselineRepository.Run latest = store.latest(name)
                .orElseThrow(() -> new NoSuchBaselineException(name, store.database().location().display()));
        Map<String, String> better = new HashMap<>();
        for (BaselineRepository.StoredInput in : latest.inputs()) {
            if (in.kind().equals("bench")) {
                store.content(latest.id(), in.position()).ifPresent(bytes ->
                        better.putAll(betterOf(name + ":" + in.name(), bytes)));
            }
        }
        // the memory trend reads heap.live of the runs before, not the runs themselves
        List<List<Double>> heaps = store.metricHistory(name, GateEvaluation.HEAP_LIVE, latest.id(),
                GateEvaluation.TREND_STEPS + 1);
        List<Double> heap = new ArrayList<>();
        for (int i = heaps.size() - 1; i >= 0; i--) {
            if (!heaps.get(i).isEmpty()) {
                heap.add(GateEvaluation.median(heaps.get(i)));
            }
        }
        return new Side(latest.metrics(), better, heap);
    }

    /**
     * The better= metadata of a stored benchmark file's units. Only its Unit lines say it, so only
     * those are read (a file of a million results is not parsed again for them).
     */
    static Map<String, String> betterOf(String name, byte[] content) {
        StringBuilder units = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new StringReader(new String(content, StandardCharsets.UTF_8)))) {
            for (String line; (line = r.readLine()) != null; ) {
                int i = 0;
                while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
                    i++;
                }
                if (line.startsWith("Unit", i) && (i + 4 == line.length()
                        || Character.isWhitespace(line.charAt(i + 4)))) {
                    units.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return BaselineInputs.better(BenchReader.read(name, units.toString()).units());
    }

    private static GateEvaluation.Result evaluate(Side baseline, Side candidate, GateRequest r) {
        // the candidate is always files read here: its metrics are looked up in their table, not
        // copied into a map (a million benchmarks are three million metrics)
        MetricTable.View cand = (MetricTable.View) candidate.metrics();
        boolean[] compared = new boolean[cand.size()];
        List<GateEvaluation.Metric> out = new ArrayList<>();
        List<String> baselineOnly = new ArrayList<>();
        for (Metric b : baseline.metrics()) {
            int c = cand.find(b.name(), b.unit());
            double[] cv = c < 0 ? null : cand.values(c);
            if (cv == null || cv.length == 0 || b.values().isEmpty()) {
                baselineOnly.add(b.name() + " " + b.unit());
                continue;
            }
            compared[c] = true; // what is left is the candidate's alone
            String better = candidate.better().getOrDefault(b.unit(), baseline.better().get(b.unit()));
            // derived metrics are lower-is-better, except a rate of requests (load.throughput, req/s)
            GateEvaluation.Better dir = b.name().startsWith("Benchmark") ? GateEvaluation.direction(b.unit(), better)
                    : "req/s".equals(b.unit()) ? GateEvaluation.Better.HIGHER : GateEvaluation.Better.LOWER;
            out.add(GateEvaluation.compare(b.name(), b.unit(), dir, array(b.values()), cv,
                    r.thresholds().percentFor(b.name(), b.unit()), r.alpha(), r.confidence(), resolution(b)));
        }
        List<String> candidateOnly = new ArrayList<>();
        double[] heapLive = null;
        for (int i = 0; i < compared.length; i++) {
            if (!compared[i]) {
                candidateOnly.add(cand.name(i) + " " + cand.unit(i));
            }
            if (heapLive == null && cand.name(i).equals(GateEvaluation.HEAP_LIVE)) {
                double[] v = cand.values(i);
                heapLive = v.length > 0 ? v : null;
            }
        }
        if (out.isEmpty()) {
            throw new dev.godiag.util.BadInputException("the baseline and the candidate have no metric in common"
                    + " (baseline: " + abbreviate(baselineOnly) + "; candidate: " + abbreviate(candidateOnly) + ")");
        }
        GateEvaluation.Trend trend = null;
        if (baseline.heapHistory() != null) {
            List<Double> series = new ArrayList<>(baseline.heapHistory());
            if (heapLive != null) {
                series.add(GateEvaluation.median(java.util.Arrays.stream(heapLive).boxed().toList()));
            }
            trend = GateEvaluation.memoryTrend(series);
        }
        return new GateEvaluation.Result(out, baselineOnly, candidateOnly, trend, r.alpha());
    }

    private static String abbreviate(List<String> l) {
        if (l.isEmpty()) {
            return "none";
        }
        return l.size() <= 3 ? String.join(", ", l) : String.join(", ", l.subList(0, 3)) + " and " + (l.size() - 3)
                + " more";
    }

    /** gctrace prints the GC's CPU share as a whole percent: a change of one point is its rounding, not a change. */
    private static double resolution(Metric m) {
        return m.name().equals("gc.cpu") && m.unit().equals("%") ? 1 : 0;
    }

    private static double[] array(List<Double> l) {
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
