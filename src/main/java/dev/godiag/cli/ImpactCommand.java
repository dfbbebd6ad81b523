package dev.godiag.cli;

import dev.godiag.analysis.bench.BenchStats;
import dev.godiag.engine.ImpactRequest;
import dev.godiag.engine.ImpactResult;
import dev.godiag.format.InputSource;
import dev.godiag.format.Source;
import dev.godiag.report.ImpactReport;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * godiag impact: what a Go toolchain upgrade changed, benchmarks (benchstat's comparison) and CPU
 * profiles (godiag diff's) in one report. The sides are told apart by the benchmark files' go: or
 * goversion: configuration key, or by the groups OLD... -- NEW....
 */
final class ImpactCommand implements Command {
    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.value("format", "FMT", "text (default), json or markdown; default by -o's extension"),
            OptionSpec.value("nodecount", "N", "profiles: at most N functions in each list (default 20; 0: all)"),
            OptionSpec.value("filter", "QUERY", "only benchmarks matching QUERY (as godiag bench --filter)"),
            OptionSpec.value("alpha", "A", "a difference is significant when p < A (default 0.05)"),
            OptionSpec.value("confidence", "LEVEL", "confidence level of the ranges (default 0.95)"),
            InputOptions.OUTPUT);

    @Override
    public String name() {
        return "impact";
    }

    @Override
    public String summary() {
        return "what a Go upgrade changed: benchmarks and CPU profiles of two toolchains in one report";
    }

    @Override
    public String usage() {
        return "godiag impact [OPTIONS] OLD... [-- NEW...]";
    }

    @Override
    public String description() {
        return """
                Compares the same benchmarks and CPU profiles produced by two Go toolchains. Inputs are \
                files of 'go test -bench' output and profiles (told apart by content). The sides are the \
                groups before and after '--'; without '--', the benchmark files' 'go:' or 'goversion:' \
                configuration line decides (the older version is the base) and every input must be a \
                benchmark file. The report has benchstat's table per benchmark and unit (as godiag bench \
                with the old side as the base column), the CPU profiles' top gainers and losers by flat \
                and cum with NEW scaled to OLD's total (as godiag diff), and the runtime functions that \
                have samples on one side only (a path renamed or added between versions) with what they do.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        OutputFormat format = OutputFormat.parse(a.string("format", OutputFormat.byExtension(output)),
                OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN);
        int nodeCount = a.integer("nodecount", 20);
        if (nodeCount < 0) {
            throw a.usage("--nodecount must not be negative");
        }
        double alpha = a.decimal("alpha", BenchStats.DEFAULT_ALPHA);
        double confidence = a.decimal("confidence", BenchStats.DEFAULT_CONFIDENCE);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw a.usage("--alpha must be in range [0, 1]");
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw a.usage("--confidence must be in range [0, 1]");
        }
        int sep = a.separatorIndex();
        List<String> operands = a.operands();
        if (operands.isEmpty()) {
            throw ArgParser.noOperands(name(), "benchmark file or profile");
        }
        List<Source> old;
        List<Source> neu;
        if (sep >= 0) {
            old = sources(Globs.expand(operands.subList(0, sep)), term);
            neu = sources(Globs.expand(operands.subList(sep, operands.size())), term);
            if (old.isEmpty() || neu.isEmpty()) {
                throw a.usage("wants inputs on both sides of '--' (OLD... -- NEW...)");
            }
        } else {
            // no groups: the benchmark files' go: lines tell the sides apart
            old = sources(Globs.expand(operands), term);
            neu = List.of();
        }
        ImpactResult result = term.engine().impact(new ImpactRequest(old, neu, nodeCount, a.string("filter", "*"),
                alpha, confidence));
        result.warnings().forEach(term::warn);
        ImpactReport report = result.report();
        String text = switch (format) {
            case JSON -> report.json();
            case MARKDOWN -> report.markdown();
            default -> report.text();
        };
        Output.write(term, output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        return Main.OK;
    }

    private static List<Source> sources(List<String> operands, Terminal term) {
        return InputOptions.toSources(operands, InputSource.FetchOptions.DEFAULT, term);
    }
}
