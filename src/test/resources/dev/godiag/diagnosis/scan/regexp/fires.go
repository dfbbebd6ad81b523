package regexpfix

import (
	"net/http"
	"regexp"
	re "regexp"
)

const idPattern = `^[A-Z]+-[0-9]+$`

func countIDs(lines []string) int {
	n := 0
	for _, l := range lines {
		if regexp.MustCompile(`^[A-Z]+-[0-9]+$`).MatchString(l) { // want "regexp.MustCompile(`^[A-Z]+-[0-9]+$`) compiles the same pattern on every iteration of the loop at line 13; compile it once outside the loop"
			n++
		}
	}
	return n
}

func firstMatch(lines []string) string {
	for i := 0; i < len(lines); i++ {
		r, err := re.Compile(idPattern) // want "regexp.Compile(idPattern) compiles the same pattern"
		if err != nil {
			return ""
		}
		if r.MatchString(lines[i]) {
			return lines[i]
		}
	}
	return ""
}

func posix(lines []string) {
	const p = "a+" + "b"
	for _, l := range lines {
		_ = regexp.MustCompilePOSIX(p).MatchString(l) // want "regexp.MustCompilePOSIX(p)"
	}
}

func handle(w http.ResponseWriter, r *http.Request) {
	ok := regexp.MustCompile(`^/api/v[0-9]+/`).MatchString(r.URL.Path) // want "regexp.MustCompile(`^/api/v[0-9]+/`) compiles the same pattern on every request handle handles; compile it once in a package-level variable"
	if !ok {
		http.NotFound(w, r)
	}
}

type server struct{}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if regexp.MustCompile(`\d+`).MatchString(r.URL.Path) { // want "on every request (*server).ServeHTTP handles"
		w.WriteHeader(http.StatusOK)
	}
}

func routes(mux *http.ServeMux) {
	mux.HandleFunc("/x", func(w http.ResponseWriter, r *http.Request) {
		_ = regexp.MustCompile(`x+`).MatchString(r.URL.Path) // want "on every request this handler handles"
	})
}

// the package-level Match functions compile their pattern on every call
func countMatches(lines []string) (n int) {
	for _, l := range lines {
		if ok, _ := regexp.MatchString(`^[a-z]+$`, l); ok { // want "regexp.MatchString(`^[a-z]+$`, …) compiles the same pattern on every iteration of the loop at line 64; compile it once with regexp.MustCompile outside the loop and call its MatchString"
			n++
		}
	}
	return n
}
