package dev.godiag.analysis.trace;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The blocking profiles of {@link HandTrace}, worked out by hand with Go's rules. */
class BlockingProfilesTest {
    private static Map<BlockingKind, BlockingProfile> profiles() {
        BlockingProfiles p = new BlockingProfiles();
        p.accept(HandTrace.changes());
        return p.build();
    }

    private static List<String> leaves(BlockingProfile p) {
        return p.stacks().stream().map(s -> s.leaf().map(f -> f.function()).orElse("(no stack)") + " "
                + s.count() + " " + s.delayNanos()).toList();
    }

    @Test
    void waitsCountAtTheirStartStackWithinTheGoroutinesLife() {
        Map<BlockingKind, BlockingProfile> p = profiles();
        assertThat(leaves(p.get(BlockingKind.NET))).containsExactly("internal/poll.(*FD).Read 1 400");
        // g1 ran first at 110 (its status), so its whole wait counts
        assertThat(leaves(p.get(BlockingKind.SYNC))).containsExactly("runtime.chanrecv1 1 750");
        // the syscall counts whole, P lost or not
        assertThat(leaves(p.get(BlockingKind.SYSCALL))).containsExactly("syscall.Syscall 1 100");
        // g5's wait from creation (200-310) ends at its first run, outside Go's interval: dropped;
        // g1's wait from 1050 is still open at the end: not counted; the unblock's stack is the unblocker's
        assertThat(leaves(p.get(BlockingKind.SCHED))).containsExactly(
                "internal/poll.runtime_pollWait 1 50", "(no stack) 1 10");
    }

    @Test
    void profileHasGosSampleTypes() {
        var prof = profiles().get(BlockingKind.NET).toProfile();
        assertThat(prof.sampleTypes()).extracting(t -> t.type() + "/" + t.unit())
                .containsExactly("contentions/count", "delay/nanoseconds");
    }
}
