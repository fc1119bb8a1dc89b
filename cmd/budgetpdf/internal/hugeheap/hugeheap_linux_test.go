package hugeheap

import (
	"bufio"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// eligible reads from /proc/self/smaps whether the mapping holding addr
// may have huge pages (THPeligible).
func eligible(t *testing.T, addr uintptr) bool {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in, found := false, false
	for sc.Scan() {
		line := sc.Text()
		// (a mapping's first line starts with its range, lo-hi in hex; the
		// lines about it start with a name and a colon)
		first, _, _ := strings.Cut(line, " ")
		if lo, hi, ok := strings.Cut(first, "-"); ok {
			a, err1 := strconv.ParseUint(lo, 16, 64)
			b, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				in = uint64(addr) >= a && uint64(addr) < b
				found = found || in
				continue
			}
		}
		if in && strings.HasPrefix(line, "THPeligible:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "THPeligible:")) == "1"
		}
	}
	if found {
		t.Skip("this kernel's smaps say nothing of THPeligible")
	}
	t.Fatalf("no mapping holds %#x", addr)
	return false
}

func needMadvise(t *testing.T) int64 {
	page := pageSize()
	if page == 0 {
		t.Skip("this system's transparent huge pages are not left to each program (not \"madvise\")")
	}
	return page
}

// TestAdvise: a fresh mapping, not eligible for huge pages, is after
// advise, on whole pages only.
func TestAdvise(t *testing.T) {
	page := needMadvise(t)
	m, err := unix.Mmap(-1, 0, int(5*page), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	b := m[page/2 : 4*page+page/4] // (from half a page in: three whole pages)
	addr := uintptr(unsafe.Pointer(&b[0]))
	if eligible(t, addr) {
		t.Fatal("eligible before the advice")
	}
	got, ok := advise(b, page)
	if !ok || int64(len(got)) != 3*page || uintptr(unsafe.Pointer(&got[0]))%uintptr(page) != 0 {
		t.Fatalf("advise: %d bytes, %v; want 3 whole pages", len(got), ok)
	}
	if !eligible(t, uintptr(unsafe.Pointer(&got[0]))) {
		t.Error("not eligible after the advice")
	}
	if _, ok := advise(m[1:page], page); ok {
		t.Error("advice given for less than a page")
	}
}

// TestReserve: in a young process (this test's binary again, running this
// test alone), the heap allocates from the memory Reserve advised once
// it is let go, and that memory is eligible for huge pages.
func TestReserve(t *testing.T) {
	page := needMadvise(t)
	if os.Getenv("HUGEHEAP_YOUNG") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestReserve$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "HUGEHEAP_YOUNG=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestReserve") {
			t.Fatalf("in a new process: %v\n%s", err, out)
		}
		return
	}
	advised, ok := reserve(64 << 20)
	if !ok || int64(len(advised)) < 64<<20-page {
		t.Fatalf("reserve: %d bytes, %v", len(advised), ok)
	}
	lo := uintptr(unsafe.Pointer(&advised[0]))
	hi := lo + uintptr(len(advised))
	advised = nil
	runtime.GC()
	b := make([]byte, 16<<20)
	// (the reservation began before its first whole page, where the new
	// allocation may begin too)
	p := (uintptr(unsafe.Pointer(&b[0])) + uintptr(page) - 1) &^ (uintptr(page) - 1)
	if p < lo || p >= hi {
		t.Errorf("a new allocation's first whole page at %#x, outside the memory advised [%#x, %#x)", p, lo, hi)
	}
	if !eligible(t, p) {
		t.Error("a new allocation not eligible for huge pages")
	}
	runtime.KeepAlive(b)
}

func TestReserveDeclines(t *testing.T) {
	if Reserve(0) || Reserve(-1) || Reserve(math.MaxInt64) {
		t.Error("advice given for no memory, or for a heap without a limit")
	}
	t.Setenv("GODEBUG", "madvdontneed=1, disablethp=1")
	if Reserve(64 << 20) {
		t.Error("advice given with GODEBUG disablethp=1")
	}
	for _, c := range []struct {
		godebug string
		want    bool
	}{{"", false}, {"disablethp=1", true}, {"a=1,disablethp=1", true}, {"disablethp=0", false}, {"xdisablethp=1", false}} {
		if got := disabled(c.godebug); got != c.want {
			t.Errorf("disabled(%q) = %v", c.godebug, got)
		}
	}
}
