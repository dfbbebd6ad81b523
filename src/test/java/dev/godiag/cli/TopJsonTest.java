package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON form of top: its raw integers must be pprof's numbers. pprof prints exact integers when
 * asked for the base unit (-unit=ns, -unit=B), which is the independent source here.
 */
class TopJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROW = Pattern.compile(
            "^\\s*(-?[\\d.]+)(ns|B)?\\s+\\S+\\s+\\S+\\s+(-?[\\d.]+)(ns|B)?\\s+\\S+\\s+(.*)$");

    @ParameterizedTest
    @CsvSource({
            "go1.27/cpuwork/cpu.pprof, '', ns",
            "go1.19/cpuwork/cpu.pprof, '', ns",
            "go1.27/leakysvc/heap.t4.pprof, alloc_space, B",
            "go1.27/cpuwork/block.pprof, delay, ns",
            "go1.27/leakysvc/goroutine.t3.pprof, '', ''",
            "go1.19/cpuwork/allocs.debug1.txt, alloc_space, B"})
    void rawValuesArePprofsIntegers(String file, String sampleIndex, String baseUnit) throws Exception {
        String path = Corpus.file(file).toString();
        List<String> pprofCmd = new ArrayList<>(List.of(Peers.pprof127().toString(), "-top", "-nodecount=25"));
        List<String> godiagCmd = new ArrayList<>(List.of("top", "--format", "json", "--nodecount", "25"));
        if (!sampleIndex.isEmpty()) {
            pprofCmd.add("-sample_index=" + sampleIndex);
            godiagCmd.add("--sample-index=" + sampleIndex);
        }
        if (!baseUnit.isEmpty()) {
            pprofCmd.add("-unit=" + baseUnit);
        }
        pprofCmd.add(path);
        godiagCmd.add(path);
        Peers.Result want = Peers.run(pprofCmd, null);
        assertThat(want.exitCode()).as(want.stderr()).isZero();
        Peers.Result got = Godiag.run(godiagCmd);
        assertThat(got.exitCode()).as(got.stderr()).isZero();
        JsonNode doc = JSON.readTree(got.stdout());

        List<String[]> rows = new ArrayList<>();
        boolean inRows = false;
        for (String line : want.stdout().split("\n")) {
            if (line.startsWith("      flat  flat%")) {
                inRows = true;
                continue;
            }
            if (inRows) {
                Matcher m = ROW.matcher(line);
                assertThat(m.matches()).as(line).isTrue();
                rows.add(new String[] {m.group(1), m.group(3), m.group(5)});
            }
        }
        JsonNode jrows = doc.get("rows");
        assertThat(jrows.size()).isEqualTo(rows.size());
        long flatSum = 0;
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = jrows.get(i);
            String name = rows.get(i)[2].replace(" (inline)", "").replace(" (partial-inline)", "");
            assertThat(r.get("name").asText()).isEqualTo(name);
            assertThat(r.get("flat").asLong()).as(name).isEqualTo(Long.parseLong(rows.get(i)[0]));
            assertThat(r.get("cum").asLong()).as(name).isEqualTo(Long.parseLong(rows.get(i)[1]));
            flatSum += r.get("flat").asLong();
            assertThat(r.get("sumPercent").asDouble())
                    .isCloseTo(100.0 * flatSum / doc.get("total").asLong(), org.assertj.core.data.Offset.offset(1e-3));
        }
        assertThat(doc.get("shownTotal").asLong()).isEqualTo(flatSum);
        // the legend is the text report's header, line for line
        String text = Godiag.run(godiagCmd.stream().map(a -> a.equals("json") ? "text" : a).toList()).stdout();
        List<String> legend = new ArrayList<>();
        doc.get("legend").forEach(n -> legend.add(n.asText()));
        assertThat(text).startsWith(String.join("\n", legend) + "\n      flat  flat%");
    }
}
