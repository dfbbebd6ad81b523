package dev.godiag.format.compiler;

import dev.godiag.model.compiler.Escape;
import dev.godiag.model.compiler.EscapeKind;
import dev.godiag.model.compiler.FlowStep;
import dev.godiag.model.compiler.SourcePos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins the two halves escape analysis prints of one fact: the explanation ("v escapes to heap
 * in f:" with its flow, or "parameter p leaks to ...:") and the verdict at the same place
 * ("v escapes to heap", "moved to heap: total", "leaking param: p"); a verdict printed twice is
 * one fact.
 */
final class EscapeCollector {
    /** An explanation waiting for its verdict. */
    private record Pending(String what, String function, boolean param, List<FlowStep> flow) {
    }

    private final Map<SourcePos, List<Pending>> pending = new LinkedHashMap<>();
    private final List<Escape> escapes = new ArrayList<>();
    private final Set<String> seen = new LinkedHashSet<>();
    private List<FlowStep> current;

    /** An explanation's header; the flow steps that follow belong to it. */
    void explain(SourcePos pos, String what, String function, boolean param) {
        current = new ArrayList<>();
        pending.computeIfAbsent(pos, k -> new ArrayList<>()).add(new Pending(what, function, param, current));
    }

    /** A flow step of the last explanation; false when there is none to add it to. */
    boolean step(FlowStep step) {
        if (current == null) {
            return false;
        }
        current.add(step);
        return true;
    }

    /**
     * A verdict, with the explanations waiting at its place that are of the same thing: those with
     * its name, else those whose call it abbreviates ("append" for "append(xs, x)") or whose name is
     * it qualified by a package; a verdict
     * without a name (the JSON form's) takes the oldest explanation waiting there.
     */
    void verdict(SourcePos pos, EscapeKind kind, String what) {
        current = null;
        boolean param = kind == EscapeKind.LEAKING_PARAM;
        List<Pending> waiting = pending.getOrDefault(pos, List.of());
        List<Pending> same = new ArrayList<>();
        for (Pending p : waiting) {
            if (p.param == param && (what == null ? same.isEmpty() : p.what.equals(what))) {
                same.add(p);
            }
        }
        if (same.isEmpty() && what != null) {
            for (Pending p : waiting) {
                // Go 1.27 qualifies a name inlined from another package in the explanation only:
                // "parameter log.b leaks to ...", then "leaking param: b"
                if (p.param == param && (p.what.startsWith(what + "(") || p.what.endsWith("." + what))) {
                    same.add(p);
                }
            }
        }
        List<FlowStep> flow = new ArrayList<>();
        String function = "";
        for (Pending p : same) {
            flow.addAll(p.flow);
            function = function.isEmpty() ? p.function : function;
        }
        if (!same.isEmpty()) {
            waiting.removeAll(same);
            if (waiting.isEmpty()) {
                pending.remove(pos);
            }
        }
        String name = what != null ? what : same.isEmpty() ? "" : same.getFirst().what;
        add(pos, kind, name, function, flow);
    }

    private void add(SourcePos pos, EscapeKind kind, String what, String function, List<FlowStep> flow) {
        if (seen.add(pos + "\u0000" + kind + "\u0000" + what)) {
            escapes.add(new Escape(pos, kind, what, function, flow, EscapeReasons.classify(kind, flow)));
        }
    }

    /**
     * The facts, with each explanation left without a verdict as one of {@code unexplainedKind}:
     * the JSON form gives a moved variable only its explanation.
     */
    List<Escape> finish(EscapeKind unexplainedKind) {
        pending.forEach((pos, list) -> {
            for (Pending p : list) {
                add(pos, p.param ? EscapeKind.LEAKING_PARAM : unexplainedKind, p.what, p.function, p.flow);
            }
        });
        pending.clear();
        return List.copyOf(escapes);
    }
}
