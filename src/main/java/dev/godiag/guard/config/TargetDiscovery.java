package dev.godiag.guard.config;

import dev.godiag.guard.config.ScrapeJob.FileSd;
import dev.godiag.guard.config.ScrapeJob.TargetGroup;
import dev.godiag.guard.config.YamlTree.ListNode;
import dev.godiag.guard.config.YamlTree.Node;
import dev.godiag.guard.model.Target;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A job's targets from its {@code static_configs} and {@code file_sd_configs}, as Prometheus
 * finds them: the files (globs in the file name) are re-read when they change (modification time,
 * size or file identity, so an atomic rename counts) and at least every {@code refresh_interval};
 * a file that cannot be read or parsed keeps the targets it gave last time and is reported once;
 * a file that no longer matches takes its targets with it. A target listed twice in a job is
 * watched once, with the labels of its first listing (static ones first, then files in name
 * order). Targets of {@code prometheus_sd_configs} come from the query source, not from here.
 * Thread-safe; one instance lives as long as the daemon, across reloads.
 */
public final class TargetDiscovery {
    static final int MAX_SD_FILE_BYTES = 32 << 20;

    private final Clock clock;
    private final Consumer<String> warnings;
    /** Per job, per file: what was last read. */
    private final Map<String, Map<Path, FileState>> files = new HashMap<>();
    /** Per job: the warnings of its last discovery, so each is passed on once, when it appears. */
    private final Map<String, Set<String>> reported = new HashMap<>();

    /** {@code warnings} receives each new warning (a broken SD file, a glob matching nothing...) once. */
    public TargetDiscovery(Clock clock, Consumer<String> warnings) {
        this.clock = clock;
        this.warnings = warnings;
    }

    /**
     * What one discovery found: the targets, the SD files whose current version is broken (their
     * last good targets kept), and notes that need no fix to run (a glob matching no file yet, a
     * target listed twice with different labels).
     */
    public record Discovery(List<Target> targets, List<String> fileErrors, List<String> notes) {
        public Discovery {
            targets = List.copyOf(targets);
            fileErrors = List.copyOf(fileErrors);
            notes = List.copyOf(notes);
        }
    }

    /** The job's targets now; new warnings go to the listener. */
    public List<Target> targets(ScrapeJob job) {
        return discover(job).targets();
    }

    /** The job's targets now, with the current problems of its SD files; new warnings go to the listener. */
    public synchronized Discovery discover(ScrapeJob job) {
        Map<String, Target> byAddress = new LinkedHashMap<>();
        Map<String, String> origin = new HashMap<>();
        List<String> fileErrors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (TargetGroup g : job.staticConfigs()) {
            add(job, g, "static_configs", byAddress, origin, notes);
        }
        Map<Path, FileState> known = files.computeIfAbsent(job.name(), k -> new HashMap<>());
        Map<Path, FileState> seen = new HashMap<>();
        for (FileSd sd : job.fileSdConfigs()) {
            for (String pattern : sd.files()) {
                Path resolved = sd.baseDir().resolve(pattern);
                List<Path> matched;
                try {
                    matched = expand(resolved);
                } catch (IOException | DirectoryIteratorException e) {
                    // a directory that cannot be listed now keeps the files it had, as a broken file does
                    matched = known.keySet().stream().filter(f -> matches(resolved, f)).sorted().toList();
                    fileErrors.add("job " + job.name() + ": file_sd_configs: cannot list " + resolved.getParent()
                            + ": " + e.getMessage() + " (keeping its " + matched.size() + " files)");
                    for (Path f : matched) {
                        if (seen.putIfAbsent(f, known.get(f)) == null) {
                            known.get(f).groups.forEach(g -> add(job, g, f.toString(), byAddress, origin, notes));
                        }
                    }
                    continue;
                }
                if (matched.isEmpty()) {
                    notes.add("job " + job.name() + ": file_sd_configs: no file matches " + pattern);
                }
                for (Path f : matched) {
                    FileState state = seen.get(f);
                    if (state == null) {
                        state = refresh(f, known.get(f), sd);
                        seen.put(f, state);
                        if (state.error != null) {
                            fileErrors.add(state.error + (state.groups.isEmpty() ? ""
                                    : " (keeping the " + count(state.groups) + " targets read before)"));
                        }
                    }
                    for (TargetGroup g : state.groups) {
                        add(job, g, f.toString(), byAddress, origin, notes);
                    }
                }
            }
        }
        known.keySet().retainAll(seen.keySet());
        known.putAll(seen);
        report(job.name(), fileErrors, notes);
        return new Discovery(new ArrayList<>(byAddress.values()), fileErrors, notes);
    }

    /** Forgets the files of jobs no longer configured (after a reload). */
    public synchronized void retainJobs(Collection<String> jobNames) {
        files.keySet().retainAll(new HashSet<>(jobNames));
        reported.keySet().retainAll(new HashSet<>(jobNames));
    }

    private static void add(ScrapeJob job, TargetGroup g, String from, Map<String, Target> byAddress,
                            Map<String, String> origin, List<String> notes) {
        for (String address : g.targets()) {
            Target t = new Target(job.name(), address, g.labels());
            Target first = byAddress.putIfAbsent(address, t);
            if (first == null) {
                origin.put(address, from);
            } else if (!first.labels().equals(t.labels())) {
                notes.add("job " + job.name() + ": target " + address + " is listed in " + origin.get(address)
                        + " and " + from + " with different labels; watching it once, with the first");
            }
        }
    }

    private void report(String job, List<String> fileErrors, List<String> notes) {
        Set<String> now = new TreeSet<>(fileErrors);
        now.addAll(notes);
        Set<String> before = reported.getOrDefault(job, Set.of());
        for (String w : now) {
            if (!before.contains(w)) {
                warnings.accept(w);
            }
        }
        reported.put(job, now);
    }

    /**
     * The files a pattern names: itself, or the matches of the glob in its file name, sorted; none
     * when the directory does not exist (yet), an exception when it cannot be listed.
     */
    private static List<Path> expand(Path pattern) throws IOException {
        String name = pattern.getFileName().toString();
        if (!isGlob(name)) {
            return Files.isRegularFile(pattern) ? List.of(pattern) : List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
        TreeSet<Path> out = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(pattern.getParent())) {
            for (Path p : entries) {
                if (matcher.matches(p.getFileName()) && Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return new ArrayList<>(out);
    }

    private static boolean isGlob(String name) {
        return name.contains("*") || name.contains("?") || name.contains("[") || name.contains("{");
    }

    private static boolean matches(Path pattern, Path file) {
        String name = pattern.getFileName().toString();
        return isGlob(name) ? pattern.getParent().equals(file.getParent())
                && FileSystems.getDefault().getPathMatcher("glob:" + name).matches(file.getFileName())
                : pattern.equals(file);
    }

    /** The file's state now: the cached one while it is unchanged and fresh, else read again. */
    private FileState refresh(Path f, FileState last, FileSd sd) {
        Instant now = clock.instant();
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (IOException e) {
            List<TargetGroup> kept = last == null ? List.of() : last.groups;
            return new FileState(null, -1, null, now, kept, f + ": cannot read: " + e.getMessage());
        }
        String stamp = attrs.lastModifiedTime().toString();
        if (last != null && stamp.equals(last.modified) && attrs.size() == last.size
                && java.util.Objects.equals(attrs.fileKey(), last.fileKey)
                && now.isBefore(last.readAt.plus(sd.refreshInterval()))) {
            return last;
        }
        Problems problems = new Problems(f.toString());
        List<TargetGroup> groups = parse(f, problems);
        if (groups == null) {
            List<String> lines = problems.lines();
            String error = lines.get(0) + (lines.size() > 1 ? " (and " + (lines.size() - 1) + " more problems)" : "");
            return new FileState(stamp, attrs.size(), attrs.fileKey(), now, last == null ? List.of() : last.groups,
                    error);
        }
        return new FileState(stamp, attrs.size(), attrs.fileKey(), now, groups, null);
    }

    /** The target groups of one SD file, or null when it has any problem (Prometheus takes all or nothing). */
    static List<TargetGroup> parse(Path f, Problems problems) {
        byte[] bytes = GuardConfigLoader.read(f, MAX_SD_FILE_BYTES, problems, 0, "");
        if (bytes == null) {
            return null;
        }
        String name = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        Node root = name.endsWith(".json") ? YamlTree.json(bytes, problems) : YamlTree.yaml(bytes, problems);
        if (root == null) {
            return null;
        }
        if (!(root instanceof ListNode list)) {
            problems.add(root.line(), "", "must be a list of target groups ([{targets: [...], labels: {...}}]), "
                    + "not " + root.kind());
            return null;
        }
        List<TargetGroup> groups = TargetGroups.read(list.items(), "", problems, true);
        return problems.isEmpty() ? groups : null;
    }

    private static int count(List<TargetGroup> groups) {
        return groups.stream().mapToInt(g -> g.targets().size()).sum();
    }

    private record FileState(String modified, long size, Object fileKey, Instant readAt, List<TargetGroup> groups,
                             String error) {
    }
}
