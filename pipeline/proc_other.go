//go:build !linux

package pipeline

import "syscall"

// BUG(isolation): Outside Linux a worker's memory is neither watched nor
// limited (Isolation.MaxMemory; MemoryLimit still applies), and a worker
// outlives a Run that is killed until its input closes.

func workerAttr() *syscall.SysProcAttr   { return nil }
func limitData(pid int, max int64) error { return nil }
func resident(pid int) int64             { return 0 }
func peakResident(pid int) int64         { return 0 }
func resetPeak(pid int)                  {}
