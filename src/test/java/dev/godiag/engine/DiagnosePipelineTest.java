package dev.godiag.engine;

import dev.godiag.diagnosis.Severity;
import dev.godiag.format.Source;
import dev.godiag.report.DiagnosisRenderers;
import dev.godiag.testutil.Corpus;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The diagnose pipeline as a library: bytes in, one pipeline for many concurrent requests. */
class DiagnosePipelineTest {
    private static final EngineContext CONTEXT = EngineContext.of("godiag test");

    private static DiagnoseRequest request(List<Source> inputs, boolean tabs) {
        return new DiagnoseRequest(inputs, Severity.INFO, Severity.WARNING, null, null, null, Map.of(),
                new DiagnoseRequest.Live(false, 1), tabs);
    }

    /** The report as JSON, and the tabs' pages: everything a surface shows of a result. */
    private static String shown(DiagnoseResult r) {
        StringBuilder b = new StringBuilder(DiagnosisRenderers.json(r.report(), "godiag test"));
        for (DiagnosisRenderers.Tab t : r.tabs()) {
            b.append('\n').append(t.id()).append(' ').append(t.label()).append('\n').append(t.html());
        }
        return b.append('\n').append(r.warnings()).append(r.failOnReached()).toString();
    }

    /** The whole corpus, diagnosed by 8 threads at once through one pipeline, as one thread does it. */
    @Test
    void concurrentRunsOverTheWholeCorpusEqualSequentialOnes() throws Exception {
        List<List<Source>> sets = new ArrayList<>();
        for (String dir : List.of("go1.19/cpuwork", "go1.19/leakysvc", "go1.27/cpuwork", "go1.27/leakysvc")) {
            sets.add(List.of(new Source.File(Corpus.file(dir))));
        }
        sets.add(List.of(new Source.File(Corpus.root())));
        DiagnosePipeline pipeline = new DiagnosePipeline(CONTEXT);
        List<String> sequential = new ArrayList<>();
        for (List<Source> s : sets) {
            sequential.add(shown(pipeline.run(request(s, true))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                runs.add(pool.submit(() -> {
                    // two sets per thread, every set in at least three threads at once
                    String[] out = new String[sets.size()];
                    for (int i = 0; i < 2; i++) {
                        int k = (offset + 3 * i) % sets.size();
                        out[k] = shown(pipeline.run(request(sets.get(k), true)));
                    }
                    return java.util.Arrays.asList(out);
                }));
            }
            int compared = 0;
            for (Future<List<String>> f : runs) {
                List<String> got = f.get();
                for (int k = 0; k < sets.size(); k++) {
                    if (got.get(k) != null) {
                        assertThat(got.get(k)).as("set %d", k).isEqualTo(sequential.get(k));
                        compared++;
                    }
                }
            }
            assertThat(compared).isEqualTo(16);
        } finally {
            pool.shutdownNow();
        }
        assertThat(sequential.get(1)).contains("\"rule\" : \"goroutines.leak\"");
    }

    /** Uploads: the same inputs as nameless-directory bytes give the same findings as the files. */
    @Test
    void bytesInGiveTheFilesFindings() throws Exception {
        Path dir = Corpus.file("go1.27/leakysvc");
        List<Source> files = new ArrayList<>();
        List<Source> bytes = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                files.add(new Source.File(f));
                bytes.add(new Source.Bytes(f.toString(), Files.readAllBytes(f)));
            }
        }
        DiagnosePipeline pipeline = new DiagnosePipeline(CONTEXT);
        // trace.out is no input: an explicit one fails the run, so leave it to the directory test
        List<Source> fileInputs = files.stream().filter(s -> !s.name().endsWith("trace.out")).toList();
        List<Source> byteInputs = bytes.stream().filter(s -> !s.name().endsWith("trace.out")).toList();
        assertThat(shown(pipeline.run(request(byteInputs, false))))
                .isEqualTo(shown(pipeline.run(request(fileInputs, false))));
    }

    @Test
    void whatIsNoInputFailsWithItsName() {
        DiagnosePipeline pipeline = new DiagnosePipeline(CONTEXT);
        Source notes = new Source.Bytes("notes.txt", "just words\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> pipeline.run(request(List.of(notes), false)))
                .isInstanceOf(BadInputException.class)
                .hasMessage("notes.txt: text in no format godiag reads (first line: \"just words\")");
        assertThatThrownBy(() -> pipeline.run(new DiagnoseRequest(List.of(notes), Severity.INFO, null, null, null,
                null, Map.of("cpu.hotspot.nope.info", 1.0), new DiagnoseRequest.Live(false, 1), false)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("cpu.hotspot.nope.info");
    }
}
