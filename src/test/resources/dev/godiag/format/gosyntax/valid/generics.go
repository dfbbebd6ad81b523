// Type parameters, instantiation, constraint unions and the [P *C] ambiguity.
package generics

import "fmt"

type Number interface {
	~int | ~int64 | ~float64
}

type Pair[K comparable, V any] struct {
	Key   K
	Value V
}

type List[T any] struct {
	next  *List[T]
	value T
}

type Tree[T interface{ Less(T) bool }] struct{ left, right *Tree[T] }

// Array types whose length is an expression, not type parameters.
type A1 [N]int
type A2 [N * M]int
type A3 [N * (M)]int
type A4 [2 * N]byte
type A5 [N | M]int
type A6 [unsafe.Sizeof(x)]byte

// Type parameters with pointer, parenthesized and union constraints.
type P1[P *C] struct{}
type P2[P *C,] struct{}
type P3[P *C | D] struct{}
type P4[P (C)] struct{}
type P5[P *[]int] struct{}
type P6[P interface{ M() }, Q ~[]P] struct{}
type P7[P, Q any, R Number] struct{}
type P8[_ any] int

type Alias = Pair[string, int]
type GAlias[T any] = List[T]

type Stringer[T any] interface {
	String() string
	fmt.Stringer
	Pair[T, T] | List[T]
	~struct{ x int }
	*T
}

func Map[S ~[]E, E, R any](s S, f func(E) R) []R {
	out := make([]R, 0, len(s))
	for _, v := range s {
		out = append(out, f(v))
	}
	return out
}

func (l *List[T]) Push(v T) *List[T] { return &List[T]{next: l, value: v} }

func (p Pair[K, _]) First() K { return p.Key }

func Sum[T Number](xs ...T) (total T) {
	for _, x := range xs {
		total += x
	}
	return
}

func use() {
	_ = Map[[]int, int, string]
	f := Sum[int]
	_ = f(1, 2, 3)
	var m map[Pair[int, string]]List[int]
	_ = m
	_ = Pair[int, string]{Key: 1, Value: "a"}
	_ = []Pair[int, int]{{1, 2}, {Key: 3}}
	x := a[i]
	y := a[i, j]
	_, _ = x, y
	_ = G[int](3)
	var _ func(P[int]) T[string, bool]
}
