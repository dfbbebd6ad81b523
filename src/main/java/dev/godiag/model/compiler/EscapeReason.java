package dev.godiag.model.compiler;

/**
 * Why a value is on the heap, as the flow of a {@code -m=2} explanation shows it; each reason has
 * a knowledge card with the usual fixes (diagnosis' {@code CompilerCards}).
 */
public enum EscapeReason {
    RETURNED("returned", "returned to the caller, so it outlives the call"),
    CLOSURE("closure", "captured by a closure that outlives the function"),
    INTERFACE("interface", "converted to an interface, which boxes the value"),
    STORED("stored", "stored where the heap can reach it (a map, a slice element, a global, a pointer's target)"),
    CALL("call", "passed to a call whose parameter leaks"),
    TOO_LARGE("too-large", "too large for the stack"),
    NON_CONSTANT_SIZE("non-constant-size", "allocated with a size known only at run time"),
    /** No explanation read: {@code -m} without {@code =2}, or a flow the reader does not tell apart. */
    UNKNOWN("unknown", "not explained: no -m=2 flow for it in the log, or a flow that names no sink");

    private final String id;
    private final String words;

    EscapeReason(String id, String words) {
        this.id = id;
        this.words = words;
    }

    /** "returned": the marker word of the fixtures and the suffix of the card id. */
    public String id() {
        return id;
    }

    public String words() {
        return words;
    }
}
