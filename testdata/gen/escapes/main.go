// escapes: a fixture for godiag's compiler-diagnostics reader and its join with profiles. Each
// allocation that escape analysis sends to the heap stands on a line of its own, marked with a
// comment naming the reason ("// escape: REASON", REASON one of godiag's reason ids: returned,
// closure, interface, stored); the reader's tests read the markers, not a list of results. It
// also has a function too complex to inline (checksum) called in a hot loop, with a helper inlined
// into it ("// inlined:"), and a loop whose bounds check stays ("// bounds: index"). Run with
// -out DIR, it writes cpu.pprof, allocs.pprof and heap.pprof there.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
)

var (
	sinkInt   int
	sinkAny   any
	registry  = map[int]*record{}
	callbacks []func() int
)

// bufSize is constant, so the only reason newBuffer's slice is on the heap is that it is returned.
const bufSize = 4096

type point struct{ x, y, z, w int64 }

type record struct {
	id   int
	name string
	data [64]byte
}

// newBuffer returns its slice: the backing array outlives the call.
//
//go:noinline
func newBuffer() []byte {
	buf := make([]byte, bufSize) // escape: returned
	for i := range buf {
		buf[i] = byte(i)
	}
	return buf
}

// counter's closure keeps total alive after counter returns.
//
//go:noinline
func counter(start int) func() int {
	total := start // escape: closure
	return func() int {
		total++
		return total
	}
}

// describe converts a point to an interface: the value is boxed on the heap (32 bytes, past the
// tiny allocator, so that every box is an allocation of its own in the profile).
//
//go:noinline
func describe(p point) {
	sinkAny = p // escape: interface
}

// remember stores a pointer in a package-level map.
//
//go:noinline
func remember(id int) {
	r := &record{id: id, name: "r"} // escape: stored (in a map)
	registry[id%512] = r
}

// checksum is far over the inliner's budget of 80: every call is a real call.
func checksum(b []byte) uint32 {
	var h uint32 = 2166136261
	for i := 0; i < len(b); i++ {
		h ^= uint32(b[i])
		h *= 16777619
		if h%7 == 0 {
			h += uint32(i) * 3
		} else if h%11 == 0 {
			h -= uint32(i) * 5
		} else if h%13 == 0 {
			h ^= h >> 7
		}
		switch b[i] & 3 {
		case 0:
			h += 1
		case 1:
			h += 3
		case 2:
			h += 5
		default:
			h += 7
		}
		h = rotl(h) // inlined: a small helper in the hot loop
	}
	for i := len(b) - 1; i >= 0; i -= 3 {
		h += uint32(b[i]) << (i % 8)
	}
	return h
}

// rotl is small enough to inline: its calls in checksum's loop cost no call.
func rotl(h uint32) uint32 {
	return h<<1 | h>>31
}

// sumAt indexes with an index the compiler cannot prove in range: the bounds check stays.
//
//go:noinline
func sumAt(xs []int, idx []int) int {
	s := 0
	for _, i := range idx {
		s += xs[i] // bounds: index
	}
	return s
}

func main() {
	out := flag.String("out", "", "directory for cpu.pprof, allocs.pprof and heap.pprof")
	rounds := flag.Int("rounds", 20000, "workload rounds")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: escapes -out DIR [-rounds N]")
		os.Exit(2)
	}
	// every allocation sampled, so the allocs profile's sites are exact
	runtime.MemProfileRate = 1
	cpu, err := os.Create(filepath.Join(*out, "cpu.pprof"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	xs := make([]int, 1024)
	idx := make([]int, 4096)
	for i := range idx {
		idx[i] = (i * 7) % len(xs)
	}
	var h uint32
	for r := 0; r < *rounds; r++ {
		b := newBuffer()
		h += checksum(b)
		sinkInt += sumAt(xs, idx)
		if r%4 == 0 {
			c := counter(r)
			callbacks = append(callbacks[:0], c)
			sinkInt += c()
			describe(point{int64(r), 1, 2, 3})
			remember(r)
		}
	}
	sinkInt += int(h)
	pprof.StopCPUProfile()
	cpu.Close()
	runtime.GC()
	allocs, err := os.Create(filepath.Join(*out, "allocs.pprof"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := pprof.Lookup("allocs").WriteTo(allocs, 0); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	allocs.Close()
	heap, err := os.Create(filepath.Join(*out, "heap.pprof"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := pprof.Lookup("heap").WriteTo(heap, 0); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	heap.Close()
	fmt.Println("ok " + strconv.Itoa(sinkInt&1))
}
