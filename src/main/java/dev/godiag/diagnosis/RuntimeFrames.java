package dev.godiag.diagnosis;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What runtime and standard-library frames mean, in plain words, and which cause their cost belongs
 * to: a profile full of {@code runtime.mallocgc} is an allocation problem, {@code runtime.futex}
 * and {@code runtime.usleep} the scheduler spinning, {@code runtime.memmove} copying. Rules and
 * reports use it to explain the frames users did not write.
 */
public final class RuntimeFrames {
    private RuntimeFrames() {
    }

    /** Where the time of a runtime frame comes from. */
    public enum Cause {
        ALLOCATION, GC, SCHEDULER, IDLE, SYSCALL, NETWORK_WAIT, CHANNEL_WAIT, LOCK_WAIT, STACK_GROWTH, MEMORY_COPY,
        MAP, INTERFACE_CONVERSION, REFLECTION, TIMER, CGO, OTHER_RUNTIME
    }

    /** A frame's cause and what it does, in one line. */
    public record Attribution(Cause cause, String text) {
    }

    private static final Map<String, Attribution> EXACT = new HashMap<>();
    /** Prefixes, checked in insertion order (the longest first where they overlap). */
    private static final Map<String, Attribution> PREFIX = new LinkedHashMap<>();

    private static void exact(Cause c, String text, String... functions) {
        for (String f : functions) {
            EXACT.put(f, new Attribution(c, text));
        }
    }

    private static void prefix(Cause c, String text, String... prefixes) {
        for (String p : prefixes) {
            PREFIX.put(p, new Attribution(c, text));
        }
    }

    static {
        // parking and waiting
        exact(Cause.SCHEDULER, "parks the goroutine: it waits for something (the caller says what) and uses no CPU",
                "runtime.gopark", "runtime.goparkunlock", "runtime.park_m");
        exact(Cause.SCHEDULER, "switches to the scheduler's stack to park or reschedule the goroutine",
                "runtime.mcall", "runtime.systemstack", "runtime.gogo");
        exact(Cause.SCHEDULER, "the scheduler looking for a goroutine to run (stealing work, checking timers and"
                        + " the network): much of it means many short-lived wakeups",
                "runtime.schedule", "runtime.findRunnable", "runtime.findrunnable", "runtime.runqgrab",
                "runtime.runqsteal", "runtime.stealWork", "runtime.checkTimers", "runtime.goschedImpl",
                "runtime.gosched_m", "runtime.goready", "runtime.ready", "runtime.readyWithTime", "runtime.wakep",
                "runtime.startm", "runtime.handoffp", "runtime.casgstatus", "runtime.execute", "runtime.newproc",
                "runtime.newproc1", "runtime.goexit0", "runtime.gdestroy", "runtime.resetspinning",
                "runtime.injectglist", "runtime.runqput", "runtime.runqget", "runtime.globrunqget",
                "runtime.procyield", "runtime.osyield");
        exact(Cause.SCHEDULER, "the runtime's OS-level lock/sleep primitive: threads waking and sleeping, usually"
                        + " the scheduler handing work between threads or contended runtime locks",
                "runtime.futex", "runtime.futexsleep", "runtime.futexwakeup", "runtime.notesleep",
                "runtime.notewakeup", "runtime.notetsleep_internal", "runtime.notetsleepg", "runtime.lock2",
                "runtime.unlock2", "runtime.lock", "runtime.unlock", "runtime.lockWithRank", "runtime.mPark",
                "runtime.stopm");
        exact(Cause.SCHEDULER, "sysmon or a spinning thread sleeping briefly between checks",
                "runtime.usleep", "runtime.nanosleep", "runtime.sysmon");
        exact(Cause.SCHEDULER, "asynchronous preemption: the runtime interrupted a long-running goroutine",
                "runtime.asyncPreempt", "runtime.asyncPreempt2", "runtime.preemptPark", "runtime.gopreempt_m");
        exact(Cause.IDLE, "an idle thread waiting in the network poller or for work: not CPU your code uses",
                "runtime.netpoll", "runtime.epollwait", "internal/runtime/syscall/linux.EpollWait",
                "runtime.kevent", "runtime.idle");
        exact(Cause.NETWORK_WAIT, "waits for a file descriptor (socket) to become readable or writable",
                "internal/poll.runtime_pollWait", "runtime.netpollblock", "internal/poll.(*pollDesc).wait",
                "internal/poll.(*pollDesc).waitRead", "internal/poll.(*pollDesc).waitWrite",
                "internal/poll.(*FD).Read", "internal/poll.(*FD).Write", "internal/poll.(*FD).Accept");
        exact(Cause.CHANNEL_WAIT, "a select statement: waits on (or polls) several channels",
                "runtime.selectgo", "runtime.block", "runtime.selectnbrecv", "runtime.selectnbsend");
        exact(Cause.CHANNEL_WAIT, "receives from a channel, parking until a value is sent or the channel closed",
                "runtime.chanrecv", "runtime.chanrecv1", "runtime.chanrecv2");
        exact(Cause.CHANNEL_WAIT, "sends on a channel, parking until a receiver takes the value or buffer space frees",
                "runtime.chansend", "runtime.chansend1", "runtime.closechan");
        exact(Cause.LOCK_WAIT, "waits on a runtime semaphore: a sync.Mutex, RWMutex, WaitGroup or Cond that is"
                        + " held or not yet signalled",
                "runtime.semacquire", "runtime.semacquire1", "sync.runtime_Semacquire", "sync.runtime_SemacquireMutex",
                "internal/sync.runtime_SemacquireMutex", "sync.runtime_SemacquireRWMutex",
                "sync.runtime_SemacquireRWMutexR", "sync.runtime_SemacquireWaitGroup", "sync.runtime_notifyListWait",
                "runtime.semrelease1", "sync.runtime_Semrelease", "internal/sync.runtime_Semrelease",
                "sync.(*Mutex).Lock", "sync.(*Mutex).lockSlow", "internal/sync.(*Mutex).Lock",
                "internal/sync.(*Mutex).lockSlow", "sync.(*RWMutex).Lock", "sync.(*RWMutex).RLock",
                "sync.(*WaitGroup).Wait", "sync.(*Cond).Wait");
        // allocation
        exact(Cause.ALLOCATION, "allocates heap memory (make, new, escaping values, append growth)",
                "runtime.mallocgc", "runtime.newobject", "runtime.makeslice", "runtime.makeslicecopy",
                "runtime.newarray", "runtime.makemap", "runtime.makemap_small", "runtime.makechan",
                "runtime.rawstring", "runtime.rawbyteslice", "runtime.rawstringtmp", "runtime.nextFreeFast",
                "runtime.publicationBarrier", "runtime.heapBitsSetType", "runtime.deductAssistCredit");
        exact(Cause.ALLOCATION, "grows a slice on append: allocates a larger array and copies the old one",
                "runtime.growslice");
        exact(Cause.ALLOCATION, "converts between string and []byte or concatenates strings: allocates a copy",
                "runtime.slicebytetostring", "runtime.stringtoslicebyte", "runtime.concatstrings",
                "runtime.concatstring2", "runtime.concatstring3", "runtime.concatstring4", "runtime.concatstring5",
                "runtime.intstring", "runtime.slicerunetostring", "runtime.stringtoslicerune");
        exact(Cause.ALLOCATION, "records a sampled allocation for the memory profile",
                "runtime.profilealloc", "runtime.mProf_Malloc", "runtime.stkbucket", "runtime.newBucket",
                "runtime.mProf_FlushLocked");
        exact(Cause.ALLOCATION, "asks the OS for memory or returns it (page allocator, scavenger)",
                "runtime.madvise", "runtime.mmap", "runtime.sysAlloc", "runtime.sysUsed", "runtime.sysUnused",
                "runtime.sysHugePage", "runtime.bgscavenge", "runtime.(*pageAlloc).scavenge");
        prefix(Cause.ALLOCATION, "allocates heap memory (a size-class-specific path of mallocgc)",
                "runtime.mallocgc");
        prefix(Cause.ALLOCATION, "the allocator refilling its per-P caches of memory spans",
                "runtime.(*mcache).", "runtime.(*mcentral).", "runtime.(*mheap).alloc", "runtime.(*mspan).",
                "runtime.(*pageAlloc).", "runtime.(*sysMemStat).", "runtime.pallocSum.");
        // GC
        exact(Cause.GC, "a background mark worker of the garbage collector: up to 25% of GOMAXPROCS while a"
                        + " collection runs",
                "runtime.gcBgMarkWorker", "runtime.gcDrain", "runtime.gcDrainN", "runtime.gcDrainMarkWorkerDedicated",
                "runtime.gcDrainMarkWorkerFractional", "runtime.gcDrainMarkWorkerIdle", "runtime.gcMark",
                "runtime.gcMarkDone", "runtime.gcMarkTermination", "runtime.gcStart", "runtime.gcBgMarkStartWorkers",
                "runtime.gcMarkRootPrepare", "runtime.gcFlushBgCredit", "runtime.gcWriteBarrier",
                "runtime.wbBufFlush", "runtime.wbBufFlush1", "runtime.bulkBarrierPreWrite", "runtime.typedmemmove");
        exact(Cause.GC, "mutator assist: a goroutine that allocates is made to help the GC mark, which adds"
                + " latency to that goroutine", "runtime.gcAssistAlloc", "runtime.gcAssistAlloc1");
        exact(Cause.GC, "scans objects, stacks and roots for pointers: GC marking; its cost grows with the live"
                        + " heap's pointers",
                "runtime.markroot", "runtime.markrootBlock", "runtime.markrootSpans", "runtime.scanobject",
                "runtime.scanObject", "runtime.scanblock", "runtime.scanstack", "runtime.scanframeworker",
                "runtime.greyobject", "runtime.findObject", "runtime.shade", "runtime.spanOf",
                "runtime.(*gcWork).tryGet", "runtime.(*gcWork).put", "runtime.(*gcBits).bitp",
                "runtime.scanSpan", "runtime.typePointers.next");
        exact(Cause.GC, "sweeps spans after a collection so their memory can be reused",
                "runtime.sweepone", "runtime.bgsweep", "runtime.(*mspan).sweep", "runtime.(*sweepLocked).sweep",
                "runtime.(*sweepLocker).tryAcquire", "runtime.(*spanSet).push", "runtime.(*spanSet).pop");
        prefix(Cause.GC, "the garbage collector (marking, work buffers, pacing)", "runtime.gc", "runtime.(*gcWork)",
                "runtime.(*gcControllerState)", "runtime.markroot", "runtime.scan");
        // syscalls
        exact(Cause.SYSCALL, "a system call: the thread is in the kernel (file or network I/O, time, signals)",
                "syscall.Syscall", "syscall.Syscall6", "syscall.RawSyscall", "syscall.RawSyscall6",
                "syscall.syscall", "syscall.rawsyscall", "internal/runtime/syscall.Syscall6",
                "internal/runtime/syscall/linux.Syscall6", "runtime/internal/syscall.Syscall6",
                "runtime.entersyscall", "runtime.exitsyscall", "runtime.entersyscallblock", "runtime.reentersyscall",
                "syscall.read", "syscall.write", "syscall.Read", "syscall.Write", "runtime.read", "runtime.write1",
                "runtime.write", "runtime.sigprocmask", "runtime.rtsigprocmask", "runtime.tgkill");
        prefix(Cause.SYSCALL, "a system call wrapper", "syscall.Syscall", "internal/syscall/unix.",
                "golang.org/x/sys/unix.Syscall");
        // stacks
        exact(Cause.STACK_GROWTH, "grows a goroutine's stack: allocates a stack twice as large and copies the old"
                        + " one; deep recursion or big frames in short-lived goroutines",
                "runtime.morestack", "runtime.morestack_noctxt", "runtime.newstack", "runtime.copystack",
                "runtime.stackalloc", "runtime.stackfree", "runtime.adjustframe", "runtime.adjustpointers",
                "runtime.shrinkstack", "runtime.stackcacherefill");
        exact(Cause.OTHER_RUNTIME, "walks the stack (tracebacks for profiles, panics, stack growth, GC)",
                "runtime.gentraceback", "runtime.pcvalue", "runtime.step", "runtime.findfunc", "runtime.funcInfo.entry",
                "runtime.(*unwinder).next", "runtime.(*unwinder).resolveInternal", "runtime.(*moduledata).textAddr",
                "runtime.readvarint", "runtime.callers", "runtime.gcallers", "runtime.tracebackPCs",
                "runtime.(*unwinder).initAt", "runtime.funcspdelta");
        // memory
        exact(Cause.MEMORY_COPY, "copies memory: large value copies, slice copies, append growth, string building",
                "runtime.memmove", "runtime.memequal", "runtime.memequal_varlen");
        exact(Cause.MEMORY_COPY, "zeroes memory: fresh allocations, cleared slices and maps",
                "runtime.memclrNoHeapPointers", "runtime.memclrHasPointers", "runtime.memclrNoHeapPointersChunked");
        // maps
        exact(Cause.MAP, "writes to a map (hashing the key, finding or making the slot)",
                "runtime.mapassign", "runtime.mapassign_faststr", "runtime.mapassign_fast64",
                "runtime.mapassign_fast32", "runtime.mapassign_fast64ptr");
        exact(Cause.MAP, "reads from a map (hashing the key, probing)",
                "runtime.mapaccess1", "runtime.mapaccess2", "runtime.mapaccess1_faststr", "runtime.mapaccess2_faststr",
                "runtime.mapaccess1_fast64", "runtime.mapaccess2_fast64", "runtime.mapaccess1_fast32",
                "runtime.mapaccess2_fast32", "runtime.mapaccessK", "runtime.mapdelete", "runtime.mapdelete_faststr",
                "runtime.mapiterinit", "runtime.mapiternext", "runtime.mapclear");
        exact(Cause.MAP, "grows a map: allocates a larger table and moves entries over (pre-size with make(map, n))",
                "runtime.hashGrow", "runtime.growWork", "runtime.growWork_faststr", "runtime.growWork_fast64",
                "runtime.evacuate", "runtime.evacuate_faststr", "runtime.evacuate_fast64", "runtime.makeBucketArray");
        exact(Cause.MAP, "hashes a map key", "runtime.memhash", "runtime.strhash", "runtime.aeshashbody",
                "runtime.memhash64", "runtime.memhash32", "runtime.nilinterhash", "runtime.interhash",
                "runtime.typehash", "runtime.efaceHash");
        prefix(Cause.MAP, "grows a map (Swiss table, Go 1.24+): splits or enlarges a table and moves entries over",
                "internal/runtime/maps.(*table).grow", "internal/runtime/maps.(*table).split",
                "internal/runtime/maps.(*table).rehash", "internal/runtime/maps.(*Map).growToTable",
                "internal/runtime/maps.(*Map).growToSmall");
        prefix(Cause.MAP, "map operations (Swiss-table implementation, Go 1.24+): hashing, probing, inserting",
                "internal/runtime/maps.", "runtime.mapaccess", "runtime.mapassign", "runtime.mapdelete",
                "runtime.mapiter", "runtime.map_");
        // interfaces and reflection
        exact(Cause.INTERFACE_CONVERSION, "converts a value to an interface: allocates unless the value is small"
                        + " or constant",
                "runtime.convT", "runtime.convT16", "runtime.convT32", "runtime.convT64", "runtime.convTstring",
                "runtime.convTslice", "runtime.convTnoptr", "runtime.convT2E", "runtime.convT2I", "runtime.convI2I");
        exact(Cause.INTERFACE_CONVERSION, "a type assertion or type switch on an interface",
                "runtime.assertE2I", "runtime.assertE2I2", "runtime.getitab", "runtime.typeAssert",
                "runtime.interfaceSwitch", "runtime.(*itabTableType).find", "runtime.ifaceeq", "runtime.efaceeq");
        prefix(Cause.INTERFACE_CONVERSION, "converts a value to an interface", "runtime.convT", "runtime.assert");
        prefix(Cause.REFLECTION, "reflection: inspecting or building values at run time (encoding/json,"
                + " fmt, ORMs); slower than static code and often allocating", "reflect.", "internal/reflectlite.");
        // timers
        exact(Cause.TIMER, "runs or manages timers (time.Sleep, time.After, Ticker, context deadlines)",
                "runtime.runtimer", "runtime.runOneTimer", "runtime.addtimer", "runtime.deltimer", "runtime.modtimer",
                "runtime.resettimer", "runtime.timerproc", "runtime.(*timers).run", "runtime.(*timers).check",
                "runtime.(*timers).adjust", "runtime.(*timer).modify", "runtime.(*timer).unlockAndRun",
                "runtime.(*timer).maybeRunChan", "runtime.(*timers).addHeap", "runtime.(*timers).deleteMin",
                "runtime.nanotime", "runtime.nanotime1", "runtime.walltime", "runtime.cputicks", "time.now",
                "time.Now", "time.Sleep", "time.sendTime", "time.NewTimer", "time.After", "time.newTimer",
                "time.(*Timer).Reset", "time.(*Timer).Stop");
        prefix(Cause.TIMER, "runtime timers", "runtime.(*timers).", "runtime.(*timer).");
        // cgo
        exact(Cause.CGO, "calls C code through cgo: the call itself costs about 10x a Go call, and the thread is"
                        + " outside the Go scheduler while in C",
                "runtime.cgocall", "runtime.asmcgocall", "runtime.cgocallbackg", "runtime.cgocallback",
                "runtime._cgo_panic_internal", "runtime.cgoCheckPointer", "runtime.cgoIsGoPointer");
        prefix(Cause.CGO, "cgo", "_cgo_", "runtime.cgo");
        // the rest of the runtime
        exact(Cause.OTHER_RUNTIME, "atomic operations", "runtime/internal/atomic.(*Uint64).Load",
                "internal/runtime/atomic.(*Uint32).Load");
        prefix(Cause.OTHER_RUNTIME, "atomic memory operations", "runtime/internal/atomic.", "internal/runtime/atomic.",
                "sync/atomic.");
        prefix(Cause.OTHER_RUNTIME, "the runtime's execution tracer recording events: the cost of tracing, not of"
                        + " the program (diagnose leaves it out of CPU shares)", "runtime.traceEvent",
                "runtime.traceLocker", "runtime.traceAcquire", "runtime.traceRelease", "runtime.(*traceBuf)",
                "runtime.(*traceWriter)", "runtime.traceAdvance", "runtime.traceReader", "runtime.traceStack",
                "runtime.(*traceStackTable)", "runtime/trace.");
        prefix(Cause.OTHER_RUNTIME, "the profiler writing its profile: the cost of profiling, not of the program"
                + " (diagnose leaves it out of CPU shares)", "runtime/pprof.", "runtime.(*profBuf)");
        prefix(Cause.OTHER_RUNTIME, "package initialisation (init functions, package-level variables): runs once at"
                + " start-up, not per call", "runtime.doInit");
        prefix(Cause.OTHER_RUNTIME, "part of the Go runtime", "runtime.", "runtime/internal/", "internal/runtime/",
                "internal/abi.", "internal/bytealg.");
    }

    /** What a runtime or standard-library frame means and what its cost belongs to; null when not a known frame. */
    public static Attribution explain(String function) {
        if (function == null || function.isEmpty()) {
            return null;
        }
        Attribution a = EXACT.get(function);
        if (a != null) {
            return a;
        }
        // closures and methods of a known function: runtime.gcBgMarkWorker.func2, runtime.mallocgc.func1
        String base = function.replaceAll("(\\.func\\d+)+(\\.\\d+)?$", "").replaceAll("\\.\\d+$", "");
        a = EXACT.get(base);
        if (a != null) {
            return a;
        }
        for (Map.Entry<String, Attribution> e : PREFIX.entrySet()) {
            if (function.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The cause of a frame, or null when not a known frame. */
    public static Cause causeOf(String function) {
        Attribution a = explain(function);
        return a == null ? null : a.cause();
    }
}
