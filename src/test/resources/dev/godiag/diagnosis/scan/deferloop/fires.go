package deferloop

import (
	"os"
	"sync"
)

func readAll(paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // want "defer f.Close() in the loop at line 9 runs only when readAll returns, so each iteration that reaches it stacks another deferred call and holds what it releases until then; move the loop body into a function of its own"
		_ = f
	}
	return nil
}

type store struct {
	mu   sync.Mutex
	data map[string]int
}

func (s *store) addAll(keys []string) {
	for i := 0; i < len(keys); i++ {
		s.mu.Lock()
		defer s.mu.Unlock() // want "defer s.mu.Unlock() in the loop at line 26 runs only when (*store).addAll returns"
		s.data[keys[i]]++
	}
}

func nested(groups [][]string) {
	for _, g := range groups {
		if len(g) > 0 {
			for _, name := range g {
				f, err := os.Create(name)
				if err != nil {
					continue
				}
				defer f.Close() // want "loop at line 36"
			}
		}
	}
}

func inLiteral(paths []string) func() {
	return func() {
		for _, p := range paths {
			defer os.Remove(p) // want "defer os.Remove(…) in the loop at line 49 runs only when the function literal returns"
		}
	}
}

func untilFound(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // want "loop at line 56"
		if f.Name() == "" {
			continue
		}
		return
	}
}

// the file's data flows into a total declared outside the loop, but the file itself is not kept:
// each iteration's file stays open until the function returns
func sizes(paths []string) (total int64, err error) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer f.Close() // want "defer f.Close() in the loop at line 72"
		total, err = f.Seek(0, 2)
	}
	return total, err
}
