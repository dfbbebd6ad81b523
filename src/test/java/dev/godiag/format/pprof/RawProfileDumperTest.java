package dev.godiag.format.pprof;

import dev.godiag.format.Gzip;
import dev.godiag.format.ProfileLoader;
import dev.godiag.format.ProfileReader;
import dev.godiag.model.Mapping;
import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.ValueType;
import dev.godiag.testutil.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link RawProfileDumper} against Go's formatting and the live {@code pprof -raw}. */
class RawProfileDumperTest {
    private static final Path CORPUS = Path.of("..", "shared", "corpus");

    /** Go 1.27's time.Duration.String() and "%.4v" of the same durations. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0s|0s",
        "1|1ns|1ns",
        "999|999ns|999n",
        "1000|1µs|1µs",
        "1500|1.5µs|1.5µ",
        "999999|999.999µs|999.",
        "1234567|1.234567ms|1.23",
        "1000000000|1s|1s",
        "1500000000|1.5s|1.5s",
        "60000000000|1m0s|1m0s",
        "90000000000|1m30s|1m30",
        "3723004005006|1h2m3.004005006s|1h2m",
        "-1500|-1.5µs|-1.5",
        "-9223372036854775808|-2562047h47m16.854775808s|-256",
        "9223372036854775807|2562047h47m16.854775807s|2562",
    })
    void durationsAreFormattedAsGoDoes(long nanos, String full, String cut) {
        assertThat(RawProfileDumper.goDuration(nanos)).isEqualTo(full);
        Profile p = new ProfileBuilder("test").duration(nanos).build();
        String line = RawProfileDumper.dump(p).lines().filter(l -> l.startsWith("Duration")).findFirst().orElse("");
        assertThat(line).isEqualTo(nanos == 0 ? "" : "Duration: " + cut);
    }

    /** Go 1.27's time.Unix(0, n).String() with TZ=UTC (surefire runs the tests in UTC). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1|1970-01-01 00:00:00.000000001 +0000 UTC",
        "1700000000123456789|2023-11-14 22:13:20.123456789 +0000 UTC",
        "1700000000000000000|2023-11-14 22:13:20 +0000 UTC",
        "1700000000100000000|2023-11-14 22:13:20.1 +0000 UTC",
        "-1|1969-12-31 23:59:59.999999999 +0000 UTC",
    })
    void timesAreFormattedAsGoDoes(long nanos, String expected) {
        assumeTrue(TimeZone.getDefault().getRawOffset() == 0 && "UTC".equals(TimeZone.getDefault().getID()),
                "needs the UTC zone");
        assertThat(RawProfileDumper.goTime(nanos)).isEqualTo(expected);
    }

    /** Labels: grouped by key, keys sorted; units shown, padded with "", once any value has one. */
    @Test
    void labelsAreFormattedAsPprofDoes() {
        ProfileBuilder b = new ProfileBuilder("test").sampleType("samples", "count").defaultSampleType("samples");
        b.addLabel("thread", "b");
        b.addLabel("goroutine", "7");
        b.addLabel("thread", "a");
        b.addNumLabel("bytes", 512, null);
        b.addNumLabel("wait", 5, "ms");
        b.addNumLabel("wait", 6, null);
        b.endSample(3);
        String dump = RawProfileDumper.dump(b.build());
        assertThat(dump).isEqualTo(String.join("\n",
                "Period: 0",
                "Samples:",
                "samples/count[dflt]",
                "          3: ",
                "                goroutine:[7] thread:[b a]",
                "                bytes:[512] wait:[5 ms 6 ]",
                "Locations",
                "Mappings",
                ""));
    }

    @Test
    void locationsShowMappingFoldingAndInlinedLines() {
        ProfileBuilder b = new ProfileBuilder("test").sampleType("cpu", "nanoseconds")
                .period(new ValueType("cpu", "nanoseconds"), 10);
        int m = b.addMapping(new Mapping(1, 0x1000, 0x2000, 0, "/bin/x", "abc", true, true, true, false));
        int f1 = b.addFunction(1, "main.inner", "main.inner", "x.go", 3);
        int f2 = b.addFunction(2, "main.outer", "main.outer·1", "x.go", 10);
        b.addLine(f1, 5, 2);
        b.addLine(f2, 12, 0);
        b.addLine(-1, 0, 0);
        int loc = b.endLocation(1, m, 0x1234, true);
        b.addSampleLocation(loc);
        b.endSample(42);
        assertThat(RawProfileDumper.dump(b.build())).isEqualTo(String.join("\n",
                "PeriodType: cpu nanoseconds",
                "Period: 10",
                "Samples:",
                "cpu/nanoseconds",
                "         42: 1 ",
                "Locations",
                "     1: 0x1234 M=1 [F] main.inner x.go:5:2 s=3",
                "             main.outer x.go:12:0 s=10(main.outer·1)",
                "             ??",
                "Mappings",
                "1: 0x1000/0x2000/0x0 /bin/x abc [FN][FL][LN]",
                ""));
    }

    // ------------------------------------------------------------------------------------
    // the corpus' profile.proto files, read by ProfileReader, against the live pprof -raw

    static Stream<Path> protoFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("go1.19", "go1.27")) {
            Path d = CORPUS.resolve(dir);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.walk(d, 2)) {
                    s.filter(f -> f.toString().endsWith(".pprof")).sorted().forEach(files::add);
                }
            }
        }
        Path upstream = CORPUS.resolve("upstream").resolve("pprof");
        for (String name : List.of("internal_proftest__large.cpu", "internal_report__sample.cpu",
                "internal_driver__go.nomappings.crash")) {
            if (Files.exists(upstream.resolve(name))) {
                files.add(upstream.resolve(name));
            }
        }
        return files.stream();
    }

    /**
     * Go's runtime writes no drop_frames, and its profiles are symbolized, so -raw shows the
     * parsed profile unchanged, except that the driver gives a profile without mappings an empty
     * one (go.nomappings.crash): that is added before comparing.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("protoFiles")
    void protoProfileDumpMatchesLivePprof(Path file, @TempDir Path tmp) throws Exception {
        Path go = Tools.go127();
        Profile p = ProfileReader.read(Files.readAllBytes(file), Gzip.DEFAULT_LIMIT);
        assertThat(p.dropFrames()).isEmpty();
        ProcessBuilder pb = new ProcessBuilder(go.toString(), "tool", "pprof", "-raw", file.toAbsolutePath().toString());
        pb.environment().put("TZ", "UTC");
        pb.environment().put("PPROF_BINARY_PATH", Files.createDirectories(tmp.resolve("no-binaries")).toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process proc = pb.start();
        String expected;
        try (InputStream in = proc.getInputStream()) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(proc.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).isZero();
        assertThat(RawProfileDumper.dump(ProfileLoader.withMapping(p))).isEqualTo(expected);
    }

}
