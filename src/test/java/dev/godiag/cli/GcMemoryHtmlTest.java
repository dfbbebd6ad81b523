package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The gc and memory HTML pages: the embedded report is the --format json output; no network. */
class GcMemoryHtmlTest {
    @TempDir
    Path dir;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String[] leakysvcHeaps() {
        List<String> files = new ArrayList<>();
        for (int t = 0; t <= 4; t++) {
            files.add(Corpus.file("go1.27/leakysvc/heap.t" + t + ".pprof").toString());
        }
        return files.toArray(String[]::new);
    }

    private static String run(String... args) {
        Peers.Result r = Godiag.run(args);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout();
    }

    private static List<String> args(String command, String format, String output, String... inputs) {
        List<String> a = new ArrayList<>(List.of(command));
        if (format != null) {
            a.addAll(List.of("--format", format));
        }
        if (output != null) {
            a.addAll(List.of("-o", output));
        }
        a.addAll(List.of(inputs));
        return a;
    }

    /** The JSON inside {@code <script id="godiag-data">}. */
    static JsonNode embedded(String html) throws Exception {
        String open = "<script id=\"godiag-data\" type=\"application/json\">";
        int a = html.indexOf(open);
        assertThat(a).isGreaterThanOrEqualTo(0);
        int b = html.indexOf("</script>", a);
        return MAPPER.readTree(html.substring(a + open.length(), b));
    }

    private static void selfContained(String html) {
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html).contains("Content-Security-Policy").contains("default-src 'none'");
        assertThat(html).doesNotContainPattern("(?i)\\s(src|href)\\s*=");
        assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://").doesNotContain("https://");
        assertThat(html).doesNotContain("innerHTML").doesNotContain("insertAdjacentHTML").doesNotContain("eval(");
    }

    private void samePage(String command, String... inputs) throws Exception {
        JsonNode json = MAPPER.readTree(run(args(command, "json", null, inputs).toArray(String[]::new)));
        // by -o's extension
        Path page = dir.resolve(command + ".html");
        run(args(command, null, page.toString(), inputs).toArray(String[]::new));
        String html = Files.readString(page);
        selfContained(html);
        JsonNode data = embedded(html);
        assertThat(data.get("schema").asInt()).isEqualTo(1);
        assertThat(data.get("kind").asText()).isEqualTo(command);
        assertThat(data.get("report")).isEqualTo(json);
        // --format html to standard output: the same page
        String stdout = run(args(command, "html", null, inputs).toArray(String[]::new));
        assertThat(embedded(stdout).get("report")).isEqualTo(json);
    }

    @Test
    void gcPageEmbedsTheJsonReport() throws Exception {
        samePage("gc", Corpus.file("go1.27/leakysvc/gctrace.log").toString());
    }

    @Test
    void gcPageOfSeveralLogsEmbedsTheArray() throws Exception {
        samePage("gc", Corpus.file("go1.27/leakysvc/gctrace.log").toString(),
                Corpus.file("go1.19/cpuwork/gctrace.log").toString());
    }

    @Test
    void memoryPageEmbedsTheJsonReport() throws Exception {
        samePage("memory", leakysvcHeaps());
    }

    @Test
    void memoryPageOfAGctraceLog() throws Exception {
        samePage("memory", Corpus.file("go1.19/cpuwork/gctrace.log").toString());
    }

    @Test
    void memoryPageOfMemstatsSnapshots() throws Exception {
        List<String> vars = new ArrayList<>();
        for (int t = 0; t <= 4; t++) {
            vars.add(Corpus.file("go1.27/leakysvc/vars.t" + t + ".json").toString());
        }
        samePage("memory", vars.toArray(String[]::new));
    }

    @Test
    void hostileSourceNamesCannotEndTheScript() throws Exception {
        Path log = dir.resolve("<script>alert(1)<!--&\u2028.log");
        Files.copy(Corpus.file("go1.27/leakysvc/gctrace.log"), log);
        Path page = dir.resolve("hostile.html");
        run("gc", "-o", page.toString(), log.toString());
        String html = Files.readString(page);
        assertThat(html).doesNotContain("<script>alert(1)").doesNotContain("\u2028");
        assertThat(embedded(html).get("report").get("source").asText()).isEqualTo(log.toString());
    }
}
