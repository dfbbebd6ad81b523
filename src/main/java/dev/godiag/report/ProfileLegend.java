package dev.godiag.report;

import dev.godiag.util.Units;
import dev.godiag.model.Mapping;
import dev.godiag.model.Profile;
import dev.godiag.util.GoPaths;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/** The header lines pprof prints above a report (File, Build ID, comments, Type, Doc, Time, Duration). */
public final class ProfileLegend {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

    private ProfileLegend() {
    }

    /**
     * @param sampleType  the type shown ("cpu", "inuse_space")
     * @param sampleUnit  its unit as the profile names it
     * @param total       the report total, for "Total samples"
     * @param formatValue formats a value in the report's output unit
     */
    public static List<String> lines(Profile p, String sampleType, String sampleUnit, long total,
                                     LongFunction<String> formatValue) {
        List<String> label = new ArrayList<>();
        if (!p.mappings().isEmpty()) {
            Mapping m = p.mappings().get(0);
            if (!m.file().isEmpty()) {
                label.add("File: " + GoPaths.base(m.file()));
            }
            if (!m.buildId().isEmpty()) {
                label.add("Build ID: " + m.buildId());
            }
        }
        for (String c : p.comments()) {
            if (!c.startsWith("#")) {
                label.add(c);
            }
        }
        if (!sampleType.isEmpty()) {
            label.add("Type: " + sampleType);
        }
        if (!p.docUrl().isEmpty()) {
            label.add("Doc: " + p.docUrl());
        }
        if (p.timeNanos() != 0) {
            label.add("Time: " + formatTime(p.timeNanos()));
        }
        if (p.durationNanos() != 0) {
            String duration = Units.label(p.durationNanos(), "nanoseconds");
            Units.Scaled totalNanos = Units.scale(total, sampleUnit, "nanoseconds");
            String ratio = "";
            if (totalNanos.unit().equals("ns") && totalNanos.value() != 0) {
                ratio = "(" + Units.percentage((long) totalNanos.value(), p.durationNanos()) + ")";
            }
            label.add("Duration: " + duration + ", Total samples = " + formatValue.apply(total) + " " + ratio);
        }
        return label;
    }

    /** Go's "2006-01-02 15:04:05 MST" in the local time zone. */
    public static String formatTime(long nanos) {
        Instant t = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        return TIME.format(t.atZone(ZoneId.systemDefault()));
    }
}
