package dev.godiag.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.Source;
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
import dev.godiag.store.BaselineRepository.Input;
import dev.godiag.store.BaselineRepository.Metric;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

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
    static final int HOT_STACKS = 10;
    private static final Pattern BENCH_LINE = Pattern.compile("(?m)^Benchmark\\S*\\s+\\d+\\s+\\S+\\s+\\S+");

    private BaselineInputs() {
    }

    /**
     * The inputs to store, the metrics derived from them, the better= metadata of the benchmark
     * units (unit to "higher" or "lower", from Unit lines; a later file's wins), and the readers'
     * warnings ("godiag: warning: ...").
     */
    public record Read(List<Input> inputs, List<Metric> metrics, Map<String, String> better, List<String> warnings) {
    }

    /**
     * Reads inputs whose content is to be stored: files or bytes (standard input and URLs are
     * refused: their content is not at hand to store again).
     */
    public static Read read(List<Source> sources, ReadLimits limits) {
        List<Input> inputs = new ArrayList<>();
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
            inputs.add(new Input(fileName(s), kind, data));
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
        String head = new String(data, 0, Math.min(data.length, 1 << 16), StandardCharsets.UTF_8);
        if (BENCH_LINE.matcher(head).find()) {
            better.putAll(benchMetrics(name, data, out, warnings));
            return "bench";
        }
        String trimmed = head.stripLeading();
        if (trimmed.startsWith("{") && trimmed.contains("\"metrics\"")) {
            metricsJson(name, data).forEach(out::addAll);
            return "metrics";
        }
        if (LoadReader.recognize(head) != null) {
            loadMetrics(LoadReader.read(name, new String(data, StandardCharsets.UTF_8))).forEach(out::addAll);
            return "load";
        }
        SourceReaders.Detected it = SourceReaders.detect(new Source.Bytes(name, data), limits);
        Kind k = it.kind();
        if (k == Kind.GCTRACE) {
            GcTrace t = (GcTrace) it.data();
            if (t.cycles().isEmpty()) {
                throw new BadInputException(name + ": no gctrace lines (run the program with GODEBUG=gctrace=1)");
            }
            GcAnalysis.Result r = GcAnalysis.of(t.cycles(), 0);
            out.add("gc.pause.p95", "ms", r.pauseMs().p95());
            out.add("gc.cpu", "%", r.gcCpuPercent());
            if (Double.isFinite(r.allocRateMBps())) {
                out.add("alloc.rate", "MB/s", r.allocRateMBps());
            }
            return "gctrace";
        }
        if (k == Kind.HEAP_PROFILE) {
            Profile p = (Profile) it.data();
            int idx = typeIndex(p, "inuse_space");
            long sum = 0;
            SampleTable s = p.samples();
            for (int i = 0; idx >= 0 && i < s.size(); i++) {
                sum += s.value(i, idx);
            }
            out.add("heap.live", "bytes", sum);
            return "heap";
        }
        if (k == Kind.GOROUTINES) {
            out.add("goroutines.count", "goroutines", ((GoroutineDump) it.data()).total());
            return "goroutines";
        }
        if (k == Kind.CPU_PROFILE) {
            out.add("cpu.hot_stack_depth", "frames", hotStackDepth((Profile) it.data()));
            return "cpu";
        }
        return k.name().toLowerCase(Locale.ROOT).replace("_profile", "");
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
     * Metrics of Go benchmark output, read by {@link BenchReader}: one per benchmark and unit, named
     * "Benchmark" + the full name (sub-benchmark parts and -procs suffix included), in the unit as
     * benchfmt tidies it (sec/op, B/op, B/s...), with one value per result line in file order. The
     * reader's warnings (malformed lines) are added to {@code warnings}. A file without a single
     * valid result is refused as {@code godiag bench} refuses it. Returns the units' better= metadata.
     */
    private static Map<String, String> benchMetrics(String name, byte[] data, MetricTable out,
                                                    List<String> warnings) {
        BenchFile f = BenchReader.read(name, new String(data, StandardCharsets.UTF_8));
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
            r.values().forEach((unit, v) -> out.add(metric, unit, v));
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

    /** {"metrics":[{"name":"x","unit":"u","values":[1,2]}...]} */
    static List<Metric> metricsJson(String name, byte[] data) {
        List<Metric> out = new ArrayList<>();
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
                    out.add(new Metric(mName, unit, vals));
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
