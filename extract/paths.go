package extract

import "math"

// This file turns painted paths (8.5) into ruling lines: straight
// horizontal and vertical segments of stroked paths, and filled rectangles
// thin enough to be a rule (spreadsheet exports draw cell borders that way).
// Curves are followed but never become lines. A mark painted in white, of
// zero length or zero area, or outside the page is not a line.

// axisTolerance is how far, in points, the ends of a segment may differ
// across its direction and still count as horizontal or vertical.
const axisTolerance = 0.5

// minRuleLength is the shortest segment, in points, kept as a line.
const minRuleLength = 0.5

func (in *interp) toPage(x, y float64) (float64, float64) { return in.gs.ctm.apply(x, y) }

func (in *interp) moveTo(x, y float64) {
	// Filling closes open subpaths too: keep an open polygon as one.
	if n := (len(in.path) - in.subpath) / 4; in.hasCur && in.subpath >= 0 && n >= 3 && n <= 16 && in.cur != in.start {
		in.polys = append(in.polys, [2]int{in.subpath, len(in.path)})
	}
	px, py := in.toPage(x, y)
	in.cur = [2]float64{px, py}
	in.start = in.cur
	in.hasCur = true
	in.subpath = len(in.path)
}

func (in *interp) lineTo(x, y float64) {
	px, py := in.toPage(x, y)
	if !in.hasCur {
		in.moveTo(x, y)
		return
	}
	in.addSegment(in.cur[0], in.cur[1], px, py)
	in.cur = [2]float64{px, py}
}

// curveTo moves the current point along a curve without adding a segment.
func (in *interp) curveTo(x, y float64) {
	px, py := in.toPage(x, y)
	if !in.hasCur {
		in.moveTo(x, y)
		return
	}
	in.cur = [2]float64{px, py}
	in.subpath = -1 // a subpath with a curve is never a rectangle
}

func (in *interp) closePath() {
	if !in.hasCur {
		return
	}
	if in.cur != in.start {
		in.addSegment(in.cur[0], in.cur[1], in.start[0], in.start[1])
	}
	// A closed polygon of a few straight segments may be a filled rule:
	// rectangles, and the mitred quadrilaterals spreadsheet exports draw
	// border pieces with.
	if n := (len(in.path) - in.subpath) / 4; in.subpath >= 0 && n >= 3 && n <= 16 {
		in.polys = append(in.polys, [2]int{in.subpath, len(in.path)})
	}
	in.cur = in.start
	in.subpath = len(in.path)
}

// rect appends a closed rectangle subpath (8.5.2.1).
func (in *interp) rect(x, y, w, h float64) {
	in.moveTo(x, y)
	in.lineTo(x+w, y)
	in.lineTo(x+w, y+h)
	in.lineTo(x, y+h)
	in.closePath()
	in.moveTo(x, y)
}

func (in *interp) addSegment(x0, y0, x1, y1 float64) {
	if len(in.path) > 4<<20 { // a path of a million segments is not a table
		return
	}
	in.path = append(in.path, x0, y0, x1, y1)
}

func (in *interp) clearPath() {
	in.path = in.path[:0]
	in.polys = in.polys[:0]
	in.hasCur = false
	in.subpath = 0
}

// paint turns the current path into lines and clears it.
func (in *interp) paint(stroke, fill bool) {
	defer in.clearPath()
	gs := &in.gs
	if stroke && !gs.strokeOff {
		// The line width is in user space: scale it by the CTM.
		w := gs.lineWidth * math.Sqrt(math.Abs(gs.ctm[0]*gs.ctm[3]-gs.ctm[1]*gs.ctm[2]))
		for i := 0; i+4 <= len(in.path); i += 4 {
			s := in.path[i : i+4]
			in.addLine(s[0], s[1], s[2], s[3], w)
		}
	}
	if fill && !gs.fillOff {
		in.closePath() // fill closes an open subpath (8.5.3.1)
		for _, at := range in.polys {
			seg := in.path[at[0]:at[1]]
			x0, x1 := seg[0], seg[0]
			y0, y1 := seg[1], seg[1]
			for i := 0; i < len(seg); i += 2 {
				x0, x1 = min(x0, seg[i]), max(x1, seg[i])
				y0, y1 = min(y0, seg[i+1]), max(y1, seg[i+1])
			}
			w, h := x1-x0, y1-y0
			switch {
			case w <= 0 || h <= 0: // zero area paints nothing
			case h <= in.opts.RuleThickness && w > h:
				in.addLine(x0, (y0+y1)/2, x1, (y0+y1)/2, h)
			case w <= in.opts.RuleThickness && h > w:
				in.addLine((x0+x1)/2, y0, (x0+x1)/2, y1, w)
			}
		}
	}
}

// addLine keeps a segment if it is horizontal or vertical, long enough and
// on the page, clipped to the page.
func (in *interp) addLine(x0, y0, x1, y1, width float64) {
	p := in.page
	var l Line
	switch {
	case math.Abs(y0-y1) <= axisTolerance && math.Abs(x1-x0) >= minRuleLength:
		y := (y0 + y1) / 2
		l = Line{X0: min(x0, x1), Y0: y, X1: max(x0, x1), Y1: y, Width: width}
		if y < 0 || y > p.Height {
			return
		}
		l.X0, l.X1 = max(l.X0, 0), min(l.X1, p.Width)
		if l.X1-l.X0 < minRuleLength {
			return
		}
	case math.Abs(x0-x1) <= axisTolerance && math.Abs(y1-y0) >= minRuleLength:
		x := (x0 + x1) / 2
		l = Line{X0: x, Y0: min(y0, y1), X1: x, Y1: max(y0, y1), Width: width}
		if x < 0 || x > p.Width {
			return
		}
		l.Y0, l.Y1 = max(l.Y0, 0), min(l.Y1, p.Height)
		if l.Y1-l.Y0 < minRuleLength {
			return
		}
	default:
		return
	}
	if len(p.Lines) < 1<<20 {
		p.Lines = append(p.Lines, l)
	}
}
