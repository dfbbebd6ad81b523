package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.Threshold;

import java.util.function.Predicate;

/** code.map-growth: maps growing incrementally (hashGrow/growWork/evacuate, or the Swiss-table grow/split of Go 1.24+). */
public final class MapGrowthRule extends ShareRule {
    static final Threshold SHARE = new Threshold("growShare", "fraction", 0.03, 0.08, 0.20,
            "share of the CPU samples or allocated bytes in map growth: runtime.hashGrow/growWork*/evacuate* (Go < 1.24), internal/runtime/maps (*table).grow/rehash/split, (*Map).growToTable/growToSmall (Go 1.24+) (3%/8%/20%)");

    public MapGrowthRule() {
        super("code.map-growth", "code", "maps growing incrementally (hashGrow/growWork/evacuate, or the Swiss-table grow/split of Go 1.24+)", SHARE, Source.CPU, Source.ALLOCS);
    }

    @Override
    Predicate<String> match() {
        return n -> n.equals("runtime.hashGrow") || n.startsWith("runtime.growWork") || n.startsWith("runtime.evacuate") || n.equals("runtime.makeBucketArray") || n.startsWith("internal/runtime/maps.(*table).grow") || n.startsWith("internal/runtime/maps.(*table).rehash") || n.startsWith("internal/runtime/maps.(*table).split") || n.startsWith("internal/runtime/maps.(*Map).growTo") || n.startsWith("internal/runtime/maps.(*Map).split");
    }

    @Override
    Predicate<String> exclude() {
        return null;
    }

    @Override
    String what() {
        return "maps growing while being filled";
    }

    @Override
    String explanation() {
        return "A map that starts small doubles its buckets (Swiss-table groups since Go 1.24) repeatedly as it is filled, allocating the new array and moving every entry each time (runtime.hashGrow, growWork, evacuate; internal/runtime/maps (*table).grow, rehash, split). Filling a large map that way costs several times the final size in allocations and copying.";
    }

    @Override
    String fix() {
        return "Give make a size hint when the final size is known or can be estimated (make(map[K]V, n)); reuse a map with clear(m) (Go 1.21+) instead of allocating a new one per request.";
    }

    @Override
    String[] example() {
        return new String[] {"m := map[string]int{}\nfor _, r := range rows {\n    m[r.Key] = r.N\n}", "m := make(map[string]int, len(rows))\nfor _, r := range rows {\n    m[r.Key] = r.N\n}"};
    }
}
