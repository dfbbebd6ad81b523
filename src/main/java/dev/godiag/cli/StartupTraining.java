package dev.godiag.cli;

import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.model.Mapping;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.ValueType;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A training run for the JVM's start-up cache (bin/godiag makes an AOT cache on JDK 25+, a CDS
 * archive before): it writes a synthetic profile and runs the commands on it, so the classes and
 * code paths of a real run are loaded, linked and profiled ahead of time. Not a user command.
 */
public final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("godiag-training");
        Path profile = dir.resolve("training.pb.gz");
        try {
            try (OutputStream out = Files.newOutputStream(profile)) {
                ProtoProfileWriter.write(syntheticProfile(), out);
            }
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
            String p = profile.toString();
            for (String[] cmd : new String[][] {
                    {"top", "--nodecount", "40", p},
                    {"top", "-cum", "-lines", "-focus=handle", p},
                    {"top", "--format", "json", "--diff-base", p, p},
                    {"info", p},
                    {"flame", "--format", "speedscope", p},
                    {"flame", "--format", "html", p},
                    {"diff", "--format", "html", p, p}}) {
                Main.run(cmd, sink, sink);
            }
        } finally {
            Files.deleteIfExists(profile);
            Files.deleteIfExists(dir);
        }
    }

    /** A CPU profile shaped like a service's: a few thousand stacks over a few hundred functions. */
    static dev.godiag.model.Profile syntheticProfile() {
        Random r = new Random(42);
        ProfileBuilder b = new ProfileBuilder("pprof");
        b.sampleType("samples", "count").sampleType("cpu", "nanoseconds")
                .period(new ValueType("cpu", "nanoseconds"), 10_000_000).time(1_700_000_000_000_000_000L)
                .duration(10_000_000_000L);
        b.addMapping(new Mapping(1, 0x400000, 0x800000, 0, "/app/service", "training", true, true, true, true));
        int functions = 400;
        for (int f = 0; f < functions; f++) {
            String pkg = f % 5 == 0 ? "runtime" : f % 5 == 1 ? "net/http" : "example.com/svc/pkg" + (f % 17);
            b.addFunction(f + 1, pkg + ".handle" + f, "", pkg + "/file" + (f % 23) + ".go", 10 + f);
        }
        int locations = 1200;
        for (int l = 0; l < locations; l++) {
            int lines = l % 7 == 0 ? 2 : 1;
            for (int i = 0; i < lines; i++) {
                b.addLine((l * 31 + i * 7) % functions, 20 + l % 300, 0);
            }
            b.endLocation(l + 1, 0, 0x401000 + 16L * l, false);
        }
        for (int s = 0; s < 5000; s++) {
            int depth = 8 + r.nextInt(24);
            for (int d = 0; d < depth; d++) {
                b.addSampleLocation((int) Math.min(locations - 1, Math.abs(r.nextGaussian()) * 200 + d * 37 % 50));
            }
            b.addLabel("endpoint", "/api/v" + (s % 9));
            if (s % 4 == 0) {
                b.addNumLabel("bytes", 1024L * (s % 13), "bytes");
            }
            long n = 1 + r.nextInt(3);
            b.endSample(n, n * 10_000_000);
        }
        return b.build();
    }
}
