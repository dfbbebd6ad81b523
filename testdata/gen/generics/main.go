// Command generics writes an allocation profile whose functions are generic code instantiated
// with func types and with interfaces that have methods: Go names such instances
// "main.Apply[go.shape.func(int) int]", which pprof shortens to "main.Apply[go.shape.func int]"
// (it takes them for demangled C++). Every allocation is recorded (MemProfileRate = 1), so the
// profile is the same on every run.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
)

type Sizer interface {
	Size() int
}

type item struct{ n int }

func (i item) Size() int { return i.n }

// Box has a value method (named "main.Box[...].Copy", simplified) and a pointer method
// ("main.(*Box[...]).Put", which pprof leaves alone).
type Box[T any] struct {
	vals []T
}

//go:noinline
func (b Box[T]) Copy() []T {
	out := make([]T, len(b.vals))
	copy(out, b.vals)
	return out
}

//go:noinline
func (b *Box[T]) Put(v T) { b.vals = append(b.vals, v) }

//go:noinline
func Apply[F func(int) int](f F, n int) []int {
	out := make([]int, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, f(i))
	}
	return out
}

//go:noinline
func Total[S Sizer](xs []S) []int {
	sizes := make([]int, len(xs))
	for i, x := range xs {
		sizes[i] = x.Size()
	}
	return sizes
}

//go:noinline
func Labels[K comparable, V fmt.Stringer](m map[K]V) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v.String())
	}
	return out
}

//go:noinline
func Later[F func() string](f F) func() []byte {
	return func() []byte { return []byte(f() + "!") }
}

type name int

func (n name) String() string { return "n" + strconv.Itoa(int(n)) }

var sink []any

func main() {
	runtime.MemProfileRate = 1
	for round := 0; round < 50; round++ {
		sink = append(sink, Apply(func(i int) int { return i * 2 }, 64+round))
		items := []Sizer{item{1}, item{2}, item{3}}
		sink = append(sink, Total(items))
		sink = append(sink, Labels(map[int]fmt.Stringer{1: name(1), 2: name(2)}))
		var b Box[func() int]
		for i := 0; i < 8; i++ {
			b.Put(func() int { return i })
		}
		sink = append(sink, b.Copy(), Later(func() string { return "x" })())
		var s Box[Sizer]
		s.Put(item{round})
		sink = append(sink, s.Copy())
	}
	runtime.GC()
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}
