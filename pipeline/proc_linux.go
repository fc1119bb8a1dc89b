package pipeline

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

// The worker processes' memory, read from /proc (proc(5)) and limited with
// prlimit(2).

// workerAttr puts a worker in a process group of its own, so that a
// terminal's Ctrl-C reaches only Run (which then stops its workers), and
// has the kernel kill it if Run dies (kill -9 of the run): a worker whose
// input closes would end only after its document. (Pdeathsig follows the
// thread that started the worker; the Go runtime keeps its threads, and
// nothing here locks one to a goroutine.)
func workerAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// limitData limits the process's data segment to max bytes (RLIMIT_DATA:
// private writable mappings, the Go heap among them): an allocation over
// it fails, and the Go runtime ends with "fatal error: runtime: out of
// memory".
func limitData(pid int, max int64) error {
	lim := syscall.Rlimit{Cur: uint64(max), Max: uint64(max)}
	_, _, errno := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), syscall.RLIMIT_DATA, uintptr(unsafe.Pointer(&lim)), 0, 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

// resident returns the process's resident memory in bytes, 0 when it
// cannot be read (the process ended).
func resident(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(string(f[1]), 10, 64)
	return pages * int64(os.Getpagesize())
}

// peakResident returns the most resident memory the process held since it
// started or since resetPeak, in bytes (VmHWM); 0 when it cannot be read.
func peakResident(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	_, rest, ok := bytes.Cut(b, []byte("\nVmHWM:"))
	if !ok {
		return 0
	}
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	f := bytes.Fields(line) // "123456 kB"
	if len(f) == 0 {
		return 0
	}
	kb, _ := strconv.ParseInt(string(f[0]), 10, 64)
	return kb << 10
}

// resetPeak starts the process's peak resident memory again from what it
// holds now (clear_refs 5), so that peakResident is per document.
func resetPeak(pid int) {
	os.WriteFile("/proc/"+strconv.Itoa(pid)+"/clear_refs", []byte("5"), 0)
}
