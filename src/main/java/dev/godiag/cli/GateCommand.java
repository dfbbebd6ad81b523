package dev.godiag.cli;

import dev.godiag.analysis.bench.BenchStats;
import dev.godiag.analysis.bench.GateEvaluation;
import dev.godiag.analysis.bench.GateThresholds;
import dev.godiag.util.BadInputException;
import dev.godiag.format.bench.BenchReader;
import dev.godiag.store.BaselineStore;
import dev.godiag.store.StoreException;
import dev.godiag.report.GateRenderers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** godiag gate: compares a candidate against a baseline and fails (exit 1) on a significant regression. */
final class GateCommand implements Command {
    static final int FAILED = 1;
    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.list("baseline", "NAME|FILE", "the baseline: a stored baseline's name (its newest run; the"
                    + " memory trend rule reads its history) or input files (repeat the option or quote a glob)"),
            OptionSpec.list("candidate", "FILE", "candidate input files: Go benchmark output, metrics JSON, gctrace"
                    + " logs, heap/CPU profiles, goroutine snapshots (operands are candidates too)"),
            OptionSpec.value("threshold", "PCT", "the smallest change that counts (default 5%)"),
            OptionSpec.value("thresholds", "FILE", "YAML: {default: 5%, rules: [{match: REGEX, unit: U, threshold: 10%}]}"),
            OptionSpec.value("alpha", "A", "a change is significant when p < A (default 0.05)"),
            OptionSpec.value("confidence", "LEVEL", "confidence level of the intervals (default 0.95)"),
            OptionSpec.value("db", "URL", "the database of stored baselines (as for 'godiag baseline')"),
            OptionSpec.value("format", "FMT", "text (default), markdown, json or junit; default by -o's extension"
                    + " (.md, .json, .xml)"),
            OptionSpec.value("max-inflate", "SIZE", "refuse gzip input inflating beyond SIZE (default 1g)"),
            InputOptions.OUTPUT);

    @Override
    public String name() {
        return "gate";
    }

    @Override
    public String summary() {
        return "the CI performance gate: fail on significant regressions against a baseline";
    }

    @Override
    public String usage() {
        return "godiag gate --baseline NAME|FILE... --candidate FILE... [OPTIONS]";
    }

    @Override
    public String description() {
        return """
                Compares every metric the candidate shares with the baseline (per benchmark and unit, and \
                the profile-derived metrics of 'godiag baseline save'): medians with confidence intervals \
                and the Mann-Whitney U test as 'godiag bench'. A metric regresses when the change is \
                significant (p < alpha) AND beyond its threshold in the worse direction (sec/op, B/op, \
                allocs/op and profile metrics: lower is better; B/s and req/s: higher; a Unit line's better= wins). \
                A metric with a single value on a side is judged by the threshold alone. With a stored \
                baseline, heap.live growing more than 10% in each of the last 3 runs (recorded runs, then \
                the candidate) fails too. Exit 0: pass, 1: a regression, 2: bad input.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    /** One side of the comparison: metrics in order and the better= metadata of their units. */
    private record Side(List<BaselineStore.Metric> metrics, Map<String, String> better, List<Double> heapHistory) {
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        String format = format(a, output);
        double alpha = a.decimal("alpha", BenchStats.DEFAULT_ALPHA);
        double confidence = a.decimal("confidence", BenchStats.DEFAULT_CONFIDENCE);
        if (!(alpha > 0 && alpha <= 1)) {
            throw a.usage("--alpha must be in range (0, 1]");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw a.usage("--confidence must be in range (0, 1)");
        }
        double def = a.has("threshold") ? GateThresholds.parsePercent("--threshold", a.string("threshold", ""))
                : GateThresholds.DEFAULT_PERCENT;
        GateThresholds thresholds = GateThresholds.of(def);
        String tf = a.string("thresholds", null);
        if (tf != null) {
            thresholds = GateThresholds.parse(tf, readText(tf), def);
        }
        String max = a.string("max-inflate", null);
        long limit = max != null ? dev.godiag.format.Gzip.parseSize(max) : dev.godiag.format.Gzip.configuredLimit();

        List<String> baselineArgs = a.list("baseline");
        if (baselineArgs.isEmpty()) {
            throw a.usage("--baseline NAME|FILE is required");
        }
        List<String> candidates = new ArrayList<>(Globs.expand(a.list("candidate")));
        candidates.addAll(Globs.expand(a.operands()));
        if (candidates.isEmpty()) {
            throw a.usage("--candidate FILE is required");
        }
        Side candidate = files(candidates, limit, term::warn);
        Side baseline = baselineSide(a, baselineArgs, limit, term::warn);

        GateEvaluation.Result result = evaluate(baseline, candidate, thresholds, alpha, confidence);
        String text = switch (format) {
            case "json" -> GateRenderers.json(result);
            case "markdown" -> GateRenderers.markdown(result);
            case "junit" -> GateRenderers.junit(result);
            default -> GateRenderers.text(result);
        };
        Output.write(term, output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        if (output != null && !output.equals("-")) {
            // the verdict also reaches the CI log when the report goes to a file
            GateRenderers.regressionLines(result).forEach(l -> term.warn("godiag: gate: regression: " + l));
        }
        return result.pass() ? Main.OK : FAILED;
    }

    private static String format(ParsedArgs a, String output) {
        String byName = OutputFormat.byExtension(output);
        if (output != null && output.toLowerCase(Locale.ROOT).endsWith(".xml")) {
            byName = "junit";
        }
        String f = a.string("format", byName).trim().toLowerCase(Locale.ROOT);
        if (f.equals("md")) {
            f = "markdown";
        }
        if (f.equals("xml")) {
            f = "junit";
        }
        if (!List.of("text", "markdown", "json", "junit").contains(f)) {
            throw new BadInputException("unknown --format '" + f + "' (one of: text, markdown, json, junit)");
        }
        return f;
    }

    static GateEvaluation.Result evaluate(Side baseline, Side candidate, GateThresholds thresholds, double alpha,
                                          double confidence) {
        Map<String, BaselineStore.Metric> cand = new LinkedHashMap<>();
        for (BaselineStore.Metric m : candidate.metrics()) {
            cand.put(key(m), m);
        }
        List<GateEvaluation.Metric> out = new ArrayList<>();
        List<String> baselineOnly = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (BaselineStore.Metric b : baseline.metrics()) {
            BaselineStore.Metric c = cand.get(key(b));
            if (c == null || c.values().isEmpty() || b.values().isEmpty()) {
                baselineOnly.add(b.name() + " " + b.unit());
                continue;
            }
            seen.add(key(b));
            String better = candidate.better().getOrDefault(b.unit(), baseline.better().get(b.unit()));
            // derived metrics are lower-is-better, except a rate of requests (load.throughput, req/s)
            GateEvaluation.Better dir = b.name().startsWith("Benchmark") ? GateEvaluation.direction(b.unit(), better)
                    : "req/s".equals(b.unit()) ? GateEvaluation.Better.HIGHER : GateEvaluation.Better.LOWER;
            out.add(GateEvaluation.compare(b.name(), b.unit(), dir, array(b.values()), array(c.values()),
                    thresholds.percentFor(b.name(), b.unit()), alpha, confidence));
        }
        List<String> candidateOnly = new ArrayList<>();
        cand.forEach((k, m) -> {
            if (!seen.contains(k)) {
                candidateOnly.add(m.name() + " " + m.unit());
            }
        });
        if (out.isEmpty()) {
            throw new BadInputException("the baseline and the candidate have no metric in common (baseline: "
                    + abbreviate(baselineOnly) + "; candidate: " + abbreviate(candidateOnly) + ")");
        }
        GateEvaluation.Trend trend = null;
        if (baseline.heapHistory() != null) {
            List<Double> series = new ArrayList<>(baseline.heapHistory());
            cand.values().stream().filter(m -> m.name().equals(GateEvaluation.HEAP_LIVE) && !m.values().isEmpty())
                    .findFirst().ifPresent(m -> series.add(GateEvaluation.median(m.values())));
            trend = GateEvaluation.memoryTrend(series);
        }
        return new GateEvaluation.Result(out, baselineOnly, candidateOnly, trend, alpha);
    }

    private static String abbreviate(List<String> l) {
        if (l.isEmpty()) {
            return "none";
        }
        return l.size() <= 3 ? String.join(", ", l) : String.join(", ", l.subList(0, 3)) + " and " + (l.size() - 3)
                + " more";
    }

    private static String key(BaselineStore.Metric m) {
        return m.name() + "\u0000" + m.unit();
    }

    private static double[] array(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Side baselineSide(ParsedArgs a, List<String> args, long limit,
                                     java.util.function.Consumer<String> warn) {
        List<String> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String s : Globs.expand(args)) {
            (Files.exists(Path.of(s)) ? files : names).add(s);
        }
        if (names.isEmpty()) {
            return files(files, limit, warn);
        }
        if (names.size() > 1 || !files.isEmpty()) {
            throw a.usage("--baseline takes one stored baseline name or files, not both (no such file or baseline"
                    + " mixed in: " + String.join(", ", names) + ")");
        }
        String name = names.get(0);
        String db = a.string("db", System.getenv("GODIAG_DB"));
        try (BaselineStore store = BaselineStore.open(db)) {
            List<BaselineStore.Run> runs = store.history(name, GateEvaluation.TREND_STEPS + 1);
            if (runs.isEmpty()) {
                throw new BadInputException("--baseline " + name + ": no such file, and no baseline of that name in "
                        + store.location().display());
            }
            BaselineStore.Run latest = runs.get(0);
            Map<String, String> better = new HashMap<>();
            for (BaselineStore.StoredInput in : latest.inputs()) {
                if (in.kind().equals("bench")) {
                    store.content(latest.id(), in.position()).ifPresent(bytes ->
                            betterOf(BenchReader.read(name + ":" + in.name(), new String(bytes, StandardCharsets.UTF_8))
                                    .units(), better));
                }
            }
            List<Double> heap = new ArrayList<>();
            for (int i = runs.size() - 1; i >= 0; i--) {
                runs.get(i).metrics().stream().filter(m -> m.name().equals(GateEvaluation.HEAP_LIVE)
                        && !m.values().isEmpty()).findFirst().ifPresent(m -> heap.add(GateEvaluation.median(m.values())));
            }
            return new Side(latest.metrics(), better, heap);
        } catch (StoreException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    /** Reads input files as 'godiag baseline save' does (the same kinds and derived metrics). */
    private static Side files(List<String> files, long limit, java.util.function.Consumer<String> warn) {
        BaselineInputs.Read read = BaselineInputs.read(files, limit);
        read.warnings().forEach(warn);
        Map<String, String> better = new HashMap<>();
        for (BaselineStore.Input in : read.inputs()) {
            if (in.kind().equals("bench")) {
                betterOf(BenchReader.read(in.name(), new String(in.content(), StandardCharsets.UTF_8)).units(), better);
            }
        }
        return new Side(read.metrics(), better, null);
    }

    private static void betterOf(Map<String, Map<String, String>> units, Map<String, String> into) {
        units.forEach((unit, meta) -> {
            String b = meta.get("better");
            if (b != null) {
                into.put(unit, b);
            }
        });
    }

    private static String readText(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage());
        }
    }
}
