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

// killGroup kills a worker and every process of its group (workerAttr
// makes it the group's leader): a worker command that is a wrapper
// ("sh -c", "timeout") would otherwise leave the worker it started
// running, holding the output open.
func killGroup(p *os.Process) {
	if syscall.Kill(-p.Pid, syscall.SIGKILL) != nil {
		p.Kill()
	}
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

// memWatch reads a worker's memory from /proc, its files opened once.
type memWatch struct {
	statm, status, clearRefs *os.File // nil when they cannot be opened
	buf                      []byte
}

func watchMemory(pid int) *memWatch {
	dir := "/proc/" + strconv.Itoa(pid) + "/"
	m := &memWatch{buf: make([]byte, 4096)}
	m.statm, _ = os.Open(dir + "statm")
	m.status, _ = os.Open(dir + "status")
	m.clearRefs, _ = os.OpenFile(dir+"clear_refs", os.O_WRONLY, 0)
	return m
}

// read reads all of f (at most len(m.buf) bytes) from its start.
func (m *memWatch) read(f *os.File) []byte {
	if f == nil {
		return nil
	}
	n, _ := f.ReadAt(m.buf, 0)
	return m.buf[:n]
}

// resident returns the process's resident memory in bytes, 0 when it
// cannot be read (the process ended).
func (m *memWatch) resident() int64 {
	f := bytes.Fields(m.read(m.statm))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(string(f[1]), 10, 64)
	return pages * int64(os.Getpagesize())
}

// peak returns the most resident memory the process held since it
// started or since reset, in bytes (VmHWM); 0 when it cannot be read.
func (m *memWatch) peak() int64 {
	_, rest, ok := bytes.Cut(m.read(m.status), []byte("\nVmHWM:"))
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

// reset starts the process's peak resident memory again from what it
// holds now (clear_refs 5), so that peak is per document.
func (m *memWatch) reset() {
	if m.clearRefs != nil {
		m.clearRefs.Write([]byte("5"))
	}
}

func (m *memWatch) close() {
	for _, f := range []*os.File{m.statm, m.status, m.clearRefs} {
		if f != nil {
			f.Close()
		}
	}
}

// pipeSize is the capacity asked for the pipe a worker writes its answers
// to (F_SETPIPE_SZ; Linux allows up to /proc/sys/fs/pipe-max-size, 1 MiB
// by default): an answer of a few MB then crosses in a few writes, not in
// one switch between the processes per 64 KiB.
const pipeSize = 1 << 20

// growPipe asks for a pipe of pipeSize; a pipe that cannot grow keeps its
// size.
// (Through SyscallConn: Fd would set the pipe blocking, and a reading
// goroutine would then hold a thread.)
func growPipe(f any) {
	if sc, ok := f.(syscall.Conn); ok {
		if rc, err := sc.SyscallConn(); err == nil {
			rc.Control(func(fd uintptr) { syscall.Syscall(syscall.SYS_FCNTL, fd, 1031 /* F_SETPIPE_SZ */, pipeSize) })
		}
	}
}

// watchedAttr has the kernel kill a watched run's process when its
// watcher dies (kill -9 of the watcher). It stays in its watcher's
// process group: a terminal's Ctrl-C reaches both, and the run stops as
// a run in one process does.
func watchedAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
