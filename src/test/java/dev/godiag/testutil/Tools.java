package dev.godiag.testutil;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The one place that knows where the real tools the tests run are: Go 1.27 and Go 1.19 (their
 * pprof, go build, go test), Debian's go-staticcheck, Chromium and chromedriver, PostgreSQL's server binaries, hey and wrk.
 * Each is looked up in its environment variable first (bin/test exports the Go ones), then in its
 * standard place (Debian's directory or PATH); no test file names a location of its own.
 *
 * <p>It also decides what a missing tool means: on a developer machine the test is skipped with
 * the reason (one wording per tool, so the end-of-run summary groups them); in CI ({@link #inCi()},
 * which .ci/run sets) it fails, since .ci/run installs every one of them.
 */
public final class Tools {
    /**
     * A tool: its name in messages, the variable that overrides its place, its standard place (in
     * words, and how to look there), how .ci/run installs it, and whether a path is the tool.
     */
    private record Tool(String name, String env, String standardPlace, Supplier<Optional<Path>> standard,
                        String install, Predicate<Path> accepts) {
    }

    private static final Tool GO127 = new Tool("Go 1.27", "GODIAG_PPROF_GO127", "/usr/lib/go-1.27/bin/go",
            () -> executable(Path.of("/usr/lib/go-1.27/bin/go")), "../shared/tools/install-go.sh 1.27",
            Files::isExecutable);
    private static final Tool GO119 = new Tool("Go 1.19", "GODIAG_PPROF_GO119",
            "/usr/lib/go-1.19/bin/go, or a go1.19 'go' on PATH",
            () -> executable(Path.of("/usr/lib/go-1.19/bin/go")).or(() -> onPath("go").filter(Tools::isGo119)),
            "apt-get install golang-go", Files::isExecutable);
    private static final Tool STATICCHECK = new Tool("go-staticcheck", "GODIAG_STATICCHECK",
            "'go-staticcheck' on PATH", () -> onPath("go-staticcheck"), "apt-get install go-staticcheck",
            Files::isExecutable);
    private static final Tool CHROMIUM = new Tool("Chromium", "GODIAG_CHROMIUM", "'chromium' on PATH",
            () -> onPath("chromium"), "apt-get install chromium", Files::isExecutable);
    private static final Tool CHROMEDRIVER = new Tool("chromedriver", "GODIAG_CHROMEDRIVER",
            "'chromedriver' on PATH", () -> onPath("chromedriver"), "apt-get install chromium-driver",
            Files::isExecutable);
    private static final Tool POSTGRES = new Tool("PostgreSQL", "GODIAG_PG_BIN",
            "/usr/lib/postgresql/N/bin with initdb and pg_ctl", Tools::newestPostgres, "apt-get install postgresql",
            Tools::isPostgresBin);
    private static final Tool HEY = new Tool("hey", "GODIAG_HEY", "'hey' on PATH", () -> onPath("hey"),
            "apt-get install hey", Files::isExecutable);
    private static final Tool WRK = new Tool("wrk", "GODIAG_WRK", "'wrk' on PATH", () -> onPath("wrk"),
            "apt-get install wrk", Files::isExecutable);

    /** What each lookup found, once per JVM (a Go version check starts a process). */
    private static final Tool PROMETHEUS = new Tool("prometheus", "GODIAG_PROMETHEUS", "'prometheus' on PATH",
            () -> onPath("prometheus"), "apt-get install prometheus", Files::isExecutable);
    private static final Tool ALERTMANAGER = new Tool("prometheus-alertmanager", "GODIAG_ALERTMANAGER",
            "'prometheus-alertmanager' on PATH", () -> onPath("prometheus-alertmanager"),
            "apt-get install prometheus-alertmanager", Files::isExecutable);
    private static final Map<Tool, Optional<Path>> FOUND = new ConcurrentHashMap<>();

    private Tools() {
    }

    /** Whether this is a CI run ({@code CI} set, and not to false or 0): a missing tool then fails. */
    public static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
    }

    /** The go command of Go 1.27: GODIAG_PPROF_GO127, else /usr/lib/go-1.27/bin/go. */
    public static Path go127() {
        return require(GO127);
    }

    /** The go command of Go 1.19: GODIAG_PPROF_GO119, else /usr/lib/go-1.19/bin/go, else a go1.19 on PATH. */
    public static Path go119() {
        return require(GO119);
    }

    /** {@link #go127()} for "1.27", {@link #go119()} for "1.19". */
    public static Path go(String version) {
        return switch (version) {
            case "1.27" -> go127();
            case "1.19" -> go119();
            default -> throw new IllegalArgumentException("no Go " + version + " in the test set-up");
        };
    }

    /**
     * The go command to build the fixtures of testdata/gen with when any Go will do:
     * GODIAG_GEN_GO if set (e.g. Go 1.19 where 1.27 is installed), else Go 1.27, else Go 1.19.
     */
    public static Path anyGo() {
        String gen = System.getenv("GODIAG_GEN_GO");
        if (gen != null && !gen.isBlank()) {
            Path p = Path.of(gen);
            if (!Files.isExecutable(p)) {
                missing("Go", "GODIAG_GEN_GO=" + gen + " is not an executable", "unset it or fix the path");
            }
            return p;
        }
        return find(GO127).or(() -> find(GO119)).orElseGet(() -> {
            missing("Go", "neither Go 1.27 (" + GO127.standardPlace() + ") nor Go 1.19 (" + GO119.standardPlace()
                    + ") is installed", GO127.install() + ", " + GO119.install());
            throw new AssertionError("unreachable");
        });
    }

    /** Debian's staticcheck (built with Go 1.19, so it type-checks Go 1.19 code): GODIAG_STATICCHECK, else 'go-staticcheck' on PATH. */
    public static Path staticcheck() {
        return require(STATICCHECK);
    }

    /** The Chromium binary: GODIAG_CHROMIUM, else 'chromium' on PATH. */
    public static Path chromium() {
        return require(CHROMIUM);
    }

    /** The chromedriver binary: GODIAG_CHROMEDRIVER, else 'chromedriver' on PATH. */
    public static Path chromedriver() {
        return require(CHROMEDRIVER);
    }

    /** Chromium and its chromedriver. */
    public record BrowserBinaries(Path chromium, Path chromedriver) {
    }

    /** Chromium and chromedriver if both are there: for tools outside JUnit (bench/), which neither skip nor fail. */
    public static Optional<BrowserBinaries> browserIfInstalled() {
        return find(CHROMIUM).flatMap(c -> find(CHROMEDRIVER).map(d -> new BrowserBinaries(c, d)));
    }

    /** The directory of PostgreSQL's initdb and pg_ctl: GODIAG_PG_BIN, else the newest /usr/lib/postgresql/N/bin. */
    public static Path postgresBin() {
        return require(POSTGRES);
    }

    /** hey (a load generator): GODIAG_HEY, else 'hey' on PATH. */
    public static Path hey() {
        return require(HEY);
    }

    /** wrk (a load generator): GODIAG_WRK, else 'wrk' on PATH. */
    public static Path wrk() {
        return require(WRK);
    }

    /** Prometheus' server: GODIAG_PROMETHEUS, else 'prometheus' on PATH. */
    public static Path prometheus() {
        return require(PROMETHEUS);
    }

    /** Prometheus' Alertmanager: GODIAG_ALERTMANAGER, else 'prometheus-alertmanager' on PATH. */
    public static Path alertmanager() {
        return require(ALERTMANAGER);
    }

    private static Path require(Tool tool) {
        return find(tool).orElseGet(() -> {
            String env = System.getenv(tool.env());
            String why = env != null && !env.isBlank()
                    ? "not found at " + tool.env() + "=" + env
                    : "not installed (" + tool.standardPlace() + ")";
            missing(tool.name(), why, tool.install());
            throw new AssertionError("unreachable");
        });
    }

    /** Skips the calling test with the reason, or fails it in CI. */
    private static void missing(String name, String why, String install) {
        String reason = name + " " + why;
        if (inCi()) {
            throw new AssertionError(reason + ": a test needs it and CI must have it (.ci/run installs it: "
                    + install + ")");
        }
        Assumptions.abort(reason);
    }

    private static Optional<Path> find(Tool tool) {
        return FOUND.computeIfAbsent(tool, Tools::lookUp);
    }

    private static Optional<Path> lookUp(Tool tool) {
        String env = System.getenv(tool.env());
        if (env != null && !env.isBlank()) {
            // an override is taken as given: a wrong one is reported, not replaced by the standard place
            Path p = Path.of(env);
            return tool.accepts().test(p) ? Optional.of(p) : Optional.empty();
        }
        return tool.standard().get();
    }

    private static Optional<Path> executable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Optional<Path> p = executable(Path.of(dir, command));
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isGo119(Path go) {
        try {
            ProcessBuilder pb = new ProcessBuilder(go.toString(), "version").redirectErrorStream(true);
            pb.environment().put("GOTOOLCHAIN", "local");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor(60, TimeUnit.SECONDS) && out.matches("(?s)go version go1\\.19([^0-9].*)?");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean isPostgresBin(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
    }

    private static Optional<Path> newestPostgres() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(Tools::isPostgresBin).max(Comparator.comparingInt(b -> {
                try {
                    return Integer.parseInt(b.getParent().getFileName().toString());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
