package dev.godiag.guard.notify;

import dev.godiag.guard.model.AlertState;
import dev.godiag.guard.model.Outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outbox's contract in memory (the store's is tested on SQLite and PostgreSQL): what the worker was told. */
final class MemoryOutbox implements Outbox {
    /** One stored delivery and what became of it. */
    static final class Row {
        final Delivery first;
        int attempts;
        Instant next;
        String lastError;
        Instant deliveredAt;
        Instant failedAt;

        Row(Delivery first) {
            this.first = first;
            this.next = first.nextAttemptAt();
        }

        Delivery current() {
            return new Delivery(first.id(), first.alertId(), first.transition(), first.channel(), first.url(),
                    first.headers(), first.body(), attempts, next, lastError);
        }
    }

    private final Map<Long, Row> rows = new LinkedHashMap<>();
    private long nextId = 1;

    /** Stores a transition's deliveries, due at {@code now}; returns their ids. */
    synchronized List<Long> add(String alertId, AlertState transition, List<Pending> pending, Instant now) {
        List<Long> ids = new ArrayList<>();
        for (Pending p : pending) {
            long id = nextId++;
            rows.put(id, new Row(new Delivery(id, alertId, transition, p.channel(), p.url(), p.headers(), p.body(), 0,
                    now, null)));
            ids.add(id);
        }
        return ids;
    }

    synchronized Row row(long id) {
        return rows.get(id);
    }

    @Override
    public synchronized List<Delivery> due(Instant now, int limit) {
        return rows.values().stream().filter(r -> r.deliveredAt == null && r.failedAt == null && !r.next.isAfter(now))
                .limit(limit).map(Row::current).toList();
    }

    @Override
    public synchronized void delivered(long id, Instant at) {
        rows.get(id).deliveredAt = at;
    }

    @Override
    public synchronized void retryLater(long id, Instant next, String error) {
        Row r = rows.get(id);
        r.attempts++;
        r.next = next;
        r.lastError = error;
    }

    @Override
    public synchronized void failed(long id, Instant at, String error) {
        Row r = rows.get(id);
        r.attempts++;
        r.failedAt = at;
        r.lastError = error;
    }
}
