package dev.godiag.analysis.trace;

import dev.godiag.model.trace.TraceChanges;
import dev.godiag.model.trace.UserAnnotation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Measures {@link UserTasks}: keeps the open tasks (by id) and each goroutine's open regions (a
 * stack: regions nest), and per type a histogram and the {@link #SLOWEST} slowest. At most
 * {@link #MAX_TYPES} types each of tasks and regions; later types are counted under "(other)".
 */
public final class UserTasksAnalysis implements TraceConsumer {
    static final int SLOWEST = 10;
    static final int MAX_TYPES = 1000;
    static final int LOGS = 5;
    private static final String OTHER = "(other)";

    private final Map<Long, Open> openTasks = new HashMap<>();
    private final Map<Long, Deque<Open>> openRegions = new HashMap<>();
    private final Map<String, Stats> tasks = new TreeMap<>();
    private final Map<String, Stats> regions = new TreeMap<>();

    private record Open(String type, long id, long goroutine, long start, List<String> logs) {
    }

    private static final class Stats {
        long count;
        long incomplete;
        final LogHistogram durations = new LogHistogram();
        final PriorityQueue<UserTasks.Instance> slowest =
                new PriorityQueue<>(Comparator.comparingLong(UserTasks.Instance::durationNanos));
    }

    @Override
    public void accept(TraceChanges c) {
        for (UserAnnotation a : c.annotations()) {
            switch (a.kind()) {
                case "TaskBegin" -> {
                    Open prev = openTasks.put(a.task(), new Open(a.type(), a.task(), a.goroutine(), a.time(),
                            new ArrayList<>()));
                    if (prev != null) {
                        Stats s = stats(tasks, prev.type()); // a reused id: the first never ended
                        s.count++;
                        s.incomplete++;
                    }
                }
                case "TaskEnd" -> {
                    Open o = openTasks.remove(a.task());
                    if (o == null) {
                        Stats s = stats(tasks, a.type());
                        s.count++;
                        s.incomplete++; // began before the trace
                    } else {
                        complete(tasks, o, a.time());
                    }
                }
                case "RegionBegin" -> openRegions.computeIfAbsent(a.goroutine(), g -> new ArrayDeque<>())
                        .push(new Open(a.type(), a.task(), a.goroutine(), a.time(), List.of()));
                case "RegionEnd" -> regionEnd(a);
                case "Log" -> {
                    Open o = openTasks.get(a.task());
                    if (o != null && o.logs().size() < LOGS) {
                        o.logs().add(a.category() + ": " + a.message());
                    }
                }
                default -> {
                }
            }
        }
    }

    private void regionEnd(UserAnnotation a) {
        Deque<Open> open = openRegions.get(a.goroutine());
        if (open != null && !open.isEmpty() && open.peek().type().equals(a.type())) {
            complete(regions, open.pop(), a.time());
            if (open.isEmpty()) {
                openRegions.remove(a.goroutine());
            }
        } else {
            Stats s = stats(regions, a.type());
            s.count++;
            s.incomplete++; // began before the trace
        }
    }

    private static Stats stats(Map<String, Stats> m, String type) {
        String key = m.containsKey(type) || m.size() < MAX_TYPES ? type : OTHER;
        return m.computeIfAbsent(key, k -> new Stats());
    }

    private static void complete(Map<String, Stats> m, Open o, long end) {
        Stats s = stats(m, o.type());
        s.count++;
        long d = end - o.start();
        s.durations.add(d);
        if (s.slowest.size() < SLOWEST || d > s.slowest.peek().durationNanos()) {
            s.slowest.add(new UserTasks.Instance(o.id(), o.goroutine(), o.start(), d, List.copyOf(o.logs())));
            if (s.slowest.size() > SLOWEST) {
                s.slowest.poll();
            }
        }
    }

    /** The tasks and regions of everything fed; those still open at the end count as incomplete. */
    public UserTasks build() {
        for (Open o : openTasks.values()) {
            Stats s = stats(tasks, o.type());
            s.count++;
            s.incomplete++;
        }
        openTasks.clear();
        for (Deque<Open> d : openRegions.values()) {
            for (Open o : d) {
                Stats s = stats(regions, o.type());
                s.count++;
                s.incomplete++;
            }
        }
        openRegions.clear();
        return new UserTasks(summarize(tasks), summarize(regions));
    }

    private static List<UserTasks.TypeStats> summarize(Map<String, Stats> m) {
        List<UserTasks.TypeStats> out = new ArrayList<>();
        m.forEach((type, s) -> {
            List<UserTasks.Instance> slow = new ArrayList<>(s.slowest);
            slow.sort(Comparator.comparingLong(UserTasks.Instance::durationNanos).reversed());
            out.add(new UserTasks.TypeStats(type, s.count, s.incomplete, s.durations.summary(), List.copyOf(slow)));
        });
        return List.copyOf(out);
    }
}
