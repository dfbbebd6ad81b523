package dev.godiag.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.util.BadInputException;
import dev.godiag.format.InputSource;
import dev.godiag.format.bench.BenchReader;
import dev.godiag.format.load.LoadReader;
import dev.godiag.format.load.LoadSummary;
import dev.godiag.model.BenchFile;
import dev.godiag.model.BenchResult;
import dev.godiag.model.GcTrace;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.model.ValueType;
import dev.godiag.store.BaselineStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

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
    private static final Pattern BENCH_LINE = Pattern.compile("(?m)^Benchmark\\S*\\s+\\d+\\s+\\S+\\s+\\S+");

    private BaselineInputs() {
    }

    record Read(List<BaselineStore.Input> inputs, List<BaselineStore.Metric> metrics, List<String> warnings) {
    }

    static Read read(List<String> files, long inflateLimit) {
        List<BaselineStore.Input> inputs = new ArrayList<>();
        MetricSeries series = new MetricSeries();
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
                series.values(m.name(), m.unit()).addAll(m.values());
            }
        }
        return new Read(inputs, series.metrics(), warnings);
    }

    /**
     * Values by metric name and unit, in first-seen order: a name maps to the positions of its
     * metrics (a few units each), so a million benchmarks cost no key string or map per metric.
     */
    private static final class MetricSeries {
        private final Map<String, int[]> byName = new HashMap<>();
        private final List<String> names = new ArrayList<>();
        private final List<String> units = new ArrayList<>();
        private final List<List<Double>> lists = new ArrayList<>();

        List<Double> values(String name, String unit) {
            int[] at = byName.get(name);
            if (at != null) {
                for (int i : at) {
                    if (units.get(i).equals(unit)) {
                        return lists.get(i);
                    }
                }
            }
            List<Double> v = new ArrayList<>(1);
            int i = lists.size();
            names.add(name);
            units.add(unit);
            lists.add(v);
            int[] more = at == null ? new int[1] : java.util.Arrays.copyOf(at, at.length + 1);
            more[more.length - 1] = i;
            byName.put(name, more);
            return v;
        }

        List<BaselineStore.Metric> metrics() {
            List<BaselineStore.Metric> out = new ArrayList<>(lists.size());
            for (int i = 0; i < lists.size(); i++) {
                out.add(new BaselineStore.Metric(names.get(i), units.get(i), lists.get(i)));
            }
            return out;
        }
    }

    private static String kindAndMetrics(String f, byte[] data, long limit, List<BaselineStore.Metric> out,
                                         List<String> warnings) {
        String head = new String(data, 0, Math.min(data.length, 1 << 16), StandardCharsets.UTF_8);
        if (BENCH_LINE.matcher(head).find()) {
            out.addAll(benchMetrics(f, data, warnings));
            return "bench";
        }
        String trimmed = head.stripLeading();
        if (trimmed.startsWith("{") && trimmed.contains("\"metrics\"")) {
            out.addAll(metricsJson(f, data));
            return "metrics";
        }
        if (LoadReader.recognize(head) != null) {
            out.addAll(loadMetrics(LoadReader.read(f, new String(data, StandardCharsets.UTF_8))));
            return "load";
        }
        DiagnoseInputs.Item it = new DiagnoseInputs.Item(f);
        DiagnoseInputs.detectFile(it, f, InputSource.FetchOptions.DEFAULT, limit);
        Kind k = it.kind;
        if (k == Kind.GCTRACE) {
            GcTrace t = (GcTrace) it.data;
            if (t.cycles().isEmpty()) {
                throw new BadInputException(f + ": no gctrace lines (run the program with GODEBUG=gctrace=1)");
            }
            t.warningLines().forEach(w -> warnings.add("godiag: warning: " + w));
            GcAnalysis.Result r = GcAnalysis.of(t.cycles(), 0);
            out.add(new BaselineStore.Metric("gc.pause.p95", "ms", List.of(r.pauseMs().p95())));
            out.add(new BaselineStore.Metric("gc.cpu", "%", List.of(r.gcCpuPercent())));
            if (Double.isFinite(r.allocRateMBps())) {
                out.add(new BaselineStore.Metric("alloc.rate", "MB/s", List.of(r.allocRateMBps())));
            }
            return "gctrace";
        }
        if (k == Kind.HEAP_PROFILE) {
            Profile p = (Profile) it.data;
            int idx = typeIndex(p, "inuse_space");
            long sum = 0;
            SampleTable s = p.samples();
            for (int i = 0; idx >= 0 && i < s.size(); i++) {
                sum += s.value(i, idx);
            }
            out.add(new BaselineStore.Metric("heap.live", "bytes", List.of((double) sum)));
            return "heap";
        }
        if (k == Kind.GOROUTINES) {
            out.add(new BaselineStore.Metric("goroutines.count", "goroutines",
                    List.of((double) ((GoroutineDump) it.data).total())));
            return "goroutines";
        }
        if (k == Kind.CPU_PROFILE) {
            out.add(new BaselineStore.Metric("cpu.hot_stack_depth", "frames", List.of(hotStackDepth((Profile) it.data))));
            return "cpu";
        }
        return k.name().toLowerCase(Locale.ROOT).replace("_profile", "");
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
     * Metrics of Go benchmark output, read by {@link BenchReader}: one per benchmark and unit, named
     * "Benchmark" + the full name (sub-benchmark parts and -procs suffix included), in the unit as
     * benchfmt tidies it (sec/op, B/op, B/s...), with one value per result line in file order. The
     * reader's warnings (malformed lines) are added to {@code warnings}.
     */
    static List<BaselineStore.Metric> benchMetrics(String name, byte[] data, List<String> warnings) {
        BenchFile f = BenchReader.read(name, new String(data, StandardCharsets.UTF_8));
        for (String w : f.warnings()) {
            warnings.add("godiag: warning: " + w);
        }
        MetricSeries series = new MetricSeries();
        for (BenchResult r : f.results()) {
            String metric = "Benchmark" + r.fullName();
            r.values().forEach((unit, v) -> series.values(metric, unit).add(v));
        }
        return series.metrics();
    }

    /** {"metrics":[{"name":"x","unit":"u","values":[1,2]}...]} */
    static List<BaselineStore.Metric> metricsJson(String name, byte[] data) {
        List<BaselineStore.Metric> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(data)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, name, "a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!field.equals("metrics")) {
                    p.skipChildren();
                    continue;
                }
                expect(t == JsonToken.START_ARRAY, name, "\"metrics\" as an array");
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String mName = null;
                    String unit = "";
                    List<Double> vals = new ArrayList<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        JsonToken v = p.nextToken();
                        switch (f) {
                            case "name" -> mName = p.getValueAsString();
                            case "unit" -> unit = p.getValueAsString("");
                            case "values" -> {
                                expect(v == JsonToken.START_ARRAY, name, "\"values\" as an array of numbers");
                                while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                                    expect(v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT,
                                            name, "numbers in \"values\"");
                                    vals.add(p.getDoubleValue());
                                }
                            }
                            default -> p.skipChildren();
                        }
                    }
                    expect(mName != null && !mName.isBlank(), name, "a \"name\" for every metric");
                    out.add(new BaselineStore.Metric(mName, unit, vals));
                }
            }
        } catch (IOException e) {
            throw new BadInputException(name + ": bad metrics JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException jp ? jp.getOriginalMessage() : e.getMessage()));
        }
        return out;
    }

    private static void expect(boolean ok, String name, String what) {
        if (!ok) {
            throw new BadInputException(name + ": metrics JSON: expected " + what);
        }
    }
}
