package dev.godiag.cli;

import dev.godiag.engine.Engine;
import dev.godiag.analysis.goroutine.GoroutineBuckets;
import dev.godiag.analysis.goroutine.GoroutineVerdicts;
import dev.godiag.engine.GoroutinesRequest;
import dev.godiag.engine.GoroutinesResult;
import dev.godiag.engine.InvalidRequestException;
import dev.godiag.format.InputSource;
import dev.godiag.report.GoroutineHtmlRenderer;
import dev.godiag.report.GoroutineRenderers;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** godiag goroutines: what the goroutines of a service are doing, which ones leak, what grew. */
final class GoroutinesCommand implements Command {
    private static final List<OptionSpec> OPTIONS = InputOptions.with(
            OptionSpec.value("format", "FMT", "text (default), json, markdown or html (a self-contained page); "
                    + "default by -o's extension"),
            OptionSpec.value("filter", "REGEX", "only buckets with a frame (function or file:line) or creator "
                    + "matching REGEX"),
            OptionSpec.value("state", "REGEX", "only buckets whose state matches REGEX (e.g. 'chan|select')"),
            OptionSpec.value("min-count", "N", "only buckets with at least N goroutines in some snapshot"),
            OptionSpec.value("verdict", "LIST", "only these verdicts (comma-separated: definite-leak, likely-leak, "
                    + "unknown, benign; 'leaks' for the first two)"),
            OptionSpec.value("similarity", "S", "how arguments count when grouping: value (default: ignored), "
                    + "pointer (equal but for pointers), exact"),
            OptionSpec.value("many", "N", "this many identical blocked goroutines make a likely leak (default 10)"),
            OptionSpec.value("long-wait", "MINUTES", "waiting this long makes a likely leak (default 5)"),
            OptionSpec.flag("all", "text: the stack and reason of every bucket, benign ones included"));

    @Override
    public String name() {
        return "goroutines";
    }

    @Override
    public String summary() {
        return "goroutines grouped by stack, leaks found and explained, growth across snapshots";
    }

    @Override
    public String usage() {
        return "godiag goroutines [OPTIONS] SNAPSHOT...";
    }

    @Override
    public String description() {
        return """
                Reads goroutine snapshots (debug=2 dumps, panic or SIGQUIT output, debug=1 text, \
                goroutine and goroutineleak profiles; files, '-' or URLs such as \
                http://host/debug/pprof/goroutine), groups the goroutines by state, stack and \
                creation site, and gives every group a verdict with the reason and the line where \
                it blocks: definite-leak (a nil channel, select {}, the runtime's own leak \
                detection), likely-leak (blocked in the service's code and growing, waiting for \
                minutes, or many alike), benign (accept loops, idle connections, runtime workers...) \
                or unknown. With several snapshots, in time order, each group's count per snapshot \
                and its change (new, vanished, only grows...). Exit code 0 whatever the verdicts; \
                use --format json for CI checks.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        OutputFormat format = InputOptions.format(a, OutputFormat.TEXT,
                OutputFormat.JSON, OutputFormat.MARKDOWN, OutputFormat.HTML);
        List<String> operands = InputOptions.sources(a, name(), "goroutine snapshot");
        GoroutineBuckets.Similarity similarity;
        try {
            similarity = GoroutineBuckets.Similarity.parse(a.string("similarity", "value"));
        } catch (IllegalArgumentException e) {
            throw a.usage(e.getMessage());
        }
        int many = a.integer("many", GoroutineVerdicts.Thresholds.DEFAULT.manyIdentical());
        int longWait = a.integer("long-wait", GoroutineVerdicts.Thresholds.DEFAULT.longWaitMinutes());
        int minCount = a.integer("min-count", 0);
        if (many < 1 || longWait < 0 || minCount < 0) {
            throw a.usage("--many must be at least 1, --long-wait and --min-count not negative");
        }
        Pattern filter = regex(a, "filter");
        Pattern state = regex(a, "state");
        List<GoroutineVerdicts.Verdict> verdicts;
        try {
            verdicts = a.has("verdict") ? GoroutinesRequest.verdicts(a.string("verdict", "")) : null;
        } catch (InvalidRequestException e) {
            throw a.usage("--verdict: " + e.getMessage());
        }
        InputSource.FetchOptions fetch = InputOptions.fetch(a);
        Engine engine = InputOptions.engine(a, term);
        GoroutinesRequest request = new GoroutinesRequest(InputOptions.toSources(operands, fetch, term), similarity,
                new GoroutineVerdicts.Thresholds(many, longWait), minCount, filter, state, verdicts);
        GoroutinesResult r = EngineCalls.run(term, () -> engine.goroutines(request));
        String text = switch (format) {
            case HTML -> null;
            case JSON -> GoroutineRenderers.json(r.analysis(), r.names(), r.rows());
            case MARKDOWN -> GoroutineRenderers.markdown(r.analysis(), r.names(), r.rows());
            default -> GoroutineRenderers.text(r.analysis(), r.names(), r.rows(), a.flag("all"));
        };
        if (format != OutputFormat.TEXT) {
            // the text report lists them itself
            r.warnings().forEach(term::warn);
        }
        if (format == OutputFormat.HTML) {
            Output.write(term, output, os -> GoroutineHtmlRenderer.write(r.analysis(), r.names(), r.rows(),
                    Main.version(), os));
        } else {
            Output.write(term, output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        }
        return Main.OK;
    }

    private static Pattern regex(ParsedArgs a, String option) {
        String s = a.string(option, null);
        if (s == null) {
            return null;
        }
        try {
            return Pattern.compile(s);
        } catch (PatternSyntaxException e) {
            throw a.usage("--" + option + ": bad regular expression '" + s + "': " + e.getDescription());
        }
    }
}
