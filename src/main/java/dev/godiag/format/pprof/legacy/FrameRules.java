package dev.godiag.format.pprof.legacy;

import dev.godiag.model.ProfileBuilder;
import dev.godiag.model.ValueType;

import java.util.List;

/**
 * pprof's addLegacyFrameInfo: the frames to prune (applied elsewhere), chosen by the sample
 * types, since legacy files say nothing of them.
 */
final class FrameRules {
    private FrameRules() {
    }

    private static final List<List<String>> HEAP_TYPES = List.of(
            List.of("allocations", "size"),
            List.of("objects", "space"),
            List.of("inuse_objects", "inuse_space"),
            List.of("alloc_objects", "alloc_space"),
            List.of("alloc_objects", "alloc_space", "inuse_objects", "inuse_space"));
    private static final List<List<String>> CONTENTION_TYPES = List.of(List.of("contentions", "delay"));

    private static final String ALLOC_DROP_FRAMES = String.join("|",
            "calloc", "cfree", "malloc", "free", "memalign", "do_memalign", "(__)?posix_memalign", "pvalloc",
            "valloc", "realloc",
            "tcmalloc::.*", "tc_calloc", "tc_cfree", "tc_malloc", "tc_free", "tc_memalign", "tc_posix_memalign",
            "tc_pvalloc", "tc_valloc", "tc_realloc", "tc_new", "tc_delete", "tc_newarray", "tc_deletearray",
            "tc_new_nothrow", "tc_newarray_nothrow",
            "malloc_zone_malloc", "malloc_zone_calloc", "malloc_zone_valloc", "malloc_zone_realloc",
            "malloc_zone_memalign", "malloc_zone_free",
            "runtime\\..*",
            "BaseArena::.*", "(::)?do_malloc_no_errno", "(::)?do_malloc_pages", "(::)?do_malloc",
            "DoSampledAllocation", "MallocedMemBlock::MallocedMemBlock", "_M_allocate", "__builtin_(vec_)?delete",
            "__builtin_(vec_)?new", "__gnu_cxx::new_allocator::allocate", "__libc_malloc",
            "__malloc_alloc_template::allocate", "allocate", "cpp_alloc", "operator new(\\[\\])?",
            "simple_alloc::allocate");
    private static final String ALLOC_KEEP_FRAMES = String.join("|",
            "runtime\\.panic", "runtime\\.reflectcall", "runtime\\.call[0-9]*");
    private static final String CPU_DROP_FRAMES = String.join("|",
            "ProfileData::Add", "ProfileData::prof_handler", "CpuProfiler::prof_handler", "__pthread_sighandler",
            "__restore");
    private static final String LOCK_DROP_FRAMES = String.join("|",
            "RecordLockProfileData", "(base::)?RecordLockProfileData.*", "(base::)?SubmitMutexProfileData.*",
            "(base::)?SubmitSpinLockProfileData.*", "(base::Mutex::)?AwaitCommon.*", "(base::Mutex::)?Unlock.*",
            "(base::Mutex::)?UnlockSlow.*", "(base::Mutex::)?ReaderUnlock.*", "(base::MutexLock::)?~MutexLock.*",
            "(Mutex::)?AwaitCommon.*", "(Mutex::)?Unlock.*", "(Mutex::)?UnlockSlow.*", "(Mutex::)?ReaderUnlock.*",
            "(MutexLock::)?~MutexLock.*", "(SpinLock::)?Unlock.*", "(SpinLock::)?SlowUnlock.*",
            "(SpinLockHolder::)?~SpinLockHolder.*");

    /** Sets drop_frames and keep_frames as pprof does; anything neither heap nor lock is CPU to it. */
    static void apply(List<ValueType> sampleTypes, ProfileBuilder b) {
        List<String> names = sampleTypes.stream().map(ValueType::type).toList();
        if (HEAP_TYPES.contains(names)) {
            b.dropFrames(ALLOC_DROP_FRAMES).keepFrames(ALLOC_KEEP_FRAMES);
        } else if (CONTENTION_TYPES.contains(names)) {
            b.dropFrames(LOCK_DROP_FRAMES);
        } else {
            b.dropFrames(CPU_DROP_FRAMES);
        }
    }
}
