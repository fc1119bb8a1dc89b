package normalize

// This file reads the lists of projects whose names are set in the middle
// of their lines, with no rules to say which lines a name's cell spans (an
// unruled 汇总表): a reader takes the lines around the name, its block
// running from where the block above ends down as far below the name's
// centre as it starts above it.

// anchor is a row of an unruled list that names a project (or an agency).
type anchor struct {
	proj   project
	agency string  // the agency at that row
	bar    bool    // an agency's row: no project's lines cross it
	page   int     // 1-based page
	cy     float64 // centre of the name, in points
	first  int     // index in out of the first indicator read from its row on
}

// noteAnchor records a row of an unruled list that starts a project or an
// agency.
func (r *indReader) noteAnchor(row *Row, bar bool) {
	if r.t.Ruled || len(row.Cells) == 0 {
		return
	}
	c := row.Cells[0]
	r.anchors = append(r.anchors, anchor{proj: r.proj, agency: r.agency, bar: bar, page: c.Page, cy: (c.Y0 + c.Y1) / 2, first: len(r.out)})
}

// centredNames reports a list whose names stand in the middle of their
// lines: indicators read after an agency's row and before the first
// project's name.
func (r *indReader) centredNames() bool {
	for k, a := range r.anchors {
		if !a.bar {
			return k > 0 && a.first > r.anchors[k-1].first || k == 0 && a.first > 0
		}
	}
	return false
}

// recentre gives each indicator of an unruled list with centred names the
// project whose block holds it, page by page.
func (r *indReader) recentre() {
	if len(r.anchors) == 0 || !r.centredNames() {
		return
	}
	for k := 0; k < len(r.anchors); {
		page := r.anchors[k].page
		end := k
		for end < len(r.anchors) && r.anchors[end].page == page {
			end++
		}
		r.recentrePage(k, end)
		k = end
	}
}

// recentrePage assigns the indicators of one page to the projects anchored
// on it, anchors[from:to]: the first name's block starts at the top of the
// first row, each block runs as far below its name as it starts above it,
// and the next block starts where it ends.
func (r *indReader) recentrePage(from, to int) {
	page := r.anchors[from].page
	start := r.anchors[from].first
	for k := from; k < to; k++ {
		if r.anchors[k].bar {
			start = r.anchors[k].first
		}
	}
	for start > 0 && r.out[start-1].Page == page && !r.barBefore(from, start) {
		start-- // the lines at the top of the page, above the first name
	}
	top := -1.0
	for k := from; k < to; k++ {
		a := r.anchors[k]
		if a.bar {
			continue
		}
		for i := start; i < len(r.out) && r.out[i].Page == page; i++ {
			cy := (r.out[i].Y0 + r.out[i].Y1) / 2
			if top < 0 {
				top = r.rowTop(i)
			}
			bottom := 2*a.cy - top
			if k+1 < to && bottom > r.anchors[k+1].cy {
				bottom = r.anchors[k+1].cy
			}
			if cy >= bottom && k+1 < to {
				top, start = bottom, i
				break
			}
			r.out[i].ProjectCode, r.out[i].ProjectName, r.out[i].ProjectAmount = a.proj.code, a.proj.name, a.proj.amount
			r.out[i].Agency = a.agency
			start = i + 1
		}
	}
}

// rowTop is the top of the row of indicator i: where the tallest of the
// row's indicators starts (a long name wrapped above the others).
func (r *indReader) rowTop(i int) float64 {
	top := r.out[i].Y0
	for k := i; k < len(r.out) && r.out[k].Row == r.out[i].Row; k++ {
		top = min(top, r.out[k].Y0)
	}
	return top
}

// barBefore reports an agency's row among anchors[:from] whose first
// indicator is at index i or after it: the lines above it are not a
// project's.
func (r *indReader) barBefore(from, i int) bool {
	for k := 0; k < from; k++ {
		if r.anchors[k].bar && r.anchors[k].first >= i {
			return true
		}
	}
	return false
}
