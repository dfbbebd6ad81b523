package dev.godiag.util;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The primitive map against {@link HashMap} under random puts, removes and lookups (removal shifts entries back). */
class LongObjectMapTest {
    @Test
    void behavesAsAHashMapUnderRandomOperations() {
        for (long seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed);
            LongObjectMap<String> ours = new LongObjectMap<>(2);
            Map<Long, String> theirs = new HashMap<>();
            // few distinct keys (many collisions and removals in the same probe runs), some huge or negative
            int range = 1 + r.nextInt(300);
            for (int i = 0; i < 20_000; i++) {
                long key = r.nextInt(range) * (seed % 3 == 0 ? 0x1_0000_0000L : seed % 3 == 1 ? 1 : -7);
                switch (r.nextInt(4)) {
                    case 0, 1 -> {
                        String v = "v" + i;
                        assertThat(ours.put(key, v)).isEqualTo(theirs.put(key, v));
                    }
                    case 2 -> assertThat(ours.remove(key)).isEqualTo(theirs.remove(key));
                    default -> {
                        assertThat(ours.get(key)).isEqualTo(theirs.get(key));
                        assertThat(ours.containsKey(key)).isEqualTo(theirs.containsKey(key));
                    }
                }
                assertThat(ours.size()).isEqualTo(theirs.size());
            }
            Map<Long, String> all = new HashMap<>();
            ours.forEach(all::put);
            assertThat(all).isEqualTo(theirs);
        }
    }

    @Test
    void putIfAbsentKeepsTheFirstValue() {
        LongObjectMap<String> m = new LongObjectMap<>();
        assertThat(m.putIfAbsent(5, "a")).isNull();
        assertThat(m.putIfAbsent(5, "b")).isEqualTo("a");
        assertThat(m.get(5)).isEqualTo("a");
        assertThat(m.get(6)).isNull();
    }
}
