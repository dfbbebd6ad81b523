package sprintf

import (
	"fmt"
	"math/big"
	"strconv"
	"time"
)

// outside a loop
func one(i int) string {
	return fmt.Sprintf("%d", i)
}

// a format with more than the verb
func padded(xs []int) []string {
	var out []string
	for _, x := range xs {
		out = append(out, fmt.Sprintf("%05d", x), fmt.Sprintf("id-%d", x), fmt.Sprintf("%d:%d", x, x))
	}
	return out
}

type point struct{ x, y int }

// %v of a struct, of a named type, of something unknown: real formatting
func formatted(ps []point, ds []time.Duration, vs []any, ss []fmt.Stringer) {
	for i := range ps {
		_ = fmt.Sprintf("%s", ss[i])
		_ = fmt.Sprintf("%v", ps[i])
		_ = fmt.Sprintf("%v", ds[i])
		_ = fmt.Sprintf("%v", vs[i])
		_ = fmt.Sprintf("%d", ds[i])
	}
}

// the fix
func fixed(n int) []string {
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, strconv.Itoa(i))
	}
	return out
}

// a loop that returns at once
func first(xs []int) string {
	for _, x := range xs {
		return fmt.Sprintf("%d", x)
	}
	return ""
}

// %d of a *big.Int is its decimal form, which strconv cannot give
func bigs(xs []*big.Int) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, fmt.Sprintf("%d", x))
	}
	return out
}
