package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.Threshold;

import java.util.function.Predicate;

/** code.sync-map: sync.Map operations are a large share of the CPU. */
public final class SyncMapRule extends ShareRule {
    static final Threshold SHARE = new Threshold("syncMapShare", "fraction", 0.05, 0.15, 0.30,
            "share of the CPU samples in sync.(*Map) methods (internal/sync.(*HashTrieMap) from Go 1.24) (5%/15%/30%)");

    public SyncMapRule() {
        super("code.sync-map", "code", "sync.Map operations are a large share of the CPU", SHARE, Source.CPU, Source.ALLOCS);
    }

    @Override
    Predicate<String> match() {
        return StackMatch.prefixes("sync.(*Map).", "internal/sync.(*HashTrieMap");
    }

    @Override
    Predicate<String> exclude() {
        return null;
    }

    @Override
    String what() {
        return "heavy sync.Map use";
    }

    @Override
    String explanation() {
        return "sync.Map is built for keys written once and read many times, or for disjoint key sets per goroutine; every value is boxed in an interface and, before Go 1.24, writes of new keys copy the read-only map (dirty promotion). Under frequent writes or Range calls it is slower and allocates more than a plain map behind a mutex.";
    }

    @Override
    String fix() {
        return "For write-heavy or iterated data use a map guarded by sync.Mutex/RWMutex, sharded by key hash when contended; keep sync.Map for caches that are mostly read. Avoid Range on hot paths.";
    }

    @Override
    String[] example() {
        return new String[] {"var cache sync.Map\ncache.Store(k, v)\nif x, ok := cache.Load(k); ok { use(x.(*Item)) }", "type shard struct { mu sync.RWMutex; m map[string]*Item }\nvar shards [64]shard // pick by hash(k) % 64\nsh := &shards[hash(k)%64]\nsh.mu.Lock(); sh.m[k] = v; sh.mu.Unlock()"};
    }
}
