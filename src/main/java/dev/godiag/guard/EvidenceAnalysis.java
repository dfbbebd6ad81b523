package dev.godiag.guard;

import dev.godiag.analysis.goroutine.GoroutineAnalysis;
import dev.godiag.analysis.goroutine.GoroutineVerdicts;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Severity;
import dev.godiag.engine.DiagnoseRequest;
import dev.godiag.engine.DiagnoseResult;
import dev.godiag.engine.Engine;
import dev.godiag.engine.GoroutinesRequest;
import dev.godiag.engine.GoroutinesResult;
import dev.godiag.format.Source;
import dev.godiag.guard.model.AlertEvidence;
import dev.godiag.guard.scrape.Capture;
import dev.godiag.guard.model.AlertEvidence.FindingSummary;
import dev.godiag.guard.model.AlertEvidence.GrowingBucket;
import dev.godiag.model.StackFrame;
import dev.godiag.report.DiagnosisRenderers;
import dev.godiag.util.BadInputException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns what guard captured into what an alert says: the goroutine buckets that grew between the
 * target's baseline dump and the dump taken when the alert opened, and the engine's diagnosis of
 * the captured files (the same rules and cards as {@code godiag diagnose}), kept to the areas guard
 * watches. Failures of either half are warnings in the evidence, never a lost alert.
 */
final class EvidenceAnalysis {
    /** Buckets listed in an alert: the ones that grew most. */
    static final int MAX_BUCKETS = 10;
    /** The full goroutine dump among the captured files. */
    static final String DUMP = Capture.Evidence.GOROUTINE_DUMP.fileName();
    /** The target's full dump from when its baselines were learned, kept with a capture. */
    static final String BASELINE_DUMP = "goroutine.0-baseline.debug2.txt";
    /** The full dump taken when the condition started, kept with a capture. */
    static final String ONSET_DUMP = "goroutine.1-onset.debug2.txt";
    private static final Set<String> TOPICS = Set.of("goroutines", "memory", "io", "locks");

    private final Engine engine;

    EvidenceAnalysis(Engine engine) {
        this.engine = engine;
    }

    /**
     * @param files    the capture's files by name, in time order: the baseline and onset dumps
     *                 when there are, then what was captured now ({@link #DUMP} the full dump)
     * @param warnings where problems are added (one line each)
     */
    AlertEvidence analyse(String captureId, Instant at, Map<String, byte[]> files, List<String> warnings) {
        byte[] dump = files.get(DUMP);
        List<GrowingBucket> buckets = dump == null ? List.of() : grown(files, warnings);
        List<DiagnosisRenderers.Item> items = diagnose(files, warnings);
        List<FindingSummary> findings = items.stream().map(EvidenceAnalysis::summary).toList();
        return new AlertEvidence(captureId, at, explained(buckets, items), findings, List.copyOf(files.keySet()));
    }

    /**
     * A bucket's verdict from the diagnosis when a finding points at the bucket's blocking frame
     * (its location, or the bucket's file:line among its evidence): the rules see across snapshots
     * and profiles what a bucket's own verdict cannot (a client connection parked like an idle
     * one, but only growing, is a body never closed).
     */
    private static List<GrowingBucket> explained(List<GrowingBucket> buckets, List<DiagnosisRenderers.Item> items) {
        List<GrowingBucket> out = new ArrayList<>(buckets.size());
        for (GrowingBucket b : buckets) {
            String verdict = b.verdict();
            for (DiagnosisRenderers.Item item : items) {
                Finding.Location l = item.finding().location();
                boolean at = l != null && b.function().equals(l.function()) && (l.line() <= 0 || l.line() == b.line());
                if (at || mentions(item.finding(), b.file() + ":" + b.line())) {
                    verdict = item.finding().severity().id() + ": " + item.finding().title();
                    break;
                }
            }
            out.add(new GrowingBucket(b.function(), b.file(), b.line(), b.state(), b.count(), b.baselineCount(), verdict));
        }
        return out;
    }

    /** The buckets that grew from the first full dump (the baseline's when there is one) to the one taken now. */
    private List<GrowingBucket> grown(Map<String, byte[]> files, List<String> warnings) {
        List<Source> snapshots = new ArrayList<>();
        for (String name : List.of(BASELINE_DUMP, ONSET_DUMP, DUMP)) {
            if (files.containsKey(name)) {
                snapshots.add(new Source.Bytes(name, files.get(name)));
            }
        }
        GoroutinesResult result;
        try {
            result = engine.goroutines(GoroutinesRequest.of(snapshots));
        } catch (BadInputException | IllegalArgumentException e) {
            warnings.add("goroutine dump: " + e.getMessage());
            return List.of();
        }
        List<GrowingBucket> out = new ArrayList<>();
        for (GoroutineAnalysis.Row row : result.analysis().rows()) {
            long now = row.last();
            long before = row.counts().length > 1 ? row.counts()[0] : 0;
            if (now <= before) {
                continue;
            }
            StackFrame focus = row.bucket().focusFrame();
            GoroutineVerdicts.Assessment as = row.assessment();
            StackFrame at = as.blockedAt() != null ? as.blockedAt() : focus;
            out.add(new GrowingBucket(at == null ? "?" : at.function(), at == null ? "" : at.file(),
                    at == null ? 0 : at.line(), row.bucket().state(), now, before,
                    as.verdict().id() + (as.reason() == null || as.reason().isEmpty() ? "" : ": " + as.reason())));
        }
        out.sort(Comparator.comparingLong(GrowingBucket::growth).reversed()
                .thenComparing(GrowingBucket::function));
        return out.size() > MAX_BUCKETS ? List.copyOf(out.subList(0, MAX_BUCKETS)) : out;
    }

    private static boolean mentions(Finding f, String fileLine) {
        return f.evidence().values().stream().anyMatch(v -> v instanceof String s && s.endsWith(fileLine)
                && (s.length() == fileLine.length() || s.charAt(s.length() - fileLine.length() - 1) == '/'));
    }

    private static FindingSummary summary(DiagnosisRenderers.Item item) {
        Finding f = item.finding();
        Finding.Location l = f.location();
        String where = l == null ? "" : (l.function() == null ? "" : l.function())
                + (l.file() == null || l.file().isEmpty() ? "" : " (" + l.file() + (l.line() > 0 ? ":" + l.line() : "") + ")");
        return new FindingSummary(f.rule(), f.severity().id(), f.title(), where.trim(),
                item.advice() == null ? "" : item.advice().fix());
    }

    /** The engine's findings on the captured files, kept to the areas guard watches. */
    private List<DiagnosisRenderers.Item> diagnose(Map<String, byte[]> files, List<String> warnings) {
        List<Source> inputs = new ArrayList<>();
        files.forEach((name, bytes) -> inputs.add(new Source.Bytes(name, bytes)));
        if (inputs.isEmpty()) {
            return List.of();
        }
        DiagnoseResult result;
        try {
            result = engine.diagnose(new DiagnoseRequest(inputs, Severity.INFO, null, null, null, null, Map.of(),
                    new DiagnoseRequest.Live(false, 1), false));
        } catch (BadInputException | IllegalArgumentException e) {
            warnings.add("diagnosis: " + e.getMessage());
            return List.of();
        }
        result.warnings().forEach(w -> warnings.add("diagnosis: " + w));
        return result.report().items().stream().filter(i -> TOPICS.contains(i.finding().topic())).toList();
    }
}
