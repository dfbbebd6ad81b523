// Package abandoned holds goroutines sending to receivers that may give up, for
// scan.abandoned-send. A "// want" comment marks each line where the check must report.
package abandoned

import (
	"context"
	"errors"
	"time"
)

type result struct{ v int }

func fetch() result { return result{1} }

var errTimeout = errors.New("timeout")

// Fires: the classic time.After leak.
func withTimeout() (result, error) {
	ch := make(chan result)
	go func() {
		ch <- fetch() // want
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return result{}, errTimeout
	}
}

// Fires: the receiver returns on ctx.Done().
func withContext(ctx context.Context) (result, error) {
	ch := make(chan result, 0)
	go func() { ch <- fetch() }() // want
	select {
	case <-ctx.Done():
		return result{}, ctx.Err()
	case r := <-ch:
		return r, nil
	}
}

// Fires: several sends, and a default that gives up.
func many(n int) int {
	ch := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			ch <- i // want
		}
	}()
	select {
	case v := <-ch:
		return v
	default:
		return -1
	}
}

// Silent: a buffer of one lets the send complete.
func buffered() (result, error) {
	ch := make(chan result, 1)
	go func() {
		ch <- fetch()
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return result{}, errTimeout
	}
}

// Silent: the sender selects on ctx.Done() too.
func senderSelects(ctx context.Context) (result, error) {
	ch := make(chan result)
	go func() {
		select {
		case ch <- fetch():
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
}

// Silent: no other case: the receive always happens.
func plain() result {
	ch := make(chan result)
	go func() { ch <- fetch() }()
	return <-ch
}

// Silent: the timeout case drains the channel before returning.
func drained() (result, error) {
	ch := make(chan result)
	go func() { ch <- fetch() }()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		go func() { <-ch }()
		return result{}, errTimeout
	}
}

// Silent: the other case does not return, the loop receives again.
func retry(tick <-chan time.Time) result {
	ch := make(chan result)
	go func() { ch <- fetch() }()
	for {
		select {
		case r := <-ch:
			return r
		case <-tick:
			continue
		}
	}
}

func retryFor(f func() error) error {
	var err error
	for i := 0; i < 10; i++ {
		if err = f(); err == nil {
			return nil
		}
	}
	return err
}

// Silent: the select polls from a closure called again and again.
func polled() error {
	received := make(chan bool)
	go func() { received <- true }()
	return retryFor(func() error {
		select {
		case <-received:
			return nil
		default:
			return errTimeout
		}
	})
}
