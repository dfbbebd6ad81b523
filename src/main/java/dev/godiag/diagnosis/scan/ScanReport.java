package dev.godiag.diagnosis.scan;

import dev.godiag.diagnosis.Severity;

import java.util.Comparator;
import java.util.List;

/**
 * What a scan found: what {@code godiag scan} reports.
 *
 * @param findings  the findings, hottest first when profiles were given, else by file and line
 * @param checks    the checks that ran
 * @param files     the files scanned (parsed and checked)
 * @param skipped   files a walk passed over: generated ones
 * @param diffBase  the revision of --diff, or null
 * @param profiles  the profiles that ranked the findings, as "name (measure)"
 * @param warnings  files that did not parse (file:line:col: why), suppression comments that
 *                  silence nothing, profiles that rank nothing
 */
public record ScanReport(List<Ranked> findings, List<CheckInfo> checks, int files, int skipped, String diffBase,
                         List<String> profiles, List<String> warnings) {

    public ScanReport {
        findings = List.copyOf(findings);
        checks = List.copyOf(checks);
        profiles = List.copyOf(profiles);
        warnings = List.copyOf(warnings);
    }

    /**
     * A finding with what the profiles say its code costs.
     *
     * @param weights  the profiles in which the finding's code carries weight, heaviest share first
     * @param severity the check's severity, raised to warning when the code carries at least
     *                 {@link #HOT_SHARE} of a profile
     * @param link     the finding's line in the repository's web view (from --source-url), or null
     */
    public record Ranked(ScanFinding finding, List<ProfileWeights.Weight> weights, Severity severity, String link) {
        public Ranked {
            weights = List.copyOf(weights);
        }

        /** The largest share of any profile, 0 without weight. */
        public double share() {
            return weights.isEmpty() ? 0 : weights.get(0).share();
        }
    }

    /** The share of a profile that makes a pattern's code hot enough to matter in review. */
    public static final double HOT_SHARE = 0.05;

    /** Hottest first; then file, line, column, check. */
    public static final Comparator<Ranked> ORDER = Comparator.comparingDouble(Ranked::share).reversed()
            .thenComparing(Ranked::finding, SourceChecks.ORDER);

    /** The number of findings of each severity. */
    public java.util.Map<Severity, Integer> counts() {
        java.util.Map<Severity, Integer> c = new java.util.EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            c.put(s, 0);
        }
        findings.forEach(r -> c.merge(r.severity(), 1, Integer::sum));
        return c;
    }

    /** The most severe finding's severity, OK when none. */
    public Severity worst() {
        return findings.stream().map(Ranked::severity).max(Comparator.naturalOrder()).orElse(Severity.OK);
    }
}
