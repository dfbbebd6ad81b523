// Command healthysvc is a healthy HTTP service for godiag's precision checks: it does, on purpose,
// the things a careless rule mistakes for problems, and `godiag diagnose` must stay quiet on it
// (src/test/java/dev/godiag/engine/PrecisionRecallTest.java).
//
//   - its regular expressions are compiled once, at package level (regexp.MustCompile runs under
//     runtime.doInit, never per request);
//   - every request gets its own deadline (context.WithTimeout with cancel deferred): one timer per
//     request is idiomatic, not a timer created in a loop;
//   - it serves over real loopback sockets with one shared http.Client whose response bodies are
//     always read to the end and closed, so connections are reused and goroutines stay constant;
//   - the load comes in bursts with idle periods between them, so most of the run the service
//     waits for requests (a low CPU utilisation that is health, not a problem).
//
// Output, in -out DIR (about -duration, default 2.5s, of run time):
//
//	cpu.pprof                              CPU profile of the whole run
//	heap.t0..t2.pprof, goroutine.t0..t2.debug2.txt   heap (after runtime.GC) and goroutine dumps,
//	                                       taken in the idle periods between bursts
//	allocs.pprof, block.pprof, mutex.pprof the run's allocations, blocking (rate 10 µs) and mutex
//	                                       contention (fraction 5)
//
// Run it with GODEBUG=gctrace=1 and keep its stderr as gctrace.log. It prints
// "healthysvc: done N requests" when everything is written, then exits 0.
//
// Build: go build -trimpath (Go 1.19 and later; standard library only).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Compiled once, when the package initialises.
var (
	orderID  = regexp.MustCompile(`^[A-Z]{2}-[0-9]{4,8}$`)
	customer = regexp.MustCompile(`^[a-z][a-z0-9._-]{2,31}@[a-z0-9-]+(\.[a-z0-9-]+)+$`)
)

type order struct {
	ID       string  `json:"id"`
	Customer string  `json:"customer"`
	Amount   float64 `json:"amount"`
}

type store struct {
	mu     sync.RWMutex
	orders map[string]order
}

func (s *store) get(id string) (order, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o, ok := s.orders[id]
	return o, ok
}

var served int64

func handleOrder(s *store) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		id := r.URL.Query().Get("id")
		if !orderID.MatchString(id) {
			http.Error(w, "bad id", http.StatusBadRequest)
			return
		}
		o, ok := s.get(id)
		if !ok {
			http.NotFound(w, r)
			return
		}
		if !customer.MatchString(o.Customer) {
			http.Error(w, "bad customer", http.StatusInternalServerError)
			return
		}
		select {
		case <-ctx.Done():
			http.Error(w, "timeout", http.StatusGatewayTimeout)
			return
		default:
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(o); err != nil {
			return
		}
		atomic.AddInt64(&served, 1)
	}
}

// fetch makes one request with its own deadline and always drains and closes the body.
func fetch(client *http.Client, base, id string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/order?id="+id, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func main() {
	out := flag.String("out", ".", "output directory")
	duration := flag.Duration("duration", 2500*time.Millisecond, "length of the run")
	clients := flag.Int("clients", 4, "concurrent clients during a burst")
	flag.Parse()
	if err := run(*out, *duration, *clients); err != nil {
		fmt.Fprintln(os.Stderr, "healthysvc:", err)
		os.Exit(1)
	}
}

func run(out string, duration time.Duration, clients int) error {
	runtime.SetBlockProfileRate(10000)
	runtime.SetMutexProfileFraction(5)
	s := &store{orders: map[string]order{}}
	for i := 0; i < 512; i++ {
		id := "AB-" + strconv.Itoa(10000+i)
		s.orders[id] = order{ID: id, Customer: "user" + strconv.Itoa(i) + "@example.com", Amount: float64(i) * 1.5}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/order", handleOrder(s))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 30 * time.Second}
	go srv.Serve(ln)
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 5 * time.Second}

	cpu, err := os.Create(filepath.Join(out, "cpu.pprof"))
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		return err
	}
	// three bursts, each followed by an idle period in which a snapshot is taken
	burst := duration / 6
	for round := 0; round < 3; round++ {
		var wg sync.WaitGroup
		stop := time.Now().Add(burst)
		for c := 0; c < clients; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				for i := c; time.Now().Before(stop); i++ {
					_ = fetch(client, base, "AB-"+strconv.Itoa(10000+i%512))
				}
			}(c)
		}
		wg.Wait()
		if err := snapshot(out, round); err != nil {
			return err
		}
		time.Sleep(burst)
	}
	pprof.StopCPUProfile()
	if err := cpu.Close(); err != nil {
		return err
	}
	for _, p := range []string{"allocs", "block", "mutex"} {
		if err := writeProfile(filepath.Join(out, p+".pprof"), p, 0); err != nil {
			return err
		}
	}
	client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	fmt.Println("healthysvc: done " + strings.TrimSpace(strconv.FormatInt(atomic.LoadInt64(&served), 10)) + " requests")
	return nil
}

func snapshot(out string, i int) error {
	t := ".t" + strconv.Itoa(i)
	if err := writeProfile(filepath.Join(out, "goroutine"+t+".debug2.txt"), "goroutine", 2); err != nil {
		return err
	}
	runtime.GC() // as /debug/pprof/heap?gc=1
	return writeProfile(filepath.Join(out, "heap"+t+".pprof"), "heap", 0)
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
