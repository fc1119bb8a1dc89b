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
	return linesOf(glyphs, order, s)
}

// linesOf is Lines over the glyphs listed in idx (which it reorders); the
// lines' Glyphs index glyphs.
func linesOf(glyphs []extract.Glyph, idx []int, s *Settings) []TextLine {
	o := s.withDefaults()
	order := idx
	mid := func(i int) float64 { return (glyphs[i].Y0 + glyphs[i].Y1) / 2 }
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmpFloat(mid(a), mid(b)); c != 0 {
			return c
		}
		return cmpFloat(glyphs[a].X0, glyphs[b].X0)
	})
	var lines []TextLine
	var cur []int
	var band Box
	flush := func() {
		if len(cur) > 0 {
			lines = append(lines, makeLine(glyphs, cur, &o))
			cur = nil
		}
	}
	for _, i := range order {
		g := glyphBox(&glyphs[i])
		if len(cur) > 0 && !band.SameLine(g, o.SameLine) {
			flush()
		}
		if len(cur) == 0 {
			// The line's band is its first glyph's: a band that grew with
			// every glyph would chain staggered lines into one.
			band = g
		}
		cur = append(cur, i)
	}
	flush()
	return lines
}

func makeLine(glyphs []extract.Glyph, idx []int, o *Settings) TextLine {
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(glyphs[a].X0, glyphs[b].X0) })
	box := emptyBox()
	var b strings.Builder
	prevX1 := 0.0
	for k, i := range idx {
		g := &glyphs[i]
		if k > 0 {
			gap := g.X0 - prevX1
			switch size := max(g.Size, 1); {
			case gap > o.ColumnGap*size:
				b.WriteString("    ")
			case gap > o.SpaceGap*size:
				b.WriteByte(' ')
			}
		}
		b.WriteString(g.Text)
		prevX1 = max(prevX1, g.X1)
		box = box.Union(glyphBox(g))
	}
	return TextLine{Text: b.String(), X0: box.X0, Y0: box.Y0, X1: box.X1, Y1: box.Y1, Glyphs: idx}
}
