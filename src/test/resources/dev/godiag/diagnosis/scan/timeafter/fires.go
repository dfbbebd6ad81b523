package timeafter

import (
	"context"
	"time"
)

func consume(msgs <-chan string, handle func(string)) {
	for {
		select {
		case m := <-msgs:
			handle(m)
		case <-time.After(time.Second): // want "time.After in this select makes a new timer on every iteration of the loop at line 9, and the iterations that take the case at line 11 leave it pending"
			return
		}
	}
}

func poll(ctx context.Context, check func() bool) {
	for i := 0; i < 10; i++ {
		select {
		case <-ctx.Done():
			return
		case t := <-time.After(time.Duration(i) * time.Millisecond): // want "take the default case"
			_ = t
		default:
		}
		if check() {
			return
		}
	}
}

func drain(events []chan int) int {
	n := 0
outer:
	for _, ch := range events {
		select {
		case v := <-ch:
			n += v
			continue outer
		case <-time.After(10 * time.Millisecond): // want "loop at line 37"
			break outer
		}
	}
	return n
}

func timers(msgs <-chan string) {
	for {
		t := time.NewTimer(time.Minute) // want "time.NewTimer makes a new timer on every iteration of the loop at line 50 and t is never stopped"
		select {
		case <-msgs:
		case <-t.C:
			return
		}
	}
}
