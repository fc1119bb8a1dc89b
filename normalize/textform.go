package normalize

import (
	"math"
	"slices"

	"github.com/budgetpdf/budgetpdf/extract"
)

// This file reads the performance forms printed without rules (three-line
// or unruled forms: 部门(单位)名称 | …, 年度履职目标 | …, the sections merged
// down beside their fields, then the indicator grid under its row of
// headings) into a lattice, the way a reader does:
//
//   - A form is known by its first line: a field's key and its value
//     (startsTextForm) under the title of a performance table; an untitled
//     page right after such a form goes on with it, in its columns.
//   - Its lines are cut into runs at HeaderChunkGap: a key stands no more
//     than a cell's padding from its value.
//   - Columns start where the form's text starts: at the left edges that
//     runs of two lines or more share (keys, values, sub-headings, the
//     grid's headings), and at the form's left edge. A run belongs to the
//     column its start lies in, whatever it runs over (a long value merged
//     across the columns to its right).
//   - Wrapped lines of one column make one cell (textBlocks): a line at
//     the line pitch under one that ran to the start of a column right of
//     its own (or to the form's right edge) continues it. Cells that share
//     a line make a row.
//   - Merged cells: a cell spans the rows beside it that print nothing in
//     its column and nothing left of it but cells merged over them too, as
//     the form sets its cells vertically (a vote of the one-line cells
//     beside taller ones): centred, the widest run of those rows whose
//     middle is the cell's (a section beside its fields, a 一级指标 beside
//     its indicators, set between two lines or on the middle one); at the
//     top, the rows from it down; at the bottom, the rows up to it. It
//     moves to the first of them, as in a ruled form.
//
// Limits: text centred in its column (rather than set from its left
// edge) starts no column of its own, and runs into the column left of it.

// formCell is a cell of an unruled form while its rows are found.
type formCell struct {
	col, row, span int     // column; first row and rows spanned (rows of formRows)
	box            Box     // its glyphs' box
	line           float64 // the height of one of its lines
	lines          int     // lines joined
	glyphs         []int
}

// startsTextForm reports a line that opens a form: its first run a field's
// key, then at most three runs, the next no column heading (项目名称 |
// 外伤医疗…, not 单位名称 | 项目名称 | 金额).
func (b *Builder) startsTextForm(glyphs []extract.Glyph, l textLine) bool {
	runs := chunksAt(glyphs, l.TextLine, b.s.HeaderChunkGap, &b.s)
	if len(runs) == 0 || len(runs) > 4 {
		return false
	}
	k := formKey(runs[0].text)
	if k == "" || k == "备注" || k == "总分" {
		return false
	}
	return len(runs) == 1 || !isListHeading(runs[1].text)
}

// formAt reports an unruled form at line j: the page goes on with the
// form prev (the table it continues, nil for none), or a performance
// table's title is over a line that opens a form.
func (b *Builder) formAt(glyphs []extract.Glyph, tls []textLine, j int, title []TextLine, prev *Table) bool {
	if prev != nil {
		return prev.textForm
	}
	if j >= len(tls) || len(title) == 0 {
		return false
	}
	tb := parseTitleBlock(title, &b.s)
	return kindOf(tb.title) == KindPerformance && b.startsTextForm(glyphs, tls[j])
}

// formLines returns the lines of an unruled form starting at line j, and
// the index of the line after them: down to the lowest rule across it
// below its first line (three-line: the bottom rule), a note, the next
// title or prose.
func (b *Builder) formLines(tls []textLine, j int, rules []hrule) ([]textLine, int) {
	if j >= len(tls) {
		return nil, j
	}
	bottom := math.Inf(1)
	if ys := b.tableRules(tls, j, rules); len(ys) > 0 && ys[len(ys)-1] > tls[j].CY() {
		bottom = ys[len(ys)-1]
	}
	return b.bodyLines(tls, j, j, bottom)
}

// formLattice builds the lattice of an unruled form from its lines:
// columns from the left edges its runs share (or those of prev, the form
// it continues), cells from runs and their wrapped lines, rows from the
// cells that share a line, merged cells from how the form sets its cells.
func (b *Builder) formLattice(p *extract.Page, body []textLine, prev *Table) *lattice {
	if len(body) == 0 {
		return nil
	}
	glyphs := p.Glyphs
	runs := make([][]chunk, len(body))
	box := emptyBox()
	for i, l := range body {
		runs[i] = chunksAt(glyphs, l.TextLine, b.s.HeaderChunkGap, &b.s)
		box = box.Union(l.Box())
	}
	var known []float64
	if prev != nil {
		known = prev.colXs
	}
	xs := b.formColumns(runs, known)
	if len(xs) < 2 {
		return nil
	}
	byCol := make([][]piece, len(xs)-1)
	for i, rs := range runs {
		for _, r := range rs {
			c := formColumn(xs, r.box.X0, b.s.EdgeAlign*r.box.Height())
			byCol[c] = append(byCol[c], piece{c, i, r})
		}
	}
	// A line fills its room when it runs to the start of a column right
	// of its own (or to the form's right edge), not to the widest text of
	// its column: a value merged across the columns to its right is wider.
	room := func(p piece) float64 {
		k := p.col + 1
		for i := k; i < len(xs); i++ {
			if math.Abs(xs[i]-p.c.box.X1) < math.Abs(xs[k]-p.c.box.X1) {
				k = i
			}
		}
		return xs[k]
	}
	cells := formCells(b.textBlocks(byCol, room))
	nrow := b.formRows(cells)
	b.mergeCells(cells, nrow, len(xs)-1, b.formAlignment(cells))
	l := &lattice{page: p.Number, xs: xs, ncol: len(xs) - 1, box: box, form: true}
	used := make([]int, nrow+1) // rows kept before each row: rows left empty go
	for _, c := range cells {
		used[c.row+1] = 1
	}
	for r := 1; r <= nrow; r++ {
		used[r] += used[r-1]
	}
	for _, c := range cells {
		a := used[c.row]
		l.cells = append(l.cells, latCell{row: a, col: c.col, rowSpan: max(1, used[min(c.row+c.span, nrow)]-a), colSpan: 1, glyphs: c.glyphs})
	}
	l.nrow = used[nrow]
	l.finishText(glyphs, &b.s)
	return l
}

// formColumns returns the column boundaries of a form: its left edge, the
// left edges that runs of two lines or more start at (within EdgeAlign of
// a line height of each other), and those of the headings of its indicator
// grid, then its right edge. known are the boundaries of the page before,
// for a form that goes on: they stay.
func (b *Builder) formColumns(runs [][]chunk, known []float64) []float64 {
	type start struct {
		x, tol float64
		lines  int // lines starting a run there (a heading counts for two)
	}
	var ss []start
	right := math.Inf(-1)
	for k, x := range known {
		if k < len(known)-1 {
			ss = append(ss, start{x, 0, 2})
		}
		right = max(right, x)
	}
	for _, rs := range runs {
		n := 1
		if gridHeadings(rs) {
			n = 2
		}
		for _, r := range rs {
			ss = append(ss, start{r.box.X0, b.s.EdgeAlign * r.box.Height(), n})
			right = max(right, r.box.X1)
		}
	}
	if len(ss) == 0 {
		return nil
	}
	slices.SortStableFunc(ss, func(a, c start) int { return cmpFloat(a.x, c.x) })
	xs := []float64{ss[0].x}
	for i := 0; i < len(ss); {
		n, j := ss[i].lines, i+1
		for ; j < len(ss) && ss[j].x-ss[j-1].x <= max(ss[j].tol, ss[j-1].tol); j++ {
			n += ss[j].lines
		}
		if n >= 2 && ss[i].x > xs[len(xs)-1] {
			xs = append(xs, ss[i].x)
		}
		i = j
	}
	return append(xs, max(right, xs[len(xs)-1]+1))
}

// gridHeadings reports a line of an indicator grid's headings: one names
// the indicators (or their levels), one their values.
func gridHeadings(runs []chunk) bool {
	return headsNamesAndValues(len(runs), func(i int) string { return runs[i].text })
}

// formColumn returns the column a run starting at x belongs to: the last
// whose left edge is at or left of it (within tol).
func formColumn(xs []float64, x, tol float64) int {
	c := 0
	for k := 1; k < len(xs)-1; k++ {
		if xs[k] <= x+tol {
			c = k
		}
	}
	return c
}

// formCells makes a cell of each block of wrapped runs.
func formCells(blocks [][]piece) []formCell {
	cells := make([]formCell, 0, len(blocks))
	for _, blk := range blocks {
		c := formCell{col: blk[0].col, span: 1, box: emptyBox()}
		last := -1
		for _, p := range blk {
			c.box = c.box.Union(p.c.box)
			c.line = max(c.line, p.c.box.Height())
			c.glyphs = append(c.glyphs, p.c.glyphs...)
			if p.line != last {
				c.lines++
				last = p.line
			}
		}
		cells = append(cells, c)
	}
	return cells
}

// formRows puts the cells that share a line in one row, top to bottom: a
// cell joins the row above it when it overlaps that row by LevelOverlap of
// a line. It returns the number of rows.
func (b *Builder) formRows(cells []formCell) int {
	order := make([]int, len(cells))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, c int) int { return cmpFloat(cells[a].box.Y0, cells[c].box.Y0) })
	nrow := 0
	ext, line := emptyBox(), 0.0
	for _, i := range order {
		c := &cells[i]
		if nrow == 0 || c.box.YOverlap(ext) < b.s.LevelOverlap*min(c.line, line) {
			nrow++
			ext, line = c.box, c.line
		} else {
			ext, line = ext.Union(c.box), min(line, c.line)
		}
		c.row = nrow - 1
	}
	return nrow
}

// formAlignment tells how a form sets its cells vertically, by a vote of
// the one-line cells that share a row with a cell of several lines: level
// with its middle, its first line or its last (the nearest, within
// AnchorBand of a line); centred when none votes.
func (b *Builder) formAlignment(cells []formCell) int {
	var votes [3]int
	for i := range cells {
		s := &cells[i]
		if s.lines != 1 {
			continue
		}
		for j := range cells {
			t := &cells[j]
			if t.row != s.row || t.lines < 2 {
				continue
			}
			d := []float64{math.Abs(s.box.CY() - t.box.CY()), math.Abs(s.box.Y0 - t.box.Y0), math.Abs(s.box.Y1 - t.box.Y1)}
			if k := argMin(d); d[k] <= b.s.AnchorBand*s.line {
				votes[k]++ // alignCentre, alignTop, alignBottom
			}
		}
	}
	best := alignCentre
	for a, v := range votes {
		if v > votes[best] {
			best = a
		}
	}
	return best
}

// argMin returns the index of the smallest value.
func argMin(vs []float64) int {
	k := 0
	for i, v := range vs {
		if v < vs[k] {
			k = i
		}
	}
	return k
}

// mergeCells finds the merged cells of a form, column by column from the
// left: each cell spans the rows formSpan gives it, between the rows the
// cell above it in its column took and those the cell below it claims.
func (b *Builder) mergeCells(cells []formCell, nrow, ncol, align int) {
	for c := 0; c < ncol; c++ {
		var in []int // the column's cells, top to bottom
		for i := range cells {
			if cells[i].col == c {
				in = append(in, i)
			}
		}
		slices.SortStableFunc(in, func(a, z int) int { return cells[a].row - cells[z].row })
		content, ext := rowsRightOf(cells, nrow, c)
		end := -1 // the last row taken by the cell above
		for k, i := range in {
			hi := nrow - 1
			if k+1 < len(in) {
				hi = claimStart(cells[in[k+1]].row, content, align) - 1
			}
			a, z := b.formSpan(cells, i, end+1, hi, content, ext, align)
			cells[i].row, cells[i].span = a, z-a+1
			end = max(end, z)
		}
	}
}

// rowsRightOf reports the rows that print something right of column c
// (content rows, whose fields or indicators a cell of column c may
// label) and the box of what they print there.
func rowsRightOf(cells []formCell, nrow, c int) (content []bool, ext []Box) {
	content, ext = make([]bool, nrow), make([]Box, nrow)
	for r := range ext {
		ext[r] = emptyBox()
	}
	for _, x := range cells {
		if x.col > c {
			content[x.row] = true
			ext[x.row] = ext[x.row].Union(x.box)
		}
	}
	return content, ext
}

// claimStart is the first row a cell at row r may span: its own, unless it
// stands between content rows in a centred form (then the content row
// above it is its too).
func claimStart(r int, content []bool, align int) int {
	if content[r] || align != alignCentre {
		return r
	}
	for k := r - 1; k >= 0; k-- {
		if content[k] {
			return k
		}
	}
	return r
}

// formSpan returns the rows [a, z] that cell i spans, within rows lo..hi:
// of the content rows around its own that print nothing in its column and
// nothing left of it but cells merged over them, those the form sets it
// against. A cell that spans nothing keeps its row.
func (b *Builder) formSpan(cells []formCell, i, lo, hi int, content []bool, ext []Box, align int) (int, int) {
	x := &cells[i]
	free := func(r int) bool {
		return !slices.ContainsFunc(cells, func(o formCell) bool { return o.row == r && o.col <= x.col && (o.col == x.col || o.span <= 1) })
	}
	var up, down []int // free content rows above (nearest first) and below
	for r := x.row - 1; r >= lo; r-- {
		if content[r] && !free(r) {
			break
		}
		if content[r] {
			up = append(up, r)
		}
	}
	for r := x.row + 1; r <= hi && r < len(content); r++ {
		if content[r] && !free(r) {
			break
		}
		if content[r] {
			down = append(down, r)
		}
	}
	slices.Reverse(up)
	own := content[x.row]
	switch {
	case align == alignTop && own && len(down) > 0:
		return x.row, down[len(down)-1]
	case align == alignBottom && own && len(up) > 0:
		return up[0], x.row
	case align != alignCentre:
		return x.row, x.row
	}
	// The runs rows[a..z] that hold the cell's own row (own), or straddle
	// its place between rows up and down, and stand centred on it.
	rows := slices.Concat(up, down)
	if own {
		rows = slices.Insert(rows, len(up), x.row)
	}
	lastA := len(up)
	if !own {
		lastA-- // a cell between rows spans some on either side
	}
	best, bestDev := [2]int{x.row, x.row}, math.Inf(1)
	n := 0 // rows of the best span
	for a := 0; a <= lastA; a++ {
		for z := len(up); z < len(rows); z++ {
			dev := math.Abs((ext[rows[a]].Y0+ext[rows[z]].Y1)/2 - x.box.CY())
			if dev > b.s.AnchorBand*x.line {
				continue
			}
			if w := z - a + 1; w > n || w == n && dev < bestDev {
				best, bestDev, n = [2]int{rows[a], rows[z]}, dev, w
			}
		}
	}
	return best[0], best[1]
}
