package dev.godiag.guard.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The running configuration and its reload (SIGHUP, {@code POST /-/reload}) as Prometheus does
 * it: a file that no longer loads leaves the running configuration in place and says why; one
 * that loads replaces it. Secret files are read again on every reload, so a rotated secret is
 * picked up even when the configuration file itself did not change. Safe for concurrent readers.
 */
public final class ConfigReloader {
    private final Path file;
    private volatile GuardConfig current;

    /** Loads {@code file}; {@link GuardConfigException} when it does not load (nothing runs yet). */
    public ConfigReloader(Path file) {
        this.file = file;
        this.current = GuardConfigLoader.load(file);
    }

    public enum Outcome { APPLIED, UNCHANGED, REJECTED }

    /**
     * What a reload did: {@code APPLIED} (a different configuration runs now), {@code UNCHANGED}
     * (it loads to the same), {@code REJECTED} (it does not load: {@code problems} say why, and
     * {@code config}, the running one, stays).
     */
    public record Result(Outcome outcome, GuardConfig config, List<String> problems) {
        public Result {
            problems = List.copyOf(problems);
        }
    }

    public GuardConfig current() {
        return current;
    }

    public synchronized Result reload() {
        GuardConfig next;
        try {
            next = GuardConfigLoader.load(file);
        } catch (GuardConfigException e) {
            return new Result(Outcome.REJECTED, current, e.problems());
        }
        if (next.equals(current)) {
            return new Result(Outcome.UNCHANGED, current, List.of());
        }
        current = next;
        return new Result(Outcome.APPLIED, next, List.of());
    }
}
