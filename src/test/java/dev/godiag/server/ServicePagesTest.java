package dev.godiag.server;

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
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The service pages against a running server: the list, a service's history and trend charts, the source link form. */
class ServicePagesTest {
    static final String HOSTILE = "<script>alert(1)</script>";
    static final String HOSTILE_FUNCTION = "main.<img src=x onerror=alert(2)>";
    static TestServer server;
    static List<String> heapUploads = new ArrayList<>();
    static String hostileUpload;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        // two heap profiles of one service, oldest first
        for (String t : List.of("t1", "t3")) {
            byte[] heap = Files.readAllBytes(Corpus.file("go1.19/leakysvc/heap." + t + ".pprof"));
            heapUploads.add(upload(List.of(MultipartPart.file("heap.pprof", heap), MultipartPart.field("service", "heapsvc"),
                    MultipartPart.field("version", "v1." + t))));
        }
        hostileUpload = upload(List.of(MultipartPart.file("cpu.pprof", hostileCpuProfile()),
                MultipartPart.field("service", HOSTILE), MultipartPart.field("version", "\"><svg onload=alert(3)>"),
                MultipartPart.field("labels", "team=<b>x</b>")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String upload(List<MultipartPart> parts) {
        TestServer.Answer a = server.postMultipart("/api/uploads?wait=120", parts);
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.body()).contains("\"status\":\"done\"");
        Matcher m = Pattern.compile("\"id\":\"([a-z0-9]+)\"").matcher(a.body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** A CPU profile whose hottest function has markup in its name. */
    static byte[] hostileCpuProfile() throws Exception {
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("samples", "count").sampleType("cpu", "nanoseconds")
                .period(new ValueType("cpu", "nanoseconds"), 10_000_000).duration(10_000_000_000L);
        int main = b.addFunction(1, "main.main", "main.main", "main.go", 1);
        int evil = b.addFunction(2, HOSTILE_FUNCTION, "", "evil.go", 1);
        b.addLine(evil, 3, 0);
        int leaf = b.endLocation(2, -1, 0x20, false);
        b.addLine(main, 7, 0);
        int root = b.endLocation(1, -1, 0x10, false);
        b.addSampleLocation(leaf);
        b.addSampleLocation(root);
        b.endSample(300, 3_000_000_000L);
        b.addSampleLocation(root);
        b.endSample(100, 1_000_000_000L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtoProfileWriter.write(b.build(), out);
        return out.toByteArray();
    }

    static String path(String service) {
        return "/services/" + URLEncoder.encode(service, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The SVG element of that id. */
    static String svg(String page, String id) {
        int start = page.indexOf("<svg class=\"chart");
        while (start >= 0 && !page.startsWith("<svg class=\"chart\" id=\"" + id + "\"", start)
                && !page.startsWith("<svg class=\"chart gates\" id=\"" + id + "\"", start)) {
            start = page.indexOf("<svg class=\"chart", start + 1);
        }
        assertThat(start).as("chart " + id).isGreaterThanOrEqualTo(0);
        return page.substring(start, page.indexOf("</svg>", start) + 6);
    }

    record Point(double cx, double cy, String value, String upload, String title) {
    }

    static List<Point> points(String svg) {
        Matcher m = Pattern.compile("<circle class=\"point\" cx=\"([\\d.]+)\" cy=\"([\\d.]+)\" r=\"4\" data-value=\"([^\"]+)\""
                + " data-upload=\"([^\"]+)\"><title>([^<]*)</title>").matcher(svg);
        List<Point> out = new ArrayList<>();
        while (m.find()) {
            out.add(new Point(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), m.group(3), m.group(4),
                    m.group(5)));
        }
        return out;
    }

    /** The y axis' ticks: label to the y of its grid line. */
    static Map<String, Double> ticks(String svg) {
        Matcher m = Pattern.compile("<line class=\"grid\" x1=\"\\d+\" x2=\"\\d+\" y1=\"([\\d.]+)\" y2=\"[\\d.]+\"/>"
                + "<text class=\"tick y\"[^>]*>([^<]+)</text>").matcher(svg);
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        while (m.find()) {
            out.put(m.group(2), Double.parseDouble(m.group(1)));
        }
        return out;
    }

    @Test
    void theServicesPageListsEveryServiceWithItsLatestStateEscaped() {
        server.platform.uploads().saveGate("heapsvc", "v1.t3", false, "heap +40% over the baseline", Map.of(), "{}");
        TestServer.Answer a = server.get("/services");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Security-Policy")).isEqualTo(Page.CSP);
        assertThat(a.header("Content-Type")).startsWith("text/html");
        String body = a.body();
        for (UploadRepository.Service s : server.platform.uploads().services()) {
            assertThat(body).contains("href=\"" + Page.esc(path(s.name())) + "\">" + Page.esc(s.name()) + "</a>");
        }
        Matcher row = Pattern.compile("<tr><td><a href=\"/services/heapsvc\">heapsvc</a></td><td>(\\d+)</td>.*?</tr>")
                .matcher(body);
        assertThat(row.find()).isTrue();
        assertThat(row.group(1)).isEqualTo("2");
        // the newest analysed upload's findings link to it; the latest gate is the failed one
        assertThat(row.group()).contains("href=\"/uploads/" + heapUploads.get(1) + "\"").contains("fail")
                .contains("v1.t3");
        // the hostile name is text: the page's only script element is its own
        assertThat(body).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(HOSTILE);
        assertThat(body.split("<script", -1)).hasSize(2);
    }

    @Test
    void theHistoryListsTheServicesUploadsNewestFirstLinkingEach() {
        String body = server.get("/services/heapsvc").body();
        int newer = body.indexOf("<tr data-upload=\"" + heapUploads.get(1) + "\">");
        int older = body.indexOf("<tr data-upload=\"" + heapUploads.get(0) + "\">");
        assertThat(newer).isPositive();
        assertThat(older).isGreaterThan(newer);
        for (String id : heapUploads) {
            assertThat(body).contains("<a href=\"/uploads/" + id + "\">");
        }
        assertThat(body).contains("<code>v1.t1</code>").contains("<code>v1.t3</code>");
    }

    @Test
    void theHeapChartPlotsTheNumbersTheRepositoryHoldsOnItsLabelledScale() {
        List<UploadRepository.MetricPoint> stored = server.platform.uploads().serviceMetrics("heapsvc", null, 100)
                .stream().filter(p -> p.name().equals("heap_inuse_bytes")).toList();
        assertThat(stored).hasSize(2);
        String chart = svg(server.get("/services/heapsvc").body(), "trend-heap");
        List<Point> points = points(chart);
        assertThat(points).hasSize(2);
        Map<String, Double> ticks = ticks(chart);
        assertThat(ticks).containsKey("0 B");
        // the top tick's label is the scale's top: "N MiB" (or KiB) in bytes
        String topLabel = ticks.keySet().stream().reduce((x, y) -> y).orElseThrow();
        Matcher unit = Pattern.compile("(\\d+(?:\\.\\d)?) (KiB|MiB|GiB)").matcher(topLabel);
        assertThat(unit.matches()).as(topLabel).isTrue();
        double top = Double.parseDouble(unit.group(1)) * switch (unit.group(2)) {
            case "KiB" -> 1024.0;
            case "MiB" -> 1024.0 * 1024;
            default -> 1024.0 * 1024 * 1024;
        };
        double y0 = ticks.get("0 B");
        double yTop = ticks.get(topLabel);
        for (int i = 0; i < 2; i++) {
            UploadRepository.MetricPoint p = stored.get(i);
            Point drawn = points.get(i); // oldest left, as the repository lists them
            assertThat(drawn.upload()).isEqualTo(p.uploadId());
            assertThat(Double.parseDouble(drawn.value())).isEqualTo(p.value());
            assertThat(drawn.cy()).isCloseTo(y0 - (y0 - yTop) * p.value() / top, within(0.01));
            assertThat(p.value()).isLessThanOrEqualTo(top);
            // the hover title says the value in MiB with the upload's version
            assertThat(drawn.title()).contains(String.format(java.util.Locale.ROOT, "%.1f MiB",
                    p.value() / (1024.0 * 1024))).contains(p.version());
        }
        assertThat(points.get(1).cx()).isGreaterThan(points.get(0).cx());
        // no goroutine or CPU numbers in heap profiles: those charts say what to upload instead of drawing nothing
        String body = server.get("/services/heapsvc").body();
        assertThat(body).doesNotContain("id=\"trend-goroutines\"").contains("upload a goroutine dump");
    }

    @Test
    void theCpuChartHasOneLinePerTopFunctionWithItsShareAndEscapedNames() {
        String body = server.get(path(HOSTILE)).body();
        assertThat(body).doesNotContain(HOSTILE).doesNotContain("<img").doesNotContain("<svg onload")
                .doesNotContain("<b>x</b>").contains("team=&lt;b&gt;x&lt;/b&gt;");
        assertThat(body.split("<script", -1)).hasSize(2);
        String chart = svg(body, "trend-cpu");
        Map<String, Double> metrics = server.platform.uploads().metrics(hostileUpload);
        double share = metrics.get("cpu_share:" + HOSTILE_FUNCTION);
        assertThat(share).isEqualTo(0.75);
        assertThat(chart).contains("data-series=\"" + Page.esc(HOSTILE_FUNCTION) + "\"");
        Point p = points(chart).stream().filter(x -> x.title().startsWith(Page.esc(HOSTILE_FUNCTION))).findFirst()
                .orElseThrow();
        assertThat(p.value()).isEqualTo("0.75");
        assertThat(p.title()).contains("75%");
        // the legend names each line
        assertThat(body).contains("<ul class=\"legend\">").contains("<code>" + Page.esc(HOSTILE_FUNCTION) + "</code>");
        assertThat(ticks(chart).keySet()).allMatch(l -> l.endsWith("%"));
    }

    @Test
    void gateResultsArePassAndFailMarkersWithTheirSummaryAsTitle() {
        UploadRepository repo = server.platform.uploads();
        repo.saveGate("gatesvc", "v1", true, "all within thresholds", Map.of(), "{}");
        repo.saveGate("gatesvc", "v2", false, "cpu <b>+12%</b>", Map.of(), "{}");
        String chart = svg(server.get("/services/gatesvc").body(), "trend-gates");
        int pass = chart.indexOf("<circle class=\"gate pass\"");
        int fail = chart.indexOf("<path class=\"gate fail\"");
        assertThat(pass).isPositive();
        assertThat(fail).isGreaterThan(pass); // oldest left
        assertThat(chart).contains("<title>pass · ").contains(" · v1 · all within thresholds</title>")
                .contains(" · v2 · cpu &lt;b&gt;+12%&lt;/b&gt;</title>");
    }

    @Test
    void anUnknownServiceIsAPageSayingSo() {
        TestServer.Answer a = server.get("/services/nosuch");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.header("Content-Type")).startsWith("text/html");
        assertThat(a.body()).contains("There is no service named <code>nosuch</code>");
    }

    // ---- the source link form

    record Form(String cookie, String field) {
    }

    static Form form(String service) {
        TestServer.Answer a = server.get(path(service));
        String setCookie = a.header("Set-Cookie");
        assertThat(setCookie).startsWith(ServicePages.CSRF_COOKIE + "=").contains("SameSite=Strict").contains("HttpOnly");
        Matcher field = Pattern.compile("<input type=\"hidden\" name=\"csrf\" value=\"([0-9a-f]+)\">").matcher(a.body());
        assertThat(field.find()).isTrue();
        return new Form(setCookie.substring(0, setCookie.indexOf(';')), field.group(1));
    }

    static TestServer.Answer postSettings(String service, String cookie, String csrf, String template) {
        String body = (csrf == null ? "" : "csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8) + "&")
                + "source_url=" + URLEncoder.encode(template, StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base + path(service) + "/settings"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return server.send(b);
    }

    static String sourceUrl(String service) {
        return server.platform.uploads().service(service).orElseThrow().sourceUrl();
    }

    @Test
    void theSourceFormIsRefusedWithoutTheCsrfTokenOfItsCookie() {
        Form f = form("heapsvc");
        assertThat(f.cookie()).isEqualTo(ServicePages.CSRF_COOKIE + "=" + f.field());
        String template = "https://git.example.com/org/repo/blob/{version}/{file}#L{line}";
        // no cookie (a forged form from another site: SameSite=Strict keeps the cookie home)
        TestServer.Answer noCookie = postSettings("heapsvc", null, f.field(), template);
        assertThat(noCookie.status()).isEqualTo(403);
        assertThat(noCookie.body()).startsWith("{\"error\":").contains("CSRF");
        // no field, or a field that is not the cookie's token
        assertThat(postSettings("heapsvc", f.cookie(), null, template).status()).isEqualTo(403);
        assertThat(postSettings("heapsvc", f.cookie(), "0".repeat(f.field().length()), template).status())
                .isEqualTo(403);
        assertThat(postSettings("heapsvc", ServicePages.CSRF_COOKIE + "=forged", "forged", template).status())
                .isEqualTo(403);
        assertThat(sourceUrl("heapsvc")).isNull();
    }

    @Test
    void theSourceFormSetsAValidTemplateRefusesABadOneAndEmptyRemovesIt() {
        server.platform.uploads().setSourceUrl("gatesvc2", null); // a service before its first upload
        Form f = form("gatesvc2");
        String template = "https://git.example.com/org/repo/blob/{version}/{file}#L{line}";
        TestServer.Answer ok = postSettings("gatesvc2", f.cookie(), f.field(), template);
        assertThat(ok.status()).isEqualTo(303);
        assertThat(ok.header("Location")).isEqualTo("/services/gatesvc2#source");
        assertThat(sourceUrl("gatesvc2")).isEqualTo(template);
        assertThat(server.get("/services/gatesvc2").body()).contains("<code class=\"current-template\">"
                + Page.esc(template) + "</code>");

        for (String bad : List.of("ftp://git.example.com/{file}", "https://git.example.com/blob/main/x.go",
                "javascript:alert(1)//{file}", "https:///{file}", "https://git.example.com/{file} x")) {
            TestServer.Answer refused = postSettings("gatesvc2", f.cookie(), f.field(), bad);
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.header("Content-Type")).startsWith("text/html");
            assertThat(refused.body()).contains("<p class=\"form-error\" role=\"alert\">the link template")
                    .contains("value=\"" + Page.esc(bad) + "\"");
            assertThat(sourceUrl("gatesvc2")).isEqualTo(template);
        }
        assertThat(postSettings("gatesvc2", f.cookie(), f.field(), "  ").status()).isEqualTo(303);
        assertThat(sourceUrl("gatesvc2")).isNull();
    }

    @Test
    void aReadOnlyServerShowsTheTemplateWithoutAForm() {
        try (TestServer ro = TestServer.start(TestServer.Settings.sqlite().withReadOnly())) {
            ro.platform.uploads().setSourceUrl("svc", "https://git.example.com/{file}#L{line}");
            String body = ro.get("/services/svc").body();
            assertThat(body).contains("https://git.example.com/{file}#L{line}").contains("This server is read-only")
                    .doesNotContain("<form class=\"settings\"");
        }
    }
}
