package dev.godiag.store;

import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A baseline database in a directory godiag may not write to (a shared, read-only copy) is still
 * read: list, show and gate work, only a save fails, with one line, and nothing is written beside
 * the file. The commands run in a child JVM that the permissions bind: as the user itself, or when
 * the tests run as root, as root without the capability to override file permissions (setpriv).
 */
class ReadOnlyDatabaseTest {
    @TempDir
    Path dir;

    private static final String BENCH = "goos: linux\npkg: example.com/x\n"
            + "BenchmarkEncode-8   \t  100000\t 1000 ns/op\t  2048 B/op\t  12 allocs/op\n".repeat(5) + "PASS\n";

    /** Runs godiag's Main in a JVM that cannot write to read-only files and directories. */
    private static Peers.Result godiag(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            if (!onPath("setpriv")) {
                if (Peers.inCi()) {
                    throw new AssertionError("setpriv (util-linux) is needed to run as root without permission overrides");
                }
                Assumptions.abort("running as root without setpriv: file permissions cannot be enforced");
            }
            cmd.addAll(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.godiag.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        // small outputs: read after exit
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM timed out");
        }
        return new Peers.Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    @Test
    void aReadOnlyDirectoryIsReadAndOnlyASaveFails() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path bench = dir.resolve("base.txt");
        Files.writeString(bench, BENCH);
        String db = "sqlite:" + shared.resolve("godiag.db");
        Peers.Result saved = godiag("baseline", "save", "main", bench.toString(), "--label", "release", "--db", db);
        assertThat(saved.exitCode()).as(saved.stderr()).isZero();

        Files.setPosixFilePermissions(shared.resolve("godiag.db"), PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Peers.Result list = godiag("baseline", "list", "--db", db);
            assertThat(list.exitCode()).as(list.stderr()).isZero();
            assertThat(list.stdout()).containsPattern("main\\s+1\\s+.*release");

            Peers.Result show = godiag("baseline", "show", "main", "--db", db);
            assertThat(show.exitCode()).as(show.stderr()).isZero();
            assertThat(show.stdout()).contains("label release").contains("BenchmarkEncode-8");

            Peers.Result gate = godiag("gate", "--baseline", "main", "--candidate", bench.toString(), "--db", db);
            assertThat(gate.exitCode()).as(gate.stderr()).isZero();
            assertThat(gate.stdout()).startsWith("gate: PASS");

            Peers.Result save = godiag("baseline", "save", "main", bench.toString(), "--db", db);
            assertThat(save.exitCode()).isEqualTo(2);
            assertThat(save.stdout()).isEmpty();
            assertThat(save.stderr()).startsWith("godiag: sqlite:" + shared.resolve("godiag.db").toAbsolutePath())
                    .contains("read-only").hasLineCount(1);
            Peers.Result rm = godiag("baseline", "rm", "main", "--db", db);
            assertThat(rm.exitCode()).isEqualTo(2);
            assertThat(rm.stderr()).contains("read-only").hasLineCount(1);

            try (Stream<Path> files = Files.list(shared)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactly("godiag.db");
            }
            // a database that is not there cannot be made in a read-only directory: one line
            Peers.Result none = godiag("baseline", "list", "--db", "sqlite:" + shared.resolve("other.db"));
            assertThat(none.exitCode()).isEqualTo(2);
            assertThat(none.stderr()).contains("read-only").hasLineCount(1);
        } finally {
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(shared.resolve("godiag.db"), PosixFilePermissions.fromString("rw-r--r--"));
        }
        // and once writable again, saves go on
        Peers.Result again = godiag("baseline", "save", "main", bench.toString(), "--db", db);
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stdout()).startsWith("saved run 2 of baseline main");
    }
}
