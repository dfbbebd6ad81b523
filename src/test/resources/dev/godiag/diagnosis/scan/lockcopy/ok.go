package lockcopy

import "sync"

type safe struct {
	mu *sync.Mutex
	n  int
}

type cache struct {
	mu    sync.Mutex
	items []string
}

// pointer receivers and parameters
func (c *cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

func fill(c *cache, items []string) {
	c.items = items
}

// a lock through a pointer is shared, not copied
func (s safe) N() int {
	return s.n
}

func shared(s safe) int {
	return s.n
}

// new values, not copies
func fresh() *cache {
	c := cache{items: nil}
	return &c
}

// pointers to the elements
func lens(cs []cache) int {
	n := 0
	for i := range cs {
		c := &cs[i]
		n += c.Len()
	}
	ps := make([]*cache, 0, len(cs))
	for _, p := range ps {
		n += p.Len()
	}
	return n
}

// copying fields without the lock
func items(c *cache) []string {
	its := c.items
	return its
}
