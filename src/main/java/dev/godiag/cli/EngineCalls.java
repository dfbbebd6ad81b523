package dev.godiag.cli;

import dev.godiag.engine.FailureAfterWarnings;
import dev.godiag.store.StoreException;
import dev.godiag.util.BadInputException;

import java.util.function.Supplier;

/**
 * A command's call into the engine: the warnings its inputs gave before a failure are printed
 * first (as they were read), then the failure goes on to Main; store problems are the user's to
 * fix, so they are bad input (exit 2) like any other.
 */
final class EngineCalls {
    private EngineCalls() {
    }

    static <T> T run(Terminal term, Supplier<T> call) {
        try {
            return call.get();
        } catch (FailureAfterWarnings f) {
            f.warnings().forEach(term::warn);
            throw userError(f.failure());
        } catch (StoreException e) {
            throw userError(e);
        }
    }

    private static RuntimeException userError(RuntimeException e) {
        return e instanceof StoreException ? new BadInputException(e.getMessage()) : e;
    }
}
