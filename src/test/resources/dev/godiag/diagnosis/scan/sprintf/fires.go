package sprintf

import (
	"fmt"
	"io"
)

func ids(n int) []string {
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, fmt.Sprintf("%d", i)) // want "fmt.Sprintf(\"%d\", i) parses its format and boxes i on every iteration of the loop at line 10; strconv.Itoa(i) says the same without either"
	}
	return out
}

func sizes(xs []int64, w io.Writer) {
	for _, x := range xs {
		_, _ = io.WriteString(w, fmt.Sprintf("%d", x)) // want "strconv.FormatInt(int64(x), 10) says the same"
	}
}

func names(xs []string) map[string]bool {
	m := make(map[string]bool)
	for _, x := range xs {
		m[fmt.Sprintf("%s", x)] = true // want "fmt.Sprintf(\"%s\", x) parses its format and boxes x on every iteration of the loop at line 24; x is already that string"
	}
	return m
}

func flags(bs []bool) (s []string) {
	for _, b := range bs {
		s = append(s, fmt.Sprintf("%v", b)) // want "strconv.FormatBool(b)"
	}
	return s
}

func unknown(n int, name func(int) string, get func(int) int) {
	for i := range n {
		_ = fmt.Sprintf("%s", name(i)) // want "use name(…) itself if it is a string, or its String or Error method"
		_ = fmt.Sprintf("%d", get(i))  // an integer of unknown type, or a *big.Int: silent
	}
}
