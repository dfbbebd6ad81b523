package dev.godiag.cli;

import dev.godiag.analysis.profile.Filters;
import dev.godiag.analysis.profile.Granularity;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.engine.ProfileQuery;
import dev.godiag.format.InputSource;
import dev.godiag.format.Source;
import dev.godiag.util.BadInputException;

import java.util.List;

/**
 * The options shared by the commands that read profiles (sources, bases, fetching, filters, sample
 * index...), and their mapping to the engine's {@link ProfileQuery}.
 */
final class ProfileOptions {
    static final List<OptionSpec> SPECS = List.of(
            OptionSpec.value("sample-index", "NAME|N", "sample type to report (alloc_space, delay, 0...); default: "
                    + "the profile's default, else the last", "sample_index"),
            OptionSpec.flag("mean", "show each value divided by the sample count (e.g. mean delay per contention)"),
            OptionSpec.flag("mean-delay", "--sample-index=delay --mean", "mean_delay"),
            OptionSpec.list("base", "PROFILE", "subtract this profile (repeatable)"),
            OptionSpec.list("diff-base", "PROFILE", "compare with this profile: percentages relative to it",
                    "diff_base"),
            OptionSpec.flag("normalize", "scale the profile to the base's total first"),
            OptionSpec.value("focus", "REGEX", "only samples with a frame matching REGEX"),
            OptionSpec.value("ignore", "REGEX", "drop samples with a frame matching REGEX"),
            OptionSpec.value("hide", "REGEX", "hide frames matching REGEX"),
            OptionSpec.value("show", "REGEX", "show only frames matching REGEX"),
            OptionSpec.value("show-from", "REGEX", "drop frames above the last frame matching REGEX", "show_from"),
            OptionSpec.value("prune-from", "REGEX", "drop frames beneath the first frame matching REGEX", "prune_from"),
            OptionSpec.value("tagfocus", "[KEY=]RX|RANGE", "only samples with a matching label"),
            OptionSpec.value("tagignore", "[KEY=]RX|RANGE", "drop samples with a matching label"),
            OptionSpec.value("tagshow", "REGEX", "only show label keys matching REGEX"),
            OptionSpec.value("taghide", "REGEX", "hide label keys matching REGEX"),
            OptionSpec.value("tagroot", "KEYS", "label values of these keys (comma-separated) as root frames"),
            OptionSpec.value("tagleaf", "KEYS", "label values of these keys (comma-separated) as leaf frames"),
            OptionSpec.value("granularity", "G", "functions (default), filefunctions, files, lines, addresses"),
            OptionSpec.flag("noinlines", "attribute inlined frames to their caller"),
            OptionSpec.flag("showcolumns", "show column numbers at lines granularity"),
            OptionSpec.value("trim-path", "PREFIXES", "path prefixes to trim from file names (':'-separated)",
                    "trim_path"),
            OptionSpec.flag("all-frames", "ignore the profile's drop_frames and keep_frames", "all_frames"),
            OptionSpec.value("add-comment", "TEXT", "add a comment to the profile's header", "add_comment"),
            OptionSpec.value("seconds", "N", "profile duration for URL sources (sets ?seconds=N)"),
            OptionSpec.value("timeout", "N", "fetch timeout in seconds (default 1.5x --seconds, else 60)"),
            OptionSpec.value("max-inflate", "SIZE", "refuse gzip input inflating beyond SIZE (default 1g; "
                    + "also GODIAG_MAX_INFLATE)"),
            OptionSpec.preset("functions", "granularity", "functions"),
            OptionSpec.preset("filefunctions", "granularity", "filefunctions"),
            OptionSpec.preset("files", "granularity", "files"),
            OptionSpec.preset("lines", "granularity", "lines"),
            OptionSpec.preset("addresses", "granularity", "addresses"),
            OptionSpec.preset("inuse_space", "sample-index", "inuse_space"),
            OptionSpec.preset("inuse_objects", "sample-index", "inuse_objects"),
            OptionSpec.preset("alloc_space", "sample-index", "alloc_space"),
            OptionSpec.preset("alloc_objects", "sample-index", "alloc_objects"),
            OptionSpec.preset("total_delay", "sample-index", "delay"),
            OptionSpec.preset("contentions", "sample-index", "contentions"));

    private ProfileOptions() {
    }

    /**
     * The query the flags describe: the operands (globs expanded) and the bases as sources, the
     * sample index, filters, label frames and node options.
     */
    static ProfileQuery query(ParsedArgs a, String command, Terminal term) {
        List<String> operands = Globs.expand(a.operands());
        if (operands.isEmpty()) {
            throw ArgParser.noOperands(command, "profile");
        }
        List<String> base = a.list("base");
        List<String> diffBase = a.list("diff-base");
        if (!base.isEmpty() && !diffBase.isEmpty()) {
            throw new BadInputException("--base and --diff-base cannot both be given");
        }
        InputSource.FetchOptions fetch = new InputSource.FetchOptions(a.integer("seconds", 0),
                a.integer("timeout", 0));
        Filters filters = new Filters(a.string("focus", ""), a.string("ignore", ""), a.string("hide", ""),
                a.string("show", ""), a.string("show-from", ""), a.string("tagfocus", ""), a.string("tagignore", ""),
                a.string("tagshow", ""), a.string("taghide", ""), a.string("prune-from", ""));
        NodeOptions nodes = new NodeOptions(Granularity.parse(a.string("granularity", "functions")),
                a.flag("noinlines"), a.flag("showcolumns"), a.string("trim-path", ""));
        List<Source> bases = InputOptions.toSources(diffBase.isEmpty() ? base : diffBase, fetch, term);
        return new ProfileQuery(InputOptions.toSources(operands, fetch, term), bases, !diffBase.isEmpty(),
                a.flag("normalize"),
                // pprof's -mean_delay: the delay type, as a mean (an explicit sample index wins)
                a.string("sample-index", a.flag("mean-delay") ? "delay" : ""), a.flag("mean") || a.flag("mean-delay"),
                filters, keys(a.string("tagroot", "")), keys(a.string("tagleaf", "")), nodes, a.flag("all-frames"),
                a.string("add-comment", ""));
    }

    private static List<String> keys(String csv) {
        return java.util.Arrays.stream(csv.split(",")).filter(k -> !k.isEmpty()).toList();
    }
}
