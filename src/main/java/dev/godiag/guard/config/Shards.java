package dev.godiag.guard.config;

import dev.godiag.guard.model.Target;

import java.nio.charset.StandardCharsets;

/**
 * {@code --shard i/N}: N guards split a fleet without talking to each other. Each target belongs
 * to exactly one shard, chosen by rendezvous hashing of its {@link Target#key()}: the same on every
 * machine and run, and going from N to N+1 guards moves only the targets the new shard takes
 * (about 1/(N+1) of them), so the others keep their guard. Shards are numbered from 0, as
 * StatefulSet ordinals are ({@code --shard 0/3}, {@code 1/3}, {@code 2/3}).
 */
public final class Shards {
    private Shards() {
    }

    /** One guard's share: shard {@code index} of {@code count}. */
    public record Shard(int index, int count) {
        public Shard {
            if (count < 1 || index < 0 || index >= count) {
                throw new IllegalArgumentException("shard " + index + "/" + count + " is out of range (0 <= i < N)");
            }
        }

        /** All targets: the one shard of one. */
        public static final Shard ALL = new Shard(0, 1);

        public boolean owns(Target target) {
            return Shards.owns(target, index, count);
        }

        @Override
        public String toString() {
            return index + "/" + count;
        }
    }

    /** Parses {@code i/N} (0 <= i < N); IllegalArgumentException with a one-line reason otherwise. */
    public static Shard parse(String spec) {
        int slash = spec.indexOf('/');
        try {
            if (slash > 0) {
                return new Shard(Integer.parseInt(spec.substring(0, slash).strip()),
                        Integer.parseInt(spec.substring(slash + 1).strip()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + spec + "' is not a shard: write i/N with 0 <= i < N, e.g. 0/3");
    }

    /** Whether shard {@code index} of {@code count} watches {@code target}. */
    public static boolean owns(Target target, int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " is out of range (0 <= i < N)");
        }
        return owner(target, count) == index;
    }

    /** The shard among {@code count} that watches {@code target}: the one whose score for it is highest. */
    public static int owner(Target target, int count) {
        long key = fnv1a(target.key());
        int best = 0;
        long bestScore = Long.MIN_VALUE;
        for (int s = 0; s < count; s++) {
            long score = mix(key ^ mix(s + 0x9E3779B97F4A7C15L));
            if (Long.compareUnsigned(score, bestScore) > 0 || s == 0) {
                best = s;
                bestScore = score;
            }
        }
        return best;
    }

    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finaliser: spreads every input bit over the output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
