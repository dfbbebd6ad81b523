package dev.godiag.format.compiler;

import dev.godiag.model.compiler.EscapeKind;
import dev.godiag.model.compiler.EscapeReason;
import dev.godiag.model.compiler.FlowStep;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The reason an escape's flow shows, from the tags escape analysis writes on its steps
 * ("(return)", "(captured by a closure)", "(interface-converted)", "(assign)" into {heap}, an
 * element of a struct, slice or map literal, a map key, a channel send: stored in another object) and
 * its storage: "&{storage for v}" of a plain name is the box of an implicit interface conversion,
 * the only storage a name gets without being moved to the heap itself.
 */
final class EscapeReasons {
    private static final Pattern STORAGE_OF_NAME = Pattern.compile(
            "^flow: .* = &\\{storage for ([\\p{L}_][\\p{L}\\p{N}_]*(\\.[\\p{L}_][\\p{L}\\p{N}_]*)*)}:$");

    private EscapeReasons() {
    }

    static EscapeReason classify(EscapeKind kind, List<FlowStep> flow) {
        if (flow.isEmpty()) {
            return EscapeReason.UNKNOWN;
        }
        boolean returned = false;
        boolean closure = false;
        boolean iface = false;
        boolean call = false;
        boolean toHeap = false;
        boolean assignedToHeap = false;
        boolean inObject = false;
        for (FlowStep s : flow) {
            String tag = s.tag();
            switch (tag) {
                case "too large for stack" -> {
                    return EscapeReason.TOO_LARGE;
                }
                case "non-constant size" -> {
                    return EscapeReason.NON_CONSTANT_SIZE;
                }
                case "return" -> returned = true;
                case "captured by a closure" -> closure = true;
                case "interface-converted" -> iface = true;
                case "call parameter" -> call = true;
                case "assign", "assign-pair" -> assignedToHeap |= toHeap;
                // an element of a composite literal lives as long as the object it is stored in; so does
                // a map key, and a value sent on a channel lives as long as its receiver keeps it
                case "struct literal element", "map literal value", "map literal key", "array literal element",
                     "key of map put", "send" -> inObject = true;
                // but the slice of a variadic call's "... argument" is only the call's
                case "slice-literal-element" -> inObject |= !s.text().startsWith("from ... argument");
                default -> {
                }
            }
            if (s.text().startsWith("flow: ")) {
                toHeap = s.text().startsWith("flow: {heap} =");
                if (kind == EscapeKind.ESCAPES && STORAGE_OF_NAME.matcher(s.text()).matches()) {
                    iface = true;
                }
            }
        }
        if (iface) {
            return EscapeReason.INTERFACE;
        }
        if (closure) {
            return EscapeReason.CLOSURE;
        }
        if (returned) {
            return EscapeReason.RETURNED;
        }
        if (assignedToHeap || inObject) {
            return EscapeReason.STORED;
        }
        return call ? EscapeReason.CALL : EscapeReason.UNKNOWN;
    }
}
