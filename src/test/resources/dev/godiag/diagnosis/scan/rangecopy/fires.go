package rangecopy

import "time"

const slots = 16

type header struct {
	Name  string
	Value string
}

// 16*32 + 8 = 520 bytes
type request struct {
	headers [slots]header
	n       int
}

// 8 + 256 + 1 (+7 padding) = 272 bytes
type block struct {
	id   int64
	data [256]byte
	last bool
}

type blocks []block

func count(reqs []request) int {
	n := 0
	for _, r := range reqs { // want "each iteration of this range copies a request of 520 bytes into r; range over the index and use reqs[i] or a pointer to it"
		n += r.n
	}
	return n
}

func sum(bs blocks, byID map[int64]block) int64 {
	var s int64
	for i, b := range bs { // want "copies a block of 272 bytes into b; range over the index and use bs[i] or a pointer to it"
		s += b.id + int64(i)
	}
	for _, b := range byID { // want "copies a block of 272 bytes into b; store pointers in the map"
		s += b.id
	}
	return s
}

type withUnknown struct {
	when   time.Time
	buffer [300]byte
}

func lower(ws []withUnknown) int {
	n := 0
	for _, w := range ws { // want "copies a withUnknown of at least 300 bytes into w"
		n += len(w.buffer)
	}
	return n
}
