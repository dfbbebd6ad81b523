package dev.godiag.engine;

import dev.godiag.store.BaselineRepository;
import dev.godiag.util.BadInputException;

import java.util.List;
import java.util.function.Supplier;

/**
 * godiag baseline: named baselines with history in the store. Saving derives the metrics of the
 * inputs ({@link BaselineInputs}) and stores them with the inputs' bytes as one new run. Store
 * problems are StoreExceptions (one line); a baseline that is not there is a
 * {@link NoSuchBaselineException}.
 */
public final class BaselinePipeline {
    private static final int MAX_NAME = 200;

    private final EngineContext ctx;
    private final Supplier<BaselineRepository> baselines;

    /**
     * @param baselines the store, asked for when a request needs it (a save after its inputs are
     *                  read): a command line opens its database then, a daemon hands over its own
     */
    public BaselinePipeline(EngineContext ctx, Supplier<BaselineRepository> baselines) {
        this.ctx = ctx;
        this.baselines = baselines;
    }

    public BaselineResult run(BaselineRequest r) {
        return switch (r) {
            case BaselineRequest.Save s -> save(s);
            case BaselineRequest.ListAll l -> list();
            case BaselineRequest.Show s -> show(s);
            case BaselineRequest.Remove rm -> remove(rm);
        };
    }

    public BaselineResult.Saved save(BaselineRequest.Save r) {
        String name = r.name();
        if (name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new BadInputException("bad baseline name '" + name + "' (1 to " + MAX_NAME
                    + " printable characters)");
        }
        BaselineInputs.Read read = BaselineInputs.read(r.sources(), ctx.limits());
        BaselineRepository.Run run = FailureAfterWarnings.carrying(read.warnings(), () -> baselines.get().save(name,
                r.label(), r.origin(), read.inputs(), read.metrics(), ctx.clock().instant()));
        return new BaselineResult.Saved(run, read.warnings());
    }

    public BaselineResult.Listed list() {
        return new BaselineResult.Listed(baselines.get().list());
    }

    public BaselineResult.Shown show(BaselineRequest.Show r) {
        List<BaselineRepository.Run> runs = baselines.get().history(r.name(), r.history());
        if (runs.isEmpty()) {
            throw noSuch(r.name());
        }
        return new BaselineResult.Shown(r.name(), runs);
    }

    public BaselineResult.Removed remove(BaselineRequest.Remove r) {
        int removed = baselines.get().delete(r.name());
        if (removed < 0) {
            throw noSuch(r.name());
        }
        return new BaselineResult.Removed(r.name(), removed);
    }

    private NoSuchBaselineException noSuch(String name) {
        return new NoSuchBaselineException(name, baselines.get().database().location().display());
    }
}
