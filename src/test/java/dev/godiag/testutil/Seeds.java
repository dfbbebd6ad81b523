package dev.godiag.testutil;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Seeds for tests that pick something at random (a moment to kill a process...): a fresh one each
 * run, printed, and the same again when given back as a system property
 * ({@code bin/test -Dtest=... -DPROPERTY=SEED}; surefire hands Maven's -D properties to the tests).
 */
public final class Seeds {
    private Seeds() {
    }

    /** The seed in system property {@code property}, else a random one; printed either way. */
    public static long of(String property, String what) {
        Long given = Long.getLong(property);
        long seed = given != null ? given : ThreadLocalRandom.current().nextLong();
        System.out.printf("%s: seed %d (%s; reproduce with -D%s=%d)%n", what, seed,
                given != null ? "given" : "random", property, seed);
        return seed;
    }
}
