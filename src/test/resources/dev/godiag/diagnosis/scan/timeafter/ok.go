package timeafter

import (
	"context"
	"time"
)

// once, outside any loop
func waitOnce(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	case <-time.After(time.Second):
		return false
	}
}

// one deadline for the whole loop
func consumeWithDeadline(msgs <-chan string, handle func(string)) {
	timeout := time.After(time.Minute)
	for {
		select {
		case m := <-msgs:
			handle(m)
		case <-timeout:
			return
		}
	}
}

// every other case leaves the loop: the timer is the only way to go round, like a sleep
func retry(ctx context.Context, try func() error) error {
	for {
		if err := try(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// a bare receive always waits for the timer to fire
func backoff(try func() error) {
	for i := 0; i < 3; i++ {
		if try() == nil {
			return
		}
		<-time.After(time.Duration(i) * time.Second)
	}
}

// the loop returns on every path: it runs once
func firstOf(chans []chan int) int {
	for _, ch := range chans {
		select {
		case v := <-ch:
			return v
		case <-time.After(time.Second):
			return -1
		}
	}
	return 0
}

// in a function literal called once, not per iteration
func inLiteral(msgs <-chan string) {
	wait := func() bool {
		select {
		case <-msgs:
			return true
		case <-time.After(time.Second):
			return false
		}
	}
	wait()
}

// a timer made per iteration but stopped
func stopped(msgs <-chan string) {
	for {
		t := time.NewTimer(time.Minute)
		select {
		case <-msgs:
		case <-t.C:
		}
		t.Stop()
	}
}

// one timer, reset per iteration: the fix
func reused(msgs <-chan string) {
	t := time.NewTimer(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-msgs:
			t.Reset(time.Minute)
		case <-t.C:
			return
		}
	}
}

// a new timer per outer iteration, but the inner loop waits for it to fire before the next
func bursts(rounds int, work func()) {
	var timeout *time.Timer
	for i := 0; i < rounds; i++ {
		timeout = time.NewTimer(time.Millisecond)
	burst:
		for {
			select {
			case <-timeout.C:
				break burst
			default:
			}
			work()
		}
	}
}
