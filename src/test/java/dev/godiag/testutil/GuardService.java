package dev.godiag.testutil;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A running testdata/gen/guardsvc (guard's live target: leaky or healthy, see its header): its
 * address, when it started, and its /work and /leak/stop endpoints. Start it once per test class.
 */
public final class GuardService implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public final GoFixtures.Running process;
    /** host:port, as a scrape target. */
    public final String address;
    /** Unix seconds just before the process was started and just after it said it listens. */
    public final double startedAfter;
    public final double startedBefore;

    private GuardService(GoFixtures.Running process, String address, double after, double before) {
        this.process = process;
        this.address = address;
        this.startedAfter = after;
        this.startedBefore = before;
    }

    /** Builds guardsvc with {@code go} and starts it with {@code args} (-mode leaky|healthy, -metrics=false...). */
    public static GuardService start(Path go, String... args) throws IOException, InterruptedException {
        Path binary = GoFixtures.build(go, "guardsvc");
        double after = System.currentTimeMillis() / 1000.0;
        GoFixtures.Running p = GoFixtures.start(binary, args);
        double before = System.currentTimeMillis() / 1000.0;
        if (!p.firstLine().startsWith("listening on ")) {
            p.close();
            throw new AssertionError("guardsvc said " + p.firstLine());
        }
        return new GuardService(p, p.firstLine().substring("listening on ".length()).strip(), after, before);
    }

    /** GET /work?n=N: N units of work; the service's answer. */
    public String work(int n) throws IOException, InterruptedException {
        return get("/work?n=" + n);
    }

    /** GET /leak/stop: the leaked goroutines return. */
    public String stopLeaks() throws IOException, InterruptedException {
        return get("/leak/stop");
    }

    /** The bodies POSTed to the service's /admin/shed-load (a guard job's callback), oldest first. */
    public List<String> callbacks() throws IOException, InterruptedException {
        List<String> lines = get("/admin/shed-load").lines().toList();
        int calls = Integer.parseInt(lines.getFirst().substring("calls ".length()));
        if (lines.size() != calls + 1) {
            throw new AssertionError("a callback body of several lines: " + lines);
        }
        return lines.subList(1, lines.size());
    }

    /** GET {@code path} on the service; its 200 answer. */
    public String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    @Override
    public void close() {
        process.close();
    }
}
