package dev.godiag.cli;

import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.format.Input;
import dev.godiag.format.InputSource;
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
import dev.godiag.store.BaselineStore;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code godiag baseline save} stores of its inputs: each file's bytes with its kind, and the
 * metrics derived from it. Kinds and metrics:
 * <ul>
 * <li>{@code bench}: Go benchmark output (lines {@code BenchmarkX-8  N  V unit...}): one metric per
 *     benchmark and unit ({@link #benchMetrics});</li>
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
 * Several inputs giving the same metric add one value each to its list, in operand order.
 */
final class BaselineInputs {
    static final int HOT_STACKS = 10;

    private BaselineInputs() {
    }

    record Read(List<BaselineStore.Input> inputs, List<BaselineStore.Metric> metrics, List<String> warnings) {
    }

    static Read read(List<String> files, long inflateLimit) {
        List<BaselineStore.Input> inputs = new ArrayList<>();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, String[]> keys = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        for (String f : files) {
            if (f.equals("-") || InputSource.isUrl(f)) {
                throw new BadInputException(f + ": baseline save reads files (their content is stored)");
            }
            byte[] data;
            try {
                data = Files.readAllBytes(Path.of(f));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new BadInputException(f + ": no such file");
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new BadInputException(f + ": cannot read: " + e.getMessage());
            }
            if (data.length == 0) {
                throw new BadInputException(f + ": empty file");
            }
            List<BaselineStore.Metric> derived = new ArrayList<>();
            String kind = kindAndMetrics(f, data, inflateLimit, derived, warnings);
            inputs.add(new BaselineStore.Input(Path.of(f).getFileName().toString(), kind, data));
            for (BaselineStore.Metric m : derived) {
                String key = m.name() + "\u0000" + m.unit();
                keys.putIfAbsent(key, new String[]{m.name(), m.unit()});
                values.computeIfAbsent(key, k -> new ArrayList<>()).addAll(m.values());
            }
        }
        List<BaselineStore.Metric> metrics = new ArrayList<>();
        values.forEach((k, v) -> metrics.add(new BaselineStore.Metric(keys.get(k)[0], keys.get(k)[1], v)));
        return new Read(inputs, metrics, warnings);
    }

    private static String kindAndMetrics(String f, byte[] data, long limit, List<BaselineStore.Metric> out,
                                         List<String> warnings) {
        Input in = Inputs.read(new Source.Bytes(f, data), ReadLimits.DEFAULT.withMaxInflate(limit));
        switch (in) {
            case Input.Benchmarks b -> {
                out.addAll(benchMetrics(b.file(), warnings));
                return "bench";
            }
            case Input.Metrics m -> {
                for (Input.Metric x : m.metrics()) {
                    out.add(new BaselineStore.Metric(x.name(), x.unit(), x.values()));
                }
                return "metrics";
            }
            case Input.Load l -> {
                out.addAll(loadMetrics(l.summary()));
                return "load";
            }
            case Input.GcTraceLog log -> {
                GcTrace t = log.trace();
                if (t.cycles().isEmpty()) {
                    throw new BadInputException(f + ": no gctrace lines (run the program with GODEBUG=gctrace=1)");
                }
                GcAnalysis.Result r = GcAnalysis.of(t.cycles(), 0);
                out.add(new BaselineStore.Metric("gc.pause.p95", "ms", List.of(r.pauseMs().p95())));
                out.add(new BaselineStore.Metric("gc.cpu", "%", List.of(r.gcCpuPercent())));
                if (Double.isFinite(r.allocRateMBps())) {
                    out.add(new BaselineStore.Metric("alloc.rate", "MB/s", List.of(r.allocRateMBps())));
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
                out.add(new BaselineStore.Metric("heap.live", "bytes", List.of((double) sum)));
                return "heap";
            }
            case Input.Profile p when p.profileKind() == ProfileKind.CPU -> {
                out.add(new BaselineStore.Metric("cpu.hot_stack_depth", "frames", List.of(hotStackDepth(p.profile()))));
                return "cpu";
            }
            case Input.Profile p -> {
                return p.profileKind().id();
            }
            case Input.Goroutines g -> {
                out.add(new BaselineStore.Metric("goroutines.count", "goroutines", List.of((double) g.dump().total())));
                return "goroutines";
            }
            case Input.Expvar v -> {
                return "memstats";
            }
            case Input.Prometheus m -> {
                return "metrics";
            }
            case Input.Unrecognised u -> throw new BadInputException(f + ": " + u.reason());
        }
    }

    /** The load metrics a summary has (the values it lacks are NaN and give no metric). */
    static List<BaselineStore.Metric> loadMetrics(LoadSummary s) {
        List<BaselineStore.Metric> out = new ArrayList<>();
        addIfKnown(out, "load.latency.p95", "ms", s.p95() * 1e3);
        addIfKnown(out, "load.latency.p99", "ms", s.p99() * 1e3);
        addIfKnown(out, "load.throughput", "req/s", s.throughput());
        addIfKnown(out, "load.errors", "share", s.errors());
        return out;
    }

    private static void addIfKnown(List<BaselineStore.Metric> out, String name, String unit, double v) {
        if (!Double.isNaN(v)) {
            out.add(new BaselineStore.Metric(name, unit, List.of(v)));
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
     * reader's warnings (malformed lines) are added to {@code warnings}.
     */
    static List<BaselineStore.Metric> benchMetrics(BenchFile f, List<String> warnings) {
        for (String w : f.warnings()) {
            warnings.add("godiag: warning: " + w);
        }
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, String[]> keys = new HashMap<>();
        for (BenchResult r : f.results()) {
            r.values().forEach((unit, v) -> {
                String key = r.fullName() + "\u0000" + unit;
                keys.putIfAbsent(key, new String[]{"Benchmark" + r.fullName(), unit});
                values.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
            });
        }
        List<BaselineStore.Metric> out = new ArrayList<>();
        values.forEach((k, v) -> out.add(new BaselineStore.Metric(keys.get(k)[0], keys.get(k)[1], v)));
        return out;
    }
}
