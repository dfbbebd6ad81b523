// Package ticker holds tickers and timers that are stopped or not, for scan.ticker-not-stopped.
// A "// want" comment marks each line where the check must report.
package ticker

import (
	"context"
	"time"
)

func poll() {}

// Fires: a ticker never stopped, in a loop that returns.
func pollUntil(ctx context.Context) {
	t := time.NewTicker(time.Second) // want
	for {
		select {
		case <-t.C:
			poll()
		case <-ctx.Done():
			return
		}
	}
}

// Fires: var form, ranged over forever: a goroutine and a ticker per call.
func pollForever() {
	var t = time.NewTicker(time.Second) // want
	for range t.C {
		poll()
	}
}

// Fires: a timer left pending when the select takes the other case.
func waitOrTimeout(done <-chan struct{}) bool {
	timer := time.NewTimer(time.Minute) // want
	select {
	case <-done:
		return true
	case <-timer.C:
		return false
	}
}

// Fires: time.Tick in a function that returns.
func tickUntil(ctx context.Context) {
	tick := time.Tick(time.Second) // want
	for {
		select {
		case <-tick:
			poll()
		case <-ctx.Done():
			return
		}
	}
}

// Fires: time.Tick ranged over with a way out of the loop.
func tickSome(n int) {
	for range time.Tick(time.Millisecond) { // want
		n--
		if n == 0 {
			break
		}
	}
}

// Fires: time.Tick in a loop makes a ticker per iteration.
func tickPerIteration(events <-chan int) {
	for {
		select {
		case <-events:
			poll()
		case <-time.Tick(time.Second): // want
			poll()
		}
	}
}

// Silent: stopped with defer.
func stopped(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			poll()
		case <-ctx.Done():
			return
		}
	}
}

// Silent: stopped inside a closure.
func stoppedInClosure() func() {
	t := time.NewTicker(time.Second)
	go func() {
		for range t.C {
			poll()
		}
	}()
	return func() { t.Stop() }
}

// Silent: returned, the caller stops it.
func returned() *time.Ticker {
	t := time.NewTicker(time.Second)
	return t
}

type poller struct{ t *time.Ticker }

// Silent: stored in a field.
func (p *poller) start() {
	t := time.NewTicker(time.Second)
	p.t = t
}

// Silent: passed to other code.
func passed() {
	t := time.NewTicker(time.Second)
	watch(t)
}

func watch(t *time.Ticker) { t.Stop() }

// Silent: a timer that is only waited for fires, and is done.
func sleepish() {
	timer := time.NewTimer(time.Millisecond)
	<-timer.C
}

// Silent: a timer stopped after the select.
func waitStopped(done <-chan struct{}) bool {
	timer := time.NewTimer(time.Minute)
	defer timer.Stop()
	select {
	case <-done:
		return true
	case <-timer.C:
		return false
	}
}

// Silent: time.Tick in a goroutine that loops forever.
func background() {
	go func() {
		for range time.Tick(time.Second) {
			poll()
		}
	}()
}

// Silent: time.Tick in an endless for-select.
func endless(events <-chan int) {
	tick := time.Tick(time.Second)
	for {
		select {
		case <-tick:
			poll()
		case <-events:
			poll()
		}
	}
}

// Silent: init runs once.
func init() {
	go func() {
		for range time.Tick(time.Hour) {
			poll()
		}
	}()
}

// Silent: package level.
var every = time.Tick(time.Hour)

// Fires: var form, ranged over until a count.
func pollN(n int) {
	var t = time.NewTicker(time.Millisecond) // want
	for range t.C {
		n--
		if n == 0 {
			return
		}
	}
}

// Silent: a timer polled with a default case.
func polled() bool {
	timer := time.NewTimer(time.Minute)
	for i := 0; i < 3; i++ {
		select {
		case <-timer.C:
			return true
		default:
			poll()
		}
	}
	return false
}

// Silent: timers of one nanosecond fire at once.
func race() int {
	a := time.NewTimer(1)
	b := time.NewTimer(1)
	select {
	case <-a.C:
		return 1
	case <-b.C:
		return 2
	}
}
