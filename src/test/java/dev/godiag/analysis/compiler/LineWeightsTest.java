package dev.godiag.analysis.compiler;

import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Flat weight by line, counted by hand on a profile built here. */
class LineWeightsTest {
    /**
     * Three samples: an int boxed by runtime.convT64 for main.describe (line 62), a buffer of
     * main.newBuffer (line 40), and one allocated by the runtime alone (runtime.malg).
     */
    static Profile profile() {
        ProfileBuilder b = new ProfileBuilder("test").sampleType("alloc_space", "bytes");
        int conv = b.addFunction(1, "runtime.convT64", "runtime.convT64", "runtime/iface.go", 380);
        int describe = b.addFunction(2, "main.describe", "main.describe", "example.com/app/main.go", 60);
        int buffer = b.addFunction(3, "main.newBuffer", "main.newBuffer", "example.com/app/main.go", 37);
        int malg = b.addFunction(4, "runtime.malg", "runtime.malg", "runtime/proc.go", 4500);
        b.addLine(conv, 381, 0);
        int lConv = b.endLocation(1, -1, 0x10, false);
        b.addLine(describe, 62, 0);
        int lDescribe = b.endLocation(2, -1, 0x20, false);
        b.addLine(buffer, 40, 0);
        int lBuffer = b.endLocation(3, -1, 0x30, false);
        b.addLine(malg, 4510, 0);
        int lMalg = b.endLocation(4, -1, 0x40, false);
        b.addSampleLocation(lConv);
        b.addSampleLocation(lDescribe);
        b.endSample(8);
        b.addSampleLocation(lBuffer);
        b.endSample(4096);
        b.addSampleLocation(lMalg);
        b.endSample(1000);
        return b.build();
    }

    @Test
    void allocationSitesArePastTheRuntimesFramesCpuLinesAreTheLeaf() {
        LineWeights sites = LineWeights.of(profile(), 0, "allocs", "allocated bytes", true);
        assertThat(sites.total()).isEqualTo(8 + 4096 + 1000);
        assertThat(sites.sites()).extracting(s -> s.file() + ":" + s.line() + "=" + s.value())
                .containsExactly("example.com/app/main.go:40=4096", "example.com/app/main.go:62=8");
        assertThat(sites.at("./main.go", 62)).isEqualTo(8);
        assertThat(sites.share(sites.at("./main.go", 40))).isEqualTo(4096.0 / 5104);
        LineWeights leaf = LineWeights.of(profile(), 0, "cpu", "CPU", false);
        assertThat(leaf.sites()).extracting(s -> s.file() + ":" + s.line() + "=" + s.value())
                .containsExactly("example.com/app/main.go:40=4096", "runtime/proc.go:4510=1000",
                        "runtime/iface.go:381=8");
        assertThat(leaf.at("./main.go", 62)).isZero();
    }
}
