package dev.godiag.guard.config;

import dev.godiag.guard.model.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --shard i/N: every target in exactly one shard, shares even, and few moves when a guard is added. */
class ShardsTest {
    /** A fleet as file SD lists one: a few jobs, thousands of addresses. */
    private static final List<Target> FLEET = fleet();

    private static List<Target> fleet() {
        List<Target> out = new ArrayList<>();
        for (String job : List.of("payments", "search", "checkout")) {
            for (int i = 0; i < 4000; i++) {
                out.add(new Target(job, "10." + (i >> 8 & 255) + "." + (i & 255) + ".7:6060", Map.of()));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8, 16})
    void everyTargetInExactlyOneShardAndTheSharesEven(int n) {
        List<Set<String>> shards = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Shards.Shard shard = new Shards.Shard(i, n);
            Set<String> mine = new HashSet<>();
            for (Target t : FLEET) {
                if (shard.owns(t)) {
                    mine.add(t.key());
                }
            }
            shards.add(mine);
        }
        Set<String> union = new HashSet<>();
        int total = 0;
        for (Set<String> s : shards) {
            union.addAll(s);
            total += s.size();
        }
        assertThat(total).as("no overlap").isEqualTo(FLEET.size());
        assertThat(union).as("no gap").hasSize(FLEET.size());
        double mean = FLEET.size() / (double) n;
        // binomial spread: 4 standard deviations around the mean share
        double slack = 4 * Math.sqrt(mean * (1 - 1.0 / n));
        for (Set<String> s : shards) {
            assertThat((double) s.size()).isBetween(mean - slack, mean + slack);
        }
    }

    @Test
    void addingAGuardMovesOnlyTheTargetsTheNewShardTakes() {
        for (int n = 1; n < 6; n++) {
            int moved = 0;
            for (Target t : FLEET) {
                int before = Shards.owner(t, n);
                int after = Shards.owner(t, n + 1);
                if (before != after) {
                    assertThat(after).as("a moved target goes to the new shard").isEqualTo(n);
                    moved++;
                }
            }
            double expected = FLEET.size() / (double) (n + 1);
            assertThat((double) moved).isBetween(expected * 0.9, expected * 1.1);
        }
    }

    @Test
    void theSplitIsTheSameInEveryRun() {
        // pinned: a different hash after an upgrade would hand every target to another guard at once
        List<Integer> owners = FLEET.subList(0, 12).stream().map(t -> Shards.owner(t, 4)).toList();
        assertThat(owners).isEqualTo(PINNED_OWNERS);
    }

    private static final List<Integer> PINNED_OWNERS = List.of(2, 1, 3, 2, 1, 3, 0, 1, 0, 3, 3, 2);

    @Test
    void parsesIOfN() {
        assertThat(Shards.parse("0/3")).isEqualTo(new Shards.Shard(0, 3));
        assertThat(Shards.parse("2/3")).isEqualTo(new Shards.Shard(2, 3));
        assertThat(Shards.parse("0/1")).isEqualTo(Shards.Shard.ALL);
        assertThat(Shards.parse("1/3").toString()).isEqualTo("1/3");
        for (String bad : List.of("3/3", "-1/3", "1/0", "a/b", "3", "", "/3", "1/")) {
            assertThatThrownBy(() -> Shards.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("\n");
        }
    }
}
