package normalize

import (
	"math"

	"github.com/budgetpdf/budgetpdf/extract"
)

// Box is a rectangle in points, origin at the top-left of the page, y
// growing downward: X0 <= X1, Y0 <= Y1. The zero Box is empty only by
// convention; use emptyBox to start a union.
type Box struct {
	X0, Y0, X1, Y1 float64
}

// emptyBox is the identity of Union: it contains nothing.
func emptyBox() Box {
	return Box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
}

// glyphBox returns a glyph's box.
func glyphBox(g *extract.Glyph) Box { return Box{g.X0, g.Y0, g.X1, g.Y1} }

// Empty reports a box that contains nothing (an unset union).
func (b Box) Empty() bool { return b.X1 < b.X0 || b.Y1 < b.Y0 }

// Union returns the smallest box holding both.
func (b Box) Union(o Box) Box {
	return Box{min(b.X0, o.X0), min(b.Y0, o.Y0), max(b.X1, o.X1), max(b.Y1, o.Y1)}
}

// Width and Height of the box.
func (b Box) Width() float64  { return b.X1 - b.X0 }
func (b Box) Height() float64 { return b.Y1 - b.Y0 }

// CX and CY are the box's centre.
func (b Box) CX() float64 { return (b.X0 + b.X1) / 2 }
func (b Box) CY() float64 { return (b.Y0 + b.Y1) / 2 }

// XOverlap is the length the two boxes share horizontally (negative: the
// gap between them).
func (b Box) XOverlap(o Box) float64 { return min(b.X1, o.X1) - max(b.X0, o.X0) }

// YOverlap is the length the two boxes share vertically (negative: the
// gap between them).
func (b Box) YOverlap(o Box) float64 { return min(b.Y1, o.Y1) - max(b.Y0, o.Y0) }

// SameLine reports two boxes that overlap vertically by at least share of
// the smaller height: glyphs of one text line.
func (b Box) SameLine(o Box, share float64) bool {
	h := min(b.Height(), o.Height())
	return h > 0 && b.YOverlap(o) >= share*h
}

// Contains reports whether the point lies in the box, edges included.
func (b Box) Contains(x, y float64) bool {
	return x >= b.X0 && x <= b.X1 && y >= b.Y0 && y <= b.Y1
}

// finiteOr returns the box, or the zero box when it is empty.
func (b Box) finiteOr() Box {
	if b.Empty() || math.IsInf(b.X0, 0) {
		return Box{}
	}
	return b
}
