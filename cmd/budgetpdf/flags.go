package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// parseInterspersed parses flags that may come before or after the
// positional arguments ("budgetpdf text FILE -pages 3"), and returns the
// positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// pageSet is a set of 1-based page numbers parsed from "3-5,7,10-".
type pageSet struct {
	ranges [][2]int // inclusive; 0 as upper bound means "to the end"
}

func parsePages(s string) (pageSet, error) {
	var ps pageSet
	if strings.TrimSpace(s) == "" {
		return ps, nil
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 1 {
			return ps, fmt.Errorf("%w: bad page range %q", errUsage, part)
		}
		b := a
		if isRange {
			b = 0
			if hi != "" {
				if b, err = strconv.Atoi(hi); err != nil || b < a {
					return ps, fmt.Errorf("%w: bad page range %q", errUsage, part)
				}
			}
		}
		ps.ranges = append(ps.ranges, [2]int{a, b})
	}
	return ps, nil
}

// pages lists the selected pages of a document of n pages, in order.
func (ps pageSet) pages(n int) []int {
	if len(ps.ranges) == 0 {
		out := make([]int, n)
		for i := range out {
			out[i] = i + 1
		}
		return out
	}
	var out []int
	seen := make(map[int]bool)
	for _, r := range ps.ranges {
		hi := r[1]
		if hi == 0 || hi > n {
			hi = n
		}
		for p := r[0]; p <= hi; p++ {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}
