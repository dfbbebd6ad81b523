package concat

import "strings"

// the fix
func joinBuilder(items []string) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it)
	}
	return b.String()
}

// numbers, not strings
func sum(xs []int) int {
	total := 0
	for _, x := range xs {
		total += x
	}
	return total
}

// a type the check cannot know: silent
func unknown(parts []string, start func() string) string {
	s := start()
	for _, p := range parts {
		s += p
	}
	return s
}

// declared inside the loop: built per iteration, not across them
func lines(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		line := ""
		line += strings.Join(r, ",")
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// reset at every iteration
func lastJoined(rows [][]string) string {
	var s string
	for _, r := range rows {
		s = ""
		s += strings.Join(r, ",")
	}
	return s
}

// outside any loop
func greet(name string) string {
	s := "hello, "
	s += name
	return s
}

// a loop that returns on its first pass
func firstPlus(items []string) string {
	s := "first: "
	for _, it := range items {
		s += it
		return s
	}
	return s
}

// a package-level string
var logLine string

func appendLog(items []string) {
	for _, it := range items {
		logLine += it
	}
}
