// The guest: a Go wasip1 reactor (go build -buildmode=c-shared) with a few
// //go:wasmexport functions. The Go runtime is set up by the reactor's
// _initialize export; a wasmexport function called before it aborts with
// "runtime: wasmexport function called before runtime initialization".
// Hosts that instantiate a core module and call its exports directly never
// call _initialize, which is what wasm-taskwrap --init-once is for.
//
// Strings cross linear memory: the host asks alloc for a buffer, writes the
// bytes there and passes (ptr, len); a string result comes back packed in a
// uint64 as ptr<<32 | len (a wasmexport function has at most one result).
package main

import (
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strings"
	"time"
	"unsafe"
)

// pinned keeps every buffer handed to the host reachable, so the collector
// does not reclaim it while the host still reads or writes it (Go's
// collector does not move objects, so the address stays valid).
var pinned = map[uint32][]byte{}

// bytesAt is the string at a host-given address. The uintptr-to-pointer
// conversion is what go vet calls a possible misuse; here the address is one
// alloc handed out (or the guest's own memory), not a hidden Go pointer.
func bytesAt(ptr, n uint32) string {
	if n == 0 {
		return ""
	}
	return unsafe.String((*byte)(unsafe.Pointer(uintptr(ptr))), n)
}

func give(s string) uint64 {
	p := alloc(uint32(len(s)))
	copy(pinned[p], s)
	return uint64(p)<<32 | uint64(len(s))
}

//go:wasmexport alloc
func alloc(size uint32) uint32 {
	b := make([]byte, size+1) // +1: a distinct address even for size 0
	p := uint32(uintptr(unsafe.Pointer(&b[0])))
	pinned[p] = b
	return p
}

//go:wasmexport release
func release(ptr uint32) {
	delete(pinned, ptr)
}

//go:wasmexport pinned_count
func pinnedCount() uint32 {
	return uint32(len(pinned))
}

// shout returns the string upper-cased, with "!" appended.
//
//go:wasmexport shout
func shout(ptr, n uint32) uint64 {
	return give(strings.ToUpper(bytesAt(ptr, n)) + "!")
}

// tally counts the words of the string in a map, prints the counts to
// stdout in word order and a summary line to stderr, and returns the number
// of distinct words.
//
//go:wasmexport tally
func tally(ptr, n uint32) uint32 {
	counts := map[string]int{}
	for _, w := range strings.Fields(bytesAt(ptr, n)) {
		counts[w]++
	}
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	sort.Strings(words)
	for _, w := range words {
		fmt.Printf("%s=%d\n", w, counts[w])
	}
	fmt.Fprintf(os.Stderr, "tally: %d distinct\n", len(counts))
	return uint32(len(counts))
}

// greet prints a greeting to stdout.
//
//go:wasmexport greet
func greet() {
	fmt.Println("hello from Go", 1+1)
}

//go:wasmexport now_unix
func nowUnix() int64 {
	return time.Now().Unix()
}

// elapsed_ok is 1 when the monotonic clock did not go backwards across two
// readings.
//
//go:wasmexport elapsed_ok
func elapsedOK() int32 {
	t0 := time.Now()
	if time.Since(t0) >= 0 {
		return 1
	}
	return 0
}

//go:wasmexport rand_n
func randN(n int32) int32 {
	return rand.Int31n(n)
}

func main() {}
