package dev.godiag.engine;

import dev.godiag.diagnosis.Severity;
import dev.godiag.format.Source;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One diagnosis, as any surface asks for it (the CLI from flags, a server from a request).
 *
 * @param inputs          files, directories (read recursively), standard input, bytes, URLs (a
 *                        {@code /debug/pprof/} base fetches every endpoint)
 * @param minSeverity     findings below it are counted as hidden, not listed
 * @param failOn          the severity at which {@link DiagnoseResult#failOnReached()} is true; null: never
 * @param sourceRoot      where to look for the source lines of findings; null: nowhere
 * @param sourceUrl       a link template per finding ({@code {file}}, {@code {line}}); null: no links
 * @param knowledgeDir    the user's knowledge-base cards beside godiag's; null: none
 * @param thresholds      rule threshold overrides, {@code RULE.NAME.LEVEL} to value
 * @param live            a live service's CPU profile: whether to take one, and how long
 * @param tabs            whether to make the joined HTML page's tabs (flame graph, goroutines, gc, memory)
 * @param binary          the ELF executable that wrote a heap dump among the inputs (names its roots); null: none
 */
public record DiagnoseRequest(List<Source> inputs, Severity minSeverity, Severity failOn, Path sourceRoot,
                              String sourceUrl, Path knowledgeDir, Map<String, Double> thresholds,
                              Live live, boolean tabs, Path binary) {
    public DiagnoseRequest {
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(minSeverity);
        thresholds = Map.copyOf(thresholds);
        Objects.requireNonNull(live);
    }

    /** A request without a binary (no heap dump is read). */
    public DiagnoseRequest(List<Source> inputs, Severity minSeverity, Severity failOn, Path sourceRoot,
                           String sourceUrl, Path knowledgeDir, Map<String, Double> thresholds, Live live, boolean tabs) {
        this(inputs, minSeverity, failOn, sourceRoot, sourceUrl, knowledgeDir, thresholds, live, tabs, null);
    }

    /** Every input with the defaults: findings from info up, no fail-on, no sources, godiag's cards, a 5 s CPU profile of live services, no HTML tabs. */
    public static DiagnoseRequest of(List<Source> inputs) {
        return new DiagnoseRequest(inputs, Severity.INFO, null, null, null, null, Map.of(), new Live(true, 5), false);
    }

    /** The same request with the HTML page's tabs made too. */
    public DiagnoseRequest withTabs() {
        return new DiagnoseRequest(inputs, minSeverity, failOn, sourceRoot, sourceUrl, knowledgeDir, thresholds, live,
                true, binary);
    }

    /** The same request, with the binary that wrote a heap dump among the inputs. */
    public DiagnoseRequest withBinary(Path binary) {
        return new DiagnoseRequest(inputs, minSeverity, failOn, sourceRoot, sourceUrl, knowledgeDir, thresholds, live,
                tabs, binary);
    }

    /** A live service's fetch: whether to take a CPU profile from a /debug/pprof/ base, and its length. */
    public record Live(boolean cpu, int seconds) {
        public Live {
            if (seconds < 1) {
                throw new IllegalArgumentException("a CPU profile lasts at least 1 second");
            }
        }
    }
}
