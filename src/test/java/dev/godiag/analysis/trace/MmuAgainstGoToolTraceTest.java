package dev.godiag.analysis.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.format.trace.TraceReader;
import dev.godiag.format.trace.TraceStates;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.TraceFixtures;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The minimum mutator utilization against Go 1.27's own: {@code go tool trace}'s MMU page serves its
 * curve as JSON ({@code /mmu?mode=plot&flags=stw|background|assist}, the page's default flags); every
 * point of it equals godiag's MMU at the same window.
 */
class MmuAgainstGoToolTraceTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    @Test
    void curveEqualsGoToolTracesMmuPage() throws Exception {
        for (Path trace : List.of(Corpus.file("go1.27/cpuwork/trace.out"), TraceFixtures.allScenarios127())) {
            JsonNode curve = goCurve(trace);
            assertThat(curve.size()).isGreaterThan(20);
            MutatorUtilization mu = new MutatorUtilization();
            TraceStates states = new TraceStates();
            try (InputStream in = Files.newInputStream(trace)) {
                new TraceReader().read(in, g -> mu.accept(states.apply(g)));
            }
            MmuCurve ours = mu.curve();
            int nonTrivial = 0;
            for (JsonNode p : curve) {
                long window = p.get(0).asLong();
                double want = p.get(1).asDouble();
                assertThat(ours.mmu(window)).as("%s window %d ns", trace.getFileName(), window)
                        .isCloseTo(want, within(1e-6));
                if (want > 0 && want < 1) {
                    nonTrivial++;
                }
            }
            assertThat(nonTrivial).as("points strictly between 0 and 1").isGreaterThan(5);
        }
    }

    private static JsonNode goCurve(Path trace) throws Exception {
        Process p = new ProcessBuilder(Tools.go127().toString(), "tool", "trace", "-http=127.0.0.1:0",
                trace.toString()).redirectErrorStream(true).start();
        try {
            String base = null;
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null;) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    base = m.group(1);
                    break;
                }
            }
            assertThat(base).as("go tool trace's address").isNotNull();
            Thread drain = new Thread(() -> {
                try {
                    r.lines().forEach(l -> { });
                } catch (RuntimeException closed) {
                    // the process ended
                }
            });
            drain.setDaemon(true);
            drain.start();
            String flags = URLEncoder.encode("stw|background|assist", StandardCharsets.UTF_8);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMinutes(1)).build();
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/mmu?mode=plot&flags="
                    + flags)).timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
            return new ObjectMapper().readTree(res.body()).get("curve");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }
}
