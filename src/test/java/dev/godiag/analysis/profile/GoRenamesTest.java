package dev.godiag.analysis.profile;

import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.model.Profile;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class GoRenamesTest {
    @Test
    void oldSpellingsMapToTheNewest() {
        assertThat(GoRenames.newest("runtime.epollwait")).isEqualTo("internal/runtime/syscall/linux.EpollWait");
        assertThat(GoRenames.newest("runtime/internal/syscall.Syscall6"))
                .isEqualTo("internal/runtime/syscall/linux.Syscall6");
        assertThat(GoRenames.newest("internal/runtime/syscall.Syscall6"))
                .isEqualTo("internal/runtime/syscall/linux.Syscall6");
        assertThat(GoRenames.newest("runtime/internal/atomic.(*Uint32).Load"))
                .isEqualTo("internal/runtime/atomic.(*Uint32).Load");
        // the newest names and everything else stay as they are
        assertThat(GoRenames.newest("internal/runtime/syscall/linux.EpollWait"))
                .isEqualTo("internal/runtime/syscall/linux.EpollWait");
        assertThat(GoRenames.newest("runtime.mallocgc")).isEqualTo("runtime.mallocgc");
        assertThat(GoRenames.newest("main.epollwait")).isEqualTo("main.epollwait");
    }

    /** Go 1.19's CPU profile of the leaking service spells the poller and syscall frames the old way; Go 1.27's the new. */
    @Test
    void go119ProfileTakesGo127Names() {
        Profile old = ProfileLoader.load(Corpus.file("go1.19/leakysvc/cpu.pprof").toString(),
                InputSource.FetchOptions.DEFAULT, 1L << 30);
        Profile neu = ProfileLoader.load(Corpus.file("go1.27/leakysvc/cpu.pprof").toString(),
                InputSource.FetchOptions.DEFAULT, 1L << 30);
        GoRenames.Renamed r = GoRenames.toNewest(old);
        assertThat(r.renamed()).containsEntry("runtime.epollwait", "internal/runtime/syscall/linux.EpollWait")
                .containsEntry("runtime/internal/syscall.Syscall6", "internal/runtime/syscall/linux.Syscall6");
        assertThat(r.profile().functions().name).doesNotContain("runtime.epollwait")
                .contains("internal/runtime/syscall/linux.EpollWait");
        // samples and locations are the same tables: only names moved
        assertThat(r.profile().samples()).isSameAs(old.samples());
        assertThat(Arrays.asList(neu.functions().name)).contains("internal/runtime/syscall/linux.Syscall6");
        assertThat(GoRenames.toNewest(neu).renamed()).isEmpty();
    }
}
