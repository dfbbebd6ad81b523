package dev.godiag.analysis.profile;

import dev.godiag.model.Profile;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** pprof's sample filters on {@link ShopProfile}, whose stacks are worked out by hand below. */
class SampleFilterTest {
    private final Profile shop = ShopProfile.build();

    private static Pattern rx(String s) {
        return Pattern.compile(s);
    }

    @Test
    void theFixtureAsBuilt() {
        assertThat(ShopProfile.stacks(shop)).containsExactly(
                "10: runtime.mallocgc;json.Marshal;main.handle;main.main",
                "20: json.Marshal;main.handle;main.main",
                "30: strings.Split+main.parse;main.handle;main.main",
                "40: main.handle;main.main",
                "50: runtime.mallocgc;strings.Split+main.parse;main.main");
    }

    @Test
    void focusKeepsTheSamplesThroughAMatchingFrame() {
        SampleFilter.Filtered f = SampleFilter.byName(shop, rx("json"), null, null, null);
        assertThat(f.matches().focus()).isTrue();
        assertThat(ShopProfile.stacks(f.profile())).containsExactly(
                "10: runtime.mallocgc;json.Marshal;main.handle;main.main",
                "20: json.Marshal;main.handle;main.main");
    }

    @Test
    void anInlinedFrameMatchesItsWholeLocation() {
        SampleFilter.Filtered f = SampleFilter.byName(shop, rx("strings\\.Split"), null, null, null);
        assertThat(ShopProfile.stacks(f.profile())).containsExactly(
                "30: strings.Split+main.parse;main.handle;main.main",
                "50: runtime.mallocgc;strings.Split+main.parse;main.main");
    }

    @Test
    void focusAlsoMatchesFileNames() {
        SampleFilter.Filtered f = SampleFilter.byName(shop, rx("malloc\\.go"), null, null, null);
        assertThat(ShopProfile.stacks(f.profile())).extracting(s -> s.substring(0, 2)).containsExactly("10", "50");
    }

    @Test
    void ignoreDropsTheSamplesThroughAMatchingFrameAndWinsOverFocus() {
        SampleFilter.Filtered f = SampleFilter.byName(shop, rx("main\\.handle"), rx("mallocgc"), null, null);
        assertThat(f.matches().ignore()).isTrue();
        assertThat(ShopProfile.stacks(f.profile())).containsExactly(
                "20: json.Marshal;main.handle;main.main",
                "30: strings.Split+main.parse;main.handle;main.main",
                "40: main.handle;main.main");
    }

    @Test
    void hideRemovesFramesNotSamples() {
        SampleFilter.Filtered f = SampleFilter.byName(shop, null, null, rx("runtime"), null);
        assertThat(f.matches().hide()).isTrue();
        assertThat(ShopProfile.stacks(f.profile())).containsExactly(
                "10: json.Marshal;main.handle;main.main",
                "20: json.Marshal;main.handle;main.main",
                "30: strings.Split+main.parse;main.handle;main.main",
                "40: main.handle;main.main",
                "50: strings.Split+main.parse;main.main");
    }

    @Test
    void showKeepsOnlyMatchingLinesEvenInsideALocation() {
        SampleFilter.Filtered f = SampleFilter.byName(shop, null, null, null, rx("^main\\."));
        assertThat(f.matches().show()).isTrue();
        assertThat(ShopProfile.stacks(f.profile())).containsExactly(
                "10: main.handle;main.main",
                "20: main.handle;main.main",
                "30: main.parse;main.handle;main.main",
                "40: main.handle;main.main",
                "50: main.parse;main.main");
    }

    @Test
    void aSampleHiddenWhollyIsDropped() {
        SampleFilter.Filtered f = SampleFilter.byName(shop, null, null, null, rx("mallocgc"));
        assertThat(ShopProfile.stacks(f.profile())).containsExactly("10: runtime.mallocgc", "50: runtime.mallocgc");
    }

    @Test
    void filtersThatMatchNothingSaySo() {
        SampleFilter.Filtered f = SampleFilter.byName(shop, rx("nothing"), rx("nothing"), rx("nothing"), null);
        assertThat(f.matches().focus()).isFalse();
        assertThat(f.matches().ignore()).isFalse();
        assertThat(f.matches().hide()).isFalse();
        assertThat(f.profile().samples().size()).isZero();
    }

    @Test
    void showFromKeepsTheStackFromTheRootMostMatchToTheLeaf() {
        SampleFilter.ShowFrom f = SampleFilter.showFrom(shop, rx("main\\.handle"));
        assertThat(f.matched()).isTrue();
        assertThat(ShopProfile.stacks(f.profile())).containsExactly(
                "10: runtime.mallocgc;json.Marshal;main.handle",
                "20: json.Marshal;main.handle",
                "30: strings.Split+main.parse;main.handle",
                "40: main.handle"); // S4 never passes through main.handle: dropped
    }

    @Test
    void showFromInsideALocationCutsItsOuterLines() {
        SampleFilter.ShowFrom f = SampleFilter.showFrom(shop, rx("strings\\.Split"));
        assertThat(ShopProfile.stacks(f.profile())).containsExactly(
                "30: strings.Split", "50: runtime.mallocgc;strings.Split");
    }

    @Test
    void tagFocusOnAStringLabel() {
        List<String> notes = new ArrayList<>();
        SampleFilter.TagMatch m = SampleFilter.compileTagFilter("tagfocus", "endpoint=/a",
                SampleFilter.numLabelUnits(shop), notes);
        SampleFilter.TagFiltered f = SampleFilter.byTag(shop, m, null);
        assertThat(f.focusMatched()).isTrue();
        assertThat(ShopProfile.stacks(f.profile())).extracting(s -> s.substring(0, 2)).containsExactly("10", "30");
        assertThat(notes).isEmpty();
    }

    @Test
    void tagIgnoreWithoutAKeyMatchesKeyColonValue() {
        SampleFilter.TagMatch m = SampleFilter.compileTagFilter("tagignore", "endpoint:/b",
                SampleFilter.numLabelUnits(shop), new ArrayList<>());
        SampleFilter.TagFiltered f = SampleFilter.byTag(shop, null, m);
        assertThat(f.ignoreMatched()).isTrue();
        assertThat(ShopProfile.stacks(f.profile())).extracting(s -> s.substring(0, 2))
                .containsExactly("10", "30", "40", "50");
    }

    @Test
    void numericRangesScaleTheLabelsUnit() {
        // "bytes" carries no unit: pprof infers one from the key. 1024 bytes is 1kB, 1000 is not.
        assertThat(SampleFilter.numLabelUnits(shop)).containsEntry("bytes", "bytes");
        List<String> notes = new ArrayList<>();
        SampleFilter.TagMatch atLeast = SampleFilter.compileTagFilter("tagfocus", "bytes=1kb:",
                SampleFilter.numLabelUnits(shop), notes);
        assertThat(ShopProfile.stacks(SampleFilter.byTag(shop, atLeast, null).profile())).containsExactly(
                "50: runtime.mallocgc;strings.Split+main.parse;main.main");
        assertThat(notes).containsExactly("tagfocus:Interpreted '1kb:' as range, not regexp");
        SampleFilter.TagMatch below = SampleFilter.compileTagFilter("tagfocus", ":1000b",
                SampleFilter.numLabelUnits(shop), new ArrayList<>());
        assertThat(ShopProfile.stacks(SampleFilter.byTag(shop, below, null).profile())).containsExactly(
                "40: main.handle;main.main");
        // a bare number has no unit, so it never compares with bytes (pprof agrees: no samples)
        SampleFilter.TagMatch bare = SampleFilter.compileTagFilter("tagfocus", ":1000",
                SampleFilter.numLabelUnits(shop), new ArrayList<>());
        SampleFilter.TagFiltered none = SampleFilter.byTag(shop, bare, null);
        assertThat(none.profile().samples().size()).isZero();
        assertThat(none.focusMatched()).isFalse();
    }

    @Test
    void aBadRegexpIsTheUsersError() {
        assertThatThrownBy(() -> SampleFilter.compile("focus", "a("))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith("parsing focus regexp:");
    }

    @Test
    void filtersApplyInPprofsOrderAndWarnAboutMisses() {
        List<String> warnings = new ArrayList<>();
        Filters f = new Filters("main", "", "runtime", "", "main\\.handle", "endpoint=/a", "", "", "", "");
        Profile p = f.apply(shop, warnings);
        // focus main: all; hide runtime: mallocgc frames go; show_from handle: S4 goes, roots cut;
        // tagfocus /a: S0 and S2
        assertThat(ShopProfile.stacks(p)).containsExactly(
                "10: json.Marshal;main.handle",
                "30: strings.Split+main.parse;main.handle");
        assertThat(warnings).isEmpty();
        new Filters("zzz", "", "", "", "", "", "", "", "", "").apply(shop, warnings);
        assertThat(warnings).containsExactly("Focus expression matched no samples");
    }
}
