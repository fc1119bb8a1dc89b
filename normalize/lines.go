package normalize

import (
	"slices"
	"strings"
	"sync"

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
	runs := lineRuns(glyphs, idx, o.sameLine)
	if runs == nil {
		return nil
	}
	lines := make([]TextLine, len(runs))
	for k, run := range runs {
		lines[k] = makeLine(glyphs, run, o)
	}
	return lines
}

// lineRuns groups the glyphs listed in idx into lines, top to bottom, the
// way linesOf does, without making their text: each line is a sub-slice of
// idx (which it reorders), left to right.
func lineRuns(glyphs []extract.Glyph, idx []int, sameLine float64) [][]int {
	if len(idx) == 0 {
		return nil
	}
	// A line is a run of idx: its glyphs are consecutive once sorted by
	// their middles, so each line is a sub-slice, sorted left to right in
	// place.
	sortByMiddle(glyphs, idx)
	runs := make([][]int, 0, countLines(glyphs, idx, sameLine))
	start := 0
	var band Box
	for k, i := range idx {
		g := glyphBox(&glyphs[i])
		if k > start && !band.SameLine(g, sameLine) {
			runs = append(runs, idx[start:k:k])
			start = k
		}
		if k == start {
			// The line's band is its first glyph's: a band that grew with
			// every glyph would chain staggered lines into one.
			band = g
		}
	}
	runs = append(runs, idx[start:])
	for _, run := range runs {
		sortByX0(glyphs, run)
	}
	return runs
}

// sortByX0 sorts glyph indexes left to right, keeping the order of equal
// left edges (a stable sort).
func sortByX0(glyphs []extract.Glyph, idx []int) {
	if len(idx) > insertionSortMax {
		slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(glyphs[a].X0, glyphs[b].X0) })
		return
	}
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && glyphs[idx[j]].X0 < glyphs[idx[j-1]].X0; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
}

// countLines is the number of lines lineRuns makes of idx, sorted.
func countLines(glyphs []extract.Glyph, idx []int, sameLine float64) int {
	n, start := 0, 0
	var band Box
	for k, i := range idx {
		g := glyphBox(&glyphs[i])
		if k > start && !band.SameLine(g, sameLine) {
			n++
			start = k
		}
		if k == start {
			band = g
		}
	}
	return n + 1
}

// middleKey is a glyph's sort key in sortByMiddle: its middle, its left
// edge, its position in the input, and the glyph.
type middleKey struct {
	mid, x0   float64
	at, glyph int32
}

// compare orders keys by middle, then left edge, then input position.
func (a middleKey) compare(b middleKey) int {
	if c := cmpFloat(a.mid, b.mid); c != 0 {
		return c
	}
	if c := cmpFloat(a.x0, b.x0); c != 0 {
		return c
	}
	return int(a.at - b.at)
}

// insertionSortMax is the most items sorted by insertion, with the
// comparison inlined, rather than by the slices sorts: a cell's glyphs, a
// line's.
const insertionSortMax = 16

// middleKeys holds the key buffers of sortByMiddle for reuse.
var middleKeys = sync.Pool{New: func() any { return new([]middleKey) }}

// sortByMiddle sorts glyph indexes by their vertical middles, then left
// to right, keeping the given order among equals (a stable sort). The keys
// are computed once, not in every comparison.
func sortByMiddle(glyphs []extract.Glyph, idx []int) {
	if len(idx) <= smallSort {
		var small [smallSort]middleKey // a cell's glyphs, without the pool
		sortByKeys(glyphs, idx, small[:len(idx)])
		return
	}
	buf := middleKeys.Get().(*[]middleKey)
	defer middleKeys.Put(buf)
	*buf = slices.Grow((*buf)[:0], len(idx))[:len(idx)]
	sortByKeys(glyphs, idx, *buf)
}

// smallSort is the most glyphs sortByMiddle sorts with keys on the stack.
const smallSort = 64

// sortByKeys is sortByMiddle with room for the keys.
func sortByKeys(glyphs []extract.Glyph, idx []int, keys []middleKey) {
	for k, i := range idx {
		g := &glyphs[i]
		keys[k] = middleKey{(g.Y0 + g.Y1) / 2, g.X0, int32(k), int32(i)}
	}
	if len(keys) <= insertionSortMax {
		for i := 1; i < len(keys); i++ {
			for j := i; j > 0 && keys[j].compare(keys[j-1]) < 0; j-- {
				keys[j], keys[j-1] = keys[j-1], keys[j]
			}
		}
	} else {
		slices.SortFunc(keys, middleKey.compare)
	}
	for k, e := range keys {
		idx[k] = int(e.glyph)
	}
}

// makeLine makes the line of glyphs idx, which are sorted left to right
// already (lineRuns sorts them).
func makeLine(glyphs []extract.Glyph, idx []int, o lineRule) TextLine {
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
