package dev.godiag.format.trace;

import dev.godiag.model.trace.CpuSample;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.util.BadInputException;
import dev.godiag.util.LongList;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts a generation's events in Go's order, as Go's reader does: the threads' event sequences sit
 * in a binary min-heap by the time of each thread's next event (Go's sift steps, threads inserted
 * in the order of their first batch); the head is offered to {@link TraceOrder}, and when its
 * scheduler preconditions do not hold yet, the other threads are tried in time order until one
 * advances (sorted as Go sorts them, {@link GoSort}, so that threads with equal times keep Go's
 * order). CPU samples are slotted in before the head's time. Times then get Go's fix-up: strictly
 * increasing over the whole read, each event (including those Go derives, such as a GoSwitch's
 * block and start) at least 1 ns after the last.
 *
 * <p>Each thread's events are decoded one at a time as the merge reaches them, and the ordered
 * events are handed on in parts of at most {@link #PART_EVENTS} events, so a generation is held
 * as its raw batches plus one part, never as objects for all of its events.
 */
final class ThreadMerge {
    /** Events in one part of a generation handed on. */
    static final int PART_EVENTS = 1 << 16;
    /** Events offered that could not advance, summed over a generation, before the read gives up. */
    private static final long MAX_REFUSALS = 20_000_000L;

    /** One thread's events in written order, decoded as they are reached. */
    abstract static class EventSource {
        /** The thread's next event, null when it has no more. */
        TraceEvent head;

        /** Moves {@link #head} to the thread's next event (null at the end). */
        abstract void next();
    }

    /**
     * One part of a generation in Go's order: its written events (times fixed up), the CPU samples
     * merged among them, and the ordering's result for each event and each event Go derives
     * ({@code ordered}), with its fixed-up time and the written event it stands for.
     */
    record Part(List<TraceEvent> events, List<CpuSample> samples, List<TraceOrder.Ordered> ordered, long[] times,
                List<TraceEvent> orderedEvents) {
    }

    /** Receives the parts of a generation in order. */
    interface Parts {
        void accept(Part part);
    }

    /** Checks an event's table references as Go does before handing it out. */
    interface Tables {
        void check(TraceEvent e);
    }

    private final List<? extends EventSource> threads;
    private final int partEvents;
    private final int[] heap;
    private int n;
    private long refusals;

    private ThreadMerge(List<? extends EventSource> threads, int partEvents) {
        this.threads = threads;
        this.partEvents = partEvents;
        this.heap = new int[threads.size()];
    }

    /**
     * Merges the threads, handing the generation on in parts (at least one).
     *
     * @param partEvents the most events a part holds ({@link #PART_EVENTS}; less in tests)
     * @param samples  the generation's CPU samples in time order
     * @param lastTime the time of the last event of the read so far (the generation's start included)
     * @return the last time handed out
     * @throws BadInputException when an event breaks the scheduler's rules or no event can advance
     */
    static long merge(List<? extends EventSource> threads, int partEvents, List<CpuSample> samples, TraceOrder order, long gen,
                      Map<Long, String> strings, Tables tables, long lastTime, Parts parts) {
        return new ThreadMerge(threads, partEvents).run(samples, order, gen, strings, tables, lastTime, parts);
    }

    private long run(List<CpuSample> samples, TraceOrder order, long gen, Map<Long, String> strings, Tables tables,
                     long lastTime, Parts parts) {
        for (int t = 0; t < threads.size(); t++) {
            if (threads.get(t).head != null) {
                heap[n] = t;
                siftUp(n++);
            }
        }
        PartBuilder part = new PartBuilder(partEvents);
        List<TraceOrder.Ordered> queue = new ArrayList<>(4);
        int si = 0;
        long last = lastTime;
        boolean handed = false;
        while (true) {
            if (!queue.isEmpty()) {
                TraceEvent written = null;
                for (TraceOrder.Ordered o : queue) {
                    last = Math.max(o.time(), last + 1);
                    part.times.add(last);
                    if (!o.derived()) {
                        TraceEvent e = o.source();
                        tables.check(e);
                        written = e.time() == last ? e : new TraceEvent(e.type(), last, e.thread(), e.args());
                        part.events.add(written);
                    }
                }
                for (TraceOrder.Ordered o : queue) {
                    part.ordered.add(o);
                    part.orderedEvents.add(written);
                }
                queue.clear();
                if (part.events.size() >= partEvents) {
                    parts.accept(part.build());
                    handed = true;
                    part = new PartBuilder(partEvents);
                }
            }
            if (n == 0 && si == samples.size()) {
                if (!handed || !part.events.isEmpty() || !part.samples.isEmpty()) {
                    parts.accept(part.build());
                }
                return last;
            }
            if (si < samples.size() && (n == 0 || samples.get(si).time() < time(0))) {
                CpuSample c = samples.get(si++);
                last = Math.max(c.time(), last + 1);
                part.samples.add(new CpuSample(last, c.thread(), c.proc(), c.goroutine(), c.stack()));
                continue;
            }
            if (tryAdvance(0, order, gen, strings, queue)) {
                continue;
            }
            // rare: sort the heap (still a heap) and try the other threads in time order
            GoSort.sort(heap, n, t -> threads.get(t).head.time());
            refusals += n;
            boolean advanced = false;
            for (int i = 1; i < n && !advanced; i++) {
                advanced = tryAdvance(i, order, gen, strings, queue);
            }
            if (!advanced) {
                TraceEvent head = threads.get(heap[0]).head;
                throw new BadInputException("broken trace: failed to advance: no thread's next event can come next"
                        + " in generation " + gen + " (" + n + " threads waiting; earliest " + head.type().goName()
                        + " at " + head.time() + " ns on thread " + head.thread() + ")");
            }
            if (refusals > MAX_REFUSALS) {
                throw new BadInputException("broken trace: no progress: generation " + gen + " offered over "
                        + MAX_REFUSALS + " events out of order before they could advance");
            }
        }
    }

    /** A part being filled. */
    private static final class PartBuilder {
        final List<TraceEvent> events;
        final List<CpuSample> samples = new ArrayList<>();
        final List<TraceOrder.Ordered> ordered;
        final List<TraceEvent> orderedEvents;
        final LongList times;

        PartBuilder(int partEvents) {
            // a part ends at the first event past the limit: derived events make ordered a little longer
            int capacity = Math.min(partEvents, PART_EVENTS) + 16;
            events = new ArrayList<>(capacity);
            ordered = new ArrayList<>(capacity);
            orderedEvents = new ArrayList<>(capacity);
            times = new LongList(capacity);
        }

        Part build() {
            return new Part(events, samples, ordered, times.toArray(), orderedEvents);
        }
    }

    private boolean tryAdvance(int i, TraceOrder order, long gen, Map<Long, String> strings,
                               List<TraceOrder.Ordered> queue) {
        EventSource t = threads.get(heap[i]);
        if (!order.advance(t.head, gen, strings, queue)) {
            refusals++;
            return false;
        }
        t.next();
        if (t.head != null) {
            if (siftUp(i) == i) {
                siftDown(i);
            }
        } else {
            remove(i);
        }
        return true;
    }

    private long time(int i) {
        return threads.get(heap[i]).head.time();
    }

    /** Go's heapRemove: move the entry to the root regardless of times, swap it out, sift down. */
    private void remove(int i) {
        while (i > 0) {
            swap(i, (i - 1) / 2);
            i = (i - 1) / 2;
        }
        swap(0, n - 1);
        n--;
        siftDown(0);
    }

    private int siftUp(int i) {
        while (i > 0 && time((i - 1) / 2) > time(i)) {
            swap(i, (i - 1) / 2);
            i = (i - 1) / 2;
        }
        return i;
    }

    private void siftDown(int i) {
        while (true) {
            int m = i;
            long min = i < n ? time(i) : Long.MAX_VALUE;
            for (int c = 2 * i + 1; c <= 2 * i + 2; c++) {
                if (c < n && time(c) < min) {
                    min = time(c);
                    m = c;
                }
            }
            if (m == i) {
                return;
            }
            swap(i, m);
            i = m;
        }
    }

    private void swap(int a, int b) {
        int x = heap[a];
        heap[a] = heap[b];
        heap[b] = x;
    }
}
