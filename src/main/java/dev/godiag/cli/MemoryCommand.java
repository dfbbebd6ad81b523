package dev.godiag.cli;

import dev.godiag.engine.Engine;
import dev.godiag.engine.InvalidRequestException;
import dev.godiag.engine.MemoryRequest;
import dev.godiag.engine.MemoryResult;
import dev.godiag.format.InputSource;
import dev.godiag.report.MemoryRenderers;
import dev.godiag.report.RuntimeHtmlRenderer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** godiag memory: does the heap come back, and if not, where does it go. */
final class MemoryCommand implements Command {
    private static final List<OptionSpec> OPTIONS = InputOptions.with(
            OptionSpec.value("format", "FMT", "text (default), json, markdown or html (a self-contained page with"
                    + " charts); default by -o's extension"));

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String summary() {
        return "heap growth over time: stable, growing or leaking, and the allocation sites that grow";
    }

    @Override
    public String usage() {
        return "godiag memory [OPTIONS] SNAPSHOT...";
    }

    @Override
    public String description() {
        return """
                Fits a line through the live heap over time and gives a verdict (stable, growing, \
                leaking; unknown with fewer than three points) with the slope and its 95% interval. \
                Inputs, by content: a series of heap profiles in time order (files or \
                http://host/debug/pprof/heap URLs: then also the allocation sites, function and \
                file:line, whose inuse_space grows, per snapshot), a series of /debug/vars JSON or \
                Prometheus snapshots (HeapAlloc, HeapObjects), or one gctrace log (the live heap after \
                each GC).""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        OutputFormat format = InputOptions.format(a, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN,
                OutputFormat.HTML);
        List<String> operands = InputOptions.sources(a, name(), "snapshot");
        InputSource.FetchOptions fetch = InputOptions.fetch(a);
        Engine engine = InputOptions.engine(a, term);
        MemoryRequest request = new MemoryRequest(InputOptions.toSources(operands, fetch, term));
        MemoryResult r;
        try {
            r = EngineCalls.run(term, () -> engine.memory(request));
        } catch (InvalidRequestException e) {
            throw a.usage(e.getMessage());
        }
        r.warnings().forEach(term::warn);
        if (format == OutputFormat.HTML) {
            Output.write(term, output, os -> RuntimeHtmlRenderer.memory(r.growth(), r.kind(), r.names(), Main.version(),
                    os));
            return Main.OK;
        }
        String text = switch (format) {
            case JSON -> MemoryRenderers.json(r.growth(), r.kind(), r.names());
            case MARKDOWN -> MemoryRenderers.markdown(r.growth(), r.kind());
            default -> MemoryRenderers.text(r.growth(), r.kind());
        };
        Output.write(term, output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        return Main.OK;
    }
}
