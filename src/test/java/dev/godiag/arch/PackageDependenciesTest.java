package dev.godiag.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dependencies between packages point one way (docs/architecture.md): format -> model ->
 * analysis -> report -> cli, with util usable by all. A package may use only the packages left
 * of it; this test reads every source file's imports and same-package-free references.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/godiag");

    /** Each package and the packages it may use (besides itself and util). */
    private static final Map<String, List<String>> ALLOWED = Map.ofEntries(
            Map.entry("util", List.of()),
            Map.entry("model", List.of()),
            Map.entry("model.trace", List.of()),
            Map.entry("model.gosyntax", List.of()),
            Map.entry("model.compiler", List.of()),
            Map.entry("model.heap", List.of()),
            // the readers' hub: ProfileReader dispatches to the profile formats, Inputs to every reader
            Map.entry("format", List.of("model", "model.compiler", "format.compiler", "format.pprof", "format.pprof.legacy", "format.folded",
                    "format.speedscope", "format.goroutine", "format.runtime", "format.bench", "format.load", "format.trace",
                    "model.trace", "format.heapdump", "model.heap", "format.elf")),
            Map.entry("format.goroutine", List.of("model", "format", "format.pprof", "format.pprof.legacy")),
            Map.entry("format.folded", List.of("model", "format")),
            Map.entry("format.speedscope", List.of("model", "format")),
            Map.entry("format.pprof", List.of("model", "format")),
            Map.entry("format.runtime", List.of("model", "format")),
            Map.entry("format.bench", List.of("model", "format")),
            Map.entry("format.load", List.of("model", "format")),
            Map.entry("format.trace", List.of("model", "model.trace", "format")),
            Map.entry("format.gosyntax", List.of("model.gosyntax", "format")),
            Map.entry("format.compiler", List.of("model.compiler")),
            Map.entry("format.pprof.legacy", List.of("model", "format", "format.pprof")),
            Map.entry("format.elf", List.of("model.heap")),
            Map.entry("format.heapdump", List.of("model.heap", "format.elf")),
            Map.entry("analysis.symbols", List.of()),
            Map.entry("analysis.profile", List.of("model", "analysis.symbols")),
            Map.entry("analysis.goroutine", List.of("model")),
            Map.entry("analysis.runtime", List.of("model", "analysis.profile", "analysis.goroutine")),
            Map.entry("analysis.bench", List.of("model")),
            Map.entry("analysis.retention", List.of("model", "model.heap")),
            Map.entry("analysis.trace", List.of("model", "model.trace", "analysis.profile")),
            Map.entry("analysis.compiler", List.of("model", "model.compiler", "analysis.profile")),
            Map.entry("diagnosis", List.of("model", "model.compiler", "model.trace", "model.heap", "analysis.profile",
                    "analysis.goroutine", "analysis.runtime", "analysis.trace", "analysis.retention")),
            Map.entry("diagnosis.scan", List.of("model", "model.gosyntax", "analysis.profile", "diagnosis")),
            Map.entry("diagnosis.rules", List.of("model", "model.compiler", "analysis.compiler", "model.trace", "analysis.profile", "analysis.goroutine",
                    "analysis.runtime", "analysis.trace", "analysis.retention", "model.heap", "diagnosis")),
            Map.entry("report", List.of("model.compiler", "analysis.compiler", "model", "model.trace", "model.gosyntax", "diagnosis.scan", "analysis.profile", "analysis.goroutine",
                    "analysis.runtime", "analysis.bench", "analysis.trace", "analysis.retention", "diagnosis")),
            Map.entry("store", List.of("model", "guard.model")),
            // guard: the live watcher, a surface of its own over the engine and the store
            Map.entry("guard.model", List.of()),
            Map.entry("guard.config", List.of("guard.model")),
            Map.entry("guard.scrape", List.of("model", "format", "format.runtime", "format.goroutine",
                    "guard.model", "guard.config")),
            Map.entry("guard.watch", List.of("guard.model", "guard.config")),
            Map.entry("guard.notify", List.of("guard.model", "guard.config")),
            Map.entry("guard", List.of("model", "format", "format.pprof", "format.goroutine", "format.runtime",
                    "analysis.profile", "analysis.goroutine", "analysis.runtime", "diagnosis", "report", "store",
                    "engine", "guard.model", "guard.config", "guard.scrape", "guard.watch", "guard.notify")),
            Map.entry("engine", List.of("model.compiler", "format.compiler", "analysis.compiler", "model", "model.trace", "model.gosyntax", "format.gosyntax", "diagnosis.scan", "format", "format.pprof", "format.goroutine",
                    "format.runtime", "format.trace", "analysis.trace",
                    "format.bench", "format.load", "analysis.profile", "analysis.goroutine", "analysis.runtime",
                    "analysis.bench", "diagnosis", "report", "store", "model.heap", "format.elf", "format.heapdump",
                    "analysis.retention")),
            // server: godiag serve, the web surface over the engine, the store and (optionally) guard
            Map.entry("server", List.of("model.compiler", "format.compiler", "analysis.compiler", "model", "model.trace", "model.gosyntax", "format.gosyntax", "diagnosis.scan", "format", "format.pprof", "format.goroutine",
                    "format.runtime", "format.trace", "analysis.trace",
                    "format.bench", "analysis.profile", "analysis.goroutine", "analysis.runtime", "analysis.bench",
                    "diagnosis", "report", "store", "engine", "guard", "guard.model", "guard.config")),
            Map.entry("cli", List.of("model.compiler", "format.compiler", "analysis.compiler", "model", "model.trace", "model.gosyntax", "format.gosyntax", "diagnosis.scan", "format", "format.pprof", "format.goroutine",
                    "format.runtime", "format.trace", "analysis.trace",
                    "format.bench", "format.load", "analysis.profile", "analysis.goroutine", "analysis.runtime",
                    "analysis.bench", "diagnosis", "report", "store", "engine", "guard", "guard.model", "guard.config",
                    "server", "analysis.retention")));

    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.godiag\\.([a-z.]+?)\\.[A-Z]");

    @Test
    void everyPackageUsesOnlyThePackagesLeftOfIt() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(f.getParent()).toString().replace('/', '.');
                List<String> allowed = ALLOWED.get(pkg);
                assertThat(allowed).as("package %s is not in the architecture table", pkg).isNotNull();
                Matcher m = REFERENCE.matcher(Files.readString(f));
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.equals(pkg) && !used.equals("util") && !allowed.contains(used)) {
                        violations.add(SOURCES.relativize(f) + " uses dev.godiag." + used);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
