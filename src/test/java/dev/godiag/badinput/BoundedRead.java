package dev.godiag.badinput;

import dev.godiag.util.BadInputException;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;

/**
 * One fuzz input read on the calling (worker) thread: what the reader returned, its clean rejection
 * (the {@link BadInputException}), or an {@link AssertionError} for anything else: another exception,
 * running out of memory, or allocating more than the bound.
 */
final class BoundedRead {
    private BoundedRead() {
    }

    static Object attempt(Callable<Object> read, long allocationBound, int inputBytes, String reader) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        Object result;
        try {
            result = read.call();
        } catch (BadInputException e) {
            result = e;
        } catch (OutOfMemoryError e) {
            return new AssertionError("OutOfMemoryError", e);
        } catch (Exception | StackOverflowError e) {
            return new AssertionError(reader + " threw " + e, e);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        if (allocated > allocationBound) {
            return new AssertionError("allocated " + allocated + " bytes for " + inputBytes
                    + " bytes of input (bound " + allocationBound + ")");
        }
        return result;
    }
}
