package normalize

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/budgetpdf/budgetpdf/extract"
)

// Options tune table building; a nil *Options means the defaults.
type Options struct {
	Grid  *GridOptions // how ruling lines become grids
	Lines *LineOptions // how glyphs become lines
	// TitleGap is how far above a table, in points, its title block may
	// start. Default 120.
	TitleGap float64
	// ColumnMatch is the largest difference, in points, between the
	// column rules of a table and of its continuation on the next page.
	// Default 4.
	ColumnMatch float64
}

func (o *Options) withDefaults() Options {
	var v Options
	if o != nil {
		v = *o
	}
	if v.TitleGap <= 0 {
		v.TitleGap = 120
	}
	if v.ColumnMatch <= 0 {
		v.ColumnMatch = 4
	}
	return v
}

// Builder rebuilds the tables of one document from its pages, given in
// order. It keeps only the table being built across pages.
type Builder struct {
	opts   Options
	tables []*Table
	// document-wide facts, from the first pages: used where a table
	// states none
	unit, agency string
	year         int
	factPages    int  // pages read for them so far
	finished     bool // Finish was called
}

// maxFactPages is how many pages are read for document-wide facts.
const maxFactPages = 12

// NewBuilder returns a Builder for one document.
func NewBuilder(opts *Options) *Builder {
	return &Builder{opts: opts.withDefaults()}
}

// AddPage reads the tables of the next page.
func (b *Builder) AddPage(p *extract.Page) {
	if b.finished {
		panic("normalize: Builder.AddPage called after Finish")
	}
	if p == nil || len(p.Glyphs) == 0 {
		return
	}
	grids := Grids(p.Lines, b.opts.Grid)
	// Which grid holds each glyph (by its centre), -1 for none.
	owner := make([]int, len(p.Glyphs))
	for i := range owner {
		owner[i] = -1
	}
	var kept []*Grid
	for _, g := range grids {
		if len(g.Xs) >= 2 && len(g.Ys) >= 2 {
			kept = append(kept, g)
		}
	}
	grids = kept
	bounds := make([][4]float64, len(grids))
	for k, gr := range grids {
		bounds[k][0], bounds[k][1], bounds[k][2], bounds[k][3] = gr.Bounds()
	}
	for i, g := range p.Glyphs {
		cx, cy := (g.X0+g.X1)/2, (g.Y0+g.Y1)/2
		for k, bd := range bounds {
			if cx >= bd[0] && cx <= bd[2] && cy >= bd[1] && cy <= bd[3] {
				owner[i] = k
				break
			}
		}
	}
	// Lines outside every grid: titles, units, notes, narrative.
	free := make([]int, 0, len(p.Glyphs))
	for i := range p.Glyphs {
		if owner[i] < 0 {
			free = append(free, i)
		}
	}
	freeLines := linesOf(p.Glyphs, free, b.opts.Lines)
	b.noteDocumentFacts(freeLines)
	prevBottom := 0.0
	for k, g := range grids {
		_, top, _, bottom := g.Bounds()
		var above []string
		titleBox := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, l := range freeLines {
			if l.Y1 <= top+1 && l.Y0 >= prevBottom-1 && l.Y0 >= top-b.opts.TitleGap {
				above = append(above, l.Text)
				titleBox = [4]float64{min(titleBox[0], l.X0), min(titleBox[1], l.Y0), max(titleBox[2], l.X1), max(titleBox[3], l.Y1)}
			}
		}
		prevBottom = bottom
		var idx []int
		for i, o := range owner {
			if o == k {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			continue // an empty box: a frame, a signature field
		}
		b.addGrid(p, g, idx, parseTitleBlock(above))
		if t := b.last(); t != nil && len(above) > 0 && len(t.Regions) > 0 {
			if r := &t.Regions[len(t.Regions)-1]; r.Page == p.Number && r.Grid == g {
				r.Title = titleBox
			}
		}
	}
	// Unruled tables among the free lines.
	var tops []float64
	for _, g := range grids {
		_, top, _, _ := g.Bounds()
		tops = append(tops, top)
	}
	last := b.last()
	continuing := len(grids) == 0 && last != nil && !last.Ruled && last.PageLast == p.Number-1
	// Only a title that no grid claims can start an unruled table.
	unclaimed := func(l TextLine) bool {
		if !strings.Contains(l.Text, "表") {
			return false
		}
		for _, top := range tops {
			if top >= l.Y1 && top-l.Y1 <= b.opts.TitleGap {
				return false
			}
		}
		return true
	}
	if !continuing && !slices.ContainsFunc(freeLines, unclaimed) {
		return // no title, no continuation: no unruled table here
	}
	for k, tt := range findTextTables(p.Glyphs, freeLines, tops, b.opts.TitleGap, continuing) {
		b.addTextTable(p, p.Glyphs, tt, continuing && k == 0 && tt.title.title == "" && tt.title.code == "")
	}
}

// addTextTable adds an unruled table, or continues the last one.
func (b *Builder) addTextTable(p *extract.Page, glyphs []extract.Glyph, tt textTable, cont bool) {
	var t *Table
	var cols []interval
	if cont {
		t = b.last()
		cols = t.cols
		t.PageLast = p.Number
	}
	cols, paths, rows := buildTextTable(glyphs, tt, cols)
	if t == nil {
		tb := tt.title
		t = &Table{
			Index: len(b.tables), Code: tb.code, Title: tb.title, Kind: kindOf(tb.title),
			FiscalYear: tb.year, Agency: tb.agency, Unit: tb.unit,
			PageFirst: p.Number, PageLast: p.Number,
		}
		for i, path := range paths {
			t.Columns = append(t.Columns, Column{Index: i, Path: path})
		}
		b.tables = append(b.tables, t)
	}
	t.cols = cols
	reg := Region{Page: p.Number, X0: math.Inf(1), Y0: math.Inf(1), X1: math.Inf(-1), Y1: math.Inf(-1)}
	for _, l := range append(slices.Clone(tt.header), tt.body...) {
		reg.X0, reg.Y0 = min(reg.X0, l.X0), min(reg.Y0, l.Y0)
		reg.X1, reg.Y1 = max(reg.X1, l.X1), max(reg.Y1, l.Y1)
	}
	reg.HeaderY1 = reg.Y0
	if n := len(tt.header); n > 0 {
		reg.HeaderY1 = tt.header[n-1].Y1
	}
	if !math.IsInf(reg.X0, 0) {
		t.Regions = append(t.Regions, reg)
	}
	for _, cells := range rows {
		slices.SortFunc(cells, func(a, b chunkCell) int { return a.col - b.col })
		var row Row
		for _, cc := range cells {
			raw, x0, y0, x1, y1, lines := cellText(glyphs, cc.glyphIndexes())
			text := NormalizeText(raw)
			if text == "" || cc.col >= len(t.Columns) {
				continue
			}
			cell := makeCell(cc.col, raw, text, p.Number, x0, y0, x1, y1)
			cell.Lines = lines
			row.Cells = append(row.Cells, cell)
		}
		if len(row.Cells) == 0 {
			continue
		}
		row.Index = 0
		if n := len(t.Rows); n > 0 {
			row.Index = t.Rows[n-1].Index + 1
		}
		t.Rows = append(t.Rows, row)
	}
}

// noteDocumentFacts remembers the first unit, agency and year stated on
// any page, for tables whose own title block states none.
func (b *Builder) noteDocumentFacts(lines []TextLine) {
	if b.unit != "" && b.agency != "" && b.year != 0 || b.factPages >= maxFactPages {
		return
	}
	b.factPages++
	var texts []string
	for _, l := range lines {
		if len(l.Glyphs) <= 40 { // titles and heading lines, not prose
			texts = append(texts, l.Text)
		}
	}
	tb := parseTitleBlock(texts)
	if b.unit == "" {
		b.unit = tb.unit
	}
	if b.agency == "" {
		b.agency = tb.agency
	}
	if b.year == 0 {
		b.year = tb.year
	}
	for _, t := range texts {
		if b.year != 0 {
			break
		}
		if m := yearRE.FindStringSubmatch(t); m != nil && (strings.Contains(t, "预算") || strings.Contains(t, "决算")) {
			b.year, _ = strconv.Atoi(m[1])
		}
	}
}

// latticeRegion assigns the grid's glyphs to its cells.
func latticeRegion(p *extract.Page, g *Grid, idx []int) *region {
	nr, nc := len(g.Ys)-1, len(g.Xs)-1
	at := make([]int32, nr*nc)
	r := &region{nrow: nr, ncol: nc}
	for i, c := range g.Cells {
		r.cells = append(r.cells, regionCell{row: c.Row, col: c.Col, rowSpan: c.RowSpan, colSpan: c.ColSpan, x0: c.X0, y0: c.Y0, x1: c.X1, y1: c.Y1})
		for rr := c.Row; rr < c.Row+c.RowSpan; rr++ {
			for cc := c.Col; cc < c.Col+c.ColSpan; cc++ {
				at[rr*nc+cc] = int32(i)
			}
		}
	}
	// Two passes: count the glyphs of each cell, then fill one backing
	// array, so no per-cell slice grows.
	cellOf := make([]int32, len(idx))
	count := make([]int32, len(r.cells))
	for k, i := range idx {
		gl := p.Glyphs[i]
		cx, cy := (gl.X0+gl.X1)/2, (gl.Y0+gl.Y1)/2
		col := max(0, min(nc-1, sortSearch(g.Xs, cx)-1))
		row := max(0, min(nr-1, sortSearch(g.Ys, cy)-1))
		cellOf[k] = at[row*nc+col]
		count[cellOf[k]]++
	}
	backing := make([]int, len(idx))
	off := 0
	for c := range r.cells {
		r.cells[c].glyphs = backing[off : off : off+int(count[c])]
		off += int(count[c])
	}
	for k, i := range idx {
		c := cellOf[k]
		r.cells[c].glyphs = append(r.cells[c].glyphs, i)
	}
	return r
}

// cellSameLine is the vertical overlap, as a fraction of the smaller
// glyph, that keeps two glyphs of one cell on one line. It is stricter than
// Lines' default: the lines of a cell are set tight, and an overflowing
// line may overlap the next by half a glyph.
const cellSameLine = 0.7

// moveOverflow gives back to the cell above the text that overflowed from
// it: some producers draw the last line of a wrapped label below the row's
// bottom rule, where it lands on top of the next row's own label. A cell
// whose first line carries no code while its second line starts with one
// (缴费支出 / 2080506-机关事业单位职业年金) hands its first line up.
func moveOverflow(glyphs []extract.Glyph, r *region) {
	at := make([]int32, r.nrow*r.ncol) // top-left lattice position -> cell+1
	for i, c := range r.cells {
		at[c.row*r.ncol+c.col] = int32(i + 1)
	}
	for i := range r.cells {
		c := &r.cells[i]
		if len(c.glyphs) < 2 || c.row == 0 {
			continue
		}
		// Only cells of several lines: a glyph that starts below the
		// first glyph's bottom.
		f := glyphs[c.glyphs[0]]
		multi := false
		for _, i := range c.glyphs[1:] {
			g := glyphs[i]
			if min(f.Y1, g.Y1)-max(f.Y0, g.Y0) < cellSameLine*min(f.Y1-f.Y0, g.Y1-g.Y0) {
				multi = true // not on the first glyph's line (as Lines decides)
				break
			}
		}
		if !multi {
			continue
		}
		above := int(at[(c.row-1)*r.ncol+c.col]) - 1
		if above < 0 || len(r.cells[above].glyphs) == 0 || r.cells[above].colSpan != c.colSpan {
			continue
		}
		lines := linesOf(glyphs, slices.Clone(c.glyphs), &LineOptions{SameLine: cellSameLine})
		if len(lines) < 2 {
			continue
		}
		first, second := NormalizeText(lines[0].Text), NormalizeText(lines[1].Text)
		if _, _, _, ok := ParseFunctionCode(second); !ok {
			continue
		}
		if _, _, _, ok := ParseFunctionCode(first); ok || LooksLikeAmount(first) {
			continue
		}
		move := lines[0].Glyphs
		r.cells[above].glyphs = append(slices.Clip(r.cells[above].glyphs), move...)
		c.glyphs = slices.DeleteFunc(slices.Clone(c.glyphs), func(g int) bool { return slices.Contains(move, g) })
	}
}

// sortSearch returns the number of xs that are <= v.
func sortSearch(xs []float64, v float64) int {
	i, _ := slices.BinarySearch(xs, v)
	for i < len(xs) && xs[i] <= v {
		i++
	}
	return i
}

func (b *Builder) addGrid(p *extract.Page, g *Grid, idx []int, tb titleBlock) {
	reg := latticeRegion(p, g, idx)
	moveOverflow(p.Glyphs, reg)
	cells := buildCells(p.Glyphs, reg)
	byRow := make([][]builtCell, reg.nrow)
	for _, c := range cells {
		byRow[c.row] = append(byRow[c.row], c)
	}
	headerRows := reg.nrow
	for r := 0; r < reg.nrow; r++ {
		if isBodyRow(byRow[r]) {
			headerRows = r
			break
		}
	}
	paths := headerPaths(cells, headerRows, reg.ncol)
	hasHeader := false
	for _, p := range paths {
		if len(p) > 0 {
			hasHeader = true
		}
	}
	last := b.last()
	titled := tb.title != "" || tb.code != ""
	var t *Table
	colMap := make([]int, reg.ncol) // lattice column -> table column, -1 dropped
	// A grid continues the table before it when it has no title of its
	// own, or repeats that table's title, on the next page.
	repeated := titled && last != nil && tb.title == last.Title && tb.code == last.Code && last.PageLast == p.Number-1
	if (!titled || repeated) && last != nil && last.Ruled && (last.PageLast == p.Number-1 || last.PageLast == p.Number) && b.continues(last, g, paths, hasHeader) {
		t = last
		t.PageLast = p.Number
		mapColumns(colMap, g.Xs, t.colXs, t.colMap)
		t.colXs = g.Xs
		headerRows = repeatedHeaderRows(t, byRow)

	} else {
		t = &Table{
			Index: len(b.tables), Code: tb.code, Title: tb.title, Kind: kindOf(tb.title),
			FiscalYear: tb.year, Agency: tb.agency, Unit: tb.unit,
			PageFirst: p.Number, PageLast: p.Number, Ruled: true, colXs: g.Xs,
		}
		if !titled {
			t.Warnings = append(t.Warnings, "no title above the table")
		}
		// Keep lattice columns that hold any text.
		used := make([]bool, reg.ncol)
		for _, c := range cells {
			if c.text != "" {
				used[c.col] = true
			}
		}
		for col := range colMap {
			colMap[col] = -1
			if used[col] || len(paths[col]) > 0 {
				colMap[col] = len(t.Columns)
				t.Columns = append(t.Columns, Column{Index: len(t.Columns), Path: paths[col]})
			}
		}
		b.tables = append(b.tables, t)
	}
	t.colMap = colMap
	gx0, gy0, gx1, gy1 := g.Bounds()
	hy := gy0
	if headerRows > 0 {
		hy = g.Ys[min(headerRows, len(g.Ys)-1)]
	}
	t.Regions = append(t.Regions, Region{Page: p.Number, X0: gx0, Y0: gy0, X1: gx1, Y1: gy1, HeaderY1: hy, Ruled: true, Grid: g})
	before := len(t.Rows)
	for r := headerRows; r < reg.nrow; r++ {
		b.addRows(t, p, byRow[r], colMap)
	}
	if t.PageFirst < p.Number && before > 0 && len(t.Rows) > before {
		joinCutRow(t, before)
	}
}

// joinCutRow joins the first row of a continuation page to the last row of
// the page before when the page break cut it: the new row carries no code,
// no item number and no amount, only text that runs on in columns the row
// above fills (the name continues at the top of the page, the amounts sit
// above the break). Text in a column both halves fill is concatenated.
func joinCutRow(t *Table, at int) {
	prev, next := &t.Rows[at-1], t.Rows[at]
	hasAmount := func(r Row) bool {
		for _, c := range r.Cells {
			if c.Amount != nil {
				return true
			}
		}
		return false
	}
	for _, c := range next.Cells {
		if isDigits(c.Text) || isProjectCode(c.Text) || isEnumerated(c.Text) {
			return
		}
		if _, _, _, ok := ParseFunctionCode(c.Text); ok {
			return
		}
	}
	// Conservative: only text that runs on in columns the row above
	// already fills, in at most three columns, with no amounts on top.
	if hasAmount(next) || len(next.Cells) > 3 {
		return
	}
	for _, c := range next.Cells {
		if !slices.ContainsFunc(prev.Cells, func(p Cell) bool { return p.Column == c.Column && p.Amount == nil }) {
			return
		}
	}
	for _, c := range next.Cells {
		merged := false
		for k := range prev.Cells {
			if pc := &prev.Cells[k]; pc.Column == c.Column {
				if pc.Amount != nil || c.Amount != nil {
					return // two values for one cell: not a cut row
				}
				pc.Text += c.Text
				pc.Raw += c.Raw
				merged = true
			}
		}
		if !merged {
			prev.Cells = append(prev.Cells, c)
		}
	}
	slices.SortStableFunc(prev.Cells, func(a, b Cell) int { return a.Column - b.Column })
	t.Rows = append(t.Rows[:at], t.Rows[at+1:]...)
	for i := at; i < len(t.Rows); i++ {
		t.Rows[i].Index--
	}
}

// repeatedHeaderRows counts the leading rows of a continuation page that
// repeat the table's header: every text in them is a header text.
func repeatedHeaderRows(t *Table, byRow [][]builtCell) int {
	known := map[string]bool{"栏次": true}
	for _, c := range t.Columns {
		for _, p := range c.Path {
			known[p] = true
		}
	}
	n := 0
	for _, row := range byRow {
		any := false
		for _, c := range row {
			if c.text == "" {
				continue
			}
			any = true
			if !known[c.text] && !(len(c.text) <= 2 && isDigits(c.text)) && strings.Trim(c.text, "*") != "" {
				return n
			}
		}
		if !any {
			return n
		}
		n++
	}
	return n
}

// continues reports whether a grid without a title continues table t:
// the same column rules, or a header that repeats t's.
func (b *Builder) continues(t *Table, g *Grid, paths [][]string, hasHeader bool) bool {
	if hasHeader {
		var mine, theirs []string
		for _, p := range paths {
			if len(p) > 0 {
				mine = append(mine, strings.Join(p, "/"))
			}
		}
		for _, c := range t.Columns {
			if len(c.Path) > 0 {
				theirs = append(theirs, c.PathString())
			}
		}
		if slices.Equal(mine, theirs) {
			return true
		}
	}
	if len(g.Xs) != len(t.colXs) {
		return !hasHeader && len(g.Xs) > 2 && overlapColumns(g.Xs, t.colXs) // no header: a continuation with other rules
	}
	for i := range g.Xs {
		if math.Abs(g.Xs[i]-t.colXs[i]) > b.opts.ColumnMatch {
			return !hasHeader && overlapColumns(g.Xs, t.colXs)
		}
	}
	return true
}

// overlapColumns reports whether two rule sets span about the same width.
func overlapColumns(a, b []float64) bool {
	return math.Abs(a[0]-b[0]) < 20 && math.Abs(a[len(a)-1]-b[len(b)-1]) < 20
}

// mapColumns maps each lattice column of a continuation page to the table
// column of the previous page's lattice column that contains its centre.
func mapColumns(colMap []int, xs, prev []float64, prevMap []int) {
	for c := range colMap {
		mid := (xs[c] + xs[c+1]) / 2
		colMap[c] = -1
		for k := 0; k+1 < len(prev) && k < len(prevMap); k++ {
			if mid >= prev[k] && mid < prev[k+1] {
				colMap[c] = prevMap[k]
				break
			}
		}
	}
}

// addRows turns one lattice row into body rows.
func (b *Builder) addRows(t *Table, p *extract.Page, cells []builtCell, colMap []int) {
	var row Row
	for _, c := range cells {
		if c.text == "" {
			continue
		}
		col := -1
		for cc := c.col; cc < c.col+c.colSpan && cc < len(colMap); cc++ {
			if colMap[cc] >= 0 && colMap[cc] < len(t.Columns) {
				col = colMap[cc]
				break
			}
		}
		if col < 0 {
			t.Warnings = append(t.Warnings, "page "+strconv.Itoa(p.Number)+": text outside every column: "+c.text)
			continue
		}
		cell := makeCell(col, c.raw, c.text, p.Number, c.x0, c.y0, c.x1, c.y1)
		cell.Lines = c.lines
		row.Cells = append(row.Cells, cell)
	}
	if len(row.Cells) == 0 {
		return
	}
	row.Index = len(t.Rows)
	if n := len(t.Rows); n > 0 {
		row.Index = t.Rows[n-1].Index + 1
	}
	t.Rows = append(t.Rows, row)
}

func makeCell(col int, raw, text string, page int, x0, y0, x1, y1 float64) Cell {
	c := Cell{Column: col, Text: text, Raw: raw, Page: page, X0: x0, Y0: y0, X1: x1, Y1: y1}
	// 16+ bare digits are a project code; "2." is an item number.
	if LooksLikeAmount(text) && !(isDigits(text) && len(text) > 15) && !strings.HasSuffix(text, ".") {
		a, err := ParseAmount(text)
		switch {
		case err == nil:
			c.Amount = &a
		case !errors.Is(err, ErrNoAmount):
			c.Err = err
		}
	}
	return c
}

func (b *Builder) last() *Table {
	if len(b.tables) == 0 {
		return nil
	}
	return b.tables[len(b.tables)-1]
}

// Document is what a Builder rebuilt from one document's pages.
type Document struct {
	FiscalYear int      // the year the document states (cover, running headers, titles); 0 if unknown
	Agency     string   // the 部门 or 单位 it reports on, as printed; "" if unknown
	Phase      Phase    // 预算 or 决算, as its titles say; PhaseUnknown if none does
	Unit       string   // the first amount unit stated outside a table's own title block; "" if none
	Tables     []*Table // the tables, in page order
}

// Finish ends the document: tables that state no unit, agency, year or
// phase take the document's, and each row gets its code, label and level.
// It may be called once; AddPage must not be called after it.
func (b *Builder) Finish() *Document {
	if b.finished {
		panic("normalize: Builder.Finish called twice")
	}
	b.finished = true
	d := &Document{FiscalYear: b.year, Agency: b.agency, Unit: b.unit, Tables: b.tables}
	for _, t := range b.tables {
		if d.Phase == PhaseUnknown {
			d.Phase = phaseOf(t.Title)
		}
	}
	for _, t := range b.tables {
		if t.Unit == "" {
			t.Unit = b.unit
			if t.Unit == "" {
				t.Warnings = append(t.Warnings, "no unit stated: amount_yuan left empty")
			}
		}
		if t.Agency == "" {
			t.Agency = b.agency
		}
		if t.FiscalYear == 0 {
			t.FiscalYear = b.year
		}
		if t.Phase = phaseOf(t.Title); t.Phase == PhaseUnknown {
			t.Phase = d.Phase
		}
		labelRows(t)
	}
	return d
}
