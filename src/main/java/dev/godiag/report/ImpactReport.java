package dev.godiag.report;

import dev.godiag.analysis.bench.BenchTables;
import dev.godiag.analysis.profile.ProfileDiff;
import dev.godiag.util.Units;
import dev.godiag.diagnosis.RuntimeFrames;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The upgrade impact report (godiag impact): one toolchain against another, as benchstat's tables of
 * the benchmarks (BenchTables, the old side as the base column), the CPU profiles' diff (DiffView) and
 * the runtime functions that have samples on one side only, each with what it stands for.
 *
 * @param old        the old side
 * @param neu        the new side
 * @param tables     benchstat's tables, columns named by the sides' labels (empty when no benchmark files)
 * @param diff       the profiles compared (null when no profiles)
 * @param oneSide    runtime functions with samples on one side only, by |flat|, |cum|, name
 * @param renamed    runtime functions compared under their newest name (old name to new), sorted
 * @param perOp      how the profiles were put on the same work, or null when compared in absolute values
 */
public record ImpactReport(Side old, Side neu, List<BenchTables.Table> tables, DiffView diff,
                           List<OneSided> oneSide, Map<String, String> renamed, PerOp perOp) {
    public ImpactReport {
        tables = List.copyOf(tables);
        oneSide = List.copyOf(oneSide);
        renamed = Collections.unmodifiableMap(new LinkedHashMap<>(renamed));
    }

    public ImpactReport(Side old, Side neu, List<BenchTables.Table> tables, DiffView diff, List<OneSided> oneSide) {
        this(old, neu, tables, diff, oneSide, Map.of(), null);
    }

    /**
     * The profiles compared for the same work: NEW's values multiplied by {@code scale}, OLD's
     * operations over NEW's (so the diff's NEW total is at OLD's operations).
     *
     * @param source what counted the operations: "benchmark iterations" or "requests"
     */
    public record PerOp(String source, long oldOps, long newOps, double scale) {
        /** One line: how NEW was scaled, and each side's cost per operation. */
        String describe(ProfileDiff.Result r) {
            return String.format(Locale.ROOT, "per operation (%s): old %d, new %d; new scaled by %.4g; %s per"
                            + " operation: old %s, new %s", source, oldOps, newOps, scale, r.sampleType(),
                    Units.label(Math.round((double) r.baseTotal() / oldOps), r.unit()),
                    Units.label(Math.round((double) r.newTotal() / oldOps), r.unit()));
        }
    }

    /**
     * @param label      the Go version (the go:/goversion: configuration key) or "old"/"new"
     * @param goVersion  the Go version when the benchmark files name it, else null
     * @param benchFiles the benchmark files of this side
     * @param profiles   the profiles of this side (merged)
     * @param loads      the load-test summaries of this side (their requests count its operations)
     */
    public record Side(String label, String goVersion, List<String> benchFiles, List<String> profiles,
                       List<String> loads) {
        public Side {
            benchFiles = List.copyOf(benchFiles);
            profiles = List.copyOf(profiles);
            loads = List.copyOf(loads);
        }

        public Side(String label, String goVersion, List<String> benchFiles, List<String> profiles) {
            this(label, goVersion, benchFiles, profiles, List.of());
        }
    }

    /** A runtime function with samples on one side only ("old" or "new"), with its meaning. */
    public record OneSided(ProfileDiff.Row row, String side, RuntimeFrames.Attribution meaning) {
    }

    /** The runtime functions of a diff's rows that are on one side only (rows are already ordered). */
    public static List<OneSided> oneSided(ProfileDiff.Result r) {
        List<OneSided> out = new ArrayList<>();
        for (ProfileDiff.Row row : r.rows()) {
            String only = row.onlyIn();
            RuntimeFrames.Attribution a = RuntimeFrames.explain(row.info().name());
            if (only != null && a != null) {
                out.add(new OneSided(row, only.equals("base") ? "old" : "new", a));
            }
        }
        return out;
    }

    private String sideLabel(OneSided o) {
        return o.side().equals("old") ? old.label() : neu.label();
    }

    private String value(long v) {
        return Units.label(v, diff.result().unit());
    }

    private static String cause(RuntimeFrames.Attribution a) {
        return a.cause().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    public String text() {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("impact: ").append(old.label()).append(" -> ").append(neu.label()).append('\n');
        sb.append("old (").append(old.label()).append("): ").append(files(old)).append('\n');
        sb.append("new (").append(neu.label()).append("): ").append(files(neu)).append('\n');
        if (!tables.isEmpty()) {
            sb.append("\n== Benchmarks (").append(old.label()).append(" is the base) ==\n\n");
            sb.append(BenchRenderers.text(tables));
        }
        if (diff != null) {
            sb.append("\n== CPU profiles: ").append(old.label()).append(" -> ").append(neu.label()).append(" ==\n\n");
            if (perOp != null) {
                sb.append(perOp.describe(diff.result())).append("\n\n");
            }
            sb.append(DiffRenderers.text(diff));
            if (!renamed.isEmpty()) {
                sb.append("\n== Renamed between the versions (compared under the newer name) ==\n");
                renamed.forEach((from, to) -> sb.append("  ").append(from).append(" -> ").append(to).append('\n'));
            }
            sb.append("\n== Runtime functions on one side only ==\n");
            if (oneSide.isEmpty()) {
                sb.append("  (none)\n");
            }
            for (OneSided o : oneSide) {
                ProfileDiff.Row r = o.row();
                long flat = o.side().equals("old") ? r.baseFlat() : r.newFlat();
                long cum = o.side().equals("old") ? r.baseCum() : r.newCum();
                sb.append("  only in ").append(sideLabel(o)).append(": ").append(r.name()).append(" (flat ")
                        .append(value(flat)).append(", cum ").append(value(cum)).append("): ")
                        .append(cause(o.meaning())).append(" - ").append(o.meaning().text()).append('\n');
            }
        }
        return sb.toString();
    }

    private static String files(Side s) {
        List<String> all = new ArrayList<>(s.benchFiles());
        all.addAll(s.profiles());
        all.addAll(s.loads());
        return String.join(", ", all);
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("## godiag impact: ").append(old.label()).append(" → ").append(neu.label()).append("\n\n");
        sb.append("- old (").append(old.label()).append("): ").append(files(old)).append('\n');
        sb.append("- new (").append(neu.label()).append("): ").append(files(neu)).append('\n');
        if (!tables.isEmpty()) {
            sb.append("\n### Benchmarks\n\n").append(BenchRenderers.markdown(tables));
        }
        if (diff != null) {
            if (perOp != null) {
                sb.append("\nCPU profiles compared ").append(perOp.describe(diff.result())).append('\n');
            }
            sb.append('\n').append(DiffRenderers.markdown(diff));
            if (!renamed.isEmpty()) {
                sb.append("\n### Renamed between the versions\n\nCompared under the newer name:\n\n");
                renamed.forEach((from, to) -> sb.append("- `").append(from).append("` → `").append(to)
                        .append("`\n"));
            }
            sb.append("\n### Runtime functions on one side only\n\n");
            if (oneSide.isEmpty()) {
                sb.append("_none_\n");
            } else {
                sb.append("| only in | function | flat | cum | cause | what it is |\n|---|---|---:|---:|---|---|\n");
                for (OneSided o : oneSide) {
                    ProfileDiff.Row r = o.row();
                    boolean isOld = o.side().equals("old");
                    sb.append("| ").append(sideLabel(o)).append(" | `").append(r.name().replace("|", "\\|")
                                    .replace("`", "'")).append("` | ")
                            .append(value(isOld ? r.baseFlat() : r.newFlat())).append(" | ")
                            .append(value(isOld ? r.baseCum() : r.newCum())).append(" | ")
                            .append(cause(o.meaning())).append(" | ").append(o.meaning().text().replace("|", "\\|"))
                            .append(" |\n");
                }
            }
        }
        return sb.toString();
    }

    /** JSON (docs/json.md, "godiag impact"): the sides, bench's and diff's JSON as they are, the one-sided functions. */
    public String json() {
        return Json.write(g -> {
            g.writeStartObject();
            for (Side s : List.of(old, neu)) {
                g.writeObjectFieldStart(s == old ? "old" : "new");
                g.writeStringField("label", s.label());
                g.writeStringField("goVersion", s.goVersion());
                g.writeArrayFieldStart("benchFiles");
                for (String f : s.benchFiles()) {
                    g.writeString(f);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("profiles");
                for (String f : s.profiles()) {
                    g.writeString(f);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("loads");
                for (String f : s.loads()) {
                    g.writeString(f);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeFieldName("benchmarks");
            if (tables.isEmpty()) {
                g.writeNull();
            } else {
                g.writeRawValue(BenchRenderers.json(tables).strip());
            }
            g.writeFieldName("profiles");
            if (diff == null) {
                g.writeNull();
            } else {
                g.writeRawValue(DiffRenderers.json(diff).strip());
            }
            g.writeFieldName("perOp");
            if (perOp == null || diff == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                g.writeStringField("source", perOp.source());
                g.writeNumberField("oldOps", perOp.oldOps());
                g.writeNumberField("newOps", perOp.newOps());
                g.writeNumberField("scale", perOp.scale());
                g.writeNumberField("oldPerOp", (double) diff.result().baseTotal() / perOp.oldOps());
                // NEW as compared is at OLD's operations
                g.writeNumberField("newPerOp", (double) diff.result().newTotal() / perOp.oldOps());
                g.writeStringField("unit", diff.result().unit());
                g.writeEndObject();
            }
            g.writeObjectFieldStart("renamed"); // old name -> the newer name both sides were compared under
            for (Map.Entry<String, String> e : renamed.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("runtimeOneSide");
            for (OneSided o : oneSide) {
                ProfileDiff.Row r = o.row();
                boolean isOld = o.side().equals("old");
                g.writeStartObject();
                g.writeStringField("function", r.name());
                g.writeStringField("side", o.side());
                g.writeStringField("label", sideLabel(o));
                g.writeNumberField("flat", isOld ? r.baseFlat() : r.newFlat());
                g.writeNumberField("cum", isOld ? r.baseCum() : r.newCum());
                g.writeStringField("cause", o.meaning().cause().name().toLowerCase(Locale.ROOT));
                g.writeStringField("meaning", o.meaning().text());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
