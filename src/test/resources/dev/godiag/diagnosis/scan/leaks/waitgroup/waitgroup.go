// Package waitgroup holds WaitGroup.Add calls inside and outside the goroutines they count, for
// scan.waitgroup-add-in-goroutine. A "// want" comment marks each line where the check must
// report; "// vet" marks where go vet's waitgroup analyzer reports.
package waitgroup

import "sync"

func work(int) {}

var global sync.WaitGroup

// Fires: the first statement of the goroutine.
func first(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		go func() {
			wg.Add(1) // want vet
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}

// Fires: a later statement (go vet looks at the first one only).
func later(items []int) {
	wg := &sync.WaitGroup{}
	for _, it := range items {
		go func(v int) {
			work(v)
			wg.Add(1) // want
			wg.Done()
		}(it)
	}
	wg.Wait()
}

// Fires: a parameter.
func param(wg *sync.WaitGroup) {
	go func() {
		wg.Add(1) // want vet
		defer wg.Done()
		work(0)
	}()
}

// Fires: a package variable.
func pkgVar() {
	go func() {
		global.Add(1) // want vet
		defer global.Done()
	}()
	global.Wait()
}

type pool struct {
	wg sync.WaitGroup
}

// Fires: a field declared sync.WaitGroup.
func (p *pool) run(f func()) {
	go func() {
		p.wg.Add(1) // want vet
		defer p.wg.Done()
		f()
	}()
}

// Silent: Add before the go statement.
func right(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}

// Silent here, go vet reports: the goroutine adds for the goroutines it starts, and is itself
// counted before it starts.
func nested(items []int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		wg.Add(len(items)) // vet
		for _, it := range items {
			go func() {
				defer wg.Done()
				work(it)
			}()
		}
		wg.Done()
	}()
	wg.Wait()
}

type counter struct{}

func (counter) Add(int) {}
func (counter) Done()   {}

// Silent: not a WaitGroup.
func notWaitGroup(c counter) {
	go func() {
		c.Add(1)
		defer c.Done()
	}()
}

// Silent: Add for another WaitGroup than the one the goroutine is done with.
func twoGroups(a, b *sync.WaitGroup) {
	a.Add(1)
	go func() {
		defer a.Done()
		b.Add(1)
		work(1)
	}()
}

func startGoroutine(f func()) bool {
	go f()
	return true
}

// Silent: Add counts a goroutine a helper starts; the Done in a branch undoes it when that fails.
func viaHelper(wg *sync.WaitGroup, done chan struct{}) {
	go func() {
		<-done
		wg.Add(1)
		if !startGoroutine(func() { wg.Done() }) {
			wg.Done()
		}
	}()
}
