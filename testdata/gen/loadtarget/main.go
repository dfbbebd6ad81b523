// Command loadtarget is a small HTTP server for godiag's load-summary tests
// (src/test/java/dev/godiag/format/load/LiveLoadToolsTest.java): the tests point hey and wrk at
// it and read the summaries those tools print. It listens on 127.0.0.1 (a free port) and prints
// "listening on 127.0.0.1:PORT" on stdout once it accepts connections.
//
//   - GET /       sleeps -delay (default 2ms), then answers 200 "ok";
//   - GET /flaky  answers like /, except every 4th request (the 4th, 8th...) gets a 500.
//
// It exits by itself after -lifetime (default 120s) or when its stdin is closed.
// Build: GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -trimpath -o DIR/ . (Go 1.19 and later;
// standard library only).
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"
)

func main() {
	delay := flag.Duration("delay", 2*time.Millisecond, "time each request takes")
	lifetime := flag.Duration("lifetime", 120*time.Second, "exit after this long")
	flag.Parse()

	var flaky atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(*delay)
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(*delay)
		if flaky.Add(1)%4 == 0 {
			http.Error(w, "injected failure", http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "ok\n")
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtarget:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	go func() {
		time.Sleep(*lifetime)
		os.Exit(0)
	}()
	if err := http.Serve(ln, mux); err != nil {
		fmt.Fprintln(os.Stderr, "loadtarget:", err)
		os.Exit(1)
	}
}
