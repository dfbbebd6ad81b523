package dev.godiag.format.goroutine;

import dev.godiag.model.StackFrame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares what goroutines have in common: names and files (every distinct one kept), argument
 * texts (a bounded cache: pointers make most of them unique), identical frames and identical frame
 * lists. A dump of a million goroutines in a few dozen stacks holds a few dozen lists.
 */
final class StackInterner {
    final Interner names = new Interner();
    final Interner args = Interner.cache(1 << 14);
    private final Map<StackFrame, StackFrame> frames = new HashMap<>();
    private final Map<List<StackFrame>, List<StackFrame>> lists = new HashMap<>();
    private final Map<Map<String, String>, Map<String, String>> labelSets = new HashMap<>();

    StackFrame frame(String function, String args, String file, int line) {
        StackFrame f = new StackFrame(function, args, file, line);
        StackFrame seen = frames.putIfAbsent(f, f);
        return seen == null ? f : seen;
    }

    /** An immutable list equal to {@code stack}, shared with every earlier equal one. */
    List<StackFrame> list(ArrayList<StackFrame> stack) {
        if (stack.isEmpty()) {
            return List.of();
        }
        List<StackFrame> seen = lists.get(stack);
        if (seen != null) {
            return seen;
        }
        List<StackFrame> l = List.copyOf(stack);
        lists.put(l, l);
        return l;
    }

    Map<String, String> labels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return Map.of();
        }
        Map<String, String> seen = labelSets.get(labels);
        if (seen != null) {
            return seen;
        }
        Map<String, String> l = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
        labelSets.put(l, l);
        return l;
    }
}
