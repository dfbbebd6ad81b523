// Command tracebusy is a busy Go program traced for bench/trace.sh: it writes an execution trace
// of -duration (default 60s) while -pairs (default 16) goroutine pairs ping-pong over channels, 16 goroutines
// queue on 4 mutexes, 8 clients talk to a loopback TCP echo server, 4 goroutines make short
// system calls and every goroutine allocates, so the trace holds every kind of wait the trace
// analyses report, at a high event rate (a few MB of trace a second).
//
// Usage: tracebusy -out trace.out [-duration 60s] [-pairs 16]
//
// Build: go build -trimpath (Go 1.19 and later; standard library only).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"runtime/trace"
	"sync"
	"syscall"
	"time"
)

var sink [][]byte

func main() {
	out := flag.String("out", "trace.out", "where to write the trace")
	duration := flag.Duration("duration", 60*time.Second, "how long to trace")
	pairs := flag.Int("pairs", 16, "goroutine pairs playing ping-pong (the event rate)")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		fail(err)
	}
	if err := trace.Start(f); err != nil {
		fail(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	run := func(fn func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn()
		}()
	}
	for i := 0; i < *pairs; i++ {
		ping, pong := make(chan int), make(chan int)
		run(func() { pinger(ping, pong, stop) })
		run(func() { ponger(ping, pong) })
	}
	var locks [4]sync.Mutex
	for i := 0; i < 16; i++ {
		mu := &locks[i%4]
		run(func() { locker(mu, stop) })
	}
	addr := echoServer(stop)
	for i := 0; i < 8; i++ {
		run(func() { client(addr, stop) })
	}
	for i := 0; i < 4; i++ {
		run(func() { syscaller(stop) })
	}
	time.Sleep(*duration)
	close(stop)
	wg.Wait()
	trace.Stop()
	if err := f.Close(); err != nil {
		fail(err)
	}
	fmt.Println("tracebusy: done")
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "tracebusy:", err)
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

func pinger(ping chan<- int, pong <-chan int, stop <-chan struct{}) {
	defer close(ping)
	for i := 0; !stopped(stop); i++ {
		ping <- i
		<-pong
		if i%64 == 0 {
			sink = append(sink[:0], make([]byte, 1024))
		}
	}
}

func ponger(ping <-chan int, pong chan<- int) {
	for v := range ping {
		pong <- v + 1
	}
}

func locker(mu *sync.Mutex, stop <-chan struct{}) {
	for !stopped(stop) {
		mu.Lock()
		time.Sleep(50 * time.Microsecond)
		mu.Unlock()
	}
}

func echoServer(stop <-chan struct{}) string {
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
					line, err := r.ReadBytes('\n')
					if err != nil {
						return
					}
					if _, err := c.Write(line); err != nil {
						return
					}
				}
			}(c)
		}
	}()
	return l.Addr().String()
}

func client(addr string, stop <-chan struct{}) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		fail(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for !stopped(stop) {
		if _, err := c.Write([]byte("ping\n")); err != nil {
			return
		}
		if _, err := r.ReadBytes('\n'); err != nil {
			return
		}
	}
}

func syscaller(stop <-chan struct{}) {
	ts := syscall.NsecToTimespec(int64(200 * time.Microsecond))
	for !stopped(stop) {
		syscall.Nanosleep(&ts, nil)
	}
}
