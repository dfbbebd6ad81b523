package dev.godiag.engine;

import java.util.Objects;

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
}
