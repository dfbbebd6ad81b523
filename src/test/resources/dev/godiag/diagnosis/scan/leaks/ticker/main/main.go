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

// one poller per configured target, started once: it lives as long as the process, as meant
func startPollers(targets []string) {
	for _, target := range targets {
		go poll(target)
	}
}

func poll(target string) {
	t := time.NewTicker(time.Second)
	for range t.C {
		fmt.Print(target)
	}
}

// a watcher per request: each request leaves a goroutine ticking for good
type server struct{ polls int }

func (s *server) serveRounds(rounds, requests int) {
	for r := 0; r < rounds; r++ {
		for i := 0; i < requests; i++ {
			go s.watch(i)
		}
	}
}

func (s *server) watch(id int) {
	t := time.NewTicker(time.Millisecond) // want
	for range t.C {
		s.polls += id
	}
}
