//go:build !linux

package pipeline

import (
	"os"
	"syscall"
)

// BUG(isolation): Outside Linux a worker's memory is neither watched nor
// limited (Isolation.MaxMemory; MemoryLimit still applies), and a worker
// outlives a Run that is killed until its input closes.

func workerAttr() *syscall.SysProcAttr   { return nil }
func killGroup(p *os.Process)            { p.Kill() }
func limitData(pid int, max int64) error { return nil }

type memWatch struct{}

func watchMemory(pid int) *memWatch { return &memWatch{} }
func (*memWatch) resident() int64   { return 0 }
func (*memWatch) peak() int64       { return 0 }
func (*memWatch) reset()            {}
func (*memWatch) close()            {}

func growPipe(f any) {}

func watchedAttr() *syscall.SysProcAttr { return nil }
