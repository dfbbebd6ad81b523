package dev.godiag.bench;

import dev.godiag.format.Gzip;
import dev.godiag.format.pprof.ProtoProfileReader;
import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.model.Profile;
import dev.godiag.model.SampleTable;
import dev.godiag.model.ValueType;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StressProfileGeneratorTest {
    private static final double SCALE = 0.01;

    @Test
    void smallProfileReadsBackWithTheExpectedCounts() {
        StressProfileGenerator.Config cfg = StressProfileGenerator.Config.of(SCALE);
        byte[] gz = ProtoProfileWriter.toBytes(StressProfileGenerator.generate(42, cfg));
        assertTrue(Gzip.isGzip(gz));
        Profile p = ProtoProfileReader.read(Gzip.gunzip(gz, Long.MAX_VALUE));

        assertEquals(List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds")),
                p.sampleTypes());
        assertEquals(new ValueType("cpu", "nanoseconds"), p.periodType());
        assertEquals(StressProfileGenerator.PERIOD, p.period());
        assertTrue(p.timeNanos() > 0 && p.durationNanos() > 0);
        assertEquals(1, p.mappings().size());
        assertTrue(!p.mappings().get(0).file().isEmpty() && !p.mappings().get(0).buildId().isEmpty());

        assertEquals(cfg.samples(), p.samples().size());
        assertEquals(cfg.stacks(), StressProfileGenerator.distinctStacks(p));
        assertEquals(cfg.functions(), p.functions().size());

        SampleTable s = p.samples();
        int minDepth = Integer.MAX_VALUE;
        int maxDepth = 0;
        int withEndpoint = 0;
        int withBytes = 0;
        Set<String> endpoints = new HashSet<>();
        Set<String> requests = new HashSet<>();
        boolean recursion = false;
        for (int i = 0; i < s.size(); i++) {
            minDepth = Math.min(minDepth, s.depth(i));
            maxDepth = Math.max(maxDepth, s.depth(i));
            assertEquals(s.value(i, 0) * StressProfileGenerator.PERIOD, s.value(i, 1));
            for (int j = s.labelStart[i]; j < s.labelStart[i + 1]; j++) {
                switch (s.labelKey[j]) {
                    case "endpoint" -> {
                        withEndpoint++;
                        endpoints.add(s.labelStr[j]);
                    }
                    case "request_id" -> requests.add(s.labelStr[j]);
                    case "bytes" -> {
                        withBytes++;
                        assertEquals("bytes", s.labelUnit[j]);
                    }
                    default -> throw new AssertionError("unexpected label " + s.labelKey[j]);
                }
            }
            recursion |= repeatsAFunction(p, i);
        }
        assertTrue(minDepth >= StressProfileGenerator.MIN_DEPTH, "min depth " + minDepth);
        assertTrue(maxDepth <= StressProfileGenerator.MAX_DEPTH, "max depth " + maxDepth);
        assertTrue(withEndpoint > s.size() * 0.9, "endpoint labels on " + withEndpoint);
        assertTrue(withBytes > s.size() / 10, "bytes labels on " + withBytes);
        assertTrue(endpoints.size() > 20, endpoints.size() + " endpoints");
        assertTrue(requests.size() > cfg.requestIds() / 2, requests.size() + " request ids");
        assertTrue(recursion, "no stack repeats an application function");

        int maxLines = 0;
        for (int l = 0; l < p.locations().size(); l++) {
            maxLines = Math.max(maxLines, p.locations().lineCount(l));
        }
        assertEquals(3, maxLines, "inlined frames");
    }

    @Test
    void sameSeedSameBytes() {
        StressProfileGenerator.Config cfg = StressProfileGenerator.Config.of(SCALE);
        byte[] a = ProtoProfileWriter.toUncompressedBytes(StressProfileGenerator.generate(7, cfg));
        byte[] b = ProtoProfileWriter.toUncompressedBytes(StressProfileGenerator.generate(7, cfg));
        byte[] c = ProtoProfileWriter.toUncompressedBytes(StressProfileGenerator.generate(8, cfg));
        assertArrayEquals(a, b);
        assertTrue(!Arrays.equals(a, c));
    }

    @Test
    void goPprofAcceptsIt(@TempDir Path tmp) throws Exception {
        Path go = Tools.go127();
        Path file = tmp.resolve("stress.pb.gz");
        Files.write(file, ProtoProfileWriter.toBytes(StressProfileGenerator.generate(3,
                StressProfileGenerator.Config.of(SCALE))));
        ProcessBuilder pb = new ProcessBuilder(go.toString(), "tool", "pprof", "-top", "-nodecount=10",
                file.toString());
        pb.environment().put("GOTOOLCHAIN", "local");
        pb.redirectErrorStream(true);
        Process proc = pb.start();
        proc.getOutputStream().close();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "go tool pprof timed out");
        assertEquals(0, proc.exitValue(), out);
        assertTrue(out.contains("Type: cpu") && out.contains("flat%"), out);
    }

    private static boolean repeatsAFunction(Profile p, int sample) {
        SampleTable s = p.samples();
        Set<Integer> fns = new HashSet<>();
        for (int j = s.locStart[sample]; j < s.locStart[sample + 1]; j++) {
            int loc = s.locations[j];
            for (int l = p.locations().lineStart[loc]; l < p.locations().lineStart[loc + 1]; l++) {
                int f = p.locations().lineFunction[l];
                // the middleware chain repeats net/http.HandlerFunc.ServeHTTP; look for the application's
                if (!fns.add(f) && p.functions().name[f].startsWith("example.com/svc/pkg")) {
                    return true;
                }
            }
        }
        return false;
    }
}
