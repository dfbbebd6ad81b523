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

import java.nio.charset.StandardCharsets;
import java.util.List;

/** godiag trace: what an execution trace says about waiting, scheduling, GC and user tasks. */
final class TraceCommand implements Command {
    private static final List<OptionSpec> OPTIONS = InputOptions.with(
            OptionSpec.value("format", "FMT", "text (default), json, markdown or html (a self-contained page);"
                    + " default by -o's extension"),
            OptionSpec.value("seconds", "N", "for a URL: how long the trace runs (/debug/pprof/trace?seconds=N)"),
            OptionSpec.value("pprof", "KIND", "write the blocking profile net, sync, syscall or sched as"
                    + " profile.proto (go tool trace -pprof=KIND) instead of the report"));

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
                (Go 1.22 and later; gzipped or not), streamed generation by generation so traces of \
                hundreds of MB are read in bounded memory, and reports what it covers, where goroutines waited \
                and the goroutines by start function. --pprof KIND writes instead the profile \
                go tool trace -pprof=KIND writes (gzipped profile.proto: the time goroutines spent \
                waiting on the network, on synchronization, in system calls or for a P, by the stack \
                where each wait began), for godiag top, flame and diff or go tool pprof. A damaged or \
                truncated trace is read up to the damage, with one warning.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        String pprof = a.string("pprof", null);
        BlockingKind kind = pprof == null ? null : BlockingKind.ofFlag(pprof)
                .orElseThrow(() -> a.usage("--pprof takes net, sync, syscall or sched, not " + pprof));
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
        if (kind != null) {
            r.warnings().forEach(term::warn);
            Output.write(term, output, os -> ProtoProfileWriter.write(r.analysis().blocking().get(kind).toProfile(),
                    os));
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
}
