package dev.godiag.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.godiag.analysis.compiler.CompilerJoin;
import dev.godiag.analysis.compiler.EscapeReport;
import dev.godiag.diagnosis.CompilerCards;
import dev.godiag.diagnosis.KnowledgeBase;
import dev.godiag.model.compiler.BoundsCheck;
import dev.godiag.model.compiler.CompilerDiagnostics;
import dev.godiag.model.compiler.Escape;
import dev.godiag.model.compiler.EscapeKind;
import dev.godiag.model.compiler.EscapeReason;
import dev.godiag.model.compiler.FlowStep;
import dev.godiag.model.compiler.InlineDecision;
import dev.godiag.model.compiler.SourcePos;
import dev.godiag.util.BadInputException;
import dev.godiag.util.Units;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The godiag escape report: each escape with its place, what, why and flow, hottest first with
 * profiles; the allocation sites with their escapes; the hot functions with the inliner's word;
 * the bounds checks at hot lines; the cards' fixes for the reasons seen. Text for a terminal (the
 * compiler's strings with control characters escaped), JSON (docs/json.md), markdown.
 */
public final class EscapeRenderers {
    /** The parts of a report, as every format shows them. */
    private record Parts(List<CompilerJoin.RankedEscape> escapes, Set<EscapeReason> reasons, boolean notInlined,
                         boolean boundsChecks) {
    }

    private EscapeRenderers() {
    }

    /** Input text made safe for a terminal line. */
    private static String t(String s) {
        return BadInputException.oneLine(s);
    }

    private static Parts parts(EscapeReport r) {
        Set<EscapeReason> reasons = new LinkedHashSet<>();
        List<CompilerJoin.RankedEscape> shown = r.escapes();
        for (CompilerJoin.RankedEscape e : shown) {
            reasons.add(e.escape().reason());
        }
        boolean notInlined = r.hotFunctions().stream().anyMatch(h -> h.decision() != null && !h.decision().inlinable());
        return new Parts(shown, reasons, notInlined, !r.hotChecks().isEmpty());
    }

    static String headline(EscapeReport r) {
        CompilerDiagnostics d = r.diagnostics();
        long moved = d.escapes().stream().filter(e -> e.kind() == EscapeKind.MOVED).count();
        long escapes = d.escapes().stream().filter(e -> e.kind() == EscapeKind.ESCAPES).count();
        long params = d.escapes().stream().filter(e -> e.kind() == EscapeKind.LEAKING_PARAM).count();
        long notInlined = d.inlining().stream().filter(i -> !i.inlinable()).count();
        return String.format(Locale.ROOT, "%d escapes to heap, %d moved to heap, %d leaking params; %d functions"
                        + " not inlined, %d inlined calls, %d bounds checks (%d log%s)", escapes, moved, params, notInlined,
                d.inlinedCalls().size(), d.boundsChecks().size(), r.logs().size(), r.logs().size() == 1 ? "" : "s");
    }

    private static String weight(CompilerJoin.Weight w) {
        String value = w.measure().endsWith("bytes") ? Units.bytes(w.value()) : Long.toString(w.value());
        return String.format(Locale.ROOT, "%.1f%% of %s in %s (%s)", w.share() * 100, w.measure(), t(w.profile()), value);
    }

    private static String decision(InlineDecision d) {
        if (d == null) {
            return "no inlining decision in the logs";
        }
        if (d.inlinable()) {
            return d.cost() >= 0 ? "inlinable (cost " + d.cost() + ")" : "inlinable";
        }
        return "not inlined: " + t(d.reason());
    }

    private static String escapeLine(Escape e) {
        return e.pos() + "  " + e.kind().words() + ": " + t(e.what());
    }

    // ---- text

    public static String text(EscapeReport r, KnowledgeBase kb) {
        Parts p = parts(r);
        StringBuilder sb = new StringBuilder();
        sb.append("godiag escape: ").append(headline(r)).append('\n');
        if (!r.profiles().isEmpty()) {
            sb.append("profiles: ").append(t(String.join(", ", r.profiles()))).append('\n');
        }
        for (String w : r.warnings()) {
            sb.append("warning: ").append(t(w)).append('\n');
        }
        if (!r.sites().isEmpty()) {
            sb.append("\nAllocation sites (heaviest first)\n");
            for (CompilerJoin.AllocationSite s : r.sites()) {
                sb.append(String.format(Locale.ROOT, "  %5.1f%%  %10s  %s:%d  %s%n", s.site().share() * 100,
                        Units.bytes(s.site().value()), t(s.site().file()), s.site().line(), t(s.site().function())));
                if (s.escapes().isEmpty()) {
                    sb.append("          no escape reported at this line (an allocation inside a call?)\n");
                }
                for (Escape e : s.escapes()) {
                    sb.append("          ").append(e.kind().words()).append(": ").append(t(e.what())).append(" (col ")
                            .append(e.pos().column()).append(") — ").append(e.reason().words()).append('\n');
                }
            }
        }
        if (!r.hotFunctions().isEmpty()) {
            sb.append("\nHot functions (flat CPU) and inlining\n");
            for (CompilerJoin.HotFunction h : r.hotFunctions()) {
                sb.append(String.format(Locale.ROOT, "  %5.1f%%  %s  %s%n", h.share() * 100, t(h.function()),
                        decision(h.decision())));
                List<String> callees = h.decision() == null ? List.of()
                        : CompilerJoin.inlinedCallees(r.diagnostics(), h.decision());
                if (!callees.isEmpty()) {
                    sb.append("          inlined in it: ").append(t(String.join(", ", callees))).append('\n');
                }
                for (CompilerJoin.HotCallee c : h.callees()) {
                    sb.append("          calls ").append(t(c.summary())).append('\n');
                }
            }
        }
        if (!r.hotChecks().isEmpty()) {
            sb.append("\nBounds checks at hot lines\n");
            for (CompilerJoin.HotBoundsCheck c : r.hotChecks()) {
                sb.append(String.format(Locale.ROOT, "  %5.1f%%  %s  %s%n", c.share() * 100, t(c.check().pos().toString()),
                        c.check().slice() ? "slice bounds check (IsSliceInBounds)" : "index bounds check (IsInBounds)"));
            }
        }
        if (!p.escapes().isEmpty()) {
            sb.append("\nEscapes").append(r.profiles().isEmpty() ? "" : " (heaviest first)").append('\n');
            for (CompilerJoin.RankedEscape re : p.escapes()) {
                Escape e = re.escape();
                sb.append("  ").append(t(escapeLine(e))).append('\n');
                sb.append("      why: ").append(e.reason().words()).append('\n');
                for (CompilerJoin.Weight w : re.weights()) {
                    sb.append("      weight: ").append(weight(w)).append('\n');
                }
                for (FlowStep s : e.flow()) {
                    sb.append(s.text().startsWith("flow: ") ? "      " : "        ").append(t(s.text()));
                    if (s.at() != null) {
                        sb.append(" at ").append(t(s.at().toString()));
                    }
                    sb.append('\n');
                }
            }
        }
        fixes(sb, p, kb);
        return sb.toString();
    }

    private static void fixes(StringBuilder sb, Parts p, KnowledgeBase kb) {
        List<String> cards = cards(p);
        if (cards.isEmpty()) {
            return;
        }
        sb.append("\nFixes\n");
        for (String id : cards) {
            KnowledgeBase.Card c = kb.card(id);
            if (c != null) {
                sb.append("  ").append(c.title()).append(" (").append(id).append(")\n      ")
                        .append(c.fix().strip()).append('\n');
            }
        }
    }

    private static List<String> cards(Parts p) {
        List<String> out = new ArrayList<>();
        for (EscapeReason reason : p.reasons()) {
            out.add(CompilerCards.escape(reason));
        }
        if (p.notInlined()) {
            out.add(CompilerCards.NOT_INLINED);
        }
        if (p.boundsChecks()) {
            out.add(CompilerCards.BOUNDS_CHECK);
        }
        return out;
    }

    // ---- markdown

    public static String markdown(EscapeReport r, KnowledgeBase kb) {
        Parts p = parts(r);
        StringBuilder sb = new StringBuilder("### godiag escape\n\n").append(ScanRenderers.md(headline(r))).append("\n\n");
        if (!r.profiles().isEmpty()) {
            sb.append("Profiles: ").append(ScanRenderers.md(String.join(", ", r.profiles()))).append("\n\n");
        }
        for (String w : r.warnings()) {
            sb.append("> ").append(ScanRenderers.md(w)).append("\n\n");
        }
        if (!r.sites().isEmpty()) {
            sb.append("#### Allocation sites\n\n| share | bytes | site | function | escapes |\n|---:|---:|---|---|---|\n");
            for (CompilerJoin.AllocationSite s : r.sites()) {
                StringBuilder why = new StringBuilder();
                for (Escape e : s.escapes()) {
                    why.append(why.isEmpty() ? "" : "; ").append(ScanRenderers.code(e.what())).append(": ")
                            .append(e.reason().words());
                }
                sb.append(String.format(Locale.ROOT, "| %.1f%% | %s | %s | %s | %s |%n", s.site().share() * 100,
                        Units.bytes(s.site().value()), ScanRenderers.md(s.site().file() + ":" + s.site().line()),
                        ScanRenderers.code(s.site().function()), why.isEmpty() ? "none at this line" : why));
            }
            sb.append('\n');
        }
        if (!r.hotFunctions().isEmpty()) {
            sb.append("#### Hot functions\n\n| flat CPU | function | inlining | callees (CPU under it) |\n|---:|---|---|---|\n");
            for (CompilerJoin.HotFunction h : r.hotFunctions()) {
                sb.append(String.format(Locale.ROOT, "| %.1f%% | %s | %s | %s |%n", h.share() * 100,
                        ScanRenderers.code(h.function()), ScanRenderers.md(decision(h.decision())),
                        h.callees().isEmpty() ? "" : ScanRenderers.md(String.join("; ",
                                h.callees().stream().map(CompilerJoin.HotCallee::summary).toList()))));
            }
            sb.append('\n');
        }
        if (!r.hotChecks().isEmpty()) {
            sb.append("#### Bounds checks at hot lines\n\n");
            for (CompilerJoin.HotBoundsCheck c : r.hotChecks()) {
                sb.append(String.format(Locale.ROOT, "- %.1f%% of CPU at %s%n", c.share() * 100,
                        ScanRenderers.md(c.check().pos().toString())));
            }
            sb.append('\n');
        }
        if (!p.escapes().isEmpty()) {
            sb.append("#### Escapes\n\n| place | what | why | weight |\n|---|---|---|---|\n");
            for (CompilerJoin.RankedEscape re : p.escapes()) {
                Escape e = re.escape();
                sb.append("| ").append(ScanRenderers.md(e.pos().toString())).append(" | ").append(e.kind().words())
                        .append(": ").append(ScanRenderers.code(e.what())).append(" | ").append(e.reason().words())
                        .append(" | ").append(re.weights().isEmpty() ? "" : ScanRenderers.md(weight(re.weights().getFirst())))
                        .append(" |\n");
            }
            sb.append('\n');
        }
        List<String> cards = cards(p);
        if (!cards.isEmpty()) {
            sb.append("#### Fixes\n\n");
            for (String id : cards) {
                KnowledgeBase.Card c = kb.card(id);
                if (c != null) {
                    sb.append("- **").append(ScanRenderers.md(c.title())).append("** (`").append(id).append("`): ")
                            .append(ScanRenderers.md(c.fix().strip())).append('\n');
                }
            }
        }
        return sb.toString();
    }

    // ---- JSON

    public static String json(EscapeReport r, String version) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("version", version);
            g.writeArrayFieldStart("logs");
            for (String l : r.logs()) {
                g.writeString(l);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("profiles");
            for (String l : r.profiles()) {
                g.writeString(l);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("escapes");
            for (CompilerJoin.RankedEscape re : r.escapes()) {
                escape(g, re.escape());
                g.writeArrayFieldStart("weights");
                for (CompilerJoin.Weight w : re.weights()) {
                    g.writeStartObject();
                    g.writeStringField("profile", w.profile());
                    g.writeStringField("measure", w.measure());
                    g.writeNumberField("value", w.value());
                    g.writeNumberField("share", w.share());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("allocationSites");
            for (CompilerJoin.AllocationSite s : r.sites()) {
                g.writeStartObject();
                g.writeStringField("file", s.site().file());
                g.writeNumberField("line", s.site().line());
                g.writeStringField("function", s.site().function());
                g.writeNumberField("value", s.site().value());
                g.writeNumberField("share", s.site().share());
                g.writeArrayFieldStart("escapes");
                for (Escape e : s.escapes()) {
                    escape(g, e);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("hotFunctions");
            for (CompilerJoin.HotFunction h : r.hotFunctions()) {
                g.writeStartObject();
                g.writeStringField("function", h.function());
                g.writeStringField("file", h.file());
                g.writeNumberField("value", h.value());
                g.writeNumberField("share", h.share());
                if (h.decision() != null) {
                    g.writeFieldName("inlining");
                    inlining(g, h.decision());
                    g.writeArrayFieldStart("inlinedCallees");
                    for (String c : CompilerJoin.inlinedCallees(r.diagnostics(), h.decision())) {
                        g.writeString(c);
                    }
                    g.writeEndArray();
                }
                g.writeArrayFieldStart("hotCallees");
                for (CompilerJoin.HotCallee c : h.callees()) {
                    g.writeStartObject();
                    g.writeStringField("function", c.function());
                    g.writeNumberField("value", c.value());
                    g.writeNumberField("share", c.share());
                    g.writeBooleanField("inlined", c.inlined());
                    if (c.decision() != null) {
                        g.writeFieldName("inlining");
                        inlining(g, c.decision());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("hotBoundsChecks");
            for (CompilerJoin.HotBoundsCheck c : r.hotChecks()) {
                g.writeStartObject();
                pos(g, c.check().pos());
                g.writeBooleanField("slice", c.check().slice());
                g.writeNumberField("value", c.value());
                g.writeNumberField("share", c.share());
                g.writeEndObject();
            }
            g.writeEndArray();
            CompilerDiagnostics d = r.diagnostics();
            g.writeArrayFieldStart("inlining");
            for (InlineDecision i : d.inlining()) {
                inlining(g, i);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("boundsChecks");
            for (BoundsCheck b : d.boundsChecks()) {
                g.writeStartObject();
                pos(g, b.pos());
                g.writeBooleanField("slice", b.slice());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("inlinedCalls", d.inlinedCalls().size());
            g.writeArrayFieldStart("warnings");
            for (String w : r.warnings()) {
                g.writeString(w);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** An escape's fields, its object left open. */
    private static void escape(JsonGenerator g, Escape e) throws IOException {
        g.writeStartObject();
        pos(g, e.pos());
        g.writeStringField("kind", e.kind().name().toLowerCase(Locale.ROOT));
        g.writeStringField("what", e.what());
        g.writeStringField("function", e.function());
        g.writeStringField("reason", e.reason().id());
        g.writeStringField("card", CompilerCards.escape(e.reason()));
        g.writeArrayFieldStart("flow");
        for (FlowStep s : e.flow()) {
            g.writeStartObject();
            g.writeStringField("text", s.text());
            if (s.at() != null) {
                g.writeStringField("at", s.at().toString());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void inlining(JsonGenerator g, InlineDecision i) throws IOException {
        g.writeStartObject();
        pos(g, i.pos());
        g.writeStringField("function", i.function());
        g.writeBooleanField("inlinable", i.inlinable());
        if (i.cost() >= 0) {
            g.writeNumberField("cost", i.cost());
        }
        if (i.budget() >= 0) {
            g.writeNumberField("budget", i.budget());
        }
        if (!i.inlinable()) {
            g.writeStringField("reason", i.reason());
        }
        g.writeEndObject();
    }

    private static void pos(JsonGenerator g, SourcePos p) throws IOException {
        g.writeStringField("file", p.file());
        g.writeNumberField("line", p.line());
        g.writeNumberField("column", p.column());
    }
}
