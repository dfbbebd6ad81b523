package dev.godiag.guard.config;

import dev.godiag.guard.model.Target;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** file_sd_configs as Prometheus reads them: JSON and YAML files, globs, changes, broken files, duplicates. */
class TargetDiscoveryTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private TargetDiscovery discovery;

    @BeforeEach
    void setUp() {
        discovery = new TargetDiscovery(clock, warnings::add);
    }

    private ScrapeJob job(String yaml) throws Exception {
        Path f = dir.resolve("guard.yml");
        Files.writeString(f, yaml);
        return GuardConfigLoader.load(f).jobs().get(0);
    }

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    private static List<String> addresses(List<Target> targets) {
        return targets.stream().map(Target::address).toList();
    }

    @Test
    void staticAndFileTargetsWithTheirLabels() throws Exception {
        write("targets/a.json", """
                [
                  {"targets": ["10.0.0.1:6060", "10.0.0.2:6060"], "labels": {"team": "pay", "__meta_source": "x"}},
                  {"targets": ["10.0.0.3:6060"]}
                ]
                """);
        write("targets/b.yml", """
                - targets: ['10.0.1.1:6060']
                  labels: {team: search, zone: b}
                """);
        write("targets/ignored.txt", "not a target file");
        ScrapeJob job = job("""
                scrape_configs:
                  - job_name: payments
                    static_configs:
                      - targets: ['payments-1:6060']
                        labels: {team: pay}
                    file_sd_configs:
                      - files: ['targets/*.json', 'targets/*.yml']
                """);
        List<Target> targets = discovery.targets(job);
        assertThat(targets).containsExactly(
                new Target("payments", "payments-1:6060", Map.of("team", "pay")),
                new Target("payments", "10.0.0.1:6060", Map.of("team", "pay")),
                new Target("payments", "10.0.0.2:6060", Map.of("team", "pay")),
                new Target("payments", "10.0.0.3:6060", Map.of()),
                new Target("payments", "10.0.1.1:6060", Map.of("team", "search", "zone", "b")));
        assertThat(warnings).isEmpty();
    }

    @Test
    void aChangedFileIsReadAgainAndAnUnchangedOneAfterItsRefreshInterval() throws Exception {
        Path f = write("sd/fleet.json", "[{\"targets\": [\"a:1\"]}]");
        ScrapeJob job = job("""
                scrape_configs:
                  - job_name: fleet
                    file_sd_configs: [{files: ['sd/*.json'], refresh_interval: 1m}]
                """);
        assertThat(addresses(discovery.targets(job))).containsExactly("a:1");

        // a new version written atomically (rename over the old file), as config management does
        Path tmp = write("sd/.tmp", "[{\"targets\": [\"a:1\", \"b:2\"]}]");
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(addresses(discovery.targets(job))).containsExactly("a:1", "b:2");

        // same size, same modification time, same file: cached until refresh_interval has passed
        FileTime stamp = Files.getLastModifiedTime(f);
        Files.writeString(f, "[{\"targets\": [\"a:1\", \"c:3\"]}]");
        Files.setLastModifiedTime(f, stamp);
        assertThat(addresses(discovery.targets(job))).containsExactly("a:1", "b:2");
        clock.advance(Duration.ofSeconds(61));
        assertThat(addresses(discovery.targets(job))).containsExactly("a:1", "c:3");

        // a new file matching the glob brings its targets; a removed one takes them away
        Path extra = write("sd/more.json", "[{\"targets\": [\"d:4\"]}]");
        assertThat(addresses(discovery.targets(job))).containsExactly("a:1", "c:3", "d:4");
        Files.delete(f);
        assertThat(addresses(discovery.targets(job))).containsExactly("d:4");
        Files.delete(extra);
        assertThat(discovery.targets(job)).isEmpty();
        assertThat(warnings).containsExactly("job fleet: file_sd_configs: no file matches sd/*.json");
    }

    @Test
    void aBrokenFileKeepsItsLastGoodTargetsAndIsReportedOnce() throws Exception {
        Path f = write("sd/fleet.yaml", "- targets: ['a:1', 'b:2']\n  labels: {team: x}\n");
        write("sd/other.yaml", "- targets: ['z:9']\n");
        ScrapeJob job = job("""
                scrape_configs:
                  - job_name: fleet
                    file_sd_configs: [{files: ['sd/*.yaml']}]
                """);
        assertThat(addresses(discovery.targets(job))).containsExactly("a:1", "b:2", "z:9");

        Files.writeString(f, "- targets: ['a:1', 'b:2', 'http://c:3/x']\n  labels: {team: x}\n");
        TargetDiscovery.Discovery d = discovery.discover(job);
        assertThat(addresses(d.targets())).containsExactly("a:1", "b:2", "z:9");
        String problem = f + ":1: [0].targets[2]: 'http://c:3/x' is not host:port (write the target without "
                + "scheme or path; set scheme and metrics_path on the job) (keeping the 2 targets read before)";
        assertThat(d.fileErrors()).containsExactly(problem);
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(6)); // past the refresh interval: read again, still broken
            assertThat(addresses(discovery.targets(job))).containsExactly("a:1", "b:2", "z:9");
        }
        assertThat(warnings).containsExactly(problem);

        Files.writeString(f, "{not: [valid");
        assertThat(addresses(discovery.targets(job))).containsExactly("a:1", "b:2", "z:9");
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(1)).startsWith(f + ":1: not valid YAML: ").endsWith("(keeping the 2 targets read before)");

        Files.writeString(f, "");
        assertThat(addresses(discovery.targets(job))).containsExactly("a:1", "b:2", "z:9");
        assertThat(warnings.get(2)).isEqualTo(f + ":1: the file is empty (keeping the 2 targets read before)");

        Files.writeString(f, "- targets: ['c:3']\n");
        d = discovery.discover(job);
        assertThat(addresses(d.targets())).containsExactly("c:3", "z:9");
        assertThat(d.fileErrors()).isEmpty();
        assertThat(warnings).hasSize(3);
    }

    @Test
    void aFileNeverReadWellGivesNoTargets() throws Exception {
        write("sd/a.json", "{\"targets\": [\"a:1\"]}");
        write("sd/b.json", "[{\"targets\": [\"b:1\"], \"labels\": {\"bad-label\": \"x\"}, \"extra\": 1}]");
        ScrapeJob job = job("""
                scrape_configs:
                  - job_name: fleet
                    file_sd_configs: [{files: ['sd/*.json']}]
                """);
        TargetDiscovery.Discovery d = discovery.discover(job);
        assertThat(d.targets()).isEmpty();
        assertThat(d.fileErrors()).containsExactly(
                dir.resolve("sd/a.json") + ":1: must be a list of target groups ([{targets: [...], labels: {...}}]), "
                        + "not a mapping",
                dir.resolve("sd/b.json") + ":1: [0].extra: unknown key (known here: labels, targets) (and 1 more problems)");
    }

    @Test
    void aTargetListedTwiceIsWatchedOnce() throws Exception {
        write("sd/a.json", "[{\"targets\": [\"a:1\", \"b:2\"], \"labels\": {\"team\": \"y\"}}]");
        ScrapeJob job = job("""
                scrape_configs:
                  - job_name: dup
                    static_configs:
                      - targets: ['a:1']
                        labels: {team: x}
                      - targets: ['a:1']
                        labels: {team: x}
                    file_sd_configs: [{files: [sd/a.json]}]
                """);
        assertThat(discovery.targets(job)).containsExactly(
                new Target("dup", "a:1", Map.of("team", "x")),
                new Target("dup", "b:2", Map.of("team", "y")));
        assertThat(warnings).containsExactly("job dup: target a:1 is listed in static_configs and "
                + dir.resolve("sd/a.json") + " with different labels; watching it once, with the first");
        discovery.targets(job);
        assertThat(warnings).hasSize(1);
    }

    @Test
    void labelValuesStayAsWrittenAndHostileFilesAreOneLine() throws Exception {
        write("sd/a.yml", "- targets: [localhost:9090]\n  labels: {canary: yes, shard: 010, off: off, ratio: 1e3}\n");
        write("sd/deep.json", "[".repeat(100_000));
        write("sd/deep.yml", "[".repeat(100_000));
        Files.write(dir.resolve("sd/binary.yml"), new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'});
        ScrapeJob job = job("""
                scrape_configs:
                  - job_name: odd
                    file_sd_configs: [{files: ['sd/*.yml', 'sd/*.json']}]
                """);
        TargetDiscovery.Discovery d = discovery.discover(job);
        assertThat(d.targets()).containsExactly(new Target("odd", "localhost:9090",
                Map.of("canary", "yes", "shard", "010", "off", "off", "ratio", "1e3")));
        assertThat(d.fileErrors()).hasSize(3).allSatisfy(e -> assertThat(e).doesNotContain("\n").hasSizeLessThan(400));
        assertThat(d.fileErrors().get(0)).startsWith(dir.resolve("sd/binary.yml") + ":");
        assertThat(d.fileErrors().get(1)).startsWith(dir.resolve("sd/deep.yml") + ": not valid YAML: ")
                .contains("nesting depth").doesNotContain("StreamReadConstraints");
        assertThat(d.fileErrors().get(2)).startsWith(dir.resolve("sd/deep.json") + ": not valid JSON: ")
                .contains("nesting depth");
    }

    @Test
    void aDirectoryThatCannotBeListedKeepsItsFilesTargets() throws Exception {
        write("sd/a.json", "[{\"targets\": [\"a:1\"]}]");
        ScrapeJob job = job("""
                scrape_configs:
                  - job_name: fleet
                    file_sd_configs: [{files: ['sd/*.json']}]
                """);
        assertThat(addresses(discovery.targets(job))).containsExactly("a:1");
        // a listing that fails (here the directory became a file; on a host, permissions or a stale mount)
        Path sd = dir.resolve("sd");
        Path moved = Files.move(sd, dir.resolve("sd.away"));
        Files.writeString(sd, "not a directory");
        TargetDiscovery.Discovery d = discovery.discover(job);
        assertThat(addresses(d.targets())).containsExactly("a:1");
        assertThat(d.fileErrors()).singleElement().asString()
                .startsWith("job fleet: file_sd_configs: cannot list " + sd + ": ").endsWith("(keeping its 1 files)");
        assertThat(warnings).containsExactly(d.fileErrors().get(0));
        Files.delete(sd);
        Files.move(moved, sd);
        assertThat(discovery.discover(job).fileErrors()).isEmpty();
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
