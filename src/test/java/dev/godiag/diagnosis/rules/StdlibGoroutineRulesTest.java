package dev.godiag.diagnosis.rules;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.format.InputSource;
import dev.godiag.format.goroutine.GoroutineSources;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standard-library goroutine rules on the corpus, where they must stay quiet (the net/http
 * service in testdata/gen/httpleak, where they fire, is HttpLeakServiceTest's): the roles they read
 * from a real dump, and no finding from one connection in flight or from leakysvc's own leaks.
 */
class StdlibGoroutineRulesTest {
    private static final List<Rule> RULES = List.of(new HttpBodyNotClosedRule(), new HttpTransportPerRequestRule(),
            new HttpServerIdleConnsRule(), new SqlDbPerRequestRule());

    private static DiagnosisInput dumps(String... files) {
        DiagnosisInput in = new DiagnosisInput();
        for (String f : files) {
            in.addGoroutines(GoroutineSources.load(Corpus.file(f).toString(), InputSource.FetchOptions.DEFAULT, 1L << 30));
        }
        return in;
    }

    /** goleak's http.txt: a test that left one client connection (readLoop in select, writeLoop) and its server side. */
    @Test
    void oneConnectionInFlightIsReadButNotReported() {
        DiagnosisInput in = dumps("upstream/goleak/http.txt");
        GoroutineAnalysis.Result a = in.goroutineAnalysis();
        assertThat(StdlibGoroutines.series(a, StdlibGoroutines.Role.CLIENT_BODY_WAIT).counts()).containsExactly(1);
        assertThat(StdlibGoroutines.series(a, StdlibGoroutines.Role.CLIENT_WRITE_LOOP).counts()).containsExactly(1);
        assertThat(StdlibGoroutines.series(a, StdlibGoroutines.Role.CLIENT_IDLE).counts()).containsExactly(0);
        for (Rule r : RULES) {
            assertThat(r.evaluate(in, RuleConfig.DEFAULT)).as(r.id()).isEmpty();
        }
    }

    /** leakysvc's seven leaks are its own code's: none of them is a standard-library resource. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"go1.19", "go1.27"})
    void leakysvcLeaksAreNotTheStandardLibrarys(String version) {
        String[] files = new String[5];
        for (int i = 0; i < 5; i++) {
            files[i] = version + "/leakysvc/goroutine.t" + i + ".debug2.txt";
        }
        DiagnosisInput in = dumps(files);
        for (Rule r : RULES) {
            assertThat(r.evaluate(in, RuleConfig.DEFAULT)).as(r.id()).isEmpty();
        }
        for (GoroutineAnalysis.Row row : in.goroutineAnalysis().rows()) {
            if (row.bucket().focusFrame() != null && row.bucket().focusFrame().function().startsWith("main.leak")) {
                assertThat(StdlibGoroutines.explainedByStdlibRule(row.bucket())).as(row.bucket().key()).isFalse();
            }
        }
    }
}
