package dev.godiag.guard.model;

import java.time.Instant;
import java.util.List;

/**
 * What guard captured when an alert opened, for an engineer to act on: the goroutine buckets that
 * grew between the baseline dump and now, the engine's findings with their fixes, and the stored
 * files ({@code captureId} names the capture; files live under the data directory and in the
 * database).
 */
public record AlertEvidence(String captureId, Instant capturedAt, List<GrowingBucket> buckets,
                            List<FindingSummary> findings, List<String> files) {
    public AlertEvidence {
        buckets = List.copyOf(buckets);
        findings = List.copyOf(findings);
        files = List.copyOf(files);
    }

    /**
     * A goroutine bucket (same stack and wait state) that grew: its top user function, file:line,
     * wait state ("chan receive", "select", "IO wait"...), count now and in the baseline dump, and
     * the engine's verdict on it (e.g. "leak: channel send nobody receives").
     */
    public record GrowingBucket(String function, String file, int line, String state, long count,
                                long baselineCount, String verdict) {
        public long growth() {
            return count - baselineCount;
        }
    }

    /** One finding of the engine's diagnosis of the captured evidence: rule id, severity, title, where, the fix. */
    public record FindingSummary(String rule, String severity, String title, String location, String fix) {
    }
}
