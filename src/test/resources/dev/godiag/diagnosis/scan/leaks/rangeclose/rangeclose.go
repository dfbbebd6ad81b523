// Package rangeclose holds goroutines ranging over channels, closed or not, for
// scan.range-unclosed-channel. A "// want" comment marks each line where the check must report.
package rangeclose

import "sync"

func use(int) {}

// Fires: the producer loop never closes jobs.
func fanOut(items []int) {
	jobs := make(chan int)
	go func() {
		for j := range jobs { // want
			use(j)
		}
	}()
	for _, it := range items {
		jobs <- it
	}
}

// Fires: a buffered channel and a var declaration.
func buffered(items []int) {
	var results = make(chan int, len(items))
	go func() {
		for r := range results { // want
			use(r)
		}
	}()
	for _, it := range items {
		results <- it * 2
	}
}

// Fires: a local function ranging over its parameter.
func toWorker(items []int) {
	work := make(chan int)
	go worker(work) // want
	for _, it := range items {
		work <- it
	}
}

func worker(in <-chan int) {
	for v := range in {
		use(v)
	}
}

// Silent: closed after the last send.
func closed(items []int) {
	jobs := make(chan int)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for j := range jobs {
			use(j)
		}
	}()
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
	<-done
}

// Silent: closed by the producer goroutine, after a WaitGroup.
func closedByProducer(items []int) {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func(v int) {
			defer wg.Done()
			out <- v
		}(it)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	for v := range out {
		use(v)
	}
}

// Silent: the channel is returned; the caller may close it.
func returned() chan<- int {
	in := make(chan int)
	go func() {
		for v := range in {
			use(v)
		}
	}()
	return in
}

// Silent: passed to code that may close it.
func passedOn(items []int) {
	in := make(chan int)
	go func() {
		for v := range in {
			use(v)
		}
	}()
	feed(in, items)
}

func feed(in chan<- int, items []int) {
	for _, it := range items {
		in <- it
	}
	close(in)
}

// Silent: the worker function closes what it gets.
func toClosingWorker() {
	c := make(chan int)
	go drainAndClose(c)
	c <- 1
}

func drainAndClose(c chan int) {
	for v := range c {
		use(v)
		close(c)
	}
}

// Silent: ranged over in this goroutine, not in a new one.
func inline(items []int) {
	c := make(chan int, len(items))
	for _, it := range items {
		c <- it
	}
	close(c)
	for v := range c {
		use(v)
	}
}
