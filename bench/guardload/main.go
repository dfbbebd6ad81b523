// Command guardload is the fleet of bench/guard-load.sh: one process answering as N Go services,
// each on its own loopback port (127.0.0.1:BASE .. BASE+N-1), with responses recorded from real Go
// runtimes: /metrics and /debug/vars as testdata/gen/promgo printed them (its stdout, given with
// -promgo), and /debug/pprof/goroutine?debug=1|2 from a corpus directory (-corpus, the files
// goroutine.t0.debug1.txt and goroutine.t0.debug2.txt). Standard library only; it listens on
// loopback only and prints "ready N" when every port is open.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
)

func main() {
	n := flag.Int("n", 2000, "number of services")
	base := flag.Int("base-port", 20000, "first port")
	promgo := flag.String("promgo", "", "file with promgo's output: Prometheus text, a line ---, expvar JSON")
	corpus := flag.String("corpus", "", "directory with goroutine.t0.debug1.txt and goroutine.t0.debug2.txt")
	flag.Parse()

	raw, err := os.ReadFile(*promgo)
	if err != nil {
		fmt.Fprintln(os.Stderr, "guardload:", err)
		os.Exit(2)
	}
	parts := bytes.SplitN(raw, []byte("\n---\n"), 2)
	if len(parts) != 2 {
		fmt.Fprintln(os.Stderr, "guardload: -promgo has no --- line")
		os.Exit(2)
	}
	metrics, vars := parts[0], parts[1]
	debug1, err1 := os.ReadFile(filepath.Join(*corpus, "goroutine.t0.debug1.txt"))
	debug2, err2 := os.ReadFile(filepath.Join(*corpus, "goroutine.t0.debug2.txt"))
	if err1 != nil || err2 != nil {
		fmt.Fprintln(os.Stderr, "guardload: corpus:", err1, err2)
		os.Exit(2)
	}

	var served atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Write(metrics)
	})
	mux.HandleFunc("/debug/vars", func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(vars)
	})
	mux.HandleFunc("/debug/pprof/goroutine", func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if r.URL.Query().Get("debug") == "2" {
			w.Write(debug2)
		} else {
			w.Write(debug1)
		}
	})
	mux.HandleFunc("/served", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strconv.FormatInt(served.Load(), 10) + "\n"))
	})
	for i := 0; i < *n; i++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *base+i))
		if err != nil {
			fmt.Fprintln(os.Stderr, "guardload:", err)
			os.Exit(1)
		}
		go http.Serve(ln, mux)
	}
	fmt.Printf("ready %d\n", *n)
	select {}
}
