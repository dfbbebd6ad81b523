package dev.godiag.engine;

import dev.godiag.format.ReadLimits;

import java.time.Clock;

/**
 * What every pipeline of one engine shares, set by the surface that owns it (the CLI from flags
 * and the environment, a server from its configuration): godiag's version for reports, the read
 * limits, and the clock (live captures are stamped with it; tests fix it). Immutable, so one
 * context serves any number of concurrent requests. Nothing below the surfaces reads the
 * environment or a static setting instead.
 */
public record EngineContext(String version, ReadLimits limits, Clock clock) {
    public EngineContext {
        if (version == null || limits == null || clock == null) {
            throw new IllegalArgumentException("version, limits and clock are required");
        }
    }

    /** The defaults: 1 GiB inflate limit, the system clock. */
    public static EngineContext of(String version) {
        return new EngineContext(version, ReadLimits.DEFAULT, Clock.systemUTC());
    }

    public EngineContext withLimits(ReadLimits l) {
        return new EngineContext(version, l, clock);
    }
}
