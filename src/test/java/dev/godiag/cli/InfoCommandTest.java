package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** "godiag info": its sample types, totals and sample count against pprof's own reading of the file. */
class InfoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOTAL = Pattern.compile("of (\\d+)(?:ns|B)? total");

    @ParameterizedTest
    @ValueSource(strings = {"go1.27/cpuwork/cpu.pprof", "go1.19/cpuwork/heap.pprof", "go1.27/leakysvc/heap.t4.pprof",
            "go1.27/cpuwork/block.pprof", "go1.19/leakysvc/goroutine.t3.pprof", "go1.27/cpuwork/allocs.debug1.txt",
            "go1.27/leakysvc/mutex.debug1.txt"})
    void totalsAndCountsArePprofs(String file) throws Exception {
        String path = Corpus.file(file).toString();
        Peers.Result r = Godiag.run("info", "--format", "json", path);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode info = JSON.readTree(r.stdout());
        JsonNode types = info.get("sampleTypes");
        assertThat(types.size()).isPositive();
        for (int i = 0; i < types.size(); i++) {
            String unit = types.get(i).get("unit").asText();
            String baseUnit = unit.equals("bytes") ? "B" : unit.equals("nanoseconds") ? "ns" : "";
            List<String> cmd = new java.util.ArrayList<>(List.of(Peers.pprof127().toString(), "-top", "-nodecount=1",
                    "-sample_index=" + i));
            if (!baseUnit.isEmpty()) {
                cmd.add("-unit=" + baseUnit);
            }
            cmd.add(path);
            Peers.Result p = Peers.run(cmd, null);
            assertThat(p.exitCode()).as(p.stderr()).isZero();
            assertThat(p.stdout()).contains("Type: " + types.get(i).get("type").asText());
            Matcher m = TOTAL.matcher(p.stdout());
            assertThat(m.find()).as(p.stdout()).isTrue();
            assertThat(types.get(i).get("total").asLong()).as("total of %s", types.get(i)).isEqualTo(Long.parseLong(m.group(1)));
        }
        // pprof's -raw lists one line per sample under "Samples:", up to "Locations"
        String raw = Peers.run(List.of(Peers.pprof127().toString(), "-raw", path), null).stdout();
        String samples = raw.substring(raw.indexOf("Samples:"), raw.indexOf("\nLocations"));
        long sampleLines = samples.lines().filter(l -> l.matches("^\\s*-?\\d+(\\s+-?\\d+)*:.*")).count();
        assertThat(info.get("samples").asLong()).isEqualTo(sampleLines);
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.27/cpuwork/heap.debug1.txt", "go1.27/leakysvc/heap.t4.pprof"})
    void textNamesTheFormatAndTheDefaultType(String file) {
        Peers.Result r = Godiag.run("info", Corpus.file(file).toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("inuse_space").contains("(default)").containsPattern("format: +(heap profile|profile.proto)");
    }
}
