package dev.godiag.guard.notify;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

/**
 * A real HTTP receiver on loopback (the JDK's server): records every request to a path (headers
 * and body bytes) and answers with the status a script gives, optionally after a pause.
 */
final class Receiver implements AutoCloseable {
    record Request(String path, Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** The answer to one request: status, extra headers, body, and how long to wait before answering. */
    record Answer(int status, Map<String, String> headers, String body, Duration pause) {
        static Answer status(int status) {
            return new Answer(status, Map.of(), "", Duration.ZERO);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final Map<String, java.util.function.Supplier<Answer>> scripts = new ConcurrentHashMap<>();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(path, exchange.getRequestHeaders(), body));
            Answer a = scripts.getOrDefault(path, () -> Answer.status(200)).get();
            if (!a.pause().isZero()) {
                try {
                    Thread.sleep(a.pause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            a.headers().forEach(exchange.getResponseHeaders()::add);
            byte[] out = a.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
    }

    /** Answers requests to {@code path} with what {@code script} says next (default: 200). */
    void answer(String path, java.util.function.Supplier<Answer> script) {
        scripts.put(path, script);
    }

    /** Answers with the statuses in turn, then 200 for ever. */
    void statuses(String path, int... statuses) {
        int[] i = {0};
        IntSupplier next = () -> i[0] < statuses.length ? statuses[i[0]++] : 200;
        answer(path, () -> Answer.status(next.getAsInt()));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> requests(String path) {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.path().equals(path)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
