package dev.godiag.cli;

import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GitHub Actions workflow in docs/ci stays in step with the CLI: it is YAML with the steps a
 * pull request needs, and every godiag command it runs names options that command has.
 */
class CiWorkflowTest {
    private static final Path WORKFLOW = Path.of("docs/ci/godiag-pull-request.yml");
    private static final Pattern CALL = Pattern.compile("\"\\$godiag\" (\\w+)((?:[^\\n]|\\\\\\n)*)");
    private static final Pattern OPTION = Pattern.compile("(?<=\\s)--([a-z][a-z-]*)");

    @Test
    @SuppressWarnings("unchecked")
    void everyGodiagCallInTheWorkflowUsesOptionsItsCommandHas() throws Exception {
        String text = Files.readString(WORKFLOW);
        Map<String, Object> doc = new Yaml().load(text);
        Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>) doc.get("jobs")).get("godiag");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) job.get("steps");
        assertThat(steps).extracting(s -> String.valueOf(s.getOrDefault("uses", ""))).anyMatch(
                u -> u.startsWith("github/codeql-action/upload-sarif"));

        List<String> commands = new ArrayList<>();
        Matcher m = CALL.matcher(text);
        while (m.find()) {
            String command = m.group(1);
            commands.add(command);
            String help = Godiag.run(command, "--help").stdout();
            Matcher o = OPTION.matcher(m.group(2));
            while (o.find()) {
                assertThat(help).as(command + " --" + o.group(1)).contains("--" + o.group(1));
            }
        }
        assertThat(commands).contains("scan", "gate");
        assertThat(text).contains("--diff").contains("--format markdown").contains("--format sarif")
                .contains(dev.godiag.report.ScanRenderers.MARKDOWN_MARKER);
        Peers.Result version = Godiag.run("--version");
        assertThat(version.exitCode()).isZero();
    }
}
