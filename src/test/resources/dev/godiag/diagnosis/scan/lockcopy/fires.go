package lockcopy

import (
	"fmt"
	"sync"
)

type counter struct {
	mu sync.Mutex
	n  map[string]int
}

type registry struct {
	name string
	c    counter
}

type group struct {
	wg sync.WaitGroup
}

type table [4]counter

func (c counter) Get(k string) int { // want "counter.Get has a value receiver, so each call copies the counter with its field mu (sync.Mutex) and locks the copy; use a pointer receiver (*counter)"
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[k]
}

func (r registry) Name() string { // want "field c.mu (sync.Mutex)"
	return r.name
}

func wait(g group) { // want "parameter g of wait takes a group by value, copying its field wg (sync.WaitGroup) on every call; pass a pointer"
	g.wg.Wait()
}

func snapshot(p *counter, t *table) int {
	c := *p          // want "assigning *p to c copies a counter with its field mu (sync.Mutex); copy a pointer, or only the fields without the lock"
	var first = t[0] // want "assigning t[0] to first"
	return len(c.n) + len(first.n)
}

func total(cs []counter) int {
	n := 0
	for _, c := range cs { // want "the range value c is a copy of each counter with its field mu (sync.Mutex), so locking it locks a copy"
		n += len(c.n)
	}
	return n
}

func show(r *registry) {
	fmt.Println(r.c) // want "passing r.c to fmt.Println by value copies a counter with its field mu (sync.Mutex); pass a pointer"
	var mu sync.RWMutex
	other := mu // want "assigning mu to other copies a sync.RWMutex; copy a pointer"
	_ = &other
}
