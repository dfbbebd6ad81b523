package dev.godiag.server;

import com.sun.net.httpserver.HttpServer;
import dev.godiag.format.Input;
import dev.godiag.format.InputKind;
import dev.godiag.format.Inputs;
import dev.godiag.format.ProfileKind;
import dev.godiag.format.ReadLimits;
import dev.godiag.format.Source;
import dev.godiag.format.goroutine.GoroutineSources;
import dev.godiag.model.GoroutineDump;
import dev.godiag.model.StackFrame;
import dev.godiag.testutil.GuardService;
import dev.godiag.testutil.Tools;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LiveCapture against a real Go service serving net/http/pprof (testdata/gen/guardsvc), and
 * against small JDK servers on loopback that redirect, serve too much, or count the requests
 * that a refused capture must not make.
 */
class LiveCaptureTest {
    private static GuardService service;
    private static GuardService withoutMetrics;
    private static Stub stub;
    private static Stub offList;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        service = GuardService.start(Tools.anyGo(), "-mode", "healthy");
        withoutMetrics = GuardService.start(Tools.anyGo(), "-mode", "healthy", "-metrics=false");
        stub = new Stub();
        offList = new Stub();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (withoutMetrics != null) {
            withoutMetrics.close();
        }
        if (stub != null) {
            stub.close();
        }
        if (offList != null) {
            offList.close();
        }
    }

    @BeforeEach
    void clearStubs() {
        stub.reset();
        offList.reset();
    }

    @Test
    void aBaseUrlGivesEveryEndpointAsGoServedIt() throws Exception {
        LiveCapture capture = LiveCapture.allowing(List.of(service.address));
        List<LiveCapture.Fetched> files = capture.fetch("http://" + service.address + "/debug/pprof/", 1,
                ReadLimits.DEFAULT);
        Map<String, byte[]> byName = files.stream().collect(Collectors.toMap(LiveCapture.Fetched::name,
                LiveCapture.Fetched::data));

        boolean leakServed = status(service.address, "/debug/pprof/goroutineleak") == 200;
        assertThat(byName.keySet()).containsAll(List.of("goroutine-debug2.txt", "heap.pprof", "allocs.pprof",
                "block.pprof", "mutex.pprof", "profile.pprof", "vars.json", "metrics.txt"));
        assertThat(byName.containsKey("goroutineleak.pprof")).as("goroutineleak served: " + leakServed)
                .isEqualTo(leakServed);
        assertThat(files).hasSize(leakServed ? 9 : 8);

        GoroutineDump dump = GoroutineSources.fromBytes(byName.get("goroutine-debug2.txt"), "goroutine-debug2.txt",
                1 << 30);
        assertThat(dump.format()).contains("dump");
        assertThat(dump.goroutines()).anySatisfy(g -> assertThat(g.frames()).extracting(StackFrame::function)
                .contains("main.main"));
        Map<String, ProfileKind> kinds = Map.of("heap.pprof", ProfileKind.HEAP, "allocs.pprof", ProfileKind.ALLOCS,
                "block.pprof", ProfileKind.BLOCK, "mutex.pprof", ProfileKind.MUTEX, "profile.pprof", ProfileKind.CPU);
        kinds.forEach((name, kind) -> {
            Input in = Inputs.read(new Source.Bytes(name, byName.get(name)), ReadLimits.DEFAULT);
            assertThat(in).as(name).isInstanceOfSatisfying(Input.Profile.class,
                    p -> assertThat(p.profileKind()).isEqualTo(kind));
        });
        assertThat(Inputs.detect(byName.get("vars.json"))).isEqualTo(InputKind.EXPVAR);
        assertThat(Inputs.detect(byName.get("metrics.txt"))).isEqualTo(InputKind.PROMETHEUS);
        assertThat(new String(byName.get("metrics.txt"), StandardCharsets.UTF_8)).contains("guardsvc_units_total");
    }

    @Test
    void optionalEndpointsTheServiceDoesNotServeAreLeftOut() {
        LiveCapture capture = LiveCapture.allowing(List.of(withoutMetrics.address));
        List<String> names = capture.fetch("http://" + withoutMetrics.address + "/debug/pprof", 0,
                ReadLimits.DEFAULT).stream().map(LiveCapture.Fetched::name).toList();
        assertThat(names).contains("goroutine-debug2.txt", "heap.pprof", "vars.json")
                .doesNotContain("metrics.txt", "profile.pprof");
    }

    @Test
    void oneEndpointUrlGivesOneFile() {
        LiveCapture capture = LiveCapture.allowing(List.of("127.0.0.1"));
        List<LiveCapture.Fetched> heap = capture.fetch("http://" + service.address + "/debug/pprof/heap", 0,
                ReadLimits.DEFAULT);
        assertThat(heap).extracting(LiveCapture.Fetched::name).containsExactly("heap.pprof");
        assertThat(Inputs.read(new Source.Bytes("heap", heap.getFirst().data()), ReadLimits.DEFAULT))
                .isInstanceOfSatisfying(Input.Profile.class, p -> assertThat(p.profileKind())
                        .isEqualTo(ProfileKind.HEAP));

        List<LiveCapture.Fetched> goroutines = capture.fetch("http://" + service.address
                + "/debug/pprof/goroutine", 0, ReadLimits.DEFAULT);
        assertThat(goroutines).extracting(LiveCapture.Fetched::name).containsExactly("goroutine-debug2.txt");
        assertThat(Inputs.detect(goroutines.getFirst().data())).isEqualTo(InputKind.GOROUTINES);

        List<LiveCapture.Fetched> counts = capture.fetch("http://" + service.address
                + "/debug/pprof/goroutine?debug=1", 0, ReadLimits.DEFAULT);
        assertThat(counts).extracting(LiveCapture.Fetched::name).containsExactly("goroutine-debug1.txt");
        assertThat(new String(counts.getFirst().data(), StandardCharsets.UTF_8)).startsWith("goroutine profile:");
    }

    @Test
    void aHostNameEntryMatchesTheNameWhateverItsCaseAndTrailingDot() {
        int port = port(service);
        LiveCapture capture = LiveCapture.allowing(List.of("LocalHost:" + port));
        assertThat(capture.fetch("http://LOCALHOST.:" + port + "/debug/pprof/heap", 0, ReadLimits.DEFAULT))
                .extracting(LiveCapture.Fetched::name).containsExactly("heap.pprof");
        // the name is no licence for its address, nor for another port
        assertRefused(capture, "http://127.0.0.1:" + port + "/debug/pprof/heap", "127.0.0.1:" + port
                + " is not on the capture allowlist");
        assertRefused(capture, "http://localhost:" + stub.port() + "/debug/pprof/heap", "localhost:" + stub.port()
                + " is not on the capture allowlist");
    }

    @Test
    void aRangeAllowsTheNamesThatResolveIntoIt() {
        int port = port(service);
        LiveCapture capture = LiveCapture.allowing(List.of("127.0.0.0/8"));
        assertThat(capture.fetch("http://localhost:" + port + "/debug/pprof/heap", 0, ReadLimits.DEFAULT))
                .extracting(LiveCapture.Fetched::name).containsExactly("heap.pprof");
        assertRefused(LiveCapture.allowing(List.of("10.0.0.0/8")), "http://localhost:" + stub.port()
                + "/debug/pprof/heap", "resolves to an address outside the allowed ranges");
        assertRefused(LiveCapture.allowing(List.of("10.0.0.0/8")), "http://127.0.0.1:" + stub.port()
                + "/debug/pprof/heap", "127.0.0.1:" + stub.port() + " is not on the capture allowlist");
    }

    @Test
    void anEmptyListDisablesCapture() {
        LiveCapture capture = LiveCapture.allowing(List.of(" ", ""));
        assertThat(capture.enabled()).isFalse();
        assertRefused(capture, "http://127.0.0.1:" + stub.port() + "/debug/pprof/", "capture from a URL is disabled");
        assertThat(LiveCapture.allowing(List.of("a.example, 127.0.0.1:1")).enabled()).isTrue();
    }

    @Test
    void hostsOffTheListAndAttackerFormsAreRefusedBeforeAnythingIsFetched() {
        LiveCapture capture = LiveCapture.allowing(List.of("allowed.example.com", "127.0.0.1:" + port(service),
                "*.svc.example.com"));
        int p = stub.port();
        assertRefused(capture, "http://127.0.0.1:" + p + "/debug/pprof/", "127.0.0.1:" + p + " is not on the capture"
                + " allowlist");
        assertRefused(capture, "http://allowed.example.com@127.0.0.1:" + p + "/debug/pprof/", "user info");
        assertRefused(capture, "http://127.0.0.1:" + port(service) + "@127.0.0.1:" + p + "/debug/pprof/",
                "user info");
        assertRefused(capture, "http://2130706433:" + p + "/debug/pprof/", "is a number, not a host name");
        assertRefused(capture, "http://0x7f000001:" + p + "/debug/pprof/", "is a number, not a host name");
        assertRefused(capture, "http://127.1:" + p + "/debug/pprof/", "no host godiag accepts");
        assertRefused(capture, "http://0127.0.0.1:" + p + "/debug/pprof/", "is a number, not a host name");
        assertRefused(capture, "http://[::1]:" + p + "/debug/pprof/", "[::1]:" + p + " is not on the capture");
        assertRefused(capture, "http://[::ffff:127.0.0.1]:" + p + "/debug/pprof/", "[::ffff:127.0.0.1]:" + p
                + " is not on the capture");
        assertRefused(capture, "http://[fe80::1%25lo]:" + p + "/debug/pprof/", "is not an IPv6 address without a zone");
        assertRefused(capture, "http://allowed.example.com.evil.test:" + p + "/debug/pprof/", "not on the capture");
        assertRefused(capture, "http://svc.example.com/debug/pprof/", "not on the capture");
        assertRefused(capture, "http://evilsvc.example.com/debug/pprof/", "not on the capture");
        assertRefused(capture, "file:///etc/passwd", "only http and https");
        assertRefused(capture, "gopher://127.0.0.1:" + port(service) + "/debug/pprof/", "only http and https");
        // an allowed host, but not a pprof URL
        assertRefused(capture, "http://127.0.0.1:" + port(service) + "/admin/shed-load", "not a /debug/pprof/ URL");
        assertRefused(capture, "http://127.0.0.1:" + port(service) + "/x/../debug/pprof/", "not a /debug/pprof/ URL");
        assertRefused(capture, "http://127.0.0.1:" + port(service) + "/debug/pprof/cmdline",
                "cmdline is not a profile endpoint");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void aRedirectIsFollowedOnlyToAHostOnTheList() {
        LiveCapture capture = LiveCapture.allowing(List.of("127.0.0.1:" + stub.port(), "127.0.0.1:"
                + port(service)));
        stub.answer("/debug/pprof/heap", x -> Stub.redirect("http://127.0.0.1:" + offList.port()
                + "/debug/pprof/heap"));
        stub.answer("/debug/pprof/mutex", x -> Stub.redirect("http://127.0.0.1:" + stub.port() + "@127.0.0.1:"
                + offList.port() + "/debug/pprof/mutex"));
        stub.answer("/debug/pprof/allocs", x -> Stub.redirect("http://" + service.address + "/debug/pprof/allocs"));

        assertRefused(capture, "http://127.0.0.1:" + stub.port() + "/debug/pprof/heap", "refused a redirect to http://"
                + "127.0.0.1:" + offList.port() + "/debug/pprof/heap: 127.0.0.1:" + offList.port() + " is not on");
        assertRefused(capture, "http://127.0.0.1:" + stub.port() + "/debug/pprof/mutex", "refused a redirect to");
        assertThat(offList.requests()).isEmpty();
        assertThat(stub.requests()).containsExactly("/debug/pprof/heap", "/debug/pprof/mutex");

        List<LiveCapture.Fetched> allocs = capture.fetch("http://127.0.0.1:" + stub.port() + "/debug/pprof/allocs", 0,
                ReadLimits.DEFAULT);
        assertThat(Inputs.read(new Source.Bytes("allocs", allocs.getFirst().data()), ReadLimits.DEFAULT))
                .isInstanceOfSatisfying(Input.Profile.class, pr -> assertThat(pr.profileKind())
                        .isEqualTo(ProfileKind.ALLOCS));
    }

    @Test
    void aBodyBeyondTheLimitIsRefused() {
        LiveCapture capture = LiveCapture.allowing(List.of("127.0.0.1"));
        ReadLimits oneMiB = ReadLimits.DEFAULT.withMaxInput(1 << 20);
        byte[] big = new byte[(1 << 20) + 1];
        stub.answer("/debug/pprof/heap", x -> new Stub.Answer(200, Map.of(), big, false));
        stub.answer("/debug/pprof/block", x -> new Stub.Answer(200, Map.of(), big, true));
        assertThatThrownBy(() -> capture.fetch("http://127.0.0.1:" + stub.port() + "/debug/pprof/heap", 0, oneMiB))
                .isInstanceOf(BadInputException.class).hasMessageContaining("/debug/pprof/heap: response of "
                        + big.length + " bytes (its Content-Length) is larger than the limit of 1 MiB");
        assertThatThrownBy(() -> capture.fetch("http://127.0.0.1:" + stub.port() + "/debug/pprof/block", 0, oneMiB))
                .isInstanceOf(BadInputException.class).hasMessageContaining("/debug/pprof/block: response larger"
                        + " than the limit of 1 MiB");
        // the real service's heap profile against a limit below its size
        assertThatThrownBy(() -> capture.fetch("http://" + service.address + "/debug/pprof/", 0,
                ReadLimits.DEFAULT.withMaxInput(64)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("/debug/pprof/goroutine?debug=2: response")
                .hasMessageContaining("larger than the limit of 64 bytes");
    }

    @Test
    void aRequiredEndpointThatFailsFailsTheCaptureNamingIt() {
        LiveCapture capture = LiveCapture.allowing(List.of("127.0.0.1:" + stub.port()));
        stub.answer("/debug/pprof/heap", x -> new Stub.Answer(404, Map.of("Content-Type", "text/plain"),
                "Unknown profile\n".getBytes(StandardCharsets.UTF_8), false));
        stub.answer("/debug/pprof/mutex", x -> new Stub.Answer(200, Map.of("Content-Type", "text/html"),
                "<html><body>sign in</body></html>".getBytes(StandardCharsets.UTF_8), false));
        assertRefused(capture, "http://127.0.0.1:" + stub.port() + "/debug/pprof/heap", "http://127.0.0.1:"
                + stub.port() + "/debug/pprof/heap: server response: 404 Not Found - Unknown profile");
        assertRefused(capture, "http://127.0.0.1:" + stub.port() + "/debug/pprof/mutex",
                "/debug/pprof/mutex: the service answered unrecognised input");
    }

    @Test
    void badPatternsAreRefusedInOneLineNamingThem() {
        for (String bad : List.of("10.0.0.0/33", "host:99999", "*", "http://x", "2130706433", "a b", "[::1",
                "*.10.0.0.1", "fe80::1%eth0", "10.0.0.0/x", "host:")) {
            assertThatThrownBy(() -> LiveCapture.allowing(List.of("ok.example", bad)))
                    .as(bad).isInstanceOf(BadInputException.class)
                    .hasMessageStartingWith("--capture-allow '" + bad + "': ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThat(LiveCapture.allowing(List.of("fd00::/8,[::1]:6060", "::1", "Example.COM.", "*.example.com:443"))
                .enabled()).isTrue();
    }

    @Test
    void theCpuSecondsAreBounded() {
        LiveCapture capture = LiveCapture.allowing(List.of("127.0.0.1"));
        assertRefused(capture, "http://127.0.0.1:" + stub.port() + "/debug/pprof/", -1, "a CPU profile of -1 s");
        assertRefused(capture, "http://127.0.0.1:" + stub.port() + "/debug/pprof/", 301, "a CPU profile of 301 s");
        assertRefused(capture, "http://127.0.0.1:" + stub.port() + "/debug/pprof/profile?seconds=86400", 0,
                "refused: seconds=86400 (give 0 to 300)");
        assertRefused(capture, "http://127.0.0.1:" + stub.port() + "/debug/pprof/heap?gc=1&seconds=1e9", 0,
                "refused: seconds=1e9");
        assertThat(stub.requests()).isEmpty();
    }

    private static void assertRefused(LiveCapture capture, String url, String message) {
        assertRefused(capture, url, 0, message);
    }

    private static void assertRefused(LiveCapture capture, String url, int cpuSeconds, String message) {
        assertThatThrownBy(() -> capture.fetch(url, cpuSeconds, ReadLimits.DEFAULT)).as(url)
                .isInstanceOf(BadInputException.class).hasMessageContaining(message);
    }

    private static int port(GuardService s) {
        return Integer.parseInt(s.address.substring(s.address.lastIndexOf(':') + 1));
    }

    private static int status(String address, String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + address + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    /** A JDK server on loopback answering each path as scripted (404 otherwise), and recording the paths asked. */
    private static final class Stub implements AutoCloseable {
        record Answer(int status, Map<String, String> headers, byte[] body, boolean chunked) {
        }

        private final HttpServer server;
        private final Map<String, Function<String, Answer>> answers = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();

        Stub() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getRawPath();
                requests.add(path);
                Function<String, Answer> script = answers.get(path);
                Answer a = script == null ? new Answer(404, Map.of(), new byte[0], false) : script.apply(path);
                a.headers().forEach(exchange.getResponseHeaders()::set);
                exchange.sendResponseHeaders(a.status(), a.chunked() ? 0 : a.body().length == 0 ? -1
                        : a.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(a.body());
                } catch (IOException e) {
                    // the client stopped reading at its limit
                }
            });
            server.start();
        }

        static Answer redirect(String location) {
            return new Answer(302, Map.of("Location", location), new byte[0], false);
        }

        int port() {
            return server.getAddress().getPort();
        }

        void answer(String path, Function<String, Answer> script) {
            answers.put(path, script);
        }

        List<String> requests() {
            return List.copyOf(requests);
        }

        void reset() {
            answers.clear();
            requests.clear();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
