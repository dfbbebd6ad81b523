// Package cancel holds cancel functions called or not, for scan.context-cancel-dropped.
// A "// want" comment marks each line where the check must report; go vet's lostcancel reports
// the same lines.
package cancel

import (
	"context"
	"errors"
	"time"
)

func work(ctx context.Context) error { return ctx.Err() }

// Fires: discarded.
func discarded(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, time.Second) // want
	return work(ctx)
}

// Fires: an early return before the cancel.
func early(parent context.Context, skip bool) error {
	ctx, cancel := context.WithCancel(parent) // want
	if skip {
		return nil
	}
	defer cancel()
	return work(ctx)
}

// Fires: called on one branch only.
func oneBranch(parent context.Context, n int) error {
	ctx, cancel := context.WithDeadline(parent, time.Now().Add(time.Second)) // want
	if n > 0 {
		cancel()
		return nil
	}
	return work(ctx)
}

// Fires: var form, called only when the context is already done.
func whenDone(parent context.Context) error {
	var ctx, cancel = context.WithCancelCause(parent) // want
	if ctx.Err() != nil {
		cancel(nil)
	}
	return nil
}

// Fires: a return inside a loop.
func inLoop(parent context.Context, items []int) error {
	ctx, cancel := context.WithCancel(parent) // want
	for _, it := range items {
		if it < 0 {
			return errors.New("negative")
		}
	}
	cancel()
	return work(ctx)
}

// Fires: in a function literal, a switch case returns.
func inClosure(parent context.Context) func(int) error {
	return func(n int) error {
		ctx, cancel := context.WithTimeout(parent, time.Second) // want
		switch n {
		case 0:
			return nil
		default:
			defer cancel()
		}
		return work(ctx)
	}
}

// Silent: defer right after.
func deferred(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	return work(ctx)
}

// Silent: called on every path.
func everyPath(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n > 0 {
		cancel()
		return nil
	}
	err := work(ctx)
	cancel()
	return err
}

// Silent: returned to the caller.
func returned(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	return ctx, cancel
}

type server struct{ stop context.CancelFunc }

// Silent: stored in a field.
func (s *server) start(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	s.stop = cancel
	go func() { _ = work(ctx) }()
}

// Silent: used in a goroutine's closure.
func inGoroutine(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		defer cancel()
		_ = work(ctx)
	}()
}

// Silent: the error branch panics.
func panics(parent context.Context, bad bool) error {
	ctx, cancel := context.WithCancel(parent)
	if bad {
		panic("bad")
	}
	defer cancel()
	return work(ctx)
}

// Silent: a named result, returned by a naked return.
func named(parent context.Context) (ctx context.Context, cancel context.CancelFunc) {
	ctx, cancel = context.WithCancel(parent)
	return
}

// Silent: an endless loop never returns.
func forever(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	_ = cancel
	for {
		_ = work(ctx)
	}
}

// Silent: assigned to a variable declared outside the literal.
func outer(parent context.Context) {
	var cancel context.CancelFunc
	f := func() {
		var ctx context.Context
		ctx, cancel = context.WithCancel(parent)
		_ = work(ctx)
	}
	f()
	cancel()
}
