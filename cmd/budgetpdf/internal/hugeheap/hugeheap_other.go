//go:build !linux

package hugeheap

func pageSize() int64 { return 0 }

func advise([]byte, int64) ([]byte, bool) { return nil, false }

func roomLeft() int64 { return 0 }
