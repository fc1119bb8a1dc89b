package normalize

import (
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
