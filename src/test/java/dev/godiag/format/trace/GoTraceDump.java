package dev.godiag.format.trace;

import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceGeneration;
import dev.godiag.testutil.Tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Go 1.27's {@code go tool trace -d=MODE} dump of a trace, and godiag's state transitions in its words. */
final class GoTraceDump {
    private static final Pattern TRANSITION = Pattern.compile(
            "StateTransition Time=(\\d+) (GoID|ProcID)=(-?\\d+) (\\w+->\\w+)(?: Reason=(\"[^\"]*\"))?");

    private GoTraceDump() {
    }

    static List<String> lines(Path trace, String mode) throws IOException, InterruptedException {
        Path out = Files.createTempFile("trace-dump", ".txt");
        try {
            assertThat(run(trace, mode, out, ProcessBuilder.Redirect.DISCARD)).as("go tool trace " + mode + " " + trace)
                    .isZero();
            try (Stream<String> lines = Files.lines(out)) {
                return lines.toList();
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** What {@code go tool trace -d=MODE} says on stderr when it refuses the trace; fails if it reads it. */
    static String refusal(Path trace, String mode) throws IOException, InterruptedException {
        Path err = Files.createTempFile("trace-dump", ".err");
        try {
            assertThat(run(trace, mode, null, ProcessBuilder.Redirect.to(err.toFile())))
                    .as("go tool trace " + mode + " " + trace + " exit status").isNotZero();
            return Files.readString(err);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static int run(Path trace, String mode, Path out, ProcessBuilder.Redirect err)
            throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(Tools.go127().toString(), "tool", "trace", mode, trace.toString())
                .redirectError(err);
        b.redirectOutput(out == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(out.toFile()));
        Process p = b.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("go tool trace " + mode + " did not end (hang guard)");
        }
        return p.exitValue();
    }

    /** Go's state transitions: "time GoID=g From->To Reason=..." with their counts. */
    static Map<String, Integer> goTransitions(List<String> parsed) {
        Map<String, Integer> go = new TreeMap<>();
        for (String line : parsed) {
            Matcher m = TRANSITION.matcher(line);
            if (m.find()) {
                go.merge(m.group(1) + " " + m.group(2) + "=" + m.group(3) + " " + m.group(4)
                        + (m.group(5) == null ? "" : " Reason=" + m.group(5)), 1, Integer::sum);
            }
        }
        return go;
    }

    /** Go's goroutine transitions with their TransitionStack's PCs: "time GoID=g From->To [pc pc ...]". */
    static Map<String, Integer> goTransitionStacks(List<String> parsed) {
        Map<String, Integer> go = new TreeMap<>();
        for (int i = 0; i < parsed.size(); i++) {
            Matcher m = TRANSITION.matcher(parsed.get(i));
            if (!m.find() || !m.group(2).equals("GoID")) {
                continue;
            }
            StringBuilder pcs = new StringBuilder();
            if (i + 1 < parsed.size() && parsed.get(i + 1).equals("TransitionStack=")) {
                for (int j = i + 2; j < parsed.size() && parsed.get(j).startsWith("\t"); j++) {
                    int at = parsed.get(j).lastIndexOf(" @ 0x");
                    if (!parsed.get(j).startsWith("\t\t") && at >= 0) {
                        pcs.append(pcs.isEmpty() ? "" : " ").append(parsed.get(j).substring(at + 5));
                    }
                }
            }
            go.merge(m.group(1) + " GoID=" + m.group(3) + " " + m.group(4) + " [" + pcs + "]", 1, Integer::sum);
        }
        return go;
    }

    /** godiag's goroutine transitions with their stacks' PCs, in the words of {@link #goTransitionStacks}. */
    static Map<String, Integer> ourTransitionStacks(List<TraceGeneration> generations) {
        Map<String, Integer> ours = new TreeMap<>();
        TraceStates states = new TraceStates();
        for (TraceGeneration g : generations) {
            for (StateTransition t : states.apply(g).transitions()) {
                if (t.goroutine()) {
                    String pcs = g.stack(t.stack()).frames().stream().map(f -> Long.toHexString(f.pc()))
                            .collect(java.util.stream.Collectors.joining(" "));
                    ours.merge(t.time() + " GoID=" + t.id() + " " + t.from() + "->" + t.to() + " [" + pcs + "]", 1,
                            Integer::sum);
                }
            }
        }
        return ours;
    }

    /** godiag's transitions of these generations in the same words. */
    static Map<String, Integer> ourTransitions(List<TraceGeneration> generations) {
        Map<String, Integer> ours = new TreeMap<>();
        TraceStates states = new TraceStates();
        for (TraceGeneration g : generations) {
            for (StateTransition t : states.apply(g).transitions()) {
                ours.merge(t.time() + " " + (t.goroutine() ? "GoID=" : "ProcID=") + t.id() + " " + t.from() + "->"
                        + t.to() + " Reason=\"" + t.reason() + "\"", 1, Integer::sum);
            }
        }
        return ours;
    }

    /** The entries of {@code a} that {@code b} lacks or counts differently. */
    static Map<String, Integer> minus(Map<String, Integer> a, Map<String, Integer> b) {
        Map<String, Integer> d = new TreeMap<>(a);
        d.entrySet().removeIf(e -> e.getValue().equals(b.get(e.getKey())));
        return d;
    }
}
