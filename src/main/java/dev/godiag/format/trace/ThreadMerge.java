package dev.godiag.format.trace;

import dev.godiag.model.trace.CpuSample;
import dev.godiag.model.trace.TraceEvent;
import dev.godiag.util.BadInputException;

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
 */
final class ThreadMerge {
    /** Events offered that could not advance, summed over a generation, before the read gives up. */
    private static final long MAX_REFUSALS = 20_000_000L;

    private final List<List<TraceEvent>> threads;
    private final int[] heap;
    private final int[] next;
    private int n;
    private long refusals;

    private ThreadMerge(List<List<TraceEvent>> threads) {
        this.threads = threads;
        this.heap = new int[threads.size()];
        this.next = new int[threads.size()];
    }

    /** The generation's events and samples in Go's order with Go's times, and the last time handed out. */
    record Merged(List<TraceEvent> events, List<CpuSample> samples, long lastTime) {
    }

    /** Checks an event's table references as Go does before handing it out. */
    interface Tables {
        void check(TraceEvent e);
    }

    /**
     * @param samples  the generation's CPU samples in time order
     * @param lastTime the time of the last event of the read so far (the generation's start included)
     * @throws BadInputException when an event breaks the scheduler's rules or no event can advance
     */
    static Merged merge(List<List<TraceEvent>> threads, int total, List<CpuSample> samples, TraceOrder order,
                        long gen, Map<Long, String> strings, Tables tables, long lastTime) {
        return new ThreadMerge(threads).run(total, samples, order, gen, strings, tables, lastTime);
    }

    private Merged run(int total, List<CpuSample> samples, TraceOrder order, long gen, Map<Long, String> strings,
                       Tables tables, long lastTime) {
        for (int t = 0; t < threads.size(); t++) {
            if (!threads.get(t).isEmpty()) {
                heap[n] = t;
                siftUp(n++);
            }
        }
        List<TraceEvent> events = new ArrayList<>(total);
        List<CpuSample> timedSamples = new ArrayList<>(samples.size());
        List<TraceOrder.Ordered> queue = new ArrayList<>(4);
        int si = 0;
        long last = lastTime;
        while (true) {
            for (TraceOrder.Ordered o : queue) {
                last = Math.max(o.time(), last + 1);
                if (!o.derived()) {
                    TraceEvent e = o.source();
                    tables.check(e);
                    events.add(e.time() == last ? e : new TraceEvent(e.type(), last, e.thread(), e.args()));
                }
            }
            queue.clear();
            if (n == 0 && si == samples.size()) {
                return new Merged(events, timedSamples, last);
            }
            if (si < samples.size() && (n == 0 || samples.get(si).time() < time(0))) {
                CpuSample c = samples.get(si++);
                last = Math.max(c.time(), last + 1);
                timedSamples.add(new CpuSample(last, c.thread(), c.proc(), c.goroutine(), c.stack()));
                continue;
            }
            if (tryAdvance(0, order, gen, strings, queue)) {
                continue;
            }
            // rare: sort the heap (still a heap) and try the other threads in time order
            GoSort.sort(heap, n, t -> threads.get(t).get(next[t]).time());
            refusals += n;
            boolean advanced = false;
            for (int i = 1; i < n && !advanced; i++) {
                advanced = tryAdvance(i, order, gen, strings, queue);
            }
            if (!advanced) {
                TraceEvent head = threads.get(heap[0]).get(next[heap[0]]);
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

    private boolean tryAdvance(int i, TraceOrder order, long gen, Map<Long, String> strings,
                               List<TraceOrder.Ordered> queue) {
        int t = heap[i];
        if (!order.advance(threads.get(t).get(next[t]), gen, strings, queue)) {
            refusals++;
            return false;
        }
        next[t]++;
        if (next[t] < threads.get(t).size()) {
            if (siftUp(i) == i) {
                siftDown(i);
            }
        } else {
            remove(i);
        }
        return true;
    }

    private long time(int i) {
        int t = heap[i];
        return threads.get(t).get(next[t]).time();
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
