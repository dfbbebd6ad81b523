package dev.godiag.cli;

import dev.godiag.analysis.Filters;
import dev.godiag.analysis.NodeGraph;
import dev.godiag.analysis.NodeOptions;
import dev.godiag.analysis.ProfileDiff;
import dev.godiag.analysis.ProfileMerger;
import dev.godiag.analysis.SampleIndex;
import dev.godiag.format.BadInputException;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.model.Profile;
import dev.godiag.report.DiffRenderers;
import dev.godiag.report.DiffView;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** godiag diff: what changed between two profiles of one kind, function by function. */
final class DiffCommand implements Command {
    /** ProfileOptions' options that make sense for two single profiles compared. */
    private static final Set<String> NOT_HERE = Set.of("base", "diff-base", "normalize", "mean", "mean-delay",
            "tagroot", "tagleaf", "add-comment");
    private static final List<OptionSpec> OPTIONS;

    static {
        List<OptionSpec> o = new ArrayList<>(List.of(
                OptionSpec.value("nodecount", "N", "show at most N rows in each list (default 20; 0: all)"),
                OptionSpec.flag("normalize", "scale NEW to BASE's total first (default; --normalize=false for "
                        + "absolute values)"),
                OptionSpec.value("unit", "UNIT", "show values in UNIT (ms, MB...); default: chosen as top does"),
                OptionSpec.value("format", "FMT", "text (default), json or markdown")));
        for (OptionSpec s : ProfileOptions.SPECS) {
            String target = s.presetOf() != null ? s.presetOf() : s.name();
            if (!NOT_HERE.contains(target)) {
                o.add(s);
            }
        }
        OPTIONS = List.copyOf(o);
    }

    @Override
    public String name() {
        return "diff";
    }

    @Override
    public String summary() {
        return "what grew and what shrank between two profiles, function by function";
    }

    @Override
    public String usage() {
        return "godiag diff [OPTIONS] BASE NEW";
    }

    @Override
    public String description() {
        return """
                Compares two profiles of the same kind (e.g. a heap before and after, a CPU profile of \
                two releases) node by node: flat and cum of each side, their change and the change in \
                percent of BASE, listed as the top gainers and losers by flat and by cum. NEW is first \
                scaled to BASE's total (as pprof's -normalize), so a longer CPU profile does not look \
                like a regression; --normalize=false compares absolute values. The deltas are the rows \
                of 'go tool pprof -top -diff_base=BASE [-normalize] NEW'.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a) {
        OutputFormat format = OutputFormat.parse(a.string("format", "text"), OutputFormat.TEXT, OutputFormat.JSON,
                OutputFormat.MARKDOWN);
        int nodeCount = a.integer("nodecount", 20);
        if (nodeCount < 0) {
            throw a.usage("--nodecount must not be negative");
        }
        boolean normalize = !a.has("normalize") || a.flag("normalize");
        List<String> operands = Globs.expand(a.operands());
        if (operands.size() != 2) {
            throw a.usage("wants two profiles, BASE and NEW, not " + operands.size());
        }
        ProfileOptions opts = new ProfileOptions(a, name());
        long limit = opts.inflateLimit();
        InputSource.FetchOptions fetch = opts.fetchOptions();
        String baseName = operands.get(0);
        String newName = operands.get(1);
        Profile base = named(baseName, () -> ProfileMerger.combine(List.of(ProfileLoader.load(baseName, fetch,
                limit))));
        Profile neu = named(newName, () -> ProfileMerger.combine(List.of(ProfileLoader.load(newName, fetch, limit))));
        ProfileDiff.Prepared p;
        try {
            p = ProfileDiff.prepare(base, neu, normalize, a.flag("all-frames"));
        } catch (BadInputException e) {
            throw new BadInputException(ProfileLoader.displayName(baseName) + " and "
                    + ProfileLoader.displayName(newName) + ": " + e.getMessage(), e);
        }
        int si = named(newName, () -> SampleIndex.resolve(p.neu(), opts.sampleIndex));

        List<String> warnings = new ArrayList<>();
        Filters filters = opts.filters();
        NodeOptions nodeOptions = opts.nodeOptions();
        Profile fb = filters.apply(p.base(), warnings);
        Profile fn = filters.apply(p.neu(), new ArrayList<>()); // one warning per filter is enough
        NodeGraph gb = NodeGraph.build(fb, si, nodeOptions);
        NodeGraph gn = NodeGraph.build(fn, si, nodeOptions);
        var type = p.neu().sampleTypes().get(si);
        ProfileDiff.Result result = ProfileDiff.compare(gb, gn, type.type(), type.unit(), p.normalized(),
                p.scales()[si], SampleIndex.total(p.base(), si), SampleIndex.total(p.neu(), si),
                SampleIndex.total(p.newRaw(), si));
        DiffView view = DiffView.of(result, ProfileLoader.displayName(baseName), ProfileLoader.displayName(newName),
                nodeCount, a.string("unit", "minimum"));
        warnings.forEach(Main::warn);
        Main.out(switch (format) {
            case JSON -> DiffRenderers.json(view);
            case MARKDOWN -> DiffRenderers.markdown(view);
            case TEXT -> DiffRenderers.text(view);
        });
        return Main.OK;
    }

    /** Names the input in an error that is about it alone. */
    private static <T> T named(String source, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (BadInputException e) {
            String prefix = ProfileLoader.displayName(source) + ": ";
            if (e.getMessage() != null && e.getMessage().startsWith(prefix)) {
                throw e;
            }
            throw new BadInputException(prefix + e.getMessage(), e);
        }
    }
}
