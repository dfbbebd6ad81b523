// Package blocks holds goroutines that can or cannot end, for scan.goroutine-blocks-forever.
// A "// want" comment marks each line where the check must report.
package blocks

import (
	"context"
	"time"
)

func handle(int) {}
func start()     {}

// Fires: select {} in a goroutine.
func serve() {
	go func() {
		start()
		select {} // want
	}()
}

// Fires: an endless receive loop with no way out.
func consume(in <-chan int) {
	go func() {
		for { // want
			v := <-in
			handle(v)
		}
	}()
}

// Fires: a for-select without ctx.Done() or return.
func pump(in <-chan int, flush <-chan struct{}) {
	go func() {
		for { // want
			select {
			case v := <-in:
				handle(v)
			case <-flush:
				handle(0)
			}
		}
	}()
}

// Fires: a break inside the select leaves only the select.
func breaksSelectOnly(in <-chan int) {
	go func() {
		for { // want
			select {
			case v := <-in:
				if v < 0 {
					break
				}
				handle(v)
			}
		}
	}()
}

// Fires: waits on a channel nothing sends on or closes.
func waitsForNothing() {
	done := make(chan struct{})
	go func() {
		<-done // want
		handle(1)
	}()
}

// Silent: a ctx.Done() case that returns.
func withContext(ctx context.Context, in <-chan int) {
	go func() {
		for {
			select {
			case v := <-in:
				handle(v)
			case <-ctx.Done():
				return
			}
		}
	}()
}

// Silent: the ok form sees the close and returns.
func untilClosed(in <-chan int) {
	go func() {
		for {
			v, ok := <-in
			if !ok {
				return
			}
			handle(v)
		}
	}()
}

// Silent: a labeled break leaves the loop.
func labeled(in <-chan int, quit <-chan struct{}) {
	go func() {
	loop:
		for {
			select {
			case v := <-in:
				handle(v)
			case <-quit:
				break loop
			}
		}
	}()
}

// Silent: the channel is closed by this function.
func signalled() {
	done := make(chan struct{})
	go func() {
		<-done
		handle(1)
	}()
	close(done)
}

// Silent: a loop that polls without blocking on a channel.
func spin() {
	go func() {
		for {
			time.Sleep(time.Second)
			handle(2)
		}
	}()
}

// Silent: a select with a default does not block.
func nonBlocking(in <-chan int) {
	go func() {
		for {
			select {
			case v := <-in:
				handle(v)
			default:
				time.Sleep(time.Millisecond)
			}
		}
	}()
}

// Silent: a select {} in the function itself, not in a goroutine.
func blockHere() {
	start()
	select {}
}

var requests = make(chan int)

// Silent: a daemon on a package channel lives as long as the process.
func daemon() {
	go func() {
		for {
			handle(<-requests)
		}
	}()
}

type server struct{ in chan int }

// Silent: a loop on a field's channel lives as long as its object.
func (s *server) run() {
	go func() {
		for {
			select {
			case v := <-s.in:
				handle(v)
			}
		}
	}()
}

// Silent: a receive that polls a channel in a select with a default.
func polls() {
	done := make(chan struct{})
	go func() {
		for i := 0; i < 3; i++ {
			select {
			case <-done:
			default:
			}
		}
	}()
}
