package dev.godiag.cli;

import dev.godiag.util.BadInputException;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.runtime.RuntimeSources;
import dev.godiag.model.Profile;
import dev.godiag.model.RuntimeInput;

/**
 * What memory reads: a heap profile (profile.proto, or Go's debug=1 heap text) or a runtime log or
 * snapshot (gctrace log, /debug/vars JSON, Prometheus text), told apart by content as diagnose
 * tells its inputs apart ({@link DiagnoseInputs#detectFile}).
 */
final class RuntimeInputs {
    private RuntimeInputs() {
    }

    /** Either a profile or a runtime input, never both. */
    record Input(String name, Profile profile, RuntimeInput runtime) {
    }

    static Input load(String source, InputSource.FetchOptions fetch, long limit) {
        String name = ProfileLoader.displayName(source);
        if (InputSource.isUrl(source)) {
            // pprof endpoints serve profiles; /debug/vars and /metrics the runtime's numbers
            return source.contains("/debug/pprof/") ? new Input(name, ProfileLoader.load(source, fetch, limit), null)
                    : new Input(name, null, RuntimeSources.load(source, fetch, limit));
        }
        if (source.equals("-")) {
            // standard input is read once: a log or snapshot, the usual thing to pipe
            return new Input(name, null, RuntimeSources.load(source, fetch, limit));
        }
        DiagnoseInputs.Item it = new DiagnoseInputs.Item(name);
        DiagnoseInputs.detectFile(it, source, fetch, limit);
        if (it.data instanceof Profile p) {
            return new Input(name, p, null);
        }
        if (it.data instanceof RuntimeInput r) {
            return new Input(name, null, r);
        }
        throw new BadInputException(name + ": " + it.detail + ": not a heap profile, /debug/vars JSON, Prometheus"
                + " metrics or a gctrace log");
    }
}
