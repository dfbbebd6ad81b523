package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.diagnosis.RuleInfo;
import dev.godiag.diagnosis.rules.StdlibGoroutines.Role;

import java.util.List;
import java.util.Set;

/**
 * goroutines.http-transport-per-request: idle net/http client connections (readLoop reading in IO
 * wait, with its writeLoop, and no caller waiting for a response on them) that only grow across
 * snapshots, or idle for minutes: a Transport (or a Client with its own Transport) made per request,
 * each keeping its idle connection that nothing reuses or closes, or a shared Transport without
 * idle limits (MaxIdleConns and IdleConnTimeout zero) against ever more hosts. A shared Transport
 * with limits keeps a bounded idle pool, so one snapshot's count is no evidence.
 */
public final class HttpTransportPerRequestRule implements Rule {
    static final RuleInfo INFO = RuleInfo.of("goroutines.http-transport-per-request", "goroutines",
            "idle HTTP client connections piling up: a Transport or Client made per request",
            Set.of(DiagnosisInput.Kind.GOROUTINES), HttpClientLeaks.CONNECTIONS);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        Finding f = HttpClientLeaks.evaluate(this, input, config.resolve(this, HttpClientLeaks.CONNECTIONS),
                Role.CLIENT_IDLE, false, "Idle HTTP client connections piling up",
                "idle in IO wait in a Transport's pool that nothing reuses or closes (a Transport, or a Client"
                        + " with its own Transport, made per request; or a shared one with no idle limits"
                        + " against ever more hosts)");
        return f == null ? List.of() : List.of(f);
    }
}
