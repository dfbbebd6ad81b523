package dev.godiag.cli;

import dev.godiag.engine.Engine;
import dev.godiag.analysis.bench.BenchStats;
import dev.godiag.analysis.bench.BenchTables;
import dev.godiag.engine.BenchComparison;
import dev.godiag.engine.BenchRequest;
import dev.godiag.format.InputSource;
import dev.godiag.report.BenchRenderers;
import dev.godiag.util.BadInputException;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** godiag bench: benchstat's comparison of Go benchmark results. */
final class BenchCommand implements Command {
    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.value("format", "FMT", "text (default: benchstat's table), csv (benchstat's), json or markdown;"
                    + " default by -o's extension"),
            OptionSpec.value("filter", "QUERY", "only benchmarks matching QUERY: KEY:VALUE or KEY:/REGEX/ terms"
                    + " (KEY .name, .fullname, .file, /PART or a configuration key; -TERM negates), or a bare"
                    + " regular expression on the full name"),
            OptionSpec.value("row", "FIELDS", "split rows by these fields (default .fullname)"),
            OptionSpec.value("col", "FIELDS", "split columns by these fields (default .file; the first column is the"
                    + " base)"),
            OptionSpec.value("ignore", "KEYS", "ignore variations in these configuration keys"),
            OptionSpec.value("alpha", "A", "a difference is significant when p < A (default 0.05)"),
            OptionSpec.value("confidence", "LEVEL", "confidence level of the ranges (default 0.95)"),
            InputOptions.OUTPUT);

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "compare Go benchmark results as benchstat does (medians, CIs, Mann-Whitney U)";
    }

    @Override
    public String usage() {
        return "godiag bench [OPTIONS] OLD [NEW...]";
    }

    @Override
    public String description() {
        return """
                Reads files of 'go test -bench' output (the Go benchmark format; other lines are ignored) \
                and prints benchstat's table: per benchmark and unit the median with its 95% confidence \
                interval, and for each file after the first the change against the first, '~' when the \
                Mann-Whitney U test does not find it significant at alpha 0.05, with p and the sample \
                sizes; a geomean row; footnotes for small samples. Tables split by configuration (goos, \
                pkg, ...) and unit. Malformed lines are reported with file and line and skipped.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        String format = a.string("format", OutputFormat.byExtension(output)).trim().toLowerCase(Locale.ROOT);
        if (output != null && !a.has("format") && output.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            format = "csv";
        }
        if (format.equals("md")) {
            format = "markdown";
        }
        if (!List.of("text", "csv", "json", "markdown").contains(format)) {
            throw new BadInputException("unknown --format '" + format + "' (one of: text, csv, json, markdown)");
        }
        List<String> operands = InputOptions.sources(a, name(), "benchmark file");
        double alpha = a.decimal("alpha", BenchStats.DEFAULT_ALPHA);
        double confidence = a.decimal("confidence", BenchStats.DEFAULT_CONFIDENCE);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw a.usage("--alpha must be in range [0, 1]");
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw a.usage("--confidence must be in range [0, 1]");
        }
        Engine engine = new Engine(term.baseContext()); // benchmark files are read as they are, never inflated
        BenchTables.Options o = new BenchTables.Options(a.string("row", ".fullname"), a.string("col", ".file"),
                a.string("ignore", ""), a.string("filter", "*"), confidence, alpha);
        BenchRequest request = new BenchRequest(InputOptions.toSources(operands, InputSource.FetchOptions.DEFAULT,
                term), o);
        BenchComparison r = EngineCalls.run(term, () -> engine.bench(request));
        r.warnings().forEach(term::warn);
        List<BenchTables.Table> tables = r.tables();
        String fmt = format;
        List<String> csvWarnings = new ArrayList<>();
        Output.write(term, output, os -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
            switch (fmt) {
                case "csv" -> BenchRenderers.csv(tables, csvWarnings, w);
                case "json" -> BenchRenderers.json(tables, w);
                case "markdown" -> BenchRenderers.markdown(tables, w);
                default -> BenchRenderers.text(tables, w);
            }
            w.flush();
        });
        csvWarnings.forEach(term::warn);
        return Main.OK;
    }
}
