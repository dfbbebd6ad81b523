package dev.godiag.format.trace;

import java.util.function.IntToLongFunction;

/**
 * Go's {@code slices.SortFunc} (pattern-defeating quicksort, not stable) over int handles ordered
 * by a long key, step for step: Go's reader sorts its frontier of threads this way when the
 * earliest event cannot advance, and the order it leaves threads with equal times in decides
 * which of them Go's heap hands out first afterwards.
 */
final class GoSort {
    private static final int MAX_INSERTION = 12;

    private final int[] data;
    private final IntToLongFunction key;

    private GoSort(int[] data, IntToLongFunction key) {
        this.data = data;
        this.key = key;
    }

    /** Sorts {@code data[0, n)} by {@code key} exactly as Go's slices.SortFunc with cmp.Compare of the keys. */
    static void sort(int[] data, int n, IntToLongFunction key) {
        new GoSort(data, key).pdqsort(0, n, 64 - Long.numberOfLeadingZeros(n));
    }

    private boolean less(int i, int j) {
        return key.applyAsLong(data[i]) < key.applyAsLong(data[j]);
    }

    private void swap(int i, int j) {
        int x = data[i];
        data[i] = data[j];
        data[j] = x;
    }

    private void insertionSort(int a, int b) {
        for (int i = a + 1; i < b; i++) {
            for (int j = i; j > a && less(j, j - 1); j--) {
                swap(j, j - 1);
            }
        }
    }

    private void siftDown(int lo, int hi, int first) {
        int root = lo;
        while (true) {
            int child = 2 * root + 1;
            if (child >= hi) {
                return;
            }
            if (child + 1 < hi && less(first + child, first + child + 1)) {
                child++;
            }
            if (!less(first + root, first + child)) {
                return;
            }
            swap(first + root, first + child);
            root = child;
        }
    }

    private void heapSort(int a, int b) {
        int hi = b - a;
        for (int i = (hi - 1) / 2; i >= 0; i--) {
            siftDown(i, hi, a);
        }
        for (int i = hi - 1; i >= 0; i--) {
            swap(a, a + i);
            siftDown(0, i, a);
        }
    }

    private void pdqsort(int a, int b, int limit) {
        boolean wasBalanced = true;
        boolean wasPartitioned = true;
        while (true) {
            int length = b - a;
            if (length <= MAX_INSERTION) {
                insertionSort(a, b);
                return;
            }
            if (limit == 0) {
                heapSort(a, b);
                return;
            }
            if (!wasBalanced) {
                breakPatterns(a, b);
                limit--;
            }
            int[] swaps = {0};
            int pivot = choosePivot(a, b, swaps);
            boolean increasing = swaps[0] == 0;
            if (swaps[0] == 12) {
                reverse(a, b);
                pivot = (b - 1) - (pivot - a);
                increasing = true;
            }
            if (wasBalanced && wasPartitioned && increasing && partialInsertionSort(a, b)) {
                return;
            }
            if (a > 0 && !less(a - 1, pivot)) {
                a = partitionEqual(a, b, pivot);
                continue;
            }
            int[] alreadyPartitioned = {0};
            int mid = partition(a, b, pivot, alreadyPartitioned);
            wasPartitioned = alreadyPartitioned[0] == 1;
            int leftLen = mid - a;
            int rightLen = b - mid;
            int balanceThreshold = length / 8;
            if (leftLen < rightLen) {
                wasBalanced = leftLen >= balanceThreshold;
                pdqsort(a, mid, limit);
                a = mid + 1;
            } else {
                wasBalanced = rightLen >= balanceThreshold;
                pdqsort(mid + 1, b, limit);
                b = mid;
            }
        }
    }

    private int partition(int a, int b, int pivot, int[] alreadyPartitioned) {
        swap(a, pivot);
        int i = a + 1;
        int j = b - 1;
        while (i <= j && less(i, a)) {
            i++;
        }
        while (i <= j && !less(j, a)) {
            j--;
        }
        if (i > j) {
            swap(j, a);
            alreadyPartitioned[0] = 1;
            return j;
        }
        swap(i, j);
        i++;
        j--;
        while (true) {
            while (i <= j && less(i, a)) {
                i++;
            }
            while (i <= j && !less(j, a)) {
                j--;
            }
            if (i > j) {
                break;
            }
            swap(i, j);
            i++;
            j--;
        }
        swap(j, a);
        return j;
    }

    private int partitionEqual(int a, int b, int pivot) {
        swap(a, pivot);
        int i = a + 1;
        int j = b - 1;
        while (true) {
            while (i <= j && !less(a, i)) {
                i++;
            }
            while (i <= j && less(a, j)) {
                j--;
            }
            if (i > j) {
                return i;
            }
            swap(i, j);
            i++;
            j--;
        }
    }

    private boolean partialInsertionSort(int a, int b) {
        int i = a + 1;
        for (int step = 0; step < 5; step++) {
            while (i < b && !less(i, i - 1)) {
                i++;
            }
            if (i == b) {
                return true;
            }
            if (b - a < 50) {
                return false;
            }
            swap(i, i - 1);
            if (i - a >= 2) {
                for (int j = i - 1; j >= 1; j--) {
                    if (!less(j, j - 1)) {
                        break;
                    }
                    swap(j, j - 1);
                }
            }
            if (b - i >= 2) {
                for (int j = i + 1; j < b; j++) {
                    if (!less(j, j - 1)) {
                        break;
                    }
                    swap(j, j - 1);
                }
            }
        }
        return false;
    }

    private void breakPatterns(int a, int b) {
        int length = b - a;
        if (length >= 8) {
            long random = length;
            long modulus = 1L << (64 - Long.numberOfLeadingZeros(length));
            for (int idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; idx++) {
                random ^= random << 13;
                random ^= random >>> 7;
                random ^= random << 17;
                int other = (int) (random & (modulus - 1));
                if (other >= length) {
                    other -= length;
                }
                swap(idx, a + other);
            }
        }
    }

    private int choosePivot(int a, int b, int[] swaps) {
        int l = b - a;
        int i = a + l / 4;
        int j = a + l / 4 * 2;
        int k = a + l / 4 * 3;
        if (l >= 8) {
            if (l >= 50) {
                i = median(i - 1, i, i + 1, swaps);
                j = median(j - 1, j, j + 1, swaps);
                k = median(k - 1, k, k + 1, swaps);
            }
            j = median(i, j, k, swaps);
        }
        return j;
    }

    private int median(int a, int b, int c, int[] swaps) {
        if (less(b, a)) {
            swaps[0]++;
            int x = a;
            a = b;
            b = x;
        }
        if (less(c, b)) {
            swaps[0]++;
            int x = b;
            b = c;
            c = x;
        }
        if (less(b, a)) {
            swaps[0]++;
            b = a;
        }
        return b;
    }

    private void reverse(int a, int b) {
        for (int i = a, j = b - 1; i < j; i++, j--) {
            swap(i, j);
        }
    }
}
