// Command main: returning from main ends the process, so its contexts need no cancel.
package main

import (
	"context"
	"fmt"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	if ctx.Err() != nil {
		return
	}
	fmt.Println(ctx.Err())
	cancel()
}
