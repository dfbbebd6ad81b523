// Command promgo prints, on stdout, one snapshot of the Go runtime in two forms: first the
// Prometheus text exposition (format 0.0.4) of the metrics client_golang's Go and process
// collectors export, then a line "---", then the runtime.MemStats of the same snapshot as expvar
// publishes it ({"cmdline": [...], "memstats": {...}}). It mirrors client_golang's metric names,
// HELP texts and types (go_collector.go, process_collector.go) from memory; it is NOT client_golang,
// which is not available offline, and it uses the standard library only (Go 1.19 and later).
// godiag's tests (src/test/java/dev/godiag/format/runtime/PromGoTest.java) parse both halves and
// compare them. Before the snapshot it allocates and collects a little so the numbers are not zero.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"time"
)

var sink [][]byte

func main() {
	for i := 0; i < 2000; i++ {
		sink = append(sink, make([]byte, 4096))
		if len(sink) > 100 {
			sink = sink[:0]
		}
	}
	runtime.GC()
	runtime.GC()

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	var gs debug.GCStats
	gs.PauseQuantiles = make([]time.Duration, 5)
	debug.ReadGCStats(&gs)
	threads, _ := runtime.ThreadCreateProfile(nil)
	gogc := debug.SetGCPercent(100)
	debug.SetGCPercent(gogc)
	limit := debug.SetMemoryLimit(-1)

	var b strings.Builder
	metric := func(name, typ, help string, lines ...string) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
		for _, l := range lines {
			b.WriteString(l)
			b.WriteString("\n")
		}
	}
	g := func(name string, v float64) string { return fmt.Sprintf("%s %g", name, v) }
	qs := []string{}
	for i, q := range []string{"0", "0.25", "0.5", "0.75", "1"} {
		qs = append(qs, fmt.Sprintf("go_gc_duration_seconds{quantile=\"%s\"} %g", q, gs.PauseQuantiles[i].Seconds()))
	}
	qs = append(qs, fmt.Sprintf("go_gc_duration_seconds_sum %g", gs.PauseTotal.Seconds()),
		fmt.Sprintf("go_gc_duration_seconds_count %d", gs.NumGC))
	metric("go_gc_duration_seconds", "summary", "A summary of the pause duration of garbage collection cycles.", qs...)
	metric("go_gc_gogc_percent", "gauge", "Heap size target percentage configured by the user, otherwise 100. This value is set by the GOGC environment variable, and the runtime/debug.SetGCPercent function. Sourced from /gc/gogc:percent", g("go_gc_gogc_percent", float64(gogc)))
	metric("go_gc_gomemlimit_bytes", "gauge", "Go runtime memory limit configured by the user, otherwise math.MaxInt64. This value is set by the GOMEMLIMIT environment variable, and the runtime/debug.SetMemoryLimit function. Sourced from /gc/gomemlimit:bytes", g("go_gc_gomemlimit_bytes", float64(limit)))
	metric("go_goroutines", "gauge", "Number of goroutines that currently exist.", g("go_goroutines", float64(runtime.NumGoroutine())))
	metric("go_info", "gauge", "Information about the Go environment.", fmt.Sprintf("go_info{version=%q} 1", runtime.Version()))
	mem := []struct {
		name, typ, help string
		v               uint64
	}{
		{"go_memstats_alloc_bytes", "gauge", "Number of bytes allocated in heap and currently in use. Equals to /memory/classes/heap/objects:bytes.", ms.Alloc},
		{"go_memstats_alloc_bytes_total", "counter", "Total number of bytes allocated in heap until now, even if released already. Equals to /gc/heap/allocs:bytes.", ms.TotalAlloc},
		{"go_memstats_buck_hash_sys_bytes", "gauge", "Number of bytes used by the profiling bucket hash table. Equals to /memory/classes/profiling/buckets:bytes.", ms.BuckHashSys},
		{"go_memstats_frees_total", "counter", "Total number of heap objects frees. Equals to /gc/heap/frees:objects + /gc/heap/tiny/allocs:objects.", ms.Frees},
		{"go_memstats_gc_sys_bytes", "gauge", "Number of bytes used for garbage collection system metadata. Equals to /memory/classes/metadata/other:bytes.", ms.GCSys},
		{"go_memstats_heap_alloc_bytes", "gauge", "Number of heap bytes allocated and currently in use, same as go_memstats_alloc_bytes. Equals to /memory/classes/heap/objects:bytes.", ms.HeapAlloc},
		{"go_memstats_heap_idle_bytes", "gauge", "Number of heap bytes waiting to be used. Equals to /memory/classes/heap/released:bytes + /memory/classes/heap/free:bytes.", ms.HeapIdle},
		{"go_memstats_heap_inuse_bytes", "gauge", "Number of heap bytes that are in use. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes", ms.HeapInuse},
		{"go_memstats_heap_objects", "gauge", "Number of currently allocated objects. Equals to /gc/heap/objects:objects.", ms.HeapObjects},
		{"go_memstats_heap_released_bytes", "gauge", "Number of heap bytes released to OS. Equals to /memory/classes/heap/released:bytes.", ms.HeapReleased},
		{"go_memstats_heap_sys_bytes", "gauge", "Number of heap bytes obtained from system. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes + /memory/classes/heap/released:bytes + /memory/classes/heap/free:bytes.", ms.HeapSys},
		{"go_memstats_last_gc_time_seconds", "gauge", "Number of seconds since 1970 of last garbage collection.", 0},
		{"go_memstats_mallocs_total", "counter", "Total number of heap objects allocated, both live and gc-ed. Semantically a counter version for go_memstats_heap_objects gauge. Equals to /gc/heap/allocs:objects + /gc/heap/tiny/allocs:objects.", ms.Mallocs},
		{"go_memstats_mcache_inuse_bytes", "gauge", "Number of bytes in use by mcache structures. Equals to /memory/classes/metadata/mcache/inuse:bytes.", ms.MCacheInuse},
		{"go_memstats_mcache_sys_bytes", "gauge", "Number of bytes used for mcache structures obtained from system. Equals to /memory/classes/metadata/mcache/inuse:bytes + /memory/classes/metadata/mcache/free:bytes.", ms.MCacheSys},
		{"go_memstats_mspan_inuse_bytes", "gauge", "Number of bytes in use by mspan structures. Equals to /memory/classes/metadata/mspan/inuse:bytes.", ms.MSpanInuse},
		{"go_memstats_mspan_sys_bytes", "gauge", "Number of bytes used for mspan structures obtained from system. Equals to /memory/classes/metadata/mspan/inuse:bytes + /memory/classes/metadata/mspan/free:bytes.", ms.MSpanSys},
		{"go_memstats_next_gc_bytes", "gauge", "Number of heap bytes when next garbage collection will take place. Equals to /gc/heap/goal:bytes.", ms.NextGC},
		{"go_memstats_other_sys_bytes", "gauge", "Number of bytes used for other system allocations. Equals to /memory/classes/other:bytes.", ms.OtherSys},
		{"go_memstats_stack_inuse_bytes", "gauge", "Number of bytes obtained from system for stack allocator in non-CGO environments. Equals to /memory/classes/heap/stacks:bytes.", ms.StackInuse},
		{"go_memstats_stack_sys_bytes", "gauge", "Number of bytes obtained from system for stack allocator. Equals to /memory/classes/heap/stacks:bytes + /memory/classes/os-stacks:bytes.", ms.StackSys},
		{"go_memstats_sys_bytes", "gauge", "Number of bytes obtained from system. Equals to /memory/classes/total:byte.", ms.Sys},
	}
	sort.Slice(mem, func(i, j int) bool { return mem[i].name < mem[j].name })
	for _, m := range mem {
		v := float64(m.v)
		if m.name == "go_memstats_last_gc_time_seconds" {
			v = float64(ms.LastGC) / 1e9
		}
		metric(m.name, m.typ, m.help, g(m.name, v))
	}
	metric("go_threads", "gauge", "Number of OS threads created.", g("go_threads", float64(threads)))
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		metric("process_open_fds", "gauge", "Number of open file descriptors.", g("process_open_fds", float64(len(fds))))
	}
	if stat, err := os.ReadFile("/proc/self/statm"); err == nil {
		var size, rss uint64
		fmt.Sscan(string(stat), &size, &rss)
		page := uint64(os.Getpagesize())
		metric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", g("process_resident_memory_bytes", float64(rss*page)))
		metric("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", g("process_virtual_memory_bytes", float64(size*page)))
	}
	os.Stdout.WriteString(b.String())
	os.Stdout.WriteString("---\n")
	out, _ := json.Marshal(map[string]interface{}{"cmdline": os.Args, "memstats": ms})
	os.Stdout.Write(out)
	os.Stdout.WriteString("\n")
}
