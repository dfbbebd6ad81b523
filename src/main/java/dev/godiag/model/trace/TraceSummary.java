package dev.godiag.model.trace;

import java.util.Optional;

/**
 * What a read gave: the trace's Go version (1.{@code minor}), the generations and events handed
 * over, and the one warning of a damaged or truncated trace (what came before the damage was read).
 */
public record TraceSummary(int minor, int generations, long events, Optional<String> warning) {
}
