package dev.godiag.analysis.trace;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Go's split of goroutine time on a trace worked out by hand ({@link HandTrace}). */
class GoroutineGroupsTest {
    private static List<GoroutineGroup> groups() {
        GoroutineGroups g = new GoroutineGroups();
        g.accept(HandTrace.changes());
        return g.build();
    }

    @Test
    void timesSplitAsGoSplitsThem() {
        List<GoroutineGroup> groups = groups();
        // sorted by execution time: main.worker ran 90 + 50 + 90 = 230, main.main 10 + 190 = 200
        assertThat(groups).extracting(GoroutineGroup::name).containsExactly("main.worker", "main.main");

        GoroutineTimes worker = groups.get(0).sum();
        assertThat(groups.get(0).count()).isEqualTo(1);
        assertThat(worker.total()).isEqualTo(1100 - 200);
        assertThat(worker.exec()).isEqualTo((400 - 310) + (900 - 850) + (1100 - 1010));
        // runnable after creation, after the unblock, and after the syscall that lost its P
        assertThat(worker.schedWait()).isEqualTo((310 - 200) + (850 - 800) + (1010 - 1000));
        assertThat(worker.blockNet()).isEqualTo(800 - 400);
        assertThat(worker.blockSync()).isZero();
        assertThat(worker.syscall()).isEqualTo(950 - 900);
        assertThat(worker.syscallBlock()).isEqualTo(1000 - 950);
        assertThat(worker.assist()).isEqualTo(380 - 320);
        assertThat(groups.get(0).unknown()).isZero();

        GoroutineTimes main = groups.get(1).sum();
        // first seen in the generation's status: its state counts from the generation's start (100)
        assertThat(main.total()).isEqualTo(1200 - 100);
        assertThat(main.exec()).isEqualTo((110 - 100) + (300 - 110));
        assertThat(main.blockSync()).isEqualTo(1050 - 300);
        assertThat(main.blockByReason()).isEqualTo(Map.of("chan receive", 1050L - 300));
        assertThat(main.schedWait()).isEqualTo(1200 - 1050);
        assertThat(groups.get(1).slowest()).extracting(GoroutineTimes::id).containsExactly(1L);
    }

    @Test
    void splitsSumToTheTotal() {
        for (GoroutineGroup g : groups()) {
            GoroutineTimes s = g.sum();
            long split = s.exec() + s.schedWait() + s.blockNet() + s.blockSync() + s.blockOther() + s.syscall()
                    + s.syscallBlock() + g.unknown();
            assertThat(split).as(g.name()).isEqualTo(s.total());
        }
    }
}
