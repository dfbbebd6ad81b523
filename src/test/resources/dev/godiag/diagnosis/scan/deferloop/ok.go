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

// each iteration's file is kept for use after the loop: held until the function returns, as meant
func openAll(paths []string) ([]int64, error) {
	var files []*os.File
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		defer f.Close()
	}
	sizes := make([]int64, len(files))
	for i, f := range files {
		sizes[i], _ = f.Seek(0, 2)
	}
	return sizes, nil
}

type watcher struct{ ctx context.Context }

func watch(ctx context.Context) (*watcher, error) { return &watcher{ctx}, nil }

// each stream's context is cancelled at the end; the streams are used after the loop
func watchAll(parent context.Context, n int) {
	streams := make([]*watcher, n)
	for i := range streams {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		defer cancel()
		w, err := watch(ctx)
		if err != nil {
			return
		}
		streams[i] = w
	}
	for _, w := range streams {
		<-w.ctx.Done()
	}
}

type lockedFile struct{ f *os.File }

// held open until told to stop
func holdOpen(paths []string, stop chan struct{}) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
	}
	<-stop
}
