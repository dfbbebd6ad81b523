package dev.godiag.analysis.profile;

import dev.godiag.model.Profile;
import dev.godiag.util.GoSymbols;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each function costs in one sample type of a profile, as pprof -top counts it (flat: as the
 * leaf; cum: anywhere on the stack, once per sample): what diagnosis rules read.
 */
public final class FunctionCosts {
    /** One function. {@code file} is its source file ("" when unknown). */
    public record Row(String function, String file, long flat, long cum) {
    }

    private final List<Row> rows;
    private final Map<String, Row> byName = new HashMap<>();
    private final long total;
    private final String unit;

    private FunctionCosts(List<Row> rows, long total, String unit) {
        this.rows = rows;
        this.total = total;
        this.unit = unit;
        for (Row r : rows) {
            byName.merge(r.function(), r, (a, b) -> new Row(a.function(), a.file(), a.flat() + b.flat(),
                    Math.max(a.cum(), b.cum())));
        }
    }

    public static FunctionCosts of(Profile p, int sampleIndex) {
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
        return new FunctionCosts(List.copyOf(rows), SampleIndex.total(p, sampleIndex),
                p.sampleTypes().get(sampleIndex).unit());
    }

    /** By flat, largest first. */
    public List<Row> rows() {
        return rows;
    }

    /** The profile's total in this sample type. */
    public long total() {
        return total;
    }

    /** The unit of the values ("nanoseconds", "bytes", "count"), as the profile names it. */
    public String unit() {
        return unit;
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

}
