package dev.godiag.diagnosis;

import dev.godiag.analysis.profile.FunctionCosts;
import dev.godiag.analysis.profile.SampleIndex;
import dev.godiag.diagnosis.RuntimeFrames.Cause;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.model.Profile;
import dev.godiag.testutil.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RuntimeFrames on the frames real Go 1.19 and 1.27 CPU profiles contain. */
class RuntimeFramesTest {
    /** The functions of the top 80 rows by flat of a corpus CPU profile (as godiag top -nodecount=80 lists them). */
    static List<String> top80(String file) {
        Profile p = ProfileLoader.load(Corpus.file(file).toString(), InputSource.FetchOptions.DEFAULT, 1L << 30);
        FunctionCosts c = FunctionCosts.of(p, SampleIndex.resolve(p, null));
        List<String> out = new ArrayList<>();
        for (FunctionCosts.Row r : c.rows()) {
            if (out.size() == 80) {
                break;
            }
            out.add(r.function());
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"go1.19/cpuwork/cpu.pprof", "go1.27/cpuwork/cpu.pprof", "go1.19/leakysvc/cpu.pprof",
            "go1.27/leakysvc/cpu.pprof"})
    void everyRuntimeFrameOfTheCorpusIsExplained(String file) {
        List<String> fns = top80(file);
        assertThat(fns).isNotEmpty();
        for (String f : fns) {
            if (f.startsWith("runtime.") || f.startsWith("internal/runtime/") || f.startsWith("runtime/internal/")) {
                RuntimeFrames.Attribution a = RuntimeFrames.explain(f);
                assertThat(a).as(f).isNotNull();
                assertThat(a.text()).as(f).isNotBlank().doesNotContain("\n");
            }
        }
        // the service's own code is not a runtime frame
        assertThat(fns.stream().filter(f -> f.startsWith("main.")).map(RuntimeFrames::explain).toList())
                .containsOnlyNulls();
    }

    /** Frames as they appear in the corpus profiles (go1.19 and go1.27 cpuwork, top 80) and their causes. */
    @ParameterizedTest
    @CsvSource({
            "runtime.mallocgc, ALLOCATION",
            "runtime.mallocgcSmallScanNoHeader, ALLOCATION",
            "runtime.mallocgcSmallScanNoHeaderSC1, ALLOCATION",
            "runtime.(*mspan).refillAllocCache, ALLOCATION",
            "runtime.(*mspan).writeHeapBitsSmall, ALLOCATION",
            "runtime.growslice, ALLOCATION",
            "runtime.makeslice, ALLOCATION",
            "runtime.slicebytetostring, ALLOCATION",
            "runtime.heapBitsSetType, ALLOCATION",
            "runtime.madvise, ALLOCATION",
            "runtime.stkbucket, ALLOCATION",
            "runtime.gcMark, GC",
            "runtime.scanObject, GC",
            "runtime.scanobject, GC",
            "runtime.scanblock, GC",
            "runtime.sweepone, GC",
            "runtime.(*spanSet).push, GC",
            "runtime.gcBgMarkWorker, GC",
            "runtime.gcBgMarkWorker.func2, GC",
            "runtime.gcDrain, GC",
            "runtime.markroot, GC",
            "runtime.gcAssistAlloc, GC",
            "runtime.futex, SCHEDULER",
            "runtime.lock2, SCHEDULER",
            "runtime.unlock2, SCHEDULER",
            "runtime.usleep, SCHEDULER",
            "runtime.runqgrab, SCHEDULER",
            "runtime.casgstatus, SCHEDULER",
            "runtime.readyWithTime, SCHEDULER",
            "runtime.asyncPreempt, SCHEDULER",
            "runtime.gopark, SCHEDULER",
            "runtime.mcall, SCHEDULER",
            "runtime.findRunnable, SCHEDULER",
            "runtime.epollwait, IDLE",
            "internal/runtime/syscall/linux.EpollWait, IDLE",
            "runtime.netpoll, IDLE",
            "internal/runtime/syscall/linux.Syscall6, SYSCALL",
            "syscall.Syscall, SYSCALL",
            "syscall.Syscall6, SYSCALL",
            "runtime.write1, SYSCALL",
            "runtime.read, SYSCALL",
            "runtime.memmove, MEMORY_COPY",
            "runtime.memclrNoHeapPointers, MEMORY_COPY",
            "runtime.copystack, STACK_GROWTH",
            "runtime.morestack, STACK_GROWTH",
            "runtime.newstack, STACK_GROWTH",
            "runtime.mapassign_faststr, MAP",
            "runtime.mapaccess2_faststr, MAP",
            "runtime.hashGrow, MAP",
            "internal/runtime/maps.memHashAES, MAP",
            "internal/runtime/maps.(*Map).getWithoutKeySmallFastStr, MAP",
            "internal/runtime/maps.(*table).grow, MAP",
            "runtime.convTstring, INTERFACE_CONVERSION",
            "runtime.convT64, INTERFACE_CONVERSION",
            "runtime.assertE2I, INTERFACE_CONVERSION",
            "reflect.(*rtype).Name, REFLECTION",
            "reflect.Value.Elem, REFLECTION",
            "reflect.Value.Set, REFLECTION",
            "runtime.selectgo, CHANNEL_WAIT",
            "runtime.chanrecv1, CHANNEL_WAIT",
            "runtime.chansend1, CHANNEL_WAIT",
            "internal/sync.runtime_SemacquireMutex, LOCK_WAIT",
            "internal/sync.(*Mutex).lockSlow, LOCK_WAIT",
            "sync.runtime_SemacquireMutex, LOCK_WAIT",
            "runtime.semacquire1, LOCK_WAIT",
            "internal/poll.runtime_pollWait, NETWORK_WAIT",
            "runtime.nanotime, TIMER",
            "runtime.cputicks, TIMER",
            "time.Sleep, TIMER",
            "runtime.cgocall, CGO",
            "runtime.gentraceback, OTHER_RUNTIME",
            "runtime.pcvalue, OTHER_RUNTIME",
            "runtime.step, OTHER_RUNTIME",
            "runtime/internal/atomic.(*Uint64).Load, OTHER_RUNTIME",
            "internal/runtime/atomic.(*Uint32).Load, OTHER_RUNTIME",
    })
    void causes(String function, Cause cause) {
        RuntimeFrames.Attribution a = RuntimeFrames.explain(function);
        assertThat(a).as(function).isNotNull();
        assertThat(a.cause()).as(function).isEqualTo(cause);
        assertThat(RuntimeFrames.causeOf(function)).isEqualTo(cause);
    }

    @Test
    void theNamedFramesOccurInTheCorpus() {
        List<String> all = new ArrayList<>(top80("go1.19/cpuwork/cpu.pprof"));
        all.addAll(top80("go1.27/cpuwork/cpu.pprof"));
        assertThat(all).contains("runtime.mallocgc", "runtime.futex", "runtime.memmove", "runtime.memclrNoHeapPointers",
                "runtime.usleep", "internal/runtime/syscall/linux.Syscall6", "runtime.epollwait",
                "internal/runtime/syscall/linux.EpollWait", "runtime.mapassign_faststr", "runtime.copystack",
                "internal/runtime/maps.memHashAES", "reflect.Value.Elem");
    }

    @Test
    void unknownFramesAreNull() {
        assertThat(RuntimeFrames.explain("main.fib")).isNull();
        assertThat(RuntimeFrames.explain("encoding/json.Unmarshal")).isNull();
        assertThat(RuntimeFrames.explain("example.com/shop/runtime.Foo")).isNull();
        assertThat(RuntimeFrames.explain("")).isNull();
        assertThat(RuntimeFrames.explain(null)).isNull();
    }
}
