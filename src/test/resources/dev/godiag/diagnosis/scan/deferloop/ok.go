package deferloop

import (
	"context"
	"os"
	"sync"
	"time"
)

// the fix: the body in a function literal called per iteration
func readEach(paths []string) error {
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return nil
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// a defer on the path that returns: it runs at most once per call
func openFirst(paths []string) (*os.File, error) {
	var mu sync.Mutex
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		mu.Lock()
		defer mu.Unlock()
		return f, nil
	}
	return nil, os.ErrNotExist
}

// a defer followed by a break of the loop
func lockOnce(mus []*sync.Mutex) {
	for _, mu := range mus {
		mu.Lock()
		defer mu.Unlock()
		break
	}
}

// a loop that always returns in its first iteration
func only(paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		return nil
	}
	return nil
}

// a defer before the loop
func before(paths []string) {
	f, err := os.Create("log")
	if err != nil {
		return
	}
	defer f.Close()
	for _, p := range paths {
		_, _ = f.WriteString(p)
	}
}

// a panic after the defer on that path
func mustAll(paths []string) {
	for _, p := range paths {
		if p == "" {
			var mu sync.Mutex
			mu.Lock()
			defer mu.Unlock()
			panic("empty path")
		}
	}
}

// a lazy initialisation in the loop: the nil guard lets the defer run once per call
func lazyTemp(names []string) {
	var tmp *os.File
	for _, n := range names {
		if tmp == nil {
			f, err := os.CreateTemp("", "x")
			if err != nil {
				return
			}
			tmp = f
			defer os.Remove(f.Name())
		}
		_, _ = tmp.WriteString(n)
	}
}

// a timer fires once: the case holding the defer runs at most once per call
func race(ctx context.Context, results chan error) error {
	fallback := time.NewTimer(300 * time.Millisecond)
	defer fallback.Stop()
	for {
		select {
		case <-fallback.C:
			fctx, cancel := context.WithCancel(ctx)
			defer cancel()
			go func() { results <- fctx.Err() }()
		case err := <-results:
			return err
		}
	}
}
