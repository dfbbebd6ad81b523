// Command httpleak is godiag's fixture for the standard library's goroutines that grow with load:
// a small price service whose handler calls an upstream quote service over loopback HTTP, with
// the classic client mistakes selectable by flag, so that a test can check that `godiag
// diagnose` names each one, counts what leaks and names the calling function
// (src/test/java/dev/godiag/integration/HttpLeakServiceTest.java).
//
// -leak selects the shape of the upstream call in main.(*service).fetchQuote:
//
//	body       a shared http.Client; the handler reads the first bytes of the response and returns
//	           without closing the body. Each request leaves one connection whose
//	           persistConn.readLoop waits in its select for the body to be read or closed, its
//	           writeLoop, and (loopback) the server's side of it waiting for the next request.
//	transport  a new http.Transport and Client per call; the body is read to the end and closed,
//	           so each connection goes back to that Transport's idle pool, which nothing uses or
//	           closes again: readLoop idle in IO wait, writeLoop, the server side, per request.
//	h2transport  the same mistake over HTTP/2: the upstream serves TLS with HTTP/2 on loopback
//	           (net/http/httptest's certificate) and each call makes a new Transport that negotiates
//	           h2; each leaves one HTTP/2 client connection (its read loop only, no writeLoop) and
//	           the server's side of it (its serve loop and frame reader).
//	none       the right way: one shared Client, the body drained and closed (the control run:
//	           connections are reused and nothing grows).
//	sqlopen    the upstream call is right, but the handler opens a database/sql DB per request
//	           (sql.Open of a small driver, a Ping) and never closes it: one DB.connectionOpener
//	           goroutine per request, and the connection the Ping opened idle in that DB's pool: a
//	           loopback socket to a toy database server in this process (which keeps its end open
//	           without a goroutine), so two descriptors per request.
//	stream     no mistake, a shape the client rules must not take for one: each request starts a
//	           subscriber that reads an upstream event stream (a line every 100 ms) until the end
//	           of the run, so readLoops waiting for their body grow with every request while their
//	           callers are reading those bodies.
//	idleconns  the service is right, but its clients are not: each request comes on a new raw TCP
//	           connection that the client keeps open after the response, and the server, with no
//	           IdleTimeout, keeps its side waiting in IO wait for a next request (no http client
//	           goroutines: the server's connections are the only thing that grows).
//
// The servers set no ReadTimeout or IdleTimeout, as net/http's zero Server does, so the server
// side of a leaked connection stays too.
//
// Load: -requests (default 30) sequential GET /price per round through one well-behaved client
// (raw connections with -leak idleconns), -rounds (default 3) rounds. Snapshots t0 (after one
// warm-up request) and t1..tN after each round, once the goroutines have settled.
//
// Output, in -out DIR:
//
//	goroutine.tN.debug2.txt, .pprof  goroutine dump (debug=2) and goroutine profile per snapshot
//	heap.tN.pprof                    heap profile after a runtime.GC, per snapshot
//	metrics.tN.txt                   process_open_fds and process_max_fds in Prometheus text (counted
//	                                 from /proc/self/fd, as the Prometheus process collector does)
//	cpu.pprof                        CPU profile of the run from t0 on
//	block.pprof, allocs.pprof        block profile (every event) and allocations, at the end
//
// Allocations are sampled every 4 KiB (runtime.MemProfileRate) so that a run of a few hundred
// requests leaves a caller in the profiles. It prints "httpleak: done N requests, M leaked" on
// stdout when it has written everything (N counts the warm-up; M: what its mistake left open, one
// connection or DB per request, the warm-up's included), then exits 0.
//
// Build: go build -trimpath (Go 1.19 and later; standard library only; Linux for the fd counts).
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"database/sql"
	"database/sql/driver"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
)

func main() {
	out := flag.String("out", "", "directory to write the profiles into (required)")
	leak := flag.String("leak", "body", "the mistake: body, transport, h2transport, sqlopen, idleconns, or none of them:"+
		" stream, none")
	requests := flag.Int("requests", 30, "requests per round")
	rounds := flag.Int("rounds", 3, "rounds of load (snapshots t1..tN)")
	flag.Parse()
	if *out == "" || !map[string]bool{"body": true, "transport": true, "h2transport": true, "sqlopen": true,
		"stream": true, "idleconns": true, "none": true}[*leak] {
		fmt.Fprintln(os.Stderr, "httpleak: -out DIR is required and -leak is one of body, transport, h2transport,"+
			" sqlopen, stream, idleconns, none")
		os.Exit(2)
	}
	runtime.MemProfileRate = 4096
	runtime.SetBlockProfileRate(1)
	if err := run(*out, *leak, *requests, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "httpleak:", err)
		os.Exit(1)
	}
}

func run(out, leak string, requests, rounds int) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	upstreamMux := http.NewServeMux()
	upstreamMux.HandleFunc("/quote", quote)
	upstreamMux.HandleFunc("/events", events)
	upstream, err := serve(upstreamMux)
	if err != nil {
		return err
	}
	svc := &service{upstream: "http://" + upstream + "/quote", events: "http://" + upstream + "/events", leak: leak,
		client: &http.Client{Timeout: 5 * time.Second}}
	if leak == "h2transport" {
		h2 := httptest.NewUnstartedServer(upstreamMux)
		h2.EnableHTTP2 = true
		h2.StartTLS()
		defer h2.Close()
		svc.upstream = h2.URL + "/quote"
		svc.tls = h2.Client().Transport.(*http.Transport).TLSClientConfig
	}
	if leak == "sqlopen" {
		if svc.dbAddr, err = serveDatabase(); err != nil {
			return err
		}
	}
	front, err := serve(http.HandlerFunc(svc.price))
	if err != nil {
		return err
	}
	load := &http.Client{Timeout: 10 * time.Second}
	url := "http://" + front + "/price"
	get := func() error { return get(load, url) }
	if leak == "idleconns" {
		var kept []net.Conn // the misbehaving client's connections, never closed
		get = func() error {
			c, err := rawGet(front)
			kept = append(kept, c)
			return err
		}
		defer func() {
			for _, c := range kept {
				c.Close()
			}
		}()
	}
	if err := get(); err != nil { // warm-up: the load client's own connection exists from t0 on
		return err
	}
	// the profiler's buffers are allocated before t0, so the heap series shows only the service
	cpu, err := os.Create(filepath.Join(out, "cpu.pprof"))
	if err != nil {
		return err
	}
	defer cpu.Close()
	if err := pprof.StartCPUProfile(cpu); err != nil {
		return err
	}
	if err := snapshot(out, 0); err != nil {
		pprof.StopCPUProfile()
		return err
	}
	done := 0
	for r := 1; r <= rounds; r++ {
		for i := 0; i < requests; i++ {
			if err := get(); err != nil {
				pprof.StopCPUProfile()
				return err
			}
			done++
		}
		if err := snapshot(out, r); err != nil {
			pprof.StopCPUProfile()
			return err
		}
	}
	pprof.StopCPUProfile()
	for _, name := range []string{"block", "allocs"} {
		if err := writeProfile(filepath.Join(out, name+".pprof"), name, 0); err != nil {
			return err
		}
	}
	leaked := 0
	if leak != "none" && leak != "stream" {
		leaked = done + 1 // the warm-up's call too
	}
	fmt.Printf("httpleak: done %d requests, %d leaked\n", done+1, leaked)
	return nil
}

// serve starts a server with net/http's defaults (no timeouts) on a loopback port.
func serve(h http.Handler) (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go func() { _ = (&http.Server{Handler: h}).Serve(l) }()
	return l.Addr().String(), nil
}

// quote is the upstream: a 2 KiB body with a Content-Length.
func quote(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, "price=42\n"+strings.Repeat("#", 2048))
}

// events streams a line every 100 ms until the client goes away.
func events(w http.ResponseWriter, r *http.Request) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		if _, err := io.WriteString(w, "tick\n"); err != nil {
			return
		}
		w.(http.Flusher).Flush()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
}

type service struct {
	upstream string
	events   string
	leak     string
	client   *http.Client
	dbAddr   string      // the toy database server, with -leak sqlopen
	tls      *tls.Config // trusts the upstream's certificate, with -leak h2transport
}

func (s *service) price(w http.ResponseWriter, r *http.Request) {
	q, err := s.fetchQuote()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	_, _ = io.WriteString(w, q)
}

// fetchQuote calls the upstream, the way -leak says.
func (s *service) fetchQuote() (string, error) {
	switch s.leak {
	case "body":
		resp, err := s.client.Get(s.upstream)
		if err != nil {
			return "", err
		}
		// the mistake: only the first line is read, and the body is never closed
		buf := make([]byte, 9)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			return "", err
		}
		return string(buf), nil
	case "sqlopen":
		// the mistake: a DB per request, never closed; each keeps its connectionOpener goroutine
		db, err := sql.Open("quotedb", s.dbAddr)
		if err != nil {
			return "", err
		}
		if err := db.PingContext(context.Background()); err != nil {
			return "", err
		}
		return s.drained()
	case "stream":
		// no mistake: a subscriber that reads its stream to the end and closes it (the end of the run
		// stops the process first)
		resp, err := http.Get(s.events)
		if err != nil {
			return "", err
		}
		go func() {
			defer resp.Body.Close()
			_, _ = io.Copy(io.Discard, resp.Body)
		}()
		return s.drained()
	case "transport":
		// the mistake: a Transport per call; its idle connection is never reused or closed
		c := &http.Client{Transport: &http.Transport{}, Timeout: 5 * time.Second}
		resp, err := c.Get(s.upstream)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b[:9]), err
	case "h2transport":
		// the mistake again, over HTTP/2: a Transport per call, its connection never reused or closed
		tr := &http.Transport{TLSClientConfig: s.tls.Clone(), ForceAttemptHTTP2: true}
		c := &http.Client{Transport: tr, Timeout: 5 * time.Second}
		resp, err := c.Get(s.upstream)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		if resp.ProtoMajor != 2 {
			return "", fmt.Errorf("upstream answered %s, not HTTP/2", resp.Proto)
		}
		b, err := io.ReadAll(resp.Body)
		return string(b[:9]), err
	default:
		return s.drained()
	}
}

// drained is the right call: the shared client, the body read to the end and closed.
func (s *service) drained() (string, error) {
	resp, err := s.client.Get(s.upstream)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b[:9]), err
}

// rawGet sends one GET /price on a new TCP connection, reads the response and returns the
// connection open, as a client that keeps its connections but never reuses them.
func rawGet(addr string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(c, "GET /price HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
		return c, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return c, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return c, err
}

// serveDatabase starts the toy database server: it accepts connections and keeps them open, as a
// database server keeps a client's session, without a goroutine per connection.
func serveDatabase() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go func() {
		var sessions []net.Conn
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			sessions = append(sessions, c)
		}
	}()
	return l.Addr().String(), nil
}

// quotedb is the smallest network database/sql driver: a connection is a TCP connection to the
// address in the DSN, answering Ping and nothing else.
type quotedb struct{}

type quoteConn struct{ c net.Conn }

func init() { sql.Register("quotedb", quotedb{}) }

func (quotedb) Open(addr string) (driver.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return quoteConn{c}, nil
}
func (quoteConn) Prepare(string) (driver.Stmt, error) {
	return nil, errors.New("quotedb: no statements")
}
func (q quoteConn) Close() error             { return q.c.Close() }
func (quoteConn) Begin() (driver.Tx, error)  { return nil, errors.New("quotedb: no transactions") }
func (quoteConn) Ping(context.Context) error { return nil }

func get(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}

// snapshot writes the goroutine, heap and fd pictures of moment tN, once the connections' goroutines
// have reached their resting places.
func snapshot(out string, n int) error {
	time.Sleep(150 * time.Millisecond)
	t := fmt.Sprintf("t%d", n)
	if err := writeProfile(filepath.Join(out, "goroutine."+t+".debug2.txt"), "goroutine", 2); err != nil {
		return err
	}
	if err := writeProfile(filepath.Join(out, "goroutine."+t+".pprof"), "goroutine", 0); err != nil {
		return err
	}
	runtime.GC()
	if err := writeProfile(filepath.Join(out, "heap."+t+".pprof"), "heap", 0); err != nil {
		return err
	}
	return writeMetrics(filepath.Join(out, "metrics."+t+".txt"))
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

func writeMetrics(path string) error {
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return err
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	text := fmt.Sprintf("# HELP process_open_fds Number of open file descriptors.\n# TYPE process_open_fds gauge\n"+
		"process_open_fds %d\n# HELP process_max_fds Maximum number of open file descriptors.\n"+
		"# TYPE process_max_fds gauge\nprocess_max_fds %d\n", len(fds), lim.Cur)
	return os.WriteFile(path, []byte(text), 0o644)
}
