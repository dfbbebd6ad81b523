package regexpfix

import (
	"net/http"
	"regexp"
	"sync"
)

// the fix: compiled once at package level
var ticket = regexp.MustCompile(`^[A-Z]+-[0-9]+$`)

func countTickets(lines []string) int {
	n := 0
	for _, l := range lines {
		if ticket.MatchString(l) {
			n++
		}
	}
	return n
}

// a pattern built from the loop's data: each one is different
func matchAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if regexp.MustCompile("^" + p + "$").MatchString(s) {
			return true
		}
	}
	return false
}

// a pattern from the request: needs a cache, not a package variable
func search(w http.ResponseWriter, r *http.Request) {
	q, err := regexp.Compile(r.URL.Query().Get("q"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	_ = q
}

// outside a loop, in a function that does not serve requests
func validator() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z]+$`)
}

// lazily, once, inside a handler
var (
	lazyOnce sync.Once
	lazy     *regexp.Regexp
)

func lazyHandler(w http.ResponseWriter, r *http.Request) {
	lazyOnce.Do(func() {
		lazy = regexp.MustCompile(`^/lazy/`)
	})
	_ = lazy.MatchString(r.URL.Path)
}

// a loop that returns on its first iteration
func firstValid(lines []string) bool {
	for range lines {
		return regexp.MustCompile(`^ok$`).MatchString(lines[0])
	}
	return false
}

// a function with a Request but no ResponseWriter is not a handler
func describe(r *http.Request) bool {
	return regexp.MustCompile(`^/d/`).MatchString(r.URL.Path)
}

// compiled only on the failure path, which ends the loop: a fatal helper, a return
func checkAll(lines []string, fatalf func(string, ...any)) {
	fail := func(format string, args ...any) {
		fatalf(format, args...)
		panic("unreachable")
	}
	for _, l := range lines {
		if len(l) > 80 {
			l = regexp.MustCompile(`x+`).ReplaceAllString(l, "x")
			fail("line too long: %q", l)
		}
	}
}

func firstBad(lines []string) string {
	for _, l := range lines {
		if len(l) == 0 {
			continue
		}
		if l[0] == '#' {
			return regexp.MustCompile(`^#+`).ReplaceAllString(l, "")
		}
	}
	return ""
}

// a pattern from the loop's data, matched directly
func anyMatch(patterns []string, s string) bool {
	for _, p := range patterns {
		if ok, _ := regexp.MatchString(p, s); ok {
			return true
		}
	}
	return false
}
