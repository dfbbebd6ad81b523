package concat

import (
	"fmt"
	"strings"
)

func joinAll(items []string) string {
	s := ""
	for _, it := range items {
		s += it + "," // want "s += … copies the whole string built so far on every iteration of the loop at line 10; build it in a strings.Builder and take String() once"
	}
	return s
}

func render(names []string, sep string) (out string) {
	for i := 0; i < len(names); i++ {
		out = out + sep + names[i] // want "out = … copies the whole string built so far on every iteration of the loop at line 17"
	}
	return out
}

func upper(words []string) string {
	var b string
	acc := strings.ToUpper("x")
	for _, w := range words {
		b += w       // want "b += …"
		acc += b[:1] // want "acc += …"
	}
	return acc + b
}

func report(rows [][2]int) string {
	text := fmt.Sprintf("%d rows\n", len(rows))
	for _, r := range rows {
		if r[0] > 0 {
			text += fmt.Sprint(r[0], r[1]) // want "loop at line 35"
		}
	}
	return text
}
