package dev.godiag.analysis.profile;

import dev.godiag.model.Profile;
import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.ValueType;
import dev.godiag.util.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Merging, base subtraction and scaling as pprof does them, on small profiles worked out by hand. */
class ProfileMergerTest {
    /** A one-type profile: each sample a (leaf;...;root, value) with functions named as given. */
    private static Profile profile(String type, String unit, long timeNanos, long durationNanos, Object... stacks) {
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType(type, unit);
        b.period(new ValueType(type, unit), 1).time(timeNanos).duration(durationNanos);
        java.util.Map<String, Integer> locs = new java.util.HashMap<>();
        for (int i = 0; i < stacks.length; i += 2) {
            for (String fn : ((String) stacks[i]).split(";")) {
                locs.computeIfAbsent(fn, n -> {
                    int f = b.addFunction(b.functionCount() + 1, n, n, n + ".go", 1);
                    b.addLine(f, 1, 0);
                    return b.endLocation(b.locationCount() + 1, -1, 0, false);
                });
            }
        }
        for (int i = 0; i < stacks.length; i += 2) {
            for (String fn : ((String) stacks[i]).split(";")) {
                b.addSampleLocation(locs.get(fn));
            }
            b.endSample((Long) stacks[i + 1]);
        }
        return b.build();
    }

    /** "leaf;...;root=value" per sample, labels after a space. */
    private static List<String> samples(Profile p) {
        var s = p.samples();
        var l = p.locations();
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = s.locStart[i]; k < s.locStart[i + 1]; k++) {
                sb.append(k > s.locStart[i] ? ";" : "").append(p.functions().name[l.lineFunction[l.lineStart[s.locations[k]]]]);
            }
            sb.append('=').append(s.value(i, 0));
            for (int j = s.labelStart[i]; j < s.labelStart[i + 1]; j++) {
                sb.append(' ').append(s.labelKey[j]).append(':').append(s.labelStr[j]);
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void combineMergesEqualStacksAndSharesFunctions() {
        Profile a = profile("cpu", "nanoseconds", 2000, 10, "f;main", 5L, "g;main", 7L);
        Profile b = profile("cpu", "nanoseconds", 1000, 20, "f;main", 3L, "h;main", 1L);
        Profile m = ProfileMerger.combine(List.of(a, b));
        assertThat(samples(m)).containsExactly("f;main=8", "g;main=7", "h;main=1");
        // one function each: f and main are the same function in both (same name, file, start line)
        assertThat(m.functions().size()).isEqualTo(4);
        // the earliest time, the summed duration
        assertThat(m.timeNanos()).isEqualTo(1000);
        assertThat(m.durationNanos()).isEqualTo(30);
    }

    @Test
    void combineScalesToTheFinestUnit() {
        Profile ms = profile("cpu", "milliseconds", 0, 0, "f;main", 3L);
        Profile ns = profile("cpu", "nanoseconds", 0, 0, "f;main", 500L);
        Profile m = ProfileMerger.combine(List.of(ms, ns));
        assertThat(m.sampleTypes()).containsExactly(new ValueType("cpu", "nanoseconds"));
        assertThat(samples(m)).containsExactly("f;main=3000500");
    }

    @Test
    void combineKeepsTheSampleTypesAllProfilesHave() {
        ProfileBuilder b = new ProfileBuilder("pprof").sampleType("alloc_space", "bytes").sampleType("inuse_space",
                "bytes");
        b.period(new ValueType("inuse_space", "bytes"), 1);
        int f = b.addFunction(1, "f", "f", "f.go", 1);
        b.addLine(f, 1, 0);
        int l = b.endLocation(1, -1, 0, false);
        b.addSampleLocation(l);
        b.endSample(100, 40);
        Profile both = b.build();
        Profile inuse = profile("inuse_space", "bytes", 0, 0, "f", 2L);
        Profile m = ProfileMerger.combine(List.of(both, inuse));
        assertThat(m.sampleTypes()).containsExactly(new ValueType("inuse_space", "bytes"));
        assertThat(samples(m)).containsExactly("f=42");
        assertThatThrownBy(() -> ProfileMerger.combine(List.of(both, profile("cpu", "nanoseconds", 0, 0, "f", 1L))))
                .isInstanceOf(BadInputException.class).hasMessageContaining("no sample type in common");
    }

    @Test
    void baseIsSubtractedAndWhatCancelsOutGoes() {
        Profile now = profile("inuse_space", "bytes", 0, 0, "f;main", 100L, "g;main", 30L);
        Profile base = profile("inuse_space", "bytes", 0, 0, "f;main", 60L, "g;main", 30L, "h;main", 5L);
        Profile d = ProfileMerger.withBase(now, base, false, false);
        // f: 100 - 60; g: 30 - 30 = 0, dropped; h: only in the base, negative
        assertThat(samples(d)).containsExactly("f;main=40", "h;main=-5");
    }

    @Test
    void diffBaseLabelsTheBaseSoNothingMerges() {
        Profile now = profile("inuse_space", "bytes", 0, 0, "f;main", 100L);
        Profile base = profile("inuse_space", "bytes", 0, 0, "f;main", 60L);
        Profile d = ProfileMerger.withBase(now, base, true, false);
        assertThat(samples(d)).containsExactly("f;main=100", "f;main=-60 pprof::base:true");
    }

    @Test
    void normalizeScalesToTheBasesTotal() {
        // now totals 40, the base 100: now is scaled by 2.5 before the base is subtracted
        Profile now = profile("inuse_space", "bytes", 0, 0, "f;main", 10L, "g;main", 30L);
        Profile base = profile("inuse_space", "bytes", 0, 0, "f;main", 100L);
        Profile d = ProfileMerger.withBase(now, base, false, true);
        assertThat(samples(d)).containsExactly("f;main=-75", "g;main=75");
    }

    @Test
    void scaleRoundsHalfAwayFromZeroAndDropsSamplesThatBecomeZero() {
        Profile p = profile("cpu", "nanoseconds", 0, 0, "a", 5L, "b", -5L, "c", 1L, "d", 4L);
        Profile half = ProfileMerger.scale(p, new double[] {0.5});
        // 2.5 -> 3, -2.5 -> -3, 0.5 -> 1, 2
        assertThat(samples(half)).containsExactly("a=3", "b=-3", "c=1", "d=2");
        Profile tenth = ProfileMerger.scale(p, new double[] {0.1});
        // 0.5 -> 1, -0.5 -> -1, 0.1 -> 0 (dropped), 0.4 -> 0 (dropped)
        assertThat(samples(tenth)).containsExactly("a=1", "b=-1");
        assertThat(ProfileMerger.scale(p, new double[] {1})).isSameAs(p);
    }

    @Test
    void labelsAreSetAndRemoved() {
        Profile p = profile("cpu", "nanoseconds", 0, 0, "f", 1L);
        Profile labelled = ProfileMerger.setLabel(p, "k", "v");
        assertThat(samples(labelled)).containsExactly("f=1 k:v");
        assertThat(samples(ProfileMerger.setLabel(labelled, "k", "w"))).containsExactly("f=1 k:w");
        assertThat(samples(ProfileMerger.removeLabel(labelled, "k"))).containsExactly("f=1");
        assertThat(ProfileMerger.removeLabel(p, "k")).isSameAs(p);
    }

    @Test
    void incompatibleUnitsAreRefused() {
        Profile bytes = profile("space", "bytes", 0, 0, "f", 1L);
        Profile ns = profile("space", "nanoseconds", 0, 0, "f", 1L);
        assertThatThrownBy(() -> ProfileMerger.combine(List.of(bytes, ns))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("incompatible");
    }
}
