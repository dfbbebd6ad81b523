package dev.godiag.format.trace;

import dev.godiag.model.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges the threads' event sequences of a generation by time with the binary min-heap Go's reader
 * uses (the same sift steps, threads inserted in the order of their first batch), so that events
 * with equal times come out in Go's order too. Go's reader may also hold an event back until its
 * scheduler preconditions hold; this merge does not.
 */
final class ThreadMerge {
    private ThreadMerge() {
    }

    static List<TraceEvent> merge(List<List<TraceEvent>> threads, int total) {
        List<TraceEvent> out = new ArrayList<>(total);
        int n = 0;
        int[] heap = new int[threads.size()];
        int[] next = new int[threads.size()];
        for (int t = 0; t < threads.size(); t++) {
            if (!threads.get(t).isEmpty()) {
                heap[n] = t;
                siftUp(heap, n++, threads, next);
            }
        }
        while (n > 0) {
            int t = heap[0];
            out.add(threads.get(t).get(next[t]++));
            if (next[t] == threads.get(t).size()) {
                heap[0] = heap[--n];
            }
            siftDown(heap, n, threads, next);
        }
        return out;
    }

    private static long time(int[] heap, int i, List<List<TraceEvent>> threads, int[] next) {
        int t = heap[i];
        return threads.get(t).get(next[t]).time();
    }

    private static void siftUp(int[] heap, int i, List<List<TraceEvent>> threads, int[] next) {
        while (i > 0 && time(heap, (i - 1) / 2, threads, next) > time(heap, i, threads, next)) {
            swap(heap, i, (i - 1) / 2);
            i = (i - 1) / 2;
        }
    }

    private static void siftDown(int[] heap, int n, List<List<TraceEvent>> threads, int[] next) {
        int i = 0;
        while (true) {
            int m = i;
            long min = i < n ? time(heap, i, threads, next) : Long.MAX_VALUE;
            for (int c = 2 * i + 1; c <= 2 * i + 2; c++) {
                if (c < n && time(heap, c, threads, next) < min) {
                    min = time(heap, c, threads, next);
                    m = c;
                }
            }
            if (m == i) {
                return;
            }
            swap(heap, i, m);
            i = m;
        }
    }

    private static void swap(int[] heap, int a, int b) {
        int x = heap[a];
        heap[a] = heap[b];
        heap[b] = x;
    }
}
