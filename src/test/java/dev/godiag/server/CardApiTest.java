package dev.godiag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The knowledge base's cards over HTTP, against the YAML files godiag ships. */
class CardApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The card files in the source tree: one per card, named by its id. */
    static List<String> shippedIds() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/dev/godiag/diagnosis/kb/cards"))) {
            return files.map(p -> p.getFileName().toString().replaceFirst("\\.yaml$", "")).sorted().toList();
        }
    }

    @Test
    void everyShippedCardIsListedWithItsTitleAndTopic() throws Exception {
        JsonNode body = JSON.readTree(server.get("/api/cards").body());
        JsonNode cards = body.get("cards");
        assertThat(cards.findValuesAsText("id")).isEqualTo(shippedIds());
        JsonNode cgo = null;
        for (JsonNode c : cards) {
            if (c.get("id").asText().equals("code.cgo")) {
                cgo = c;
            }
        }
        assertThat(cgo.get("title").asText()).isEqualTo("Much CPU in cgo calls");
        assertThat(cgo.get("topic").asText()).isEqualTo("code");
        assertThat(cgo.get("url").asText()).isEqualTo("/api/cards/code.cgo");
        // the symptom table leads to cards that exist
        JsonNode symptoms = body.get("symptoms");
        assertThat(symptoms.findValuesAsText("symptom")).contains("high CPU with low throughput");
        List<String> ids = shippedIds();
        List<String> pointedTo = new java.util.ArrayList<>();
        symptoms.findValues("rules").forEach(rules -> rules.forEach(r -> pointedTo.add(r.asText())));
        assertThat(pointedTo).isNotEmpty().allMatch(ids::contains);
        JsonNode gc = JSON.readTree(server.get("/api/cards?topic=gc").body()).get("cards");
        assertThat(gc.findValuesAsText("topic")).isNotEmpty().allMatch("gc"::equals);
    }

    @Test
    void aCardComesWholeWithItsExplanationFixExampleAndVerifyCommands() throws Exception {
        TestServer.Answer a = server.get("/api/cards/code.cgo");
        assertThat(a.status()).isEqualTo(200);
        JsonNode card = JSON.readTree(a.body());
        assertThat(card.get("id").asText()).isEqualTo("code.cgo");
        assertThat(card.get("mechanism").asText()).startsWith("Calls into C go through runtime.cgocall");
        assertThat(card.get("fix").asText()).startsWith("Make fewer, larger calls");
        assertThat(card.get("example").get("before").asText()).contains("C.process(C.double(v))");
        assertThat(card.get("example").get("after").asText()).contains("C.process_all(");
        assertThat(card.get("verify").findValuesAsText("command")).containsExactly("godiag top -cum {cpuProfile}",
                "perf record -g -p PID");
        assertThat(card.get("verify").get(0).get("what").asText()).isEqualTo("cum share of runtime.cgocall and the own caller");
        assertThat(card.get("signs")).hasSize(2);
        assertThat(card.get("references").get(0).asText()).isEqualTo("https://pkg.go.dev/cmd/cgo");

        // a card a symptom points to says which
        JsonNode hotspot = JSON.readTree(server.get("/api/cards/cpu.hotspot").body());
        assertThat(hotspot.get("symptoms").findValuesAsText("symptom")).contains("high CPU with low throughput");

        TestServer.Answer none = server.get("/api/cards/no.such-card");
        assertThat(none.status()).isEqualTo(404);
        assertThat(JSON.readTree(none.body()).get("error").asText()).isEqualTo("no card no.such-card");
    }
}
