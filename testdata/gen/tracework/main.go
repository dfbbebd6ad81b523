// Command tracework writes an execution trace of goroutines that wait in known ways, for godiag's
// trace analyses and their checks against `go tool trace`.
//
// Usage: tracework -out trace.out [-duration 2s] [-scenarios convoy,net,syscall,starve,assist,tasks[,slownet]]
//
// Each scenario runs in its own goroutines, all at once, for about -duration; each goroutine starts
// at the scenario's function (go tool trace groups goroutines by it):
//
//   - convoy: 8 main.convoyWorker goroutines take one global mutex and hold it across 1 ms of
//     spinning, so each spends most of its time waiting in sync.(*Mutex).Lock (a lock convoy);
//   - net: 4 main.netClient goroutines ask a loopback TCP server (main.netServe) that answers
//     after 20 ms, so they wait on the network (ordinary request latency, not a stall);
//   - slownet (not in the default set): 1 main.slowClient goroutine asks a server that answers
//     after 1.5 s, so it stalls on the network;
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

var (
	sink     []byte
	stop     = make(chan struct{})
	wg       sync.WaitGroup
	netAddr  string
	slowAddr string
)

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
	// each scenario's goroutines start at the scenario's function (go f(), no closure), so
	// go tool trace groups them under that name
	start := func(n int, run func()) {
		wg.Add(n)
		for i := 0; i < n; i++ {
			go run()
		}
	}
	if on["convoy"] {
		start(8, convoyWorker)
	}
	if on["net"] {
		netAddr = netServe(stop, 20*time.Millisecond)
		start(4, netClient)
	}
	if on["slownet"] {
		slowAddr = netServe(stop, 1500*time.Millisecond)
		start(1, slowClient)
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

func stopped() bool {
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

func convoyWorker() {
	defer wg.Done()
	for !stopped() {
		ledger.Lock()
		spin(time.Millisecond)
		ledger.Unlock()
	}
}

// netServe answers each line with "ok" after delay, on a loopback port it returns.
func netServe(stop <-chan struct{}, delay time.Duration) string {
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
					time.Sleep(delay)
					if _, err := c.Write([]byte("ok\n")); err != nil {
						return
					}
				}
			}(c)
		}
	}()
	return l.Addr().String()
}

func netClient() {
	defer wg.Done()
	ask(netAddr)
}

// slowClient asks the slow server: each answer takes 1.5 s, a network stall.
func slowClient() {
	defer wg.Done()
	ask(slowAddr)
}

func ask(addr string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		fail(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for !stopped() {
		if _, err := c.Write([]byte("get\n")); err != nil {
			return
		}
		if _, err := r.ReadString('\n'); err != nil {
			return
		}
	}
}

func syscallWorker() {
	defer wg.Done()
	ts := syscall.NsecToTimespec(int64(30 * time.Millisecond))
	for !stopped() {
		syscall.Nanosleep(&ts, nil)
	}
}

func spinner() {
	defer wg.Done()
	for !stopped() {
		spin(200 * time.Microsecond)
		runtime.Gosched()
	}
}

func allocator() {
	defer wg.Done()
	for !stopped() {
		for i := 0; i < 64; i++ {
			sink = make([]byte, 64<<10)
		}
	}
}

func handleRequests() {
	defer wg.Done()
	for i := 0; !stopped(); i++ {
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
