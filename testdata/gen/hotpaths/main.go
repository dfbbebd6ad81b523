// hotpaths: a fixture for godiag's profile rules. Each worker exercises one pattern the rules look
// for: sync.Map writes, time.After in a loop, maps filled without a size hint, defers in a loop,
// and calls into C.
package main

/*
static unsigned long spin(unsigned long n) {
	unsigned long x = 0;
	for (unsigned long i = 0; i < n; i++) { x = x * 31 + i; }
	return x;
}
*/
import "C"

import (
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"time"
)

var sink int

var registry sync.Map

func storeAll(round int) {
	for i := 0; i < 2000; i++ {
		registry.Store(strconv.Itoa(i+round), i)
		if v, ok := registry.Load(strconv.Itoa(i)); ok {
			sink += v.(int)
		}
	}
}

func pollTimeouts(ch chan int) {
	for i := 0; i < 2000; i++ {
		select {
		case v := <-ch:
			sink += v
		case <-time.After(time.Hour):
		default:
		}
	}
}

func buildIndex() {
	m := map[int]int{}
	for i := 0; i < 50000; i++ {
		m[i] = i
	}
	sink += len(m)
}

var mu sync.Mutex

func sumDeferred(xs []int) int {
	total := 0
	for _, x := range xs {
		// a defer in a loop is never open-coded: runtime.deferproc and deferreturn per element
		defer func() { sink++ }()
		total += x
	}
	return total
}

func callC() {
	for i := 0; i < 2000; i++ {
		sink += int(C.spin(C.ulong(200)))
	}
}

func main() {
	runtime.MemProfileRate = 4096
	cpu, _ := os.Create(os.Args[1] + "/cpu.pprof")
	pprof.StartCPUProfile(cpu)
	deadline := time.Now().Add(4 * time.Second)
	var wg sync.WaitGroup
	work := []func(int){
		storeAll,
		func(int) { pollTimeouts(make(chan int)) },
		func(int) { buildIndex() },
		func(int) {
			xs := make([]int, 64)
			for i := 0; i < 200; i++ {
				sink += sumDeferred(xs)
			}
		},
		func(int) { callC() },
	}
	for _, w := range work {
		wg.Add(1)
		go func(w func(int)) {
			defer wg.Done()
			for r := 0; time.Now().Before(deadline); r++ {
				w(r)
			}
		}(w)
	}
	wg.Wait()
	pprof.StopCPUProfile()
	cpu.Close()
	runtime.GC()
	a, _ := os.Create(os.Args[1] + "/allocs.pprof")
	pprof.Lookup("allocs").WriteTo(a, 0)
	a.Close()
}
