package dev.godiag.analysis.goroutine;

import dev.godiag.model.Goroutine;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.StackFrame;
import dev.godiag.util.GoSymbols;
import dev.godiag.util.LongList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Goroutines grouped by what they are doing: the same state, the same stack (function and
 * file:line per frame, arguments as the chosen {@link Similarity} says) and the same creation
 * site. Buckets of the service's own code come first, then those in the standard library only,
 * then runtime-internal ones; within each, the largest first.
 */
public final class GoroutineBuckets {
    private GoroutineBuckets() {
    }

    /** How much arguments matter when comparing frames (panicparse's similarity). */
    public enum Similarity {
        /** arguments are ignored: the same function and line is the same frame */
        ANY_VALUE,
        /** arguments must match except pointer-like values (0x... hex) */
        ANY_POINTER,
        /** arguments must match exactly */
        EXACT;

        public static Similarity parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "any", "anyvalue", "any-value", "value" -> ANY_VALUE;
                case "pointer", "anypointer", "any-pointer" -> ANY_POINTER;
                case "exact", "exactflags", "exact-flags" -> EXACT;
                default -> throw new IllegalArgumentException("unknown similarity '" + s
                        + "' (one of: value, pointer, exact)");
            };
        }
    }

    /** Whose code a stack runs, by the most specific frame: the order buckets are ranked in. */
    public enum StackKind {
        OWN, STDLIB, RUNTIME
    }

    /**
     * A group of goroutines.
     *
     * @param state         the runtime's wording shared by all ("chan receive", "IO wait"); "" from profiles
     * @param frames        the stack, leaf first (the first goroutine's arguments)
     * @param createdBy     the creation site, or null
     * @param count         how many goroutines
     * @param leaked        how many the runtime marked "(leaked)"
     * @param minWait       the least "N minutes" (0: under a minute; -1: unknown)
     * @param maxWait       the most
     * @param lockedToThread how many were locked to their thread
     * @param ids           up to {@link #IDS_KEPT} goroutine ids, lowest first
     * @param creators      distinct creator goroutine ids seen (at most {@link #IDS_KEPT} kept)
     * @param creatorCount  how many distinct creator goroutines
     * @param labels        distinct label sets with their counts, most common first
     * @param markers       other runtime markers seen ("durable"...)
     * @param kind          whose code the stack runs
     * @param key           identifies the bucket across snapshots: state, stack as compared (functions,
     *                      lines, arguments as the similarity says), creation site
     */
    public record Bucket(String state, List<StackFrame> frames, StackFrame createdBy, long count, long leaked,
                         int minWait, int maxWait, long lockedToThread, List<Long> ids, List<Long> creators,
                         long creatorCount, Map<Map<String, String>, Long> labels, List<String> markers,
                         StackKind kind, String key, long idRuns) {
        /** The frame a reader looks at: the first one in the service's own code, else the leaf. */
        public StackFrame focusFrame() {
            for (StackFrame f : frames) {
                if (GoSymbols.kindOf(GoSymbols.packageOf(f.function())) == GoSymbols.Kind.OWN) {
                    return f;
                }
            }
            return frames.isEmpty() ? null : frames.get(0);
        }

    }

    static final int IDS_KEPT = 10;
    private static final Pattern HEX = Pattern.compile("0x([0-9a-fA-F]+)(\\??)");

    /** Groups the goroutines of a dump. */
    public static List<Bucket> of(GoroutineDump dump, Similarity similarity) {
        // readers share one list among goroutines with the same stack: compare each list once
        Map<List<StackFrame>, Integer> stackIds = new IdentityHashMap<>();
        Map<List<StackFrame>, Integer> byContent = new HashMap<>();
        List<List<StackFrame>> keyLists = new ArrayList<>();
        Map<Key, Acc> groups = new LinkedHashMap<>();
        for (Goroutine g : dump.goroutines()) {
            int stack = stackIds.computeIfAbsent(g.frames(), frames -> byContent.computeIfAbsent(
                    stackKey(frames, similarity), k -> {
                        keyLists.add(k);
                        return keyLists.size() - 1;
                    }));
            StackFrame c = g.createdBy();
            Key key = new Key(g.state(), stack, c == null ? null : c.function(), c == null ? null : c.file(),
                    c == null ? 0 : c.line());
            Acc acc = groups.get(key);
            if (acc == null) {
                acc = new Acc(g, keyString(key, keyLists.get(stack)));
                groups.put(key, acc);
            }
            acc.add(g);
        }
        List<Bucket> out = new ArrayList<>(groups.size());
        for (Acc a : groups.values()) {
            out.add(a.bucket());
        }
        out.sort(RANK);
        return out;
    }

    /** Own code first, then standard library, then runtime; then by count, state, leaf function. */
    public static final Comparator<Bucket> RANK = Comparator.comparing(Bucket::kind)
            .thenComparing(Comparator.comparingLong(Bucket::count).reversed())
            .thenComparing(Bucket::state)
            .thenComparing(b -> b.frames().isEmpty() ? "" : b.frames().get(0).function());

    /**
     * Argument words that look like addresses (1 MiB and up, as panicparse's pointer heuristic) made
     * equal; small values (lengths, flags, small ints) stay as they are.
     */
    static String maskPointers(String args) {
        Matcher m = HEX.matcher(args);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String digits = m.group(1).replaceFirst("^0+", "");
            boolean pointer = digits.length() >= 6; // 0x100000 (1 MiB) and up
            m.appendReplacement(sb, pointer ? "0xPTR" + Matcher.quoteReplacement(m.group(2)) : "$0");
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private record Key(String state, int stack, String creator, String creatorFile, int creatorLine) {
    }

    private static String keyString(Key k, List<StackFrame> stack) {
        StringBuilder sb = new StringBuilder(k.state()).append('|');
        for (StackFrame f : stack) {
            sb.append(f.function());
            if (f.args() != null) {
                sb.append('(').append(f.args()).append(')');
            }
            sb.append('@').append(f.file()).append(':').append(f.line()).append(';');
        }
        if (k.creator() != null) {
            sb.append('|').append(k.creator()).append('@').append(k.creatorFile()).append(':').append(k.creatorLine());
        }
        return sb.toString();
    }

    /** Frames as compared: function, file and line, plus arguments as the similarity asks. */
    private static List<StackFrame> stackKey(List<StackFrame> frames, Similarity similarity) {
        List<StackFrame> key = new ArrayList<>(frames.size());
        for (StackFrame f : frames) {
            String args = switch (similarity) {
                case ANY_VALUE -> null;
                case ANY_POINTER -> f.args() == null ? null : maskPointers(f.args());
                case EXACT -> f.args();
            };
            key.add(Objects.equals(args, f.args()) ? f : new StackFrame(f.function(), args, f.file(), f.line()));
        }
        return key;
    }

    static StackKind kindOf(List<StackFrame> frames) {
        StackKind kind = StackKind.RUNTIME;
        for (StackFrame f : frames) {
            GoSymbols.Kind k = GoSymbols.kindOf(GoSymbols.packageOf(f.function()));
            if (k == GoSymbols.Kind.OWN) {
                return StackKind.OWN;
            }
            if (k == GoSymbols.Kind.STDLIB) {
                kind = StackKind.STDLIB;
            }
        }
        return kind;
    }

    /** The running totals of one bucket. */
    private static final class Acc {
        final Goroutine first;
        final String key;
        long count;
        long leaked;
        int minWait = Integer.MAX_VALUE;
        int maxWait = -1;
        long locked;
        final List<Long> ids = new ArrayList<>();
        final LongList allIds = new LongList();
        final Map<Long, Boolean> creators = new HashMap<>();
        final Map<Map<String, String>, Long> labels = new HashMap<>();
        final List<String> markers = new ArrayList<>();

        Acc(Goroutine first, String key) {
            this.first = first;
            this.key = key;
        }

        void add(Goroutine g) {
            count += g.count();
            if (g.leaked()) {
                leaked += g.count();
            }
            minWait = Math.min(minWait, g.waitMinutes());
            maxWait = Math.max(maxWait, g.waitMinutes());
            if (g.lockedToThread()) {
                locked += g.count();
            }
            if (g.id() >= 0) {
                ids.add(g.id());
                allIds.add(g.id());
            }
            if (g.creatorId() >= 0) {
                creators.putIfAbsent(g.creatorId(), Boolean.TRUE);
            }
            if (!g.labels().isEmpty()) {
                labels.merge(g.labels(), g.count(), Long::sum);
            }
            for (String m : g.markers()) {
                if (!markers.contains(m)) {
                    markers.add(m);
                }
            }
        }

        Bucket bucket() {
            List<Long> sortedIds = ids.stream().sorted().limit(IDS_KEPT).toList();
            List<Long> creatorIds = creators.keySet().stream().sorted().limit(IDS_KEPT).toList();
            Map<Map<String, String>, Long> byCount = new LinkedHashMap<>();
            labels.entrySet().stream()
                    .sorted(Map.Entry.<Map<String, String>, Long>comparingByValue().reversed()
                            .thenComparing(e -> e.getKey().toString()))
                    .forEach(e -> byCount.put(e.getKey(), e.getValue()));
            return new Bucket(first.state(), first.frames(), first.createdBy(), count, leaked,
                    minWait == Integer.MAX_VALUE ? -1 : minWait, maxWait, locked, sortedIds, creatorIds,
                    creators.size(), byCount, List.copyOf(markers), kindOf(first.frames()), key,
                    runs(allIds.toArray()));
        }
    }

    /** Runs of consecutive values among the ids (duplicates count once); 0 for none. */
    static long runs(long[] ids) {
        java.util.Arrays.sort(ids);
        long runs = 0;
        for (int i = 0; i < ids.length; i++) {
            if (i == 0 || ids[i] > ids[i - 1] + 1) {
                runs++;
            }
        }
        return runs;
    }

    /** Whether any frame of the bucket (or its creation site) matches. */
    public static boolean mentions(Bucket b, Pattern p) {
        for (StackFrame f : b.frames()) {
            if (p.matcher(f.function()).find() || p.matcher(f.location()).find()) {
                return true;
            }
        }
        return b.createdBy() != null && (p.matcher(b.createdBy().function()).find()
                || p.matcher(b.createdBy().location()).find());
    }
}
