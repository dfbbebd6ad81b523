package deferloop

import (
	"context"
	"time"
)

// a ticker fires again and again: each tick stacks another deferred cancel
func everyTick(ctx context.Context, t *time.Ticker, out chan error) {
	for {
		select {
		case <-t.C:
			tctx, cancel := context.WithCancel(ctx)
			defer cancel() // want "loop at line 10"
			out <- tctx.Err()
		case <-ctx.Done():
			return
		}
	}
}
