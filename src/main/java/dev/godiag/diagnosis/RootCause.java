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
 * leak and the CPU spent filling the same buffer), and the process-wide symptoms a cause's own
 * numbers account for (descriptors and heap that grow with leaked connections or sql.DBs).
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
        joinSymptoms(groups);
        List<RootCause> out = new ArrayList<>();
        for (List<Finding> g : groups) {
            out.add(new RootCause(rated(g), g.subList(1, g.size())));
        }
        out.sort(Comparator.comparingInt((RootCause c) -> c.lead().score()).reversed()
                .thenComparing(Comparator.comparingInt((RootCause c) -> c.related().size()).reversed())
                .thenComparing(c -> c.lead().rule()).thenComparing(c -> c.lead().title()));
        return out;
    }

    /**
     * A process-wide symptom that a cause's own numbers account for: open descriptors that grow as
     * the leaked connections' sockets or the piled-up DBs' pools do, a heap whose growth is in the
     * connections' buffers or in what database/sql keeps alive.
     */
    private record Symptom(String rule, java.util.function.BiPredicate<Finding, Finding> explainedBy) {
    }

    /** Packages whose allocations are a network connection's machinery (its buffers and TLS state). */
    private static final List<String> CONNECTION_PACKAGES = List.of("bufio.", "net/http.", "net.", "crypto/tls.");

    /** database/sql keeps up to 2 idle connections per DB by default (SetMaxIdleConns). */
    private static final int SQL_DEFAULT_IDLE_CONNS = 2;

    private static final List<Symptom> SYMPTOMS = List.of(
            new Symptom("io.fd-growth", (symptom, cause) -> {
                List<?> fds = symptom.evidence().get("openFdsPerSnapshot") instanceof List<?> l ? l : List.of();
                long growth = fds.size() >= 2 && fds.get(0) instanceof Number a && fds.get(fds.size() - 1) instanceof Number b
                        ? b.longValue() - a.longValue() : 0;
                if (growth <= 0) {
                    return false;
                }
                long sockets = number(cause, "socketsGrowth");
                if (sockets > 0) {
                    return sockets * 2 >= growth; // at least half the new descriptors
                }
                // DBs piling up: each pool's idle connections are sockets (both ends when the database
                // runs in this process), so in step means one per two DBs up to twice the idle limit per DB
                long dbs = number(cause, "dbsGrowth");
                return cause.evidence().get("openFdsGrowth") instanceof Number && dbs > 0 && growth * 2 >= dbs
                        && growth <= 2L * SQL_DEFAULT_IDLE_CONNS * dbs;
            }),
            new Symptom("memory.heap-growth", (symptom, cause) -> {
                if (number(cause, "clientConnectionsHeapBytes") > 0) {
                    return symptom.evidence().get("topSite") instanceof String site
                            && CONNECTION_PACKAGES.stream().anyMatch(site::startsWith);
                }
                // what database/sql keeps alive grew by at least half of what the heap did, or is its top site
                long sql = number(cause, "sqlHeapGrowthBytes");
                long heap = number(symptom, "lastLiveBytes") - number(symptom, "firstLiveBytes");
                return sql > 0 && heap > 0 && (sql * 2 >= heap
                        || symptom.evidence().get("topSite") instanceof String site && site.startsWith("database/sql."));
            }));

    private static long number(Finding f, String key) {
        return f.evidence().get(key) instanceof Number n ? n.longValue() : 0;
    }

    /** Moves each symptom that a group's lead explains into that group, after its own findings. */
    private static void joinSymptoms(List<List<Finding>> groups) {
        for (List<Finding> cause : new ArrayList<>(groups)) {
            if (!groups.contains(cause)) {
                continue; // moved into another cause already
            }
            for (Symptom symptom : SYMPTOMS) {
                for (java.util.Iterator<List<Finding>> it = groups.iterator(); it.hasNext(); ) {
                    List<Finding> g = it.next();
                    if (g != cause && g.size() == 1 && g.get(0).rule().equals(symptom.rule())
                            && symptom.explainedBy().test(g.get(0), cause.get(0))) {
                        cause.add(g.get(0));
                        it.remove();
                    }
                }
            }
        }
    }

    /**
     * The group's lead, rated as the highest of its findings when a symptom it explains is rated
     * higher (the cause of a critical descriptor leak is as critical as the leak), saying so.
     */
    private static Finding rated(List<Finding> g) {
        Finding lead = g.get(0);
        Finding top = g.stream().max(Comparator.comparingInt(Finding::score)).orElse(lead);
        if (top.score() <= lead.score()) {
            return lead;
        }
        java.util.Map<String, Object> evidence = new java.util.LinkedHashMap<>(lead.evidence());
        evidence.put("ratedBy", top.rule() + " " + top.score());
        return new Finding(lead.rule(), lead.topic(), lead.title(), top.score(), lead.summary() + "; rated as what it"
                + " causes (" + top.rule() + ")", lead.location(), evidence, lead.cards(), lead.units());
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
