package dev.godiag.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, diagnose of a live service by its /debug/pprof/ base: with its CPU profile godiag takes an
 * execution trace of the same seconds (testdata/gen/pprofserver built with Go 1.27), lists it among
 * the inputs, and its goroutines parked for good (three in select{} in main.parkedSelect, seven on a
 * channel nobody uses in main.parkedReceiver, as the program's header says) confirm the goroutine
 * leaks the dump shows, with the counts the dump itself has; without the CPU profile no trace is
 * taken. A trace URL given as an input is read like a file.
 */
class LiveTraceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GoFixtures.Running server;
    private static String base;

    @BeforeAll
    static void startServer() throws Exception {
        Path binary = GoFixtures.build(Tools.go127(), "pprofserver");
        server = GoFixtures.start(binary, "-lifetime=30m");
        Matcher m = Pattern.compile("listening on (127\\.0\\.0\\.1:\\d+)").matcher(server.firstLine());
        assertThat(m.matches()).as("first line: %s", server.firstLine()).isTrue();
        base = "http://" + m.group(1);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode diagnose(String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of("diagnose", "--format", "json"));
        a.addAll(List.of(args));
        Peers.Result r = Godiag.run(a);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return JSON.readTree(r.stdout());
    }

    private static List<JsonNode> traceRows(JsonNode d) {
        List<JsonNode> out = new ArrayList<>();
        d.get("inputs").forEach(r -> {
            if (r.get("name").asText().contains("/debug/pprof/trace")) {
                out.add(r);
            }
        });
        return out;
    }

    @Test
    void aLiveDiagnosisTakesATraceThatConfirmsTheParkedGoroutines() throws IOException {
        JsonNode d = diagnose("--seconds", "1", base + "/debug/pprof/");
        assertThat(traceRows(d)).singleElement().satisfies(r -> {
            assertThat(r.get("name").asText()).isEqualTo(base + "/debug/pprof/trace?seconds=1");
            assertThat(r.get("kind").asText()).isEqualTo("trace");
            assertThat(r.get("detail").asText()).matches("trace, [0-9.]+m?s");
        });
        // the dump's own counts at each leak's line, from the dump godiag read (debug=2, as fetched)
        int confirmed = 0;
        for (JsonNode f : d.get("findings")) {
            JsonNode ev = f.get("evidence");
            if (!f.get("rule").asText().equals("goroutines.leak") || !ev.has("blockedAtFunction")) {
                continue;
            }
            String fn = ev.get("blockedAtFunction").asText();
            if (fn.equals("main.parkedSelect") || fn.equals("main.parkedReceiver")) {
                assertThat(ev.get("traceBlockedThroughout").asInt()).as(fn).isEqualTo(ev.get("count").asInt())
                        .isEqualTo(fn.equals("main.parkedSelect") ? 3 : 7);
                assertThat(ev.get("trace").asText()).isEqualTo(base + "/debug/pprof/trace?seconds=1");
                confirmed++;
            }
        }
        assertThat(confirmed).as("the select{} leak at least: %s", d.get("findings")).isPositive();
    }

    @Test
    void withoutTheCpuProfileNoTraceIsTaken() throws IOException {
        assertThat(traceRows(diagnose("--no-cpu", base + "/debug/pprof/"))).isEmpty();
    }

    @Test
    void aTraceUrlIsAnInputLikeAFile() throws IOException, InterruptedException {
        Path dump = Files.createTempFile("goroutines", ".txt");
        try {
            var answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/debug/pprof/goroutine?debug=2")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofFile(dump));
            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode d = diagnose(dump.toString(), base + "/debug/pprof/trace?seconds=1");
            assertThat(traceRows(d)).singleElement()
                    .satisfies(r -> assertThat(r.get("kind").asText()).isEqualTo("trace"));
            assertThat(d.get("findings").toString()).contains("traceBlockedThroughout");
        } finally {
            Files.delete(dump);
        }
    }
}
