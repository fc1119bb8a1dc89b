package normalize

import (
	"errors"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/budgetpdf/budgetpdf/extract"
)

// Builder rebuilds the tables of one document from its pages, given in
// order. It keeps only the table being built across pages.
type Builder struct {
	s        Settings
	tables   []*Table
	facts    facts
	finished bool // Finish was called
}

// NewBuilder returns a Builder for one document; nil settings mean the
// defaults.
func NewBuilder(s *Settings) *Builder {
	return &Builder{s: s.withDefaults()}
}

// page is what AddPage knows of one page while it reads it.
type page struct {
	p     *extract.Page
	grids []*Grid
	owned [][]int    // glyphs inside each grid
	free  []TextLine // lines of the glyphs outside every grid
	rules []hrule    // horizontal rules outside every grid (three-line tables)
}

// hrule is a horizontal rule at y from x0 to x1.
type hrule struct{ y, x0, x1 float64 }

// AddPage reads the tables of the next page.
func (b *Builder) AddPage(p *extract.Page) {
	if b.finished {
		panic("normalize: Builder.AddPage called after Finish")
	}
	if p == nil || len(p.Glyphs) == 0 {
		return
	}
	pg := b.readPage(p)
	b.facts.note(pg.free, p.Number, &b.s)
	prevBottom := 0.0
	for k, g := range pg.grids {
		_, top, _, bottom := g.Bounds()
		var above []TextLine
		for _, l := range pg.free {
			if l.Y1 <= top+1 && l.Y0 >= prevBottom-1 && l.Y0 >= top-b.s.TitleGap {
				above = append(above, l)
			}
		}
		prevBottom = bottom
		if len(pg.owned[k]) == 0 {
			continue // an empty box: a frame, a signature field
		}
		b.addLattice(gridLattice(p, g, pg.owned[k], &b.s), above)
	}
	for _, tt := range b.textTables(pg) {
		b.addLattice(tt.lat, tt.title)
	}
}

// readPage finds the page's grids, the glyphs each holds, and the lines
// and rules outside them.
func (b *Builder) readPage(p *extract.Page) *page {
	pg := &page{p: p}
	for _, g := range Grids(p.Lines, &b.s) {
		if len(g.Xs) >= 2 && len(g.Ys) >= 2 {
			pg.grids = append(pg.grids, g)
		}
	}
	bounds := make([]Box, len(pg.grids))
	for k, g := range pg.grids {
		x0, y0, x1, y1 := g.Bounds()
		bounds[k] = Box{x0, y0, x1, y1}
	}
	// Which grid holds each glyph (by its centre): counted first, so that
	// each grid's list is allocated once.
	owner := make([]int32, len(p.Glyphs))
	count := make([]int, len(pg.grids)+1)
	for i := range p.Glyphs {
		gb := glyphBox(&p.Glyphs[i])
		k := slices.IndexFunc(bounds, func(bd Box) bool { return bd.Contains(gb.CX(), gb.CY()) })
		owner[i] = int32(k)
		count[k+1]++
	}
	pg.owned = make([][]int, len(pg.grids))
	backing := make([]int, len(p.Glyphs)) // the free glyphs, then each grid's
	free := backing[:0:count[0]]
	backing = backing[count[0]:]
	for k := range pg.owned {
		pg.owned[k], backing = backing[:0:count[k+1]], backing[count[k+1]:]
	}
	for i, k := range owner {
		if k < 0 {
			free = append(free, i)
		} else {
			pg.owned[k] = append(pg.owned[k], i)
		}
	}
	pg.free = linesOf(p.Glyphs, free, b.s.pageLines())
	for _, l := range p.Lines {
		if !l.Horizontal() {
			continue
		}
		inGrid := slices.ContainsFunc(bounds, func(bd Box) bool {
			return l.Y0 >= bd.Y0-b.s.Snap && l.Y0 <= bd.Y1+b.s.Snap && l.X0 < bd.X1 && l.X1 > bd.X0
		})
		if !inGrid {
			pg.rules = append(pg.rules, hrule{l.Y0, l.X0, l.X1})
		}
	}
	return pg
}

// addLattice adds one lattice of a page: a new table, or the next page of
// the last one. above are the free lines above it, its title block.
func (b *Builder) addLattice(l *lattice, above []TextLine) {
	b.facts.noteForm(l)
	start := titleRows(l)
	block := slices.Clone(above)
	titleBox := emptyBox()
	for _, t := range above {
		titleBox = titleBox.Union(t.Box())
	}
	rows := l.byRow()
	for r := 0; r < start; r++ {
		for _, c := range rows[r] {
			if c.text != "" {
				block = append(block, TextLine{Text: c.text, X0: c.box.X0, Y0: c.box.Y0, X1: c.box.X1, Y1: c.box.Y1})
				titleBox = titleBox.Union(c.box)
			}
		}
	}
	tb := parseTitleBlock(block, &b.s)
	h := l.header
	if h < 0 {
		h = headerRows(l, start)
	} else {
		h += start
	}
	form := ""
	if b.performanceContext(l, tb) {
		if form = startsForm(l, start); form != "" {
			h = start // a form's fields are no column headings
		}
	}
	paths := headerPaths(l, start, h)
	hasHeader := slices.ContainsFunc(paths, func(p []string) bool { return len(p) > 0 })

	t, colMap, cont := b.tableFor(l, tb, paths, hasHeader, slices.Contains(openingKeys, form))
	if cont {
		h = start + repeatedHeaderRows(t, rows[start:])
	}
	t.textForm = t.textForm || l.form
	if !cont || len(l.xs) >= len(t.colXs) {
		// A page that draws only some of the table's columns leaves the
		// table's boundaries for the pages after it.
		t.colXs, t.colMap = l.xs, colMap
	}
	hy := l.box.Y0
	if h > 0 && l.grid != nil {
		hy = l.grid.Ys[min(h, len(l.grid.Ys)-1)]
	} else if h > 0 {
		for _, c := range l.cells {
			if c.row < h && !c.box.Empty() {
				hy = max(hy, c.box.Y1)
			}
		}
	}
	reg := Region{Page: l.page, X0: l.box.X0, Y0: l.box.Y0, X1: l.box.X1, Y1: l.box.Y1, HeaderY1: hy, Ruled: l.ruled, Grid: l.grid}
	if tb := titleBox.finiteOr(); tb != (Box{}) {
		reg.Title = [4]float64{tb.X0, tb.Y0, tb.X1, tb.Y1}
	}
	t.Regions = append(t.Regions, reg)
	before := len(t.Rows)
	t.Rows = slices.Grow(t.Rows, max(0, l.nrow-h))
	filled := 0
	for r := h; r < l.nrow; r++ {
		for _, c := range rows[r] {
			if c.text != "" {
				filled++
			}
		}
	}
	cells := make([]Cell, 0, filled) // the rows' cells, one row after another
	for r := h; r < l.nrow; r++ {
		b.addRow(t, l.page, rows[r], colMap, &cells)
	}
	if cont && before > 0 && len(t.Rows) > before {
		dropRepeatedTotal(t, before)
		joinCutRow(t, before)
	}
}

// performanceContext reports a lattice that may be a performance form: its
// title names one (绩效), or it has no title and follows one on the page
// before or holds an indicator grid's headings.
func (b *Builder) performanceContext(l *lattice, tb titleBlock) bool {
	if tb.title != "" || tb.code != "" {
		return kindOf(tb.title) == KindPerformance
	}
	if last := b.last(); last != nil && last.Kind == KindPerformance && last.PageLast >= l.page-1 {
		return true
	}
	return slices.ContainsFunc(l.byRow(), indicatorHeadingRow)
}

// tableFor returns the table a lattice belongs to, with the map from its
// columns to the table's: the last table, when the lattice has no title of
// its own (or repeats the last table's) and continues its columns on the
// next page; else a new table.
func (b *Builder) tableFor(l *lattice, tb titleBlock, paths [][]string, hasHeader, opensForm bool) (t *Table, colMap []int, cont bool) {
	colMap = make([]int, l.ncol)
	last := b.last()
	titled := tb.title != "" || tb.code != ""
	// A title printed again on the next page (with or without the number
	// label) continues the table; a form that starts again (项目名称 | …)
	// under the same title is the next form.
	repeated := titled && last != nil && tb.title == last.Title && (tb.code == last.Code || tb.code == "") && last.PageLast == l.page-1
	if (!titled || repeated) && !opensForm && last != nil && last.Ruled == l.ruled &&
		(last.PageLast == l.page-1 || last.PageLast == l.page) && b.continues(last, l, paths, hasHeader) {
		last.PageLast = l.page
		mapColumns(colMap, l.xs, last.colXs, last.colMap)
		splitCrowded(last, l, colMap)
		return last, colMap, true
	}
	t = &Table{
		Index: len(b.tables), Code: tb.code, Title: tb.title, Kind: kindOf(tb.title),
		FiscalYear: tb.year, Agency: tb.agency, Unit: tb.unit,
		PageFirst: l.page, PageLast: l.page, Ruled: l.ruled,
	}
	if !titled {
		t.Warnings = append(t.Warnings, "no title above the table")
	}
	// Keep the lattice columns that hold any text or heading.
	used := make([]bool, l.ncol)
	for _, c := range l.cells {
		if c.text != "" {
			used[c.col] = true
		}
	}
	// A rule that splits a column under one heading (drawn in the body
	// only, or stray) does not make two columns: lattice columns with the
	// same heading that no row fills both of are one.
	both := filledTogether(l)
	for col := range colMap {
		colMap[col] = -1
		switch {
		case col > 0 && colMap[col-1] >= 0 && len(paths[col]) > 0 && slices.Equal(paths[col], paths[col-1]) && !both[col]:
			colMap[col] = colMap[col-1]
		case used[col] || len(paths[col]) > 0:
			colMap[col] = len(t.Columns)
			t.Columns = append(t.Columns, Column{Index: len(t.Columns), Path: paths[col]})
		}
	}
	b.tables = append(b.tables, t)
	return t, colMap, false
}

// filledTogether reports, per lattice column, whether some row has text
// both in it and in the column to its left.
func filledTogether(l *lattice) []bool {
	out := make([]bool, l.ncol)
	for _, row := range l.byRow() {
		filled := make(map[int]bool, len(row))
		for _, c := range row {
			if c.text != "" {
				filled[c.col] = true
			}
		}
		for c := 1; c < l.ncol; c++ {
			if filled[c] && filled[c-1] {
				out[c] = true
			}
		}
	}
	return out
}

// continues reports whether a lattice without a title of its own
// continues table t: the same column boundaries, or a header that repeats
// t's, or (without a header) about the same width.
func (b *Builder) continues(t *Table, l *lattice, paths [][]string, hasHeader bool) bool {
	if len(t.colXs) == 0 {
		return false
	}
	if l.form && t.textForm {
		return true // an unruled form's next page (see formAt)
	}
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
	sameWidth := math.Abs(l.xs[0]-t.colXs[0]) < b.s.WidthMatch && math.Abs(l.xs[len(l.xs)-1]-t.colXs[len(t.colXs)-1]) < b.s.WidthMatch
	// Some of the same columns (the others blank on this page, their
	// rules not drawn): every boundary is one of the table's.
	subset := !slices.ContainsFunc(l.xs, func(x float64) bool {
		return !slices.ContainsFunc(t.colXs, func(y float64) bool { return math.Abs(x-y) <= b.s.ColumnMatch })
	})
	if subset {
		return true
	}
	if len(l.xs) != len(t.colXs) {
		return !hasHeader && len(l.xs) > 2 && sameWidth // no header: a continuation with other rules
	}
	for i := range l.xs {
		if math.Abs(l.xs[i]-t.colXs[i]) > b.s.ColumnMatch {
			return !hasHeader && sameWidth
		}
	}
	return true
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

// splitCrowded gives each lattice column of a continuation page a table
// column of its own where the page draws finer columns than the page
// before under a column without headings: a form whose first page holds
// only its first field across the width goes on with its fields and
// indicators in several columns, and two texts of one row must not fall
// into one cell. Such a table column splits, in the page's order, into
// one column per lattice column that holds text on this page; the cells
// it held stay in its first part. colMap is updated, and the table's
// cells renumbered. Columns with headings are never split (their
// continuation pages map by heading).
func splitCrowded(t *Table, l *lattice, colMap []int) {
	crowded := crowdedColumns(t, l, colMap)
	if len(crowded) == 0 {
		return
	}
	holds := make([]bool, l.ncol)
	for _, c := range l.cells {
		if c.text != "" {
			holds[c.col] = true
		}
	}
	var cols []Column
	renumber := make([]int, len(t.Columns)) // old table column -> its first part
	for k, col := range t.Columns {
		renumber[k] = len(cols)
		cols = append(cols, col)
		if !crowded[k] {
			continue
		}
		parts := 0
		for c := range colMap {
			if colMap[c] != k {
				continue
			}
			if holds[c] && parts > 0 {
				cols = append(cols, Column{Path: col.Path})
			}
			if holds[c] {
				parts++
			}
			colMap[c] = -2 - (len(cols) - 1) // (resolved below)
		}
	}
	for c, k := range colMap {
		switch {
		case k <= -2:
			colMap[c] = -2 - k
		case k >= 0:
			colMap[c] = renumber[k]
		}
	}
	for i := range cols {
		cols[i].Index = i
	}
	t.Columns = cols
	for r := range t.Rows {
		for i := range t.Rows[r].Cells {
			t.Rows[r].Cells[i].Column = renumber[t.Rows[r].Cells[i].Column]
		}
	}
	for i, k := range t.colMap {
		if k >= 0 {
			t.colMap[i] = renumber[k]
		}
	}
}

// crowdedColumns are the table columns without headings into which two
// lattice columns of one row with text map.
func crowdedColumns(t *Table, l *lattice, colMap []int) map[int]bool {
	var crowded map[int]bool
	for _, row := range l.byRow() {
		from := map[int]int{} // table column -> lattice column
		for _, c := range row {
			k := -1
			if c.text != "" && c.col < len(colMap) {
				k = colMap[c.col]
			}
			if k < 0 || k >= len(t.Columns) || len(t.Columns[k].Path) > 0 {
				continue
			}
			if prev, ok := from[k]; ok && prev != c.col {
				if crowded == nil {
					crowded = map[int]bool{}
				}
				crowded[k] = true
			}
			from[k] = c.col
		}
	}
	return crowded
}

// repeatedHeaderRows counts the leading rows of a continuation page that
// repeat the table's header: every text in them is a header text, or a
// column number.
func repeatedHeaderRows(t *Table, rows [][]*latCell) int {
	known := map[string]bool{"栏次": true, "行次": true}
	for _, c := range t.Columns {
		for _, p := range c.Path {
			known[p] = true
		}
	}
	n := 0
	for _, row := range rows {
		if numberingRow(row) >= 0 {
			n++
			continue
		}
		any := false
		for _, c := range row {
			if c.text == "" {
				continue
			}
			any = true
			if !known[c.text] && strings.Trim(c.text, "*＊") != "" {
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

// addRow turns one lattice row into a body row. Its cells are appended to
// backing, which has room for them.
func (b *Builder) addRow(t *Table, page int, cells []*latCell, colMap []int, backing *[]Cell) {
	start := len(*backing)
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
			t.Warnings = append(t.Warnings, "page "+strconv.Itoa(page)+": text outside every column: "+c.text)
			continue
		}
		cell := makeCell(col, c.raw, c.text, page, c.box)
		cell.Lines, cell.rowSpan = c.lines, c.rowSpan
		*backing = append(*backing, cell)
	}
	end := len(*backing)
	if end == start {
		return
	}
	row := Row{Cells: (*backing)[start:end:end]}
	if n := len(t.Rows); n > 0 {
		row.Index = t.Rows[n-1].Index + 1
	}
	t.Rows = append(t.Rows, row)
}

// dropRepeatedTotal drops the first row of a continuation page when it
// repeats a total row of the pages before: the same label and the same
// amounts (some producers print the 合计 row again on every page).
func dropRepeatedTotal(t *Table, at int) {
	first := t.Rows[at]
	label := ""
	for _, c := range first.Cells {
		if c.Amount == nil {
			label = c.Text
			break
		}
	}
	if !isTotalLabel(label) {
		return
	}
	for _, r := range t.Rows[:at] {
		if sameCells(r, first) {
			t.Rows = slices.Delete(t.Rows, at, at+1)
			for i := at; i < len(t.Rows); i++ {
				t.Rows[i].Index--
			}
			return
		}
	}
}

func sameCells(a, b Row) bool {
	return slices.EqualFunc(a.Cells, b.Cells, func(x, y Cell) bool { return x.Column == y.Column && x.Text == y.Text })
}

// joinCutRow joins the first row of a continuation page to the last row of
// the page before when the page break cut it: the new row carries no code
// and no item number, and each of its cells continues the cell above in
// its column: the rest of a name, or the last digits of an amount cut
// short of its column's decimals (12,437.3 / 6). In at most three columns.
func joinCutRow(t *Table, at int) {
	prev, next := &t.Rows[at-1], t.Rows[at]
	if len(next.Cells) > 3 {
		return
	}
	for _, c := range next.Cells {
		if isProjectCode(c.Text) || isEnumerated(c.Text) {
			return
		}
		if _, _, _, _, ok := ParseCode(c.Text); ok {
			return
		}
		k := slices.IndexFunc(prev.Cells, func(p Cell) bool { return p.Column == c.Column })
		if k < 0 {
			return
		}
		p := prev.Cells[k]
		switch {
		case p.Amount == nil && c.Amount == nil:
			// a name running on
		case p.Amount != nil && isDigits(c.Text) && cutDecimals(p.Text):
			// an amount's last digits
		default:
			return
		}
	}
	for _, c := range next.Cells {
		k := slices.IndexFunc(prev.Cells, func(p Cell) bool { return p.Column == c.Column })
		pc := &prev.Cells[k]
		text, raw := pc.Text+c.Text, pc.Raw+c.Raw
		*pc = makeCellFrom(*pc, text, raw)
		pc.Lines += c.Lines
	}
	t.Rows = append(t.Rows[:at], t.Rows[at+1:]...)
	for i := at; i < len(t.Rows); i++ {
		t.Rows[i].Index--
	}
}

// cutDecimals reports an amount printed with one decimal where its kind
// prints two: the rest went over the page break.
func cutDecimals(s string) bool {
	i := strings.LastIndexByte(s, '.')
	return i >= 0 && len(s)-i-1 == 1
}

// makeCell reads a cell's amount from its text.
func makeCell(col int, raw, text string, page int, box Box) Cell {
	c := Cell{Column: col, Page: page, X0: box.X0, Y0: box.Y0, X1: box.X1, Y1: box.Y1}
	return makeCellFrom(c, text, raw)
}

// makeCellFrom sets a cell's text and reads its amount again.
func makeCellFrom(c Cell, text, raw string) Cell {
	c.Text, c.Raw, c.Amount, c.Err, c.Malformed = text, raw, nil, nil, false
	// 16+ bare digits are a project code; "2." is an item number.
	if LooksLikeAmount(text) && !(isDigits(text) && len(text) > 15) && !strings.HasSuffix(text, ".") {
		a, err := ParseAmount(text)
		switch {
		case err == nil:
			c.Amount = &a
		case errors.Is(err, ErrNoAmount):
		default:
			if m, ok := readMisgrouped(text); ok {
				c.Amount, c.Malformed = &m, true // flagged by structure.malformed-amount
			} else {
				c.Err = err
			}
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

// unitInHeadingRE finds a unit stated in a column heading: 预算数(万元),
// 金额（单位：元）.
var unitInHeadingRE = regexp.MustCompile(`[(（](?:单位[:：])?(万元|元|亿元|千元)[)）]`)

// headingUnit returns the unit the table's column headings state, if they
// all agree; "" if none does.
func headingUnit(t *Table) string {
	unit := ""
	for _, c := range t.Columns {
		for _, p := range c.Path {
			if m := unitInHeadingRE.FindStringSubmatch(p); m != nil {
				if unit != "" && unit != m[1] {
					return ""
				}
				unit = m[1]
			}
		}
	}
	return unit
}

// fieldUnit returns the unit a form's field labels state above its
// indicators (专项资金情况(万元), 预算金额(万元)), if they all agree; ""
// if none does.
func fieldUnit(t *Table) string {
	unit := ""
	for i, r := range t.Rows {
		if rowLayout(&t.Rows[i]) != nil {
			break // the indicators: their names state their own units
		}
		for _, c := range r.Cells {
			if c.Amount != nil || len([]rune(c.Text)) > maxHeadingRunes {
				continue
			}
			if m := unitInHeadingRE.FindStringSubmatch(c.Text); m != nil {
				if unit != "" && unit != m[1] {
					return ""
				}
				unit = m[1]
			}
		}
	}
	return unit
}

// headingsSay reports a table one of whose column headings holds one of
// the words.
func headingsSay(t *Table, words ...string) bool {
	return slices.ContainsFunc(t.Columns, func(c Column) bool { return pathHas(c, words) })
}

// Document is what a Builder rebuilt from one document's pages.
type Document struct {
	FiscalYear int      // the year the document states (cover, running headers, titles); 0 if unknown
	Agency     string   // the 部门 or 单位 it reports on, as printed; "" if unknown
	Phase      Phase    // 预算 or 决算, as its titles say; PhaseUnknown if none does
	Unit       string   // the first amount unit stated outside a table's own title block; "" if none
	Tables     []*Table // the tables, in page order
	// Indicators are the performance indicators of the 绩效目标表 tables,
	// table by table, top to bottom.
	Indicators []Indicator
	// FormFields are the fields of their forms (and the goals of their
	// lists of projects), in the same order.
	FormFields []FormField
}

// Finish ends the document: tables that state no unit, agency, year or
// phase take the document's, and each row gets its code, label and level.
// It may be called once; AddPage must not be called after it.
func (b *Builder) Finish() *Document {
	if b.finished {
		panic("normalize: Builder.Finish called twice")
	}
	b.finished = true
	d := &Document{FiscalYear: b.facts.year, Agency: b.facts.agencyName(), Unit: b.facts.unit, Phase: b.facts.phase, Tables: b.tables}
	for _, t := range b.tables {
		if d.Phase == PhaseUnknown {
			d.Phase = phaseOf(t.Title)
		}
	}
	for _, t := range b.tables {
		if t.Unit == "" {
			t.Unit = headingUnit(t) // 预算数(万元)
		}
		if t.Unit == "" && (t.Kind == KindPerformance || t.Kind == KindOther) {
			t.Unit = fieldUnit(t) // a form's 专项资金情况(万元)
		}
		if t.Kind == KindOther && t.Title == "" && (headingsSay(t, "绩效目标", "自评") || holdsIndicators(t)) {
			t.Kind = KindPerformance // an untitled list of 绩效目标 or 自评分数, or a form of targets
		}
		if t.Unit == "" {
			t.Unit = d.Unit
			if t.Unit == "" {
				t.Warnings = append(t.Warnings, "no unit stated: amount_yuan left empty")
			}
		}
		if t.Agency == "" {
			t.Agency = d.Agency
		}
		if t.FiscalYear == 0 {
			t.FiscalYear = d.FiscalYear
		}
		if t.Phase = phaseOf(t.Title); t.Phase == PhaseUnknown {
			t.Phase = d.Phase
		}
		labelRows(t, &b.s)
		setMeasures(t)
		if t.Kind == KindPerformance {
			inds, fields := readPerformance(t)
			d.Indicators = append(d.Indicators, inds...)
			d.FormFields = append(d.FormFields, fields...)
		}
	}
	return d
}

// holdsIndicators reports a table whose rows hold an indicator grid's
// headings (一级指标 | 二级指标 | 三级指标 | 指标值): a form of targets.
func holdsIndicators(t *Table) bool {
	for i := range t.Rows {
		if rowLayout(&t.Rows[i]) != nil {
			return true
		}
	}
	return headerLayout(t) != nil
}
