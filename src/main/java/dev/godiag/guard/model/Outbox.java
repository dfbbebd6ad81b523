package dev.godiag.guard.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The persisted queue of deliveries (notify stage). A transition of an alert (firing, resolved) is
 * stored together with its deliveries in one transaction, so a guard restart loses none; each
 * delivery is marked delivered once its receiver accepted it, so a successful delivery is never
 * repeated. Delivery is at least once: a guard killed after the receiver accepted but before the
 * mark was written repeats that one request (receivers dedupe by {@code X-Godiag-Delivery}).
 */
public interface Outbox {
    /**
     * One request to make: {@code channel} is webhook, alertmanager or callback; the body and
     * headers (including the webhook's signature) are fixed when the transition is stored.
     */
    record Delivery(long id, String alertId, AlertState transition, String channel, String url,
                    Map<String, String> headers, byte[] body, int attempts, Instant nextAttemptAt, String lastError) {
        public Delivery {
            headers = Map.copyOf(headers);
        }
    }

    /** A delivery to store with its alert's transition (the store gives it an id and schedules it now). */
    record Pending(String channel, String url, Map<String, String> headers, byte[] body) {
        public Pending {
            headers = Map.copyOf(headers);
        }
    }

    /** Deliveries not yet delivered whose next attempt is due at {@code now}, oldest first, at most {@code limit}. */
    List<Delivery> due(Instant now, int limit);

    /** The receiver accepted it: never sent again. */
    void delivered(long id, Instant at);

    /** It failed ({@code error}: one line): try again at {@code next}. */
    void retryLater(long id, Instant next, String error);

    /**
     * The receiver refused it for good (a 4xx other than 408 and 429, a URL that cannot be sent
     * to) or retries ran out: never sent again, kept with its error (one line) for the operator.
     */
    void failed(long id, Instant at, String error);
}
