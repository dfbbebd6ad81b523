// Command guardsvc is the live target of godiag guard's tests
// (src/test/java/dev/godiag/guard/scrape/*Test.java and the daemon's tests): a small HTTP service
// serving what guard scrapes, whose goroutines, heap and open files grow with requests in its
// leaky mode and stay flat in its healthy mode.
//
// It serves on -addr (default 127.0.0.1:0, a free port) and prints "listening on 127.0.0.1:PORT"
// on stdout once it accepts connections:
//
//	/metrics        a hand-written Prometheus text exposition: go_goroutines,
//	                go_memstats_heap_inuse_bytes, process_open_fds (counted in /proc/self/fd, as
//	                Prometheus' process collector does), process_start_time_seconds (when main
//	                started) and guardsvc_units_total; not served with -metrics=false, so that a
//	                scraper must fall back to pprof and expvar
//	/debug/pprof/   net/http/pprof (goroutine, heap, goroutineleak where the Go version has it...)
//	/debug/vars     expvar (cmdline, memstats)
//	/work?n=N       N units of work, each the same three jobs in both modes (see below); answers
//	                "units N leaking M" (M: the units whose leaks are still held)
//	/leak/stop      makes every leaked goroutine return and closes the leaked connections, so the
//	                goroutine count and the open files come back to where they were; answers
//	                "released M"
//	/payload        64 KiB of bytes, what a unit fetches from the service itself
//	/admin/shed-load the circuit-break hook a guard job's callback calls: a POST is counted and
//	                its body (up to 1 MiB) kept; a GET answers "calls N" and, on the next lines,
//	                the bodies received, oldest first (so a test can check each alert transition
//	                arrived once); the service itself does not change its behaviour
//
// A unit of work, in -mode leaky (the mistakes) and -mode healthy (the same work done right):
//
//   - lookup: a goroutine computes a 64 KiB result and sends it on a channel while the handler
//     waits at most a moment for it. Leaky: the channel is unbuffered and the handler has already
//     given up, so the sender blocks in "chan send" for ever, holding its 64 KiB (the heap grows
//     64 KiB per unit). Healthy: the channel has room for the one result, the sender returns.
//   - refresher: a goroutine refreshes on a time.Ticker until told to stop. Leaky: nobody tells
//     it, so it waits in its select for ever and the ticker is never stopped. Healthy: the unit
//     stops it when done.
//   - self-call: GET /payload through a shared http.Client. Leaky: the handler reads the first
//     bytes and never closes the body, so each unit leaves a connection (the client's readLoop
//     and writeLoop goroutines, the server's goroutine for it, and two open files: both ends of
//     the loopback socket). Healthy: the body is read to the end and closed, and the one
//     keep-alive connection is reused.
//
// So a leaky unit adds 5 goroutines, 2 open files and 64 KiB of heap in use; a healthy unit adds
// nothing once it has returned. /leak/stop receives from every blocked sender, stops every
// refresher and closes every open body.
//
// It exits by itself after -lifetime (default 10m) or when its stdin is closed, whichever comes
// first. Build: GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -trimpath -o DIR/ .
// (Go 1.19 and later; standard library only.)
package main

import (
	"expvar"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

const (
	resultSize  = 64 << 10 // what a lookup computes and a /payload answer carries
	lookupWait  = time.Millisecond
	refreshTick = time.Hour // a refresher's ticker: it only has to exist, never to fire in a test
	maxUnits    = 10000     // the most units one /work request may ask for
)

var started = time.Now()

// service holds what a leaky unit leaves behind, so that /leak/stop can release it.
type service struct {
	leaky  bool
	client *http.Client
	self   string // http://ADDR of this service

	units int64 // atomic: units of work done

	callbacksMu sync.Mutex
	callbacks   [][]byte // bodies POSTed to /admin/shed-load

	mu        sync.Mutex
	abandoned []chan []byte   // lookups nobody receives from
	quits     []chan struct{} // refreshers nobody stops
	bodies    []io.ReadCloser // responses nobody closed
}

func main() {
	mode := flag.String("mode", "healthy", "leaky or healthy")
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	metrics := flag.Bool("metrics", true, "serve /metrics")
	lifetime := flag.Duration("lifetime", 10*time.Minute, "exit after this long")
	flag.Parse()
	if *mode != "leaky" && *mode != "healthy" {
		fmt.Fprintln(os.Stderr, "guardsvc: -mode must be leaky or healthy")
		os.Exit(2)
	}
	time.AfterFunc(*lifetime, func() {
		fmt.Fprintln(os.Stderr, "guardsvc: lifetime over, exiting")
		os.Exit(0)
	})
	go watchStdin()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "guardsvc:", err)
		os.Exit(1)
	}
	s := &service{leaky: *mode == "leaky", client: &http.Client{Timeout: 10 * time.Second},
		self: "http://" + ln.Addr().String()}

	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/debug/vars", expvar.Handler())
	if *metrics {
		mux.HandleFunc("/metrics", s.serveMetrics)
	}
	mux.HandleFunc("/work", s.serveWork)
	mux.HandleFunc("/leak/stop", s.serveStop)
	mux.HandleFunc("/payload", servePayload)
	mux.HandleFunc("/admin/shed-load", s.serveCallback)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 30 * time.Second}

	fmt.Printf("listening on %s\n", ln.Addr())
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "guardsvc:", err)
		os.Exit(1)
	}
}

// watchStdin ends the program when its stdin is closed (e.g. the test that started it ends).
func watchStdin() {
	_, _ = io.Copy(io.Discard, os.Stdin)
	os.Exit(0)
}

func (s *service) serveWork(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n < 0 || n > maxUnits {
		http.Error(w, "n must be 0.."+strconv.Itoa(maxUnits), http.StatusBadRequest)
		return
	}
	for i := 0; i < n; i++ {
		if err := s.unit(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	fmt.Fprintf(w, "units %d leaking %d\n", atomic.LoadInt64(&s.units), s.leaking())
}

func (s *service) unit() error {
	s.lookup()
	s.refresh()
	if err := s.selfCall(); err != nil {
		return err
	}
	atomic.AddInt64(&s.units, 1)
	return nil
}

// lookup waits a moment for a computed result; a leaky lookup's sender is never received from.
func (s *service) lookup() {
	var results chan []byte
	if s.leaky {
		results = make(chan []byte)
	} else {
		results = make(chan []byte, 1)
	}
	go compute(results)
	if s.leaky {
		// the handler has given up before the result is ready: nobody will receive
		s.mu.Lock()
		s.abandoned = append(s.abandoned, results)
		s.mu.Unlock()
		return
	}
	select {
	case <-results:
	case <-time.After(lookupWait):
	}
}

func compute(results chan<- []byte) {
	b := make([]byte, resultSize)
	for i := range b {
		b[i] = byte(i)
	}
	results <- b
}

// refresh starts a refresher; a leaky one is never stopped.
func (s *service) refresh() {
	quit := make(chan struct{})
	done := make(chan struct{})
	go refresher(quit, done)
	<-done // its first refresh
	if s.leaky {
		s.mu.Lock()
		s.quits = append(s.quits, quit)
		s.mu.Unlock()
		return
	}
	close(quit)
}

func refresher(quit <-chan struct{}, firstDone chan<- struct{}) {
	t := time.NewTicker(refreshTick)
	defer t.Stop()
	close(firstDone)
	for {
		select {
		case <-t.C:
		case <-quit:
			return
		}
	}
}

// selfCall fetches /payload; a leaky call reads a few bytes and leaves the body open.
func (s *service) selfCall() error {
	resp, err := s.client.Get(s.self + "/payload")
	if err != nil {
		return err
	}
	head := make([]byte, 16)
	if _, err := io.ReadFull(resp.Body, head); err != nil {
		resp.Body.Close()
		return err
	}
	if s.leaky {
		s.mu.Lock()
		s.bodies = append(s.bodies, resp.Body)
		s.mu.Unlock()
		return nil
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return err
}

func (s *service) leaking() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.abandoned)
}

func (s *service) serveStop(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	abandoned, quits, bodies := s.abandoned, s.quits, s.bodies
	s.abandoned, s.quits, s.bodies = nil, nil, nil
	s.mu.Unlock()
	for _, c := range abandoned {
		<-c
	}
	for _, q := range quits {
		close(q)
	}
	for _, b := range bodies {
		b.Close()
	}
	s.client.CloseIdleConnections()
	fmt.Fprintf(w, "released %d\n", len(abandoned))
}

func (s *service) serveCallback(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.callbacksMu.Lock()
		s.callbacks = append(s.callbacks, body)
		s.callbacksMu.Unlock()
		fmt.Fprintln(w, "ok")
		return
	}
	s.callbacksMu.Lock()
	defer s.callbacksMu.Unlock()
	fmt.Fprintf(w, "calls %d\n", len(s.callbacks))
	for _, b := range s.callbacks {
		w.Write(b)
		fmt.Fprintln(w)
	}
}

func servePayload(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Length", strconv.Itoa(resultSize))
	b := make([]byte, resultSize)
	w.Write(b)
}

func (s *service) serveMetrics(w http.ResponseWriter, r *http.Request) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	fmt.Fprintf(w, "# HELP go_goroutines Number of goroutines that currently exist.\n"+
		"# TYPE go_goroutines gauge\ngo_goroutines %d\n", runtime.NumGoroutine())
	fmt.Fprintf(w, "# HELP go_memstats_heap_inuse_bytes Number of heap bytes that are in use.\n"+
		"# TYPE go_memstats_heap_inuse_bytes gauge\ngo_memstats_heap_inuse_bytes %d\n", m.HeapInuse)
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		fmt.Fprintf(w, "# HELP process_open_fds Number of open file descriptors.\n"+
			"# TYPE process_open_fds gauge\nprocess_open_fds %d\n", len(fds))
	}
	fmt.Fprintf(w, "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n"+
		"# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds %.2f\n",
		float64(started.UnixNano())/1e9)
	fmt.Fprintf(w, "# HELP guardsvc_units_total Units of work done.\n"+
		"# TYPE guardsvc_units_total counter\nguardsvc_units_total %d\n", atomic.LoadInt64(&s.units))
}
