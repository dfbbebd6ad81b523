// Command offcpu is an off-CPU-bound program for godiag's judgement checks: its workers spend
// almost all their time waiting, not computing, so its CPU profile holds little and what holds it
// back is in the block and mutex profiles (src/test/java/dev/godiag/engine/PrecisionRecallTest.java).
//
// Eight workers repeat, for about -duration (default 2.5s):
//
//   - main.(*ledger).post: takes the one global ledger lock and holds it across a 2 ms sleep (an
//     I/O call made under the lock), so the other workers queue on it;
//   - main.lookup: asks a loopback TCP server that answers after 3 ms, waiting in the network;
//   - a short checksum over a few hundred bytes, the only CPU work.
//
// Output, in -out DIR: cpu.pprof (the whole run), block.pprof (rate 10 µs), mutex.pprof (fraction
// 1), goroutine.debug2.txt (at the end, while the workers still run) and heap.pprof. Run it with
// GODEBUG=gctrace=1 and keep its stderr as gctrace.log. It prints "offcpu: done N posts" when
// everything is written, then exits 0.
//
// Build: go build -trimpath (Go 1.19 and later; standard library only).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"hash/crc32"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"
)

type ledger struct {
	mu      sync.Mutex
	entries int
}

// post holds the lock across a slow call: every other worker waits.
func (l *ledger) post() {
	l.mu.Lock()
	time.Sleep(2 * time.Millisecond)
	l.entries++
	l.mu.Unlock()
}

// serve answers each line after 3 ms.
func serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func(c net.Conn) {
			defer c.Close()
			r := bufio.NewReader(c)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return
				}
				time.Sleep(3 * time.Millisecond)
				if _, err := c.Write([]byte(line)); err != nil {
					return
				}
			}
		}(c)
	}
}

func lookup(c net.Conn, r *bufio.Reader) error {
	if _, err := c.Write([]byte("key\n")); err != nil {
		return err
	}
	_, err := r.ReadString('\n')
	return err
}

func main() {
	out := flag.String("out", ".", "output directory")
	duration := flag.Duration("duration", 2500*time.Millisecond, "length of the run")
	flag.Parse()
	if err := run(*out, *duration); err != nil {
		fmt.Fprintln(os.Stderr, "offcpu:", err)
		os.Exit(1)
	}
}

func run(out string, duration time.Duration) error {
	runtime.SetBlockProfileRate(10000)
	runtime.SetMutexProfileFraction(1)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	go serve(ln)
	cpu, err := os.Create(filepath.Join(out, "cpu.pprof"))
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		return err
	}
	var l ledger
	var posts int64
	var sum uint32
	stop := time.Now().Add(duration)
	var wg sync.WaitGroup
	payload := make([]byte, 512)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				return
			}
			defer c.Close()
			r := bufio.NewReader(c)
			for time.Now().Before(stop) {
				l.post()
				if lookup(c, r) != nil {
					return
				}
				atomic.AddUint32(&sum, crc32.ChecksumIEEE(payload))
				atomic.AddInt64(&posts, 1)
			}
		}()
	}
	time.Sleep(duration * 9 / 10)
	if err := writeProfile(filepath.Join(out, "goroutine.debug2.txt"), "goroutine", 2); err != nil {
		return err
	}
	wg.Wait()
	pprof.StopCPUProfile()
	if err := cpu.Close(); err != nil {
		return err
	}
	for _, p := range []string{"block", "mutex", "heap"} {
		if err := writeProfile(filepath.Join(out, p+".pprof"), p, 0); err != nil {
			return err
		}
	}
	fmt.Printf("offcpu: done %d posts\n", atomic.LoadInt64(&posts))
	return nil
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
