package dev.godiag.guard;

import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Target;
import dev.godiag.store.GuardRepository;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes readings and target states in batches, one transaction a second: 2,000 targets at a
 * 15 s interval are ~130 readings a second, one round trip each would keep SQLite busy. Alert
 * transitions do not go through here: they are written at once, with their deliveries. A crash
 * loses at most the last second of history; the state is rebuilt from the next readings.
 */
final class ReadingWriter implements AutoCloseable {
    private final GuardRepository repository;
    private final GuardLog log;
    private final java.time.Clock clock;
    private List<Reading> readings = new ArrayList<>();
    private Map<Target, String> states = new LinkedHashMap<>();

    ReadingWriter(GuardRepository repository, GuardLog log, java.time.Clock clock) {
        this.repository = repository;
        this.log = log;
        this.clock = clock;
    }

    void start(ScheduledExecutorService timer) {
        timer.scheduleWithFixedDelay(this::flush, 1, 1, TimeUnit.SECONDS);
    }

    synchronized void add(Reading reading, String state) {
        readings.add(reading);
        states.put(reading.target(), state);
    }

    void flush() {
        List<Reading> r;
        Map<Target, String> s;
        synchronized (this) {
            if (readings.isEmpty() && states.isEmpty()) {
                return;
            }
            r = readings;
            s = states;
            readings = new ArrayList<>();
            states = new LinkedHashMap<>();
        }
        try {
            repository.recordReadings(r);
            repository.saveWatchStates(s, java.time.Instant.now(clock));
        } catch (RuntimeException e) {
            log.error("history not saved", "readings", r.size(), "error", e.getMessage());
        }
    }

    @Override
    public void close() {
        flush();
    }
}
