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
 * goroutines.http-body-not-closed: net/http client connections whose persistConn.readLoop is parked
 * in its select waiting for the caller to read the response body to EOF or close it, growing across
 * snapshots or parked for minutes: response bodies that are never closed. One snapshot alone gives
 * at most an info finding (bodies being read right now look the same).
 */
public final class HttpBodyNotClosedRule implements Rule {
    static final RuleInfo INFO = RuleInfo.of("goroutines.http-body-not-closed", "goroutines",
            "HTTP client connections waiting for a response body that is never read or closed",
            Set.of(DiagnosisInput.Kind.GOROUTINES), HttpClientLeaks.CONNECTIONS);

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> evaluate(DiagnosisInput input, RuleConfig config) {
        Finding f = HttpClientLeaks.evaluate(this, input, config.resolve(this, HttpClientLeaks.CONNECTIONS),
                Role.CLIENT_BODY_WAIT, true, "HTTP response bodies not closed",
                "parked in its select waiting for the response body to be read to EOF or closed");
        return f == null ? List.of() : List.of(f);
    }
}
