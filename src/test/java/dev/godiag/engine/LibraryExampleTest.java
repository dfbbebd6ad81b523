package dev.godiag.engine;

import dev.godiag.format.Source;
import dev.godiag.report.DiagnosisRenderers;
import dev.godiag.report.TopTextRenderer;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "godiag as a library" example, as written there: bytes in (an upload, a scrape),
 * the same report out as the CLI prints for the file.
 */
class LibraryExampleTest {
    @Test
    void theReadmeExampleGivesTheCliReports() throws Exception {
        byte[] cpu = Files.readAllBytes(Corpus.file("go1.27/cpuwork/cpu.pprof"));
        byte[] dump = Files.readAllBytes(Corpus.file("go1.27/leakysvc/goroutine.t4.debug2.txt"));

        // -- as in the README
        Engine engine = new Engine(EngineContext.of("my-service"));
        TopResult top = engine.top(TopRequest.of(new Source.Bytes("cpu.pprof", cpu)));
        String text = TopTextRenderer.render(top.view());
        DiagnoseResult d = engine.diagnose(DiagnoseRequest.of(List.of(new Source.Bytes("goroutines.txt", dump))));
        String json = DiagnosisRenderers.json(d.report(), "my-service");
        // --

        assertThat(top.warnings()).isEmpty();
        // bytes without a file give the report the CLI prints for the file
        assertThat(text).isEqualTo(Godiag.run("top", Corpus.file("go1.27/cpuwork/cpu.pprof").toString()).stdout());
        assertThat(json).contains("\"rule\" : \"goroutines.leak\"").contains("main.leakCtx");
    }
}
