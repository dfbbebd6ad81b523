package dev.godiag.engine;

import dev.godiag.analysis.profile.CallTree;
import dev.godiag.analysis.profile.Stacks;
import dev.godiag.model.Profile;
import dev.godiag.model.ValueType;
import dev.godiag.report.FlameHtmlRenderer;

import java.util.List;

/** A flame graph ready for its renderer: one kind per {@link FlameRequest.Format}. */
public sealed interface FlameResult {
    /** Notes for the user (filters or label keys that matched nothing). */
    List<String> warnings();

    /** The interactive page: the (truncated) call tree and what the page says about it. */
    record Graph(CallTree tree, FlameHtmlRenderer.Page page, List<String> warnings) implements FlameResult {
        public Graph {
            warnings = List.copyOf(warnings);
        }
    }

    /** Folded stacks of one sample type ({@code mean}: over the sample count). */
    record Folded(Stacks stacks, int sampleIndex, boolean mean, List<String> warnings) implements FlameResult {
        public Folded {
            warnings = List.copyOf(warnings);
        }
    }

    /** speedscope JSON: one profile per sample type, {@code sampleIndex} the one shown first. */
    record Speedscope(Stacks stacks, List<ValueType> sampleTypes, int sampleIndex, String name, boolean mean,
                      String generator, List<String> warnings) implements FlameResult {
        public Speedscope {
            warnings = List.copyOf(warnings);
        }
    }

    /** The filtered profile itself, for profile.proto. */
    record Pprof(Profile profile, List<String> warnings) implements FlameResult {
        public Pprof {
            warnings = List.copyOf(warnings);
        }
    }
}
