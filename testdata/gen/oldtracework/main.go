// Command oldtracework writes an execution trace in which goroutines wait in every way the old
// trace format (Go 1.11-1.21) names, for godiag's reader of that format and its checks against
// `go tool trace -d=parsed` of Go 1.27.
//
// Usage: oldtracework -out trace.out [-duration 500ms]
//
// For about -duration, all at once: goroutines pass values over unbuffered channels (chan send,
// chan receive) and wait in a select; contend for one mutex (sync) and wait on a sync.Cond; sleep;
// call runtime.Gosched; ask a loopback TCP server (network); make blocking nanosleep system calls
// and quick getpid ones; allocate enough to run the GC (mark assists); and run user tasks with a
// region and a log. A CPU profile runs alongside, so the trace holds CPU samples.
//
// It prints "oldtracework: done" after stopping the trace, then exits 0.
//
// Build: go build -trimpath (Go 1.19 and later; standard library only).
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"syscall"
	"time"
)

var sink []byte

func main() {
	out := flag.String("out", "trace.out", "where to write the trace")
	duration := flag.Duration("duration", 500*time.Millisecond, "how long the goroutines work")
	flag.Parse()

	f, err := os.Create(*out)
	check(err)
	check(pprof.StartCPUProfile(io.Discard))
	check(trace.Start(f))

	stop := make(chan struct{})
	var wg sync.WaitGroup
	run := func(work func(stop <-chan struct{})) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(stop)
		}()
	}
	run(channels)
	run(selects)
	for i := 0; i < 4; i++ {
		run(locker)
	}
	run(conds)
	run(sleeper)
	run(yielder)
	run(netClient(listen()))
	run(syscalls)
	run(allocator)
	run(tasks)

	time.Sleep(*duration)
	close(stop)
	wg.Wait()
	trace.Stop()
	pprof.StopCPUProfile()
	check(f.Close())
	fmt.Println("oldtracework: done")
}

func channels(stop <-chan struct{}) {
	c := make(chan int)
	done := make(chan struct{})
	go func() {
		for v := range c {
			spin(v)
		}
		close(done)
	}()
	for i := 0; ; i++ {
		select {
		case <-stop:
			close(c)
			<-done
			return
		default:
		}
		c <- 20_000
	}
}

func selects(stop <-chan struct{}) {
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			spin(10_000)
		}
	}
}

var mu sync.Mutex

func locker(stop <-chan struct{}) {
	for !stopped(stop) {
		mu.Lock()
		spin(50_000)
		mu.Unlock()
	}
}

func conds(stop <-chan struct{}) {
	var m sync.Mutex
	c := sync.NewCond(&m)
	ready := false
	go func() {
		for !stopped(stop) {
			time.Sleep(time.Millisecond)
			m.Lock()
			ready = true
			c.Broadcast()
			m.Unlock()
		}
		m.Lock()
		ready = true
		c.Broadcast()
		m.Unlock()
	}()
	for !stopped(stop) {
		m.Lock()
		for !ready {
			c.Wait()
		}
		ready = false
		m.Unlock()
	}
}

func sleeper(stop <-chan struct{}) {
	for !stopped(stop) {
		time.Sleep(3 * time.Millisecond)
	}
}

func yielder(stop <-chan struct{}) {
	for !stopped(stop) {
		spin(5_000)
		runtime.Gosched()
	}
}

func listen() net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				r := bufio.NewReader(conn)
				for {
					if _, err := r.ReadString('\n'); err != nil {
						return
					}
					time.Sleep(2 * time.Millisecond)
					if _, err := conn.Write([]byte("ok\n")); err != nil {
						return
					}
				}
			}()
		}
	}()
	return l
}

func netClient(l net.Listener) func(stop <-chan struct{}) {
	return func(stop <-chan struct{}) {
		defer l.Close()
		conn, err := net.Dial("tcp", l.Addr().String())
		check(err)
		defer conn.Close()
		r := bufio.NewReader(conn)
		for !stopped(stop) {
			_, err := conn.Write([]byte("ping\n"))
			check(err)
			_, err = r.ReadString('\n')
			check(err)
		}
	}
}

func syscalls(stop <-chan struct{}) {
	for !stopped(stop) {
		ts := syscall.Timespec{Nsec: int64(5 * time.Millisecond)}
		_ = syscall.Nanosleep(&ts, nil)
		syscall.Getpid()
	}
}

func allocator(stop <-chan struct{}) {
	for !stopped(stop) {
		for i := 0; i < 64; i++ {
			sink = make([]byte, 64<<10)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

func tasks(stop <-chan struct{}) {
	for i := 0; !stopped(stop); i++ {
		ctx, task := trace.NewTask(context.Background(), "request")
		trace.WithRegion(ctx, "db", func() {
			time.Sleep(time.Millisecond)
		})
		trace.Log(ctx, "status", fmt.Sprint("ok ", i%3))
		task.End()
	}
}

func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

func spin(n int) int {
	x := 0
	for i := 0; i < n; i++ {
		x += i * i
	}
	return x
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "oldtracework:", err)
		os.Exit(1)
	}
}
