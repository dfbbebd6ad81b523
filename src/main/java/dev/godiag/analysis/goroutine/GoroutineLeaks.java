package dev.godiag.analysis.goroutine;

import dev.godiag.analysis.goroutine.GoroutineAnalysis.Row;
import dev.godiag.analysis.goroutine.GoroutineVerdicts.Verdict;
import dev.godiag.model.StackFrame;
import dev.godiag.util.GoSymbols;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The leaks of a goroutine analysis, one per cause: buckets that wait at the same line of the
 * service's code on the same primitive are one leak however their runtime and sync frames, states or
 * creators differ (the one writer holding an RWMutex's writer slot and the writers queued on its
 * inner Mutex; the same wait printed "semacquire" by Go 1.19 and "sync.Mutex.Lock" by Go 1.27); the
 * waiters of one lock at different lines of one type's methods are one leak too (the readers queued
 * behind a pending writer and the writers), and goroutines of a leaking loop caught awake at its line
 * join it (and say that something wakes them: a ticker). Each leak names its primitive and explains
 * its members together.
 */
public final class GoroutineLeaks {
    private GoroutineLeaks() {
    }

    /**
     * One leak.
     *
     * @param primitive  what its goroutines wait on
     * @param members    the buckets, largest first
     * @param counts     its goroutines per snapshot
     * @param verdict    the strongest of its members'
     * @param blockedAt  the line its largest leaking bucket waits at
     * @param createdAt  that bucket's go statement, or null
     * @param awake      goroutines caught running or runnable at the line in the last snapshot
     * @param explanation what the members say together, in words an engineer acts on
     */
    public record Leak(Primitive primitive, List<Row> members, long[] counts, Verdict verdict, StackFrame blockedAt,
                       StackFrame createdAt, long awake, String explanation) {
        public long last() {
            return counts[counts.length - 1];
        }

        /** The member the leak is reported by: its largest leaking bucket. */
        public Row lead() {
            return members.stream().filter(r -> isLeak(r.assessment().verdict())).findFirst().orElse(members.get(0));
        }
    }

    public static boolean isLeak(Verdict v) {
        return v == Verdict.DEFINITE_LEAK || v == Verdict.LIKELY_LEAK;
    }

    /** The leaks, definite first, then the most goroutines. */
    public static List<Leak> of(GoroutineAnalysis.Result a) {
        return of(a, r -> false);
    }

    /**
     * The leaks among the buckets another rule does not explain (a rule for standard-library
     * goroutines that grow with load reports its buckets itself).
     */
    public static List<Leak> of(GoroutineAnalysis.Result a, Predicate<Row> explainedElsewhere) {
        return of(a, explainedElsewhere, Set.of());
    }

    /**
     * As {@link #of(GoroutineAnalysis.Result, Predicate)}, knowing the functions that hold live
     * tickers (a heap profile's time.NewTicker allocations by caller): goroutines waiting on a channel
     * in such a function wait on its ticker, whether or not a snapshot caught one awake.
     */
    public static List<Leak> of(GoroutineAnalysis.Result a, Predicate<Row> explainedElsewhere,
                                Set<String> tickerHolders) {
        // 1. every bucket that is parked (not benign) in or under the service's code, keyed by its line
        Map<String, List<Row>> byLine = new LinkedHashMap<>();
        Map<String, Primitive> primitiveOf = new LinkedHashMap<>();
        for (Row r : a.rows()) {
            Verdict v = r.assessment().verdict();
            StackFrame at = r.assessment().blockedAt();
            if (v == Verdict.BENIGN || at == null || awake(r) || explainedElsewhere.test(r)) {
                continue;
            }
            Primitive p = Primitive.of(r.bucket().frames(), r.bucket().state());
            String key = p + "|" + frameKey(at);
            byLine.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            primitiveOf.put(key, p);
        }
        // 2. a lock's waiters at several lines of one type's methods (or one function) wait on one lock
        Map<String, List<String>> byLock = new LinkedHashMap<>();
        for (Map.Entry<String, List<Row>> e : byLine.entrySet()) {
            Primitive p = primitiveOf.get(e.getKey());
            String group = p.isLock() ? p + "|" + owner(e.getValue().get(0).assessment().blockedAt().function())
                    : e.getKey();
            byLock.computeIfAbsent(group, k -> new ArrayList<>()).add(e.getKey());
        }
        List<Leak> out = new ArrayList<>();
        for (List<String> keys : byLock.values()) {
            List<Row> members = new ArrayList<>();
            for (String k : keys) {
                members.addAll(byLine.get(k));
            }
            if (members.stream().noneMatch(r -> isLeak(r.assessment().verdict()))) {
                continue;
            }
            out.add(leak(primitiveOf.get(keys.get(0)), members, a, tickerHolders));
        }
        out.sort(Comparator.comparing(Leak::verdict).thenComparing(Comparator.comparingLong(Leak::last).reversed())
                .thenComparing(l -> frameKey(l.blockedAt())));
        return out;
    }

    private static Leak leak(Primitive primitive, List<Row> members, GoroutineAnalysis.Result a,
                             Set<String> tickerHolders) {
        members.sort(Comparator.comparing((Row r) -> r.assessment().verdict())
                .thenComparing(Comparator.comparingLong(Row::last).reversed()));
        Row lead = members.stream().filter(r -> isLeak(r.assessment().verdict())).findFirst().orElseThrow();
        StackFrame at = lead.assessment().blockedAt();
        // goroutines of the same go statement caught awake at the line: the channel keeps delivering
        List<Row> awake = new ArrayList<>();
        if (primitive == Primitive.CHAN_RECEIVE || primitive == Primitive.SELECT) {
            for (Row r : a.rows()) {
                if (awake(r) && sameLine(r.bucket().focusFrame(), at)
                        && Objects.equals(creator(r), creator(lead))) {
                    awake.add(r);
                }
            }
        }
        int n = a.totals().length;
        long[] counts = new long[n];
        for (Row r : members) {
            add(counts, r.counts());
        }
        boolean wokenInSomeSnapshot = false;
        for (Row r : awake) {
            add(counts, r.counts());
            for (long c : r.counts()) {
                wokenInSomeSnapshot |= c > 0;
            }
        }
        Primitive p = primitive;
        boolean holdsTicker = (p == Primitive.CHAN_RECEIVE || p == Primitive.SELECT)
                && tickerHolders.contains(at.function());
        if (wokenInSomeSnapshot || holdsTicker) {
            p = Primitive.TICKER;
        } else if ((p == Primitive.CHAN_RECEIVE || p == Primitive.SELECT) && namedContext(lead) != null) {
            p = Primitive.CONTEXT;
        }
        List<Row> all = new ArrayList<>(members);
        all.addAll(awake);
        long awakeNow = awake.stream().mapToLong(Row::last).sum();
        Verdict v = members.stream().map(r -> r.assessment().verdict()).min(Comparator.naturalOrder()).orElseThrow();
        return new Leak(p, List.copyOf(all), counts, v, at, lead.assessment().createdAt(), awakeNow,
                explain(p, members, awake, counts, holdsTicker));
    }

    private static void add(long[] into, long[] c) {
        for (int i = 0; i < into.length && i < c.length; i++) {
            into[i] += c[i];
        }
    }

    /**
     * Running or runnable, as a full dump says. Profiles record no state, and their text form drops
     * the unsymbolized runtime frames a parked goroutine has, so they cannot tell.
     */
    static boolean awake(Row r) {
        String s = r.bucket().state();
        return s.startsWith("running") || s.startsWith("runnable");
    }

    private static String creator(Row r) {
        StackFrame c = r.bucket().createdBy();
        return c == null ? null : c.function();
    }

    private static boolean sameLine(StackFrame x, StackFrame y) {
        return x != null && y != null && x.function().equals(y.function()) && x.line() == y.line()
                && x.file().equals(y.file());
    }

    private static String frameKey(StackFrame f) {
        return f.function() + "@" + f.file() + ":" + f.line();
    }

    /** A method's receiver type ("main.(*cache)"), else the function itself. */
    static String owner(String function) {
        int close = function.indexOf(").");
        int open = function.lastIndexOf(".(", close);
        return close > 0 && open > 0 ? function.substring(0, close + 1) : function;
    }

    /**
     * The first frame of the service's code (or the creator) named for a context, or null: goroutines
     * waiting on a channel in such a function most likely wait on the context's Done channel.
     */
    public static StackFrame namedContext(Row r) {
        List<StackFrame> candidates = new ArrayList<>(r.bucket().frames());
        if (r.bucket().createdBy() != null) {
            candidates.add(r.bucket().createdBy());
        }
        for (StackFrame f : candidates) {
            String fn = f.function();
            if (fn.startsWith("context.") || GoSymbols.kindOf(GoSymbols.packageOf(fn)) != GoSymbols.Kind.OWN) {
                continue;
            }
            String name = fn.substring(fn.lastIndexOf('/') + 1);
            name = name.substring(name.indexOf('.') + 1).toLowerCase(Locale.ROOT);
            if (name.contains("ctx") || name.contains("context")) {
                return f;
            }
        }
        return null;
    }

    private static String explain(Primitive p, List<Row> members, List<Row> awake, long[] counts,
                                  boolean holdsTicker) {
        long total = counts[counts.length - 1];
        Row lead = members.stream().filter(r -> isLeak(r.assessment().verdict())).findFirst().orElseThrow();
        String at = where(lead.assessment().blockedAt());
        return switch (p) {
            case RWMUTEX -> total + " goroutines: " + rwmutex(members);
            case MUTEX -> total + " waiting in Lock" + atLines(members)
                    + ": the lock is never released; a path returns (or blocks, or panics) while holding it,"
                    + " so every later Lock queues behind it";
            case WAITGROUP -> total + " waiting in WaitGroup.Wait at " + at + ": the counter never reaches"
                    + " zero; a goroutine returns without Done (an early return, a panic, a Done not deferred),"
                    + " or Add counts more goroutines than are started";
            case COND -> total + " waiting in Cond.Wait at " + at + ": nothing wakes them; the condition"
                    + " changes without Signal or Broadcast (or Wait is not in a loop re-checking it)";
            case CHAN_SEND -> total + " blocked sending on a channel at " + at + ": nobody receives any more"
                    + " (the receiver returned, for example after a timeout)";
            case CHAN_RECEIVE -> total + " blocked receiving from a channel at " + at + ": nobody sends to it"
                    + " or closes it";
            case SELECT -> total + " blocked in a select at " + at + ": none of its cases can ever proceed"
                    + " (no case for ctx.Done() or a quit channel)";
            case CONTEXT -> total + " waiting at " + at + " in code that waits on a context (by its name)"
                    + " whose cancel is never called";
            case TICKER -> total + " at " + at + " (" + awakeCount(awake) + " caught awake in the snapshots"
                    + (holdsTicker ? "; the heap holds live tickers made in " + lead.assessment().blockedAt().function()
                    : "") + ")"
                    + " wake on a ticker's or timer's channel and never exit: the loop has no way out and"
                    + " the ticker is never stopped";
            case NIL_CHANNEL -> total + " blocked on a nil channel at " + at + ": that never completes";
            case EMPTY_SELECT -> total + " blocked in select {} at " + at + ": an empty select never returns";
            case OTHER -> total + " parked at " + at + (lead.bucket().state().isEmpty()
                    ? " (the input does not say on what: a full dump's state would)"
                    : " in '" + lead.bucket().state() + "'");
        };
    }

    private static long awakeCount(List<Row> awake) {
        long n = 0;
        for (Row r : awake) {
            long most = 0;
            for (long c : r.counts()) {
                most = Math.max(most, c);
            }
            n += most;
        }
        return n;
    }

    /** One writer holding the writer slot and waiting for readers means a read lock was never released. */
    private static String rwmutex(List<Row> members) {
        long holding = 0;
        long queuedWriters = 0;
        long readers = 0;
        StackFrame holderAt = null;
        StackFrame writersAt = null;
        StackFrame readersAt = null;
        for (Row r : members) {
            List<StackFrame> f = r.bucket().frames();
            StackFrame at = r.assessment().blockedAt();
            if (Primitive.isReader(f)) {
                readers += r.last();
                readersAt = readersAt == null ? at : readersAt;
            } else if (Primitive.holdsWriterSlot(f)) {
                holding += r.last();
                holderAt = holderAt == null ? at : holderAt;
            } else {
                queuedWriters += r.last();
                writersAt = writersAt == null ? at : writersAt;
            }
        }
        StringBuilder sb = new StringBuilder();
        if (holding > 0) {
            sb.append("a read lock is never released (a reader returns without RUnlock): ").append(holding)
                    .append(holding == 1 ? " writer holds" : " writers hold").append(" the writer slot waiting for")
                    .append(" the readers to leave at ").append(where(holderAt));
        } else {
            sb.append("the lock is never released (a Lock without Unlock, or an RLock without RUnlock)");
        }
        if (queuedWriters > 0) {
            sb.append(holding > 0 ? ", " : ": ").append(queuedWriters).append(" more writer")
                    .append(queuedWriters == 1 ? "" : "s").append(" queue behind it at ").append(where(writersAt));
        }
        if (readers > 0) {
            sb.append(holding > 0 || queuedWriters > 0 ? ", and " : ": ").append(readers).append(" reader")
                    .append(readers == 1 ? "" : "s").append(" queue").append(readers == 1 ? "s" : "")
                    .append(holding > 0 ? " behind the pending writer" : " in RLock").append(" at ")
                    .append(where(readersAt));
        }
        return sb.toString();
    }

    private static String atLines(List<Row> members) {
        List<String> lines = new ArrayList<>();
        for (Row r : members) {
            String w = where(r.assessment().blockedAt());
            if (!lines.contains(w)) {
                lines.add(w);
            }
        }
        return " at " + String.join(" and ", lines);
    }

    static String where(StackFrame f) {
        return f == null ? "?" : f.function() + " (" + f.location() + ")";
    }
}
