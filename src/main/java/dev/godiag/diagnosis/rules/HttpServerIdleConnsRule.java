package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.diagnosis.rules.StdlibGoroutines.Evidence;
import dev.godiag.diagnosis.rules.StdlibGoroutines.Role;
import dev.godiag.diagnosis.rules.StdlibGoroutines.Series;
import dev.godiag.model.StackFrame;

import java.util.List;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.arrows;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.list;

/**
 * goroutines.http-server-idle-conns: net/http server connections waiting in IO wait for their
 * client's next request (conn.serve with no handler running), parked for minutes or growing across
 * snapshots: no IdleTimeout or ReadTimeout bounds them, so every client that keeps a connection
 * holds a goroutine and a socket. Growth alone (more clients can mean more keep-alive connections)
 * is an info; minutes of waiting are the evidence of no deadline. Connections that grew in step with
 * this process's own leaking client connections are their loopback other ends, and are left to the
 * client rules.
 */
public final class HttpServerIdleConnsRule implements Rule {
    static final Threshold CONNECTIONS = new Threshold("idleConnections", "count", 10, 100, 1_000,
            "server connections waiting for a next request (in the last snapshot)");

    static final RuleInfo INFO = RuleInfo.of("goroutines.http-server-idle-conns", "goroutines",
            "HTTP server connections idle for minutes or piling up: no IdleTimeout or ReadTimeout",
            Set.of(DiagnosisInput.Kind.GOROUTINES), CONNECTIONS);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        GoroutineAnalysis.Result a = input.goroutineAnalysis();
        if (a == null) {
            return List.of();
        }
        Series conns = StdlibGoroutines.series(a, Role.SERVER_IDLE);
        Evidence evidence = StdlibGoroutines.judge(conns, false);
        if (evidence == null) {
            return List.of();
        }
        long loopback = StdlibGoroutines.growingClientConnections(a);
        if (evidence == Evidence.GROWING && conns.growth() - loopback < StdlibGoroutines.MIN_GROWTH) {
            return List.of(); // the other ends of this process's own leaking client connections
        }
        boolean waitsMinutes = conns.minWait() >= StdlibGoroutines.LONG_WAIT_MINUTES;
        int score = config.resolve(this, CONNECTIONS).score(conns.last());
        if (!waitsMinutes) {
            score = Math.min(score, HttpClientLeaks.CONFIRMED_MIN_SCORE - 1);
        } else if (evidence == Evidence.GROWING) {
            score = Math.max(score, HttpClientLeaks.CONFIRMED_MIN_SCORE);
        }
        if (score < 25) {
            return List.of();
        }
        long n = conns.last();
        StackFrame serve = StdlibGoroutines.frameOf(conns.first(), StdlibGoroutines.SERVER_CONN);
        Finding.Builder b = Finding.builder(this)
                .title("HTTP server connections " + (waitsMinutes ? "idle for " + conns.minWait() + "+ minutes"
                        : "piling up") + ": " + n + " waiting for a next request")
                .score(score)
                .summary(n + " net/http server connections" + (conns.counts().length > 1
                        ? " (" + arrows(conns.counts()) + " across the snapshots)" : "")
                        + " wait in IO wait for their client's next request"
                        + (waitsMinutes ? ", parked " + conns.minWait() + (conns.maxWait() > conns.minWait()
                        ? "-" + conns.maxWait() : "") + " minutes: no IdleTimeout or ReadTimeout shorter than that"
                        : ": a debug=2 dump's wait times tell whether they are bounded by an IdleTimeout")
                        + "; " + n + " goroutines and " + n + " sockets")
                .evidence("connections", n)
                .evidence("connectionsPerSnapshot", list(conns.counts()))
                .evidence("connectionsGrowth", conns.counts().length > 1 ? conns.growth() : null)
                .evidence("judgedBy", evidence.id())
                .evidence("goroutines", n)
                .evidence("sockets", n)
                .evidence("minWaitMinutes", conns.minWait() >= 0 ? conns.minWait() : null)
                .evidence("maxWaitMinutes", conns.maxWait() > 0 ? conns.maxWait() : null)
                .evidence("loopbackClientConnections", loopback > 0 ? loopback : null);
        long[] fds = StdlibGoroutines.openFds(input);
        if (fds.length > 0) {
            b.evidence("openFdsPerSnapshot", list(fds));
        }
        if (serve != null) {
            b.location(serve.function(), serve.file(), serve.line()).evidence("waitsAt", serve.location());
        }
        StackFrame created = conns.first() == null ? null : conns.first().createdBy();
        if (created != null) {
            b.evidence("createdBy", created.function() + " (" + created.location() + ")");
        }
        return List.of(b.build());
    }
}
