package normalize

import (
	"slices"
	"strings"
	"testing"

	"github.com/budgetpdf/budgetpdf/extract"
)

// glyphsFromGrid builds 10 pt glyphs from rows of text: each rune is one
// glyph 10 pt wide, rows 20 pt apart; a space leaves a gap.
func glyphsFromGrid(rows ...string) []extract.Glyph {
	var gs []extract.Glyph
	for r, row := range rows {
		for c, ch := range []rune(row) {
			if ch == ' ' {
				continue
			}
			x := float64(c) * 10
			y := float64(r) * 20
			gs = append(gs, extract.Glyph{Text: string(ch), Size: 10, X0: x, Y0: y, X1: x + 10, Y1: y + 10})
		}
	}
	return gs
}

func TestLines(t *testing.T) {
	tests := []struct {
		name string
		in   []extract.Glyph
		want string
	}{
		{"rows", glyphsFromGrid("合计 12", "项目"), "合计 12|项目"},
		{"column gap", glyphsFromGrid("名称     1,234.50"), "名称    1,234.50"},
		{"drawing order does not matter", reverse(glyphsFromGrid("abc", "de")), "abc|de"},
		{"superscript stays on its line", append(glyphsFromGrid("ab"), extract.Glyph{Text: "2", Size: 5, X0: 20, Y0: -2, X1: 25, Y1: 5}), "ab2"},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			seen := 0
			for _, l := range Lines(tt.in, nil) {
				got = append(got, l.Text)
				seen += len(l.Glyphs)
			}
			if strings.Join(got, "|") != tt.want {
				t.Errorf("got %q, want %q", strings.Join(got, "|"), tt.want)
			}
			if seen != len(tt.in) {
				t.Errorf("%d glyphs in lines, want %d", seen, len(tt.in))
			}
		})
	}
}

func reverse(gs []extract.Glyph) []extract.Glyph {
	for i, j := 0, len(gs)-1; i < j; i, j = i+1, j-1 {
		gs[i], gs[j] = gs[j], gs[i]
	}
	return gs
}

// FuzzSortByMiddle: the keyed sort of glyphs (insertion sort for a few,
// slices.SortFunc for many) orders them as the plain stable sort by
// middle, then left edge, does, ties included (coordinates are drawn from
// a few values, so that many glyphs share them).
func FuzzSortByMiddle(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, uint8(10))
	f.Add([]byte{9, 9, 9, 9, 1, 1, 1, 1, 5, 5, 5, 5}, uint8(70))
	f.Fuzz(func(t *testing.T, seed []byte, n uint8) {
		if len(seed) == 0 {
			return
		}
		glyphs := make([]extract.Glyph, int(n)+len(seed))
		for i := range glyphs {
			b := seed[i%len(seed)] ^ byte(i*7)
			y := float64(b%5) * 3
			glyphs[i] = extract.Glyph{X0: float64(b/5%7) * 4, Y0: y, Y1: y + 1 + float64(b%3)}
		}
		idx := make([]int, len(glyphs))
		for i := range idx {
			idx[i] = len(idx) - 1 - i // not the glyphs' order
		}
		want := slices.Clone(idx)
		mid := func(i int) float64 { return (glyphs[i].Y0 + glyphs[i].Y1) / 2 }
		slices.SortStableFunc(want, func(a, b int) int {
			if c := cmpFloat(mid(a), mid(b)); c != 0 {
				return c
			}
			return cmpFloat(glyphs[a].X0, glyphs[b].X0)
		})
		sortByMiddle(glyphs, idx)
		if !slices.Equal(idx, want) {
			t.Fatalf("sortByMiddle %v, want %v", idx, want)
		}
		runs := slices.Clone(want)
		sortByX0(glyphs, runs)
		slices.SortStableFunc(want, func(a, b int) int { return cmpFloat(glyphs[a].X0, glyphs[b].X0) })
		if !slices.Equal(runs, want) {
			t.Fatalf("sortByX0 %v, want %v", runs, want)
		}
	})
}
