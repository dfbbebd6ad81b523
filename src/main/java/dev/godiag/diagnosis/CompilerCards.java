package dev.godiag.diagnosis;

import dev.godiag.model.compiler.EscapeReason;

import java.util.ArrayList;
import java.util.List;

/** The knowledge cards of the compiler's diagnostics: one per escape reason, inlining and bounds checks. */
public final class CompilerCards {
    public static final String NOT_INLINED = "compiler.not-inlined";
    public static final String BOUNDS_CHECK = "compiler.bounds-check";

    private CompilerCards() {
    }

    /** "escape.returned": the card with the fixes for values on the heap for this reason. */
    public static String escape(EscapeReason reason) {
        return "escape." + reason.id();
    }

    public static List<String> all() {
        List<String> out = new ArrayList<>();
        for (EscapeReason r : EscapeReason.values()) {
            out.add(escape(r));
        }
        out.add(NOT_INLINED);
        out.add(BOUNDS_CHECK);
        return out;
    }
}
