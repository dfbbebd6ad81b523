package dev.godiag.diagnosis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One thing to fix: the findings that point at the same place in the code (a function, or a
 * file and line), told as one. The lead is the finding with the highest score; the others are
 * further evidence of the same cause from other rules and profiles (the regexp compiled per call
 * and the allocations it makes; the leaked goroutines and the context nobody cancels; the memory
 * leak and the CPU spent filling the same buffer).
 *
 * @param lead    the finding that names the cause
 * @param related the other findings at the same place, highest score first
 */
public record RootCause(Finding lead, List<Finding> related) {
    public RootCause {
        Objects.requireNonNull(lead);
        related = List.copyOf(related);
    }

    /**
     * Findings about the process as a whole: their location is only the largest contributor, so
     * they are not merged into the finding of that one place.
     */
    static final Set<String> WHOLE_PROCESS_RULES = Set.of("goroutines.explosion");

    /** The lead and the related findings, lead first. */
    public List<Finding> all() {
        List<Finding> all = new ArrayList<>(related.size() + 1);
        all.add(lead);
        all.addAll(related);
        return all;
    }

    /** The highest severity among the findings (the lead's: it has the highest score). */
    public Severity severity() {
        return lead.severity();
    }

    /**
     * Groups findings that share a place and ranks the groups: by the lead's score, then the one
     * with more evidence sources first (two rules agreeing on a place is a surer cause than one),
     * then by rule id and title. Findings without a usable place stay alone.
     */
    public static List<RootCause> group(List<Finding> findings) {
        List<Finding> ranked = new ArrayList<>(findings);
        ranked.sort(Comparator.comparingInt(Finding::score).reversed().thenComparing(Finding::rule)
                .thenComparing(Finding::title));
        List<List<Finding>> groups = new ArrayList<>();
        for (Finding f : ranked) {
            List<Finding> home = null;
            if (mergeable(f)) {
                for (List<Finding> g : groups) {
                    if (g.stream().anyMatch(o -> mergeable(o) && samePlace(f, o))) {
                        home = g;
                        break;
                    }
                }
            }
            if (home == null) {
                groups.add(home = new ArrayList<>());
            }
            home.add(f);
        }
        List<RootCause> out = new ArrayList<>();
        for (List<Finding> g : groups) {
            out.add(new RootCause(g.get(0), g.subList(1, g.size())));
        }
        out.sort(Comparator.comparingInt((RootCause c) -> c.lead().score()).reversed()
                .thenComparing(Comparator.comparingInt((RootCause c) -> c.related().size()).reversed())
                .thenComparing(c -> c.lead().rule()).thenComparing(c -> c.lead().title()));
        return out;
    }

    private static boolean mergeable(Finding f) {
        return f.location() != null && !WHOLE_PROCESS_RULES.contains(f.rule());
    }

    /**
     * The same function (in the same file when both name one), or the same file and line. A
     * function name that is no place (unknown, a bare address) matches nothing.
     */
    static boolean samePlace(Finding a, Finding b) {
        Finding.Location x = a.location();
        Finding.Location y = b.location();
        String fx = nonEmpty(x.file());
        String fy = nonEmpty(y.file());
        if (fx != null && fx.equals(fy) && x.line() > 0 && x.line() == y.line()) {
            return true;
        }
        if (!named(x.function()) || !x.function().equals(y.function())) {
            return false;
        }
        return fx == null || fy == null || fx.equals(fy);
    }

    private static boolean named(String function) {
        return function != null && !function.isEmpty() && !function.startsWith("<") && !function.startsWith("0x")
                && !function.startsWith("[");
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
