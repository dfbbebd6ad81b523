package dev.godiag.testutil;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The rows of the real {@code pprof -top}, as exact integers: the judge of per-function values. */
public final class PprofTop {
    private PprofTop() {
    }

    /** name -> {flat, cum}; names without pprof's "(inline)" markers, which {@link #markers} keeps. */
    public static final class Rows extends TreeMap<String, long[]> {
        /** name -> " (inline)", " (partial-inline)" or "" as pprof printed it. */
        public final Map<String, String> markers = new TreeMap<>();

        public void add(String name, long flat, long cum) {
            long[] r = computeIfAbsent(name, k -> new long[2]);
            r[0] += flat;
            r[1] += cum;
        }

        /** Without rows that are zero (pprof lists nodes of other sample types with 0 0). */
        public Map<String, List<Long>> nonZero() {
            Map<String, List<Long>> m = new TreeMap<>();
            forEach((k, v) -> {
                if (v[0] != 0 || v[1] != 0) {
                    m.put(k, List.of(v[0], v[1]));
                }
            });
            return m;
        }
    }

    private static final Pattern ROW = Pattern.compile(
            "^\\s*(-?\\d+)[a-zA-Z]*\\s+\\S+\\s+\\S+\\s+(-?\\d+)[a-zA-Z]*\\s+\\S+\\s+(.*?)( \\((partial-)?inline\\))?$");

    /**
     * Runs Go 1.27's pprof -top with no node or edge trimming.
     *
     * @param sampleIndex "" for the default
     * @param unit        the profile's base unit (ns, B) so values print as integers; "" for counts
     */
    public static Rows run(Path file, String sampleIndex, String unit, String... more) {
        List<String> cmd = new ArrayList<>(List.of(Peers.pprof127().toString(), "-top", "-nodefraction=0",
                "-edgefraction=0", "-nodecount=100000"));
        cmd.addAll(List.of(more));
        if (!sampleIndex.isEmpty()) {
            cmd.add("-sample_index=" + sampleIndex);
        }
        if (!unit.isEmpty()) {
            cmd.add("-unit=" + unit);
        }
        cmd.add(file.toString());
        Peers.Result r = Peers.run(cmd, null);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Rows rows = new Rows();
        boolean body = false;
        for (String line : r.stdout().split("\n")) {
            if (line.trim().startsWith("flat  flat%")) {
                body = true;
                continue;
            }
            if (body) {
                Matcher m = ROW.matcher(line);
                assertThat(m.matches()).as(line).isTrue();
                rows.add(m.group(3), Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
                rows.markers.put(m.group(3), m.group(4) == null ? "" : m.group(4));
            }
        }
        assertThat(body).as(r.stdout()).isTrue();
        return rows;
    }
}
