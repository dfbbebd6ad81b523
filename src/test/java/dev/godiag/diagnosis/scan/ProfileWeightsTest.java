package dev.godiag.diagnosis.scan;

import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The weight of a stretch of source, against a hand calculation. */
class ProfileWeightsTest {

    /**
     * Four samples (CPU ns) over two files: 100 at handler.go:12 (inlined into :30), 50 at
     * handler.go:14 called from handler.go:40, 30 at util.go:12, 20 at handler.go:50. Total 200.
     */
    private static Profile profile() {
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("samples", "count").sampleType("cpu", "nanoseconds");
        int handle = b.addFunction(1, "example.com/shop/api.(*Server).handle", "", "example.com/shop/api/handler.go", 10);
        int serve = b.addFunction(2, "example.com/shop/api.serve", "", "example.com/shop/api/handler.go", 28);
        int util = b.addFunction(3, "example.com/shop/util.trim", "", "/build/shop/util/util.go", 10);
        b.addLine(handle, 12, 0);
        b.addLine(serve, 30, 0); // handle inlined into serve: one location, two lines
        int inlined = b.endLocation(1, -1, 0x10, false);
        b.addLine(handle, 14, 0);
        int at14 = b.endLocation(2, -1, 0x20, false);
        b.addLine(serve, 40, 0);
        int at40 = b.endLocation(3, -1, 0x30, false);
        b.addLine(util, 12, 0);
        int utilLoc = b.endLocation(4, -1, 0x40, false);
        b.addLine(serve, 50, 0);
        int at50 = b.endLocation(5, -1, 0x50, false);
        b.addSampleLocation(inlined);
        b.endSample(1, 100);
        b.addSampleLocation(at14);
        b.addSampleLocation(at40);
        b.endSample(1, 50);
        b.addSampleLocation(utilLoc);
        b.endSample(1, 30);
        b.addSampleLocation(at50);
        b.endSample(1, 20);
        return b.build();
    }

    @Test
    void aSpanWeighsEverySampleWithAFrameInItOnce() {
        ProfileWeights w = new ProfileWeights(profile(), 1, "cpu.pprof", "CPU");
        // lines 10-15 of handler.go: the samples at :12 and :14 = 150 of 200
        ProfileWeights.Weight loop = w.weight("api/handler.go", 10, 15);
        assertThat(loop.value()).isEqualTo(150);
        assertThat(loop.share()).isCloseTo(0.75, within(1e-12));
        // 12-40 holds both frames of the second sample: still counted once
        assertThat(w.weight("api/handler.go", 12, 40).value()).isEqualTo(150);
        // the inlined caller's line counts for the sample too
        assertThat(w.weight("api/handler.go", 30, 30).value()).isEqualTo(100);
        assertThat(w.weight("util/util.go", 1, 100).value()).isEqualTo(30);
        // a path is matched at a '/' boundary only: "handler.go" is not "ler.go"
        assertThat(w.weight("ler.go", 1, 100).value()).isZero();
        assertThat(w.weight("shop/api/handler.go", 50, 50).share()).isCloseTo(0.10, within(1e-12));
        assertThat(w.weight("api/handler.go", 60, 70).value()).isZero();
    }
}
