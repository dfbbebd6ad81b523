package dev.godiag.report;

import dev.godiag.analysis.runtime.MemoryGrowth;
import dev.godiag.util.Units;

import java.util.List;
import java.util.Locale;

/** The memory growth report as text, markdown and JSON. */
public final class MemoryRenderers {
    /** Growing sites listed in text and markdown; JSON has them all. */
    static final int SITES_SHOWN = 10;

    private MemoryRenderers() {
    }

    /** @param kind what the points are ("heap profiles", "memstats snapshots", "live heap after each GC") */
    public static String text(MemoryGrowth.Result r, String kind) {
        StringBuilder sb = new StringBuilder();
        sb.append("Memory: ").append(r.verdict().id()).append(" (").append(r.points().size()).append(' ')
                .append(kind).append(")\n");
        sb.append(r.reason()).append('\n');
        if (r.objectSizeHint() != null) {
            sb.append(r.objectSizeHint()).append('\n');
        }
        sb.append('\n');
        if (r.points().size() <= 40) {
            sb.append(String.format(Locale.ROOT, "%10s %12s %10s  %s%n", "time s", "live heap", "objects", "snapshot"));
            for (MemoryGrowth.Point p : r.points()) {
                sb.append(String.format(Locale.ROOT, "%10s %12s %10s  %s%n",
                        Double.isNaN(p.timeSeconds()) ? "-" : String.format(Locale.ROOT, "%.1f", p.timeSeconds()),
                        Units.bytes(Math.round(p.liveBytes())),
                        Double.isNaN(p.objects()) ? "-" : Long.toString(Math.round(p.objects())), p.label()));
            }
        } else {
            MemoryGrowth.Point first = r.points().get(0);
            MemoryGrowth.Point last = r.points().get(r.points().size() - 1);
            sb.append(String.format(Locale.ROOT, "live heap %s at %.1fs → %s at %.1fs, peak %s%n",
                    Units.bytes(Math.round(first.liveBytes())), first.timeSeconds(),
                    Units.bytes(Math.round(last.liveBytes())), last.timeSeconds(),
                    Units.label(Math.round(r.points().stream().mapToDouble(MemoryGrowth.Point::liveBytes).max()
                            .orElse(0)), "bytes")));
        }
        if (!r.growingSites().isEmpty()) {
            sb.append("\nGrowing allocation sites (inuse_space per snapshot):\n");
            for (MemoryGrowth.Site s : r.growingSites().subList(0, Math.min(SITES_SHOWN, r.growingSites().size()))) {
                sb.append(String.format(Locale.ROOT, "%10s %6s  %s %s:%d%n        %s%n",
                        "+" + Units.bytes(s.growth()), share(s.shareOfGrowth()), s.function(), s.file(),
                        s.line(), MemoryGrowth.series(s.inuseBytes()) + (s.onlyGrows() ? "  (only grows)" : "")));
            }
        }
        return sb.toString();
    }

    /**
     * A site's share of the heap's net growth: above 100% only when other memory shrank meanwhile
     * (shown as such, the reason says so); none when the heap did not grow.
     */
    static String share(double s) {
        if (!Double.isFinite(s)) {
            return "n/a";
        }
        return s > 1.005 ? ">100%" : Math.round(100 * s) + "%";
    }

    public static String markdown(MemoryGrowth.Result r, String kind) {
        StringBuilder sb = new StringBuilder("### Memory: ").append(r.verdict().id()).append("\n\n");
        sb.append(r.reason().replace("|", "\\|")).append(" (").append(r.points().size()).append(' ').append(kind)
                .append(")\n");
        if (!r.growingSites().isEmpty()) {
            sb.append("\n| growth | share | site | inuse per snapshot |\n|---:|---:|---|---|\n");
            for (MemoryGrowth.Site s : r.growingSites().subList(0, Math.min(SITES_SHOWN, r.growingSites().size()))) {
                sb.append(String.format(Locale.ROOT, "| +%s | %s | `%s` `%s:%d` | %s |%n",
                        Units.bytes(s.growth()), share(s.shareOfGrowth()), s.function().replace("|", "\\|"),
                        s.file().replace("|", "\\|"), s.line(), MemoryGrowth.series(s.inuseBytes())));
            }
        }
        return sb.toString();
    }

    public static String json(MemoryGrowth.Result r, String kind, List<String> sources) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("input", kind);
            g.writeArrayFieldStart("sources");
            for (String s : sources) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeStringField("verdict", r.verdict().id());
            g.writeStringField("reason", r.reason());
            MemoryGrowth.Fit f = r.fit();
            String per = f.perSecond() ? "Second" : "Snapshot";
            GcRenderers.number(g, "slopeBytesPer" + per, f.slope());
            g.writeObjectFieldStart("fit");
            g.writeStringField("per", f.perSecond() ? "second" : "snapshot");
            GcRenderers.number(g, "slope", f.slope());
            GcRenderers.number(g, "slopeLow95", f.slopeLow());
            GcRenderers.number(g, "slopeHigh95", f.slopeHigh());
            GcRenderers.number(g, "intercept", f.intercept());
            GcRenderers.number(g, "r2", f.r2());
            g.writeNumberField("points", f.n());
            g.writeEndObject();
            g.writeArrayFieldStart("points");
            for (MemoryGrowth.Point p : r.points()) {
                g.writeStartObject();
                g.writeStringField("label", p.label());
                GcRenderers.number(g, "timeSeconds", p.timeSeconds());
                g.writeNumberField("liveBytes", Math.round(p.liveBytes()));
                if (!Double.isNaN(p.objects())) {
                    g.writeNumberField("objects", Math.round(p.objects()));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("growingSites");
            for (MemoryGrowth.Site s : r.growingSites()) {
                g.writeStartObject();
                g.writeStringField("function", s.function());
                g.writeStringField("file", s.file());
                g.writeNumberField("line", s.line());
                g.writeArrayFieldStart("inuseBytes");
                for (long b : s.inuseBytes()) {
                    g.writeNumber(b);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("inuseObjects");
                for (long b : s.inuseObjects()) {
                    g.writeNumber(b);
                }
                g.writeEndArray();
                GcRenderers.number(g, "shareOfGrowth", s.shareOfGrowth());
                g.writeBooleanField("onlyGrows", s.onlyGrows());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (r.objectSizeHint() != null) {
                g.writeStringField("objectSizeHint", r.objectSizeHint());
            }
            g.writeEndObject();
        });
    }
}
