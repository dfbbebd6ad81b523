package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.profile.Granularity;
import dev.godiag.analysis.profile.NodeInfo;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.analysis.profile.SampleIndex;
import dev.godiag.analysis.profile.Stacks;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.model.Profile;
import dev.godiag.util.GoSymbols;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The time package's timers and tickers the heap profiles hold alive, by the service's function
 * that made them. A timer holds no goroutine until it fires, so the heap is where a timer that is
 * never stopped shows: what time.AfterFunc, NewTimer, After, NewTicker and Tick allocate stays live
 * (in the runtime's timer heap, with the channel or function it holds) until it fires or is
 * stopped, and a ticker until it is stopped.
 */
final class Timers {
    private Timers() {
    }

    /**
     * The constructors and the objects each call allocates (the Timer or Ticker, and a channel's
     * header and buffer), the same in Go 1.19 and 1.27, so that live objects count calls.
     */
    static final Map<String, Integer> OBJECTS_PER_CALL = Map.of("time.AfterFunc", 1, "time.NewTimer", 3,
            "time.After", 3, "time.NewTicker", 3, "time.Tick", 3);
    /** The constructors of periodic timers: they never fire for good, only Stop ends them. */
    static final Set<String> TICKERS = Set.of("time.NewTicker", "time.Tick");

    /**
     * The live timers one function of the service made through one constructor, per heap profile.
     *
     * @param via     the library function the caller called that made the timer (context.WithTimeout
     *                arms one with time.AfterFunc), or null when it called the constructor itself
     * @param objects live objects allocated under the constructor from this caller, per profile
     * @param bytes   their bytes, per profile
     */
    record Site(String caller, String file, long line, String constructor, String via, long[] objects,
                long[] bytes) {
        /** Estimated timers per profile: live objects over the objects one call allocates. */
        long[] timers() {
            long[] t = new long[objects.length];
            int per = OBJECTS_PER_CALL.get(constructor);
            for (int i = 0; i < t.length; i++) {
                t[i] = Math.round((double) objects[i] / per);
            }
            return t;
        }

        String location() {
            return line > 0 ? file + ":" + line : file;
        }
    }

    /**
     * The sites across the heap profiles in their order (a site absent from a profile counts 0
     * there), or an empty list when a heap profile has no inuse_objects.
     */
    static List<Site> sites(DiagnosisInput input) {
        List<DiagnosisInput.NamedProfile> heaps = input.profiles(DiagnosisInput.Kind.HEAP_PROFILE);
        int n = heaps.size();
        Map<String, Acc> byKey = new LinkedHashMap<>();
        for (int s = 0; s < n; s++) {
            Profile p = heaps.get(s).profile();
            int objectsIndex;
            int bytesIndex;
            try {
                objectsIndex = SampleIndex.resolve(p, "inuse_objects");
                bytesIndex = SampleIndex.resolve(p, "inuse_space");
            } catch (RuntimeException e) {
                return List.of();
            }
            Stacks stacks = Stacks.of(p, new NodeOptions(Granularity.LINES, false, false, ""));
            for (int i = 0; i < stacks.size(); i++) {
                int[] frames = stacks.frames(i); // root first
                int entry = -1;
                for (int j = 0; j < frames.length && entry < 0; j++) {
                    if (OBJECTS_PER_CALL.containsKey(stacks.node(frames[j]).name())) {
                        entry = j;
                    }
                }
                if (entry < 0 || !ownObject(stacks, frames)) {
                    continue;
                }
                for (int j = entry - 1; j >= 0; j--) {
                    NodeInfo caller = stacks.node(frames[j]);
                    if (GoSymbols.kindOf(GoSymbols.packageOf(caller.name())) == GoSymbols.Kind.OWN) {
                        String constructor = stacks.node(frames[entry]).name();
                        String via = j + 1 < entry ? stacks.node(frames[j + 1]).name() : null;
                        Acc acc = byKey.computeIfAbsent(caller.name() + "|" + constructor + "|" + via,
                                k -> new Acc(caller, constructor, via, n));
                        acc.objects[s] += stacks.value(i, objectsIndex, false);
                        acc.bytes[s] += stacks.value(i, bytesIndex, false);
                        break;
                    }
                }
            }
        }
        List<Site> out = new ArrayList<>();
        for (Acc a : byKey.values()) {
            out.add(new Site(a.caller.name(), a.caller.file(), a.caller.lineno(), a.constructor, a.via, a.objects,
                    a.bytes));
        }
        return out;
    }

    /** Functions that allocate a timer's own objects (since Go 1.23 the Timer is made in time.newTimer). */
    private static final Set<String> TIMER_ALLOCATORS = Set.of("time.newTimer");

    /**
     * Whether a sample is a timer's own object (the Timer, Ticker or its channel), not the runtime's
     * timer heap growing under a constructor (Go 1.19's time.startTimer), which is shared by all timers.
     */
    private static boolean ownObject(Stacks stacks, int[] frames) {
        for (int j = frames.length - 1; j >= 0; j--) { // leaf first
            String fn = stacks.node(frames[j]).name();
            if (!fn.startsWith("runtime.")) {
                return OBJECTS_PER_CALL.containsKey(fn) || TIMER_ALLOCATORS.contains(fn);
            }
        }
        return false;
    }

    /** The functions of the service that hold live tickers in the last heap profile. */
    static Set<String> tickerHolders(DiagnosisInput input) {
        Set<String> out = new java.util.HashSet<>();
        for (Site s : sites(input)) {
            if (TICKERS.contains(s.constructor()) && s.objects()[s.objects().length - 1] > 0) {
                out.add(s.caller());
            }
        }
        return out;
    }

    private static final class Acc {
        final NodeInfo caller;
        final String constructor;
        final String via;
        final long[] objects;
        final long[] bytes;

        Acc(NodeInfo caller, String constructor, String via, int n) {
            this.caller = caller;
            this.constructor = constructor;
            this.via = via;
            this.objects = new long[n];
            this.bytes = new long[n];
        }
    }
}
