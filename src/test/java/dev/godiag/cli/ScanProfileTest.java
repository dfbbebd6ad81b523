package dev.godiag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.godiag.testutil.Godiag;
import dev.godiag.testutil.Peers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source of testdata/gen/hotpaths with the real profiles it wrote under Go 1.19 and 1.27
 * (src/test/resources/dev/godiag/diagnosis/rules/hotpaths): scan ranks its findings by the weight of
 * their code, each weight equal to the one computed from the real pprof's -raw dump of the same
 * profile (every sample with a frame, inlined ones included, in the lines counted once); and
 * diagnose --source-root attaches the scan findings to the profile findings they explain.
 */
class ScanProfileTest {
    private static final Path SOURCE = Path.of("testdata/gen/hotpaths");

    private static Path profiles(String v) {
        return Path.of("src/test/resources/dev/godiag/diagnosis/rules/hotpaths", v);
    }

    /** A profile as pprof -raw prints it: per sample its value at the index, and its locations' lines. */
    private record Raw(List<Long> values, List<List<Integer>> samples, Map<Integer, List<String>> lines, long total) {
        long weight(String fileSuffix, int from, int to) {
            long sum = 0;
            for (int s = 0; s < samples.size(); s++) {
                boolean in = false;
                for (int loc : samples.get(s)) {
                    for (String line : lines.getOrDefault(loc, List.of())) {
                        int colon = line.indexOf(':');
                        String file = line.substring(0, colon);
                        int n = Integer.parseInt(line.substring(colon + 1));
                        in |= file.endsWith("/" + fileSuffix) && n >= from && n <= to;
                    }
                }
                if (in) {
                    sum += values.get(s);
                }
            }
            return sum;
        }
    }

    private static final Pattern LOCATION = Pattern.compile("^\\s+(\\d+): 0x[0-9a-f]+ (?:M=\\d+ )?(.*)$");
    private static final Pattern LINE = Pattern.compile("^\\s*\\S+ (\\S+):(\\d+):\\d+ s=\\d+$");

    private static Raw raw(Path profile, int index) {
        Peers.Result r = Peers.run(List.of(Peers.pprof127().toString(), "-raw", profile.toString()), null);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<Long> values = new ArrayList<>();
        List<List<Integer>> samples = new ArrayList<>();
        Map<Integer, List<String>> lines = new HashMap<>();
        String part = "";
        int current = -1;
        long total = 0;
        for (String l : r.stdout().lines().toList()) {
            if (l.equals("Samples:") || l.equals("Locations") || l.equals("Mappings")) {
                part = l;
                continue;
            }
            if (part.equals("Samples:") && l.contains(":") && !l.contains("bytes:[") && !l.contains("/")) {
                String[] halves = l.split(":", 2);
                String[] vs = halves[0].trim().split("\\s+");
                long v = Long.parseLong(vs[index]);
                List<Integer> locs = new ArrayList<>();
                for (String id : halves[1].trim().split("\\s+")) {
                    if (!id.isEmpty()) {
                        locs.add(Integer.parseInt(id));
                    }
                }
                values.add(v);
                samples.add(locs);
                total += v;
            } else if (part.equals("Locations")) {
                Matcher m = LOCATION.matcher(l);
                String rest;
                if (m.matches()) {
                    current = Integer.parseInt(m.group(1));
                    rest = m.group(2);
                } else {
                    rest = l.trim();
                }
                Matcher ln = LINE.matcher(" " + rest);
                if (current >= 0 && ln.matches()) {
                    lines.computeIfAbsent(current, k -> new ArrayList<>()).add(ln.group(1) + ":" + ln.group(2));
                }
            }
        }
        assertThat(samples).isNotEmpty();
        return new Raw(values, samples, lines, total);
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19", "go1.27"})
    void findingsAreRankedByTheWeightOfTheirCodeAsPprofCountsIt(String v) throws Exception {
        Path cpu = profiles(v).resolve("cpu.pprof");
        Path allocs = profiles(v).resolve("allocs.pprof");
        Peers.Result r = Godiag.run("scan", "--format", "json", "--profile", cpu.toString(), "--profile",
                allocs.toString(), SOURCE.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode report = new ObjectMapper().readTree(r.stdout());
        Raw cpuRaw = raw(cpu, 1);
        Raw allocRaw = raw(allocs, 1);
        Map<String, JsonNode> byCheck = new HashMap<>();
        double previous = Double.MAX_VALUE;
        int weighed = 0;
        for (JsonNode f : report.get("findings")) {
            byCheck.putIfAbsent(f.get("check").asText(), f);
            double top = f.get("weights").isEmpty() ? 0 : f.get("weights").get(0).get("share").asDouble();
            assertThat(top).as("ranked by share").isLessThanOrEqualTo(previous);
            previous = top;
            for (JsonNode w : f.get("weights")) {
                Raw raw = w.get("profile").asText().endsWith("cpu.pprof") ? cpuRaw : allocRaw;
                long expected = raw.weight("main.go", f.get("spanStart").asInt(), f.get("spanEnd").asInt());
                assertThat(w.get("value").asLong()).as(f.toString()).isEqualTo(expected).isPositive();
                assertThat(w.get("share").asDouble()).isEqualTo((double) expected / raw.total());
                weighed++;
            }
        }
        assertThat(weighed).isPositive();
        // the worker loops the profiles were made of: time.After per iteration, a defer per element
        JsonNode timeAfter = byCheck.get("scan.time-after-in-loop");
        assertThat(timeAfter.get("function").asText()).isEqualTo("pollTimeouts");
        assertThat(timeAfter.get("weights")).isNotEmpty();
        JsonNode defer = byCheck.get("scan.defer-in-loop");
        assertThat(defer.get("function").asText()).isEqualTo("sumDeferred");
        assertThat(defer.get("weights").get(0).get("share").asDouble()).isGreaterThan(0.01);
        Peers.Result text = Godiag.run("scan", "--profile", cpu.toString(), SOURCE.toString());
        assertThat(text.stdout()).contains("Ranked by the weight of each finding's code in " + cpu + " (CPU)")
                .containsPattern("In production: lines \\d+-\\d+ are [0-9.]+% of CPU in " + Pattern.quote(cpu.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.27"})
    void diagnoseWithASourceRootShowsTheScanFindingsInTheCodeOfItsFindings(String v) throws Exception {
        Peers.Result r = Godiag.run("diagnose", "--format", "json", "--source-root", SOURCE.toString(),
                profiles(v).resolve("cpu.pprof").toString(), profiles(v).resolve("allocs.pprof").toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode report = new ObjectMapper().readTree(r.stdout());
        Map<String, List<String>> inSource = new HashMap<>();
        for (JsonNode f : report.get("findings")) {
            List<String> checks = new ArrayList<>();
            if (f.has("inSource")) {
                f.get("inSource").forEach(s -> checks.add(s.get("check").asText()));
            }
            inSource.put(f.get("rule").asText(), checks);
        }
        assertThat(inSource.get("code.time-after-loop")).contains("scan.time-after-in-loop");
        assertThat(inSource.get("code.defer-hot")).contains("scan.defer-in-loop");
        Peers.Result text = Godiag.run("diagnose", "--source-root", SOURCE.toString(),
                profiles(v).resolve("cpu.pprof").toString());
        assertThat(text.stdout()).containsPattern("in the source: \\S*main.go:\\d+ scan.time-after-in-loop: ");
    }
}
