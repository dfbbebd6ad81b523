package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.diagnosis.rules.StdlibGoroutines.Caller;
import dev.godiag.diagnosis.rules.StdlibGoroutines.Evidence;
import dev.godiag.diagnosis.rules.StdlibGoroutines.Role;
import dev.godiag.diagnosis.rules.StdlibGoroutines.Series;
import dev.godiag.model.StackFrame;

import java.util.List;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.arrows;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.list;

/**
 * What the two net/http client rules share: a series of client connections in one state, judged by
 * growth and wait times, counted in goroutines and sockets, with the caller from the capture.
 */
final class HttpClientLeaks {
    private HttpClientLeaks() {
    }

    /** As goroutines.leak counts leaked goroutines: each connection is two goroutines and a socket. */
    static final Threshold CONNECTIONS = new Threshold("leakedConnections", "count", 1, 10, 100,
            "client connections in the leaking state (in the last snapshot)");
    /** Growing with load, or parked for minutes, makes it at least a warning. */
    static final int CONFIRMED_MIN_SCORE = 50;
    /** A share of the caller evidence above which one caller is named as the one. */
    static final double DOMINANT = 0.8;

    /**
     * The finding for connections of a role, or null when the evidence does not hold.
     *
     * @param countOnlyAllowed whether a count in one snapshot alone may give an (info) finding
     * @param what             the title's first words ("HTTP response bodies not closed")
     * @param state            what the readLoops do, for the summary
     */
    static Finding evaluate(Rule rule, DiagnosisInput input, Threshold t, Role role, boolean countOnlyAllowed,
                            String what, String state) {
        GoroutineAnalysis.Result a = input.goroutineAnalysis();
        if (a == null) {
            return null;
        }
        Series conns = StdlibGoroutines.clientConnections(a, role);
        long n = conns.last();
        Evidence evidence = StdlibGoroutines.judge(conns, countOnlyAllowed);
        if (evidence == null) {
            return null;
        }
        int score = t.score(n);
        score = evidence == Evidence.COUNT_ONLY ? Math.min(score, CONFIRMED_MIN_SCORE - 1)
                : Math.max(score, CONFIRMED_MIN_SCORE);
        if (score < 25) {
            return null;
        }
        long writeLoops = StdlibGoroutines.series(a, Role.CLIENT_WRITE_LOOP).last();
        // HTTP/2 connections have their read loop only; HTTP/1 ones a writeLoop beside it
        long http2 = role == Role.CLIENT_IDLE ? Math.min(n, StdlibGoroutines.series(a, Role.CLIENT_H2_CONN).last()) : 0;
        long goroutines = n + Math.min(n - http2, writeLoops);
        // the server side of loopback calls: server connections that grew in step with these
        Series server = StdlibGoroutines.serverConnections(a);
        long serverSide = evidence == Evidence.GROWING && server.onlyGrows()
                && Math.abs(server.growth() - conns.growth()) <= conns.growth() / 5 ? server.growth() : 0;
        long sockets = n + serverSide;

        List<Caller> callers = StdlibGoroutines.callers(input, StdlibGoroutines.CLIENT_CALLS);
        Caller caller = callers.isEmpty() ? null : callers.get(0);
        boolean named = caller != null && (callers.size() == 1 || caller.share() >= DOMINANT);
        StackFrame loop = StdlibGoroutines.frameOf(conns.first(), StdlibGoroutines.READ_LOOP);
        if (loop == null) {
            loop = StdlibGoroutines.frameOf(conns.first(), StdlibGoroutines.H2_READ_LOOP);
        }

        long[] fds = StdlibGoroutines.openFds(input);
        // the kernel's count beside ours, when /metrics snapshots came with the dumps
        Long fdGrowth = fds.length >= 2 && evidence == Evidence.GROWING ? fds[fds.length - 1] - fds[0] : null;
        // the client connections' memory: all of them, this state's among them (a heap profile has no goroutine state)
        long held = StdlibGoroutines.heldBytes(input, StdlibGoroutines.CLIENT_CONNECTION_FRAMES);
        String growth = conns.counts().length > 1 ? " (" + arrows(conns.counts()) + " across the snapshots)" : "";
        String why = switch (evidence) {
            case GROWING -> "";
            case LONG_WAIT -> "; parked for " + conns.minWait() + "+ minutes";
            case COUNT_ONLY -> "; one snapshot without wait times: take two more, or a debug=2 dump, to see"
                    + " whether they stay";
        };
        Finding.Builder b = Finding.builder(rule)
                .title(what + ": " + n + " connection" + (n == 1 ? "" : "s")
                        + (named ? " from calls in " + caller.function() : ""))
                .score(score)
                .summary(n + " net/http client connections" + growth + " with their readLoop " + state
                        + (http2 == n ? " (HTTP/2: one read loop per connection)"
                        : http2 > 0 ? ", each HTTP/1 one with its writeLoop (" + http2 + " are HTTP/2: a read loop only)"
                        : ", each with its writeLoop")
                        + ": " + goroutines + " goroutines and " + n + " sockets"
                        + (serverSide > 0 ? "; the server side of the same loopback connections in this process: "
                        + serverSide + " more sockets, with their goroutines" : "")
                        + (held > 0 ? "; the last heap profile holds " + RuntimeRuleSupport.bytes(held)
                        + " allocated by net/http's client connections (buffers and what their loops read)" : "")
                        + (fdGrowth == null ? "" : "; process_open_fds grew by " + fdGrowth + " over the snapshots,"
                        + " these connections by " + (conns.growth() + serverSide) + " sockets")
                        + (caller == null ? "" : "; " + (named ? "caller: " : "most likely caller: ")
                        + caller.function() + " (" + caller.location() + ") through " + caller.via())
                        + why)
                .evidence("connections", n)
                .evidence("connectionsPerSnapshot", list(conns.counts()))
                .evidence("connectionsGrowth", conns.counts().length > 1 ? conns.growth() : null)
                .evidence("judgedBy", evidence.id())
                .evidence("goroutines", goroutines)
                .evidence("writeLoops", writeLoops)
                .evidence("http2Connections", http2 > 0 ? http2 : null)
                .evidence("sockets", sockets)
                .evidence("socketsGrowth", evidence == Evidence.GROWING ? conns.growth() + serverSide : null)
                .evidence("serverSideConnections", serverSide > 0 ? serverSide : null)
                .evidence("maxWaitMinutes", conns.maxWait() > 0 ? conns.maxWait() : null);
        if (fds.length > 0) {
            b.evidence("openFdsPerSnapshot", list(fds));
        }
        if (fdGrowth != null) {
            b.evidence("openFdsGrowth", fdGrowth);
        }
        if (held >= 0) {
            b.evidence("clientConnectionsHeapBytes", held);
        }
        if (caller != null) {
            b.location(caller.function(), caller.file(), caller.line())
                    .evidence("caller", caller.function())
                    .evidence("callerLocation", caller.location())
                    .evidence("callerFile", caller.file())
                    .evidence("callerVia", caller.via())
                    .evidence("callerEvidence", caller.seenIn());
            if (callers.size() > 1) {
                b.evidence("otherCallers", callers.subList(1, Math.min(callers.size(), 4)).stream()
                        .map(c -> c.function() + " (" + c.location() + ")").toList());
            }
        } else if (loop != null) {
            b.location(loop.function(), loop.file(), loop.line());
        }
        if (loop != null) {
            b.evidence("readLoopAt", loop.location());
        }
        StackFrame writeLoop = StdlibGoroutines.frameOf(StdlibGoroutines.series(a, Role.CLIENT_WRITE_LOOP).first(),
                StdlibGoroutines.WRITE_LOOP);
        if (writeLoop != null && writeLoops > 0) {
            b.evidence("writeLoopAt", writeLoop.location());
        }
        return b.build();
    }
}
