package dev.godiag.guard.notify;

import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Outbox;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends the outbox's due deliveries: a 2xx is delivered; a 408, 429, 5xx, refused connection or
 * timeout is retried with exponential backoff (capped, a Retry-After honoured up to the cap) until
 * the attempts run out; any other status, or a URL that cannot be sent to, fails for good at once,
 * reported once in the outcomes and never retried. Every request is bounded in time and the
 * response body is drained with only its first 200 bytes kept (for the error line).
 *
 * <p>Transitions of one alert to one receiver go in order: a resolve due in the same run as its
 * firing waits while the firing is retried, and a firing still pending after its resolve was
 * delivered is dropped (sending it would reopen the alert at the receiver). The daemon calls
 * {@link #runOnce} on a schedule, e.g. every second; nothing is printed, the outcomes are returned.
 */
public final class DeliveryWorker {
    /** How hard to try: first retry delay, its cap, attempts before giving up, one request's time limit. */
    public record RetryPolicy(Duration firstDelay, Duration maxDelay, int maxAttempts, Duration requestTimeout) {
        /** 2 s doubling to 5 min, about a day of attempts, 10 s per request. */
        public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(2), Duration.ofMinutes(5), 300,
                Duration.ofSeconds(10));

        /** The delay after the {@code attempt}-th failed attempt (1-based): first * 2^(attempt-1), capped. */
        public Duration delayAfter(int attempt) {
            int doublings = Math.min(Math.max(attempt - 1, 0), 30);
            Duration d = firstDelay.multipliedBy(1L << doublings);
            return d.compareTo(maxDelay) > 0 ? maxDelay : d;
        }
    }

    public enum Result { DELIVERED, RETRY, FAILED }

    /**
     * What became of one delivery in a run: {@code status} is the HTTP status (0 when there was no
     * response), {@code detail} one line (e.g. "webhook http://h/hook (firing): HTTP 503: overloaded"),
     * {@code nextAttempt} set for a retry.
     */
    public record Outcome(Outbox.Delivery delivery, Result result, int status, String detail, Instant nextAttempt) {
    }

    private static final int ERROR_BODY_BYTES = 200;
    private static final int RESOLVES_REMEMBERED = 10_000;

    private final Outbox outbox;
    private final HttpClient http;
    private final Clock clock;
    private final RetryPolicy policy;
    private final int batch;
    /**
     * (alert, channel, url) whose resolve was delivered: a later firing for it is stale. Only the
     * most recent are kept (a firing is at most a retry delay behind its resolve), so a daemon
     * running for months does not grow it without end.
     */
    private final Set<String> resolvedSent = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > RESOLVES_REMEMBERED;
                }
            }));

    public DeliveryWorker(Outbox outbox, HttpClient http, Clock clock) {
        this(outbox, http, clock, RetryPolicy.DEFAULT, 100);
    }

    /** {@code batch}: most deliveries claimed in one run. */
    public DeliveryWorker(Outbox outbox, HttpClient http, Clock clock, RetryPolicy policy, int batch) {
        this.outbox = outbox;
        this.http = http;
        this.clock = clock;
        this.policy = policy;
        this.batch = batch;
    }

    /** An HTTP client for deliveries: bounded connect time, no redirects (a moved receiver is a configuration error). */
    public static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    /**
     * Claims the due deliveries and sends them, receivers in parallel, each receiver's deliveries of
     * one alert in order; returns when every one has an outcome, within two request time limits
     * (one alert's firing and resolve to one receiver). {@link Outbox.Delivery#attempts} is taken
     * as the attempts already made: the outbox counts one for each {@code retryLater}.
     */
    public List<Outcome> runOnce() throws InterruptedException {
        List<Outbox.Delivery> due = outbox.due(clock.instant(), batch);
        if (due.isEmpty()) {
            return List.of();
        }
        Map<String, List<Outbox.Delivery>> chains = new LinkedHashMap<>();
        for (Outbox.Delivery d : due) {
            chains.computeIfAbsent(chainKey(d), k -> new ArrayList<>()).add(d);
        }
        List<Callable<List<Outcome>>> tasks = new ArrayList<>();
        for (List<Outbox.Delivery> chain : chains.values()) {
            chain.sort(Comparator.comparing(Outbox.Delivery::transition)); // FIRING before RESOLVED
            tasks.add(() -> sendChain(chain));
        }
        List<Outcome> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<List<Outcome>> f : pool.invokeAll(tasks)) {
                try {
                    outcomes.addAll(f.get());
                } catch (ExecutionException | CancellationException e) {
                    throw new IllegalStateException("delivery task failed: " + e, e);
                }
            }
        }
        return outcomes;
    }

    private static String chainKey(Outbox.Delivery d) {
        return d.alertId() + '\n' + d.channel() + '\n' + d.url();
    }

    private List<Outcome> sendChain(List<Outbox.Delivery> chain) {
        List<Outcome> out = new ArrayList<>();
        Outcome blocking = null;
        for (Outbox.Delivery d : chain) {
            Outcome o;
            if (d.transition() == AlertState.FIRING && resolvedSent.contains(chainKey(d))) {
                o = fail(d, 0, describe(d) + ": dropped, its resolve was delivered first");
            } else if (blocking != null) {
                // keep the order: this transition waits for the earlier one of the same alert and receiver
                outbox.retryLater(d.id(), blocking.nextAttempt(), "waiting for the " + blocking.delivery().transition().key()
                        + " delivery before it");
                o = new Outcome(d, Result.RETRY, 0, describe(d) + ": waiting for the earlier transition",
                        blocking.nextAttempt());
            } else {
                o = send(d);
                if (o.result() == Result.RETRY) {
                    blocking = o;
                } else if (o.result() == Result.DELIVERED && d.transition() == AlertState.RESOLVED) {
                    resolvedSent.add(chainKey(d));
                }
            }
            out.add(o);
        }
        return out;
    }

    private Outcome send(Outbox.Delivery d) {
        Exchange x = exchange(d.url(), d.headers(), d.body());
        String detail = describe(d) + ": " + x.detail();
        return switch (x.kind()) {
            case DELIVERED -> {
                outbox.delivered(d.id(), clock.instant());
                yield new Outcome(d, Result.DELIVERED, x.status(), detail, null);
            }
            case RETRY -> retry(d, x.status(), detail, x.retryAfter());
            case FAILED -> fail(d, x.status(), detail);
        };
    }

    /**
     * Sends requests that are not in the outbox once, in parallel, without retrying (Alertmanager
     * refreshes of firing alerts: the next refresh is the retry); returns one line per request that
     * was not accepted.
     */
    public List<String> sendOnce(List<Outbox.Pending> requests) throws InterruptedException {
        List<Callable<Exchange>> tasks = new ArrayList<>();
        for (Outbox.Pending p : requests) {
            tasks.add(() -> exchange(p.url(), p.headers(), p.body()));
        }
        List<String> problems = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Exchange>> done = pool.invokeAll(tasks);
            for (int i = 0; i < done.size(); i++) {
                Exchange x;
                try {
                    x = done.get(i).get();
                } catch (ExecutionException | CancellationException e) {
                    throw new IllegalStateException("delivery task failed: " + e, e);
                }
                if (x.kind() != Result.DELIVERED) {
                    Outbox.Pending p = requests.get(i);
                    problems.add(p.channel() + " " + p.url() + ": " + x.detail());
                }
            }
        }
        return problems;
    }

    /** One request's result: how to treat it, the status (0 without a response), one line, a receiver's Retry-After. */
    private record Exchange(Result kind, int status, String detail, Duration retryAfter) {
    }

    private Exchange exchange(String url, Map<String, String> headers, byte[] body) {
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(policy.requestTimeout())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(b::header);
            b.setHeader("User-Agent", "godiag-guard");
            request = b.build();
        } catch (IllegalArgumentException e) {
            return new Exchange(Result.FAILED, 0, "cannot send there: " + oneLine(e.getMessage()), null);
        }
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request, responseHead());
        try {
            // the whole exchange, body included, within the limit: a receiver trickling bytes cannot hold a worker
            HttpResponse<String> response = pending.get(policy.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Exchange(Result.DELIVERED, status, "HTTP " + status, null);
            }
            String text = oneLine(response.body());
            String detail = "HTTP " + status + (text.isEmpty() ? "" : ": " + text);
            if (status == 408 || status == 429 || status >= 500) {
                return new Exchange(Result.RETRY, status, detail, retryAfter(response));
            }
            return new Exchange(Result.FAILED, status, detail, null);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return new Exchange(Result.RETRY, 0, "no response within " + policy.requestTimeout().toSeconds() + "s", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException && !(e.getCause() instanceof HttpConnectTimeoutException)) {
                // the client's own request timeout (the same limit) may fire before the wait above ends
                return new Exchange(Result.RETRY, 0, "no response within " + policy.requestTimeout().toSeconds() + "s",
                        null);
            }
            return new Exchange(Result.RETRY, 0, networkError(e.getCause()), null);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return new Exchange(Result.RETRY, 0, "interrupted", null);
        }
    }

    /** The first bytes of the response body (a receiver's reason for an error), the rest read and dropped. */
    private static HttpResponse.BodyHandler<String> responseHead() {
        return info -> new HeadSubscriber();
    }

    private static final class HeadSubscriber implements HttpResponse.BodySubscriber<String> {
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private final byte[] head = new byte[ERROR_BODY_BYTES];
        private int length;

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                int n = Math.min(b.remaining(), head.length - length);
                b.get(head, length, n);
                length += n;
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(new String(head, 0, length, StandardCharsets.UTF_8));
        }
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(v.strip())));
            } catch (NumberFormatException e) {
                return null; // an HTTP date: the backoff decides
            }
        }).orElse(null);
    }

    private Outcome retry(Outbox.Delivery d, int status, String detail, Duration retryAfter) {
        int attempt = d.attempts() + 1;
        if (attempt >= policy.maxAttempts()) {
            return fail(d, status, detail + " (gave up after " + attempt + " attempts)");
        }
        Duration delay = policy.delayAfter(attempt);
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter.compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : retryAfter;
        }
        Instant next = clock.instant().plus(delay);
        outbox.retryLater(d.id(), next, detail);
        return new Outcome(d, Result.RETRY, status, detail, next);
    }

    private Outcome fail(Outbox.Delivery d, int status, String detail) {
        outbox.failed(d.id(), clock.instant(), detail);
        return new Outcome(d, Result.FAILED, status, detail, null);
    }

    private static String describe(Outbox.Delivery d) {
        return d.channel() + " " + d.url() + " (" + d.transition().key() + ")";
    }

    private static String networkError(Throwable t) {
        if (t instanceof HttpConnectTimeoutException) {
            return "connect timeout";
        }
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + oneLine(m));
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s+", " ");
    }
}
