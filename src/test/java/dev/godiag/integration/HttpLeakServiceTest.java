package dev.godiag.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.GoFixtures;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The net/http client leak rules on a real service: builds testdata/gen/httpleak with Go 1.19 and
 * Go 1.27 and runs it once per mistake (-leak body, transport, none: 30 requests in each of 3
 * rounds after one warm-up call, snapshots t0..t3). The expected numbers are the program's own:
 * one leaked connection per upstream call (1, 31, 61, 91 at t0..t3), its loopback server side in
 * the same process, so the kernel's count of open descriptors (metrics.tN.txt, from /proc/self/fd)
 * grows by two per call; the call is made in main.(*service).fetchQuote. Two more runs give the
 * other standard-library shapes: -leak sqlopen (a sql.DB per request, never closed) and -leak
 * idleconns (clients that keep a new connection per request open, a server with no IdleTimeout);
 * -leak stream is the look-alike that is no client leak (event streams being read); -leak
 * h2transport is the Transport per request over HTTP/2 (TLS on loopback).
 */
class HttpLeakServiceTest {
    private static final int REQUESTS = 30;
    private static final int ROUNDS = 3;
    private static final String BODY = "goroutines.http-body-not-closed";
    private static final String TRANSPORT = "goroutines.http-transport-per-request";
    private static final String SERVER = "goroutines.http-server-idle-conns";
    private static final String SQL = "goroutines.sql-db-per-request";
    private static final String CALLER = "main.(*service).fetchQuote";

    @TempDir
    static Path runs;
    /** output directory per Go version and mistake: built and run once, shared by the tests. */
    private static final Map<String, Path> OUTPUTS = new HashMap<>();

    private static synchronized Path output(String goVersion, String leak) throws IOException, InterruptedException {
        String key = goVersion + "-" + leak;
        Path out = OUTPUTS.get(key);
        if (out == null) {
            Path go = Tools.go(goVersion);
            Path binary = GoFixtures.build(go, "httpleak");
            out = runs.resolve(GoFixtures.version(go) + "-" + leak);
            run(binary, leak, out);
            OUTPUTS.put(key, out);
        }
        return out;
    }

    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void unclosedBodiesAreOneFindingWithTheirCountSocketsAndCaller(String goVersion) throws Exception {
        Path out = output(goVersion, "body");
        JsonNode doc = diagnose(out.toString());
        List<JsonNode> body = findings(doc, BODY);
        assertThat(body).as("one body-not-closed finding").hasSize(1);
        assertThat(findings(doc, TRANSPORT)).as("not read as a Transport per request").isEmpty();
        assertThat(findings(doc, SERVER)).as("the server side is the same connections' other end").isEmpty();
        JsonNode f = body.get(0);
        JsonNode ev = f.path("evidence");
        assertThat(longs(ev.path("connectionsPerSnapshot"))).containsExactly(1L, 31L, 61L, 91L);
        assertThat(ev.path("judgedBy").asText()).isEqualTo("growing");
        assertThat(f.path("severity").asText()).isIn("warning", "critical");
        assertCountsAndCaller(out, f);
        // the cause leads the report; the descriptors its sockets add are its evidence, not a rival finding
        assertThat(doc.path("findings").get(0).path("rule").asText()).isEqualTo(BODY);
        List<String> related = new ArrayList<>();
        f.path("related").forEach(r -> related.add(r.path("rule").asText()));
        assertThat(related).contains("io.fd-growth");
        assertThat(f.path("score").asInt()).isGreaterThanOrEqualTo(75); // rated as the critical fd growth it causes
        // the heap's few MiB of connection buffers: growing, not called a leak where no finding calls it one
        doc.path("health").forEach(h -> {
            if (h.path("area").asText().equals("heap") && !h.path("status").asText().matches("warning|critical")) {
                assertThat(h.path("text").asText()).doesNotStartWith("leaking");
            }
        });
        assertThat(f.path("cards").get(0).path("verify").toString()).contains("-peek 'net/http")
                .contains("example.com/godiag/httpleak/main.go");
        assertNoGenericLeakOnConnections(doc);
    }

    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void aTransportPerRequestIsOneFindingWithTheirCountSocketsAndCaller(String goVersion) throws Exception {
        Path out = output(goVersion, "transport");
        JsonNode doc = diagnose(out.toString());
        List<JsonNode> transport = findings(doc, TRANSPORT);
        assertThat(transport).as("one transport-per-request finding").hasSize(1);
        assertThat(findings(doc, BODY)).as("bodies are closed in this run").isEmpty();
        assertThat(findings(doc, SERVER)).as("the server side is the same connections' other end").isEmpty();
        JsonNode f = transport.get(0);
        JsonNode ev = f.path("evidence");
        // the leaked idle connections, plus the load client's own pooled one (steady)
        assertThat(longs(ev.path("connectionsPerSnapshot"))).containsExactly(2L, 32L, 62L, 92L);
        assertCountsAndCaller(out, f);
        assertNoGenericLeakOnConnections(doc);
    }

    /**
     * The same mistake over HTTP/2 (TLS on loopback): one connection per call whose only goroutine is
     * its read loop (Go 1.19's bundled net/http.(*http2ClientConn).readLoop, later versions'
     * net/http/internal/http2), the server's side of it in the same process.
     */
    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void aTransportPerRequestOverHttp2IsTheSameFinding(String goVersion) throws Exception {
        Path out = output(goVersion, "h2transport");
        JsonNode doc = diagnose(out.toString());
        List<JsonNode> transport = findings(doc, TRANSPORT);
        assertThat(transport).hasSize(1);
        for (String other : List.of(BODY, SERVER, SQL)) {
            assertThat(findings(doc, other)).as(other).isEmpty();
        }
        JsonNode f = transport.get(0);
        JsonNode ev = f.path("evidence");
        // the leaked HTTP/2 connections (the warm-up's among them) and the load client's own HTTP/1 one
        assertThat(longs(ev.path("connectionsPerSnapshot"))).containsExactly(2L, 32L, 62L, 92L);
        long h2ReadLoops = count(Files.readString(out.resolve("goroutine.t3.debug2.txt")),
                Pattern.compile("\\.\\(\\*(http2)?ClientConn\\)\\.readLoop\\("));
        assertThat(h2ReadLoops).as("HTTP/2 read loops in the last dump").isEqualTo(REQUESTS * ROUNDS + 1);
        assertThat(ev.path("http2Connections").asLong()).isEqualTo(h2ReadLoops);
        // one goroutine per HTTP/2 connection, two for the HTTP/1 one
        assertThat(ev.path("goroutines").asLong()).isEqualTo(h2ReadLoops + 2);
        long calls = (long) REQUESTS * ROUNDS;
        assertThat(ev.path("connectionsGrowth").asLong()).isEqualTo(calls);
        assertThat(ev.path("serverSideConnections").asLong()).as("the loopback server side").isEqualTo(calls);
        long fdGrowth = openFds(out.resolve("metrics.t3.txt")) - openFds(out.resolve("metrics.t0.txt"));
        assertThat(fdGrowth).as("/proc/self/fd growth").isEqualTo(2 * calls);
        assertThat(ev.path("socketsGrowth").asLong()).isEqualTo(fdGrowth);
        assertThat(ev.path("caller").asText()).isEqualTo(CALLER);
        assertThat(ev.path("callerVia").asText()).isEqualTo("net/http.(*Client).Get");
        assertThat(f.path("summary").asText()).contains("are HTTP/2: a read loop only");
        assertThat(doc.path("findings").get(0).path("rule").asText()).isEqualTo(TRANSPORT);
        for (JsonNode g : doc.path("findings")) {
            if (g.path("rule").asText().equals("goroutines.leak")) {
                assertThat(g.path("title").asText() + g.path("evidence")).doesNotContainIgnoringCase("http2");
            }
        }
    }

    private static long count(String text, Pattern what) {
        return what.matcher(text).results().count();
    }

    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void theRightClientIsQuiet(String goVersion) throws Exception {
        JsonNode doc = diagnose(output(goVersion, "none").toString());
        List<String> bad = new ArrayList<>();
        for (JsonNode f : doc.path("findings")) {
            String rule = f.path("rule").asText();
            if (!f.path("severity").asText().equals("info") || rule.startsWith("goroutines.http") || rule.equals(SQL)) {
                bad.add(f.path("rule").asText() + ": " + f.path("title").asText());
            }
        }
        assertThat(bad).as("findings on a shared client that closes its bodies").isEmpty();
    }

    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void aDbPerRequestIsOneFindingWithItsCaller(String goVersion) throws Exception {
        JsonNode doc = diagnose(output(goVersion, "sqlopen").toString());
        List<JsonNode> sql = findings(doc, SQL);
        assertThat(sql).hasSize(1);
        JsonNode ev = sql.get(0).path("evidence");
        assertThat(longs(ev.path("dbsPerSnapshot"))).containsExactly(1L, 31L, 61L, 91L);
        assertThat(ev.path("caller").asText()).isEqualTo(CALLER);
        assertThat(ev.path("callerVia").asText()).isEqualTo("database/sql.Open");
        // each DB keeps the connection its Ping opened: a loopback socket to the toy database in this
        // process, two descriptors per request; the descriptor growth is this cause's, rated as it
        Path out = output(goVersion, "sqlopen");
        long fdGrowth = openFds(out.resolve("metrics.t3.txt")) - openFds(out.resolve("metrics.t0.txt"));
        assertThat(fdGrowth).as("/proc/self/fd growth").isEqualTo(2L * REQUESTS * ROUNDS);
        assertThat(ev.path("openFdsGrowth").asLong()).isEqualTo(fdGrowth);
        assertThat(doc.path("findings").get(0).path("rule").asText()).isEqualTo(SQL);
        List<String> related = new ArrayList<>();
        sql.get(0).path("related").forEach(r -> related.add(r.path("rule").asText()));
        assertThat(related).contains("io.fd-growth");
        assertThat(findings(doc, "io.fd-growth")).as("not a rival finding").isEmpty();
        assertThat(sql.get(0).path("severity").asText()).isEqualTo("critical"); // as the descriptor leak it causes
        // what database/sql keeps alive, as pprof -focus on its functions sums it per heap profile
        List<Long> held = longs(ev.path("sqlHeapBytesPerSnapshot"));
        assertThat(held).hasSize(ROUNDS + 1);
        for (int t = 0; t <= ROUNDS; t++) {
            assertThat(held.get(t)).as("t%d", t).isEqualTo(focusedBytes(out.resolve("heap.t" + t + ".pprof"),
                    "^database/sql\\."));
        }
        assertThat(held.get(ROUNDS)).isGreaterThan(held.get(0));
        assertThat(sql.get(0).path("cards").get(0).path("verify").toString())
                .contains("grep -n 'sql.Open' example.com/godiag/httpleak/main.go");
        for (String other : List.of(BODY, TRANSPORT, SERVER)) {
            assertThat(findings(doc, other)).as(other).isEmpty();
        }
        assertNoGenericLeakOnConnections(doc);
    }

    /** Without wait times, growing idle server connections could be more clients: an info that says what to take. */
    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void idleServerConnectionsPilingUpAreAnInfo(String goVersion) throws Exception {
        Path out = output(goVersion, "idleconns");
        JsonNode doc = diagnose(out.toString());
        List<JsonNode> server = findings(doc, SERVER);
        assertThat(server).hasSize(1);
        JsonNode f = server.get(0);
        JsonNode ev = f.path("evidence");
        long calls = (long) REQUESTS * ROUNDS;
        assertThat(ev.path("connectionsGrowth").asLong()).isEqualTo(calls);
        // the clients' ends are in this process too: the kernel counts two descriptors per connection
        assertThat(openFds(out.resolve("metrics.t3.txt")) - openFds(out.resolve("metrics.t0.txt"))).isEqualTo(2 * calls);
        assertThat(f.path("severity").asText()).isEqualTo("info");
        assertThat(f.path("summary").asText()).contains("debug=2");
        assertThat(f.path("location").path("function").asText()).isEqualTo("net/http.(*conn).serve");
        for (String other : List.of(BODY, TRANSPORT, SQL)) {
            assertThat(findings(doc, other)).as(other).isEmpty();
        }
        assertNoGenericLeakOnConnections(doc);
    }

    /**
     * Streams being read look like unclosed bodies (a readLoop waiting for its body per stream, one
     * more per request) except that their callers are reading them: no client finding.
     */
    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void bodiesBeingReadAreNoLeakOfTheClient(String goVersion) throws Exception {
        Path out = output(goVersion, "stream");
        String dump = Files.readString(out.resolve("goroutine.t3.debug2.txt"));
        // the shape is there: a readLoop per stream, waiting while its body is read
        assertThat(count(dump, "net/http.(*persistConn).readLoop(")).isGreaterThanOrEqualTo(REQUESTS * ROUNDS);
        assertThat(count(dump, "net/http.(*bodyEOFSignal).Read(")).isGreaterThanOrEqualTo(REQUESTS * ROUNDS - 5);
        JsonNode doc = diagnose(out.toString());
        for (String rule : List.of(BODY, TRANSPORT, SERVER, SQL)) {
            assertThat(findings(doc, rule)).as(rule).isEmpty();
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** Goroutine profiles record no states: the runtime frames they park in give the same verdicts. */
    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void goroutineProfilesGiveTheSameVerdicts(String goVersion) throws Exception {
        for (String[] c : List.of(new String[]{"body", BODY}, new String[]{"transport", TRANSPORT},
                new String[]{"h2transport", TRANSPORT}, new String[]{"sqlopen", SQL})) {
            Path out = output(goVersion, c[0]);
            List<String> args = new ArrayList<>(List.of("diagnose", "--format", "json"));
            for (int t = 0; t <= ROUNDS; t++) {
                args.add(out.resolve("goroutine.t" + t + ".pprof").toString());
            }
            Peers.Result r = Godiag.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            JsonNode doc = new ObjectMapper().readTree(r.stdout());
            List<JsonNode> found = findings(doc, c[1]);
            assertThat(found).as(c[0]).hasSize(1);
            JsonNode ev = found.get(0).path("evidence");
            long growth = ev.has("dbsGrowth") ? ev.path("dbsGrowth").asLong() : ev.path("connectionsGrowth").asLong();
            assertThat(growth).as(c[0]).isEqualTo((long) REQUESTS * ROUNDS);
            for (String other : List.of(BODY, TRANSPORT, SERVER, SQL)) {
                if (!other.equals(c[1])) {
                    assertThat(findings(doc, other)).as(c[0] + ": " + other).isEmpty();
                }
            }
        }
    }

    /** One snapshot cannot tell a leak from bodies being read right now: info at most, and no Transport verdict. */
    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void oneSnapshotIsAnInfoAtMost(String goVersion) throws Exception {
        for (String form : List.of("goroutine.t3.debug2.txt", "goroutine.t3.pprof")) {
            JsonNode doc = diagnose(output(goVersion, "body").resolve(form).toString());
            List<JsonNode> body = findings(doc, BODY);
            assertThat(body).as(form).hasSize(1);
            assertThat(body.get(0).path("severity").asText()).as(form).isEqualTo("info");
            assertThat(body.get(0).path("evidence").path("connections").asLong()).as(form).isEqualTo(91);
            assertThat(body.get(0).path("evidence").path("judgedBy").asText()).isEqualTo("count-only");

            JsonNode one = diagnose(output(goVersion, "transport").resolve(form).toString());
            assertThat(findings(one, TRANSPORT)).as("idle connections in one snapshot (%s)", form).isEmpty();
            assertThat(findings(one, BODY)).as(form).isEmpty();
            assertThat(findings(diagnose(output(goVersion, "idleconns").resolve(form).toString()), SERVER))
                    .as("idle server connections in one snapshot without wait times (%s)", form).isEmpty();
        }
    }

    /**
     * Wait times are the evidence one snapshot lacks: the same dumps with the runtime's "N minutes"
     * (what a debug=2 dump shows after that long) on every parked goroutine.
     */
    @ParameterizedTest(name = "Go {0}")
    @ValueSource(strings = {"1.27", "1.19"})
    void minutesOfWaitingConfirmOneSnapshot(String goVersion, @TempDir Path tmp) throws Exception {
        Path bodies = withMinutes(output(goVersion, "body").resolve("goroutine.t3.debug2.txt"), "select", 7,
                tmp.resolve("body.debug2.txt"));
        List<JsonNode> body = findings(diagnose(bodies.toString()), BODY);
        assertThat(body).hasSize(1);
        assertThat(body.get(0).path("evidence").path("judgedBy").asText()).isEqualTo("long-wait");
        assertThat(body.get(0).path("evidence").path("maxWaitMinutes").asInt()).isEqualTo(7);
        assertThat(body.get(0).path("severity").asText()).isEqualTo("warning");

        Path idle = withMinutes(output(goVersion, "idleconns").resolve("goroutine.t3.debug2.txt"), "IO wait", 12,
                tmp.resolve("idle.debug2.txt"));
        List<JsonNode> server = findings(diagnose(idle.toString()), SERVER);
        assertThat(server).hasSize(1);
        assertThat(server.get(0).path("title").asText()).contains("idle for 12+ minutes").contains("92 waiting");
        assertThat(server.get(0).path("evidence").path("judgedBy").asText()).isEqualTo("long-wait");
        assertThat(server.get(0).path("summary").asText()).contains("no IdleTimeout or ReadTimeout shorter than that");
    }

    private static Path withMinutes(Path dump, String state, int minutes, Path to) throws IOException {
        String text = Files.readString(dump).replaceAll("(?m)^(goroutine \\d+) \\[" + Pattern.quote(state) + "\\]:",
                "$1 [" + state + ", " + minutes + " minutes]:");
        assertThat(text).contains(", " + minutes + " minutes]:");
        Files.writeString(to, text);
        return to;
    }

    /** Growth, sockets against the kernel's descriptor count, and the caller. */
    private static void assertCountsAndCaller(Path out, JsonNode f) throws IOException {
        JsonNode ev = f.path("evidence");
        long calls = (long) REQUESTS * ROUNDS;
        assertThat(ev.path("connectionsGrowth").asLong()).isEqualTo(calls);
        assertThat(ev.path("serverSideConnections").asLong()).as("the loopback server side").isEqualTo(calls);
        long fdGrowth = openFds(out.resolve("metrics.t3.txt")) - openFds(out.resolve("metrics.t0.txt"));
        assertThat(fdGrowth).as("/proc/self/fd growth").isEqualTo(2 * calls);
        assertThat(ev.path("socketsGrowth").asLong()).isEqualTo(fdGrowth);
        assertThat(ev.path("openFdsGrowth").asLong()).isEqualTo(fdGrowth);
        assertThat(ev.path("goroutines").asLong()).isEqualTo(2 * ev.path("connections").asLong());
        // the connections' memory, as pprof -focus on their functions sums it in the last heap profile
        Peers.Result pprof = Peers.run(List.of(Peers.pprof127().toString(), "-top", "-sample_index=inuse_space",
                "-unit=B", "-nodefraction=0", "-focus",
                "^net/http\\.\\(\\*Transport\\)\\.dialConn$|^net/http\\.\\(\\*persistConn\\)\\.(readLoop|writeLoop)$",
                out.resolve("heap.t3.pprof").toString()), null);
        Matcher held = Pattern.compile("accounting for (\\d+)B").matcher(pprof.stdout());
        assertThat(held.find()).as("pprof -top: %s %s", pprof.stdout(), pprof.stderr()).isTrue();
        assertThat(ev.path("clientConnectionsHeapBytes").asLong()).isEqualTo(Long.parseLong(held.group(1)))
                .isPositive();
        assertThat(ev.path("caller").asText()).isEqualTo(CALLER);
        assertThat(f.path("location").path("function").asText()).isEqualTo(CALLER);
        assertThat(f.path("location").path("file").asText()).isEqualTo("example.com/godiag/httpleak/main.go");
        assertThat(ev.path("callerVia").asText()).isEqualTo("net/http.(*Client).Get");
        assertThat(ev.path("callerEvidence").get(0).asText()).startsWith("heap profile: ");
        // the load generator's calls through the same client API are seen, but not blamed
        assertThat(ev.path("otherCallers").toString()).contains("main.get");
        assertThat(f.path("title").asText()).contains(CALLER);
        assertThat(f.path("cards").get(0).path("id").asText()).isEqualTo(f.path("rule").asText());
    }

    /** The live bytes pprof -focus selects in a heap profile (0 when it selects nothing). */
    private static long focusedBytes(Path heap, String focus) throws IOException {
        Peers.Result pprof = Peers.run(List.of(Peers.pprof127().toString(), "-top", "-sample_index=inuse_space",
                "-unit=B", "-nodefraction=0", "-focus", focus, heap.toString()), null);
        Matcher held = Pattern.compile("accounting for (\\d+)B?, ").matcher(pprof.stdout());
        assertThat(held.find()).as("pprof -top: %s %s", pprof.stdout(), pprof.stderr()).isTrue();
        return Long.parseLong(held.group(1));
    }

    /** The connection goroutines are reported by the http rules only, not again as generic leaks. */
    private static void assertNoGenericLeakOnConnections(JsonNode doc) {
        for (JsonNode f : doc.path("findings")) {
            if (f.path("rule").asText().equals("goroutines.leak")) {
                assertThat(f.path("title").asText() + f.path("evidence")).doesNotContain("persistConn")
                        .doesNotContain("(*conn).serve");
            }
        }
    }

    private static JsonNode diagnose(String path) throws IOException {
        Peers.Result r = Godiag.run("diagnose", "--format", "json", path);
        assertThat(r.exitCode()).as("diagnose %s; stderr: %s", path, r.stderr()).isZero();
        return new ObjectMapper().readTree(r.stdout());
    }

    private static List<JsonNode> findings(JsonNode doc, String rule) {
        List<JsonNode> out = new ArrayList<>();
        doc.path("findings").forEach(f -> {
            if (f.path("rule").asText().equals(rule)) {
                out.add(f);
            }
        });
        return out;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static long openFds(Path metrics) throws IOException {
        Matcher m = Pattern.compile("(?m)^process_open_fds (\\d+)$").matcher(Files.readString(metrics));
        assertThat(m.find()).as("process_open_fds in %s", metrics).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static void run(Path binary, String leak, Path out) throws IOException, InterruptedException {
        Files.createDirectories(out);
        Process p = new ProcessBuilder(binary.toString(), "-out", out.toString(), "-leak", leak,
                "-requests", String.valueOf(REQUESTS), "-rounds", String.valueOf(ROUNDS))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("httpleak did not finish in 60 s");
        }
        assertThat(p.exitValue()).as("httpleak -leak %s exit", leak).isZero();
        int calls = REQUESTS * ROUNDS + 1;
        assertThat(stdout.strip()).isEqualTo("httpleak: done " + calls + " requests, "
                + (leak.equals("none") || leak.equals("stream") ? 0 : calls) + " leaked");
    }
}
