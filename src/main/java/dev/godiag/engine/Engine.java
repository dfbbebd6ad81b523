package dev.godiag.engine;

import dev.godiag.analysis.compiler.EscapeReport;
import dev.godiag.analysis.retention.RetentionReport;
import dev.godiag.diagnosis.scan.ScanReport;
import dev.godiag.model.Profile;

import dev.godiag.store.BaselineRepository;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * godiag as a library: one pipeline per report, each taking a plain request and returning a result
 * the renderers lay out. Immutable and shared: one engine serves any number of concurrent
 * requests from any surface (the CLI makes one per run; a server or daemon keeps one for its
 * lifetime). Each pipeline is a class of its own in this package; this class only holds the
 * context and delegates.
 */
public final class Engine {
    private final EngineContext context;

    public Engine(EngineContext context) {
        this.context = Objects.requireNonNull(context);
    }

    public EngineContext context() {
        return context;
    }

    /** pprof's -top of the query's profiles. */
    public TopResult top(TopRequest request) {
        return new TopPipeline(context).run(request);
    }

    /** A flame graph page of the query's profiles, or an export of their stacks. */
    public FlameResult flame(FlameRequest request) {
        return new FlamePipeline(context).run(request);
    }

    /**
     * The flame graph page of a profile already read (diagnose's CPU tab), with flame's defaults,
     * titled by its inputs' names.
     */
    public FlameResult.Graph flameGraph(Profile profile, List<String> inputNames) {
        return new FlamePipeline(context).graph(profile, inputNames);
    }

    /** What grew and what shrank between two profiles. */
    public DiffResult diff(DiffRequest request) {
        return new DiffPipeline(context).run(request);
    }

    /** What a Go upgrade changed: benchmarks and CPU profiles of two toolchains. */
    public ImpactResult impact(ImpactRequest request) {
        return new ImpactPipeline(context).run(request);
    }

    /** The query's profiles merged into one (for profile.proto), or prepared for Go's PGO. */
    public MergeResult merge(MergeRequest request) {
        return new MergePipeline(context).run(request);
    }

    /** What each profile is. */
    public InfoResult info(InfoRequest request) {
        return new InfoPipeline(context).run(request);
    }

    /** Findings ranked by impact from any mix of inputs, with their advice and the report's pages. */
    public DiagnoseResult diagnose(DiagnoseRequest request) {
        return new DiagnosePipeline(context).run(request);
    }

    /** The rules a diagnosis runs. */
    public List<dev.godiag.diagnosis.Rule> rules() {
        return new DiagnosePipeline(context).rules();
    }

    /** Whether {@code key} ({@code RULE.NAME.LEVEL}) names a rule's threshold. */
    public boolean knowsThreshold(String key) {
        return new DiagnosePipeline(context).knowsThreshold(key);
    }

    /** Goroutines grouped, leaks found and explained, growth across snapshots. */
    public GoroutinesResult goroutines(GoroutinesRequest request) {
        return new GoroutinesPipeline(context).run(request);
    }

    /** GC pauses, CPU and frequency from gctrace logs or /debug/vars. */
    public GcResult gc(GcRequest request) {
        return new GcPipeline(context).run(request);
    }

    /** What Go source holds of the patterns the knowledge base knows, ranked by the given profiles. */
    public ScanReport scan(ScanRequest request) {
        return ScanPipeline.run(request, context);
    }

    /** The compiler's escapes, inlining and bounds checks, joined to profiles by file and line. */
    public EscapeReport escape(EscapeRequest request) {
        return EscapePipeline.run(request, context);
    }

    /** What each root of a heap dump retains (the dominator tree of its object graph). */
    public RetentionReport retention(RetentionRequest request) {
        return RetentionPipeline.run(request);
    }

    /** What an execution trace says: where goroutines waited, for how long, and why. */
    public TraceResult trace(TraceRequest request) {
        return new TracePipeline(context).run(request);
    }

    /** Heap growth from heap profiles, memstats or Prometheus snapshots, or a gctrace log. */
    public MemoryResult memory(MemoryRequest request) {
        return new MemoryPipeline(context).run(request);
    }

    /** benchstat's comparison of benchmark files. */
    public BenchComparison bench(BenchRequest request) {
        return new BenchPipeline(context).run(request);
    }

    /** The CI gate: candidate against a baseline (stored in {@code baselines}, opened on first use, or files). */
    public GateResult gate(GateRequest request, Supplier<BaselineRepository> baselines) {
        return new GatePipeline(context, baselines).run(request);
    }

    /** Named baselines: save, list, show, remove. */
    public BaselineResult baseline(BaselineRequest request, Supplier<BaselineRepository> baselines) {
        return new BaselinePipeline(context, baselines).run(request);
    }
}
