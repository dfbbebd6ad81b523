package dev.godiag.cli;

import dev.godiag.engine.FlameRequest;
import dev.godiag.engine.FlameResult;
import dev.godiag.engine.ProfileQuery;
import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.report.FlameHtmlRenderer;
import dev.godiag.report.FoldedRenderer;
import dev.godiag.report.SpeedscopeRenderer;
import dev.godiag.util.BadInputException;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** godiag flame: a profile's stacks exported as folded stacks, speedscope JSON or profile.proto. */
final class FlameCommand implements Command {
    private static final List<OptionSpec> OPTIONS;

    static {
        List<OptionSpec> o = new ArrayList<>(List.of(
                OptionSpec.value("output", "FILE", "where to write ('-' or none: standard output); the extension "
                        + "picks the format when --format is not given", "o"),
                OptionSpec.value("format", "FMT", "html, folded (default), speedscope or pprof"),
                OptionSpec.value("max-nodes", "N", "html: draw at most N frames, the largest; smaller ones are "
                        + "folded into 'other' boxes with their totals (default " + FlameRequest.DEFAULT_MAX_NODES
                        + ")"),
                OptionSpec.value("min-fraction", "F", "html: fold frames below F of the total (e.g. 0.001) into "
                        + "'other' boxes (default 0: only --max-nodes folds)"),
                OptionSpec.value("title", "TEXT", "html: the page's title (default: the input names)")));
        o.addAll(ProfileOptions.SPECS);
        OPTIONS = List.copyOf(o);
    }

    @Override
    public String name() {
        return "flame";
    }

    @Override
    public String summary() {
        return "flame graph of a profile: interactive HTML, or folded stacks, speedscope JSON, pprof";
    }

    @Override
    public String usage() {
        return "godiag flame [OPTIONS] PROFILE... [-o FILE] [--format html|folded|speedscope|pprof]";
    }

    @Override
    public String description() {
        return """
                Writes the stacks of one or more profiles (merged) as a self-contained interactive \
                flame graph page (html: zoom, search, sandwich view, top table; no network needed), \
                or exports them for other flame graph tools: folded \
                stacks (Brendan Gregg's collapsed format: frames root first joined by ';', a space, \
                the value of the sample index), speedscope JSON (one profile per sample type) or \
                gzipped profile.proto. The format is --format, else -o's extension (.html, .htm: \
                html; .folded, .txt: folded; .json: speedscope; .pb.gz, .pb, .pprof: pprof), else \
                folded. Frames are \
                report nodes at --granularity, inlined calls as frames of their own; the filters, \
                --tagroot/--tagleaf and --base apply as in top; --tagroot's levels become the \
                page's label filter. godiag reads folded, speedscope and pprof back.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    /** The format named by --format, else by the output's extension, else folded. */
    static FlameRequest.Format format(String option, String output) {
        if (option != null) {
            return switch (option.trim().toLowerCase(Locale.ROOT)) {
                case "html" -> FlameRequest.Format.HTML;
                case "folded", "collapsed" -> FlameRequest.Format.FOLDED;
                case "speedscope" -> FlameRequest.Format.SPEEDSCOPE;
                case "pprof", "proto" -> FlameRequest.Format.PPROF;
                default -> throw new BadInputException("flame: unknown --format '" + option
                        + "' (one of: html, folded, speedscope, pprof)");
            };
        }
        if (output == null || output.equals("-")) {
            return FlameRequest.Format.FOLDED;
        }
        String name = output.toLowerCase(Locale.ROOT);
        if (name.endsWith(".html") || name.endsWith(".htm")) {
            return FlameRequest.Format.HTML;
        }
        if (name.endsWith(".folded") || name.endsWith(".txt")) {
            return FlameRequest.Format.FOLDED;
        }
        if (name.endsWith(".json")) {
            return FlameRequest.Format.SPEEDSCOPE;
        }
        if (name.endsWith(".pb.gz") || name.endsWith(".pb") || name.endsWith(".pprof")) {
            return FlameRequest.Format.PPROF;
        }
        throw new BadInputException("flame: cannot tell the format from the name '" + output
                + "' (.html, .folded/.txt, .json, .pb.gz/.pb/.pprof); give --format");
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        FlameRequest.Format fmt = format(a.string("format", null), output);
        ProfileQuery query = ProfileOptions.query(a, name(), term);
        int maxNodes = FlameRequest.DEFAULT_MAX_NODES;
        double minFraction = 0;
        if (fmt == FlameRequest.Format.HTML) {
            maxNodes = a.integer("max-nodes", FlameRequest.DEFAULT_MAX_NODES);
            minFraction = a.decimal("min-fraction", 0);
            if (maxNodes < 1) {
                throw a.usage("--max-nodes must be at least 1");
            }
            if (!(minFraction >= 0 && minFraction < 1)) {
                throw a.usage("--min-fraction must be in [0, 1), not " + a.string("min-fraction", ""));
            }
        }
        FlameResult result = InputOptions.engine(a, term).flame(new FlameRequest(query, fmt, maxNodes, minFraction,
                a.string("title", null)));
        Output.Body body = switch (result) {
            case FlameResult.Graph g -> os -> FlameHtmlRenderer.write(g.tree(), g.page(), null, os);
            case FlameResult.Pprof p -> os -> ProtoProfileWriter.write(p.profile(), os);
            case FlameResult.Folded f -> os -> {
                Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
                FoldedRenderer.write(f.stacks(), f.sampleIndex(), f.mean(), w);
                w.flush();
            };
            case FlameResult.Speedscope s -> os -> SpeedscopeRenderer.write(s.stacks(), s.sampleTypes(),
                    s.sampleIndex(), s.name(), s.mean(), s.generator(), os);
        };
        result.warnings().forEach(term::warn);
        Output.write(term, output, body);
        return Main.OK;
    }
}
