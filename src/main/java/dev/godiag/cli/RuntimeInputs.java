package dev.godiag.cli;

import dev.godiag.format.InputSource;
import dev.godiag.format.Inputs;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.Source;
import dev.godiag.model.Profile;
import dev.godiag.model.RuntimeInput;
import dev.godiag.util.BadInputException;

/**
 * What memory reads: a heap profile (profile.proto, or Go's debug=1 heap text) or a runtime log or
 * snapshot (gctrace log, /debug/vars JSON, Prometheus text), told apart by {@link Inputs}.
 */
final class RuntimeInputs {
    private RuntimeInputs() {
    }

    /** Either a profile or a runtime input, never both. */
    record Input(String name, Profile profile, RuntimeInput runtime) {
    }

    static Input load(String source, InputSource.FetchOptions fetch, long limit) {
        dev.godiag.format.Input in = Inputs.read(Source.of(source, fetch, System.in),
                ReadLimits.DEFAULT.withMaxInflate(limit));
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
}
