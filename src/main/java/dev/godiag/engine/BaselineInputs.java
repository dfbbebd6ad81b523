package dev.godiag.engine;

import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.format.Input;
import dev.godiag.format.Inputs;
import dev.godiag.format.ProfileKind;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.Source;
import dev.godiag.format.load.LoadReader;
import dev.godiag.format.load.LoadSummary;
import dev.godiag.model.BenchFile;
import dev.godiag.model.BenchResult;
import dev.godiag.model.GcTrace;
import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.model.ValueType;
import dev.godiag.store.BaselineRepository;
import dev.godiag.store.BaselineRepository.Metric;
import dev.godiag.util.BadInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a baseline keeps of its inputs (and what a gate compares): each input's bytes with its
 * kind, and the metrics derived from it. Kinds and metrics:
 * <ul>
 * <li>{@code bench}: Go benchmark output (lines {@code BenchmarkX-8  N  V unit...}): one metric per
 *     benchmark and unit ({@link #benchMetrics}); a file of such lines none of which is a valid
 *     result is an error, as in {@code godiag bench};</li>
 * <li>{@code metrics}: derived metrics as JSON, {@code {"metrics":[{"name":..,"unit":..,"values":[..]}]}},
 *     taken as they are;</li>
 * <li>{@code gctrace}: {@code gc.pause.p95} (ms, stop-the-world pauses), {@code gc.cpu} (%, the
 *     GC's share of CPU as the last cycle reports it) and {@code alloc.rate} (MB/s, the heap's growth
 *     between cycles over the log's time: lower is better), from the gc report's analysis;</li>
 * <li>{@code heap}: {@code heap.live} (bytes, the sum of inuse_space);</li>
 * <li>{@code goroutines}: {@code goroutines.count} (the goroutines in the snapshot);</li>
 * <li>{@code cpu}: {@code cpu.hot_stack_depth} (frames): the weighted mean depth of the 10 hottest
 *     distinct stacks, each stack's frames (inlined frames counted) weighted by its CPU time;</li>
 * <li>{@code load}: a load-test summary ({@link LoadReader}: hey, wrk {@code --latency}, vegeta report
 *     text or JSON, a CSV of latencies): {@code load.latency.p95} and {@code load.latency.p99} (ms,
 *     from the tool's own percentiles; wrk prints no p95, so none is derived from it),
 *     {@code load.throughput} (req/s, higher is better) and {@code load.errors} (share, failed or
 *     non-2xx/3xx requests), each only when the summary has it (a CSV gives latencies only);</li>
 * <li>any other profile or runtime input is stored raw under its kind, with no metric.</li>
 * </ul>
 * Several inputs giving the same metric add one value each to its list, in input order. The work
 * is linear in the number of results (a million benchmark results are one pass).
 */
public final class BaselineInputs {
    /**
     * A p95 of fewer pauses than this is the largest or second largest pause: one sample, which a
     * gate would compare as if it were a measured trend.
     */
    static final int MIN_CYCLES_FOR_P95 = 20;

    static final int HOT_STACKS = 10;

    private BaselineInputs() {
    }

    /**
     * The inputs to store, the metrics derived from them, the better= metadata of the benchmark
     * units (unit to "higher" or "lower", from Unit lines; a later file's wins), and the readers'
     * warnings ("godiag: warning: ...").
     */
    public record Read(List<BaselineRepository.Input> inputs, List<Metric> metrics, Map<String, String> better, List<String> warnings) {
    }

    /**
     * Reads inputs whose content is to be stored: files or bytes (standard input and URLs are
     * refused: their content is not at hand to store again).
     */
    public static Read read(List<Source> sources, ReadLimits limits) {
        List<BaselineRepository.Input> inputs = new ArrayList<>();
        MetricTable metrics = new MetricTable();
        Map<String, String> better = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Source s : sources) {
            if (s instanceof Source.Stdin || s instanceof Source.Url) {
                throw new BadInputException(s.name() + ": baseline save reads files (their content is stored)");
            }
            byte[] data;
            try {
                data = s.readAll(limits);
            } catch (BadInputException e) {
                throw new BadInputException(s.name() + ": " + e.getMessage(), e);
            }
            if (data.length == 0) {
                throw new BadInputException(s.name() + ": empty file");
            }
            String kind = kindAndMetrics(s.name(), data, limits, metrics, better, warnings);
            inputs.add(new BaselineRepository.Input(fileName(s), kind, data));
        }
        return new Read(inputs, metrics.list(), better, warnings);
    }

    /** The name an input is stored under: its file name, without directories. */
    private static String fileName(Source s) {
        if (s instanceof Source.File f && f.path().getFileName() != null) {
            return f.path().getFileName().toString();
        }
        String n = s.name().replace('\\', '/').replaceAll("/+$", "");
        String last = n.substring(n.lastIndexOf('/') + 1);
        return last.isEmpty() ? s.name() : last;
    }

    private static String kindAndMetrics(String name, byte[] data, ReadLimits limits, MetricTable out,
                                         Map<String, String> better, List<String> warnings) {
        Input in = Inputs.read(new Source.Bytes(name, data), limits);
        switch (in) {
            case Input.Benchmarks b -> {
                better.putAll(benchMetrics(name, b.file(), out, warnings));
                return "bench";
            }
            case Input.Metrics m -> {
                for (Input.Metric x : m.metrics()) {
                    out.addAll(new Metric(x.name(), x.unit(), x.values()));
                }
                return "metrics";
            }
            case Input.Load l -> {
                loadMetrics(l.summary()).forEach(out::addAll);
                return "load";
            }
            case Input.GcTraceLog log -> {
                GcTrace t = log.trace();
                if (t.cycles().isEmpty()) {
                    throw new BadInputException(name + ": no gctrace lines (run the program with GODEBUG=gctrace=1)");
                }
                t.warningLines().forEach(w -> warnings.add("godiag: warning: " + w));
                GcAnalysis.Result r = GcAnalysis.of(t.cycles(), 0);
                if (t.cycles().size() >= MIN_CYCLES_FOR_P95) {
                    out.add("gc.pause.p95", "ms", r.pauseMs().p95());
                } else {
                    warnings.add("godiag: warning: " + name + ": gc.pause.p95 not measured: " + t.cycles().size()
                            + (t.cycles().size() == 1 ? " GC cycle" : " GC cycles") + "; a 95th percentile needs "
                            + MIN_CYCLES_FOR_P95 + " (below that it is one of the largest pauses, noise to a gate)");
                }
                out.add("gc.cpu", "%", r.gcCpuPercent());
                if (Double.isFinite(r.allocRateMBps())) {
                    out.add("alloc.rate", "MB/s", r.allocRateMBps());
                }
                return "gctrace";
            }
            case Input.Profile p when p.profileKind() == ProfileKind.HEAP -> {
                int idx = typeIndex(p.profile(), "inuse_space");
                long sum = 0;
                SampleTable s = p.profile().samples();
                for (int i = 0; idx >= 0 && i < s.size(); i++) {
                    sum += s.value(i, idx);
                }
                out.add("heap.live", "bytes", sum);
                return "heap";
            }
            case Input.Profile p when p.profileKind() == ProfileKind.CPU -> {
                out.add("cpu.hot_stack_depth", "frames", hotStackDepth(p.profile()));
                return "cpu";
            }
            case Input.Profile p -> {
                return p.profileKind().id();
            }
            case Input.Goroutines g -> {
                out.add("goroutines.count", "goroutines", g.dump().total());
                return "goroutines";
            }
            case Input.Expvar v -> {
                return "memstats";
            }
            case Input.Prometheus m -> {
                return "metrics";
            }
            case Input.Trace t -> throw new BadInputException(name + ": an execution trace, which a baseline does not"
                    + " keep (it keeps profiles, goroutines, benchmarks, gctrace, load and metrics files)");
            case Input.CompilerLog c -> throw new BadInputException(name + ": Go compiler diagnostics, which a baseline"
                    + " does not keep (it keeps profiles, goroutines, benchmarks, gctrace, load and metrics files)");
            case Input.HeapDump d -> throw new BadInputException(name + ": a Go heap dump, which a baseline does not"
                    + " keep (it keeps profiles, goroutines, benchmarks, gctrace, load and metrics files)");
            case Input.Unrecognised u -> throw new BadInputException(name + ": " + u.reason());
        }
    }

    /** The load metrics a summary has (the values it lacks are NaN and give no metric). */
    static List<Metric> loadMetrics(LoadSummary s) {
        List<Metric> out = new ArrayList<>();
        addIfKnown(out, "load.latency.p95", "ms", s.p95() * 1e3);
        addIfKnown(out, "load.latency.p99", "ms", s.p99() * 1e3);
        addIfKnown(out, "load.throughput", "req/s", s.throughput());
        addIfKnown(out, "load.errors", "share", s.errors());
        return out;
    }

    private static void addIfKnown(List<Metric> out, String name, String unit, double v) {
        if (!Double.isNaN(v)) {
            out.add(new Metric(name, unit, List.of(v)));
        }
    }

    private static int typeIndex(Profile p, String type) {
        List<ValueType> types = p.sampleTypes();
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i).type().equals(type)) {
                return i;
            }
        }
        return -1;
    }

    /** The weighted mean depth (frames, inlined ones counted) of the HOT_STACKS heaviest distinct stacks. */
    static double hotStackDepth(Profile p) {
        int idx = typeIndex(p, "cpu");
        if (idx < 0) {
            idx = p.sampleTypes().size() - 1;
        }
        SampleTable s = p.samples();
        Map<List<Integer>, long[]> stacks = new HashMap<>(); // stack -> {value, frames}
        for (int i = 0; i < s.size(); i++) {
            long v = s.value(i, idx);
            if (v <= 0) {
                continue;
            }
            int[] locs = Arrays.copyOfRange(s.locations, s.locStart[i], s.locStart[i + 1]);
            List<Integer> key = Arrays.stream(locs).boxed().toList();
            long[] acc = stacks.get(key);
            if (acc == null) {
                long frames = 0;
                for (int loc : locs) {
                    frames += Math.max(1, p.locations().lineCount(loc));
                }
                acc = new long[]{0, frames};
                stacks.put(key, acc);
            }
            acc[0] += v;
        }
        List<long[]> top = new ArrayList<>(stacks.values());
        top.sort((a, b) -> Long.compare(b[0], a[0]));
        double weight = 0;
        double sum = 0;
        for (int i = 0; i < Math.min(HOT_STACKS, top.size()); i++) {
            weight += top.get(i)[0];
            sum += (double) top.get(i)[0] * top.get(i)[1];
        }
        return weight == 0 ? 0 : sum / weight;
    }

    /**
     * Metrics of Go benchmark output: one per benchmark and unit, named
     * "Benchmark" + the full name (sub-benchmark parts and -procs suffix included), in the unit as
     * benchfmt tidies it (sec/op, B/op, B/s...), with one value per result line in file order. The
     * reader's warnings (malformed lines) are added to {@code warnings}. A file without a single
     * valid result is refused as {@code godiag bench} refuses it. Returns the units' better= metadata.
     */
    private static Map<String, String> benchMetrics(String name, BenchFile f, MetricTable out,
                                                    List<String> warnings) {
        for (String w : f.warnings()) {
            warnings.add("godiag: warning: " + w);
        }
        if (f.results().isEmpty()) {
            // after its warnings, which say why (as godiag bench prints them)
            throw FailureAfterWarnings.attach(new BadInputException(name + ": no benchmark results"), warnings);
        }
        // "Benchmark" + fullName once per distinct benchmark, not once per result line
        Map<String, String> metricNames = new HashMap<>();
        for (BenchResult r : f.results()) {
            String metric = metricNames.computeIfAbsent(r.fullName(), n -> "Benchmark" + n);
            for (int i = 0; i < r.values().size(); i++) {
                out.add(metric, r.values().unit(i), r.values().value(i));
            }
        }
        return better(f.units());
    }

    /** The better= metadata of units (from Unit lines): unit to "higher" or "lower". */
    static Map<String, String> better(Map<String, Map<String, String>> units) {
        Map<String, String> out = new HashMap<>();
        units.forEach((unit, meta) -> {
            String b = meta.get("better");
            if (b != null) {
                out.put(unit, b);
            }
        });
        return out;
    }
}
