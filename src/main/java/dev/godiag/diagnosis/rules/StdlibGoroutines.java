package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.analysis.goroutine.GoroutineBuckets;
import dev.godiag.analysis.goroutine.GoroutineVerdicts;
import dev.godiag.analysis.profile.Granularity;
import dev.godiag.analysis.profile.NodeInfo;
import dev.godiag.analysis.profile.NodeOptions;
import dev.godiag.analysis.profile.SampleIndex;
import dev.godiag.analysis.profile.Stacks;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.model.GoCollectorMetrics;
import dev.godiag.model.Profile;
import dev.godiag.model.PromMetrics;
import dev.godiag.model.StackFrame;
import dev.godiag.util.GoSymbols;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The standard library's own goroutines that live as long as a resource the caller holds: net/http
 * client connections (a readLoop and a writeLoop per connection), net/http server connections and
 * database/sql's connection opener (one per sql.DB). Their stacks end in library code, so where they
 * come from is the caller's code: these helpers count them per snapshot, by role, and find the
 * caller in the capture's other evidence. The rules built on them (the http and sql rules) explain
 * these buckets; the generic leak rule leaves them to those rules ({@link #explainedByStdlibRule}).
 */
final class StdlibGoroutines {
    private StdlibGoroutines() {
    }

    /** What a standard-library goroutine is there for. */
    enum Role {
        /** persistConn.readLoop parked in its select: a response was handed to the caller, its body not yet read to EOF or closed */
        CLIENT_BODY_WAIT,
        /** persistConn.readLoop reading in IO wait: an idle pooled connection (or one waiting for its response) */
        CLIENT_IDLE,
        /** persistConn.writeLoop: one per client connection, whatever its state */
        CLIENT_WRITE_LOOP,
        /**
         * an HTTP/2 client connection's read loop: its only goroutine, reading frames in IO wait whether
         * the connection is idle or carries streams (an unclosed body leaves no goroutine of its own)
         */
        CLIENT_H2_CONN,
        /** a caller inside persistConn.roundTrip waiting for its response: its connection's readLoop is busy, not leaked */
        CLIENT_IN_FLIGHT,
        /** a caller reading a response body right now (a stream, a long download): its readLoop waits for it, not leaked */
        CLIENT_READING_BODY,
        /** a server connection (conn.serve) in IO wait: waiting for its client's next request */
        SERVER_IDLE,
        /** an HTTP/2 server connection's serve loop (one per connection, idle or not) */
        SERVER_H2_CONN,
        /** an HTTP/2 server connection's frame reader, beside its serve loop */
        SERVER_H2_READER,
        /** database/sql's connectionOpener: one per sql.DB until DB.Close */
        SQL_OPENER
    }

    static final String READ_LOOP = "net/http.(*persistConn).readLoop";
    static final String WRITE_LOOP = "net/http.(*persistConn).writeLoop";
    static final String ROUND_TRIP = "net/http.(*persistConn).roundTrip";
    static final String BODY_READ = "net/http.(*bodyEOFSignal).Read";
    static final String SERVER_CONN = "net/http.(*conn).serve";
    static final String SQL_OPENER = "database/sql.(*DB).connectionOpener";

    /**
     * HTTP/2's functions under the packages that implement it: net/http's bundled copy (Go 1.19:
     * "net/http.(*http2ClientConn).readLoop"), net/http/internal/http2 (later Go versions) and
     * golang.org/x/net/http2 imported directly.
     */
    private static Set<String> http2(String type, String method) {
        return Set.of("net/http.(*http2" + type + ")." + method, "net/http/internal/http2.(*" + type + ")." + method,
                "golang.org/x/net/http2.(*" + type + ")." + method);
    }

    static final Set<String> H2_READ_LOOP = http2("ClientConn", "readLoop");
    static final Set<String> H2_ROUND_TRIP = http2("ClientConn", "RoundTrip");
    static final Set<String> H2_SERVER_CONN = http2("serverConn", "serve");
    static final Set<String> H2_SERVER_READER = http2("serverConn", "readFrames");

    /** The functions through which user code makes an HTTP client call. */
    static final Set<String> CLIENT_CALLS = Set.of("net/http.(*Client).Do", "net/http.(*Client).Get",
            "net/http.(*Client).Post", "net/http.(*Client).PostForm", "net/http.(*Client).Head", "net/http.Get",
            "net/http.Post", "net/http.PostForm", "net/http.Head", "net/http.(*Transport).RoundTrip");

    /** The role of a bucket's goroutines, or null when they are not one of these. */
    static Role roleOf(GoroutineBuckets.Bucket b) {
        List<StackFrame> frames = b.frames();
        String state = b.state().isEmpty() ? GoroutineVerdicts.stateFromStack(frames) : b.state();
        if (has(frames, READ_LOOP)) {
            if (state.startsWith("select")) {
                return Role.CLIENT_BODY_WAIT;
            }
            return state.equals("IO wait") ? Role.CLIENT_IDLE : null;
        }
        if (has(frames, WRITE_LOOP)) {
            return Role.CLIENT_WRITE_LOOP;
        }
        if (hasAny(frames, H2_READ_LOOP)) {
            return state.isEmpty() || state.equals("IO wait") ? Role.CLIENT_H2_CONN : null;
        }
        if (has(frames, ROUND_TRIP) || hasAny(frames, H2_ROUND_TRIP)) {
            return Role.CLIENT_IN_FLIGHT;
        }
        if (hasAny(frames, H2_SERVER_READER)) {
            return Role.SERVER_H2_READER;
        }
        if (hasAny(frames, H2_SERVER_CONN)) {
            return Role.SERVER_H2_CONN;
        }
        if (has(frames, BODY_READ)) {
            return Role.CLIENT_READING_BODY;
        }
        // waiting for the next request: no handler on the stack (a handler reading a slow body is busy)
        if (has(frames, SERVER_CONN) && state.equals("IO wait") && !has(frames, "net/http.serverHandler.ServeHTTP")
                && !has(frames, "net/http.(*connReader).backgroundRead")) {
            return Role.SERVER_IDLE;
        }
        if (has(frames, SQL_OPENER)) {
            return Role.SQL_OPENER;
        }
        return null;
    }

    /**
     * Whether a bucket is one the standard-library rules explain (client connections' loops, idle
     * server connections, sql.DB openers), so the generic leak rule does not report it again.
     */
    static boolean explainedByStdlibRule(GoroutineBuckets.Bucket b) {
        Role r = roleOf(b);
        // callers in a request or a body read are the service's own goroutines: the generic rule judges them
        return r != null && r != Role.CLIENT_IN_FLIGHT && r != Role.CLIENT_READING_BODY;
    }

    /**
     * The goroutines of one role across the snapshots.
     *
     * @param counts     per snapshot
     * @param minWait    the least "N minutes" any of them shows in the last snapshot (-1: not recorded)
     * @param maxWait    the most
     * @param first      the role's largest bucket in the last snapshot, or null when none
     */
    record Series(Role role, long[] counts, int minWait, int maxWait, GoroutineBuckets.Bucket first) {
        long last() {
            return counts[counts.length - 1];
        }

        /** This series less another, per snapshot (never below zero). */
        Series minus(Series other) {
            long[] c = counts.clone();
            for (int i = 0; i < c.length; i++) {
                c[i] = Math.max(0, c[i] - other.counts[i]);
            }
            return new Series(role, c, minWait, maxWait, first);
        }

        long growth() {
            return last() - counts[0];
        }

        boolean onlyGrows() {
            return GoroutineVerdicts.onlyGrows(counts);
        }
    }

    /** Growth by fewer goroutines than this across the snapshots is noise (a pool warming up). */
    static final long MIN_GROWTH = 10;
    /** Parked this many minutes (a debug=2 dump's wait time) is no transient state. */
    static final int LONG_WAIT_MINUTES = 5;

    /** What a series' judgement rests on. */
    enum Evidence {
        /** only grows across three or more snapshots, by {@link #MIN_GROWTH} or more */
        GROWING,
        /** {@link #MIN_GROWTH} or more, all parked for {@link #LONG_WAIT_MINUTES}+ minutes in the last snapshot */
        LONG_WAIT,
        /** one snapshot without wait times: the count alone ({@link #MIN_GROWTH} or more) */
        COUNT_ONLY;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * What a series shows, or null when it shows nothing wrong: several snapshots without growth
     * (a pool at work), or one without wait times when the count alone is no evidence.
     */
    static Evidence judge(Series s, boolean countOnlyAllowed) {
        if (s.counts().length >= 3 && s.onlyGrows() && s.growth() >= MIN_GROWTH) {
            return Evidence.GROWING;
        }
        if (s.minWait() >= LONG_WAIT_MINUTES && s.last() >= MIN_GROWTH) {
            return Evidence.LONG_WAIT;
        }
        return countOnlyAllowed && s.counts().length == 1 && s.last() >= MIN_GROWTH ? Evidence.COUNT_ONLY : null;
    }

    /** The goroutines of a role summed per snapshot (buckets split by line or creator are one). */
    static Series series(GoroutineAnalysis.Result a, Role role) {
        return series(a, Set.of(role), role);
    }

    /** The goroutines of several roles summed per snapshot, named by the first. */
    static Series series(GoroutineAnalysis.Result a, Set<Role> roles, Role name) {
        int n = a.totals().length;
        long[] counts = new long[n];
        int minWait = Integer.MAX_VALUE;
        int maxWait = -1;
        GoroutineBuckets.Bucket first = null;
        for (GoroutineAnalysis.Row r : a.rows()) {
            Role role = roleOf(r.bucket());
            if (role == null || !roles.contains(role)) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                counts[i] += r.counts()[i];
            }
            if (r.last() > 0) {
                minWait = Math.min(minWait, r.bucket().minWait());
                maxWait = Math.max(maxWait, r.bucket().maxWait());
                if (first == null || r.bucket().count() > first.count()) {
                    first = r.bucket();
                }
            }
        }
        return new Series(name, counts, minWait == Integer.MAX_VALUE ? -1 : minWait, maxWait, first);
    }

    /**
     * Client connections in one state, less those with a caller at work: a readLoop in IO wait whose
     * caller still waits in roundTrip serves a request in flight, and one waiting for its body while
     * the caller reads it (a stream) is busy, not leaked.
     */
    static Series clientConnections(GoroutineAnalysis.Result a, Role role) {
        // an idle HTTP/1 connection and an HTTP/2 one look alike from the caller's side: a pool's connection
        Set<Role> roles = role == Role.CLIENT_IDLE ? Set.of(Role.CLIENT_IDLE, Role.CLIENT_H2_CONN) : Set.of(role);
        return series(a, roles, role).minus(series(a, role == Role.CLIENT_BODY_WAIT ? Role.CLIENT_READING_BODY
                : Role.CLIENT_IN_FLIGHT));
    }

    /** The server side of connections in this process: idle HTTP/1 ones and HTTP/2 ones. */
    static Series serverConnections(GoroutineAnalysis.Result a) {
        return series(a, Set.of(Role.SERVER_IDLE, Role.SERVER_H2_CONN), Role.SERVER_IDLE);
    }

    /**
     * How many connections the client rules find growing in this capture: with loopback calls, the
     * server's idle connections that grew in step are their other ends.
     */
    static long growingClientConnections(GoroutineAnalysis.Result a) {
        long n = 0;
        for (Role r : List.of(Role.CLIENT_BODY_WAIT, Role.CLIENT_IDLE)) {
            Series s = clientConnections(a, r);
            if (judge(s, false) == Evidence.GROWING) {
                n += s.growth();
            }
        }
        return n;
    }

    /** The frame of the role's own function in a bucket (the library line it waits at), or null. */
    static StackFrame frameOf(GoroutineBuckets.Bucket b, String function) {
        return frameOf(b, Set.of(function));
    }

    /** The frame of one of the functions in a bucket, or null. */
    static StackFrame frameOf(GoroutineBuckets.Bucket b, Set<String> functions) {
        if (b == null) {
            return null;
        }
        for (StackFrame f : b.frames()) {
            if (functions.contains(f.function())) {
                return f;
            }
        }
        return null;
    }

    /**
     * The code that calls a library entry point (one of {@code entries}), as the capture shows it.
     *
     * @param function the caller: the nearest frame of the service's own code above the entry point
     * @param via      the entry point it calls
     * @param seenIn   where it was seen, with its weight there ("block profile: 91 of 91 events")
     * @param share    its share of the weight behind the entry point in the first input that has any
     */
    record Caller(String function, String file, long line, String via, List<String> seenIn, double share) {
        String location() {
            return line > 0 ? file + ":" + line : file;
        }
    }

    /** Where callers are looked for, most telling first. */
    private static final List<DiagnosisInput.Kind> CALLER_EVIDENCE = List.of(DiagnosisInput.Kind.HEAP_PROFILE,
            DiagnosisInput.Kind.BLOCK_PROFILE, DiagnosisInput.Kind.ALLOCS_PROFILE, DiagnosisInput.Kind.CPU_PROFILE,
            DiagnosisInput.Kind.MUTEX_PROFILE);

    /**
     * The callers of the entry points, best evidenced first. The last heap profile comes first: what
     * a leaked connection keeps alive (its request, its Transport) was allocated by the code that made
     * the call, while the allocations of callers that release their connections are collected. Then
     * the block, allocation, CPU and mutex profiles (stacks through an entry point, by the profile's
     * default sample type), then goroutines caught inside an entry point in the last snapshot. Each
     * caller ranks by the first of these that shows it, then by its share there. Empty when nothing
     * shows one.
     */
    static List<Caller> callers(DiagnosisInput input, Set<String> entries) {
        Map<String, Acc> byFunction = new LinkedHashMap<>();
        for (int rank = 0; rank < CALLER_EVIDENCE.size(); rank++) {
            DiagnosisInput.Kind kind = CALLER_EVIDENCE.get(rank);
            List<DiagnosisInput.NamedProfile> all = input.profiles(kind);
            // heap profiles are snapshots: the last one holds what is still alive
            Profile p = kind == DiagnosisInput.Kind.HEAP_PROFILE
                    ? (all.isEmpty() ? null : all.get(all.size() - 1).profile()) : input.merged(kind);
            if (p == null || p.samples().size() == 0) {
                continue;
            }
            int index;
            try {
                index = SampleIndex.resolve(p, null);
            } catch (RuntimeException e) {
                continue;
            }
            Stacks stacks = Stacks.of(p, new NodeOptions(Granularity.LINES, false, false, ""));
            Map<NodeInfo, long[]> perLine = new LinkedHashMap<>();
            Map<String, String> via = new LinkedHashMap<>();
            long total = 0;
            for (int i = 0; i < stacks.size(); i++) {
                int[] frames = stacks.frames(i);
                int entry = -1;
                for (int j = 0; j < frames.length && entry < 0; j++) { // root first: the outermost call
                    if (entries.contains(stacks.node(frames[j]).name())) {
                        entry = j;
                    }
                }
                if (entry < 0) {
                    continue;
                }
                long v = Math.abs(stacks.value(i, index, false));
                total += v;
                for (int j = entry - 1; j >= 0; j--) {
                    NodeInfo n = stacks.node(frames[j]);
                    if (GoSymbols.kindOf(GoSymbols.packageOf(n.name())) == GoSymbols.Kind.OWN) {
                        perLine.computeIfAbsent(n, k -> new long[1])[0] += v;
                        via.putIfAbsent(n.name(), stacks.node(frames[entry]).name());
                        break;
                    }
                }
            }
            if (total == 0) {
                continue;
            }
            // per function: its summed weight, at its heaviest line
            Map<String, long[]> byName = new LinkedHashMap<>();
            Map<String, NodeInfo> heaviest = new LinkedHashMap<>();
            for (Map.Entry<NodeInfo, long[]> e : perLine.entrySet()) {
                String fn = e.getKey().name();
                byName.computeIfAbsent(fn, k -> new long[1])[0] += e.getValue()[0];
                NodeInfo best = heaviest.get(fn);
                if (best == null || perLine.get(best)[0] < e.getValue()[0]) {
                    heaviest.put(fn, e.getKey());
                }
            }
            String type = p.sampleTypes().get(index).type();
            for (Map.Entry<String, long[]> e : byName.entrySet()) {
                NodeInfo n = heaviest.get(e.getKey());
                long part = e.getValue()[0];
                double of = (double) part / total;
                int r = rank;
                Acc acc = byFunction.computeIfAbsent(e.getKey(), k -> new Acc(n.file(), n.lineno(), via.get(k), r, of));
                acc.seenIn.add(kind.id() + " profile: " + share(part, total) + " of the " + type
                        + " through " + via.get(e.getKey()));
            }
        }
        GoroutineAnalysis.Result a = input.goroutineAnalysis();
        if (a != null) {
            for (GoroutineAnalysis.Row r : a.rows()) {
                if (r.last() == 0) {
                    continue;
                }
                List<StackFrame> frames = r.bucket().frames(); // leaf first
                int entry = -1;
                for (int j = frames.size() - 1; j >= 0 && entry < 0; j--) {
                    if (entries.contains(frames.get(j).function())) {
                        entry = j;
                    }
                }
                for (int j = entry + 1; entry >= 0 && j < frames.size(); j++) {
                    StackFrame f = frames.get(j);
                    if (GoSymbols.kindOf(GoSymbols.packageOf(f.function())) == GoSymbols.Kind.OWN) {
                        String via = frames.get(entry).function();
                        Acc acc = byFunction.computeIfAbsent(f.function(), k -> new Acc(f.file(), f.line(), via,
                                CALLER_EVIDENCE.size(), 1));
                        acc.seenIn.add("goroutines: " + r.last() + " in flight in " + frames.get(entry).function());
                        break;
                    }
                }
            }
        }
        List<Caller> out = new ArrayList<>();
        byFunction.forEach((fn, acc) -> out.add(new Caller(fn, acc.file, acc.line, acc.via, List.copyOf(acc.seenIn),
                acc.share)));
        out.sort((x, y) -> byFunction.get(x.function()).rank != byFunction.get(y.function()).rank
                ? byFunction.get(x.function()).rank - byFunction.get(y.function()).rank
                : Double.compare(y.share(), x.share()));
        return out;
    }

    private static String share(long part, long total) {
        return Math.round(100.0 * part / total) + "%";
    }

    private static final class Acc {
        final String file;
        final long line;
        final String via;
        /** the first input that shows it, in {@link #CALLER_EVIDENCE} order (goroutines last) */
        final int rank;
        final double share;
        final List<String> seenIn = new ArrayList<>();

        Acc(String file, long line, String via, int rank, double share) {
            this.file = file;
            this.line = line;
            this.via = via;
            this.rank = rank;
            this.share = share;
        }
    }

    /** Functions whose stacks hold a client connection's memory: its buffers (dialConn) and what its loops allocate. */
    static final Set<String> CLIENT_CONNECTION_FRAMES;

    static {
        Set<String> frames = new java.util.HashSet<>(Set.of("net/http.(*Transport).dialConn", READ_LOOP, WRITE_LOOP));
        frames.addAll(H2_READ_LOOP);
        CLIENT_CONNECTION_FRAMES = Set.copyOf(frames);
    }

    /**
     * The live bytes (inuse_space) of the last heap profile allocated under any of the functions (as
     * pprof's -focus on them selects), or -1 without a heap profile that has inuse_space.
     */
    static long heldBytes(DiagnosisInput input, Set<String> functions) {
        List<DiagnosisInput.NamedProfile> heaps = input.profiles(DiagnosisInput.Kind.HEAP_PROFILE);
        return heaps.isEmpty() ? -1 : heldBytes(heaps.get(heaps.size() - 1).profile(), functions::contains);
    }

    /**
     * The live bytes of each heap profile, in their order, allocated under a function the predicate
     * accepts; empty when a profile has no inuse_space.
     */
    static long[] heldBytesPerSnapshot(DiagnosisInput input, java.util.function.Predicate<String> function) {
        List<DiagnosisInput.NamedProfile> heaps = input.profiles(DiagnosisInput.Kind.HEAP_PROFILE);
        long[] out = new long[heaps.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = heldBytes(heaps.get(i).profile(), function);
            if (out[i] < 0) {
                return new long[0];
            }
        }
        return out;
    }

    private static long heldBytes(Profile p, java.util.function.Predicate<String> function) {
        int index;
        try {
            index = SampleIndex.resolve(p, "inuse_space");
        } catch (RuntimeException e) {
            return -1;
        }
        Stacks stacks = Stacks.of(p, NodeOptions.DEFAULT);
        long sum = 0;
        for (int i = 0; i < stacks.size(); i++) {
            for (int f : stacks.frames(i)) {
                if (function.test(stacks.node(f).name())) {
                    sum += stacks.value(i, index, false);
                    break;
                }
            }
        }
        return sum;
    }

    /** process_open_fds per /metrics snapshot, in time order (empty when none has it). */
    static long[] openFds(DiagnosisInput input) {
        List<Long> fds = new ArrayList<>();
        for (PromMetrics m : input.metricsSeries()) {
            double v = GoCollectorMetrics.of(m).openFds();
            if (Double.isFinite(v)) {
                fds.add(Math.round(v));
            }
        }
        return fds.stream().mapToLong(Long::longValue).toArray();
    }

    private static boolean hasAny(List<StackFrame> frames, Set<String> functions) {
        for (StackFrame f : frames) {
            if (functions.contains(f.function())) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(List<StackFrame> frames, String function) {
        for (StackFrame f : frames) {
            if (f.function().equals(function)) {
                return true;
            }
        }
        return false;
    }
}
