package dev.godiag.engine;

import dev.godiag.analysis.bench.BenchTables;
import dev.godiag.analysis.profile.Filters;
import dev.godiag.analysis.profile.GoRenames;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.analysis.profile.ProfileMerger;
import dev.godiag.format.Gzip;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.ProfileReader;
import dev.godiag.format.Source;
import dev.godiag.format.bench.BenchReader;
import dev.godiag.format.load.LoadReader;
import dev.godiag.format.load.LoadSummary;
import dev.godiag.model.BenchFile;
import dev.godiag.model.BenchResult;
import dev.godiag.model.Profile;
import dev.godiag.report.DiffView;
import dev.godiag.report.ImpactReport;
import dev.godiag.util.BadInputException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * impact: benchmarks (benchstat's comparison) and CPU profiles (diff's {@link Comparison}) of two
 * toolchains in one report. The sides are the request's groups, or told apart by the benchmark
 * files' go: or goversion: configuration key.
 */
final class ImpactPipeline {
    /** The configuration keys that name the toolchain of a benchmark result. */
    static final List<String> GO_KEYS = List.of("go", "goversion");

    private final EngineContext context;

    /** One input: a benchmark file, a profile or a load test's summary (one of them set). */
    private record Input(String name, BenchFile bench, Profile profile, LoadSummary load) {
    }

    ImpactPipeline(EngineContext context) {
        this.context = context;
    }

    ImpactResult run(ImpactRequest r) {
        List<String> warnings = new ArrayList<>();
        List<Input> oldIn;
        List<Input> newIn;
        if (!r.neu().isEmpty()) {
            oldIn = read(r.old(), warnings);
            newIn = read(r.neu(), warnings);
        } else {
            List<Input> all = read(r.old(), warnings);
            oldIn = new ArrayList<>();
            newIn = new ArrayList<>();
            splitByVersion(all, oldIn, newIn);
        }
        String oldVersion = version(oldIn, "OLD");
        String newVersion = version(newIn, "NEW");
        if (oldVersion != null && oldVersion.equals(newVersion)) {
            throw new BadInputException("OLD and NEW were both run with " + oldVersion
                    + " (their go: configuration lines say so): nothing to compare");
        }
        String oldLabel = oldVersion != null ? oldVersion : "old";
        String newLabel = newVersion != null ? newVersion : "new";
        if (oldLabel.equals(newLabel) || oldLabel.equals("new") || newLabel.equals("old")) {
            oldLabel = "old";
            newLabel = "new";
        }
        ImpactReport.Side oldSide = side(oldLabel, oldVersion, oldIn);
        ImpactReport.Side newSide = side(newLabel, newVersion, newIn);

        List<BenchTables.Table> tables = List.of();
        if (!oldSide.benchFiles().isEmpty() || !newSide.benchFiles().isEmpty()) {
            if (oldSide.benchFiles().isEmpty() || newSide.benchFiles().isEmpty()) {
                throw new BadInputException("benchmark files on one side only ("
                        + String.join(", ", oldSide.benchFiles().isEmpty() ? newSide.benchFiles()
                        : oldSide.benchFiles()) + "): give both toolchains' results");
            }
            BenchTables.Options o = new BenchTables.Options(".fullname", ".file", "", r.filter(), r.confidence(),
                    r.alpha());
            tables = BenchTables.build(List.of(relabel(oldLabel, oldIn), relabel(newLabel, newIn)), o);
            if (tables.isEmpty()) {
                throw new BadInputException("no benchmark results" + (o.filter().equals("*") ? ""
                        : " match the filter"));
            }
        }
        DiffView view = null;
        ImpactReport.PerOp perOp = null;
        List<ImpactReport.OneSided> oneSide = List.of();
        Map<String, String> renamed = Map.of();
        if (!oldSide.profiles().isEmpty() || !newSide.profiles().isEmpty()) {
            if (oldSide.profiles().isEmpty() || newSide.profiles().isEmpty()) {
                throw new BadInputException("profiles on one side only (" + String.join(", ",
                        oldSide.profiles().isEmpty() ? newSide.profiles() : oldSide.profiles())
                        + "): give both toolchains' profiles");
            }
            // one name for the runtime functions that moved between the versions, so that the same
            // work is compared rather than listed as gone on one side and new on the other
            GoRenames.Renamed base = GoRenames.toNewest(ProfileMerger.combine(profiles(oldIn)));
            GoRenames.Renamed neu = GoRenames.toNewest(ProfileMerger.combine(profiles(newIn)));
            renamed = new TreeMap<>(base.renamed());
            renamed.putAll(neu.renamed());
            // the work behind each side's profile, when the inputs count it: NEW at OLD's number of
            // operations, so a side that ran longer (more benchmark iterations, more requests) is
            // compared for the same work
            Profile neuProfile = neu.profile();
            Ops oldOps = ops(oldIn);
            Ops newOps = ops(newIn);
            if (oldOps != null && newOps != null && oldOps.source().equals(newOps.source())) {
                double ratio = (double) oldOps.count() / newOps.count();
                double[] ratios = new double[neuProfile.sampleTypes().size()];
                java.util.Arrays.fill(ratios, ratio);
                neuProfile = ProfileMerger.scale(neuProfile, ratios);
                perOp = new ImpactReport.PerOp(oldOps.source(), oldOps.count(), newOps.count(), ratio);
            } else if (oldOps != null || newOps != null) {
                warnings.add("the CPU profiles are compared in absolute values: "
                        + (oldOps == null || newOps == null ? "only one side counts its operations"
                        : "one side counts benchmark iterations, the other requests"));
            }
            // as godiag diff with its defaults: absolute (or per-op) values, never normalized (the sides'
            // totals say how the cost differed; normalizing would hide a change of the whole), no filters
            Comparison.Compared c = Comparison.compare(base.profile(), neuProfile, new Comparison.Options(
                    "the profiles of " + oldLabel + " and " + newLabel, null, false, false, "", Filters.NONE,
                    NodeOptions.DEFAULT,
                    String.join("+", oldSide.profiles()), String.join("+", newSide.profiles()), r.nodeCount(),
                    "minimum"), new ArrayList<>());
            view = c.view();
            oneSide = ImpactReport.oneSided(c.result());
        }
        if (perOp == null && (has(oldIn, true) || has(newIn, true))) {
            throw new BadInputException("load summaries count the requests behind CPU profiles: give each side's"
                    + " profile and load summary");
        }
        return new ImpactResult(new ImpactReport(oldSide, newSide, tables, view, oneSide, renamed, perOp), warnings);
    }

    /** How many operations a side's profile covers, and what counted them. */
    private record Ops(String source, long count) {
    }

    /**
     * The requests of a side's load summaries, else the iterations of its benchmark results when they
     * are all one benchmark's (the profile of several benchmarks has no one operation), else null.
     * Iterations are those go test prints: its short calibration runs before each are not counted.
     */
    private static Ops ops(List<Input> side) {
        if (has(side, true)) {
            long n = 0;
            for (Input in : side) {
                if (in.load() != null) {
                    if (in.load().requests() <= 0) {
                        return null;
                    }
                    n += in.load().requests();
                }
            }
            return new Ops("requests", n);
        }
        Set<String> names = new LinkedHashSet<>();
        long n = 0;
        for (Input in : side) {
            if (in.bench() != null) {
                for (BenchResult r : in.bench().results()) {
                    names.add(r.fullName());
                    n += r.iterations();
                }
            }
        }
        return names.size() == 1 && n > 0 ? new Ops("benchmark iterations", n) : null;
    }

    private static boolean has(List<Input> side, boolean load) {
        return side.stream().anyMatch(in -> load && in.load() != null);
    }

    /** Reads each input as a benchmark file when it has results, else as a profile. */
    private List<Input> read(List<Source> sources, List<String> warnings) {
        List<Input> out = new ArrayList<>();
        for (Source s : sources) {
            String name = s.name();
            byte[] data;
            try {
                data = s.readAll(context.limits());
            } catch (BadInputException e) {
                throw e.getMessage().startsWith(name) ? e : new BadInputException(name + ": " + e.getMessage());
            }
            if (data.length == 0) {
                throw new BadInputException(name + ": empty file");
            }
            if (!Gzip.isGzip(data)) {
                String text = new String(data, StandardCharsets.UTF_8);
                BenchFile f = BenchReader.read(name, text);
                if (!f.results().isEmpty()) {
                    warnings.addAll(f.warnings());
                    out.add(new Input(name, f, null, null));
                    continue;
                }
                if (LoadReader.recognize(text) != null) {
                    out.add(new Input(name, null, null, LoadReader.read(name, text)));
                    continue;
                }
            }
            Profile p;
            try {
                p = ProfileLoader.withMapping(ProfileReader.read(data, context.limits().maxInflate()));
            } catch (BadInputException e) {
                throw new BadInputException(name + ": neither benchmark results nor a profile: " + e.getMessage(),
                        e);
            }
            out.add(new Input(name, null, p, null));
        }
        return out;
    }

    /** Without groups: the go: key of every result decides its side; the older version is OLD. */
    private static void splitByVersion(List<Input> all, List<Input> oldIn, List<Input> newIn) {
        Set<String> versions = new LinkedHashSet<>();
        for (Input in : all) {
            if (in.bench() == null) {
                throw new BadInputException(in.name() + ": a " + (in.profile() != null ? "profile" : "load summary")
                        + "'s toolchain cannot be told from its content; give the groups OLD... -- NEW...");
            }
            for (BenchResult r : in.bench().results()) {
                String v = goVersion(r);
                if (v == null) {
                    throw new BadInputException(in.name() + ":" + r.line() + ": no go: or goversion: configuration"
                            + " line names the toolchain; add one or give the groups OLD... -- NEW...");
                }
                versions.add(v);
            }
        }
        if (versions.size() != 2) {
            throw new BadInputException("the benchmark files name " + versions.size() + " Go version"
                    + (versions.size() == 1 ? "" : "s") + " " + versions + ", not two: give the groups OLD... -- NEW...");
        }
        List<String> vs = new ArrayList<>(versions);
        vs.sort(ImpactPipeline::compareVersions);
        for (Input in : all) {
            List<BenchResult> o = new ArrayList<>();
            List<BenchResult> n = new ArrayList<>();
            for (BenchResult r : in.bench().results()) {
                (goVersion(r).equals(vs.get(0)) ? o : n).add(r);
            }
            BenchFile f = in.bench();
            if (!o.isEmpty()) {
                oldIn.add(new Input(in.name(), new BenchFile(f.name(), o, f.units(), List.of()), null, null));
            }
            if (!n.isEmpty()) {
                newIn.add(new Input(in.name(), new BenchFile(f.name(), n, f.units(), List.of()), null, null));
            }
        }
    }

    private static String goVersion(BenchResult r) {
        for (String k : GO_KEYS) {
            String v = r.config().get(k);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    /** The one Go version a side's benchmark results name, null when none; an error when several. */
    private static String version(List<Input> side, String what) {
        Set<String> vs = new LinkedHashSet<>();
        boolean missing = false;
        for (Input in : side) {
            if (in.bench() != null) {
                for (BenchResult r : in.bench().results()) {
                    String v = goVersion(r);
                    if (v == null) {
                        missing = true;
                    } else {
                        vs.add(v);
                    }
                }
            }
        }
        if (vs.size() > 1) {
            throw new BadInputException(what + "'s benchmark files name several Go versions " + vs
                    + ": one toolchain per side");
        }
        return vs.isEmpty() || missing ? null : vs.iterator().next();
    }

    /** go1.9 < go1.19 < go1.27rc1 < go1.27: by the numbers, then the text. */
    static int compareVersions(String a, String b) {
        String[] x = a.replaceAll("^go", "").split("[^0-9]+");
        String[] y = b.replaceAll("^go", "").split("[^0-9]+");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i].isEmpty() || y[i].isEmpty()) {
                break;
            }
            int c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return a.compareTo(b);
    }

    private static ImpactReport.Side side(String label, String version, List<Input> in) {
        List<String> bench = new ArrayList<>();
        List<String> profiles = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        for (Input i : in) {
            if (i.bench() != null) {
                if (!bench.contains(i.name())) {
                    bench.add(i.name());
                }
            } else if (i.profile() != null) {
                profiles.add(i.name());
            } else {
                loads.add(i.name());
            }
        }
        return new ImpactReport.Side(label, version, bench, profiles, loads);
    }

    /** A side's results as one file named by its label, the toolchain keys dropped so tables do not split by them. */
    private static BenchFile relabel(String label, List<Input> side) {
        List<BenchResult> results = new ArrayList<>();
        Map<String, Map<String, String>> units = new HashMap<>();
        for (Input in : side) {
            if (in.bench() == null) {
                continue;
            }
            in.bench().units().forEach((u, m) -> units.computeIfAbsent(u, k -> new LinkedHashMap<>()).putAll(m));
            for (BenchResult r : in.bench().results()) {
                Map<String, String> config = new LinkedHashMap<>(r.config());
                GO_KEYS.forEach(config::remove);
                results.add(new BenchResult(r.fullName(), r.name(), r.parts(), r.procs(), config, r.iterations(),
                        r.values(), label, r.line()));
            }
        }
        return new BenchFile(label, results, units, List.of());
    }

    private static List<Profile> profiles(List<Input> side) {
        List<Profile> out = new ArrayList<>();
        for (Input in : side) {
            if (in.profile() != null) {
                out.add(in.profile());
            }
        }
        return out;
    }
}
