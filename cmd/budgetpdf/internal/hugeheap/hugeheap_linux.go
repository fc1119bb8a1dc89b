package hugeheap

import (
	"math"
	"os"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The kernel's settings of transparent huge pages.
const (
	thpEnabled  = "/sys/kernel/mm/transparent_hugepage/enabled"
	thpPageSize = "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"
)

// pageSize is the size of a transparent huge page, or 0 when advice
// would change nothing: the kernel has none, or gives them to every
// program ("always"), or to none ("never").
func pageSize() int64 {
	mode, err := os.ReadFile(thpEnabled)
	if err != nil || !strings.Contains(string(mode), "[madvise]") {
		return 0
	}
	b, err := os.ReadFile(thpPageSize)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || n <= 0 || n&(n-1) != 0 {
		return 0
	}
	return n
}

// advise advises huge pages for the whole pages of size page within b,
// and returns them.
func advise(b []byte, page int64) ([]byte, bool) {
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	off := (uintptr(page) - p%uintptr(page)) % uintptr(page)
	if off >= uintptr(len(b)) {
		return nil, false
	}
	n := (uintptr(len(b)) - off) &^ (uintptr(page) - 1)
	if n == 0 {
		return nil, false
	}
	b = b[off : off+n]
	return b, unix.Madvise(b, unix.MADV_HUGEPAGE) == nil
}

// roomLeft is a quarter of the least of the process's limits on its data
// and its address space (an allocation over them would be fatal: the
// runtime does not return an error for it), or no bound.
func roomLeft() int64 {
	room := int64(math.MaxInt64)
	for _, res := range []int{unix.RLIMIT_DATA, unix.RLIMIT_AS} {
		var lim unix.Rlimit
		if unix.Getrlimit(res, &lim) == nil && lim.Cur != unix.RLIM_INFINITY && lim.Cur < math.MaxInt64 {
			room = min(room, int64(lim.Cur)/4)
		}
	}
	return room
}
