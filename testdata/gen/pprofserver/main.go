// Command pprofserver is a small, predictable scrape target for godiag's integration tests
// (src/test/java/dev/godiag/integration/LiveServiceTest.java). It serves net/http/pprof on
// 127.0.0.1 (a free port) and prints "listening on 127.0.0.1:PORT" on stdout once it accepts
// connections. What its profiles show is fixed:
//
//   - goroutine: 7 goroutines blocked on a channel receive in main.parkedReceiver and 3 in
//     select{} in main.parkedSelect (plus main.main in Accept, main.watchStdin reading stdin and
//     the goroutines serving the request itself, in main.settledGoroutines);
//   - heap: main.retain keeps 64 allocations of 64 KiB (4 MiB) live, and MemProfileRate=1
//     samples every allocation, so inuse_space for main.retain is exactly 4194304 bytes;
//   - cpu: while a /debug/pprof/profile request runs, main.burn spins on one core; otherwise the
//     program is idle, so goroutine counts do not change between fetches.
//
// Keep-alives are off: each connection (and its goroutine) ends with its response.
// It exits by itself after -lifetime (default 120s) or when its stdin is closed, whichever
// comes first. Build: GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -trimpath -o DIR/ .
// (Go 1.19 and later; no dependencies outside the standard library).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

const (
	receivers = 7        // goroutines parked in main.parkedReceiver
	selectors = 3        // goroutines parked in main.parkedSelect
	chunks    = 64       // live allocations made by main.retain...
	chunkSize = 64 << 10 // ...of 64 KiB each (4 MiB in all)
)

var (
	// never is received from and never sent to or closed: its receivers park forever.
	never = make(chan struct{})
	// retained holds main.retain's allocations for the life of the program. An array, so the
	// holder itself is not a heap allocation of main.retain.
	retained [chunks][]byte
	// sink keeps main.burn's arithmetic from being optimized away.
	sink uint64
)

func init() {
	// Sample every allocation (as early as the program can set it), so the heap profile holds
	// exact sizes rather than a random sample.
	runtime.MemProfileRate = 1
}

func main() {
	lifetime := flag.Duration("lifetime", 120*time.Second, "exit after this long")
	flag.Parse()

	time.AfterFunc(*lifetime, func() {
		fmt.Fprintln(os.Stderr, "pprofserver: lifetime over, exiting")
		os.Exit(0)
	})
	go watchStdin()

	retain()
	// The heap profile shows the state as of the last completed GC: publish retain's allocations.
	runtime.GC()

	var started sync.WaitGroup
	started.Add(receivers + selectors)
	for i := 0; i < receivers; i++ {
		go parkedReceiver(&started)
	}
	for i := 0; i < selectors; i++ {
		go parkedSelect(&started)
	}
	started.Wait()

	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/goroutine", settledGoroutines)
	mux.HandleFunc("/debug/pprof/profile", profileWhileBurning)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 30 * time.Second}
	srv.SetKeepAlivesEnabled(false)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pprofserver:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "pprofserver:", err)
		os.Exit(1)
	}
}

// watchStdin ends the program when its stdin is closed (e.g. the test that started it ends).
func watchStdin() {
	_, _ = io.Copy(io.Discard, os.Stdin)
	fmt.Fprintln(os.Stderr, "pprofserver: stdin closed, exiting")
	os.Exit(0)
}

//go:noinline
func retain() {
	for i := range retained {
		retained[i] = make([]byte, chunkSize)
	}
}

func parkedReceiver(started *sync.WaitGroup) {
	started.Done()
	<-never
}

func parkedSelect(started *sync.WaitGroup) {
	started.Done()
	select {}
}

// settledGoroutines serves the goroutine profile a moment after the request arrived: by then the
// goroutine net/http starts to watch the connection (connReader.backgroundRead) is parked, not
// caught on its way there, so every fetch sees the same stacks.
func settledGoroutines(w http.ResponseWriter, r *http.Request) {
	time.Sleep(50 * time.Millisecond)
	pprof.Handler("goroutine").ServeHTTP(w, r)
}

// profileWhileBurning serves the CPU profile while main.burn keeps one core busy.
func profileWhileBurning(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	go burn(ctx)
	pprof.Profile(w, r)
}

// burn spins until ctx is done, checking it about every millisecond.
func burn(ctx context.Context) {
	done := ctx.Done()
	x := uint64(88172645463325252)
	for {
		for i := 0; i < 1<<20; i++ {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
		}
		atomic.AddUint64(&sink, x)
		select {
		case <-done:
			return
		default:
		}
	}
}
