package dev.godiag.engine;

import java.util.List;
import java.util.function.Supplier;

/**
 * A request that failed after its inputs had already given warnings (malformed lines in the files
 * read before the one that failed): the surface shows the warnings, then the failure, which is
 * the cause (a BadInputException, a StoreException...).
 */
public final class FailureAfterWarnings extends RuntimeException {
    private final transient List<String> warnings;

    private FailureAfterWarnings(RuntimeException failure, List<String> warnings) {
        super(failure.getMessage(), failure, false, false);
        this.warnings = List.copyOf(warnings);
    }

    public List<String> warnings() {
        return warnings;
    }

    public RuntimeException failure() {
        return (RuntimeException) getCause();
    }

    /** Runs the rest of a pipeline; if it fails once warnings were gathered, the failure carries them. */
    static <T> T carrying(List<String> warnings, Supplier<T> rest) {
        try {
            return rest.get();
        } catch (RuntimeException e) {
            throw attach(e, warnings);
        }
    }

    /** The failure, carrying the warnings gathered before it when there are any. */
    static RuntimeException attach(RuntimeException failure, List<String> warnings) {
        if (warnings.isEmpty()) {
            return failure;
        }
        if (failure instanceof FailureAfterWarnings inner) {
            // the inner warnings came after these
            List<String> all = new java.util.ArrayList<>(warnings);
            all.addAll(inner.warnings);
            return new FailureAfterWarnings(inner.failure(), all);
        }
        return new FailureAfterWarnings(failure, warnings);
    }
}
