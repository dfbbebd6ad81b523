package dev.godiag.engine;

import dev.godiag.diagnosis.Severity;
import dev.godiag.diagnosis.scan.GoPackage;
import dev.godiag.diagnosis.scan.ProfileWeights;
import dev.godiag.diagnosis.scan.ScanReport;
import dev.godiag.diagnosis.scan.ScanFinding;
import dev.godiag.diagnosis.scan.SourceChecks;
import dev.godiag.format.Input;
import dev.godiag.format.Inputs;
import dev.godiag.format.ProfileKind;
import dev.godiag.format.Source;
import dev.godiag.format.gosyntax.GoParser;
import dev.godiag.format.gosyntax.GoSyntaxException;
import dev.godiag.model.ValueType;
import dev.godiag.model.gosyntax.GoFile;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * godiag scan: Go files found, parsed in parallel, grouped into packages, checked; findings kept to
 * changed lines with --diff, and ranked by the weight their code carries in the given profiles.
 */
final class ScanPipeline {
    /** A file larger than this is not Go anyone reviews (generated tables): skipped with a warning. */
    static final long MAX_FILE_BYTES = 32L << 20;

    private ScanPipeline() {
    }

    /** A file to scan: where it is, its name in findings (relative to its root), its key in profiles. */
    private record Candidate(Path path, String name, String profileKey, Root root) {
    }

    /**
     * A root as given, the directory names are relative to, its git changes under --diff, and the
     * top of its repository (where a .git is, else its module's go.mod; null when neither).
     */
    private record Root(Path given, Path dir, GitChanges changes, Path repository) {
    }

    private record Parsed(Candidate candidate, GoFile file, String warning) {
    }

    /** Findings with the files they are in, and how many files were scanned and skipped. */
    private record Scanned(List<Located> findings, int files, int skipped) {
    }

    /** A finding and its file. */
    private record Located(ScanFinding finding, Candidate candidate) {
    }

    /** A scan finding with its file's path relative to its module: what a profile's file names end with. */
    record Keyed(ScanFinding finding, String profileKey) {
    }

    static ScanReport run(ScanRequest request, EngineContext ctx) {
        SourceChecks checks = request.checks().isEmpty() ? SourceChecks.shipped()
                : only(SourceChecks.shipped(), request);
        List<String> warnings = new ArrayList<>();
        List<ProfileWeights> weights = profiles(request.profiles(), ctx);
        Scanned scanned = scan(request, checks, warnings);
        List<ScanReport.Ranked> findings = new ArrayList<>();
        for (Located l : scanned.findings()) {
            Candidate c = l.candidate();
            if (c.root().changes() == null || changed(c, l.finding())) {
                findings.add(rank(l.finding(), c, weights, link(request.sourceUrl(), c, l.finding())));
            }
        }
        findings.sort(ScanReport.ORDER);
        for (ProfileWeights w : weights) {
            if (!findings.isEmpty()
                    && findings.stream().noneMatch(r -> r.weights().stream().anyMatch(x -> x.profile() == w))) {
                warnings.add(w.name() + ": none of the findings' code has weight in it (is it a profile of this"
                        + " source?)");
            }
        }
        return new ScanReport(findings, checks.infos(), scanned.files(), scanned.skipped(), request.diffBase(),
                weights.stream().map(w -> w.name() + " (" + w.measure() + ")").toList(), warnings);
    }

    /** Every check over a source root, for diagnose to join scan findings to its profile findings. */
    static List<Keyed> sourceFindings(Path root, List<String> warnings) {
        Scanned scanned = scan(ScanRequest.of(List.of(root)), SourceChecks.shipped(), warnings);
        return scanned.findings().stream().map(l -> new Keyed(l.finding(), l.candidate().profileKey())).toList();
    }

    private static Scanned scan(ScanRequest request, SourceChecks checks, List<String> warnings) {
        List<Candidate> candidates = new ArrayList<>();
        for (Path given : request.roots()) {
            candidates.addAll(candidates(given, request, warnings));
        }
        // a directory at a time: parsed, checked and its trees dropped, so the heap holds a few
        // packages' trees rather than a whole tree's (the standard library's would be ~600 MB live,
        // copied again by every young collection while it grows)
        Map<String, List<Integer>> byDir = new LinkedHashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            byDir.computeIfAbsent(c.root().dir() + "\0" + parentOf(c.name()), k -> new ArrayList<>()).add(i);
        }
        List<DirScan> dirs = byDir.values().parallelStream()
                .map(indexes -> scanDir(candidates, indexes, request, checks)).toList();
        // warnings in the order of the files (parse warnings) and then of the packages, as one pass gives
        List<Map.Entry<Integer, String>> parseWarnings = new ArrayList<>();
        List<Located> found = new ArrayList<>();
        int files = 0;
        int skipped = 0;
        for (DirScan d : dirs) {
            parseWarnings.addAll(d.parseWarnings());
            files += d.files();
            skipped += d.skipped();
        }
        parseWarnings.sort(Map.Entry.comparingByKey());
        parseWarnings.forEach(w -> warnings.add(w.getValue()));
        for (DirScan d : dirs) {
            warnings.addAll(d.scanWarnings());
            found.addAll(d.found());
        }
        return new Scanned(found, files, skipped);
    }

    /** One directory's files parsed and checked, package by package (a directory may hold p and p_test). */
    private record DirScan(List<Located> found, List<Map.Entry<Integer, String>> parseWarnings,
                           List<String> scanWarnings, int files, int skipped) {
    }

    private static DirScan scanDir(List<Candidate> candidates, List<Integer> indexes, ScanRequest request,
                                   SourceChecks checks) {
        Map<String, List<GoFile>> byPackage = new LinkedHashMap<>();
        Map<String, Candidate> byName = new HashMap<>();
        List<Map.Entry<Integer, String>> parseWarnings = new ArrayList<>();
        int files = 0;
        int skipped = 0;
        for (int i : indexes) {
            Parsed p = parse(candidates.get(i));
            if (p.warning() != null) {
                parseWarnings.add(Map.entry(i, p.warning()));
                continue;
            }
            if (p.file().generated() && !request.scope().generated() && !isRootFile(p.candidate())) {
                skipped++;
                continue;
            }
            files++;
            byName.put(p.candidate().name(), p.candidate());
            byPackage.computeIfAbsent(p.file().packageName().name(), k -> new ArrayList<>()).add(p.file());
        }
        List<Located> found = new ArrayList<>();
        List<String> scanWarnings = new ArrayList<>();
        for (List<GoFile> fs : byPackage.values()) {
            SourceChecks.PackageScan scan = checks.scan(GoPackage.of(parentOf(fs.get(0).path()),
                    fs.get(0).packageName().name(), fs));
            scanWarnings.addAll(scan.warnings());
            for (ScanFinding f : scan.findings()) {
                found.add(new Located(f, byName.get(f.file())));
            }
        }
        return new DirScan(found, parseWarnings, scanWarnings, files, skipped);
    }

    private static SourceChecks only(SourceChecks all, ScanRequest request) {
        try {
            return all.only(request.checks());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage() + " (godiag scan --list-checks lists them)");
        }
    }

    /** A finding on a changed line, or in a construct (the loop) whose first line changed. */
    private static boolean changed(Candidate c, ScanFinding f) {
        String rel = c.root().dir().relativize(c.path()).toString().replace('\\', '/');
        GitChanges g = c.root().changes();
        return g.changed(rel, f.line()) || g.changed(rel, f.spanStart());
    }

    /** The finding's link: its file relative to the repository's top (the module's, else the root's). */
    private static String link(String template, Candidate c, ScanFinding f) {
        if (template == null) {
            return null;
        }
        Path top = c.root().repository() != null ? c.root().repository() : c.root().dir();
        return SourceLinks.link(template, top.relativize(c.path()).toString().replace('\\', '/'), true, f.line());
    }

    private static ScanReport.Ranked rank(ScanFinding f, Candidate c, List<ProfileWeights> profiles, String link) {
        List<ProfileWeights.Weight> ws = new ArrayList<>();
        for (ProfileWeights p : profiles) {
            ProfileWeights.Weight w = p.weight(c.profileKey(), f.spanStart(), f.spanEnd());
            if (w.value() > 0) {
                ws.add(w);
            }
        }
        ws.sort(Comparator.comparingDouble(ProfileWeights.Weight::share).reversed());
        Severity severity = f.check().severity();
        if (f.file().endsWith("_test.go") && severity.compareTo(Severity.INFO) > 0) {
            // test code runs for a test's length: worth a note in review, not a failed gate
            severity = Severity.INFO;
        }
        if (!ws.isEmpty() && ws.get(0).share() >= ScanReport.HOT_SHARE && severity.compareTo(Severity.WARNING) < 0) {
            severity = Severity.WARNING;
        }
        return new ScanReport.Ranked(f, ws, severity, link);
    }

    private static boolean isRootFile(Candidate c) {
        return c.root().given().equals(c.path());
    }

    private static Parsed parse(Candidate c) {
        try {
            long size = Files.size(c.path());
            if (size > MAX_FILE_BYTES) {
                return new Parsed(c, null, c.name() + ": skipped: " + size + " bytes is more than the "
                        + (MAX_FILE_BYTES >> 20) + " MiB a Go source file is read up to");
            }
            return new Parsed(c, GoParser.parse(c.name(), Files.readAllBytes(c.path())), null);
        } catch (GoSyntaxException e) {
            return new Parsed(c, null, e.getMessage() + " (file skipped)");
        } catch (IOException e) {
            return new Parsed(c, null, c.name() + ": cannot read: " + e.getMessage());
        }
    }

    /** The .go files under a root (or the root itself), in name order. */
    private static List<Candidate> candidates(Path given, ScanRequest request, List<String> warnings) {
        Path abs;
        try {
            abs = given.toRealPath(); // a root that is a symbolic link is walked where it points
        } catch (IOException e) {
            throw new BadInputException(given + ": no such file or directory");
        }
        boolean file = Files.isRegularFile(abs);
        if (file && !abs.getFileName().toString().endsWith(".go")) {
            throw new BadInputException(given + ": not a .go file or a directory");
        }
        Path dir = file ? abs.getParent() : abs;
        GitChanges changes = request.diffBase() == null ? null : GitChanges.since(dir, request.diffBase());
        Path module = nearest(dir, "go.mod");
        Path repository = nearest(dir, ".git");
        Root root = new Root(abs, dir, changes, repository != null ? repository : module);
        List<Candidate> out = new ArrayList<>();
        if (file) {
            out.add(candidate(abs, given.toString().replace('\\', '/'), module, root));
            return out;
        }
        ScanRequest.Scope scope = request.scope();
        try {
            Files.walkFileTree(abs, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (d.equals(abs)) {
                        return FileVisitResult.CONTINUE;
                    }
                    String name = d.getFileName().toString();
                    // the go command ignores directories starting with . or _
                    boolean skip = name.startsWith(".") || name.startsWith("_")
                            || (name.equals("vendor") && !scope.vendor())
                            || (name.equals("testdata") && !scope.testdata());
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    String name = f.getFileName().toString();
                    if (attrs.isRegularFile() && name.endsWith(".go") && !name.startsWith(".") && !name.startsWith("_")
                            && (scope.tests() || !name.endsWith("_test.go"))) {
                        String rel = abs.relativize(f).toString().replace('\\', '/');
                        if (changes == null || changes.touched(rel) || packageTouched(changes, rel)) {
                            out.add(candidate(f, displayName(given, rel), module, root));
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    warnings.add(f + ": cannot read: " + e.getMessage());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new BadInputException(given + ": cannot walk: " + e.getMessage());
        }
        out.sort(Comparator.comparing(Candidate::name));
        return out;
    }

    /** Under --diff only packages with a changed file are parsed, whole (their siblings' types count). */
    private static boolean packageTouched(GitChanges changes, String rel) {
        String dir = parentOf(rel);
        return changes.touchesDirectory(dir);
    }

    private static String displayName(Path given, String rel) {
        String g = given.toString().replace('\\', '/');
        if (g.equals(".") || g.equals("./")) {
            return rel;
        }
        return (g.endsWith("/") ? g : g + "/") + rel;
    }

    private static Candidate candidate(Path f, String name, Path module, Root root) {
        Path base = module != null ? module : root.dir();
        String key = base.relativize(f).toString().replace('\\', '/');
        return new Candidate(f, name, key, root);
    }

    /** The directory at or above {@code dir} holding {@code name} (go.mod, .git), or null. */
    private static Path nearest(Path dir, String name) {
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(name))) {
                return d;
            }
        }
        return null;
    }

    private static String parentOf(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "." : name.substring(0, slash);
    }

    /** Profiles with the measure each ranks by: CPU, allocated (or in-use) bytes, block or mutex delay. */
    private static List<ProfileWeights> profiles(List<Source> sources, EngineContext ctx) {
        List<ProfileWeights> out = new ArrayList<>();
        for (Source s : sources) {
            Input in = Inputs.read(s, ctx.limits());
            if (!(in instanceof Input.Profile p)) {
                throw new BadInputException(s.name() + ": not a profile (" + in.kind().description()
                        + "); --profile takes CPU, allocs, heap, block or mutex profiles");
            }
            List<ValueType> types = p.profile().sampleTypes();
            String[] choice = switch (p.profileKind()) {
                case CPU -> new String[]{"cpu", "CPU"};
                case ALLOCS, HEAP -> types.stream().anyMatch(t -> t.type().equals("alloc_space"))
                        ? new String[]{"alloc_space", "allocated bytes"} : new String[]{"inuse_space", "in-use bytes"};
                case BLOCK -> new String[]{"delay", "block delay"};
                case MUTEX -> new String[]{"delay", "mutex delay"};
                default -> null;
            };
            int index = choice == null ? -1 : indexOf(types, choice[0]);
            if (index < 0) {
                throw new BadInputException(s.name() + ": a " + p.profileKind().id()
                        + " profile does not rank source; --profile takes CPU, allocs, heap, block or mutex profiles");
            }
            out.add(new ProfileWeights(p.profile(), index, s.name(), choice[1]));
        }
        return out;
    }

    private static int indexOf(List<ValueType> types, String type) {
        for (int i = 0; i < types.size(); i++) {
            if (Objects.equals(types.get(i).type(), type)) {
                return i;
            }
        }
        return types.size() == 1 ? 0 : -1;
    }
}
