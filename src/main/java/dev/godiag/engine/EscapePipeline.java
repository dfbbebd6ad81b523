package dev.godiag.engine;

import dev.godiag.analysis.compiler.EscapeReport;
import dev.godiag.analysis.compiler.CompilerJoin;
import dev.godiag.analysis.compiler.LineWeights;
import dev.godiag.format.Gzip;
import dev.godiag.format.Input;
import dev.godiag.format.Inputs;
import dev.godiag.format.Source;
import dev.godiag.format.compiler.CompilerLogReader;
import dev.godiag.model.Profile;
import dev.godiag.model.compiler.CompilerDiagnostics;
import dev.godiag.util.BadInputException;

import java.util.ArrayList;
import java.util.List;

/** godiag escape: compiler logs read and merged, joined by file and line to the given profiles. */
final class EscapePipeline {
    private EscapePipeline() {
    }

    static EscapeReport run(EscapeRequest request, EngineContext ctx) {
        List<CompilerDiagnostics> parts = new ArrayList<>();
        List<String> logNames = new ArrayList<>();
        for (Source s : request.logs()) {
            parts.add(readLog(s, ctx));
            logNames.add(s.name());
        }
        CompilerDiagnostics d = CompilerDiagnostics.merge(parts);
        List<LineWeights> allocations = new ArrayList<>();
        List<CompilerJoin.HotFunction> hot = new ArrayList<>();
        List<CompilerJoin.HotBoundsCheck> checks = new ArrayList<>();
        List<String> profileNames = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Source s : request.profiles()) {
            Input in = Inputs.read(s, ctx.limits());
            if (!(in instanceof Input.Profile p)) {
                throw new BadInputException(s.name() + ": not a profile (" + in.kind().description()
                        + "); --profile takes allocs, heap or CPU profiles");
            }
            Profile profile = p.profile();
            switch (p.profileKind()) {
                case ALLOCS, HEAP -> {
                    boolean alloc = profile.sampleTypeIndex("alloc_space") >= 0;
                    String measure = alloc ? "allocated bytes" : "in-use bytes";
                    int index = profile.sampleTypeIndex(alloc ? "alloc_space" : "inuse_space");
                    if (index < 0) {
                        throw new BadInputException(s.name() + ": a heap profile without alloc_space or inuse_space");
                    }
                    LineWeights w = LineWeights.of(profile, index, s.name(), measure, true);
                    allocations.add(w);
                    profileNames.add(s.name() + " (" + measure + ")");
                }
                case CPU -> {
                    int index = profile.sampleTypeIndex("cpu");
                    if (index < 0) {
                        throw new BadInputException(s.name() + ": a CPU profile without cpu samples");
                    }
                    hot.addAll(CompilerJoin.hotFunctions(d, profile, index, request.top()));
                    checks.addAll(CompilerJoin.hotBoundsChecks(d, LineWeights.of(profile, index, s.name(), "CPU", false)));
                    profileNames.add(s.name() + " (CPU)");
                }
                default -> throw new BadInputException(s.name() + ": a " + p.profileKind().id()
                        + " profile; --profile takes allocs, heap or CPU profiles");
            }
        }
        List<CompilerJoin.AllocationSite> sites = new ArrayList<>();
        for (LineWeights w : allocations) {
            List<CompilerJoin.AllocationSite> own = CompilerJoin.allocationSites(d, w, request.top());
            if (own.isEmpty()) {
                warnings.add(w.name() + ": no allocation site in a file of the logs (a profile of another build?)");
            }
            sites.addAll(own);
        }
        if (!request.profiles().isEmpty() && d.escapes().isEmpty() && !allocations.isEmpty()) {
            warnings.add("the logs report no escapes: build with -gcflags=-m or -m=2 to join allocation sites");
        }
        return new EscapeReport(logNames, profileNames, d, CompilerJoin.rank(d, allocations), sites, hot, checks,
                warnings);
    }

    private static CompilerDiagnostics readLog(Source s, EngineContext ctx) {
        try {
            byte[] data = s.readAll(ctx.limits());
            // a log kept gzipped is read as the recognizer reads any input: inflated within the limit
            return CompilerLogReader.read(Gzip.isGzip(data) ? Gzip.gunzip(data, ctx.limits().maxInflate()) : data);
        } catch (BadInputException e) {
            throw new BadInputException(s.name() + ": " + e.getMessage());
        }
    }
}
