package dev.godiag.cli;

import dev.godiag.analysis.profile.Granularity;
import dev.godiag.analysis.runtime.MemoryGrowth;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.util.BadInputException;
import dev.godiag.format.InputSource;
import dev.godiag.model.ExpvarSnapshot;
import dev.godiag.model.GcCycle;
import dev.godiag.model.GcTrace;
import dev.godiag.model.GoCollectorMetrics;
import dev.godiag.model.Profile;
import dev.godiag.model.PromMetrics;
import dev.godiag.report.MemoryRenderers;
import dev.godiag.report.RuntimeHtmlRenderer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** godiag memory: does the heap come back, and if not, where does it go. */
final class MemoryCommand implements Command {
    private static final List<OptionSpec> OPTIONS = InputOptions.with(
            OptionSpec.value("format", "FMT", "text (default), json, markdown or html (a self-contained page with"
                    + " charts); default by -o's extension"));

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String summary() {
        return "heap growth over time: stable, growing or leaking, and the allocation sites that grow";
    }

    @Override
    public String usage() {
        return "godiag memory [OPTIONS] SNAPSHOT...";
    }

    @Override
    public String description() {
        return """
                Fits a line through the live heap over time and gives a verdict (stable, growing, \
                leaking; unknown with fewer than three points) with the slope and its 95% interval. \
                Inputs, by content: a series of heap profiles in time order (files or \
                http://host/debug/pprof/heap URLs: then also the allocation sites, function and \
                file:line, whose inuse_space grows, per snapshot), a series of /debug/vars JSON or \
                Prometheus snapshots (HeapAlloc, HeapObjects), or one gctrace log (the live heap after \
                each GC).""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        OutputFormat format = InputOptions.format(a, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN,
                OutputFormat.HTML);
        List<String> sources = InputOptions.sources(a, name(), "snapshot");
        InputSource.FetchOptions fetch = InputOptions.fetch(a);
        long limit = InputOptions.inflateLimit(a);
        List<RuntimeInputs.Input> inputs = new ArrayList<>();
        for (String s : sources) {
            inputs.add(RuntimeInputs.load(s, fetch, limit));
        }
        List<String> names = inputs.stream().map(RuntimeInputs.Input::name).toList();
        MemoryGrowth.Result result;
        String kind;
        RuntimeInputs.Input first = inputs.get(0);
        if (first.profile() != null) {
            List<Profile> profiles = new ArrayList<>();
            for (RuntimeInputs.Input in : inputs) {
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
                throw a.usage("one gctrace log at a time (its cycles are the series)");
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
            trace.warningLines().forEach(term::warn); // the lines left out of the series
        } else {
            List<MemoryGrowth.Point> points = new ArrayList<>();
            for (RuntimeInputs.Input in : inputs) {
                points.add(point(in));
            }
            result = MemoryGrowth.ofSeries(points);
            kind = first.runtime() instanceof ExpvarSnapshot ? "memstats snapshots" : "Prometheus snapshots";
        }
        if (format == OutputFormat.HTML) {
            MemoryGrowth.Result page = result;
            String pageKind = kind;
            Output.write(term, output, os -> RuntimeHtmlRenderer.memory(page, pageKind, names, Main.version(), os));
            return Main.OK;
        }
        String text = switch (format) {
            case JSON -> MemoryRenderers.json(result, kind, names);
            case MARKDOWN -> MemoryRenderers.markdown(result, kind);
            default -> MemoryRenderers.text(result, kind);
        };
        Output.write(term, output, os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        return Main.OK;
    }

    private static MemoryGrowth.Point point(RuntimeInputs.Input in) {
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

    private static BadInputException mixed(RuntimeInputs.Input in) {
        return new BadInputException(in.name() + ": a series must be all heap profiles, all /debug/vars or"
                + " Prometheus snapshots, or one gctrace log");
    }
}
