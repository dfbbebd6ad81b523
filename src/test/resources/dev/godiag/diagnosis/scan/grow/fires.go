package grow

type row struct {
	Key string
	N   int
}

type rows []row

func keys(rs []row) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Key) // want "out gets one append on each of the len(rs) iterations of the loop at line 12 but starts empty (line 11), so it grows and copies itself as it fills; make([]string, 0, len(rs)) sizes it once"
	}
	return out
}

func index(rs rows) map[string]int {
	m := map[string]int{}
	for _, r := range rs {
		m[r.Key] = r.N // want "m gets one entry on each of the len(rs) iterations of the loop at line 20 but starts empty (line 19), so it grows and copies itself as it fills; make(map[string]int, len(rs)) sizes it once"
	}
	return m
}

func squares(n int) []int {
	sq := make([]int, 0)
	for i := 0; i < n; i++ {
		sq = append(sq, i*i) // want "make([]int, 0, n) sizes it once"
	}
	return sq
}

func inverse(m map[string]int) map[int]string {
	inv := make(map[int]string)
	for k, v := range m {
		inv[v] = k // want "make(map[int]string, len(m)) sizes it once"
	}
	return inv
}

func counts(n int) []int {
	c := []int{}
	for i := range n {
		c = append(c, i) // want "on each of the n iterations"
	}
	return c
}
