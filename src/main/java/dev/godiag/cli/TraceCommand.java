package dev.godiag.cli;

import dev.godiag.analysis.trace.BlockingKind;
import dev.godiag.engine.Engine;
import dev.godiag.engine.TraceRequest;
import dev.godiag.engine.TraceResult;
import dev.godiag.format.InputSource;
import dev.godiag.format.Source;
import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.report.TraceHtmlRenderer;
import dev.godiag.report.TraceRenderers;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** godiag trace: what an execution trace says about waiting, scheduling, GC and user tasks. */
final class TraceCommand implements Command {
    private static final List<OptionSpec> OPTIONS = InputOptions.with(
            OptionSpec.value("format", "FMT", "text (default), json, markdown or html (a self-contained page);"
                    + " default by -o's extension"),
            OptionSpec.value("seconds", "N", "for a URL: how long the trace runs (/debug/pprof/trace?seconds=N)"),
            OptionSpec.value("pprof", "KIND", "write the blocking profile net, sync, syscall or sched as"
                    + " profile.proto (go tool trace -pprof=KIND) instead of the report; several (net,sync) or"
                    + " all: -o names a directory, one KIND.pprof each"));

    @Override
    public String name() {
        return "trace";
    }

    @Override
    public String summary() {
        return "where goroutines waited and for how long, from a Go execution trace";
    }

    @Override
    public String usage() {
        return "godiag trace [OPTIONS] TRACE";
    }

    @Override
    public String description() {
        return """
                Reads an execution trace written by runtime/trace, /debug/pprof/trace or go test -trace \
                (Go 1.11 and later; gzipped or not; a file is streamed generation by generation, so \
                traces of hundreds of MB are read in bounded memory) and reports what it covers, where \
                goroutines waited (the four profiles of go tool trace -pprof), the goroutines by start \
                function with the split of their time, scheduler latency, GC pauses and minimum mutator \
                utilization, goroutine states over time, user tasks and regions, and the goroutines \
                blocked to the end. --pprof KIND writes instead the profile go tool trace -pprof=KIND \
                writes (gzipped profile.proto), for godiag top, flame and diff or go tool pprof; \
                --pprof all -o DIR writes the four. A damaged or truncated trace is read up to the \
                damage, with one warning.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        List<BlockingKind> kinds = pprofKinds(a);
        if (kinds.size() > 1 && (output == null || output.equals("-"))) {
            throw a.usage("--pprof with several kinds writes one file each: -o DIR names their directory");
        }
        OutputFormat format = InputOptions.format(a, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN,
                OutputFormat.HTML);
        List<String> operands = InputOptions.sources(a, name(), "execution trace");
        if (operands.size() != 1) {
            throw a.usage("one trace at a time");
        }
        InputSource.FetchOptions fetch = InputOptions.fetch(a);
        Engine engine = InputOptions.engine(a, term);
        Source source = InputOptions.toSources(operands, fetch, term).get(0);
        TraceResult r = EngineCalls.run(term, () -> engine.trace(new TraceRequest(source)));
        if (!kinds.isEmpty()) {
            r.warnings().forEach(term::warn);
            if (kinds.size() == 1) {
                Output.write(term, output, os -> ProtoProfileWriter.write(
                        r.analysis().blocking().get(kinds.get(0)).toProfile(), os));
                return Main.OK;
            }
            Path dir = Path.of(output);
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new BadInputException(output + ": cannot create the directory: " + e.getMessage());
            }
            for (BlockingKind k : kinds) {
                Output.write(term, dir.resolve(k.flag() + ".pprof").toString(),
                        os -> ProtoProfileWriter.write(r.analysis().blocking().get(k).toProfile(), os));
            }
            return Main.OK;
        }
        if (format != OutputFormat.TEXT) {
            // the text report shows them itself
            r.warnings().forEach(term::warn);
        }
        if (format == OutputFormat.HTML) {
            Output.write(term, output, os -> TraceHtmlRenderer.write(r.analysis(), Main.version(), os));
            return Main.OK;
        }
        String text = switch (format) {
            case JSON -> TraceRenderers.json(r.analysis());
            case MARKDOWN -> TraceRenderers.markdown(r.analysis());
            default -> TraceRenderers.text(r.analysis());
        };
        Output.write(term, output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        return Main.OK;
    }

    /** The kinds --pprof names: one, several separated by commas, or all; none without the option. */
    private static List<BlockingKind> pprofKinds(ParsedArgs a) {
        String pprof = a.string("pprof", null);
        if (pprof == null) {
            return List.of();
        }
        if (pprof.equals("all")) {
            return List.of(BlockingKind.values());
        }
        List<BlockingKind> kinds = new ArrayList<>();
        for (String name : pprof.split(",")) {
            BlockingKind k = BlockingKind.ofFlag(name.strip()).orElseThrow(() -> a.usage(
                    "--pprof takes net, sync, syscall, sched (several separated by commas) or all, not " + name));
            if (!kinds.contains(k)) {
                kinds.add(k);
            }
        }
        return kinds;
    }
}
