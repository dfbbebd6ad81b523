package dev.godiag.analysis;

import dev.godiag.model.Profile;
import dev.godiag.util.GoSymbols;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each function costs in one sample type of a profile, as pprof -top counts it (flat: as the
 * leaf; cum: anywhere on the stack, once per sample), and who in the service's own code calls into a
 * given function: what diagnosis rules read.
 */
public final class FunctionCosts {
    /** One function. {@code file} is its source file ("" when unknown). */
    public record Row(String function, String file, long flat, long cum) {
    }

    private final List<Row> rows;
    private final Map<String, Row> byName = new HashMap<>();
    private final long total;
    private final Stacks stacks;
    private final int sampleIndex;

    private FunctionCosts(List<Row> rows, long total, Stacks stacks, int sampleIndex) {
        this.rows = rows;
        this.total = total;
        this.stacks = stacks;
        this.sampleIndex = sampleIndex;
        for (Row r : rows) {
            byName.merge(r.function(), r, (a, b) -> new Row(a.function(), a.file(), a.flat() + b.flat(),
                    Math.max(a.cum(), b.cum())));
        }
    }

    public static FunctionCosts of(Profile p, int sampleIndex) {
        return of(p, sampleIndex, Stacks.of(p, NodeOptions.DEFAULT));
    }

    /** @param stacks p's distinct stacks at function granularity, when the caller has them already */
    public static FunctionCosts of(Profile p, int sampleIndex, Stacks stacks) {
        NodeGraph g = NodeGraph.build(p, sampleIndex, NodeOptions.DEFAULT);
        // a function's file: NodeInfo at function granularity has none; take it from the profile
        Map<String, String> fileOf = new HashMap<>();
        for (int f = 0; f < p.functions().size(); f++) {
            fileOf.putIfAbsent(p.functions().name[f], p.functions().filename[f]);
        }
        List<Row> rows = new ArrayList<>();
        for (int n = 0; n < g.size(); n++) {
            if (g.flatValue(n) == 0 && g.cumValue(n) == 0) {
                continue;
            }
            NodeInfo info = g.nodes[n];
            String name = info.printableName();
            rows.add(new Row(name, fileOf.getOrDefault(info.name(), ""), g.flatValue(n), g.cumValue(n)));
        }
        rows.sort(Comparator.comparingLong((Row r) -> Math.abs(r.flat())).reversed().thenComparing(Row::function));
        return new FunctionCosts(List.copyOf(rows), SampleIndex.total(p, sampleIndex), stacks, sampleIndex);
    }

    /** By flat, largest first. */
    public List<Row> rows() {
        return rows;
    }

    /** The profile's total in this sample type. */
    public long total() {
        return total;
    }

    /** A function's row, or null. */
    public Row row(String function) {
        return byName.get(function);
    }

    public long flat(String function) {
        Row r = row(function);
        return r == null ? 0 : r.flat();
    }

    public long cum(String function) {
        Row r = row(function);
        return r == null ? 0 : r.cum();
    }

    /** value over the total, 0 when the total is 0. */
    public double share(long value) {
        return total == 0 ? 0 : (double) value / total;
    }

    /** The summed flat of the functions whose name starts with any of the prefixes. */
    public long flatOfPrefixes(String... prefixes) {
        long sum = 0;
        for (Row r : rows) {
            for (String p : prefixes) {
                if (r.function().startsWith(p)) {
                    sum += r.flat();
                    break;
                }
            }
        }
        return sum;
    }

    /** The rows of the service's own code (not the standard library, not the runtime), by flat. */
    public List<Row> ownRows() {
        List<Row> own = new ArrayList<>();
        for (Row r : rows) {
            if (GoSymbols.kindOf(GoSymbols.packageOf(r.function())) == GoSymbols.Kind.OWN) {
                own.add(r);
            }
        }
        return own;
    }

    /**
     * Who in the service's own code is on the stack above the given function (the nearest own
     * frame toward the root, per sample), with the weight of those samples, largest first.
     */
    public Map<String, Long> ownCallersOf(String function) {
        Map<String, Long> out = new HashMap<>();
        for (int i = 0; i < stacks.size(); i++) {
            int[] frames = stacks.frames(i);
            int at = -1;
            for (int f = frames.length - 1; f >= 0 && at < 0; f--) {
                if (stacks.node(frames[f]).name().equals(function)) {
                    at = f;
                }
            }
            if (at < 0) {
                continue;
            }
            for (int f = at - 1; f >= 0; f--) {
                String name = stacks.node(frames[f]).name();
                if (GoSymbols.kindOf(GoSymbols.packageOf(name)) == GoSymbols.Kind.OWN) {
                    out.merge(name, stacks.value(i, sampleIndex, false), Long::sum);
                    break;
                }
            }
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        out.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
