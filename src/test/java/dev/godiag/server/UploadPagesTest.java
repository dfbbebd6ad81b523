package dev.godiag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.ValueType;
import dev.godiag.server.TestServer.MultipartPart;
import dev.godiag.store.UploadRepository;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upload pages over HTTP on a running server: what each page holds, its CSP, errors as a line on
 * a page, the history's filters and paging, and names from profiles and uploads shown only escaped.
 */
class UploadPagesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCRIPT = "<script>alert(1)</script>";
    static final String IMG = "\"><img src=x onerror=alert(1)>";
    static final String SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";
    static final String IMG_ESCAPED = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;";

    static TestServer server;
    static String cpu;
    static String goroutines;
    static String hostileBase;
    static String hostileNew;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        cpu = upload("cpu.pprof", Files.readAllBytes(Corpus.file("go1.27/cpuwork/cpu.pprof")), "orders", "v2",
                "env=prod");
        goroutines = upload("g.txt", Files.readAllBytes(Corpus.file("go1.27/leakysvc/goroutine.t3.debug2.txt")),
                "orders", "v3", "env=staging");
        // the same hostile service, version and label value, and function names, in two runs
        hostileBase = upload("base.pprof", hostileProfile(false), SCRIPT, IMG, "x=" + SCRIPT + ",y=" + IMG);
        hostileNew = upload("new.pprof", hostileProfile(true), SCRIPT, IMG, "x=" + SCRIPT + ",y=" + IMG);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String upload(String name, byte[] data, String service, String version, String labels) throws Exception {
        TestServer.Answer a = server.postMultipart("/api/uploads?wait=120", List.of(MultipartPart.file(name, data),
                MultipartPart.field("service", service), MultipartPart.field("version", version),
                MultipartPart.field("labels", labels)));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        JsonNode u = JSON.readTree(a.body());
        assertThat(u.get("status").asText()).as(a.body()).isEqualTo("done");
        return u.get("id").asText();
    }

    /** A CPU profile whose hot functions are named like markup; the new run spends more in them. */
    static byte[] hostileProfile(boolean more) throws IOException {
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("samples", "count")
                .sampleType("cpu", "nanoseconds").period(new ValueType("cpu", "nanoseconds"), 10_000_000);
        int main = b.addFunction(1, "main.main", "main.main", "main.go", 1);
        int id = 2;
        for (String name : List.of("main." + SCRIPT, "main." + IMG, "main.quiet")) {
            int f = b.addFunction(id, name, name, IMG + ".go", 1);
            b.addLine(f, 3, 0);
            int leaf = b.endLocation(id, -1, 0x10L * id, false);
            b.addLine(main, 7, 0);
            int root = b.endLocation(100 + id, -1, 0x1000L + id, false);
            b.addSampleLocation(leaf);
            b.addSampleLocation(root);
            b.addLabel("handler", SCRIPT);
            long n = name.equals("main.quiet") ? 50 : more ? 400 : 100;
            b.endSample(n, n * 10_000_000);
            id++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtoProfileWriter.write(b.build(), out);
        return out.toByteArray();
    }

    static void assertPage(TestServer.Answer a, int status) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.header("Content-Type")).startsWith("text/html");
        assertThat(a.header("Content-Security-Policy")).isEqualTo(Page.CSP);
        // nothing inline: every script is a file of this server
        assertThat(a.body()).doesNotContain("<style").doesNotContain(" style=").doesNotContain(" onclick=");
        Matcher scripts = Pattern.compile("<script[^>]*>").matcher(a.body());
        while (scripts.find()) {
            assertThat(scripts.group()).matches("<script src=\"/static/[a-z]+\\.js\" defer>");
        }
    }

    static void assertInert(String body) {
        assertThat(body).doesNotContain(SCRIPT).doesNotContain("<img").doesNotContain(IMG);
    }

    @Test
    void theUploadPageHasTheFormTheLatestUploadsAndItsScript() {
        TestServer.Answer a = server.get("/");
        assertPage(a, 200);
        assertThat(a.body()).contains("<form id=\"upload-form\"").contains("<input id=\"files\" type=\"file\" name=\"file\" multiple>")
                .contains("name=\"service\"").contains("name=\"version\"").contains("name=\"labels\"")
                .contains("<script src=\"/static/upload.js\" defer>")
                .contains("href=\"/uploads/" + cpu + "\"").contains("href=\"/uploads\"");
        TestServer.Answer js = server.get("/static/upload.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("Content-Type")).startsWith("text/javascript");
        assertThat(js.body()).contains("/api/uploads");
    }

    @Test
    void hostileServiceVersionLabelsAndFunctionNamesAreShownOnlyEscaped() {
        for (String path : List.of("/", "/uploads", "/uploads?service=" + URLEncoder.encode(SCRIPT, StandardCharsets.UTF_8),
                "/uploads/" + hostileNew, "/compare?base=" + hostileBase + "&new=" + hostileNew)) {
            TestServer.Answer a = server.get(path);
            assertPage(a, 200);
            assertInert(a.body());
            assertThat(a.body()).as(path).contains(SCRIPT_ESCAPED).contains(IMG_ESCAPED);
        }
        // the compare table names the functions that grew, escaped
        String compare = server.get("/compare?base=" + hostileBase + "&new=" + hostileNew).body();
        // (shown as pprof shows names: the "(1)" of a name that looks like a signature dropped)
        assertThat(compare).contains("<code>main." + SCRIPT_ESCAPED + "</code>")
                .contains("<code>main.&quot;&gt;&lt;img src=x onerror=alert&gt;</code>");
        // the history filtered by the hostile service finds both, and echoes the filter escaped
        String history = server.get("/uploads?service=" + URLEncoder.encode(SCRIPT, StandardCharsets.UTF_8)).body();
        assertThat(rowIds(history)).containsExactly(hostileNew, hostileBase);
        assertThat(history).contains("name=\"service\" value=\"" + SCRIPT_ESCAPED + "\"");
    }

    /** The chosen option of a compare select. */
    static String selected(String html, String select) {
        int start = html.indexOf("<select name=\"" + select + "\"");
        String options = html.substring(start, html.indexOf("</select>", start));
        Matcher m = Pattern.compile("<option value=\"([a-z0-9]+)\" selected>").matcher(options);
        assertThat(m.find()).as("a chosen %s", select).isTrue();
        return m.group(1);
    }

    static List<String> rowIds(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("<tr data-id=\"([a-z0-9]+)\"").matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void theReportPageShowsTheMetadataAndEmbedsTheStoredReportInASandbox() throws Exception {
        TestServer.Answer a = server.get("/uploads/" + cpu);
        assertPage(a, 200);
        String page = a.body();
        JsonNode meta = JSON.readTree(server.get("/api/uploads/" + cpu).body());
        assertThat(page).contains("<a href=\"/services/orders\">orders</a>").contains("v2")
                .contains("<span class=\"chip\">env=prod</span>")
                .contains("<a href=\"/api/uploads/" + cpu + "/files/0\" download>cpu.pprof</a>")
                .contains(meta.get("analysis").get("godiag_version").asText())
                .contains("data-status=\"done\"");
        for (String f : List.of("json", "markdown", "html", "text")) {
            assertThat(page).contains("href=\"/api/uploads/" + cpu + "/report?format=" + f + "\"");
        }
        // the stored diagnose page, framed with its own scripts and no origin; so it answers too
        assertThat(page).contains("<iframe id=\"report-frame\" class=\"report-frame\" title=\"diagnosis\""
                + " sandbox=\"allow-scripts allow-popups allow-popups-to-escape-sandbox\" referrerpolicy=\"no-referrer\" src=\"/api/uploads/" + cpu
                + "/report?format=html\"></iframe>");
        TestServer.Answer report = server.get("/api/uploads/" + cpu + "/report?format=html");
        assertThat(report.header("Content-Security-Policy")).startsWith("sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox;")
                .contains("frame-ancestors 'self'");
        // compare with the other upload of the same service, and analyse again
        assertThat(page).contains("<input type=\"hidden\" name=\"pick\" value=\"" + cpu + "\">")
                .contains("<option value=\"" + goroutines + "\">").doesNotContain("<option value=\"" + hostileNew + "\">")
                .contains("action=\"/api/uploads/" + cpu + "/reanalyse\"");
        // the finding counts are those of the analysis
        long info = 0;
        for (JsonNode f : meta.get("findings")) {
            info += f.get("severity").asText().equals("info") ? 1 : 0;
        }
        assertThat(info).as("cpuwork's hints").isPositive();
        assertThat(page).contains("<span class=\"count sev-info\">" + info + " info</span>");
    }

    @Test
    void aFailedUploadShowsItsErrorFirstAndNoReport() throws Exception {
        TestServer.Answer refused = server.post("/api/uploads?name=notes.txt&service=orders",
                "just some words".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(refused.status()).isEqualTo(422);
        String id = JSON.readTree(refused.body()).get("id").asText();
        String page = server.get("/uploads/" + id).body();
        assertThat(page).contains("id=\"upload-failed\"").contains("notes.txt: not an input godiag reads")
                .doesNotContain("<iframe").doesNotContain("report?format=");
        assertThat(page.indexOf("id=\"upload-failed\"")).isLessThan(page.indexOf("<dl class=\"meta\">"));
    }

    @Test
    void aPendingUploadShowsWhereItStandsForTheScriptToFollow() {
        // stored but never queued: it stays pending while the page is read
        server.platform.uploads().save(new UploadRepository.NewUpload("pendingpage000001", Instant.now(), "orders",
                null, Map.of(), "upload", List.of(new UploadRepository.NewFile("cpu.pprof", "cpu", new byte[] {1})),
                UploadRepository.Status.PENDING, null));
        String page = server.get("/uploads/pendingpage000001").body();
        assertThat(page).contains("data-status=\"pending\"").contains("id=\"progress\"")
                .contains("waiting for the analysis").doesNotContain("<iframe").doesNotContain("id=\"reanalyse\"");
    }

    /** The finding counts of each row, as the API lists the upload's findings. */
    static void assertCountsAsTheApi(TestServer s, String id) throws Exception {
        String history = s.get("/uploads").body();
        int row = history.indexOf("<tr data-id=\"" + id + "\"");
        assertThat(row).isNotNegative();
        String cell = history.substring(history.indexOf("<td class=\"findings\">", row), history.indexOf("</tr>", row));
        Map<String, Integer> expected = new java.util.TreeMap<>();
        for (JsonNode f : JSON.readTree(s.get("/api/uploads/" + id).body()).get("findings")) {
            expected.merge(f.get("severity").asText(), 1, Integer::sum);
        }
        assertThat(expected).isNotEmpty();
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            assertThat(cell).contains("<span class=\"count sev-" + e.getKey() + "\">" + e.getValue() + " " + e.getKey()
                    + "</span>");
        }
    }

    @Test
    void theHistoryCountsFindingsBySeverity() throws Exception {
        assertCountsAsTheApi(server, cpu);
        assertCountsAsTheApi(server, goroutines);
    }

    @Test
    void thePagesWorkOnPostgresql() throws Exception {
        try (dev.godiag.testutil.PostgresServer pg = dev.godiag.testutil.PostgresServer.start("godiag_upload_pages");
             TestServer s = TestServer.start(TestServer.Settings.sqlite().withDatabase(pg.url()))) {
            TestServer.Answer a = s.postMultipart("/api/uploads?wait=120", List.of(MultipartPart.file("g.txt",
                    Files.readAllBytes(Corpus.file("go1.27/leakysvc/goroutine.t3.debug2.txt"))),
                    MultipartPart.field("service", "pg-svc")));
            String id = JSON.readTree(a.body()).get("id").asText();
            assertCountsAsTheApi(s, id);
            assertPage(s.get("/uploads/" + id), 200);
            assertThat(rowIds(s.get("/uploads?service=pg-svc&rule=goroutines.leak").body())).containsExactly(id);
        }
    }

    @Test
    void aReadOnlyServerOffersNeitherUploadsNorANewAnalysis() {
        try (TestServer ro = TestServer.start(TestServer.Settings.sqlite().withReadOnly())) {
            ro.platform.uploads().save(new UploadRepository.NewUpload("readonlyfailed01", Instant.now(), "orders", null,
                    Map.of(), "upload", List.of(new UploadRepository.NewFile("x.txt", "unrecognised", new byte[] {1})),
                    UploadRepository.Status.FAILED, "x.txt: empty"));
            String upload = ro.get("/").body();
            assertThat(upload).contains("this server is read-only: it takes no uploads")
                    .doesNotContain("<form id=\"upload-form\"").contains("href=\"/uploads/readonlyfailed01\"");
            String page = ro.get("/uploads/readonlyfailed01").body();
            assertThat(page).contains("x.txt: empty").doesNotContain("reanalyse");
        }
    }

    @Test
    void wrongRequestsAnswerAPageWithTheErrorLine() {
        TestServer.Answer missing = server.get("/uploads/nosuchupload");
        assertPage(missing, 404);
        assertThat(missing.body()).contains("<p class=\"error-line\" role=\"alert\">no upload nosuchupload</p>");
        TestServer.Answer since = server.get("/uploads?since=yesterday");
        assertPage(since, 400);
        assertThat(since.body()).contains("since must be a time as 2026-12-01T10:00:00Z");
        TestServer.Answer status = server.get("/uploads?status=lost");
        assertPage(status, 400);
        assertThat(status.body()).contains("status must be pending, done or failed, not lost");
    }

    @Test
    void theHistoryFiltersAndPagesNewestFirst() {
        String all = server.get("/uploads?service=orders&status=done").body();
        assertThat(rowIds(all)).containsSubsequence(goroutines, cpu);
        assertThat(server.get("/uploads?service=orders&kind=goroutines").body()).satisfies(
                p -> assertThat(rowIds(p)).containsExactly(goroutines));
        assertThat(rowIds(server.get("/uploads?label=env%3Dprod").body())).containsExactly(cpu);
        assertThat(rowIds(server.get("/uploads?rule=goroutines.leak&service=orders").body()))
                .as("the goroutine dump's leaks").contains(goroutines).doesNotContain(cpu);

        // a page of one: "older" keeps the filters and pages on
        String first = server.get("/uploads?service=orders&status=done&limit=1").body();
        assertThat(rowIds(first)).containsExactly(goroutines);
        Matcher older = Pattern.compile("<a id=\"older\" href=\"([^\"]+)\"").matcher(first);
        assertThat(older.find()).isTrue();
        String next = older.group(1).replace("&amp;", "&");
        assertThat(next).contains("service=orders").contains("status=done").contains("limit=1")
                .contains("before=" + goroutines);
        assertThat(rowIds(server.get(next).body())).containsExactly(cpu);
        // ticking rows for a compare: only analysed ones can be ticked
        assertThat(all).contains("<input type=\"checkbox\" name=\"pick\" class=\"pick\" value=\"" + cpu + "\"");
    }

    @Test
    void comparePicksTheOlderAsBaseAndShowsAnErrorAsALine() throws Exception {
        // two ticked rows, either order: the older is the base
        String picked = server.get("/compare?pick=" + hostileNew + "&pick=" + hostileBase).body();
        assertThat(selected(picked, "base")).isEqualTo(hostileBase);
        assertThat(selected(picked, "new")).isEqualTo(hostileNew);
        assertThat(picked).contains("src=\"/api/compare?base=" + hostileBase + "&amp;new=" + hostileNew
                + "&amp;kind=cpu&amp;format=html\"");
        // the gainers are those of the API's JSON
        JsonNode diff = JSON.readTree(server.get("/api/compare?base=" + hostileBase + "&new=" + hostileNew).body());
        JsonNode top = diff.get("rows").get(0);
        assertThat(picked).contains(Page.esc(top.get("name").asText()));
        TestServer.Answer diffPage = server.get("/api/compare?base=" + hostileBase + "&new=" + hostileNew + "&format=html");
        assertThat(diffPage.header("Content-Security-Policy")).startsWith("sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox;");

        TestServer.Answer none = server.get("/compare?base=" + cpu + "&new=" + goroutines + "&kind=heap");
        assertPage(none, 422);
        assertThat(none.body()).contains("<p class=\"error-line\" role=\"alert\">upload " + cpu
                + " holds no heap profile</p>").doesNotContain("<iframe");
        TestServer.Answer one = server.get("/compare?pick=" + cpu);
        assertPage(one, 400);
        assertThat(one.body()).contains("tick exactly two uploads to compare (1 ticked)");
        TestServer.Answer empty = server.get("/compare");
        assertPage(empty, 200);
        assertThat(empty.body()).contains("Pick two analysed uploads");
    }
}
