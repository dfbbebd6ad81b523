package dev.godiag.analysis.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.report.TraceHtmlRenderer;
import dev.godiag.report.TraceRenderers;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.TraceFixtures;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time sections in the report: the JSON carries each analysis' numbers as computed, the text
 * names them, and the page embeds that JSON with a section element per analysis (the pages are also
 * written under target/trace-pages for a look in a browser).
 */
class TraceTimePageTest {
    @Test
    void jsonTextAndPageCarryTheTimeSections() throws Exception {
        for (Path trace : new Path[] {TraceFixtures.allScenarios127(), Corpus.file("go1.27/cpuwork/trace.out")}) {
            TraceAnalysis a = TraceAnalyses.of(trace);
            JsonNode j = new ObjectMapper().readTree(TraceRenderers.json(a));
            assertThat(j.at("/schedulerLatency/waits/count").asLong()).isEqualTo(a.schedulerLatency().waits().count());
            assertThat(j.at("/schedulerLatency/waits/p99Nanos").asLong())
                    .isEqualTo(a.schedulerLatency().waits().p99Nanos());
            assertThat(j.at("/gc/cycles").asLong()).isEqualTo(a.gc().cycles());
            assertThat(j.at("/gc/mmu/0/utilization").asDouble()).isEqualTo(a.gc().mmu().getFirst().utilization());
            assertThat(j.at("/heatmap/buckets").size()).isEqualTo(a.heatmap().buckets().size());
            assertThat(j.at("/userTasks/tasks").size()).isEqualTo(a.userTasks().tasks().size());
            String text = TraceRenderers.text(a);
            assertThat(text).contains("Scheduler latency", "minimum mutator utilization", "Goroutine states over time");
            assertThat(TraceRenderers.markdown(a)).contains("#### Scheduler latency");
            ByteArrayOutputStream page = new ByteArrayOutputStream();
            TraceHtmlRenderer.write(a, "godiag test", page);
            String html = page.toString(StandardCharsets.UTF_8);
            assertThat(html).contains("id=\"heatmap\"", "id=\"sched-latency\"", "id=\"gc-trace\"", "id=\"user-tasks\"",
                    "\"schedulerLatency\"");
            Path out = Path.of("target/trace-pages", trace.getFileName() + ".html");
            Files.createDirectories(out.getParent());
            try (OutputStream os = Files.newOutputStream(out)) {
                page.writeTo(os);
            }
        }
    }
}
