package dev.godiag.badinput;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Small random profile.proto messages built from scratch. {@link #valid} ones are consistent (ids
 * resolve, string indexes are in range, value counts match) and must be read; {@link #plausible}
 * ones break a rule now and then (a dangling id, a reserved id 0, a duplicate, a string index out
 * of range, a wrong value count, a stray wire type) and must be read or rejected cleanly.
 */
final class RandomProfiles {
    private RandomProfiles() {
    }

    /** A generated profile and what a reader must find in it when it is valid. */
    record Generated(byte[] bytes, int samples, long valueSum, boolean valid) {
    }

    static Generated valid(Random r) {
        return generate(r, 0);
    }

    static Generated plausible(Random r) {
        return generate(r, 0.08);
    }

    /** @param breakRate how often a rule is broken, per decision */
    private static Generated generate(Random r, double breakRate) {
        Gen g = new Gen(r, breakRate);
        return g.build();
    }

    private static final class Gen {
        final Random r;
        final double breakRate;
        boolean broken;
        final List<String> strings = new ArrayList<>();
        final List<Pb> fields = new ArrayList<>();

        Gen(Random r, double breakRate) {
            this.r = r;
            this.breakRate = breakRate;
        }

        boolean breakRule() {
            boolean b = breakRate > 0 && r.nextDouble() < breakRate;
            broken |= b;
            return b;
        }

        long strIndex() {
            if (breakRule()) {
                return r.nextBoolean() ? strings.size() + r.nextInt(3) : -1 - r.nextInt(2);
            }
            return r.nextInt(strings.size());
        }

        /** An id among 1..n, or (when breaking) 0, one past the end or a huge one. */
        long id(int n) {
            if (breakRule() || n == 0) {
                broken |= true;
                return switch (r.nextInt(3)) {
                    case 0 -> 0;
                    case 1 -> n + 1;
                    default -> r.nextLong();
                };
            }
            return 1 + r.nextInt(n);
        }

        Generated build() {
            strings.add(breakRule() ? "x" : "");
            int nStrings = 1 + r.nextInt(12);
            for (int i = 0; i < nStrings; i++) {
                strings.add(randomString());
            }
            int nTypes = 1 + r.nextInt(3);
            for (int i = 0; i < nTypes; i++) {
                fields.add(Pb.msg().msg(1, Pb.valueType(strIndex(), strIndex())));
            }
            int nMappings = r.nextInt(3);
            for (int i = 1; i <= nMappings; i++) {
                Pb m = Pb.msg().uint(1, breakRule() ? 0 : i).uint(2, 0x400000L * i).uint(3, 0x400000L * i + 0x1000)
                        .uint(5, strIndex()).uint(6, strIndex());
                if (r.nextBoolean()) {
                    m.uint(7, 1);
                }
                fields.add(Pb.msg().msg(3, m));
            }
            int nFunctions = r.nextInt(6);
            for (int i = 1; i <= nFunctions; i++) {
                Pb f = Pb.msg().uint(1, breakRule() ? (r.nextBoolean() ? 0 : i - 1) : i).uint(2, strIndex())
                        .uint(3, strIndex()).uint(4, strIndex()).uint(5, r.nextInt(1000));
                fields.add(Pb.msg().msg(5, f));
            }
            int nLocations = r.nextInt(7);
            for (int i = 1; i <= nLocations; i++) {
                Pb l = Pb.msg().uint(1, breakRule() ? (r.nextBoolean() ? 0 : i - 1) : i);
                if (nMappings > 0 && r.nextBoolean()) {
                    l.uint(2, 1 + r.nextInt(nMappings));
                }
                l.uint(3, r.nextLong() >>> 20);
                int lines = nFunctions == 0 ? 0 : r.nextInt(3);
                for (int k = 0; k < lines; k++) {
                    Pb line = Pb.msg().uint(1, id(nFunctions)).uint(2, r.nextInt(5000));
                    if (r.nextBoolean()) {
                        line.uint(3, r.nextInt(80));
                    }
                    l.msg(4, line);
                }
                if (r.nextInt(10) == 0) {
                    l.uint(5, 1);
                }
                fields.add(Pb.msg().msg(4, l));
            }
            int nSamples = r.nextInt(8);
            long valueSum = 0;
            for (int s = 0; s < nSamples; s++) {
                Pb sample = Pb.msg();
                int depth = nLocations == 0 ? 0 : r.nextInt(5);
                long[] locs = new long[depth];
                for (int k = 0; k < depth; k++) {
                    locs[k] = id(nLocations);
                }
                int nValues = breakRule() ? nTypes + (r.nextBoolean() ? 1 : -1) : nTypes;
                long[] values = new long[Math.max(0, nValues)];
                for (int k = 0; k < values.length; k++) {
                    values[k] = r.nextInt(4) == 0 ? r.nextLong() >> r.nextInt(64) : r.nextInt(1000);
                    valueSum += values[k];
                }
                if (r.nextBoolean()) {
                    sample.packed(1, locs).packed(2, values);
                } else {
                    for (long l : locs) {
                        sample.uint(1, l);
                    }
                    for (long v : values) {
                        sample.uint(2, v);
                    }
                }
                int labels = r.nextInt(3);
                for (int k = 0; k < labels; k++) {
                    Pb label = Pb.msg().uint(1, strIndex());
                    if (r.nextBoolean()) {
                        label.uint(2, strIndex());
                    } else {
                        label.uint(3, r.nextInt(1 << 20));
                        if (r.nextBoolean()) {
                            label.uint(4, strIndex());
                        }
                    }
                    sample.msg(3, label);
                }
                fields.add(Pb.msg().msg(2, sample));
            }
            fields.add(Pb.msg().msg(11, Pb.valueType(strIndex(), strIndex())));
            fields.add(Pb.msg().uint(12, r.nextInt(1 << 24)));
            fields.add(Pb.msg().uint(9, r.nextLong() >>> 1));
            fields.add(Pb.msg().uint(10, r.nextInt(1 << 30)));
            if (r.nextBoolean()) {
                fields.add(Pb.msg().packed(13, strIndex(), strIndex()));
            }
            if (r.nextBoolean()) {
                fields.add(Pb.msg().uint(14, strIndex()));
            }
            if (r.nextInt(4) == 0) {
                // unknown fields must be skipped, whatever their wire type
                fields.add(Pb.msg().uint(100 + r.nextInt(1000), r.nextLong()));
                fields.add(Pb.msg().tag(16, Pb.FIXED64).raw(new byte[8]));
                fields.add(Pb.msg().tag(17, Pb.FIXED32).raw(new byte[4]));
                fields.add(Pb.msg().str(18, "unknown"));
            }
            if (breakRule()) {
                fields.add(Pb.msg().tag(1 + r.nextInt(20), 3 + r.nextInt(5)));
            }
            // pprof writes the string table last, but any order is valid
            List<Pb> ordered = new ArrayList<>(fields);
            if (r.nextInt(3) == 0) {
                Collections.shuffle(ordered, r);
            }
            Pb out = Pb.msg();
            boolean stringsFirst = r.nextInt(4) == 0;
            if (stringsFirst) {
                Pb.strings(out, strings.toArray(String[]::new));
            }
            for (Pb f : ordered) {
                out.raw(f.build());
            }
            if (!stringsFirst) {
                Pb.strings(out, strings.toArray(String[]::new));
            }
            return new Generated(out.build(), nSamples, valueSum, !broken);
        }

        String randomString() {
            int n = r.nextInt(12);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) {
                int k = r.nextInt(20);
                b.append(k < 16 ? (char) ('a' + r.nextInt(26)) : k < 18 ? '.' : k < 19 ? 'é' : '\u4e16');
            }
            return b.toString();
        }
    }
}
