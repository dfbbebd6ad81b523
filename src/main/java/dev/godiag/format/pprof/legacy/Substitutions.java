package dev.godiag.format.pprof.legacy;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * pprof's "$name" substitutions in memory maps (a strings.Replacer): at each position the
 * earliest-defined name that matches is replaced.
 */
final class Substitutions {
    private final Map<String, String> values = new HashMap<>();
    /** Definition order: a later definition of the same name never wins. */
    private final Map<String, Integer> order = new HashMap<>();
    private final TreeSet<Integer> lengths = new TreeSet<>();

    void define(String name, String value) {
        if (!values.containsKey(name)) {
            values.put(name, value);
            order.put(name, order.size());
            lengths.add(name.length());
        }
    }

    String apply(String line) {
        if (values.isEmpty() || line.indexOf('$') < 0) {
            return line;
        }
        StringBuilder out = new StringBuilder(line.length());
        int i = 0;
        while (i < line.length()) {
            String hit = null;
            if (line.charAt(i) == '$') {
                hit = earliestNameAt(line, i);
            }
            if (hit == null) {
                out.append(line.charAt(i++));
            } else {
                out.append(values.get(hit));
                i += hit.length();
            }
        }
        return out.toString();
    }

    private String earliestNameAt(String line, int i) {
        String best = null;
        int bestOrder = Integer.MAX_VALUE;
        for (int len : lengths) {
            if (i + len > line.length()) {
                break;
            }
            String candidate = line.substring(i, i + len);
            Integer o = order.get(candidate);
            if (o != null && o < bestOrder) {
                best = candidate;
                bestOrder = o;
            }
        }
        return best;
    }
}
