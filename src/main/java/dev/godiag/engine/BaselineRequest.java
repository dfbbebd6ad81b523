package dev.godiag.engine;

import dev.godiag.format.Source;

import java.util.List;

/** What to do with the stored baselines: save a run, list them, show one's runs, remove one. */
public sealed interface BaselineRequest {
    /**
     * Saves a new run of a baseline (created on its first save) from inputs read as
     * {@link BaselineInputs} reads them.
     *
     * @param name    the baseline, 1 to 200 printable characters
     * @param label   a label for the run (a branch, a commit), or null
     * @param sources the inputs, files or bytes, at least one
     * @param origin  how the run was made, stored with it (the CLI's command line)
     */
    record Save(String name, String label, List<Source> sources, String origin) implements BaselineRequest {
        public Save {
            sources = List.copyOf(sources);
            if (sources.isEmpty()) {
                throw new InvalidRequestException("a baseline save needs at least one input");
            }
        }
    }

    /** Every baseline, by name. */
    record ListAll() implements BaselineRequest {
    }

    /** The newest {@code history} runs of a baseline, newest first. */
    record Show(String name, int history) implements BaselineRequest {
        public Show {
            if (history < 1) {
                throw new InvalidRequestException("history must be at least 1");
            }
        }
    }

    /** Deletes a baseline with all its runs. */
    record Remove(String name) implements BaselineRequest {
    }
}
