package dev.godiag.cli;

import dev.godiag.analysis.profile.Filters;
import dev.godiag.analysis.profile.Granularity;
import dev.godiag.analysis.profile.LabelFrames;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.analysis.profile.ReportSource;
import dev.godiag.util.BadInputException;
import dev.godiag.format.Gzip;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.model.Profile;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Options shared by the commands that read profiles: sources, bases, fetching, filters, sample index. */
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

    final List<String> sources;
    final List<String> base;
    final List<String> diffBase;
    final boolean normalize;
    final String sampleIndex;
    final boolean mean;
    private final String focus;
    private final String ignore;
    private final String hide;
    private final String show;
    private final String showFrom;
    private final String pruneFrom;
    private final String tagFocus;
    private final String tagIgnore;
    private final String tagShow;
    private final String tagHide;
    private final String granularity;
    final List<String> tagRoot;
    private final List<String> tagLeaf;
    private final boolean noInlines;
    private final boolean showColumns;
    private final String trimPath;
    private final boolean allFrames;
    private final String addComment;
    private final int seconds;
    private final int timeout;
    private final String maxInflate;

    ProfileOptions(ParsedArgs a, String command) {
        sources = Globs.expand(a.operands());
        if (sources.isEmpty()) {
            throw ArgParser.noOperands(command, "profile");
        }
        base = a.list("base");
        diffBase = a.list("diff-base");
        normalize = a.flag("normalize");
        // pprof's -mean_delay: the delay type, as a mean (an explicit sample index wins)
        sampleIndex = a.string("sample-index", a.flag("mean-delay") ? "delay" : "");
        mean = a.flag("mean") || a.flag("mean-delay");
        focus = a.string("focus", "");
        ignore = a.string("ignore", "");
        hide = a.string("hide", "");
        show = a.string("show", "");
        showFrom = a.string("show-from", "");
        pruneFrom = a.string("prune-from", "");
        tagFocus = a.string("tagfocus", "");
        tagIgnore = a.string("tagignore", "");
        tagShow = a.string("tagshow", "");
        tagHide = a.string("taghide", "");
        granularity = a.string("granularity", "functions");
        tagRoot = keys(a.string("tagroot", ""));
        tagLeaf = keys(a.string("tagleaf", ""));
        noInlines = a.flag("noinlines");
        showColumns = a.flag("showcolumns");
        trimPath = a.string("trim-path", "");
        allFrames = a.flag("all-frames");
        addComment = a.string("add-comment", "");
        seconds = a.integer("seconds", 0);
        timeout = a.integer("timeout", 0);
        maxInflate = a.string("max-inflate", null);
    }

    /** The last path segment of a source (file or URL), for titles. */
    static String baseName(String source) {
        String s = ProfileLoader.displayName(source);
        int slash = s.lastIndexOf('/');
        return slash >= 0 && slash < s.length() - 1 ? s.substring(slash + 1) : s;
    }

    private static List<String> keys(String csv) {
        return java.util.Arrays.stream(csv.split(",")).filter(k -> !k.isEmpty()).toList();
    }

    /** pprof's -tagroot/-tagleaf: label values as pseudo-frames, added before any filter. */
    Profile withLabelFrames(Profile p, String outputUnit, List<String> warnings) {
        LabelFrames.Result r = LabelFrames.add(p, tagRoot, tagLeaf, outputUnit);
        if (!tagRoot.isEmpty() && !r.rootMatched()) {
            warnings.add("TagRoot expression matched no samples");
        }
        if (!tagLeaf.isEmpty() && !r.leafMatched()) {
            warnings.add("TagLeaf expression matched no samples");
        }
        return r.profile();
    }

    Filters filters() {
        return new Filters(focus, ignore, hide, show, showFrom, tagFocus, tagIgnore, tagShow, tagHide, pruneFrom);
    }

    NodeOptions nodeOptions() {
        return new NodeOptions(Granularity.parse(granularity), noInlines, showColumns, trimPath);
    }

    /** The cap on decompressed input: --max-inflate, else GODIAG_MAX_INFLATE, else 1 GiB. */
    long inflateLimit() {
        return maxInflate != null ? Gzip.parseSize(maxInflate) : Gzip.configuredLimit();
    }

    InputSource.FetchOptions fetchOptions() {
        return new InputSource.FetchOptions(seconds, timeout);
    }

    /** Loads sources and bases (in parallel) and assembles the profile to report on. */
    Profile load() {
        return load(true);
    }

    /** As {@link #load()}; pprofNames false keeps function names as written (for PGO). */
    Profile load(boolean pprofNames) {
        if (!base.isEmpty() && !diffBase.isEmpty()) {
            throw new BadInputException("--base and --diff-base cannot both be given");
        }
        long limit = inflateLimit();
        InputSource.FetchOptions fetch = fetchOptions();
        List<String> bases = diffBase.isEmpty() ? base : diffBase;
        List<Profile> src = loadAll(sources, fetch, limit);
        List<Profile> b = loadAll(bases, fetch, limit);
        return about(() -> ReportSource.assemble(src, b, !diffBase.isEmpty(), normalize, allFrames, addComment,
                pprofNames));
    }

    /**
     * Runs a step over the whole input, naming the input in its errors when there is just one
     * (with several, the problem is between them and the message says so).
     */
    <T> T about(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (BadInputException e) {
            if (sources.size() == 1 && base.isEmpty() && diffBase.isEmpty()) {
                throw new BadInputException(ProfileLoader.displayName(sources.get(0)) + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static List<Profile> loadAll(List<String> names, InputSource.FetchOptions fetch, long limit) {
        if (names.size() <= 1) {
            List<Profile> out = new ArrayList<>();
            for (String n : names) {
                out.add(ProfileLoader.load(n, fetch, limit));
            }
            return out;
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Profile>> futures = new ArrayList<>();
            for (String n : names) {
                futures.add(pool.submit(() -> ProfileLoader.load(n, fetch, limit)));
            }
            List<Profile> out = new ArrayList<>();
            for (Future<Profile> f : futures) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BadInputException("interrupted");
                }
            }
            return out;
        }
    }
}
