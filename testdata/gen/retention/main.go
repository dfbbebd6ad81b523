// Command retention builds heap structures of known sizes, each kept alive by one kind of root,
// prints what it allocated for each as JSON on stdout and writes a heap dump with
// debug.WriteHeapDump, so that a reader of the dump can be checked against the program's own
// accounting.
//
// Every buffer's size is a multiple of 8 KiB above 32 KiB, so the allocator gives each its own
// span of exactly that size: the dump's object sizes equal what is reported here, with no
// size-class rounding.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"unsafe"
)

type session struct {
	id   int
	data []byte
}

// sessions: a global map of pointers to structs holding buffers.
var sessions = map[int]*session{}

// pinned: small sub-slices of large buffers, each pinning its whole buffer.
var pinned [][]byte

// chain: a linked list, as deep as it is long (a dominator path of chain nodes).
var chain *node

type node struct {
	next *node
	id   int
	pad  [4]int
}

type resource struct {
	payload []byte
}

// kept: an object with a finalizer that a global holds too; the global retains it.
var kept *resource

// held and lastErr: structs behind an empty and a non-empty interface, whose dynamic types only
// the dump's type words and itabs say.
type boxed struct {
	id      int
	payload []byte
}

type failure struct {
	detail []byte
}

func (f *failure) Error() string { return "failure" }

var held any

var lastErr error

const (
	sessionBuf = 40 << 10 // 40 KiB
	pinnedBuf  = 1 << 20  // 1 MiB
	stackBuf   = 4 << 20  // 4 MiB
	finalBuf   = 2 << 20  // 2 MiB
	keptBuf    = 3 << 20  // 3 MiB
	heldBuf    = 8 << 10  // 8 KiB: a size class of its own
	errBuf     = 4 << 10  // 4 KiB: a size class of its own
)

// report is what the program allocated per structure: the buffers (payload) and the structs
// holding them, whose sizes (32, 24 and 48 bytes on 64-bit) are size classes of their own; the map's
// buckets and the slice's backing array come on top.
type report struct {
	Sessions       int    `json:"sessions"`
	SessionStruct  uint64 `json:"session_struct"`
	SessionPayload uint64 `json:"session_payload"`
	Pinned         int    `json:"pinned"`
	PinnedPayload  uint64 `json:"pinned_payload"`
	ChainNodes     int    `json:"chain_nodes"`
	ChainNode      uint64 `json:"chain_node"`
	StackPayload   uint64 `json:"stack_payload"`
	StackGoroutine string `json:"stack_function"`
	FinalStruct    uint64 `json:"finalizer_struct"`
	FinalPayload   uint64 `json:"finalizer_payload"`
	FinalFunction  string `json:"finalizer_function"`
	KeptPayload    uint64 `json:"kept_payload"`
	HeldPayload    uint64 `json:"held_payload"`
	ErrPayload     uint64 `json:"err_payload"`
	// the globals' types as %T prints them, which is how Go's DWARF names them too
	SessionsType string `json:"sessions_type"`
	PinnedType   string `json:"pinned_type"`
	ChainType    string `json:"chain_type"`
}

// holdBuffer blocks holding a buffer in its frame. Not inlined: Go 1.21 and later would inline it
// into the go statement's wrapper (main.main.gowrap1), whose frame would then be the root.
//
//go:noinline
func holdBuffer(ready chan<- struct{}, block <-chan struct{}) {
	buf := make([]byte, stackBuf)
	buf[0] = 1
	ready <- struct{}{}
	<-block
	runtime.KeepAlive(buf)
}

// printLayout prints, as JSON, the sizes and field offsets the compiler gave the structs, to
// check a DWARF reader's type table against.
func printLayout() {
	var s session
	var n node
	layout := map[string]uintptr{
		"main.session":          unsafe.Sizeof(s),
		"main.session.id":       unsafe.Offsetof(s.id),
		"main.session.data":     unsafe.Offsetof(s.data),
		"main.node":             unsafe.Sizeof(n),
		"main.node.next":        unsafe.Offsetof(n.next),
		"main.node.id":          unsafe.Offsetof(n.id),
		"main.node.pad":         unsafe.Offsetof(n.pad),
		"main.resource":         unsafe.Sizeof(resource{}),
		"main.resource.payload": unsafe.Offsetof(resource{}.payload),
	}
	if err := json.NewEncoder(os.Stdout).Encode(layout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// release and keptDone are the finalizers, named functions so that the roots have stable names.
func release(*resource) {}

func keptDone(*resource) {}

func main() {
	out := flag.String("out", "heap.dump", "the heap dump to write")
	scale := flag.Int("scale", 1, "multiplies the number of sessions and pinned buffers")
	chainLen := flag.Int("chain", 1000, "the number of nodes in the linked list")
	layoutOnly := flag.Bool("layout", false, "print the structs' layouts as the compiler laid them out, and exit")
	flag.Parse()
	if *layoutOnly {
		printLayout()
		return
	}
	runtime.MemProfileRate = 1 // every object's allocation site is in the dump

	var r report
	r.Sessions = 200 * *scale
	r.SessionStruct = uint64(unsafe.Sizeof(session{}))
	for i := 0; i < r.Sessions; i++ {
		sessions[i] = &session{id: i, data: make([]byte, sessionBuf)}
		r.SessionPayload += sessionBuf
	}
	r.Pinned = 20 * *scale
	for i := 0; i < r.Pinned; i++ {
		buf := make([]byte, pinnedBuf)
		pinned = append(pinned, buf[100:116])
		r.PinnedPayload += pinnedBuf
	}

	r.ChainNodes = *chainLen
	r.ChainNode = uint64(unsafe.Sizeof(node{}))
	for i := 0; i < r.ChainNodes; i++ {
		chain = &node{next: chain, id: i}
	}

	ready, block := make(chan struct{}), make(chan struct{})
	go holdBuffer(ready, block)
	<-ready
	r.StackPayload = stackBuf
	r.StackGoroutine = "main.holdBuffer"

	held = &boxed{id: 1, payload: make([]byte, heldBuf)}
	r.HeldPayload = heldBuf
	lastErr = &failure{detail: make([]byte, errBuf)}
	r.ErrPayload = errBuf

	kept = &resource{payload: make([]byte, keptBuf)}
	runtime.SetFinalizer(kept, keptDone)
	r.KeptPayload = keptBuf

	runtime.GC()
	// No collection from here to the dump: the resource below is reachable only through its
	// finalizer, and a collection would queue the finalizer and then free it.
	debug.SetGCPercent(-1)
	res := &resource{payload: make([]byte, finalBuf)}
	runtime.SetFinalizer(res, release)
	r.FinalStruct = uint64(unsafe.Sizeof(resource{}))
	r.FinalPayload = finalBuf
	r.FinalFunction = "main.release"
	res = nil

	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	debug.WriteHeapDump(f.Fd())
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	r.SessionsType = fmt.Sprintf("%T", sessions)
	r.PinnedType = fmt.Sprintf("%T", pinned)
	r.ChainType = fmt.Sprintf("%T", chain)
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	close(block)
}
