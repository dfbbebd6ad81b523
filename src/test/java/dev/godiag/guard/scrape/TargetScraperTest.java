package dev.godiag.guard.scrape;

import dev.godiag.format.ProfileReader;
import dev.godiag.format.goroutine.GoroutineDumpReader;
import dev.godiag.guard.config.ScrapeJob;
import dev.godiag.guard.model.Metric;
import dev.godiag.guard.model.Reading;
import dev.godiag.guard.model.Target;
import dev.godiag.model.Goroutine;
import dev.godiag.model.GoroutineDump;
import dev.godiag.testutil.GuardService;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scraper against the real Go service testdata/gen/guardsvc: leaky (Go 1.27, /metrics) and
 * healthy (Go 1.19, no /metrics: pprof and expvar), the numbers checked against what the service
 * is known to do per unit of work (5 goroutines, 2 open files, 64 KiB of heap).
 */
class TargetScraperTest {
    private static final int UNITS = 40;
    private static GuardService leaky;
    private static GuardService healthy;
    private static TargetScraper scraper;
    private static final ScrapeJob JOB = Jobs.job("/metrics", Duration.ofSeconds(10));

    @BeforeAll
    static void start() throws Exception {
        leaky = GuardService.start(Tools.go127(), "-mode", "leaky");
        healthy = GuardService.start(Tools.go119(), "-mode", "healthy", "-metrics=false");
        scraper = new TargetScraper();
    }

    @AfterAll
    static void stop() {
        if (scraper != null) {
            scraper.close();
        }
        if (leaky != null) {
            leaky.close();
        }
        if (healthy != null) {
            healthy.close();
        }
    }

    @AfterEach
    void release() throws Exception {
        leaky.stopLeaks();
    }

    private static Reading scrape(GuardService svc) {
        Reading r = scraper.scrape(JOB, Jobs.target(JOB, svc.address));
        assertThat(r.error()).as("scrape of %s", svc.address).isNull();
        return r;
    }

    private static double value(Reading r, Metric m) {
        assertThat(r.value(m)).as("%s in %s", m, r).isPresent();
        return r.value(m).getAsDouble();
    }

    @Test
    void readsTheLeakFromMetricsAsTheServiceMakesIt() throws Exception {
        leaky.get("/debug/pprof/heap?gc=1"); // what earlier tests released is no longer in use
        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // readings keep milliseconds
        Reading r0 = scrape(leaky);
        assertThat(r0.source()).isEqualTo("metrics");
        assertThat(r0.at()).isBetween(before, Instant.now());
        assertThat(r0.processStartSeconds()).isPresent();
        assertThat(r0.processStartSeconds().getAsDouble()).isBetween(leaky.startedAfter - 0.01, leaky.startedBefore + 0.01);

        assertThat(leaky.work(UNITS)).startsWith("units ").contains("leaking " + UNITS);
        // the work's garbage must not count either way: in use after a collection is what stays held
        leaky.get("/debug/pprof/heap?gc=1");
        Reading r1 = scrape(leaky);
        // each leaky unit: a blocked sender, a refresher, and a connection (client readLoop and
        // writeLoop, the server's conn) with both its socket ends open; the few connections of the
        // test's own requests come and go (/work's may stay, an earlier one may close meanwhile)
        assertThat(value(r1, Metric.GOROUTINES) - value(r0, Metric.GOROUTINES))
                .isBetween(5.0 * UNITS - 3, 5.0 * UNITS + 3);
        assertThat(value(r1, Metric.FDS) - value(r0, Metric.FDS)).isBetween(2.0 * UNITS - 2, 2.0 * UNITS + 2);
        // 64 KiB held per unit; the few KiB of garbage r0 saw (the heap profile written after its
        // collection, the scrape itself) may be gone from r1, so a tenth of slack, far below the leak
        assertThat(value(r1, Metric.HEAP) - value(r0, Metric.HEAP)).isGreaterThanOrEqualTo(0.9 * 64 * 1024 * UNITS);
        assertThat(r1.processStartSeconds()).isEqualTo(r0.processStartSeconds());

        assertThat(leaky.stopLeaks()).isEqualTo("released " + UNITS + "\n");
        double back = Double.MAX_VALUE;
        for (int i = 0; i < 50 && back > value(r0, Metric.GOROUTINES) + 3; i++) {
            Thread.sleep(100);
            back = value(scrape(leaky), Metric.GOROUTINES);
        }
        assertThat(back).as("goroutines after /leak/stop").isLessThanOrEqualTo(value(r0, Metric.GOROUTINES) + 3);
    }

    @Test
    void fallsBackToPprofAndExpvarWithoutMetrics() throws Exception {
        Reading r0 = scrape(healthy);
        assertThat(r0.source()).isEqualTo("pprof,expvar");
        assertThat(r0.value(Metric.FDS)).isEmpty();
        assertThat(r0.processStartSeconds()).isEmpty();
        assertThat(value(r0, Metric.HEAP)).isGreaterThan(0);

        // the count agrees with a full dump taken right after (the idle service does not change)
        Capture c = scraper.capture(JOB, Jobs.target(JOB, healthy.address), EnumSet.of(Capture.Evidence.GOROUTINE_DUMP));
        GoroutineDump dump = GoroutineDumpReader.read(new ByteArrayInputStream(c.files().getFirst().bytes()), "dump");
        assertThat((double) dump.total()).isCloseTo(value(r0, Metric.GOROUTINES), org.assertj.core.data.Offset.offset(1.0));

        // the same work done right leaves connections, not goroutines per unit: its one keep-alive
        // connection to itself (3 goroutines) and the server's side of the test's own idle one (the
        // smallest leak, one goroutine per unit, would be 40)
        assertThat(healthy.work(UNITS)).contains("leaking 0");
        Reading r1 = scrape(healthy);
        assertThat(value(r1, Metric.GOROUTINES) - value(r0, Metric.GOROUTINES)).isBetween(-1.0, 6.0);
    }

    @Test
    void capturesTheDumpThatNamesEachLeakShape() throws Exception {
        leaky.work(UNITS);
        Target t = Jobs.target(JOB, leaky.address);
        Capture c = scraper.capture(JOB, t);
        assertThat(c.problems()).isEmpty();
        assertThat(c.target()).isEqualTo(t);
        assertThat(c.files()).extracting(Capture.CapturedFile::name).containsExactly(
                "goroutine.debug2.txt", "goroutine.debug1.txt", "heap.pprof", "goroutineleak.pprof");

        GoroutineDump dump = GoroutineDumpReader.read(
                new ByteArrayInputStream(c.file(Capture.Evidence.GOROUTINE_DUMP).bytes()), "dump");
        assertThat(count(dump, "main.compute", "chan send")).isEqualTo(UNITS);
        assertThat(count(dump, "main.refresher", "select")).isEqualTo(UNITS);
        assertThat(count(dump, "net/http.(*persistConn).readLoop", null)).isGreaterThanOrEqualTo(UNITS);

        String counts = new String(c.file(Capture.Evidence.GOROUTINE_COUNTS).bytes(), StandardCharsets.UTF_8);
        assertThat(counts).startsWith("goroutine profile: total ");
        var heap = ProfileReader.read(c.file(Capture.Evidence.HEAP).bytes(), 1L << 30);
        assertThat(heap.sampleTypes().toString()).contains("inuse_space");
    }

    private static long count(GoroutineDump dump, String function, String state) {
        return dump.goroutines().stream()
                .filter(g -> state == null || g.state().equals(state))
                .filter(g -> g.frames().stream().anyMatch(f -> f.function().equals(function)))
                .mapToLong(Goroutine::count).sum();
    }

    @Test
    void aStoppedTargetIsDownAndARestartIsANewProcess() throws Exception {
        GuardService first = GuardService.start(Tools.go127(), "-mode", "healthy");
        Reading before;
        try (first) {
            before = scrape(first);
        }
        ScrapeJob job = JOB;
        Reading stopped = scraper.scrape(job, Jobs.target(job, first.address));
        assertThat(stopped.up()).isFalse();
        assertThat(stopped.error()).isIn("connection refused", "connection closed without a response");
        Thread.sleep(20); // the start times are written to the hundredth of a second
        try (GuardService again = GuardService.start(Tools.go127(), "-mode", "healthy", "-addr", first.address)) {
            Reading after = scrape(again);
            assertThat(after.processStartSeconds().getAsDouble())
                    .isGreaterThan(before.processStartSeconds().getAsDouble())
                    .isBetween(again.startedAfter - 0.01, again.startedBefore + 0.01);
        }
    }

    @Test
    void saysWhatATargetDoesNotServe() {
        Capture c = scraper.capture(JOB, Jobs.target(JOB, healthy.address));
        // Go 1.19 has no goroutineleak profile
        assertThat(c.problems()).containsExactly("goroutineleak: not served (HTTP 404)");
        assertThat(c.files()).hasSize(3);
    }
}
