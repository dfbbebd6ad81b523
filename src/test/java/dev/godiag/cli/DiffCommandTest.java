package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Corpus;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "godiag diff BASE NEW" against an independent source: the rows of the real
 * {@code pprof -top -diff_base=BASE [-normalize] NEW}, which are NEW - BASE per node, must equal
 * godiag's flatDelta and cumDelta, node for node, with and without normalization.
 */
class DiffCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A pprof -top row with integer values (-unit=B or ns, or counts): flat, cum, name. */
    private static final Pattern ROW = Pattern.compile(
            "^\\s*(-?\\d+)(?:B|ns)?\\s+\\S+%\\s+\\S+%\\s+(-?\\d+)(?:B|ns)?\\s+\\S+%  (.*)$");

    private static String file(String relative) {
        return Corpus.file(relative).toString();
    }

    @ParameterizedTest(name = "{0} -> {1} {2} normalize={3} {4}")
    @CsvSource({
            "go1.27/leakysvc/heap.t1.pprof, go1.27/leakysvc/heap.t4.pprof, B, false, ''",
            "go1.27/leakysvc/heap.t1.pprof, go1.27/leakysvc/heap.t4.pprof, B, true, ''",
            "go1.27/leakysvc/heap.t0.pprof, go1.27/leakysvc/heap.t4.pprof, B, true, -sample_index=alloc_space",
            "go1.27/leakysvc/heap.t0.pprof, go1.27/leakysvc/heap.t3.pprof, count, true, -sample_index=alloc_objects",
            "go1.19/cpuwork/cpu.pprof, go1.27/cpuwork/cpu.pprof, ns, false, ''",
            "go1.19/cpuwork/cpu.pprof, go1.27/cpuwork/cpu.pprof, ns, true, ''",
            "go1.19/cpuwork/cpu.pprof, go1.27/cpuwork/cpu.pprof, ns, true, -lines",
            "go1.27/leakysvc/goroutine.t0.pprof, go1.27/leakysvc/goroutine.t4.pprof, count, false, ''",
            "go1.27/leakysvc/goroutine.t0.pprof, go1.27/leakysvc/goroutine.t4.pprof, count, true, ''",
            "go1.27/cpuwork/heap.debug1.txt, go1.27/cpuwork/heap.pprof, B, true, -sample_index=alloc_space"})
    void deltasAreThoseOfPprofDiffBase(String base, String neu, String unit, boolean normalize, String extra)
            throws Exception {
        String pprof = Peers.pprof127().toString();
        List<String> pcmd = new ArrayList<>(List.of(pprof, "-top", "-diff_base=" + file(base), "-nodecount=100000",
                "-nodefraction=0", "-edgefraction=0"));
        if (!unit.equals("count")) {
            pcmd.add("-unit=" + unit);
        }
        if (normalize) {
            pcmd.add("-normalize");
        }
        if (!extra.isEmpty()) {
            pcmd.add(extra);
        }
        pcmd.add(file(neu));
        Peers.Result p = Peers.run(pcmd, null);
        assertThat(p.exitCode()).as(p.stderr()).isZero();
        Map<String, long[]> want = new HashMap<>();
        Set<String> duplicates = new HashSet<>();
        for (String line : p.stdout().split("\n")) {
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String name = m.group(3).replaceFirst(" \\((inline|partial-inline)\\)$", "");
            if (want.put(name, new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))}) != null) {
                duplicates.add(name);
            }
        }
        assertThat(want).as(p.stdout()).isNotEmpty();

        List<String> cmd = new ArrayList<>(List.of("diff", "--format", "json", "--nodecount", "0",
                "--normalize=" + normalize));
        if (!extra.isEmpty()) {
            cmd.add(extra);
        }
        cmd.add(file(base));
        cmd.add(file(neu));
        Peers.Result r = Godiag.run(cmd);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode json = JSON.readTree(r.stdout());
        assertThat(json.get("normalized").asBoolean()).isEqualTo(normalize);
        Map<String, long[]> got = new HashMap<>();
        for (JsonNode row : json.get("rows")) {
            long[] v = {row.get("flatDelta").asLong(), row.get("cumDelta").asLong()};
            assertThat(v[0]).isEqualTo(row.get("newFlat").asLong() - row.get("baseFlat").asLong());
            assertThat(v[1]).isEqualTo(row.get("newCum").asLong() - row.get("baseCum").asLong());
            got.merge(row.get("name").asText(), v, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        }
        // pprof's rows are its graph's nodes with a non-zero value: exactly those that changed
        Set<String> names = new HashSet<>(want.keySet());
        names.addAll(got.keySet());
        names.removeAll(duplicates);
        for (String name : names) {
            long[] w = want.getOrDefault(name, new long[2]);
            long[] g = got.getOrDefault(name, new long[2]);
            assertThat(g).as("flat and cum delta of %s", name).containsExactly(w);
        }
        assertThat(got.keySet()).containsAll(want.keySet());
    }

    @Test
    void heapGrowthTopGainerInTextAndMarkdown() {
        String t1 = file("go1.27/leakysvc/heap.t1.pprof");
        String t4 = file("go1.27/leakysvc/heap.t4.pprof");
        // by default the growth is shown as it is (pprof does not normalize unless asked): 1.06MB -> 10.64MB
        Peers.Result text = Godiag.run("diff", "--nodecount", "3", t1, t4);
        assertThat(text.exitCode()).as(text.stderr()).isZero();
        assertThat(text.stdout()).startsWith("Type: inuse_space\n").doesNotContain("normalized");
        String gainers = section(text.stdout(), "Top gainers by flat:");
        assertThat(gainers.lines().skip(2).findFirst().orElseThrow()).endsWith("  main.mem").contains("+900%");
        // normalized on request, NEW scaled to BASE's total: the leak then looks like +77.5%
        Peers.Result scaled = Godiag.run("diff", "--normalize", "--nodecount", "3", t1, t4);
        assertThat(scaled.stdout()).contains("normalized to the base's total");
        assertThat(section(scaled.stdout(), "Top gainers by flat:").lines().skip(2).findFirst().orElseThrow())
                .endsWith("  main.mem").contains("+77.5%");

        Peers.Result md = Godiag.run("diff", "--format", "markdown", "--normalize=false", t1, t4);
        assertThat(md.exitCode()).as(md.stderr()).isZero();
        assertThat(md.stdout()).startsWith("### godiag diff: `inuse_space`")
                .contains("| function | base | new | delta | delta % |\n|---|---:|---:|---:|---:|\n"
                        + "| `main.mem` | 1.06MB | 10.64MB | +9.57MB | +900% |");
    }

    private static String section(String text, String title) {
        int from = text.indexOf(title);
        assertThat(from).as(text).isGreaterThanOrEqualTo(0);
        int to = text.indexOf("\n\n", from);
        return text.substring(from, to < 0 ? text.length() : to);
    }

    /** CPU of Go 1.19 vs 1.27, absolute: values checked by hand against both pprof -top reports. */
    @Test
    void relativeChangeAndNewGoneMarkers() throws Exception {
        String base = file("go1.19/cpuwork/cpu.pprof");
        String neu = file("go1.27/cpuwork/cpu.pprof");
        Peers.Result text = Godiag.run("diff", "--normalize=false", "--nodecount", "0", "--unit", "ms", base, neu);
        assertThat(text.exitCode()).as(text.stderr()).isZero();
        // main.fib: 180ms flat in 1.19, 140ms in 1.27: -40ms, -22.2%
        assertThat(section(text.stdout(), "Top losers by flat:"))
                .containsPattern("\\n\\s+180ms\\s+140ms\\s+-40ms\\s+-22\\.2%  main\\.fib\\n")
                // runtime.lock2 does not occur in 1.27 at all
                .containsPattern("\\n\\s+200ms\\s+0\\s+-200ms\\s+gone  runtime\\.lock2 \\(only in base\\)\\n");
        // Syscall6 is a 1.27 function (the 1.19 one was syscall.Syscall6)
        assertThat(section(text.stdout(), "Top gainers by flat:"))
                .containsPattern("\\n\\s+0\\s+90ms\\s+\\+90ms\\s+new  internal/runtime/syscall/linux\\.Syscall6"
                        + " \\(only in new\\)\\n");

        JsonNode json = JSON.readTree(Godiag.run("diff", "--format", "json", "--normalize=false", "--nodecount",
                "0", base, neu).stdout());
        assertThat(json.get("scale").asDouble()).isEqualTo(1.0);
        assertThat(json.get("baseTotal").asLong()).isEqualTo(1_950_000_000L);
        assertThat(json.get("newTotal").asLong()).isEqualTo(800_000_000L);
        Map<String, JsonNode> rows = new HashMap<>();
        json.get("rows").forEach(r -> rows.put(r.get("name").asText(), r));
        JsonNode fib = rows.get("main.fib");
        assertThat(fib.get("function").asText()).isEqualTo("main.fib");
        assertThat(fib.get("flatDelta").asLong()).isEqualTo(-40_000_000L);
        assertThat(fib.get("flatDeltaPercent").asDouble()).isEqualTo(-22.2222);
        assertThat(fib.get("onlyIn").isNull()).isTrue();
        JsonNode lock2 = rows.get("runtime.lock2");
        assertThat(lock2.get("onlyIn").asText()).isEqualTo("base");
        assertThat(lock2.get("flatDeltaPercent").asDouble()).isEqualTo(-100.0);
        JsonNode sys = rows.get("internal/runtime/syscall/linux.Syscall6");
        assertThat(sys.get("onlyIn").asText()).isEqualTo("new");
        assertThat(sys.get("flatDeltaPercent").isNull()).isTrue();
        assertThat(sys.get("baseFlat").asLong()).isZero();
    }

    @Test
    void normalizationScalesNewToBaseTotal() throws Exception {
        JsonNode absolute = JSON.readTree(Godiag.run("diff", "--format", "json", file("go1.19/cpuwork/cpu.pprof"),
                file("go1.27/cpuwork/cpu.pprof")).stdout());
        assertThat(absolute.get("normalized").asBoolean()).isFalse();
        assertThat(absolute.get("newTotal").asLong()).isEqualTo(800_000_000L);
        JsonNode json = JSON.readTree(Godiag.run("diff", "--format", "json", "--normalize",
                file("go1.19/cpuwork/cpu.pprof"), file("go1.27/cpuwork/cpu.pprof")).stdout());
        assertThat(json.get("normalized").asBoolean()).isTrue();
        assertThat(json.get("scale").asDouble()).isEqualTo(1950.0 / 800.0);
        assertThat(json.get("newTotalRaw").asLong()).isEqualTo(800_000_000L);
        // each sample is scaled and rounded, so the total is the base's up to rounding
        assertThat(json.get("newTotal").asLong()).isCloseTo(1_950_000_000L,
                org.assertj.core.data.Offset.offset(1000L));
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        Peers.Result kinds = Godiag.run("diff", file("go1.27/cpuwork/cpu.pprof"),
                file("go1.27/leakysvc/heap.t4.pprof"));
        assertThat(kinds.exitCode()).isEqualTo(2);
        assertThat(kinds.stderr().strip()).doesNotContain("\n").contains("different kinds");

        Peers.Result missing = Godiag.run("diff", file("go1.27/cpuwork/cpu.pprof"), "no-such.pprof");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr().strip()).doesNotContain("\n").contains("no-such.pprof");

        Peers.Result one = Godiag.run("diff", file("go1.27/cpuwork/cpu.pprof"));
        assertThat(one.exitCode()).isEqualTo(2);
        assertThat(one.stderr().strip()).doesNotContain("\n").contains("BASE and NEW");

        Peers.Result fmt = Godiag.run("diff", "--format", "xml", file("go1.27/cpuwork/cpu.pprof"),
                file("go1.19/cpuwork/cpu.pprof"));
        assertThat(fmt.exitCode()).isEqualTo(2);
    }
}
