package dev.godiag.cli;

import dev.godiag.analysis.Filters;
import dev.godiag.analysis.Granularity;
import dev.godiag.analysis.NodeOptions;
import dev.godiag.analysis.ReportSource;
import dev.godiag.format.BadInputException;
import dev.godiag.format.Gzip;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.model.Profile;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Options shared by the commands that read profiles: sources, bases, fetching, filters, sample index. */
public final class ProfileOptions {
    @Parameters(arity = "1..*", paramLabel = "PROFILE",
            description = "Profile files (profile.proto, gzipped or not, or Go's debug=1 text), '-' for stdin, "
                    + "or http(s) URLs of /debug/pprof endpoints. Several are merged.")
    List<String> sources = new ArrayList<>();

    @Option(names = "--base", paramLabel = "PROFILE", description = "Subtract this profile (repeatable; pprof's -base).")
    List<String> base = new ArrayList<>();

    @Option(names = "--diff-base", paramLabel = "PROFILE",
            description = "Compare against this profile: percentages relative to it (pprof's -diff_base).")
    List<String> diffBase = new ArrayList<>();

    @Option(names = "--normalize", description = "Scale the profile to the base's total before subtracting.")
    boolean normalize;

    @Option(names = "--sample-index", paramLabel = "NAME|N",
            description = "Sample type to report (e.g. alloc_space, delay, 0). Default: the profile's default, else the last.")
    String sampleIndex = "";

    @Option(names = "--focus", paramLabel = "REGEX", description = "Only samples with a frame matching REGEX.")
    String focus = "";
    @Option(names = "--ignore", paramLabel = "REGEX", description = "Drop samples with a frame matching REGEX.")
    String ignore = "";
    @Option(names = "--hide", paramLabel = "REGEX", description = "Hide frames matching REGEX.")
    String hide = "";
    @Option(names = "--show", paramLabel = "REGEX", description = "Show only frames matching REGEX.")
    String show = "";
    @Option(names = "--show-from", paramLabel = "REGEX", description = "Drop frames above the last frame matching REGEX.")
    String showFrom = "";
    @Option(names = "--prune-from", paramLabel = "REGEX", description = "Drop frames beneath the first frame matching REGEX.")
    String pruneFrom = "";
    @Option(names = "--tagfocus", paramLabel = "[KEY=]REGEX|RANGE", description = "Only samples with a matching label.")
    String tagFocus = "";
    @Option(names = "--tagignore", paramLabel = "[KEY=]REGEX|RANGE", description = "Drop samples with a matching label.")
    String tagIgnore = "";
    @Option(names = "--tagshow", paramLabel = "REGEX", description = "Only show label keys matching REGEX.")
    String tagShow = "";
    @Option(names = "--taghide", paramLabel = "REGEX", description = "Hide label keys matching REGEX.")
    String tagHide = "";

    @Option(names = "--granularity", paramLabel = "G",
            description = "functions (default), filefunctions, files, lines or addresses.")
    String granularity = "functions";
    @Option(names = "--noinlines", description = "Attribute inlined frames to their caller.")
    boolean noInlines;
    @Option(names = "--showcolumns", description = "Show column numbers at lines granularity.")
    boolean showColumns;
    @Option(names = "--trim-path", paramLabel = "PREFIXES", description = "Path prefixes to trim from file names (':'-separated).")
    String trimPath = "";
    @Option(names = "--all-frames", description = "Ignore the profile's drop_frames and keep_frames.")
    boolean allFrames;
    @Option(names = "--add-comment", paramLabel = "TEXT", description = "Add a comment to the profile's header.")
    String addComment = "";

    @Option(names = "--seconds", paramLabel = "N", description = "Profile duration for URL sources (sets ?seconds=N).")
    int seconds;
    @Option(names = "--timeout", paramLabel = "N", description = "Fetch timeout in seconds (default 1.5x --seconds, else 60).")
    int timeout;
    @Option(names = "--max-inflate", paramLabel = "SIZE",
            description = "Refuse gzip input that decompresses beyond SIZE (default 1g; also GODIAG_MAX_INFLATE).")
    String maxInflate;

    Filters filters() {
        return new Filters(focus, ignore, hide, show, showFrom, tagFocus, tagIgnore, tagShow, tagHide, pruneFrom);
    }

    NodeOptions nodeOptions() {
        return new NodeOptions(Granularity.parse(granularity), noInlines, showColumns, trimPath);
    }

    /** Loads sources and bases (in parallel) and assembles the profile to report on. */
    Profile load() {
        if (!base.isEmpty() && !diffBase.isEmpty()) {
            throw new BadInputException("--base and --diff-base cannot both be given");
        }
        long limit = maxInflate != null ? Gzip.parseSize(maxInflate) : Gzip.configuredLimit();
        InputSource.FetchOptions fetch = new InputSource.FetchOptions(seconds, timeout);
        List<String> bases = diffBase.isEmpty() ? base : diffBase;
        List<Profile> src = loadAll(sources, fetch, limit);
        List<Profile> b = loadAll(bases, fetch, limit);
        return ReportSource.assemble(src, b, !diffBase.isEmpty(), normalize, allFrames, addComment);
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
