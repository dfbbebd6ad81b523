package dev.godiag.guard.watch;

import dev.godiag.guard.model.Alert;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Stage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.godiag.guard.watch.WatchFixtures.CONTRACT;
import static dev.godiag.guard.watch.WatchFixtures.START;
import static dev.godiag.guard.watch.WatchFixtures.at;
import static dev.godiag.guard.watch.WatchFixtures.reading;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A week of a healthy service at a 30 s interval with the default settings and the contract's
 * rules: a daily load cycle, Poisson-like concurrency, bursts shorter than the rules' three readings, a GC sawtooth in the heap
 * (busy services sample it at random phases, idle ones walk through it), connections as fds. It
 * never alerts. The same week with a leak added alerts soon after the leak starts, so the quiet
 * is not deafness.
 */
class NoisyServiceTest {
    private static final int WEEK = 7 * 24 * 120;
    private static final int DAY = 24 * 120;
    private static final double MB = 1 << 20;
    private static final int LEAK_START = 3 * DAY + 333;

    /** A service's size: concurrency at full load, live heap (fixed and per unit of load), connections. */
    record Service(String name, double concurrency, double liveFixed, double livePerLoad, double connections,
                   boolean busy) {
    }

    static Stream<Arguments> services() {
        List<Arguments> out = new ArrayList<>();
        Service[] sizes = {
                new Service("tiny idle (heap under Go's 4 MB minimum GC target)", 8, 0.5 * MB, 0.5 * MB, 4, false),
                new Service("small", 60, 8 * MB, 6 * MB, 30, true),
                new Service("medium", 400, 20 * MB, 30 * MB, 200, true),
                new Service("large", 3000, 200 * MB, 600 * MB, 1500, true)};
        for (Service s : sizes) {
            for (long seed = 1; seed <= 2; seed++) {
                out.add(Arguments.of(s, seed));
            }
        }
        return out.stream();
    }

    /** The service's readings, from its start: goroutines, heap in use, open fds; {@code goroutineLeak} and {@code heapLeak} per reading from LEAK_START. */
    private static List<WatchEvent> run(Service s, long seed, int readings, double goroutineLeak, double heapLeak) {
        Random r = new Random(seed);
        TargetWatch w = new TargetWatch(WatchFixtures.TARGET, WatchSettings.DEFAULT);
        List<WatchEvent> events = new ArrayList<>();
        double phase = 0;
        int burstLeft = 0;
        int lastBurst = -100;
        double burst = 0;
        for (int i = 0; i < readings; i++) {
            double load = 0.65 + 0.35 * Math.sin(2 * Math.PI * i / DAY) * (1 + 0.05 * r.nextGaussian());
            // bursts of up to twice the load for one or two readings, at least ten readings apart:
            // a burst lasting the rule's three readings would be, by the rule, an alert
            if (burstLeft == 0 && i - lastBurst > 10 && r.nextDouble() < 0.01) {
                burstLeft = 1 + r.nextInt(2);
                burst = r.nextDouble();
            }
            double spike = 1;
            if (burstLeft > 0) {
                spike += burst;
                burstLeft--;
                lastBurst = i;
            }
            double leaking = Math.max(0, i - LEAK_START + 1);
            double g = 20 + poisson(r, s.concurrency() * load * spike) + goroutineLeak * leaking;
            double live = s.liveFixed() + s.livePerLoad() * load + heapLeak * leaking;
            double gcTarget = Math.max(2 * live, 4 * MB);
            phase = s.busy() ? r.nextDouble() : (phase + 0.25 + 0.5 * r.nextDouble()) % 1;
            double heap = live + (gcTarget - live) * phase;
            double fds = 8 + poisson(r, s.connections() * load * spike);
            events.addAll(w.observe(reading(i, g, heap, fds, START), CONTRACT, Stage.NOTIFY));
        }
        return events;
    }

    private static double poisson(Random r, double mean) {
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
    }

    private static List<Alert> opened(List<WatchEvent> events) {
        return events.stream().filter(e -> e instanceof WatchEvent.Opened).map(e -> ((WatchEvent.Opened) e).alert()).toList();
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("services")
    void aHealthyServiceStaysQuietForAWeek(Service s, long seed) {
        assertThat(opened(run(s, seed, WEEK, 0, 0))).isEmpty();
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("services")
    void theSameWeekWithAGoroutineLeakAlertsWithinMinutes(Service s, long seed) {
        // 20 goroutines a reading: +500 over the baseline after 25 readings, three in a row, plus
        // what the ratio needs on a large service (50% of ~2000 is 1000: 50 readings)
        double perReading = 20;
        List<Alert> alerts = opened(run(s, seed, LEAK_START + 150, perReading, 0));
        assertThat(alerts).isNotEmpty();
        Alert first = alerts.getFirst();
        assertThat(first.metric()).isEqualTo(Metric.GOROUTINES);
        assertThat(first.since()).isAfterOrEqualTo(at(LEAK_START));
        double overNeeded = Math.max(500, 0.5 * first.baseline());
        int bound = (int) Math.ceil(overNeeded / perReading) + 3 + 10;
        assertThat(first.since()).isBefore(at(LEAK_START + bound));
        assertThat(first.value() - first.baseline()).isGreaterThan(overNeeded);
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("services")
    void theSameWeekWithAHeapLeakAlertsWithinTheHour(Service s, long seed) {
        // the live heap grows by a twentieth of the service's own live size every reading
        double perReading = (s.liveFixed() + s.livePerLoad()) / 20;
        List<Alert> alerts = opened(run(s, seed, LEAK_START + 150, 0, perReading));
        assertThat(alerts).isNotEmpty();
        Alert first = alerts.getFirst();
        assertThat(first.metric()).isEqualTo(Metric.HEAP);
        assertThat(first.since()).isAfterOrEqualTo(at(LEAK_START)).isBefore(at(LEAK_START + 120));
    }
}
