// Command main: time.Tick in a command is meant to live as long as the process.
package main

import (
	"fmt"
	"time"
)

func main() {
	n := 0
	for range time.Tick(time.Millisecond) {
		n++
		if n == 3 {
			break
		}
	}
	fmt.Println(n)
}

func init() {
	t := time.NewTicker(time.Second)
	go func() {
		for range t.C {
			fmt.Print("")
		}
	}()
}
