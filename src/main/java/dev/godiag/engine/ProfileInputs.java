package dev.godiag.engine;

import dev.godiag.analysis.profile.LabelFrames;
import dev.godiag.analysis.profile.ReportSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.Source;
import dev.godiag.model.Profile;
import dev.godiag.util.BadInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** Reading a query's profiles and assembling the one a report is made from, as pprof does. */
final class ProfileInputs {
    private ProfileInputs() {
    }

    /** Loads sources and bases (in parallel) and merges, subtracts or compares them. */
    static Profile assemble(ProfileQuery q, ReadLimits limits) {
        return assemble(q, limits, true);
    }

    /** As {@link #assemble(ProfileQuery, ReadLimits)}; pprofNames false keeps function names as written (for PGO). */
    static Profile assemble(ProfileQuery q, ReadLimits limits, boolean pprofNames) {
        List<Profile> src = loadAll(q.sources(), limits);
        List<Profile> b = loadAll(q.bases(), limits);
        return about(q, () -> ReportSource.assemble(src, b, q.diffBase(), q.normalize(), q.allFrames(),
                q.addComment(), pprofNames));
    }

    /**
     * Runs a step over the whole input, naming the input in its errors when there is just one
     * (with several, the problem is between them and the message says so).
     */
    static <T> T about(ProfileQuery q, Supplier<T> step) {
        try {
            return step.get();
        } catch (BadInputException e) {
            if (q.sources().size() == 1 && q.bases().isEmpty()) {
                throw new BadInputException(q.sources().get(0).name() + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** pprof's -tagroot/-tagleaf: label values as pseudo-frames, added before any filter. */
    static Profile withLabelFrames(ProfileQuery q, Profile p, String outputUnit, List<String> warnings) {
        LabelFrames.Result r = LabelFrames.add(p, q.tagRoot(), q.tagLeaf(), outputUnit);
        if (!q.tagRoot().isEmpty() && !r.rootMatched()) {
            warnings.add("TagRoot expression matched no samples");
        }
        if (!q.tagLeaf().isEmpty() && !r.leafMatched()) {
            warnings.add("TagLeaf expression matched no samples");
        }
        return r.profile();
    }

    /** The last path segment of a source's name (file or URL), for titles. */
    static String baseName(String name) {
        int slash = name.lastIndexOf('/');
        return slash >= 0 && slash < name.length() - 1 ? name.substring(slash + 1) : name;
    }

    /** The sources' base names joined by spaces: a page's default title. */
    static String title(List<Source> sources) {
        return String.join(" ", sources.stream().map(s -> baseName(s.name())).toList());
    }

    private static List<Profile> loadAll(List<Source> sources, ReadLimits limits) {
        if (sources.size() <= 1) {
            List<Profile> out = new ArrayList<>();
            for (Source s : sources) {
                out.add(ProfileLoader.load(s, limits));
            }
            return out;
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Profile>> futures = new ArrayList<>();
            for (Source s : sources) {
                futures.add(pool.submit(() -> ProfileLoader.load(s, limits)));
            }
            List<Profile> out = new ArrayList<>();
            for (Future<Profile> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
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
