package dev.godiag.cli;

import dev.godiag.analysis.profile.CallTree;
import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.analysis.profile.Granularity;
import dev.godiag.analysis.runtime.MemoryGrowth;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.analysis.profile.SampleIndex;
import dev.godiag.util.Units;
import dev.godiag.diagnosis.Diagnoser;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.KnowledgeBase;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.Severity;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.util.BadInputException;
import dev.godiag.format.InputSource;
import dev.godiag.model.GcTrace;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.Profile;
import dev.godiag.report.DiagnosisRenderers;
import dev.godiag.report.FlameHtmlRenderer;
import dev.godiag.report.GcRenderers;
import dev.godiag.report.GoroutineHtmlRenderer;
import dev.godiag.report.ProfileLegend;
import dev.godiag.report.RuntimeHtmlRenderer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** godiag diagnose: what is wrong, why, where in the code and what to change, from whatever inputs are given. */
final class DiagnoseCommand implements Command {
    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.value("format", "FMT", "text (default), json, markdown or html; default by -o's extension"),
            OptionSpec.value("min-severity", "SEV", "show findings at or above SEV: info (default), warning, critical"),
            OptionSpec.value("fail-on", "SEV", "exit 1 when a finding reaches SEV: info (any finding), warning,"
                    + " critical, or none (default)"),
            OptionSpec.value("source-root", "DIR", "show the source line of each finding whose file resolves under"
                    + " DIR (matched by path suffix)"),
            OptionSpec.value("source-url", "TEMPLATE", "link each finding's location, e.g."
                    + " https://github.com/org/repo/blob/main/{file}#L{line}"),
            OptionSpec.value("kb", "DIR", "your own knowledge-base cards (YAML) next to godiag's"),
            OptionSpec.list("threshold", "RULE.NAME.LEVEL=VALUE", "override a rule's threshold, e.g."
                    + " cpu.hotspot.ownFlatShare.warning=0.2 (levels: info, warning, critical; see --rules)"),
            OptionSpec.flag("rules", "list the rules with their thresholds and exit"),
            OptionSpec.value("seconds", "N", "URLs: length of the CPU profile of a /debug/pprof/ base (default 5)"),
            OptionSpec.flag("no-cpu", "URLs: do not take a CPU profile"),
            InputOptions.OUTPUT,
            InputOptions.FETCH.get(0),
            InputOptions.FETCH.get(1));

    @Override
    public String name() {
        return "diagnose";
    }

    @Override
    public String summary() {
        return "findings ranked by impact from any mix of profiles, dumps, logs and live services";
    }

    @Override
    public String usage() {
        return "godiag diagnose [OPTIONS] INPUT...";
    }

    @Override
    public String description() {
        return """
                Reads whatever is given (profiles of every kind, goroutine dumps, gctrace logs, \
                /debug/vars JSON, Prometheus /metrics text; files, globs, directories read \
                recursively, or a live service's http://HOST/debug/pprof/ base, from which the \
                goroutine, heap, allocs, block and mutex profiles, a CPU profile and /debug/vars and \
                /metrics when present are fetched), tells each input's kind by its content, orders \
                snapshots of one kind into a series (by the time inside the data, else by natural \
                file-name order), runs every diagnosis rule on them together and reports the \
                findings ranked by score: severity, what, where in the code, the evidence behind \
                it and the fix. Files in a directory that are not inputs are skipped with a note. \
                Exit code 1 when a finding reaches --fail-on.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        if (a.flag("rules")) {
            term.print(ruleList(Diagnoser.withRegisteredRules()));
            return Main.OK;
        }
        String output = a.string("output", null);
        OutputFormat format = InputOptions.format(a, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN,
                OutputFormat.HTML);
        if (a.operands().isEmpty()) {
            throw ArgParser.noOperands(name(), "input (file, directory or URL)");
        }
        Severity min = severity(a, "min-severity", "info", false);
        Severity failOn = severity(a, "fail-on", "none", true);
        int seconds = a.integer("seconds", 5);
        if (seconds < 1) {
            throw a.usage("--seconds must be at least 1");
        }
        Path sourceRoot = null;
        if (a.string("source-root", null) != null) {
            sourceRoot = Path.of(a.string("source-root", null));
            if (!Files.isDirectory(sourceRoot)) {
                throw a.usage("--source-root " + sourceRoot + ": not a directory");
            }
        }
        String sourceUrl = a.string("source-url", null);
        Cards cards = Cards.load(a.string("kb", null));

        InputSource.FetchOptions fetch = new InputSource.FetchOptions(0, a.integer("timeout", 0));
        DiagnoseInputs.Result in = DiagnoseInputs.read(a.operands(), fetch, InputOptions.inflateLimit(a),
                new DiagnoseInputs.Live(!a.flag("no-cpu"), seconds));
        if (in.rows().stream().noneMatch(DiagnosisRenderers.InputRow::used)) {
            throw new BadInputException("no input to diagnose among " + in.rows().size()
                    + " files (profiles, goroutine dumps, gctrace logs, /debug/vars or /metrics)");
        }
        in.input().gcTraces().forEach(t -> t.warningLines().forEach(term::warn)); // lines the rules do not see
        Diagnoser diagnoser = Diagnoser.withRegisteredRules();
        List<Finding> findings = diagnoser.run(in.input(), thresholds(a, diagnoser));

        List<DiagnosisRenderers.Item> items = new ArrayList<>();
        int hidden = 0;
        boolean failed = false;
        SourceLines sources = new SourceLines(sourceRoot);
        for (Finding f : findings) {
            if (failOn != null && f.severity().compareTo(failOn) >= 0) {
                failed = true;
            }
            if (f.severity().compareTo(min) < 0) {
                hidden++;
                continue;
            }
            String line = null;
            String url = null;
            if (f.location() != null && f.location().file() != null && !f.location().file().isEmpty()) {
                SourceLines.Resolved r = sources.resolve(f.location().file());
                if (r != null && f.location().line() > 0) {
                    line = r.line(f.location().line());
                }
                if (sourceUrl != null) {
                    url = sourceUrl.replace("{file}", r != null ? r.relative() : f.location().file())
                            .replace("{line}", f.location().line() > 0 ? Long.toString(f.location().line()) : "");
                }
            }
            items.add(new DiagnosisRenderers.Item(f, line, url, cards.of(f.cards())));
        }
        DiagnosisRenderers.Report report = new DiagnosisRenderers.Report(in.rows(), items,
                diagnoser.rules().size(), hidden, min.id());
        if (format == OutputFormat.HTML) {
            List<DiagnosisRenderers.Tab> tabs = tabs(in.input(), term);
            Output.write(term, output, os -> DiagnosisRenderers.html(report, Main.version(), tabs, os));
        } else {
            String text = switch (format) {
                case JSON -> DiagnosisRenderers.json(report, Main.version());
                case MARKDOWN -> DiagnosisRenderers.markdown(report);
                default -> DiagnosisRenderers.text(report);
            };
            Output.write(term, output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        }
        return failed ? 1 : Main.OK;
    }

    /**
     * The joined HTML page's tabs: the flame graph of the merged CPU profiles, the goroutine report,
     * the gc page of the gctrace log and the memory page of the heap profiles, each the page its
     * own command writes, for what the inputs have.
     */
    private static List<DiagnosisRenderers.Tab> tabs(DiagnosisInput in, Terminal term) {
        List<DiagnosisRenderers.Tab> tabs = new ArrayList<>();
        String version = Main.version();
        tab(term, tabs, "flame", "CPU flame graph", () -> {
            Profile cpu = in.merged(DiagnosisInput.Kind.CPU_PROFILE);
            if (cpu == null) {
                return null;
            }
            int si = SampleIndex.resolve(cpu, null);
            CallTree tree = CallTree.of(cpu, si, new NodeOptions(Granularity.FUNCTIONS, false, false, ""), 0)
                    .truncate(FlameCommand.DEFAULT_MAX_NODES, 0, si);
            var type = cpu.sampleTypes().get(si);
            String title = String.join(" ", in.profiles(DiagnosisInput.Kind.CPU_PROFILE).stream()
                    .map(p -> ProfileOptions.baseName(p.name())).toList());
            var page = new FlameHtmlRenderer.Page(title, ProfileLegend.lines(cpu, type.type(), type.unit(),
                    tree.total(0, si), v -> Units.label(v, type.unit())), version, cpu.sampleTypes(), si, false, 0,
                    FlameCommand.DEFAULT_MAX_NODES, 0);
            return os -> FlameHtmlRenderer.write(tree, page, null, os);
        });
        tab(term, tabs, "goroutines", "Goroutines", () -> {
            GoroutineAnalysis.Result g = in.goroutineAnalysis();
            if (g == null) {
                return null;
            }
            List<String> names = in.goroutineSnapshots().stream().map(GoroutineDump::source).toList();
            return os -> GoroutineHtmlRenderer.write(g, names, g.rows(), version, os);
        });
        tab(term, tabs, "gc", "GC", () -> {
            GcAnalysis.Result gc = in.gcAnalysis();
            if (gc == null) {
                return null;
            }
            GcTrace trace = in.gcTraces().get(0);
            var reports = List.of(GcRenderers.Report.ofLog(trace.source(), trace, gc));
            return os -> RuntimeHtmlRenderer.gc(reports, version, os);
        });
        tab(term, tabs, "memory", "Memory", () -> {
            MemoryGrowth.Result m = in.heapGrowth();
            if (m == null) {
                return null;
            }
            List<String> names = in.profiles(DiagnosisInput.Kind.HEAP_PROFILE).stream()
                    .map(DiagnosisInput.NamedProfile::name).toList();
            return os -> RuntimeHtmlRenderer.memory(m, "heap profiles", names, version, os);
        });
        return tabs;
    }

    /** Adds a tab when the inputs have its page; a page that cannot be made is left out with a warning. */
    private static void tab(Terminal term, List<DiagnosisRenderers.Tab> tabs, String id, String label,
                            java.util.function.Supplier<DiagnosisRenderers.PageWriter> page) {
        try {
            DiagnosisRenderers.PageWriter w = page.get();
            if (w != null) {
                tabs.add(DiagnosisRenderers.Tab.of(id, label, w));
            }
        } catch (IOException | RuntimeException e) {
            term.warn("diagnose: no " + label + " tab: " + e.getMessage());
        }
    }

    private static Severity severity(ParsedArgs a, String option, String fallback, boolean noneAllowed) {
        String s = a.string(option, fallback).trim().toLowerCase(java.util.Locale.ROOT);
        if (noneAllowed && s.equals("none")) {
            return null;
        }
        return switch (s) {
            case "info" -> Severity.INFO;
            case "warning" -> Severity.WARNING;
            case "critical" -> Severity.CRITICAL;
            default -> throw a.usage("--" + option + ": unknown severity '" + s + "' (one of: "
                    + (option.equals("fail-on") ? "info, warning, critical, none" : "info, warning, critical") + ")");
        };
    }

    /** Source files found under --source-root by the longest suffix of a finding's file path. */
    static final class SourceLines {
        record Resolved(Path file, String relative, List<String> lines) {
            String line(long n) {
                return n >= 1 && n <= lines.size() ? lines.get((int) n - 1) : null;
            }
        }

        private final Path root;
        private final Map<String, Resolved> cache = new HashMap<>();

        SourceLines(Path root) {
            this.root = root;
        }

        Resolved resolve(String file) {
            if (root == null) {
                return null;
            }
            return cache.computeIfAbsent(file, this::find);
        }

        private Resolved find(String file) {
            String[] parts = file.replace('\\', '/').split("/");
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].isEmpty()) {
                    continue;
                }
                String suffix = String.join("/", java.util.Arrays.copyOfRange(parts, i, parts.length));
                try {
                    Path p = root.resolve(suffix).normalize();
                    if (p.startsWith(root.normalize()) && Files.isRegularFile(p)) {
                        return new Resolved(p, suffix, Files.readAllLines(p, StandardCharsets.UTF_8));
                    }
                } catch (IOException | RuntimeException e) {
                    // not this one: try a shorter suffix
                }
            }
            return null;
        }
    }

    /** --threshold RULE.NAME.LEVEL=VALUE, checked against the rules' own thresholds. */
    static RuleConfig thresholds(ParsedArgs a, Diagnoser diagnoser) {
        Map<String, Double> overrides = new HashMap<>();
        for (String t : a.list("threshold")) {
            int eq = t.indexOf('=');
            String key = eq < 0 ? t : t.substring(0, eq).trim();
            int level = key.lastIndexOf('.');
            String levelName = level < 0 ? "" : key.substring(level + 1);
            String threshold = level < 0 ? "" : key.substring(0, level);
            boolean known = List.of("info", "warning", "critical").contains(levelName)
                    && diagnoser.rules().stream().anyMatch(r -> r.thresholds().stream()
                    .anyMatch(th -> threshold.equals(r.id() + "." + th.name())));
            if (eq < 0 || !known) {
                throw a.usage("--threshold " + t + ": not RULE.NAME.LEVEL=VALUE of a known threshold"
                        + " (godiag diagnose --rules lists them)");
            }
            try {
                overrides.put(key, Double.parseDouble(t.substring(eq + 1).trim()));
            } catch (NumberFormatException e) {
                throw a.usage("--threshold " + t + ": not a number after '='");
            }
        }
        return new RuleConfig(overrides);
    }

    /** --rules: every rule, what it looks for, and its thresholds. */
    static String ruleList(Diagnoser diagnoser) {
        StringBuilder sb = new StringBuilder();
        for (Rule r : diagnoser.rules()) {
            sb.append(r.id()).append("  ").append(r.description()).append('\n');
            for (Threshold t : r.thresholds()) {
                sb.append("    ").append(r.id()).append('.').append(t.name()).append(" (").append(t.unit())
                        .append("): info ").append(num(t.info())).append(", warning ").append(num(t.warning()))
                        .append(", critical ").append(num(t.critical())).append(" - ").append(t.description())
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The knowledge base's cards (godiag's, and --kb's): titles and verify commands by id. */
    static final class Cards {
        private final KnowledgeBase kb;

        private Cards(KnowledgeBase kb) {
            this.kb = kb;
        }

        static Cards load(String dir) {
            if (dir != null && !Files.isDirectory(Path.of(dir))) {
                throw new BadInputException("--kb " + dir + ": not a directory");
            }
            try {
                return new Cards(KnowledgeBase.load(dir == null ? null : Path.of(dir)));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--kb: " + e.getMessage(), e);
            }
        }

        List<DiagnosisRenderers.CardRef> of(List<String> ids) {
            List<DiagnosisRenderers.CardRef> out = new ArrayList<>();
            for (String id : ids) {
                KnowledgeBase.Card c = kb.card(id);
                out.add(c == null ? new DiagnosisRenderers.CardRef(id, null, List.of())
                        : new DiagnosisRenderers.CardRef(id, c.title(),
                        c.verify().stream().map(KnowledgeBase.Verify::command).toList()));
            }
            return out;
        }
    }
}
