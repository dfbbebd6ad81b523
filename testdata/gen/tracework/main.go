// Command tracework writes an execution trace of goroutines that wait in known ways, for godiag's
// trace analyses and their checks against `go tool trace`.
//
// Usage: tracework -out trace.out [-duration 2s] [-scenarios convoy,net,syscall,starve,assist,tasks]
//
// Each scenario runs in its own goroutines, all at once, for about -duration:
//
//   - convoy: 8 main.convoyWorker goroutines take one global mutex and hold it across 1 ms of
//     spinning, so each spends most of its time waiting in sync.(*Mutex).Lock (a lock convoy);
//   - net: 4 main.netClient goroutines ask a loopback TCP server (main.netServe) that answers
//     after 20 ms, so they wait on the network;
//   - syscall: 2 main.syscallWorker goroutines make 30 ms nanosleep system calls;
//   - starve: GOMAXPROCS is set to 2 and 32 main.spinner goroutines compute in 200 µs slices with
//     runtime.Gosched between, so runnable goroutines wait long for a P (scheduler latency);
//   - assist: 2 main.allocator goroutines allocate 64 KiB buffers as fast as they can, so the GC
//     runs often and makes them assist;
//   - tasks: main.handleRequests runs user tasks "request" (each ~2 ms, every 10th ~25 ms) with a
//     region "db" (~1 ms) inside, and a log "status".
//
// It prints "tracework: done" after stopping the trace, then exits 0.
//
// Build: go build -trimpath (Go 1.19 and later; standard library only).
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"runtime"
	"runtime/trace"
	"strings"
	"sync"
	"syscall"
	"time"
)

var sink []byte

func main() {
	out := flag.String("out", "trace.out", "where to write the trace")
	duration := flag.Duration("duration", 2*time.Second, "how long the scenarios run")
	scenarios := flag.String("scenarios", "convoy,net,syscall,starve,assist,tasks", "which scenarios run")
	flag.Parse()

	on := map[string]bool{}
	for _, s := range strings.Split(*scenarios, ",") {
		if s != "" {
			on[s] = true
		}
	}
	if on["starve"] {
		runtime.GOMAXPROCS(2)
	}
	f, err := os.Create(*out)
	if err != nil {
		fail(err)
	}
	if err := trace.Start(f); err != nil {
		fail(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	start := func(n int, run func(stop <-chan struct{})) {
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				run(stop)
			}()
		}
	}
	if on["convoy"] {
		start(8, convoyWorker)
	}
	if on["net"] {
		addr := netServe(stop)
		start(4, func(stop <-chan struct{}) { netClient(addr, stop) })
	}
	if on["syscall"] {
		start(2, syscallWorker)
	}
	if on["starve"] {
		start(32, spinner)
	}
	if on["assist"] {
		start(2, allocator)
	}
	if on["tasks"] {
		start(1, handleRequests)
	}
	time.Sleep(*duration)
	close(stop)
	wg.Wait()
	trace.Stop()
	if err := f.Close(); err != nil {
		fail(err)
	}
	fmt.Println("tracework: done")
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "tracework:", err)
	os.Exit(1)
}

func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

// spin computes for about d without blocking.
func spin(d time.Duration) {
	end := time.Now().Add(d)
	x := uint64(1)
	for time.Now().Before(end) {
		for i := 0; i < 100; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	if x == 42 {
		fmt.Print("")
	}
}

var ledger sync.Mutex

func convoyWorker(stop <-chan struct{}) {
	for !stopped(stop) {
		ledger.Lock()
		spin(time.Millisecond)
		ledger.Unlock()
	}
}

// netServe answers each line with "ok" after 20 ms, on a loopback port it returns.
func netServe(stop <-chan struct{}) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	go func() {
		<-stop
		l.Close()
	}()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					if _, err := r.ReadString('\n'); err != nil {
						return
					}
					time.Sleep(20 * time.Millisecond)
					if _, err := c.Write([]byte("ok\n")); err != nil {
						return
					}
				}
			}(c)
		}
	}()
	return l.Addr().String()
}

func netClient(addr string, stop <-chan struct{}) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		fail(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for !stopped(stop) {
		if _, err := c.Write([]byte("get\n")); err != nil {
			return
		}
		if _, err := r.ReadString('\n'); err != nil {
			return
		}
	}
}

func syscallWorker(stop <-chan struct{}) {
	ts := syscall.NsecToTimespec(int64(30 * time.Millisecond))
	for !stopped(stop) {
		syscall.Nanosleep(&ts, nil)
	}
}

func spinner(stop <-chan struct{}) {
	for !stopped(stop) {
		spin(200 * time.Microsecond)
		runtime.Gosched()
	}
}

func allocator(stop <-chan struct{}) {
	for !stopped(stop) {
		for i := 0; i < 64; i++ {
			sink = make([]byte, 64<<10)
		}
	}
}

func handleRequests(stop <-chan struct{}) {
	for i := 0; !stopped(stop); i++ {
		ctx, task := trace.NewTask(context.Background(), "request")
		trace.Log(ctx, "status", "start")
		trace.WithRegion(ctx, "db", func() { time.Sleep(time.Millisecond) })
		if i%10 == 9 {
			time.Sleep(24 * time.Millisecond)
		} else {
			time.Sleep(time.Millisecond)
		}
		task.End()
	}
}
