package dev.godiag.cli;

import dev.godiag.analysis.compiler.EscapeReport;
import dev.godiag.diagnosis.KnowledgeBase;
import dev.godiag.engine.Engine;
import dev.godiag.engine.EscapeRequest;
import dev.godiag.engine.InvalidRequestException;
import dev.godiag.format.InputSource;
import dev.godiag.format.Source;
import dev.godiag.report.EscapeRenderers;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** godiag escape: why allocations go to the heap, from the compiler's own words, ranked by profiles. */
final class EscapeCommand implements Command {
    private static final List<OptionSpec> OPTIONS = InputOptions.with(
            OptionSpec.value("format", "FMT", "text (default), json or markdown; default by -o's extension"),
            OptionSpec.list("profile", "FILE", "an allocs or heap profile (ranks the escapes and lists the"
                    + " allocation sites with their reason) or a CPU profile (hot functions with their inlining,"
                    + " bounds checks at hot lines) of the same build (repeatable)"),
            OptionSpec.value("top", "N", "allocation sites and hot functions listed (default 10)"));

    @Override
    public String name() {
        return "escape";
    }

    @Override
    public String summary() {
        return "why allocations go to the heap: the compiler's escape analysis, inlining and bounds checks, joined to profiles";
    }

    @Override
    public String usage() {
        return "godiag escape [OPTIONS] LOG...";
    }

    @Override
    public String description() {
        return """
                Reads the Go compiler's diagnostics (Go 1.19 to 1.27): the output of go build \
                -gcflags=-m or -m=2 (escapes with the flow that forces them, inlining decisions with \
                their cost against the budget, inlined calls), the files of -gcflags=-json=0,file://DIR \
                and the output of -gcflags=-d=ssa/check_bce/debug=1 (bounds checks left in). Each escape \
                is shown with its file:line:column, what escapes and why (returned, captured by a \
                closure, converted to an interface, stored where the heap reaches it, passed to a leaking \
                parameter, too large, non-constant size). With --profile, an allocs or heap profile of \
                the same build ranks the escapes by the bytes allocated at their line and lists its \
                heaviest allocation sites with the reason; a CPU profile lists the hot functions with \
                the inliner's decision and the bounds checks at hot lines. Files and lines must match: \
                a profile of another build joins nothing. LOG may be - for standard input, or the DIR \
                of -json=0,file://DIR (its .json files are read).""";
    }

    /** The operands with each directory replaced by its .json files (the layout -json=0,file://DIR writes). */
    private static List<String> jsonDirectories(List<String> operands) {
        List<String> out = new ArrayList<>();
        for (String o : operands) {
            Path p = Path.of(o);
            if (!o.equals("-") && Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    List<String> json = files.filter(f -> Files.isRegularFile(f) && f.toString().endsWith(".json"))
                            .map(Path::toString).sorted().toList();
                    if (json.isEmpty()) {
                        throw new BadInputException(o + ": a directory without .json files (of go build"
                                + " -gcflags=-json=0,file://DIR)");
                    }
                    out.addAll(json);
                } catch (IOException | UncheckedIOException e) {
                    throw new BadInputException(o + ": cannot list the directory: " + e.getMessage());
                }
            } else {
                out.add(o);
            }
        }
        return out;
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        OutputFormat format = InputOptions.format(a, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN);
        List<String> operands = InputOptions.sources(a, name(), "compiler log");
        int top = a.integer("top", EscapeRequest.DEFAULT_TOP);
        Engine engine = InputOptions.engine(a, term);
        InputSource.FetchOptions fetch = InputOptions.fetch(a);
        List<Source> logs = InputOptions.toSources(jsonDirectories(operands), fetch, term);
        List<Source> profiles = InputOptions.toSources(Globs.expand(a.list("profile")), fetch, term);
        EscapeReport r;
        try {
            r = EngineCalls.run(term, () -> engine.escape(new EscapeRequest(logs, profiles, top)));
        } catch (InvalidRequestException e) {
            throw a.usage(e.getMessage());
        }
        if (format != OutputFormat.TEXT) {
            r.warnings().forEach(term::warn); // the text report shows them itself
        }
        KnowledgeBase kb = KnowledgeBase.shipped();
        String text = switch (format) {
            case JSON -> EscapeRenderers.json(r, Main.version());
            case MARKDOWN -> EscapeRenderers.markdown(r, kb);
            default -> EscapeRenderers.text(r, kb);
        };
        Output.write(term, output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        return Main.OK;
    }
}
