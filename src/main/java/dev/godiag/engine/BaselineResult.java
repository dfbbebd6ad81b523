package dev.godiag.engine;

import dev.godiag.store.BaselineRepository;

import java.util.List;

/** What a {@link BaselineRequest} did, for the surface to lay out. */
public sealed interface BaselineResult {
    /** The run saved, and the warnings of reading its inputs ("godiag: warning: ..."). */
    record Saved(BaselineRepository.Run run, List<String> warnings) implements BaselineResult {
        public Saved {
            warnings = List.copyOf(warnings);
        }
    }

    record Listed(List<BaselineRepository.Summary> baselines) implements BaselineResult {
        public Listed {
            baselines = List.copyOf(baselines);
        }
    }

    /** A baseline's runs, newest first (at least one). */
    record Shown(String name, List<BaselineRepository.Run> runs) implements BaselineResult {
        public Shown {
            runs = List.copyOf(runs);
        }
    }

    /** How many runs the removed baseline had. */
    record Removed(String name, int runs) implements BaselineResult {
    }
}
