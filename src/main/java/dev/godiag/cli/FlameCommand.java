package dev.godiag.cli;

import dev.godiag.analysis.profile.CallTree;
import dev.godiag.analysis.profile.SampleIndex;
import dev.godiag.util.Units;
import dev.godiag.analysis.profile.Stacks;
import dev.godiag.util.BadInputException;
import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.model.Profile;
import dev.godiag.report.FlameHtmlRenderer;
import dev.godiag.report.FoldedRenderer;
import dev.godiag.report.ProfileLegend;
import dev.godiag.report.SpeedscopeRenderer;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** godiag flame: a profile's stacks exported as folded stacks, speedscope JSON or profile.proto. */
final class FlameCommand implements Command {
    static final int DEFAULT_MAX_NODES = 200_000;
    private static final List<OptionSpec> OPTIONS;

    static {
        List<OptionSpec> o = new ArrayList<>(List.of(
                OptionSpec.value("output", "FILE", "where to write ('-' or none: standard output); the extension "
                        + "picks the format when --format is not given", "o"),
                OptionSpec.value("format", "FMT", "html, folded (default), speedscope or pprof"),
                OptionSpec.value("max-nodes", "N", "html: draw at most N frames, the largest; smaller ones are "
                        + "folded into 'other' boxes with their totals (default " + DEFAULT_MAX_NODES + ")"),
                OptionSpec.value("min-fraction", "F", "html: fold frames below F of the total (e.g. 0.001) into "
                        + "'other' boxes (default 0: only --max-nodes folds)"),
                OptionSpec.value("title", "TEXT", "html: the page's title (default: the input names)")));
        o.addAll(ProfileOptions.SPECS);
        OPTIONS = List.copyOf(o);
    }

    /** The export formats. */
    enum Format {
        HTML, FOLDED, SPEEDSCOPE, PPROF
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
    static Format format(String option, String output) {
        if (option != null) {
            return switch (option.trim().toLowerCase(Locale.ROOT)) {
                case "html" -> Format.HTML;
                case "folded", "collapsed" -> Format.FOLDED;
                case "speedscope" -> Format.SPEEDSCOPE;
                case "pprof", "proto" -> Format.PPROF;
                default -> throw new BadInputException("flame: unknown --format '" + option
                        + "' (one of: html, folded, speedscope, pprof)");
            };
        }
        if (output == null || output.equals("-")) {
            return Format.FOLDED;
        }
        String name = output.toLowerCase(Locale.ROOT);
        if (name.endsWith(".html") || name.endsWith(".htm")) {
            return Format.HTML;
        }
        if (name.endsWith(".folded") || name.endsWith(".txt")) {
            return Format.FOLDED;
        }
        if (name.endsWith(".json")) {
            return Format.SPEEDSCOPE;
        }
        if (name.endsWith(".pb.gz") || name.endsWith(".pb") || name.endsWith(".pprof")) {
            return Format.PPROF;
        }
        throw new BadInputException("flame: cannot tell the format from the name '" + output
                + "' (.html, .folded/.txt, .json, .pb.gz/.pb/.pprof); give --format");
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        Format fmt = format(a.string("format", null), output);
        ProfileOptions profile = new ProfileOptions(a, name());
        List<String> warnings = new ArrayList<>();
        Profile p = profile.withLabelFrames(profile.load(), "minimum", warnings);
        int si = profile.about(() -> SampleIndex.resolve(p, profile.sampleIndex));
        Profile filtered = profile.filters().apply(p, warnings);
        Output.Body body = switch (fmt) {
            case HTML -> {
                int maxNodes = a.integer("max-nodes", DEFAULT_MAX_NODES);
                double minFraction = a.decimal("min-fraction", 0);
                if (maxNodes < 1) {
                    throw a.usage("--max-nodes must be at least 1");
                }
                if (!(minFraction >= 0 && minFraction < 1)) {
                    throw a.usage("--min-fraction must be in [0, 1), not " + a.string("min-fraction", ""));
                }
                CallTree tree = CallTree.of(filtered, si, profile.nodeOptions(), profile.tagRoot.size())
                        .truncate(maxNodes, minFraction, si);
                String title = a.string("title", String.join(" ",
                        profile.sources.stream().map(ProfileOptions::baseName).toList()));
                var type = filtered.sampleTypes().get(si);
                List<String> legend = ProfileLegend.lines(filtered, type.type(), type.unit(), tree.total(0, si),
                        v -> Units.label(v, type.unit()));
                var page = new FlameHtmlRenderer.Page(title, legend, Main.version(),
                        filtered.sampleTypes(), si, profile.mean, profile.tagRoot.size(), maxNodes, minFraction);
                yield os -> FlameHtmlRenderer.write(tree, page, null, os);
            }
            case PPROF -> os -> ProtoProfileWriter.write(filtered, os);
            case FOLDED -> {
                Stacks stacks = Stacks.of(filtered, profile.nodeOptions());
                yield os -> {
                    Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
                    FoldedRenderer.write(stacks, si, profile.mean, w);
                    w.flush();
                };
            }
            case SPEEDSCOPE -> {
                Stacks stacks = Stacks.of(filtered, profile.nodeOptions());
                String title = String.join(" ", profile.sources.stream().map(ProfileOptions::baseName).toList());
                yield os -> SpeedscopeRenderer.write(stacks, filtered.sampleTypes(), si, title, profile.mean,
                        Main.version(), os);
            }
        };
        warnings.forEach(term::warn);
        Output.write(term, output, body);
        return Main.OK;
    }
}
