// Command leakprims is godiag's fixture for goroutine leaks on each synchronisation primitive: a
// small service that serves rounds of in-process requests, and whose request code has one classic
// bug per primitive, each switched on by its own flag:
//
//	-rwmutex    a cache lookup returns early on a miss without RUnlock: the read lock is never
//	            released, so the first writer waits for readers forever (holding the writer slot),
//	            later writers queue behind it, and later readers queue behind the pending writer;
//	-cond       a gate is opened without Signal/Broadcast: waiters on its sync.Cond never wake;
//	-ticker     every request starts a watcher that loops over a time.Ticker's channel with no
//	            way out and never stops the ticker (it wakes on every tick, forever);
//	-waitgroup  a fan-out adds one to a WaitGroup per part, but one part returns early without
//	            Done: the request waits in Wait forever;
//	-afterfunc  every request arms a 10-minute deadline with time.AfterFunc and returns without
//	            Stop: no goroutine stays, but each timer (and the closure it holds) stays pending in
//	            the runtime until it fires, long after its request.
//
// With -deadlock it runs none of that: two goroutines take two mutexes in opposite orders while
// main waits for them, and the runtime ends the program with "fatal error: all goroutines are
// asleep - deadlock!" and the goroutines' stacks on stderr (exit status 2).
//
// What it does right, on purpose: a worker pool of -workers goroutines (default 8) started once
// by main.startPool, idle between rounds (a pool, not a leak).
//
// Output, in -out DIR (not with -deadlock):
//
//	goroutine.t0..t3.debug2.txt   full goroutine dumps (?debug=2): t0 before any request, tN after
//	                              round N
//	goroutine.t0..t3.pprof        the goroutine profile (proto) at the same moments
//	heap.t0..t3.pprof             the heap profile at the same moments, after a runtime.GC; every
//	                              allocation is recorded (runtime.MemProfileRate = 1), so its live
//	                              objects are exact counts (the tickers and timers among them)
//	cpu.pprof                     CPU profile of the rounds
//	stuck.json                    the program's own count of goroutines stuck per shape at each
//	                              snapshot (entered the blocking call and never came back), and of
//	                              the -afterfunc timers pending
//	trace.out                     with -trace only: an execution trace (runtime/trace) taken after
//	                              the last snapshot while one more round of requests runs with every
//	                              bug switched off, so the pool's workers wake and what leaked stays
//	                              blocked for the whole trace (nothing else changes the snapshots)
//
// It prints "leakprims: done" on stdout when everything is written, then exits 0.
//
// Build: go build -trimpath -o DIR/ . (Go 1.19 and later; standard library only.)
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"sync/atomic"
	"time"
)

// stuck counts, per shape, the goroutines that entered the blocking call and have not returned.
type stuck struct {
	rwmutex, cond, ticker, waitgroup, afterfunc int64
}

type cache struct {
	mu sync.RWMutex
	m  map[int]string
}

func (c *cache) get(k int) (string, bool) {
	c.mu.RLock()
	v, ok := c.m[k]
	if !ok {
		return "", false // the bug: returns still holding the read lock
	}
	c.mu.RUnlock()
	return v, true
}

func (c *cache) put(k int, v string) {
	c.mu.Lock()
	c.m[k] = v
	c.mu.Unlock()
}

type gate struct {
	mu     sync.Mutex
	opened *sync.Cond
	open   map[int]bool
}

func (g *gate) wait(id int) {
	g.mu.Lock()
	for !g.open[id] {
		g.opened.Wait()
	}
	delete(g.open, id)
	g.mu.Unlock()
}

func (g *gate) release(id int) {
	g.mu.Lock()
	g.open[id] = true // the bug: no g.opened.Broadcast(), so the waiter never wakes
	g.mu.Unlock()
}

type server struct {
	cache   cache
	gate    gate
	work    chan int
	done    sync.WaitGroup // requests in flight that can finish
	stuck   stuck
	polls   int64
	sum     int64
	expired int64
}

func (s *server) lookup(id int) {
	atomic.AddInt64(&s.stuck.rwmutex, 1)
	if _, ok := s.cache.get(id % 16); !ok {
		s.cache.put(id%16, fmt.Sprint(id))
	}
	atomic.AddInt64(&s.stuck.rwmutex, -1)
}

func (s *server) store(id int) {
	atomic.AddInt64(&s.stuck.rwmutex, 1)
	s.cache.put(id%16, fmt.Sprint(id))
	atomic.AddInt64(&s.stuck.rwmutex, -1)
}

func (s *server) awaitGate(id int) {
	atomic.AddInt64(&s.stuck.cond, 1)
	time.AfterFunc(time.Millisecond, func() { s.gate.release(id) })
	s.gate.wait(id)
	atomic.AddInt64(&s.stuck.cond, -1)
}

func (s *server) watch(id int) {
	atomic.AddInt64(&s.stuck.ticker, 1)
	t := time.NewTicker(5 * time.Millisecond)
	for range t.C { // the bug: no way out, and t.Stop() is never called
		atomic.AddInt64(&s.polls, int64(id&1)+1)
	}
	atomic.AddInt64(&s.stuck.ticker, -1)
}

// handle serves a request under a deadline that is never disarmed.
func (s *server) handle(id int) {
	atomic.AddInt64(&s.stuck.afterfunc, 1)
	time.AfterFunc(10*time.Minute, func() { s.expire(id) }) // the bug: the returned Timer is never stopped
	atomic.AddInt64(&s.sum, int64(id))
}

func (s *server) expire(id int) {
	atomic.AddInt64(&s.stuck.afterfunc, -1)
	atomic.AddInt64(&s.expired, int64(id))
}

func (s *server) fanout(id int) {
	atomic.AddInt64(&s.stuck.waitgroup, 1)
	const parts = 3
	var wg sync.WaitGroup
	wg.Add(parts)
	for p := 0; p < parts; p++ {
		go func(p int) {
			if p == parts-1 {
				return // the bug: this path skips wg.Done()
			}
			defer wg.Done()
			atomic.AddInt64(&s.sum, int64(id*p))
		}(p)
	}
	wg.Wait()
	atomic.AddInt64(&s.stuck.waitgroup, -1)
}

// startPool starts the service's fixed pool of workers, once.
func (s *server) startPool(workers int) {
	for i := 0; i < workers; i++ {
		go func() {
			for v := range s.work {
				atomic.AddInt64(&s.sum, int64(v))
				s.done.Done()
			}
		}()
	}
}

type shapes struct{ rwmutex, cond, ticker, waitgroup, afterfunc bool }

// serve handles one round of requests, each in its own goroutine, as a server would.
func (s *server) serve(round, requests int, on shapes) {
	for i := 0; i < requests; i++ {
		id := round*requests + i
		s.done.Add(1)
		s.work <- id
		if on.rwmutex {
			if i%2 == 0 {
				go s.lookup(id)
			} else {
				go s.store(id)
			}
		}
		if on.cond {
			go s.awaitGate(id)
		}
		if on.ticker {
			go s.watch(id)
		}
		if on.waitgroup {
			go s.fanout(id)
		}
		if on.afterfunc {
			s.handle(id)
		}
		time.Sleep(200 * time.Microsecond)
	}
	s.done.Wait()
	time.Sleep(50 * time.Millisecond) // let every request either finish or park
}

func writeSnapshot(out string, n int) error {
	for _, f := range []struct {
		name  string
		debug int
	}{{fmt.Sprintf("goroutine.t%d.debug2.txt", n), 2}, {fmt.Sprintf("goroutine.t%d.pprof", n), 0}} {
		w, err := os.Create(filepath.Join(out, f.name))
		if err != nil {
			return err
		}
		if err := pprof.Lookup("goroutine").WriteTo(w, f.debug); err != nil {
			w.Close()
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	runtime.GC()
	w, err := os.Create(filepath.Join(out, fmt.Sprintf("heap.t%d.pprof", n)))
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(w, 0); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// deadlock takes two mutexes in opposite orders in two goroutines while main waits for both.
func deadlock() {
	var accounts, ledger sync.Mutex
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		accounts.Lock()
		time.Sleep(20 * time.Millisecond)
		ledger.Lock()
		ledger.Unlock()
		accounts.Unlock()
	}()
	go func() {
		defer wg.Done()
		ledger.Lock()
		time.Sleep(20 * time.Millisecond)
		accounts.Lock()
		accounts.Unlock()
		ledger.Unlock()
	}()
	wg.Wait()
}

func main() {
	out := flag.String("out", ".", "directory for the snapshots")
	requests := flag.Int("requests", 40, "requests per round")
	workers := flag.Int("workers", 8, "workers in the pool")
	var on shapes
	flag.BoolVar(&on.rwmutex, "rwmutex", false, "leak a read lock")
	flag.BoolVar(&on.cond, "cond", false, "open a gate without signalling its sync.Cond")
	flag.BoolVar(&on.ticker, "ticker", false, "start a never-ending ticker loop per request")
	flag.BoolVar(&on.waitgroup, "waitgroup", false, "skip wg.Done on one path of a fan-out")
	flag.BoolVar(&on.afterfunc, "afterfunc", false, "arm a time.AfterFunc deadline per request, never stopped")
	dead := flag.Bool("deadlock", false, "deadlock on two mutexes (the runtime kills the program)")
	withTrace := flag.Bool("trace", false, "write trace.out: a trace of one more round, bugs off")
	flag.Parse()
	runtime.MemProfileRate = 1
	if *dead {
		deadlock()
		return
	}
	if err := run(*out, *requests, *workers, on, *withTrace); err != nil {
		fmt.Fprintln(os.Stderr, "leakprims:", err)
		os.Exit(1)
	}
	fmt.Println("leakprims: done")
}

func run(out string, requests, workers int, on shapes, withTrace bool) error {
	s := &server{work: make(chan int), cache: cache{m: map[int]string{}}}
	s.gate.opened = sync.NewCond(&s.gate.mu)
	s.gate.open = map[int]bool{}
	s.startPool(workers)
	time.Sleep(20 * time.Millisecond)
	if err := writeSnapshot(out, 0); err != nil {
		return err
	}
	cpu, err := os.Create(filepath.Join(out, "cpu.pprof"))
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		return err
	}
	var counts []stuck
	counts = append(counts, s.count())
	for round := 1; round <= 3; round++ {
		s.serve(round, requests, on)
		if err := writeSnapshot(out, round); err != nil {
			return err
		}
		counts = append(counts, s.count())
	}
	pprof.StopCPUProfile()
	if err := cpu.Close(); err != nil {
		return err
	}
	if withTrace {
		if err := traceRound(out, s, requests); err != nil {
			return err
		}
	}
	b, err := json.MarshalIndent(counts, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "stuck.json"), append(b, '\n'), 0o644)
}

// traceRound writes trace.out while one more round of requests runs with every bug off.
func traceRound(out string, s *server, requests int) error {
	f, err := os.Create(filepath.Join(out, "trace.out"))
	if err != nil {
		return err
	}
	if err := trace.Start(f); err != nil {
		f.Close()
		return err
	}
	s.serve(4, requests, shapes{})
	trace.Stop()
	return f.Close()
}

func (s *server) count() stuck {
	return stuck{atomic.LoadInt64(&s.stuck.rwmutex), atomic.LoadInt64(&s.stuck.cond),
		atomic.LoadInt64(&s.stuck.ticker), atomic.LoadInt64(&s.stuck.waitgroup), atomic.LoadInt64(&s.stuck.afterfunc)}
}

func (c stuck) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]int64{"rwmutex": c.rwmutex, "cond": c.cond, "ticker": c.ticker,
		"waitgroup": c.waitgroup, "afterfunc": c.afterfunc})
}
