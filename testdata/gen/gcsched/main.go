// Command gcsched is a tiny workload for godiag's runtime-trace tests
// (src/test/java/dev/godiag/format/runtime/LiveTraceTest.java): run under
// GODEBUG=gctrace=1,schedtrace=100,scheddetail=1 it allocates garbage for about one second (so the
// collector runs many cycles while the scheduler tracer samples every 100 ms), calls runtime.GC
// once (one "(forced)" cycle) and debug.FreeOSMemory once (a forced GC and a forced scavenger
// line), then prints "done N" with the final runtime.MemStats.NumGC on stdout and exits.
// Standard library only; Go 1.19 and later.
package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"time"
)

var sink [][]byte

func main() {
	deadline := time.Now().Add(time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		sink = append(sink, make([]byte, 64<<10))
		if len(sink) > 64 {
			sink = sink[:0]
		}
		if i%200 == 0 {
			time.Sleep(5 * time.Millisecond)
		}
	}
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Printf("done %d %d\n", m.NumGC, m.NumForcedGC)
}
