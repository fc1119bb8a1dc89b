package normalize

import (
	"slices"
	"strings"

	"github.com/budgetpdf/budgetpdf/extract"
)

// LineOptions tune line building. A nil *LineOptions means the defaults.
type LineOptions struct {
	// SameLine is the fraction of the smaller glyph height by which two
	// glyphs must overlap vertically to share a line. Default 0.5.
	SameLine float64
	// SpaceGap is the horizontal gap, as a fraction of the font size, above
	// which a space is written between two glyphs. Default 0.2.
	SpaceGap float64
	// ColumnGap is the gap, as a fraction of the font size, above which the
	// gap is shown as a wide (column) gap of several spaces. Default 2.
	ColumnGap float64
}

func (o *LineOptions) withDefaults() LineOptions {
	v := LineOptions{SameLine: 0.5, SpaceGap: 0.2, ColumnGap: 2}
	if o != nil {
		if o.SameLine > 0 {
			v.SameLine = o.SameLine
		}
		if o.SpaceGap > 0 {
			v.SpaceGap = o.SpaceGap
		}
		if o.ColumnGap > 0 {
			v.ColumnGap = o.ColumnGap
		}
	}
	return v
}

// TextLine is a run of glyphs sharing a baseline, left to right.
type TextLine struct {
	Text           string  // glyph texts, with spaces where the gaps are wide
	X0, Y0, X1, Y1 float64 // union of the glyph boxes, in points
	Glyphs         []int   // indexes into the page's glyphs, left to right
}

// Lines groups a page's glyphs into lines, top to bottom and left to right.
// Every glyph lands in exactly one line. It runs in O(n log n).
func Lines(glyphs []extract.Glyph, opts *LineOptions) []TextLine {
	order := make([]int, len(glyphs))
	for i := range order {
		order[i] = i
	}
	return linesOf(glyphs, order, opts)
}

// linesOf is Lines over the glyphs listed in idx (which it reorders); the
// lines' Glyphs index glyphs.
func linesOf(glyphs []extract.Glyph, idx []int, opts *LineOptions) []TextLine {
	o := opts.withDefaults()
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
	var top, bottom float64
	flush := func() {
		if len(cur) > 0 {
			lines = append(lines, makeLine(glyphs, cur, o))
			cur = nil
		}
	}
	for _, i := range order {
		g := glyphs[i]
		if len(cur) > 0 {
			overlap := min(bottom, g.Y1) - max(top, g.Y0)
			h := min(bottom-top, g.Y1-g.Y0)
			if h <= 0 || overlap < o.SameLine*h {
				flush()
			}
		}
		if len(cur) == 0 {
			// The line's band is its first glyph's: a band that grew with
			// every glyph would chain staggered lines into one.
			top, bottom = g.Y0, g.Y1
		}
		cur = append(cur, i)
	}
	flush()
	return lines
}

func makeLine(glyphs []extract.Glyph, idx []int, o LineOptions) TextLine {
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(glyphs[a].X0, glyphs[b].X0) })
	l := TextLine{Glyphs: idx, X0: glyphs[idx[0]].X0, Y0: glyphs[idx[0]].Y0, X1: glyphs[idx[0]].X1, Y1: glyphs[idx[0]].Y1}
	var b strings.Builder
	prevX1 := 0.0
	for k, i := range idx {
		g := glyphs[i]
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
		l.X0, l.Y0 = min(l.X0, g.X0), min(l.Y0, g.Y0)
		l.X1, l.Y1 = max(l.X1, g.X1), max(l.Y1, g.Y1)
	}
	l.Text = b.String()
	return l
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
