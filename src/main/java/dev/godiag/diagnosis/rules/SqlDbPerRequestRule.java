package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;
import dev.godiag.diagnosis.rules.StdlibGoroutines.Caller;
import dev.godiag.diagnosis.rules.StdlibGoroutines.Evidence;
import dev.godiag.diagnosis.rules.StdlibGoroutines.Role;
import dev.godiag.diagnosis.rules.StdlibGoroutines.Series;
import dev.godiag.model.StackFrame;

import java.util.List;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.arrows;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.list;

/**
 * goroutines.sql-db-per-request: database/sql connectionOpener goroutines, one per sql.DB for its
 * whole life, growing across snapshots: a DB opened per request (or per use) and never closed, each
 * with its own pool of connections. A service has a few DBs; one snapshot with many is an info (a
 * service may hold a DB per tenant).
 */
public final class SqlDbPerRequestRule implements Rule {
    /** As goroutines.leak counts leaked goroutines: each DB is a goroutine and a pool of connections. */
    static final Threshold DBS = new Threshold("openDbs", "count", 1, 10, 100,
            "sql.DB handles alive (connectionOpener goroutines in the last snapshot)");
    static final Set<String> OPEN_CALLS = Set.of("database/sql.Open", "database/sql.OpenDB");
    private static final String SQL_PACKAGE = "database/sql.";

    static final RuleInfo INFO = RuleInfo.of("goroutines.sql-db-per-request", "goroutines",
            "database/sql DB handles piling up: sql.Open per request without Close",
            Set.of(DiagnosisInput.Kind.GOROUTINES), DBS);

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
        Series dbs = StdlibGoroutines.series(a, Role.SQL_OPENER);
        Evidence evidence = StdlibGoroutines.judge(dbs, true);
        if (evidence == null) {
            return List.of();
        }
        int score = config.resolve(this, DBS).score(dbs.last());
        score = evidence == Evidence.GROWING ? Math.max(score, HttpClientLeaks.CONFIRMED_MIN_SCORE)
                : Math.min(score, HttpClientLeaks.CONFIRMED_MIN_SCORE - 1);
        if (score < 25) {
            return List.of();
        }
        long n = dbs.last();
        List<Caller> callers = StdlibGoroutines.callers(input, OPEN_CALLS);
        Caller caller = callers.isEmpty() ? null : callers.get(0);
        boolean named = caller != null && (callers.size() == 1 || caller.share() >= HttpClientLeaks.DOMINANT);
        Finding.Builder b = Finding.builder(this)
                .title("sql.DB opened per request: " + n + " DB handles alive"
                        + (named ? ", opened in " + caller.function() : ""))
                .score(score)
                .summary(n + " database/sql connectionOpener goroutines" + (dbs.counts().length > 1
                        ? " (" + arrows(dbs.counts()) + " across the snapshots)" : "")
                        + ": one per sql.DB until DB.Close, so " + n + " DB handles, each with its own"
                        + " connection pool (up to 2 idle connections each by default)"
                        + (caller == null ? "" : "; " + (named ? "opened in " : "most likely opened in ")
                        + caller.function() + " (" + caller.location() + ") through " + caller.via())
                        + (evidence == Evidence.COUNT_ONLY ? "; one snapshot: take two more to see whether they grow" : ""))
                .evidence("dbs", n)
                .evidence("dbsPerSnapshot", list(dbs.counts()))
                .evidence("dbsGrowth", dbs.counts().length > 1 ? dbs.growth() : null)
                .evidence("judgedBy", evidence.id())
                .evidence("goroutines", n);
        long[] fds = StdlibGoroutines.openFds(input);
        if (fds.length > 0) {
            b.evidence("openFdsPerSnapshot", list(fds));
        }
        if (fds.length >= 2 && evidence == Evidence.GROWING) {
            // what the symptom rules see beside it: each DB's pool keeps its idle connections' sockets
            b.evidence("openFdsGrowth", fds[fds.length - 1] - fds[0]);
        }
        // everything database/sql keeps alive (the DBs, their pools and the drivers' connections under them)
        long[] held = StdlibGoroutines.heldBytesPerSnapshot(input, fn -> fn.startsWith(SQL_PACKAGE));
        if (held.length > 0) {
            b.evidence("sqlHeapBytesPerSnapshot", list(held));
        }
        if (held.length >= 2 && evidence == Evidence.GROWING) {
            b.evidence("sqlHeapGrowthBytes", held[held.length - 1] - held[0]);
        }
        StackFrame opener = StdlibGoroutines.frameOf(dbs.first(), StdlibGoroutines.SQL_OPENER);
        if (caller != null) {
            b.location(caller.function(), caller.file(), caller.line())
                    .evidence("caller", caller.function())
                    .evidence("callerLocation", caller.location())
                    .evidence("callerFile", caller.file())
                    .evidence("callerVia", caller.via())
                    .evidence("callerEvidence", caller.seenIn());
        } else if (opener != null) {
            b.location(opener.function(), opener.file(), opener.line());
        }
        return List.of(b.build());
    }
}
