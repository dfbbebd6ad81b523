package dev.godiag.engine;

import dev.godiag.analysis.profile.Granularity;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.analysis.runtime.MemoryGrowth;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.Inputs;
import dev.godiag.format.Source;
import dev.godiag.model.ExpvarSnapshot;
import dev.godiag.model.GcCycle;
import dev.godiag.model.GcTrace;
import dev.godiag.model.GoCollectorMetrics;
import dev.godiag.model.Profile;
import dev.godiag.model.PromMetrics;
import dev.godiag.model.RuntimeInput;
import dev.godiag.util.BadInputException;

import java.util.ArrayList;
import java.util.List;

/** godiag memory: does the heap come back, and if not, where does it go. */
public final class MemoryPipeline {
    private final EngineContext ctx;

    public MemoryPipeline(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** Either a profile or a runtime input, never both. */
    private record Input(String name, Profile profile, RuntimeInput runtime) {
    }

    public MemoryResult run(MemoryRequest r) {
        List<Input> inputs = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Source s : r.sources()) {
            inputs.add(load(s));
        }
        List<String> names = inputs.stream().map(Input::name).toList();
        MemoryGrowth.Result result;
        String kind;
        Input first = inputs.get(0);
        if (first.profile() != null) {
            List<Profile> profiles = new ArrayList<>();
            for (Input in : inputs) {
                if (in.profile() == null) {
                    throw mixed(in);
                }
                profiles.add(in.profile());
            }
            try {
                result = MemoryGrowth.ofHeapProfiles(names, profiles, new NodeOptions(Granularity.LINES, false, false,
                        ""));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage());
            }
            kind = "heap profiles";
        } else if (first.runtime() instanceof GcTrace trace) {
            if (inputs.size() > 1) {
                throw new InvalidRequestException("one gctrace log at a time (its cycles are the series)");
            }
            List<MemoryGrowth.Point> points = new ArrayList<>();
            for (GcCycle c : trace.cycles()) {
                if (Double.isFinite(c.liveHeapMB())) {
                    points.add(new MemoryGrowth.Point("gc " + c.number(), c.atSeconds(), c.liveHeapMB() * (1 << 20),
                            Double.NaN));
                }
            }
            if (points.isEmpty()) {
                throw new BadInputException(first.name() + ": no gc lines (run the program with GODEBUG=gctrace=1)");
            }
            result = MemoryGrowth.ofSeries(points);
            kind = "GC cycles (live heap after each)";
            warnings.addAll(trace.warningLines()); // the lines left out of the series
        } else {
            List<MemoryGrowth.Point> points = new ArrayList<>();
            for (Input in : inputs) {
                points.add(point(in));
            }
            result = MemoryGrowth.ofSeries(points);
            kind = first.runtime() instanceof ExpvarSnapshot ? "memstats snapshots" : "Prometheus snapshots";
        }
        return new MemoryResult(result, kind, names, warnings);
    }

    /**
     * A heap profile (profile.proto, or Go's debug=1 heap text) or a runtime log or snapshot, told
     * apart by content ({@link Inputs}).
     */
    private Input load(Source s) {
        dev.godiag.format.Input in = Inputs.read(s, ctx.limits());
        String name = in.name();
        return switch (in) {
            case dev.godiag.format.Input.Profile p -> new Input(name, p.profile(), null);
            case dev.godiag.format.Input.GcTraceLog t -> new Input(name, null, t.trace());
            case dev.godiag.format.Input.Expvar v -> new Input(name, null, v.vars());
            case dev.godiag.format.Input.Prometheus m -> new Input(name, null, m.metrics());
            case dev.godiag.format.Input.Unrecognised u -> throw new BadInputException(name + ": " + u.reason());
            case dev.godiag.format.Input.Goroutines g -> throw notMemory(name, g.dump().format() + ", "
                    + g.dump().total() + " goroutines");
            default -> throw notMemory(name, in.kind().description());
        };
    }

    private static BadInputException notMemory(String name, String what) {
        return new BadInputException(name + ": " + what + ": not a heap profile, /debug/vars JSON, Prometheus"
                + " metrics or a gctrace log");
    }

    private static MemoryGrowth.Point point(Input in) {
        if (in.runtime() instanceof ExpvarSnapshot e && e.memstats() != null) {
            return new MemoryGrowth.Point(in.name(), Double.NaN, e.memstats().heapAlloc(), e.memstats().heapObjects());
        }
        if (in.runtime() instanceof PromMetrics m) {
            GoCollectorMetrics g = GoCollectorMetrics.of(m);
            double heap = g.memstat("go_memstats_heap_alloc_bytes");
            if (Double.isFinite(heap)) {
                return new MemoryGrowth.Point(in.name(), Double.NaN, heap, g.memstat("go_memstats_heap_objects"));
            }
            throw new BadInputException(in.name() + ": no go_memstats_heap_alloc_bytes in these metrics");
        }
        throw mixed(in);
    }

    private static BadInputException mixed(Input in) {
        return new BadInputException(in.name() + ": a series must be all heap profiles, all /debug/vars or"
                + " Prometheus snapshots, or one gctrace log");
    }
}
