package normalize

import (
	"slices"
	"strings"

	"github.com/budgetpdf/budgetpdf/extract"
)

// TextLine is a run of glyphs sharing a baseline, left to right.
type TextLine struct {
	Text           string  // glyph texts, with spaces where the gaps are wide
	X0, Y0, X1, Y1 float64 // union of the glyph boxes, in points
	Glyphs         []int   // indexes into the page's glyphs, left to right
}

// Box returns the line's box.
func (l TextLine) Box() Box { return Box{l.X0, l.Y0, l.X1, l.Y1} }

// Lines groups a page's glyphs into lines, top to bottom and left to right
// (Settings.SameLine, SpaceGap and ColumnGap; nil means the defaults).
// Every glyph lands in exactly one line. It runs in O(n log n).
func Lines(glyphs []extract.Glyph, s *Settings) []TextLine {
	order := make([]int, len(glyphs))
	for i := range order {
		order[i] = i
	}
	o := s.withDefaults()
	return linesOf(glyphs, order, lineRule{o.SameLine, o.SpaceGap, o.ColumnGap})
}

// lineRule is what makes glyphs one line, and where its text gets spaces:
// Settings.SameLine (or CellSameLine), SpaceGap and ColumnGap.
type lineRule struct{ sameLine, spaceGap, columnGap float64 }

// pageLines and cellLines are the line rules of a page's text and of the
// text inside a cell (set tighter).
func (s *Settings) pageLines() lineRule { return lineRule{s.SameLine, s.SpaceGap, s.ColumnGap} }
func (s *Settings) cellLines() lineRule { return lineRule{s.CellSameLine, s.SpaceGap, s.ColumnGap} }

// linesOf is Lines over the glyphs listed in idx (which it reorders); the
// lines' Glyphs index glyphs.
func linesOf(glyphs []extract.Glyph, idx []int, o lineRule) []TextLine {
	order := idx
	mid := func(i int) float64 { return (glyphs[i].Y0 + glyphs[i].Y1) / 2 }
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmpFloat(mid(a), mid(b)); c != 0 {
			return c
		}
		return cmpFloat(glyphs[a].X0, glyphs[b].X0)
	})
	// A line is a run of order: its glyphs are consecutive once sorted by
	// their middles, so each line is a sub-slice, sorted left to right in
	// place.
	var lines []TextLine
	start := 0
	var band Box
	for k, i := range order {
		g := glyphBox(&glyphs[i])
		if k > start && !band.SameLine(g, o.sameLine) {
			lines = append(lines, makeLine(glyphs, order[start:k:k], o))
			start = k
		}
		if k == start {
			// The line's band is its first glyph's: a band that grew with
			// every glyph would chain staggered lines into one.
			band = g
		}
	}
	if start < len(order) {
		lines = append(lines, makeLine(glyphs, order[start:], o))
	}
	return lines
}

func makeLine(glyphs []extract.Glyph, idx []int, o lineRule) TextLine {
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(glyphs[a].X0, glyphs[b].X0) })
	box := emptyBox()
	var b strings.Builder
	b.Grow(3 * len(idx))
	prevX1 := 0.0
	for k, i := range idx {
		g := &glyphs[i]
		if k > 0 {
			gap := g.X0 - prevX1
			switch size := max(g.Size, 1); {
			case gap > o.columnGap*size:
				b.WriteString("    ")
			case gap > o.spaceGap*size:
				b.WriteByte(' ')
			}
		}
		b.WriteString(g.Text)
		prevX1 = max(prevX1, g.X1)
		box = box.Union(glyphBox(g))
	}
	return TextLine{Text: b.String(), X0: box.X0, Y0: box.Y0, X1: box.X1, Y1: box.Y1, Glyphs: idx}
}
