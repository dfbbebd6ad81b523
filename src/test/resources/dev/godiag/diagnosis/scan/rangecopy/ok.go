package rangecopy

import (
	"net/http"
	"time"
)

type small struct {
	a, b int
	s    string
}

// 31*8 = 248 bytes: under the threshold
type justUnder struct {
	vals [31]int64
}

// large, but of another package's types: unknown size
type external struct {
	req  http.Request
	when time.Time
}

func fine(ss []small, js []justUnder, es []external, rs []request, ps []*request) int {
	n := 0
	for _, s := range ss {
		n += s.a
	}
	for _, j := range js {
		n += int(j.vals[0])
	}
	for _, e := range es {
		n += len(e.req.Method)
	}
	// by index, or only the key
	for i := range rs {
		n += rs[i].n
	}
	for i, _ := range rs {
		n += i
	}
	// pointers
	for _, p := range ps {
		n += p.n
	}
	return n
}
