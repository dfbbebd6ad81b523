package dev.godiag.cli;

import dev.godiag.engine.GateThresholdsYaml;
import dev.godiag.engine.Engine;
import dev.godiag.analysis.bench.BenchStats;
import dev.godiag.analysis.bench.GateEvaluation;
import dev.godiag.analysis.bench.GateThresholds;
import dev.godiag.engine.GateRequest;
import dev.godiag.engine.GateResult;
import dev.godiag.engine.NoSuchBaselineException;
import dev.godiag.format.InputSource;
import dev.godiag.format.Source;
import dev.godiag.report.GateRenderers;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
            thresholds = GateThresholdsYaml.parse(tf, readText(tf), def);
        }
        Engine engine = InputOptions.engine(a, term);

        List<String> baselineArgs = a.list("baseline");
        if (baselineArgs.isEmpty()) {
            throw a.usage("--baseline NAME|FILE is required");
        }
        List<String> candidates = new ArrayList<>(Globs.expand(a.list("candidate")));
        candidates.addAll(Globs.expand(a.operands()));
        if (candidates.isEmpty()) {
            throw a.usage("--candidate FILE is required");
        }
        GateRequest.Baseline baseline = baseline(a, baselineArgs, term);
        GateRequest request = new GateRequest(baseline, files(candidates, term), thresholds, alpha, confidence);
        GateResult r;
        try (Stores store = new Stores(a, term)) {
            r = EngineCalls.run(term, () -> engine.gate(request, store));
        } catch (NoSuchBaselineException e) {
            throw new BadInputException("--baseline " + e.name() + ": no such file, and no baseline of that name in "
                    + e.location());
        }
        r.warnings().forEach(term::warn);
        GateEvaluation.Result result = r.evaluation();
        String fmt = format;
        Output.write(term, output, os -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
            switch (fmt) {
                case "json" -> w.write(GateRenderers.json(result));
                case "markdown" -> w.write(GateRenderers.markdown(result));
                case "junit" -> w.write(GateRenderers.junit(result));
                default -> GateRenderers.text(result, w);
            }
            w.flush();
        });
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

    /** --baseline: existing files are inputs, anything else one stored baseline's name. */
    private static GateRequest.Baseline baseline(ParsedArgs a, List<String> args, Terminal term) {
        List<String> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String s : Globs.expand(args)) {
            (Files.exists(Path.of(s)) ? files : names).add(s);
        }
        if (names.isEmpty()) {
            return new GateRequest.Baseline.Inputs(files(files, term));
        }
        if (names.size() > 1 || !files.isEmpty()) {
            throw a.usage("--baseline takes one stored baseline name or files, not both (no such file or baseline"
                    + " mixed in: " + String.join(", ", names) + ")");
        }
        return new GateRequest.Baseline.Stored(names.get(0));
    }

    /** Files whose content is read (and could be stored): standard input and URLs are refused. */
    static List<Source> files(List<String> operands, Terminal term) {
        for (String f : operands) {
            if (f.equals("-") || InputSource.isUrl(f)) {
                throw new BadInputException(f + ": baseline save reads files (their content is stored)");
            }
        }
        return InputOptions.toSources(operands, InputSource.FetchOptions.DEFAULT, term);
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
