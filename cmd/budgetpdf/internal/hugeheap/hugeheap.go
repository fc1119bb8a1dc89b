// Package hugeheap has the kernel back this process's Go heap with
// transparent huge pages (Linux), where the system leaves them to each
// program ("madvise", the default of many distributions).
//
// A run touches a few hundred MB of fresh heap per process, and each
// first touch of a 4 KiB page is a page fault. On the virtual machines
// crawls run on, a fault costs several microseconds (11 µs on the
// machine the README's figures come from, whose hypervisor keeps the
// page tables itself): over the corpus, 75,000 faults were a fifth of
// the run's CPU time. A 2 MiB page takes one fault for 512 pages. The
// Go runtime does not ask for huge pages for its heap (only for some of
// its own tables: sysHugePage in its sources); Java's
// -XX:+UseTransparentHugePages asks for them for Java's heap.
package hugeheap

import (
	"math"
	"os"
	"strings"
)

// Reserve allocates size bytes of heap while the heap is young (call it
// first thing, before the process has freed memory: then the allocation
// is fresh memory, which is not cleared, so none of it is touched),
// advises the kernel to back it with huge pages, and lets it go. The
// runtime allocates from the lowest free addresses, so the heap grows
// into it: up to size bytes of heap are then faulted in 2 MiB at a time.
// size is meant to be the heap's soft limit (GOMEMLIMIT); with none
// (math.MaxInt64) nothing is reserved, and size is at most maxReserve and
// a quarter of the process's limits on its data and address space. It
// reports whether the advice was given: false where the system never
// gives huge pages, always gives them, or on other systems, or with
// GODEBUG disablethp=1 (the runtime's own switch against them).
func Reserve(size int64) bool {
	_, ok := reserve(size)
	return ok
}

// reserve is Reserve, which also returns the memory advised.
func reserve(size int64) (advised []byte, ok bool) {
	if size <= 0 || size == math.MaxInt64 || disabled(os.Getenv("GODEBUG")) {
		return nil, false
	}
	page := pageSize()
	size = min(size, maxReserve, roomLeft())
	if page <= 0 || size < 2*page {
		return nil, false
	}
	return advise(make([]byte, size), page)
}

// maxReserve bounds Reserve's size: the heaps of a run's processes stay
// far under it.
const maxReserve = 1 << 30

// disabled reports whether GODEBUG (its value) turns huge pages off.
func disabled(godebug string) bool {
	for kv := range strings.SplitSeq(godebug, ",") {
		if strings.TrimSpace(kv) == "disablethp=1" {
			return true
		}
	}
	return false
}
