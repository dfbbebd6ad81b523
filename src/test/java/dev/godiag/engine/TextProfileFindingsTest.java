package dev.godiag.engine;

import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Severity;
import dev.godiag.format.Source;
import dev.godiag.report.DiagnosisRenderers;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.PprofTop;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * debug=1 text block and mutex profiles give the findings their proto forms give: Go writes each
 * frame's function and line in the text's comments, which pprof does not read (it shows addresses,
 * and so did diagnose: "No findings"); diagnose reads them.
 */
class TextProfileFindingsTest {
    private static final Engine ENGINE = new Engine(EngineContext.of("godiag test"));

    static List<Finding> diagnose(Path... files) {
        DiagnoseRequest r = new DiagnoseRequest(List.of(files).stream().<Source>map(Source.File::new).toList(),
                Severity.INFO, null, null, null, null, Map.of(), new DiagnoseRequest.Live(false, 1), false);
        return ENGINE.diagnose(r).report().items().stream().map(DiagnosisRenderers.Item::finding).toList();
    }

    static String verdict(Finding f) {
        return f.rule() + " " + f.severity().id() + " " + f.location().function() + " " + f.location().file() + ":"
                + f.location().line();
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void blockAndMutexTextGiveTheProtoFormsFindings(String v) {
        Path dir = Corpus.file(v + "/cpuwork");
        List<Finding> text = diagnose(dir.resolve("block.debug1.txt"), dir.resolve("mutex.debug1.txt"));
        List<Finding> proto = diagnose(dir.resolve("block.pprof"), dir.resolve("mutex.pprof"));
        assertThat(text).extracting(TextProfileFindingsTest::verdict)
                .isEqualTo(proto.stream().map(TextProfileFindingsTest::verdict).toList())
                .contains("locks.contention critical main.hotLock example.com/shop/cpuwork/main.go:104");
        // the block profile's wait is the same number in both forms, as pprof reads the proto form
        long waitNs = PprofTop.run(dir.resolve("block.pprof"), "delay", "ns", "-focus=^main\\.hotLock$",
                "-show_from=^sync\\.\\(\\*Mutex\\)\\.Lock$").values().stream().mapToLong(r -> r[0]).sum();
        assertThat(text.get(0).evidence().get("waitDelaySeconds")).isEqualTo(proto.get(0).evidence().get("waitDelaySeconds"));
        assertThat((double) text.get(0).evidence().get("waitDelaySeconds")).isCloseTo(waitNs / 1e9,
                org.assertj.core.data.Offset.offset(1e-5));
    }

    /** What top reads and diagnose cannot use is refused as what it is, never with another kind's error. */
    @org.junit.jupiter.api.Test
    void foldedStacksAreRefusedAsWhatTheyAre(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path folded = java.nio.file.Files.writeString(dir.resolve("cpu.folded"), "main.main;main.work 10\nmain.main 3\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> diagnose(folded))
                .isInstanceOf(dev.godiag.util.BadInputException.class)
                .hasMessageStartingWith(folded + ": a profile of ")
                .hasMessageContaining("folded stacks carry none")
                .hasMessageContaining("godiag top reads it")
                .hasMessageNotContaining("gctrace");
    }
}
