package dev.godiag.format.pprof;

import dev.godiag.format.Gzip;
import dev.godiag.model.FunctionTable;
import dev.godiag.model.LocationTable;
import dev.godiag.model.Mapping;
import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.SampleTable;
import dev.godiag.model.ValueType;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProtoProfileWriterTest {
    private static final Path CORPUS = Path.of("..", "shared", "corpus", "go1.27", "cpuwork");

    static Stream<Path> corpusProfiles() throws IOException {
        if (!Files.isDirectory(CORPUS)) {
            return Stream.empty();
        }
        try (Stream<Path> s = Files.list(CORPUS)) {
            List<Path> files = s.filter(f -> f.getFileName().toString().endsWith(".pprof")).sorted().toList();
            return files.stream();
        }
    }

    @Test
    void corpusIsPresentOrSkipped() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS), "corpus absent: " + CORPUS);
        assertTrue(corpusProfiles().findAny().isPresent(), "no .pprof files in " + CORPUS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusProfiles")
    void roundTripKeepsEveryColumn(Path file) throws IOException {
        Profile original = readFile(file);
        Profile gz = ProtoProfileReader.read(Gzip.gunzip(ProtoProfileWriter.toBytes(original), Long.MAX_VALUE));
        assertSameProfile(original, gz);
        Profile raw = ProtoProfileReader.read(ProtoProfileWriter.toUncompressedBytes(original));
        assertSameProfile(original, raw);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusProfiles")
    void goPprofSeesTheSameProfile(Path file, @TempDir Path tmp) throws Exception {
        Path go = Tools.go127();
        Path rewritten = tmp.resolve(file.getFileName());
        Files.write(rewritten, ProtoProfileWriter.toBytes(readFile(file)));
        String want = pprofRaw(go, file);
        String got = pprofRaw(go, rewritten);
        assertEquals(want, got, "go tool pprof -raw differs for " + file.getFileName());
    }

    @Test
    void everyFieldSurvivesARoundTrip() {
        ProfileBuilder b = new ProfileBuilder("pprof");
        b.sampleType("alloc_objects", "count").sampleType("alloc_space", "bytes")
                .period(new ValueType("space", "bytes"), 524288).time(1_700_000_000_123_456_789L)
                .duration(6_000_000_000L).comment("first comment").comment("second, ünïcode")
                .dropFrames("runtime\\..*").keepFrames("main\\..*").defaultSampleType("alloc_space")
                .docUrl("https://example.com/doc");
        b.addMapping(new Mapping(1, 0x400000, 0x598000, 0, "/bin/app", "abc123", true, true, true, true));
        b.addMapping(new Mapping(7, 0x7f0000000000L, 0x7f0000002000L, 0x1000, "[vdso]", "", false, false, false,
                false));
        int f0 = b.addFunction(10, "main.main", "main.main", "main.go", 12);
        int f1 = b.addFunction(Long.MAX_VALUE, "main.inl", "", "", 0);
        b.addLine(f1, 40, 7);
        b.addLine(f0, 20, 0);
        int l0 = b.endLocation(3, 0, 0x401234, false);
        b.addLine(f0, 21, 3);
        int l1 = b.endLocation((1L << 40) + 5, -1, 0, true);
        int l2 = b.endLocation(99, 1, 0x7f0000000010L, false); // no lines
        b.addSampleLocation(l0);
        b.addSampleLocation(l1);
        b.addSampleLocation(l2);
        b.addLabel("endpoint", "/api");
        b.addNumLabel("bytes", 4096, "bytes");
        b.addNumLabel("n", -3, null);
        b.endSample(2, -5);
        b.endSample(0, Long.MIN_VALUE); // no locations
        b.addSampleLocation(l1);
        b.endSample(1, 1);
        Profile p = b.build();
        assertSameProfile(p, ProtoProfileReader.read(ProtoProfileWriter.toUncompressedBytes(p)));
        assertSameProfile(p, ProtoProfileReader.read(Gzip.gunzip(ProtoProfileWriter.toBytes(p), Long.MAX_VALUE)));
    }

    @Test
    void writesGzipAndStringTableStartsEmpty() throws IOException {
        ProfileBuilder b = new ProfileBuilder("pprof");
        b.sampleType("samples", "count");
        Profile p = b.build();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        ProtoProfileWriter.write(p, gz);
        assertTrue(Gzip.isGzip(gz.toByteArray()));
        byte[] raw = ProtoProfileWriter.toUncompressedBytes(p);
        Profile back = ProtoProfileReader.read(raw);
        assertEquals(List.of(new ValueType("samples", "count")), back.sampleTypes());
        assertEquals(0, back.samples().size());
    }

    static void assertSameProfile(Profile want, Profile got) {
        assertEquals(want.kind(), got.kind());
        assertEquals(want.sampleTypes(), got.sampleTypes());
        assertEquals(want.periodType(), got.periodType());
        assertEquals(want.period(), got.period());
        assertEquals(want.timeNanos(), got.timeNanos());
        assertEquals(want.durationNanos(), got.durationNanos());
        assertEquals(want.comments(), got.comments());
        assertEquals(want.dropFrames(), got.dropFrames());
        assertEquals(want.keepFrames(), got.keepFrames());
        assertEquals(want.defaultSampleType(), got.defaultSampleType());
        assertEquals(want.docUrl(), got.docUrl());
        assertEquals(want.mappings(), got.mappings());

        FunctionTable wf = want.functions();
        FunctionTable gf = got.functions();
        assertArrayEquals(wf.id, gf.id, "function id");
        assertArrayEquals(wf.name, gf.name, "function name");
        assertArrayEquals(wf.systemName, gf.systemName, "function systemName");
        assertArrayEquals(wf.filename, gf.filename, "function filename");
        assertArrayEquals(wf.startLine, gf.startLine, "function startLine");

        LocationTable wl = want.locations();
        LocationTable gl = got.locations();
        assertArrayEquals(wl.id, gl.id, "location id");
        assertArrayEquals(wl.mapping, gl.mapping, "location mapping");
        assertArrayEquals(wl.address, gl.address, "location address");
        assertArrayEquals(wl.folded, gl.folded, "location folded");
        assertArrayEquals(wl.lineStart, gl.lineStart, "location lineStart");
        assertArrayEquals(wl.lineFunction, gl.lineFunction, "line function");
        assertArrayEquals(wl.lineNumber, gl.lineNumber, "line number");
        assertArrayEquals(wl.lineColumn, gl.lineColumn, "line column");

        SampleTable ws = want.samples();
        SampleTable gs = got.samples();
        assertEquals(ws.valueCount, gs.valueCount, "sample valueCount");
        assertArrayEquals(ws.values, gs.values, "sample values");
        assertArrayEquals(ws.locStart, gs.locStart, "sample locStart");
        assertArrayEquals(ws.locations, gs.locations, "sample locations");
        assertArrayEquals(ws.labelStart, gs.labelStart, "sample labelStart");
        assertArrayEquals(ws.labelKey, gs.labelKey, "label key");
        assertArrayEquals(ws.labelStr, gs.labelStr, "label str");
        assertArrayEquals(ws.labelNum, gs.labelNum, "label num");
        assertArrayEquals(ws.labelUnit, gs.labelUnit, "label unit");
    }

    static Profile readFile(Path file) throws IOException {
        byte[] data = Files.readAllBytes(file);
        return ProtoProfileReader.read(Gzip.isGzip(data) ? Gzip.gunzip(data, Long.MAX_VALUE) : data);
    }

    private static String pprofRaw(Path go, Path file) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(go.toString(), "tool", "pprof", "-raw", file.toString());
        pb.environment().put("GOTOOLCHAIN", "local");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process proc = pb.start();
        proc.getOutputStream().close();
        byte[] out = proc.getInputStream().readAllBytes();
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "go tool pprof timed out");
        assertEquals(0, proc.exitValue(), "go tool pprof -raw " + file + " failed");
        return new String(out, StandardCharsets.UTF_8);
    }
}
