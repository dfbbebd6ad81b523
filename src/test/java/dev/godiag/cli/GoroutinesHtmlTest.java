package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The goroutine report page as a file: self-contained, its embedded report exactly the JSON
 * contract ({@code --format json}), and names from dumps inert. What the page does with it is
 * GoroutinePageBrowserTest's business.
 */
class GoroutinesHtmlTest {
    @TempDir
    Path dir;

    static final ObjectMapper MAPPER = new ObjectMapper();

    static List<String> leakysvc() {
        List<String> files = new ArrayList<>();
        for (int t = 0; t <= 4; t++) {
            files.add(Corpus.file("go1.27/leakysvc/goroutine.t" + t + ".debug2.txt").toString());
        }
        return files;
    }

    static Peers.Result run(List<String> head, List<String> files) {
        List<String> args = new ArrayList<>(head);
        args.addAll(files);
        Peers.Result r = Godiag.run(args);
        assertThat(r.exitCode()).as("godiag %s: %s", args, r.stderr()).isZero();
        return r;
    }

    @Test
    void theEmbeddedReportIsTheJsonContract() throws Exception {
        Path page = dir.resolve("g.html");
        run(List.of("goroutines", "-o", page.toString()), leakysvc());
        String html = Files.readString(page);
        JsonNode data = MAPPER.readTree(FlameHtmlTest.rawData(html));
        assertThat(data.get("schema").asInt()).isEqualTo(1);
        assertThat(data.get("kind").asText()).isEqualTo("goroutines");
        assertThat(data.get("generator").asText()).startsWith("godiag ");
        JsonNode json = MAPPER.readTree(run(List.of("goroutines", "--format", "json"), leakysvc()).stdout());
        assertThat(data.get("report")).isEqualTo(json);
        assertThat(json.get("buckets").size()).isEqualTo(11);

        // the same page on standard output with --format html, and with the filters of the command
        String stdout = run(List.of("goroutines", "--format", "html", "--verdict", "leaks"), leakysvc()).stdout();
        JsonNode leaks = MAPPER.readTree(FlameHtmlTest.rawData(stdout)).get("report");
        assertThat(leaks.get("buckets").size()).isEqualTo(7);
        assertThat(leaks.get("bucketCount").asInt()).isEqualTo(11);
    }

    @Test
    void thePageIsSelfContained() throws Exception {
        Path page = dir.resolve("g.html");
        run(List.of("goroutines", "-o", page.toString()), leakysvc());
        String html = Files.readString(page);
        assertThat(html).contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';");
        assertThat(html).doesNotContainPattern("(?i)<(link|img|iframe|object|embed)\\b");
        assertThat(html).doesNotContainPattern("(?i)\\b(src|href)\\s*=");
        assertThat(html).doesNotContainPattern("(?i)\\b(fetch|XMLHttpRequest|innerHTML|outerHTML|insertAdjacentHTML|"
                + "document\\.write)\\b");
        Matcher scripts = Pattern.compile("<script").matcher(html);
        int n = 0;
        while (scripts.find()) {
            n++;
        }
        assertThat(n).as("the data script and the page's script").isEqualTo(2);
    }

    @Test
    void hostileNamesCannotLeaveTheDataScript() throws Exception {
        String evil = "main.</script><script>alert(1)</script>";
        String sep = "main.sep\u2028line\u2029para&amp;";
        Path dump = dir.resolve("hostile.txt");
        Files.writeString(dump, """
                goroutine 7 [chan receive (nil chan)]:
                %s(0x1)
                \t/src/<img src=x onerror=alert(2)>.go:30 +0x25
                created by %s in goroutine 1
                \t/src/main.go:12 +0x33

                """.formatted(evil, sep), StandardCharsets.UTF_8);
        Path page = dir.resolve("h.html");
        run(List.of("goroutines", "--format", "html", "-o", page.toString()), List.of(dump.toString()));
        String html = Files.readString(page);
        String raw = FlameHtmlTest.rawData(html);
        assertThat(raw).doesNotContain("<", ">", "&", "\u2028", "\u2029");
        assertThat(raw).contains("\\u2028", "\\u2029");
        JsonNode bucket = MAPPER.readTree(raw).get("report").get("buckets").get(0);
        assertThat(bucket.get("frames").get(0).get("function").asText()).isEqualTo(evil);
        assertThat(bucket.get("frames").get(0).get("file").asText()).isEqualTo("/src/<img src=x onerror=alert(2)>.go");
        assertThat(bucket.get("createdBy").get("function").asText()).isEqualTo(sep);
        assertThat(html.indexOf("</script>")).isEqualTo(html.indexOf(FlameHtmlTest.OPEN) + FlameHtmlTest.OPEN.length()
                + raw.length());
    }
}
