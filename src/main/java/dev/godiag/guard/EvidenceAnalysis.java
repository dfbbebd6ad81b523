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
    private static final Set<String> TOPICS = Set.of("goroutines", "memory", "io", "locks");

    private final Engine engine;

    EvidenceAnalysis(Engine engine) {
        this.engine = engine;
    }

    /**
     * @param baselineDump the target's full goroutine dump from its baseline, or null
     * @param files        captured files by name ({@code goroutines.txt} is the full dump now)
     * @param warnings     where problems are added (one line each)
     */
    AlertEvidence analyse(String captureId, Instant at, byte[] baselineDump, Map<String, byte[]> files,
                          List<String> warnings) {
        byte[] dump = files.get(Capture.DUMP);
        List<GrowingBucket> buckets = dump == null ? List.of() : grown(baselineDump, dump, warnings);
        List<FindingSummary> findings = diagnose(baselineDump, files, warnings);
        return new AlertEvidence(captureId, at, buckets, findings, List.copyOf(files.keySet()));
    }

    private List<GrowingBucket> grown(byte[] baselineDump, byte[] dump, List<String> warnings) {
        List<Source> snapshots = new ArrayList<>();
        if (baselineDump != null) {
            snapshots.add(new Source.Bytes("baseline " + Capture.DUMP, baselineDump));
        }
        snapshots.add(new Source.Bytes(Capture.DUMP, dump));
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

    private List<FindingSummary> diagnose(byte[] baselineDump, Map<String, byte[]> files, List<String> warnings) {
        List<Source> inputs = new ArrayList<>();
        if (baselineDump != null) {
            inputs.add(new Source.Bytes("baseline " + Capture.DUMP, baselineDump));
        }
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
        List<FindingSummary> out = new ArrayList<>();
        for (DiagnosisRenderers.Item item : result.report().items()) {
            Finding f = item.finding();
            if (!TOPICS.contains(f.topic())) {
                continue;
            }
            Finding.Location l = f.location();
            String where = l == null ? "" : (l.function() == null ? "" : l.function())
                    + (l.file() == null || l.file().isEmpty() ? "" : " (" + l.file() + (l.line() > 0 ? ":" + l.line() : "") + ")");
            out.add(new FindingSummary(f.rule(), f.severity().id(), f.title(), where.trim(),
                    item.advice() == null ? "" : item.advice().fix()));
        }
        return out;
    }
}
