package grow

import "strings"

// filtered: the final size is not known
func positive(xs []int) []int {
	var out []int
	for _, x := range xs {
		if x > 0 {
			out = append(out, x)
		}
	}
	return out
}

// a continue skips some iterations
func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s == "" {
			continue
		}
		out = append(out, s)
	}
	return out
}

// two appends per iteration, or a spread
func pairs(xs []int, yss [][]int) ([]int, []int) {
	var out, flat []int
	for _, x := range xs {
		out = append(out, x)
		out = append(out, -x)
	}
	for _, ys := range yss {
		flat = append(flat, ys...)
	}
	return out, flat
}

// already sized: the fix
func sized(rs []row) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Key)
	}
	return out
}

// a channel or an unknown has no length
func drain(ch chan int, next func() []int) []int {
	var out []int
	for v := range ch {
		out = append(out, v)
	}
	var more []int
	for _, v := range next() {
		more = append(more, v)
	}
	return append(out, more...)
}

// not empty when the loop starts
func withHeader(rs []row) []string {
	out := []string{"key"}
	for _, r := range rs {
		out = append(out, r.Key)
	}
	return out
}

// used before the loop
func prefixed(rs []row) []string {
	var out []string
	out = append(out, "first")
	for _, r := range rs {
		out = append(out, r.Key)
	}
	return out
}

// an unbounded loop
func untilEmpty(s string) []string {
	var parts []string
	for s != "" {
		i := strings.IndexByte(s, ',')
		if i < 0 {
			break
		}
		parts = append(parts, s[:i])
		s = s[i+1:]
	}
	return parts
}

// the slice is read in the loop too
func running(xs []int) []int {
	var sums []int
	for i, x := range xs {
		if i > 0 {
			x += sums[i-1]
		}
		sums = append(sums, x)
	}
	return sums
}

// a string's runes are not its length
func runes(s string) []rune {
	var rs []rune
	for _, r := range s {
		rs = append(rs, r)
	}
	return rs
}
