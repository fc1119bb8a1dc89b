package normalize

import (
	"cmp"
	"math"
	"slices"

	"github.com/budgetpdf/budgetpdf/extract"
)

// This file turns ruling lines into grids: nearly collinear segments are
// snapped into rules, rules that cross form connected grids (one per ruled
// table on the page), and the grid's cells are the smallest closed
// rectangles, merged across any boundary that no segment draws.

// rule is a snapped horizontal (at y = pos) or vertical (at x = pos) rule
// with the stretches along it that are drawn.
type rule struct {
	pos  float64
	runs [][2]float64 // sorted, disjoint drawn intervals along the rule
}

// covers returns the drawn length of the rule within [a, b].
func (r *rule) covers(a, b float64) float64 {
	total := 0.0
	for _, s := range r.runs {
		lo, hi := max(a, s[0]), min(b, s[1])
		if hi > lo {
			total += hi - lo
		}
	}
	return total
}

// touches reports whether the rule is drawn at t (within tol).
func (r *rule) touches(t, tol float64) bool {
	for _, s := range r.runs {
		if t >= s[0]-tol && t <= s[1]+tol {
			return true
		}
	}
	return false
}

func (r *rule) span() (float64, float64) { return r.runs[0][0], r.runs[len(r.runs)-1][1] }

// snapRules clusters segments (given as pos, from, to) into rules. It
// reorders segs.
func snapRules(segs [][3]float64, o *Settings) []rule {
	sortByPos(segs)
	var rules []rule
	runs := make([][2]float64, 0, len(segs)) // the rules' runs, one after another
	for i := 0; i < len(segs); {
		j := i + 1
		sum := segs[i][0]
		for j < len(segs) && segs[j][0]-segs[j-1][0] <= o.Snap && segs[j][0]-segs[i][0] <= 2*o.Snap {
			sum += segs[j][0]
			j++
		}
		group := segs[i:j]
		slices.SortFunc(group, func(a, b [3]float64) int { return cmpFloat(a[1], b[1]) })
		first := len(runs)
		for _, s := range group {
			if n := len(runs); n > first && s[1] <= runs[n-1][1]+o.Join {
				runs[n-1][1] = max(runs[n-1][1], s[2])
				continue
			}
			runs = append(runs, [2]float64{s[1], s[2]})
		}
		rules = append(rules, rule{pos: sum / float64(j-i), runs: runs[first:len(runs):len(runs)]})
		i = j
	}
	return rules
}

// sortByPos sorts segments by their position (the first value), stably:
// segments of one position keep their order (snapRules does not depend
// on it). It sorts the positions alone, a fast sort of floats, and places
// each segment by its position's rank.
func sortByPos(segs [][3]float64) {
	if len(segs) < 2 || slices.IsSortedFunc(segs, func(a, b [3]float64) int { return cmp.Compare(a[0], b[0]) }) {
		return
	}
	ps := make([]float64, len(segs))
	for i, s := range segs {
		ps[i] = s[0]
	}
	slices.Sort(ps)
	placed := make([]int32, len(segs)) // by the first rank of a position: how many placed
	sorted := make([][3]float64, len(segs))
	for _, s := range segs {
		r, _ := slices.BinarySearch(ps, s[0])
		sorted[r+int(placed[r])] = s
		placed[r]++
	}
	copy(segs, sorted)
}

// splitRuns makes each drawn stretch of a rule a rule of its own.
func splitRuns(rules []rule) []rule {
	n := 0
	for _, r := range rules {
		n += len(r.runs)
	}
	out := make([]rule, 0, n)
	for _, r := range rules {
		for k := range r.runs {
			out = append(out, rule{pos: r.pos, runs: r.runs[k : k+1 : k+1]})
		}
	}
	return out
}

// joinRuns joins the stretches of one grid that lie on one rule again.
func joinRuns(rs []*rule) []*rule {
	slices.SortStableFunc(rs, func(a, b *rule) int {
		if c := cmpFloat(a.pos, b.pos); c != 0 {
			return c
		}
		return cmpFloat(a.runs[0][0], b.runs[0][0])
	})
	total := 0
	for _, r := range rs {
		total += len(r.runs)
	}
	// One backing array for the joined rules and one for their runs, each
	// rule's runs one after another.
	joined := make([]rule, 0, len(rs))
	runs := make([][2]float64, 0, total)
	for _, r := range rs {
		if n := len(joined); n > 0 && joined[n-1].pos == r.pos {
			runs = append(runs, r.runs...)
			last := &joined[n-1]
			last.runs = runs[len(runs)-len(last.runs)-len(r.runs) : len(runs) : len(runs)]
			continue
		}
		runs = append(runs, r.runs...)
		joined = append(joined, rule{pos: r.pos, runs: runs[len(runs)-len(r.runs) : len(runs) : len(runs)]})
	}
	out := make([]*rule, len(joined))
	for k := range joined {
		out[k] = &joined[k]
	}
	return out
}

// Grid is one connected ruled area of a page: its rule positions and its
// cells, merged where no boundary is drawn.
type Grid struct {
	Xs    []float64  // vertical rule positions, left to right, in points
	Ys    []float64  // horizontal rule positions, top to bottom, in points
	Cells []GridCell // in row-major order of their top-left grid position
}

// GridCell is a cell of a grid, possibly spanning several rows and columns
// of the underlying lattice (0-based, spans at least 1).
type GridCell struct {
	Row, Col         int
	RowSpan, ColSpan int
	X0, Y0, X1, Y1   float64
}

// Bounds returns the rectangle the grid covers.
func (g *Grid) Bounds() (x0, y0, x1, y1 float64) {
	return g.Xs[0], g.Ys[0], g.Xs[len(g.Xs)-1], g.Ys[len(g.Ys)-1]
}

// Grids finds the ruled grids among a page's lines: at least two
// horizontal and two vertical rules that cross (Settings.Snap, Join,
// Coverage and ClippedBorder; nil means the defaults). Grids come top to
// bottom.
func Grids(lines []extract.Line, s *Settings) []*Grid {
	v := s.withDefaults()
	o := &v
	hs, vs := make([][3]float64, 0, len(lines)), make([][3]float64, 0, len(lines))
	for _, l := range lines {
		if l.Horizontal() {
			hs = append(hs, [3]float64{l.Y0, l.X0, l.X1})
		} else {
			vs = append(vs, [3]float64{l.X0, l.Y0, l.Y1})
		}
	}
	// Each drawn stretch of a rule connects on its own: two tables one
	// above the other share their column rules' positions, not the rules.
	hr, vr := splitRuns(snapRules(hs, o)), splitRuns(snapRules(vs, o))
	// Connected components of the crossing graph (union-find over
	// horizontal rules 0..len(hr)-1 and vertical ones after them).
	parent := make([]int, len(hr)+len(vr))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	tol := o.Snap + o.Touch
	// Sort vertical rules by position to limit the crossing tests to the
	// horizontal rule's span.
	for hi := range hr {
		h := &hr[hi]
		a, b := h.span()
		lo, _ := slices.BinarySearchFunc(vr, a-tol, func(r rule, t float64) int { return cmpFloat(r.pos, t) })
		for vi := lo; vi < len(vr) && vr[vi].pos <= b+tol; vi++ {
			v := &vr[vi]
			if h.touches(v.pos, tol) && v.touches(h.pos, tol) {
				parent[find(hi)] = find(len(hr) + vi)
			}
		}
	}
	comps := make(map[int][]int)
	var roots []int
	for i := range parent {
		r := find(i)
		if _, ok := comps[r]; !ok {
			roots = append(roots, r)
		}
		comps[r] = append(comps[r], i)
	}
	var grids []*Grid
	for _, r := range roots {
		var gh, gv []*rule
		for _, i := range comps[r] {
			if i < len(hr) {
				gh = append(gh, &hr[i])
			} else {
				gv = append(gv, &vr[i-len(hr)])
			}
		}
		gh, gv = joinRuns(gh), joinRuns(gv)
		if len(gh) < 2 || len(gv) < 2 {
			continue
		}
		grids = append(grids, buildGrid(gh, closeClipped(gh, gv, o), o))
	}
	slices.SortStableFunc(grids, func(a, b *Grid) int {
		if c := cmpFloat(a.Ys[0], b.Ys[0]); c != 0 {
			return c
		}
		return cmpFloat(a.Xs[0], b.Xs[0])
	})
	return grids
}

// buildGrid makes the cells of one connected set of rules.
func buildGrid(hs, vs []*rule, o *Settings) *Grid {
	slices.SortFunc(hs, func(a, b *rule) int { return cmpFloat(a.pos, b.pos) })
	slices.SortFunc(vs, func(a, b *rule) int { return cmpFloat(a.pos, b.pos) })
	g := &Grid{}
	for _, h := range hs {
		g.Ys = append(g.Ys, h.pos)
	}
	for _, v := range vs {
		g.Xs = append(g.Xs, v.pos)
	}
	nr, nc := len(g.Ys)-1, len(g.Xs)-1
	id := func(r, c int) int { return r*nc + c }
	parent := make([]int32, nr*nc)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(i int) int {
		for int(parent[i]) != i {
			parent[i] = parent[parent[i]]
			i = int(parent[i])
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra < rb {
			parent[rb] = int32(ra)
		} else {
			parent[ra] = int32(rb)
		}
	}
	for r := 0; r < nr; r++ {
		y0, y1 := g.Ys[r], g.Ys[r+1]
		for c := 0; c < nc; c++ {
			x0, x1 := g.Xs[c], g.Xs[c+1]
			if c+1 < nc && vs[c+1].covers(y0, y1) < o.Coverage*(y1-y0) {
				union(id(r, c), id(r, c+1))
			}
			if r+1 < nr && hs[r+1].covers(x0, x1) < o.Coverage*(x1-x0) {
				union(id(r, c), id(r+1, c))
			}
		}
	}
	root := make([]int32, len(parent))
	for i := range root {
		root[i] = int32(find(i))
	}
	g.Cells = mergedCells(g, root)
	byPosition := func(a, b GridCell) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return a.Col - b.Col
	}
	if !slices.IsSortedFunc(g.Cells, byPosition) { // a component that is no rectangle
		slices.SortStableFunc(g.Cells, byPosition)
	}
	return g
}

// mergedCells makes each group of lattice positions that no rule parts
// the bounding rectangle of its positions, listed at its top-left one.
// root is each position's group (positions are row*columns+column).
func mergedCells(g *Grid, root []int32) []GridCell {
	nr, nc := len(g.Ys)-1, len(g.Xs)-1
	id := func(r, c int) int { return r*nc + c }
	type span struct {
		r0, c0, r1, c1 int32
		used           bool
	}
	spans := make([]span, nr*nc) // by root id
	for r := range int32(nr) {
		for c := range int32(nc) {
			s := &spans[root[id(int(r), int(c))]]
			if !s.used {
				*s = span{r, c, r, c, true}
				continue
			}
			s.r0, s.c0 = min(s.r0, r), min(s.c0, c)
			s.r1, s.c1 = max(s.r1, r), max(s.c1, c)
		}
	}
	roots := 0
	for at, s := range spans {
		if s.used && int(root[at]) == at {
			roots++
		}
	}
	cells := make([]GridCell, 0, roots)
	for at, s := range spans {
		if !s.used || int(root[at]) != at {
			continue
		}
		r0, c0, r1, c1 := int(s.r0), int(s.c0), int(s.r1), int(s.c1)
		cells = append(cells, GridCell{
			Row: r0, Col: c0, RowSpan: r1 - r0 + 1, ColSpan: c1 - c0 + 1,
			X0: g.Xs[c0], Y0: g.Ys[r0], X1: g.Xs[c1+1], Y1: g.Ys[r1+1],
		})
	}
	return cells
}

// closeClipped adds the border a grid's rules imply but do not draw: when
// its row rules (at least three, and at least half of them) run on past
// the outermost column rule by ClippedBorder or more and end together, the
// border sits where they end. Producers clip the outer border at the page
// edge and leave the first column (codes, 类型) outside the drawn grid.
func closeClipped(hs, vs []*rule, o *Settings) []*rule {
	if len(vs) == 0 || len(hs) < 3 {
		return vs
	}
	left, right := vs[0].pos, vs[0].pos
	for _, v := range vs {
		left, right = min(left, v.pos), max(right, v.pos)
	}
	y0, y1 := hs[0].pos, hs[0].pos
	for _, h := range hs {
		y0, y1 = min(y0, h.pos), max(y1, h.pos)
	}
	var ends, starts []float64
	for _, h := range hs {
		a, b := h.span()
		if a < left-o.ClippedBorder {
			starts = append(starts, a)
		}
		if b > right+o.ClippedBorder {
			ends = append(ends, b)
		}
	}
	border := func(xs []float64, pick func(float64, float64) float64) (float64, bool) {
		if len(xs) < 3 || len(xs)*2 < len(hs) {
			return 0, false
		}
		slices.Sort(xs)
		// The rules that run on end together: most of them within Snap of
		// the median end.
		mid := xs[len(xs)/2]
		n, at := 0, mid
		for _, x := range xs {
			if x >= mid-o.Snap && x <= mid+o.Snap {
				n++
				at = pick(at, x)
			}
		}
		return at, n*2 > len(xs)
	}
	out := vs
	if x, ok := border(starts, math.Max); ok {
		out = append(out, &rule{pos: x, runs: [][2]float64{{y0, y1}}})
	}
	if x, ok := border(ends, math.Min); ok {
		out = append(out, &rule{pos: x, runs: [][2]float64{{y0, y1}}})
	}
	return out
}
