// Package peer holds the cases that godiag scan shares with staticcheck (SA1015, SA5003, SA6000,
// SA9001) and go vet (copylocks, lostcancel). A "// peer: WHO" comment marks the line where WHO
// reports: both, godiag (godiag alone) or other (staticcheck or vet alone); an unmarked line is
// silent for both. ScanPeerTest runs the three tools and holds each to these marks.
package peer

import (
	"context"
	"regexp"
	"sync"
	"time"
)

func poll() {}

// time.Tick in a function that returns: the ticker outlives it.
func tickThenReturn(done <-chan struct{}) {
	tick := time.Tick(time.Second) // peer: both
	for {
		select {
		case <-tick:
			poll()
		case <-done:
			return
		}
	}
}

// time.Tick ranged over for ever in a goroutine: its intended use.
func tickForever() {
	go func() {
		for range time.Tick(time.Second) {
			poll()
		}
	}()
}

// An endless for-select without a return: godiag finds no exit and stays silent; staticcheck
// 2023.1 counts the function's exit as reachable and reports it.
func tickEndless(events <-chan int) {
	tick := time.Tick(time.Second) // peer: other
	for {
		select {
		case <-tick:
			poll()
		case <-events:
			poll()
		}
	}
}

// A package-level ticker lives as long as the process, as meant; staticcheck reports it in the
// package's initializer, which returns.
var heartbeat = time.Tick(time.Minute) // peer: other

// regexp.MatchString of a constant pattern compiles it on every iteration: staticcheck's SA6000,
// and godiag's regexp-compile-in-loop.
func matchEach(lines []string) int {
	n := 0
	for _, l := range lines {
		if ok, _ := regexp.MatchString(`^\d+$`, l); ok { // peer: both
			n++
		}
	}
	return n
}

// regexp.MustCompile in a loop: godiag's check; SA6000 covers only the Match functions.
func compileEach(lines []string) int {
	n := 0
	for _, l := range lines {
		if regexp.MustCompile(`^\d+$`).MatchString(l) { // peer: godiag
			n++
		}
	}
	return n
}

// Compiled once: silent for both.
var digits = regexp.MustCompile(`^\d+$`)

func compiledOnce(lines []string) int {
	n := 0
	for _, l := range lines {
		if digits.MatchString(l) {
			n++
		}
	}
	return n
}

// defer in a range over a channel: SA9001 and godiag.
func drain(jobs <-chan *sync.Mutex) {
	for mu := range jobs {
		mu.Lock()
		defer mu.Unlock() // peer: both
	}
}

// defer in an endless loop: SA5003 and godiag.
func serveForever(mu *sync.Mutex) {
	for {
		mu.Lock()
		defer mu.Unlock() // peer: both
		poll()
	}
}

// defer in a range over a slice: staticcheck reports only channel ranges and endless loops.
func lockAll(mus []*sync.Mutex) {
	for _, mu := range mus {
		mu.Lock()
		defer mu.Unlock() // peer: godiag
	}
}

// defer in a function literal inside the loop: runs per iteration, silent for both.
func lockEach(mus []*sync.Mutex) {
	for _, mu := range mus {
		func() {
			mu.Lock()
			defer mu.Unlock()
			poll()
		}()
	}
}

type counter struct {
	mu sync.Mutex
	n  int
}

// A counter passed by value copies its lock: go vet's copylocks and godiag.
func read(c counter) int { // peer: both
	return c.n
}

func snapshot(c *counter) int {
	copied := *c // peer: both
	return copied.n
}

// A pointer shares the lock: silent for both.
func readPtr(c *counter) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// The cancel function discarded: go vet's lostcancel and godiag.
func discard(parent context.Context) context.Context {
	ctx, _ := context.WithTimeout(parent, time.Second) // peer: both
	return ctx
}

// Cancelled with defer: silent for both.
func cancelled(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	<-ctx.Done()
	return ctx.Err()
}
