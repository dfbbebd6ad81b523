// Command cleansvc is godiag's precision fixture: a small, healthy HTTP-style service that
// generates its own load for a few seconds and writes every kind of diagnostic input godiag
// reads, so that a test can check that `godiag diagnose` finds nothing wrong with it
// (src/test/java/dev/godiag/integration/CleanServiceTest.java).
//
// What it does right, on purpose:
//
//   - a fixed pool of workers (-workers, default 8) started once by main.(*server).start and
//     stopped once through a context; a request is handed to an idle worker (an unbuffered
//     channel: the pool is the bound, and a handed-over request is always finished);
//   - every request carries a deadline (context.WithTimeout, cancel always called); a submit that
//     cannot be queued in time gives up, the handler checks the context between its stages, and a
//     client always waits for the worker to finish with its buffers before reusing them;
//   - response and scratch buffers come from a sync.Pool; the response writer and its header map
//     are reused per client;
//   - a read-mostly cache (4096 entries, about 16 MiB, built once) behind sharded RWMutexes, with
//     a rare write; counters are atomics;
//   - the heap is steady: nothing is kept per request.
//
// Load: -clients (default 4) closed-loop clients send GET /item?id=N (and now and then /stats)
// through net/http's Handler interface (no sockets: the service's own code, not the loopback
// network, is what the profiles show). The run lasts about -duration (default 3s) plus a short
// warm-up and shutdown.
//
// Output, in -out DIR:
//
//	cpu.pprof                          CPU profile of the loaded part of the run
//	heap.t0..t2.pprof                  heap profiles (after a runtime.GC, as ?gc=1 does), spaced evenly
//	goroutine.t0..t2.pprof, .debug2.txt goroutine profile, proto and debug=2 text, same moments
//	vars.t0..t2.json                   expvar's /debug/vars document (cmdline, memstats), same moments
//	block.pprof, mutex.pprof           block profile (rate 10 µs) and mutex profile (fraction 5)
//
// The snapshots are taken while the clients are held at a gate and no request is in flight, so
// the goroutine counts are the same in every snapshot (a quiet moment between bursts). Run it
// with GODEBUG=gctrace=1 and keep its stderr as gctrace.log: the test does. It prints
// "cleansvc: done N requests" on stdout when it has written everything, then exits 0.
//
// Build: GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -trimpath -o DIR/ .
// (Go 1.19 and later; standard library only.)
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"expvar"
	"flag"
	"fmt"
	"hash/crc32"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

const (
	cacheEntries = 4096
	entryBytes   = 4 << 10 // 16 MiB of cache in all
	entryScores  = 64
	shards       = 16
	copies       = 8 // the payload a request hashes: copies x entryBytes
	requestLimit = 250 * time.Millisecond
)

func main() {
	out := flag.String("out", "", "directory to write the profiles into (required)")
	duration := flag.Duration("duration", 3*time.Second, "how long the profiled load lasts")
	workers := flag.Int("workers", 8, "size of the worker pool")
	clients := flag.Int("clients", 4, "closed-loop load clients")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "cleansvc: -out DIR is required")
		os.Exit(2)
	}
	if err := run(*out, *duration, *workers, *clients); err != nil {
		fmt.Fprintln(os.Stderr, "cleansvc:", err)
		os.Exit(1)
	}
}

func run(out string, duration time.Duration, workers, clients int) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	runtime.SetBlockProfileRate(10000) // 10 µs
	runtime.SetMutexProfileFraction(5)
	fmt.Fprintf(os.Stderr, "cleansvc: %d workers, %d clients, %s\n", workers, clients, duration)

	c := newCache()
	srv := newServer(c, workers)
	ctx, stop := context.WithCancel(context.Background())
	srv.start(ctx)

	g := newGate()
	var load sync.WaitGroup
	for i := 0; i < clients; i++ {
		load.Add(1)
		go func(seed uint64) {
			defer load.Done()
			client(ctx, srv, g, seed)
		}(uint64(i + 1))
	}

	time.Sleep(300 * time.Millisecond) // warm-up
	cpu, err := os.Create(filepath.Join(out, "cpu.pprof"))
	if err != nil {
		stop()
		return err
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		stop()
		return err
	}
	const snapshots = 3
	step := duration / snapshots
	for i := 0; i < snapshots; i++ {
		time.Sleep(step / 2)
		g.close()
		g.drain()
		err := snapshot(out, i)
		g.open()
		if err != nil {
			stop()
			return err
		}
		time.Sleep(step - step/2)
	}
	pprof.StopCPUProfile()
	if err := cpu.Close(); err != nil {
		stop()
		return err
	}

	// shutdown: stop the clients, then the workers
	stop()
	load.Wait()
	srv.wait()
	for _, name := range []string{"block", "mutex"} {
		if err := writeProfile(filepath.Join(out, name+".pprof"), name, 0); err != nil {
			return err
		}
	}
	fmt.Printf("cleansvc: done %d requests\n", srv.served.Load())
	return nil
}

// ---- the service ----

type entry struct {
	id     int
	data   []byte
	scores []int
}

type shard struct {
	mu      sync.RWMutex
	entries map[int]*entry
}

type cache struct {
	shards [shards]shard
}

func newCache() *cache {
	c := &cache{}
	for i := range c.shards {
		c.shards[i].entries = make(map[int]*entry, cacheEntries/shards)
	}
	x := uint64(0x9E3779B97F4A7C15)
	for id := 0; id < cacheEntries; id++ {
		e := &entry{id: id, data: make([]byte, entryBytes), scores: make([]int, entryScores)}
		for j := range e.data {
			x = xorshift(x)
			e.data[j] = byte(x)
		}
		for j := range e.scores {
			x = xorshift(x)
			e.scores[j] = int(x % 100000)
		}
		c.shards[id%shards].entries[id] = e
	}
	return c
}

func (c *cache) get(id int) *entry {
	s := &c.shards[id%shards]
	s.mu.RLock()
	e := s.entries[id]
	s.mu.RUnlock()
	return e
}

// touch replaces an entry's scores (a rare write): a new slice, so readers never see a partial one.
func (c *cache) touch(id int, v int) {
	s := &c.shards[id%shards]
	s.mu.Lock()
	if e := s.entries[id]; e != nil {
		scores := make([]int, len(e.scores))
		copy(scores, e.scores)
		scores[v%len(scores)] = v
		s.entries[id] = &entry{id: e.id, data: e.data, scores: scores}
	}
	s.mu.Unlock()
}

type job struct {
	w    http.ResponseWriter
	r    *http.Request
	done chan<- struct{}
}

type server struct {
	cache   *cache
	mux     *http.ServeMux
	jobs    chan job
	workers int
	wg      sync.WaitGroup
	served  atomic.Int64
	errors  atomic.Int64
	bufs    sync.Pool
	ints    sync.Pool
}

func newServer(c *cache, workers int) *server {
	s := &server{cache: c, workers: workers, jobs: make(chan job)}
	s.bufs.New = func() any { return new(bytes.Buffer) }
	s.ints.New = func() any { b := make([]int, 0, entryScores); return &b }
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("/item", s.handleItem)
	s.mux.HandleFunc("/stats", s.handleStats)
	return s
}

// start starts the worker pool, once; the workers end when ctx is done.
func (s *server) start(ctx context.Context) {
	for i := 0; i < s.workers; i++ {
		s.wg.Add(1)
		go s.worker(ctx)
	}
}

func (s *server) wait() { s.wg.Wait() }

func (s *server) worker(ctx context.Context) {
	defer s.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-s.jobs:
			s.mux.ServeHTTP(j.w, j.r)
			s.served.Add(1)
			j.done <- struct{}{}
		}
	}
}

var errBusy = errors.New("service busy")

// submit queues a request, giving up when its context ends first; once queued, it waits for the
// worker to finish (the handler honours the context, so that is prompt).
func (s *server) submit(w http.ResponseWriter, r *http.Request, done chan struct{}) error {
	select {
	case s.jobs <- job{w: w, r: r, done: done}:
	case <-r.Context().Done():
		s.errors.Add(1)
		return errBusy
	}
	<-done
	return nil
}

func (s *server) handleItem(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := strconv.Atoi(r.URL.Query().Get("id"))
	if err != nil || id < 0 || id >= cacheEntries {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	e := s.cache.get(id)
	buf := s.bufs.Get().(*bytes.Buffer)
	defer s.bufs.Put(buf)
	sum, err := digest(ctx, e, buf)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	top := s.ints.Get().(*[]int)
	defer s.ints.Put(top)
	*top = rank(e.scores, (*top)[:0])
	buf.Reset()
	writeItem(buf, e.id, sum, crc32.ChecksumIEEE(e.data), *top)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

func (s *server) handleStats(w http.ResponseWriter, r *http.Request) {
	buf := s.bufs.Get().(*bytes.Buffer)
	defer s.bufs.Put(buf)
	buf.Reset()
	buf.WriteString(`{"served":`)
	buf.WriteString(strconv.FormatInt(s.served.Load(), 10))
	buf.WriteString(`,"errors":`)
	buf.WriteString(strconv.FormatInt(s.errors.Load(), 10))
	buf.WriteString("}\n")
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(buf.Bytes())
}

// digest hashes copies of the entry's data, checking the deadline between copies.
func digest(ctx context.Context, e *entry, buf *bytes.Buffer) ([sha256.Size]byte, error) {
	buf.Reset()
	buf.Grow(copies * entryBytes)
	for i := 0; i < copies; i++ {
		if err := ctx.Err(); err != nil {
			return [sha256.Size]byte{}, err
		}
		buf.Write(e.data)
	}
	return sha256.Sum256(buf.Bytes()), nil
}

// rank returns the eight best scores, best first, in dst.
func rank(scores []int, dst []int) []int {
	dst = append(dst, scores...)
	sort.Sort(sort.Reverse(sort.IntSlice(dst)))
	return dst[:8]
}

func writeItem(buf *bytes.Buffer, id int, sum [sha256.Size]byte, crc uint32, top []int) {
	var tmp [2 * sha256.Size]byte
	var line [256]byte // on the stack: the line is built here, then copied into buf
	b := line[:0]
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, `,"sha256":"`...)
	hex.Encode(tmp[:], sum[:])
	b = append(b, tmp[:]...)
	b = append(b, `","crc":`...)
	b = strconv.AppendUint(b, uint64(crc), 10)
	b = append(b, `,"top":[`...)
	for i, v := range top {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(v), 10)
	}
	b = append(b, "]}\n"...)
	buf.Write(b)
}

// ---- the load ----

// respWriter is an http.ResponseWriter a client reuses from request to request.
type respWriter struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (w *respWriter) Header() http.Header { return w.header }
func (w *respWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}
func (w *respWriter) Write(p []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.body.Write(p)
}
func (w *respWriter) reset() {
	for k := range w.header {
		delete(w.header, k)
	}
	w.code = 0
	w.body.Reset()
}

// gate holds the clients between requests while the snapshots are taken.
type gate struct {
	ch       atomic.Value // chan struct{}: closed while the gate is open
	inFlight atomic.Int64
}

func newGate() *gate {
	g := &gate{}
	ch := make(chan struct{})
	close(ch)
	g.ch.Store(ch)
	return g
}

func (g *gate) close() { g.ch.Store(make(chan struct{})) }
func (g *gate) open()  { close(g.ch.Load().(chan struct{})) }

// drain waits until no request is in flight (the clients are then all at the gate).
func (g *gate) drain() {
	for g.inFlight.Load() != 0 {
		time.Sleep(time.Millisecond)
	}
}

// enter waits while the gate is closed; false when ctx ended.
func (g *gate) enter(ctx context.Context) bool {
	for {
		ch := g.ch.Load().(chan struct{})
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		}
		g.inFlight.Add(1)
		if g.ch.Load().(chan struct{}) == ch {
			return true
		}
		g.inFlight.Add(-1) // closed meanwhile: wait again
	}
}

func client(ctx context.Context, s *server, g *gate, seed uint64) {
	w := &respWriter{header: make(http.Header)}
	done := make(chan struct{}, 1)
	x := seed * 0x9E3779B97F4A7C15
	url := make([]byte, 0, 32)
	for g.enter(ctx) {
		x = xorshift(x)
		url = url[:0]
		if x%64 == 0 {
			url = append(url, "/stats"...)
		} else {
			url = append(url, "/item?id="...)
			url = strconv.AppendUint(url, x%cacheEntries, 10)
		}
		request(ctx, s, w, done, string(url))
		if x%128 == 1 {
			s.cache.touch(int(x>>8)%cacheEntries, int(x>>20)%100000)
		}
		g.inFlight.Add(-1)
	}
}

func request(ctx context.Context, s *server, w *respWriter, done chan struct{}, url string) {
	rctx, cancel := context.WithTimeout(ctx, requestLimit)
	defer cancel()
	r, err := http.NewRequestWithContext(rctx, http.MethodGet, url, nil)
	if err != nil {
		panic(err)
	}
	w.reset()
	if err := s.submit(w, r, done); err != nil {
		return
	}
	if w.code != http.StatusOK && ctx.Err() == nil {
		s.errors.Add(1)
	}
}

func xorshift(x uint64) uint64 {
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	return x
}

// ---- the snapshots ----

func snapshot(out string, i int) error {
	t := ".t" + strconv.Itoa(i)
	if err := writeProfile(filepath.Join(out, "goroutine"+t+".debug2.txt"), "goroutine", 2); err != nil {
		return err
	}
	if err := writeProfile(filepath.Join(out, "goroutine"+t+".pprof"), "goroutine", 0); err != nil {
		return err
	}
	runtime.GC() // as /debug/pprof/heap?gc=1: the profile then shows the state after this cycle
	if err := writeProfile(filepath.Join(out, "heap"+t+".pprof"), "heap", 0); err != nil {
		return err
	}
	return writeVars(filepath.Join(out, "vars"+t+".json"))
}

func writeProfile(path, name string, debug int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup(name).WriteTo(f, debug); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeVars writes what expvar's /debug/vars handler serves: {"cmdline": [...], "memstats": {...}}.
func writeVars(path string) error {
	var b bytes.Buffer
	b.WriteString("{\n")
	first := true
	expvar.Do(func(kv expvar.KeyValue) {
		if !first {
			b.WriteString(",\n")
		}
		first = false
		fmt.Fprintf(&b, "%q: %s", kv.Key, kv.Value)
	})
	b.WriteString("\n}\n")
	return os.WriteFile(path, b.Bytes(), 0o644)
}
