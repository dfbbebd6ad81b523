package dev.godiag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.engine.Engine;
import dev.godiag.engine.EngineContext;
import dev.godiag.engine.TraceRequest;
import dev.godiag.engine.TraceResult;
import dev.godiag.format.Source;
import dev.godiag.server.TestServer.MultipartPart;
import dev.godiag.testutil.Corpus;
import dev.godiag.util.Units;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 in serve: an execution trace uploaded alone or in an archive with profiles is recognised
 * (its file kind "trace"), read by the diagnosis (a "trace" input whose length is the one
 * {@code godiag trace} measures of the same file), its page stored beside the reports and linked from
 * the upload page; an upload without a trace has neither.
 */
class UploadTraceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TRACE = Corpus.file("go1.27/cpuwork/trace.out");
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode json(TestServer.Answer a) throws IOException {
        assertThat(a.status()).as(a.body()).isBetween(200, 201);
        return JSON.readTree(a.body());
    }

    private static String upload(String name, byte[] data) throws IOException {
        JsonNode u = json(server.postMultipart("/api/uploads?wait=120", List.of(MultipartPart.file(name, data))));
        assertThat(u.get("status").asText()).as(u.toString()).isEqualTo("done");
        return u.get("id").asText();
    }

    /** What godiag trace says of the corpus trace: its length as the inputs table writes it. */
    private static String traceLength() {
        TraceResult r = new Engine(EngineContext.of("test")).trace(new TraceRequest(new Source.File(TRACE)));
        return Units.time(r.analysis().overview().durationNanos());
    }

    private static List<JsonNode> rows(JsonNode report, String kind) {
        List<JsonNode> out = new ArrayList<>();
        report.get("inputs").forEach(r -> {
            if (r.get("kind").asText().equals(kind)) {
                out.add(r);
            }
        });
        return out;
    }

    @Test
    void aTraceAloneIsDiagnosedAndItsPageStoredAndLinked() throws IOException {
        String id = upload("trace.out", Files.readAllBytes(TRACE));
        JsonNode meta = json(server.get("/api/uploads/" + id));
        assertThat(meta.get("kinds").toString()).isEqualTo("[\"trace\"]");
        assertThat(meta.get("files").get(0).get("kind").asText()).isEqualTo("trace");

        JsonNode report = json(server.get("/api/uploads/" + id + "/report?format=json"));
        List<JsonNode> traces = rows(report, "trace");
        assertThat(traces).hasSize(1);
        assertThat(traces.get(0).get("detail").asText()).isEqualTo("trace, " + traceLength());

        TestServer.Answer page = server.get("/api/uploads/" + id + "/report?format=trace");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).isEqualTo(Page.REPORT_CSP);
        assertThat(page.body()).contains("trace.out");
        // the joined page holds the same trace page as a tab
        assertThat(server.get("/api/uploads/" + id + "/report?format=html").body()).contains("\"id\":\"trace\"");

        TestServer.Answer uploadPage = server.get("/uploads/" + id);
        assertThat(uploadPage.body()).contains("id=\"trace-page\" href=\"/api/uploads/" + id
                + "/report?format=trace\"");
    }

    @Test
    void aGzippedTraceInAnArchiveWithAProfileIsRecognisedBesideIt() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("svc/cpu.pprof", Files.readAllBytes(Corpus.file("go1.27/cpuwork/cpu.pprof")));
        entries.put("svc/trace.out.gz", gzip(Files.readAllBytes(TRACE)));
        String id = upload("capture.zip", ArchiveBuilder.zip(entries));
        JsonNode meta = json(server.get("/api/uploads/" + id));
        List<String> kinds = new ArrayList<>();
        meta.get("files").forEach(f -> kinds.add(f.get("kind").asText()));
        assertThat(kinds).containsExactly("cpu", "trace");

        JsonNode report = json(server.get("/api/uploads/" + id + "/report?format=json"));
        assertThat(rows(report, "cpu")).hasSize(1);
        assertThat(rows(report, "trace")).singleElement()
                .satisfies(r -> assertThat(r.get("detail").asText()).isEqualTo("trace, " + traceLength()));
        assertThat(server.get("/api/uploads/" + id + "/report?format=trace").status()).isEqualTo(200);
    }

    @Test
    void anUploadWithoutATraceHasNoTracePage() throws IOException {
        String id = upload("cpu.pprof", Files.readAllBytes(Corpus.file("go1.27/cpuwork/cpu.pprof")));
        assertThat(server.get("/api/uploads/" + id + "/report?format=trace").status()).isEqualTo(404);
        assertThat(server.get("/uploads/" + id).body()).doesNotContain("trace-page");
        assertThat(server.get("/api/uploads/" + id + "/report?format=pdf").status()).isEqualTo(400);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
