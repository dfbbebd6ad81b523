package dev.godiag.cli;

import dev.godiag.analysis.bench.BenchStats;
import dev.godiag.analysis.bench.BenchTables;
import dev.godiag.analysis.profile.NodeGraph;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.analysis.profile.ProfileDiff;
import dev.godiag.analysis.profile.ProfileMerger;
import dev.godiag.analysis.profile.SampleIndex;
import dev.godiag.util.BadInputException;
import dev.godiag.format.Gzip;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.ProfileReader;
import dev.godiag.format.bench.BenchReader;
import dev.godiag.model.BenchFile;
import dev.godiag.model.BenchResult;
import dev.godiag.model.Profile;
import dev.godiag.report.DiffView;
import dev.godiag.report.ImpactReport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * godiag impact: what a Go toolchain upgrade changed, benchmarks (benchstat's comparison) and CPU
 * profiles (godiag diff's) in one report. The sides are told apart by the benchmark files' go: or
 * goversion: configuration key, or by the groups OLD... -- NEW....
 */
final class ImpactCommand implements Command {
    /** The configuration keys that name the toolchain of a benchmark result. */
    static final List<String> GO_KEYS = List.of("go", "goversion");

    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.value("format", "FMT", "text (default), json or markdown; default by -o's extension"),
            OptionSpec.value("nodecount", "N", "profiles: at most N functions in each list (default 20; 0: all)"),
            OptionSpec.value("filter", "QUERY", "only benchmarks matching QUERY (as godiag bench --filter)"),
            OptionSpec.value("alpha", "A", "a difference is significant when p < A (default 0.05)"),
            OptionSpec.value("confidence", "LEVEL", "confidence level of the ranges (default 0.95)"),
            InputOptions.OUTPUT);

    private record Input(String name, BenchFile bench, Profile profile) {
    }

    @Override
    public String name() {
        return "impact";
    }

    @Override
    public String summary() {
        return "what a Go upgrade changed: benchmarks and CPU profiles of two toolchains in one report";
    }

    @Override
    public String usage() {
        return "godiag impact [OPTIONS] OLD... [-- NEW...]";
    }

    @Override
    public String description() {
        return """
                Compares the same benchmarks and CPU profiles produced by two Go toolchains. Inputs are \
                files of 'go test -bench' output and profiles (told apart by content). The sides are the \
                groups before and after '--'; without '--', the benchmark files' 'go:' or 'goversion:' \
                configuration line decides (the older version is the base) and every input must be a \
                benchmark file. The report has benchstat's table per benchmark and unit (as godiag bench \
                with the old side as the base column), the CPU profiles' top gainers and losers by flat \
                and cum with NEW scaled to OLD's total (as godiag diff), and the runtime functions that \
                have samples on one side only (a path renamed or added between versions) with what they do.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        OutputFormat format = OutputFormat.parse(a.string("format", OutputFormat.byExtension(output)),
                OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN);
        int nodeCount = a.integer("nodecount", 20);
        if (nodeCount < 0) {
            throw a.usage("--nodecount must not be negative");
        }
        double alpha = a.decimal("alpha", BenchStats.DEFAULT_ALPHA);
        double confidence = a.decimal("confidence", BenchStats.DEFAULT_CONFIDENCE);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw a.usage("--alpha must be in range [0, 1]");
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw a.usage("--confidence must be in range [0, 1]");
        }
        int sep = a.separatorIndex();
        List<String> operands = a.operands();
        if (operands.isEmpty()) {
            throw ArgParser.noOperands(name(), "benchmark file or profile");
        }
        List<Input> oldIn;
        List<Input> newIn;
        if (sep >= 0) {
            oldIn = read(Globs.expand(operands.subList(0, sep)), term);
            newIn = read(Globs.expand(operands.subList(sep, operands.size())), term);
            if (oldIn.isEmpty() || newIn.isEmpty()) {
                throw a.usage("wants inputs on both sides of '--' (OLD... -- NEW...)");
            }
        } else {
            List<Input> all = read(Globs.expand(operands), term);
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
            BenchTables.Options o = new BenchTables.Options(".fullname", ".file", "", a.string("filter", "*"),
                    confidence, alpha);
            tables = BenchTables.build(List.of(relabel(oldLabel, oldIn), relabel(newLabel, newIn)), o);
            if (tables.isEmpty()) {
                throw new BadInputException("no benchmark results" + (o.filter().equals("*") ? ""
                        : " match the filter"));
            }
        }
        DiffView view = null;
        List<ImpactReport.OneSided> oneSide = List.of();
        if (!oldSide.profiles().isEmpty() || !newSide.profiles().isEmpty()) {
            if (oldSide.profiles().isEmpty() || newSide.profiles().isEmpty()) {
                throw new BadInputException("profiles on one side only (" + String.join(", ",
                        oldSide.profiles().isEmpty() ? newSide.profiles() : oldSide.profiles())
                        + "): give both toolchains' profiles");
            }
            Profile base = ProfileMerger.combine(profiles(oldIn));
            Profile neu = ProfileMerger.combine(profiles(newIn));
            ProfileDiff.Prepared p;
            try {
                p = ProfileDiff.prepare(base, neu, true, false);
            } catch (BadInputException e) {
                throw new BadInputException("the profiles of " + oldLabel + " and " + newLabel + ": "
                        + e.getMessage(), e);
            }
            int si = SampleIndex.resolve(p.neu(), "");
            NodeGraph gb = NodeGraph.build(p.base(), si, NodeOptions.DEFAULT);
            NodeGraph gn = NodeGraph.build(p.neu(), si, NodeOptions.DEFAULT);
            var type = p.neu().sampleTypes().get(si);
            ProfileDiff.Result result = ProfileDiff.compare(gb, gn, type.type(), type.unit(), p.normalized(),
                    p.scales()[si], SampleIndex.total(p.base(), si), SampleIndex.total(p.neu(), si),
                    SampleIndex.total(p.newRaw(), si));
            view = DiffView.of(result, String.join("+", oldSide.profiles()), String.join("+", newSide.profiles()),
                    nodeCount, "minimum");
            oneSide = ImpactReport.oneSided(result);
        }
        ImpactReport report = new ImpactReport(oldSide, newSide, tables, view, oneSide);
        String text = switch (format) {
            case JSON -> report.json();
            case MARKDOWN -> report.markdown();
            default -> report.text();
        };
        Output.write(term, output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        return Main.OK;
    }

    /** Reads each input as a benchmark file when it has results, else as a profile. */
    private static List<Input> read(List<String> sources, Terminal term) {
        List<Input> out = new ArrayList<>();
        for (String s : sources) {
            byte[] data;
            try {
                data = InputSource.readAll(s, InputSource.FetchOptions.DEFAULT);
            } catch (BadInputException e) {
                throw e.getMessage().startsWith(s) ? e : new BadInputException(s + ": " + e.getMessage());
            }
            String name = ProfileLoader.displayName(s);
            if (data.length == 0) {
                throw new BadInputException(name + ": empty file");
            }
            boolean gzip = data.length > 1 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
            if (!gzip) {
                BenchFile f = BenchReader.read(name, new String(data, StandardCharsets.UTF_8));
                if (!f.results().isEmpty()) {
                    f.warnings().forEach(term::warn);
                    out.add(new Input(name, f, null));
                    continue;
                }
            }
            Profile p;
            try {
                p = ProfileLoader.withMapping(ProfileReader.read(data, Gzip.configuredLimit()));
            } catch (BadInputException e) {
                throw new BadInputException(name + ": neither benchmark results nor a profile: " + e.getMessage(),
                        e);
            }
            out.add(new Input(name, null, p));
        }
        return out;
    }

    /** Without '--': the go: key of every result decides its side; the older version is OLD. */
    private static void splitByVersion(List<Input> all, List<Input> oldIn, List<Input> newIn) {
        Set<String> versions = new LinkedHashSet<>();
        for (Input in : all) {
            if (in.profile() != null) {
                throw new BadInputException(in.name() + ": a profile's toolchain cannot be told from its content;"
                        + " give the groups OLD... -- NEW...");
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
        vs.sort(ImpactCommand::compareVersions);
        for (Input in : all) {
            List<BenchResult> o = new ArrayList<>();
            List<BenchResult> n = new ArrayList<>();
            for (BenchResult r : in.bench().results()) {
                (goVersion(r).equals(vs.get(0)) ? o : n).add(r);
            }
            BenchFile f = in.bench();
            if (!o.isEmpty()) {
                oldIn.add(new Input(in.name(), new BenchFile(f.name(), o, f.units(), List.of()), null));
            }
            if (!n.isEmpty()) {
                newIn.add(new Input(in.name(), new BenchFile(f.name(), n, f.units(), List.of()), null));
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
        for (Input i : in) {
            if (i.bench() != null) {
                if (!bench.contains(i.name())) {
                    bench.add(i.name());
                }
            } else {
                profiles.add(i.name());
            }
        }
        return new ImpactReport.Side(label, version, bench, profiles);
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
