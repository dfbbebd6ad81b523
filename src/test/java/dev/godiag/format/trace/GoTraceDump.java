package dev.godiag.format.trace;

import dev.godiag.model.trace.CpuSample;
import dev.godiag.model.trace.StateTransition;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.model.trace.TraceEventType;
import dev.godiag.model.trace.TraceGeneration;
import dev.godiag.model.trace.TraceRange;
import dev.godiag.model.trace.UserAnnotation;
import dev.godiag.testutil.Tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    private static final Pattern EVENT = Pattern.compile("^M=(-?\\d+) P=(-?\\d+) G=(-?\\d+) (\\w+) Time=(-?\\d+)");

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

    /** An event or transition at its time: what it is, in Go's words. */
    record Timed(long time, String what) {
    }

    /** Go's events but its Sync markers: "Kind M=m P=p G=g" at their times. */
    static List<Timed> goEvents(List<String> parsed) {
        List<Timed> go = new ArrayList<>();
        for (String line : parsed) {
            Matcher m = EVENT.matcher(line);
            if (m.find() && !m.group(4).equals("Sync")) {
                go.add(new Timed(Long.parseLong(m.group(5)), m.group(4) + " M=" + m.group(1) + " P=" + m.group(2)
                        + " G=" + m.group(3)));
            }
        }
        return go;
    }

    /**
     * godiag's events and CPU samples in Go's words; the goroutine and P are those the events name
     * (events of old-format traces), which is Go's context for them.
     */
    static List<Timed> ourEvents(List<TraceGeneration> generations) {
        List<Timed> ours = new ArrayList<>();
        for (TraceGeneration g : generations) {
            for (TraceEvent e : g.events()) {
                ours.add(new Timed(e.time(), kind(e.type()) + " M=" + e.thread() + " P=" + e.contextProc() + " G="
                        + e.contextGoroutine()));
            }
            for (CpuSample c : g.cpuSamples()) {
                // a sample without a goroutine: 0 in godiag's model, Go prints its NoGoroutine (-1)
                ours.add(new Timed(c.time(), "StackSample M=" + c.thread() + " P=" + c.proc() + " G="
                        + (c.goroutine() == 0 ? -1 : c.goroutine())));
            }
        }
        return ours;
    }

    /** Go's state transitions at their times: "GoID=g From->To Reason=...". */
    static List<Timed> goTransitionList(List<String> parsed) {
        List<Timed> go = new ArrayList<>();
        for (String line : parsed) {
            Matcher m = TRANSITION.matcher(line);
            if (m.find()) {
                go.add(new Timed(Long.parseLong(m.group(1)), m.group(2) + "=" + m.group(3) + " " + m.group(4)
                        + (m.group(5) == null ? "" : " Reason=" + m.group(5))));
            }
        }
        return go;
    }

    /** godiag's transitions in the same words. */
    static List<Timed> ourTransitionList(List<TraceGeneration> generations) {
        List<Timed> ours = new ArrayList<>();
        TraceStates states = new TraceStates();
        for (TraceGeneration g : generations) {
            for (StateTransition t : states.apply(g).transitions()) {
                ours.add(new Timed(t.time(), (t.goroutine() ? "GoID=" : "ProcID=") + t.id() + " " + t.from() + "->"
                        + t.to() + " Reason=\"" + t.reason() + "\""));
            }
        }
        return ours;
    }

    /**
     * Each event time mapped to the start of its run of nanosecond-consecutive times. Go's reader of
     * old traces pushes events that share a time 1 ns apart, in an order that rests on Go's map
     * iteration (it differs from run to run of {@code go tool trace}); within such a run only the
     * order is Go's choice, so comparisons take the run's start as the time.
     */
    static Map<Long, Long> runStarts(List<Timed> events) {
        TreeMap<Long, Long> starts = new TreeMap<>();
        long start = Long.MIN_VALUE;
        long previous = Long.MIN_VALUE;
        for (long t : events.stream().map(Timed::time).sorted().toList()) {
            if (previous == Long.MIN_VALUE || t != previous + 1) {
                start = t;
            }
            starts.put(t, start);
            previous = t;
        }
        return starts;
    }

    /** The items counted by "run start + what". */
    static Map<String, Integer> counted(List<Timed> items, Map<Long, Long> runStarts) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Timed t : items) {
            counts.merge(runStarts.getOrDefault(t.time(), t.time()) + " " + t.what(), 1, Integer::sum);
        }
        return counts;
    }

    private static final Pattern RANGE = Pattern.compile(
            " (Range(?:Begin|Active|End)) Time=(\\d+) Name=(\"[^\"]*\") Scope=(\\w+(?:\\(-?\\d+\\))?)");
    private static final Pattern NOTE = Pattern.compile(
            " (TaskBegin|TaskEnd|RegionBegin|RegionEnd|Log) Time=(\\d+) (.*)$");

    /** Go's runtime ranges: "RangeBegin Name=... Scope=..." at their times. */
    static List<Timed> goRanges(List<String> parsed) {
        List<Timed> go = new ArrayList<>();
        for (String line : parsed) {
            Matcher m = RANGE.matcher(line);
            if (m.find()) {
                go.add(new Timed(Long.parseLong(m.group(2)), m.group(1) + " Name=" + m.group(3) + " Scope="
                        + m.group(4)));
            }
        }
        return go;
    }

    /** godiag's ranges in the same words. */
    static List<Timed> ourRanges(List<TraceGeneration> generations) {
        List<Timed> ours = new ArrayList<>();
        TraceStates states = new TraceStates();
        for (TraceGeneration g : generations) {
            for (TraceRange r : states.apply(g).ranges()) {
                ours.add(new Timed(r.time(), r.edge() + " Name=\"" + r.name() + "\" Scope=" + r.scope()
                        + (r.scope().equals("None") ? "" : "(" + r.scopeId() + ")")));
            }
        }
        return ours;
    }

    /**
     * Go's user annotations: "TaskBegin ID=.. Parent=.. Type=..", "RegionBegin Task=.. Type=..", "Log
     * Task=.. Category=.. Message=..". A task's end is compared without its parent: Go 1.27 gives
     * the end of an old-format top-level task the parent 0 (its converter keeps the old id) where
     * its begin says NoTask; godiag says NoTask (-1) for both.
     */
    static List<Timed> goAnnotations(List<String> parsed) {
        List<Timed> go = new ArrayList<>();
        for (String line : parsed) {
            Matcher m = NOTE.matcher(line);
            if (m.find()) {
                String rest = m.group(1).equals("TaskEnd") ? m.group(3).replaceAll(" Parent=\\d+", "") : m.group(3);
                go.add(new Timed(Long.parseLong(m.group(2)), m.group(1) + " " + rest));
            }
        }
        return go;
    }

    /** godiag's annotations in the same words. */
    static List<Timed> ourAnnotations(List<TraceGeneration> generations) {
        List<Timed> ours = new ArrayList<>();
        TraceStates states = new TraceStates();
        for (TraceGeneration g : generations) {
            for (UserAnnotation a : states.apply(g).annotations()) {
                String what = switch (a.kind()) {
                    case "TaskBegin" -> "ID=" + Long.toUnsignedString(a.task()) + " Parent="
                            + Long.toUnsignedString(a.parent()) + " Type=\"" + a.type() + "\"";
                    case "TaskEnd" -> "ID=" + Long.toUnsignedString(a.task()) + " Type=\"" + a.type() + "\"";
                    case "Log" -> "Task=" + Long.toUnsignedString(a.task()) + " Category=\"" + a.category()
                            + "\" Message=\"" + a.message() + "\"";
                    default -> "Task=" + Long.toUnsignedString(a.task()) + " Type=\"" + a.type() + "\"";
                };
                ours.add(new Timed(a.time(), a.kind() + " " + what));
            }
        }
        return ours;
    }

    /** The kind of Go's Event an event type gives (Go's Event.Kind). */
    static String kind(TraceEventType type) {
        return switch (type) {
            case PROCS_CHANGE, HEAP_ALLOC, HEAP_GOAL -> "Metric";
            case GO_LABEL -> "Label";
            case STW_BEGIN, GC_BEGIN, GC_SWEEP_BEGIN, GC_MARK_ASSIST_BEGIN -> "RangeBegin";
            case GC_ACTIVE, GC_SWEEP_ACTIVE, GC_MARK_ASSIST_ACTIVE -> "RangeActive";
            case STW_END, GC_END, GC_SWEEP_END, GC_MARK_ASSIST_END -> "RangeEnd";
            case USER_TASK_BEGIN -> "TaskBegin";
            case USER_TASK_END -> "TaskEnd";
            case USER_REGION_BEGIN -> "RegionBegin";
            case USER_REGION_END -> "RegionEnd";
            case USER_LOG -> "Log";
            default -> "StateTransition";
        };
    }

    /** The entries of {@code a} that {@code b} lacks or counts differently. */
    static Map<String, Integer> minus(Map<String, Integer> a, Map<String, Integer> b) {
        Map<String, Integer> d = new TreeMap<>(a);
        d.entrySet().removeIf(e -> e.getValue().equals(b.get(e.getKey())));
        return d;
    }
}
