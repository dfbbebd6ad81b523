package dev.godiag.engine;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.analysis.runtime.GcAnalysis;
import dev.godiag.analysis.runtime.MemoryGrowth;
import dev.godiag.analysis.trace.TraceAnalysis;
import dev.godiag.diagnosis.Diagnoser;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.KnowledgeBase;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RootCause;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.model.GcTrace;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.Profile;
import dev.godiag.report.DiagnosisRenderers;
import dev.godiag.report.FlameHtmlRenderer;
import dev.godiag.report.GcRenderers;
import dev.godiag.report.GoroutineHtmlRenderer;
import dev.godiag.report.RuntimeHtmlRenderer;
import dev.godiag.report.TraceHtmlRenderer;
import dev.godiag.util.BadInputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * godiag diagnose as a library: reads the inputs ({@link DiagnoseInputs}), runs every rule, and
 * resolves what the report shows of each finding: the severity filter, the fail-on decision, the
 * source line under the source root, the link from the URL template and the knowledge-base cards;
 * on request, the joined page's tabs. Holds no state between runs: one pipeline serves concurrent
 * requests.
 */
public final class DiagnosePipeline {

    private final EngineContext context;
    private final Diagnoser diagnoser = Diagnoser.withRegisteredRules();

    public DiagnosePipeline(EngineContext context) {
        this.context = context;
    }

    /** The rules a diagnosis runs. */
    public List<Rule> rules() {
        return diagnoser.rules();
    }

    /** Whether {@code key} ({@code RULE.NAME.LEVEL}, level info, warning or critical) is a rule's threshold. */
    public boolean knowsThreshold(String key) {
        int level = key.lastIndexOf('.');
        String levelName = level < 0 ? "" : key.substring(level + 1);
        String threshold = level < 0 ? "" : key.substring(0, level);
        return List.of("info", "warning", "critical").contains(levelName)
                && diagnoser.rules().stream().anyMatch(r -> r.info().thresholds().stream()
                .anyMatch(th -> threshold.equals(r.id() + "." + th.name())));
    }

    public DiagnoseResult run(DiagnoseRequest request) {
        for (String key : request.thresholds().keySet()) {
            if (!knowsThreshold(key)) {
                throw new BadInputException("threshold " + key + ": not RULE.NAME.LEVEL of a known threshold");
            }
        }
        KnowledgeBase kb = knowledgeBase(request);
        DiagnoseInputs.Result in = DiagnoseInputs.read(request.inputs(), context, request.live(),
                request.binary());
        if (in.rows().stream().noneMatch(DiagnosisRenderers.InputRow::used)) {
            throw new BadInputException("no input to diagnose among " + in.rows().size()
                    + " files (profiles, goroutine dumps, gctrace logs, /debug/vars or /metrics)");
        }
        List<Finding> findings = diagnoser.run(in.input(), new RuleConfig(request.thresholds()));

        List<DiagnosisRenderers.Item> items = new ArrayList<>();
        int hidden = 0;
        boolean failed = false;
        SourceLines sources = new SourceLines(request.sourceRoot());
        List<String> warnings = new ArrayList<>();
        List<ScanPipeline.Keyed> scanned = request.sourceRoot() == null ? List.of()
                : ScanPipeline.sourceFindings(request.sourceRoot(), new ArrayList<>());
        Set<String> ids = new HashSet<>();
        for (RootCause cause : RootCause.group(findings)) {
            Finding f = cause.lead();
            if (request.failOn() != null && f.severity().compareTo(request.failOn()) >= 0) {
                failed = true;
            }
            if (f.severity().compareTo(request.minSeverity()) < 0) {
                hidden += 1 + cause.related().size();
                continue;
            }
            String line = null;
            String url = null;
            DiagnosisRenderers.SourceWindow window = null;
            if (f.location() != null && f.location().file() != null && !f.location().file().isEmpty()) {
                SourceLines.Resolved r = sources.resolve(f.location().file());
                if (r != null && f.location().line() > 0) {
                    line = r.line(f.location().line());
                }
                if (r != null) {
                    SourceLines.Window w = SourceLines.window(r, f.location().line(), f.location().function());
                    if (w != null) {
                        window = new DiagnosisRenderers.SourceWindow(r.relative(), w.first(), w.mark(), w.lines());
                    }
                }
                if (request.sourceUrl() != null) {
                    long at = f.location().line() > 0 ? f.location().line() : window != null ? window.mark() : 0;
                    url = SourceLinks.link(request.sourceUrl(), r != null ? r.relative() : f.location().file(), r != null,
                            at);
                }
            }
            String id = DiagnosisRenderers.Item.idOf(f);
            for (int n = 2; !ids.add(id); n++) {
                id = DiagnosisRenderers.Item.idOf(f) + "-" + n;
            }
            List<DiagnosisRenderers.Related> related = cause.related().stream()
                    .map(o -> new DiagnosisRenderers.Related(o, kb.advice(o, in.input()))).toList();
            items.add(new DiagnosisRenderers.Item(f, line, url, kb.advice(f, in.input()), id, related, window,
                    inSource(f, scanned)));
        }
        DiagnosisRenderers.Report report = new DiagnosisRenderers.Report(in.rows(), items,
                diagnoser.rules().size(), hidden, request.minSeverity().id(), DiagnoseHealth.of(in.input(), findings));
        in.input().gcTraces().forEach(t -> warnings.addAll(t.warningLines())); // lines the rules do not see
        List<DiagnosisRenderers.Tab> tabs = request.tabs() ? tabs(in.input(), warnings) : List.of();
        return new DiagnoseResult(report, tabs, warnings, failed);
    }

    /** Scan findings attached to one finding at most. */
    static final int IN_SOURCE_LIMIT = 5;

    /**
     * The scan findings in the code a finding points at: in its file, in its function (or a closure
     * of it) or in a construct (a loop) spanning its line.
     */
    static List<dev.godiag.diagnosis.scan.ScanFinding> inSource(Finding f, List<ScanPipeline.Keyed> scanned) {
        if (scanned.isEmpty() || f.location() == null || f.location().file() == null
                || f.location().file().isEmpty()) {
            return List.of();
        }
        String function = shortFunction(f.location().function());
        long line = f.location().line();
        List<dev.godiag.diagnosis.scan.ScanFinding> out = new ArrayList<>();
        for (ScanPipeline.Keyed k : scanned) {
            var s = k.finding();
            if (!dev.godiag.diagnosis.scan.ProfileWeights.sameFile(f.location().file(), k.profileKey())) {
                continue;
            }
            boolean inFunction = function != null && !s.function().isEmpty()
                    && (function.equals(s.function()) || function.startsWith(s.function() + ".func"));
            boolean spansLine = line > 0 && line >= s.spanStart() && line <= s.spanEnd();
            if ((inFunction || spansLine) && out.size() < IN_SOURCE_LIMIT) {
                out.add(s);
            }
        }
        return out;
    }

    /** A profile's function name without its package path: "(*Server).handle", "handle.func1". */
    static String shortFunction(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        String tail = name.substring(name.lastIndexOf('/') + 1);
        int dot = tail.indexOf('.');
        return dot < 0 ? null : tail.substring(dot + 1).replaceAll("\\[[^\\]]*\\]", "");
    }

    /** godiag's cards (read once per JVM), with the request's own on top (read per request: the user may edit them). */
    private static KnowledgeBase knowledgeBase(DiagnoseRequest request) {
        try {
            return KnowledgeBase.shipped().withUserDirectory(request.knowledgeDir());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("knowledge base: " + e.getMessage(), e);
        }
    }

    /**
     * The joined HTML page's tabs: the flame graph of the merged CPU profiles, the goroutine report,
     * the gc page of the gctrace log, the memory page of the heap profiles and the trace page of the
     * first execution trace, each the page its
     * own command writes, for what the inputs have.
     */
    private List<DiagnosisRenderers.Tab> tabs(DiagnosisInput in, List<String> warnings) {
        List<DiagnosisRenderers.Tab> tabs = new ArrayList<>();
        String version = context.version();
        tab(warnings, tabs, "flame", "CPU flame graph", () -> {
            Profile cpu = in.merged(DiagnosisInput.Kind.CPU_PROFILE);
            if (cpu == null) {
                return null;
            }
            FlameResult.Graph g = new FlamePipeline(context).graph(cpu, in.profiles(DiagnosisInput.Kind.CPU_PROFILE)
                    .stream().map(DiagnosisInput.NamedProfile::name).toList());
            return os -> FlameHtmlRenderer.write(g.tree(), g.page(), null, os);
        });
        tab(warnings, tabs, "goroutines", "Goroutines", () -> {
            GoroutineAnalysis.Result g = in.goroutineAnalysis();
            if (g == null) {
                return null;
            }
            List<String> names = in.goroutineSnapshots().stream().map(GoroutineDump::source).toList();
            return os -> GoroutineHtmlRenderer.write(g, names, g.rows(), version, os);
        });
        tab(warnings, tabs, "gc", "GC", () -> {
            GcAnalysis.Result gc = in.gcAnalysis();
            if (gc == null) {
                return null;
            }
            GcTrace trace = in.gcTraces().get(0);
            var reports = List.of(GcRenderers.Report.ofLog(trace.source(), trace, gc));
            return os -> RuntimeHtmlRenderer.gc(reports, version, os);
        });
        tab(warnings, tabs, "memory", "Memory", () -> {
            MemoryGrowth.Result m = in.heapGrowth();
            if (m == null) {
                return null;
            }
            List<String> names = in.profiles(DiagnosisInput.Kind.HEAP_PROFILE).stream()
                    .map(DiagnosisInput.NamedProfile::name).toList();
            return os -> RuntimeHtmlRenderer.memory(m, "heap profiles", names, version, os);
        });
        tab(warnings, tabs, "trace", "Trace", () -> {
            List<TraceAnalysis> traces = in.traces();
            return traces.isEmpty() ? null : os -> TraceHtmlRenderer.write(traces.get(0), version, os);
        });
        return tabs;
    }

    /** Adds a tab when the inputs have its page; a page that cannot be made is left out with a warning. */
    private static void tab(List<String> warnings, List<DiagnosisRenderers.Tab> tabs, String id, String label,
                            Supplier<DiagnosisRenderers.PageWriter> page) {
        try {
            DiagnosisRenderers.PageWriter w = page.get();
            if (w != null) {
                tabs.add(DiagnosisRenderers.Tab.of(id, label, w));
            }
        } catch (IOException | RuntimeException e) {
            warnings.add("diagnose: no " + label + " tab: " + e.getMessage());
        }
    }
}
