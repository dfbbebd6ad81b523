package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.goroutine.GoroutineVerdicts;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.Threshold;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.arrows;
import static dev.godiag.diagnosis.rules.RuntimeRuleSupport.list;

/**
 * goroutines.timers-per-request: timers and tickers of the time package that one function of the
 * service makes and that only pile up across three or more heap profiles: a time.AfterFunc,
 * NewTimer or NewTicker per request (or per item) that is never stopped stays pending in the
 * runtime, with what it holds, until it fires (a ticker: forever). A timer per live session is
 * the same picture while sessions grow, so the count alone makes at most a warning.
 */
public final class TimersPerRequestRule implements Rule {
    static final Threshold TIMERS = new Threshold("pendingTimers", "count", 10, 1000, 100_000,
            "timers or tickers one function made that are still live (in the last heap profile)");
    /** Fewer new timers than this across the profiles is a warm-up, not a pile. */
    static final long MIN_GROWTH = StdlibGoroutines.MIN_GROWTH;
    /** Growth is all this rule sees (a session's timers grow as sessions do): never critical. */
    static final int MAX_SCORE = 74;
    static final int MAX_FINDINGS = 5;

    static final RuleInfo INFO = RuleInfo.of("goroutines.timers-per-request", "goroutines",
            "time.AfterFunc/NewTimer/NewTicker timers piling up: made per request and never stopped",
            Set.of(DiagnosisInput.Kind.HEAP_PROFILE), TIMERS);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        if (input.profiles(DiagnosisInput.Kind.HEAP_PROFILE).size() < 3) {
            return List.of(); // growth needs a series
        }
        Threshold t = config.resolve(this, TIMERS);
        List<Finding> out = new ArrayList<>();
        List<Timers.Site> sites = new ArrayList<>(Timers.sites(input));
        sites.sort(Comparator.comparingLong((Timers.Site s) -> -last(s.timers())).thenComparing(Timers.Site::caller));
        for (Timers.Site s : sites) {
            long[] timers = s.timers();
            long growth = last(timers) - timers[0];
            if (!GoroutineVerdicts.onlyGrows(timers) || growth < MIN_GROWTH || out.size() == MAX_FINDINGS) {
                continue;
            }
            int score = Math.min(t.score(last(timers)), MAX_SCORE);
            if (score < 25) {
                continue;
            }
            out.add(finding(s, timers, score));
        }
        return out;
    }

    private Finding finding(Timers.Site s, long[] timers, int score) {
        long n = last(timers);
        boolean ticker = Timers.TICKERS.contains(s.constructor());
        String kind = ticker ? "ticker" : "timer";
        String made = s.constructor() + (s.via() == null ? "" : " (through " + s.via() + ")");
        return Finding.builder(this)
                .title((ticker ? "Tickers" : "Timers") + " piling up: " + n + " from " + made + " in "
                        + s.caller() + " still live")
                .score(score)
                .summary(n + " " + kind + (n == 1 ? "" : "s") + " made by " + made + " in " + s.caller()
                        + " (" + s.location() + ") are live, " + arrows(timers) + " across the heap profiles, "
                        + RuntimeRuleSupport.bytes(last(s.bytes())) + " live: "
                        + (ticker ? "a ticker lives until Stop, so one made per request and never stopped"
                        + " ticks forever"
                        : "a timer stays pending in the runtime, with what its function or channel holds, until it"
                        + " fires or is stopped, so one armed per request and not stopped when the request ends"
                        + " piles up for its whole duration")
                        + "; timers kept per live session grow the same way while sessions do")
                .location(s.caller(), s.file(), s.line())
                .evidence("timers", n)
                .evidence("timersPerSnapshot", list(timers))
                .evidence("timersGrowth", n - timers[0])
                .evidence("constructor", s.constructor())
                .evidence("via", s.via())
                .evidence("liveObjectsPerSnapshot", list(s.objects()))
                .evidence("liveBytesPerSnapshot", list(s.bytes()))
                .evidence("caller", s.caller())
                .evidence("callerFile", s.file())
                .evidence("callerLocation", s.location())
                .build();
    }

    private static long last(long[] v) {
        return v[v.length - 1];
    }
}
