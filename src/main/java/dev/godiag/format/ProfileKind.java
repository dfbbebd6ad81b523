package dev.godiag.format;

import dev.godiag.model.LocationTable;
import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.model.ValueType;

import java.util.List;

/**
 * Which of Go's profiles a profile is, from its sample and period types and, where those are the
 * same for two profiles, from further evidence in the data. The name is only the last resort:
 * <ul>
 * <li>heap and allocs carry the same four sample types; Go writes {@code default_sample_type}
 * {@code alloc_space} into the allocs proto and leaves it empty in the heap proto. Go's debug=1
 * text is the same for both endpoints (one heap profile holding in-use and allocation totals), so
 * there the name decides (one containing "alloc" is allocs), else heap;</li>
 * <li>block and mutex carry the same types too; the debug=1 text says which in its header, and in
 * the proto the stacks do: a mutex profile records the Unlock that ended the contention (leaves
 * {@code ...Unlock}, {@code runtime.unlock}), a block profile the wait (Lock, selectgo, chanrecv,
 * Wait...). Only a profile with no samples falls back to the name ("mutex"), else block.</li>
 * </ul>
 */
public enum ProfileKind {
    CPU("cpu"), HEAP("heap"), ALLOCS("allocs"), BLOCK("block"), MUTEX("mutex"), THREADCREATE("threadcreate"),
    /** goroutine and goroutineleak profiles; {@link Inputs} reads them as {@link Input.Goroutines}. */
    GOROUTINE("goroutine"),
    /** Any other profile (folded stacks, a custom profile...). */
    OTHER("other");

    private final String id;

    ProfileKind(String id) {
        this.id = id;
    }

    /** The short name: cpu, heap, allocs, block, mutex, threadcreate, goroutine, other. */
    public String id() {
        return id;
    }

    /**
     * The kind of a profile. {@code name} is where it came from (a file name, a URL; may be empty)
     * and breaks the ties the content leaves.
     */
    public static ProfileKind of(Profile p, String name) {
        List<String> types = p.sampleTypes().stream().map(ValueType::type).toList();
        String hint = Inputs.nameHint(name);
        if (types.contains("goroutine") || types.contains("goroutineleak")) {
            return GOROUTINE;
        }
        if (types.contains("cpu") || p.periodType().type().equals("cpu")) {
            return CPU;
        }
        if (types.contains("inuse_space") || types.contains("alloc_space")) {
            String d = p.defaultSampleType();
            if (d.startsWith("alloc_") || !types.contains("inuse_space")) {
                return ALLOCS;
            }
            if (d.startsWith("inuse_")) {
                return HEAP;
            }
            return hint.contains("alloc") ? ALLOCS : HEAP;
        }
        if (types.contains("delay") || types.contains("contentions")) {
            if (p.kind().equals("mutex-text")) {
                return MUTEX;
            }
            if (p.kind().equals("block-text")) {
                return BLOCK;
            }
            long[] unlockAndTotal = unlockLeaves(p);
            if (unlockAndTotal[1] > 0) {
                return unlockAndTotal[0] * 2 > unlockAndTotal[1] ? MUTEX : BLOCK;
            }
            return hint.contains("mutex") ? MUTEX : BLOCK;
        }
        if (types.contains("threadcreate")) {
            return THREADCREATE;
        }
        return OTHER;
    }

    /**
     * The weight (last sample type) of samples whose leaf function is an unlock, and the total
     * weight of samples. The leaf is the innermost line of the first location.
     */
    private static long[] unlockLeaves(Profile p) {
        SampleTable s = p.samples();
        LocationTable l = p.locations();
        int v = p.sampleTypes().size() - 1;
        long unlock = 0;
        long total = 0;
        for (int i = 0; i < s.size(); i++) {
            long w = s.value(i, v);
            total += w;
            if (s.locStart[i] == s.locStart[i + 1]) {
                continue;
            }
            int loc = s.locations[s.locStart[i]];
            if (l.lineCount(loc) == 0) {
                continue;
            }
            int fn = l.lineFunction[l.lineStart[loc]];
            String name = fn < 0 ? "" : p.functions().name[fn];
            if (name.endsWith("Unlock") || name.equals("runtime.unlock")) {
                unlock += w;
            }
        }
        return new long[] {unlock, total};
    }
}
