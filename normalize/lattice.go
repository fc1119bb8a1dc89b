package normalize

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/budgetpdf/budgetpdf/extract"
)

// A lattice is one table region of one page as rows and columns of cells,
// whichever way it was found: from a ruled grid (a cell is a closed
// rectangle, merged across sides no rule draws) or from text alignment
// (columns from the header's leaves and the data, rows from text lines).
// Everything after it (title rows, header rows, column paths, body rows,
// continuation over pages, row keys) is one path for both.
type lattice struct {
	page       int
	ruled      bool
	box        Box       // the region
	xs         []float64 // column boundaries, ncol+1, left to right
	nrow, ncol int
	cells      []latCell    // row-major by top-left position
	grid       *Grid        // the ruled grid; nil for a text lattice
	rows       [][]*latCell // the cells by top row, made once (byRow)
	// header is the number of leading rows a text lattice knows to be its
	// header (its rows are header levels, then body rows); -1 for a ruled
	// lattice, whose header is found from its rows.
	header int
	// form is set on the lattice of a performance form read from text
	// (textform.go): its next page, untitled, goes on with it.
	form bool
}

// latCell is a cell of a lattice: the rows and columns it spans, its
// glyphs and their text.
type latCell struct {
	row, col, rowSpan, colSpan int
	area                       Box   // the cell's rectangle (grid), or its text's box
	glyphs                     []int // indexes into the page's glyphs
	raw, text                  string
	box                        Box // the box of its glyphs
	lines                      int // text lines joined
}

// byRow groups the cells by their top row; the lattice must not change
// after the first call.
func (l *lattice) byRow() [][]*latCell {
	if l.rows != nil {
		return l.rows
	}
	l.rows = make([][]*latCell, l.nrow)
	count := make([]int, l.nrow)
	for i := range l.cells {
		count[l.cells[i].row]++
	}
	backing := make([]*latCell, len(l.cells))
	for r := range l.rows {
		l.rows[r], backing = backing[:0:count[r]], backing[count[r]:]
	}
	for i := range l.cells {
		c := &l.cells[i]
		l.rows[c.row] = append(l.rows[c.row], c)
	}
	return l.rows
}

// gridLattice assigns a grid's glyphs (by their centres) to its cells and
// assembles the cells' text. idx lists the grid's glyphs in ascending
// order.
func gridLattice(p *extract.Page, g *Grid, idx []int, s *Settings) *lattice {
	nr, nc := len(g.Ys)-1, len(g.Xs)-1
	x0, y0, x1, y1 := g.Bounds()
	l := &lattice{page: p.Number, ruled: true, box: Box{x0, y0, x1, y1}, xs: g.Xs, nrow: nr, ncol: nc, grid: g, header: -1}
	l.cells = make([]latCell, len(g.Cells))
	at := make([]int32, nr*nc)
	for i, c := range g.Cells {
		lc := &l.cells[i]
		lc.row, lc.col, lc.rowSpan, lc.colSpan = c.Row, c.Col, c.RowSpan, c.ColSpan
		lc.area = Box{c.X0, c.Y0, c.X1, c.Y1}
		for rr := c.Row; rr < c.Row+c.RowSpan; rr++ {
			for cc := c.Col; cc < c.Col+c.ColSpan; cc++ {
				at[rr*nc+cc] = int32(i)
			}
		}
	}
	cellOf := make([]int32, len(idx)) // each glyph's cell
	var straddlers []int              // positions in idx of glyphs drawn across a column rule
	// Glyphs come in reading order, mostly in the row and column of the
	// glyph before: each search tries the last answer first.
	xAt, yAt, x0At := 0, 0, 0
	for k, i := range idx {
		gl := &p.Glyphs[i]
		cx, cy := (gl.X0+gl.X1)/2, (gl.Y0+gl.Y1)/2
		xAt, yAt, x0At = searchFrom(g.Xs, cx, xAt), searchFrom(g.Ys, cy, yAt), searchFrom(g.Xs, gl.X0, x0At)
		col := max(0, min(nc-1, xAt-1))
		row := max(0, min(nr-1, yAt-1))
		cellOf[k] = at[row*nc+col]
		if b := x0At; b >= 1 && b < nc && g.Xs[b] < gl.X1 {
			straddlers = append(straddlers, k)
		}
	}
	if len(straddlers) > 0 {
		joinStraddlers(p.Glyphs, idx, cellOf, straddlers, s)
	}
	// Two passes: count the glyphs of each cell, then fill one backing
	// array, so no per-cell slice grows.
	count := make([]int32, len(l.cells))
	for _, c := range cellOf {
		count[c]++
	}
	backing := make([]int, len(idx))
	off := 0
	for c := range l.cells {
		l.cells[c].glyphs = backing[off : off : off+int(count[c])]
		off += int(count[c])
	}
	for k, i := range idx {
		c := cellOf[k]
		l.cells[c].glyphs = append(l.cells[c].glyphs, i)
	}
	l.setText(p.Glyphs, moveOverflow(p.Glyphs, l, s), s)
	return l
}

// joinStraddlers gives each glyph drawn across a column rule to the cell
// of the text it runs on with: a heading wider than its cell overflows the
// rules on both sides ("政|府预算支出经济科目（按大类|）"), and its edge
// glyphs belong with it, not with the neighbours whose centres they reach.
// A glyph runs on with a neighbour on its line within SpaceGap em; one that
// runs on with both sides, or neither, stays where its centre is.
func joinStraddlers(glyphs []extract.Glyph, idx []int, cellOf []int32, straddlers []int, s *Settings) {
	pos := func(i int) int { k, _ := slices.BinarySearch(idx, i); return k } // idx is ascending
	straddling := make([]uint64, len(glyphs)/64+1)                           // a bit per page glyph
	for _, k := range straddlers {
		straddling[idx[k]/64] |= 1 << (idx[k] % 64)
	}
	straddles := func(i int) bool { return straddling[i/64]&(1<<(i%64)) != 0 }
	beside := besideStraddlers(glyphs, idx, straddlers)
	joined := func(a, b *extract.Glyph) bool { return b.X0-a.X1 <= s.SpaceGap*max(a.Size, b.Size, 1) }
	for _, ln := range lineRuns(glyphs, beside, s.CellSameLine) {
		for j, i := range ln {
			if !straddles(i) {
				continue
			}
			g := &glyphs[i]
			left := j > 0 && joined(&glyphs[ln[j-1]], g)
			right := j+1 < len(ln) && joined(g, &glyphs[ln[j+1]])
			switch {
			case left && !right:
				cellOf[pos(i)] = cellOf[pos(ln[j-1])]
			case right && !left:
				cellOf[pos(i)] = cellOf[pos(ln[j+1])]
			}
		}
	}
}

// besideStraddlers returns the glyphs of idx on the lines of the
// straddlers (positions in idx): those whose vertical extent meets a
// straddler's widened by its height on each side, so that the lines made
// of them around each straddler are, in practice, the lines made of the
// whole page (a page has few straddlers and many glyphs; a line's band is
// its first glyph's, so a tall glyph over two lines, left out, could
// start a line elsewhere).
func besideStraddlers(glyphs []extract.Glyph, idx []int, straddlers []int) []int {
	if len(straddlers) == 0 {
		return nil
	}
	bands := make([][2]float64, 0, len(straddlers))
	for _, k := range straddlers {
		g := &glyphs[idx[k]]
		h := g.Y1 - g.Y0
		bands = append(bands, [2]float64{g.Y0 - h, g.Y1 + h})
	}
	slices.SortFunc(bands, func(a, b [2]float64) int { return cmp.Compare(a[0], b[0]) })
	merged := bands[:1]
	for _, b := range bands[1:] {
		if last := &merged[len(merged)-1]; b[0] <= last[1] {
			last[1] = max(last[1], b[1])
		} else {
			merged = append(merged, b)
		}
	}
	var beside []int
	for _, i := range idx {
		g := &glyphs[i]
		// the first band that ends at or below the glyph's top
		j, _ := slices.BinarySearchFunc(merged, g.Y0, func(b [2]float64, y float64) int { return cmp.Compare(b[1], y) })
		if j < len(merged) && merged[j][0] <= g.Y1 {
			beside = append(beside, i)
		}
	}
	return beside
}

// setText assembles every cell's text from its glyphs, leaving out print
// debris: glyphs smaller than NoiseSize of the cell's largest (specks a
// producer left over a heading, "“三公购”置经费预算费"). made holds the
// lines of cells already made (moveOverflow's), by cell.
func (l *lattice) setText(glyphs []extract.Glyph, made map[int][]TextLine, s *Settings) {
	for i := range l.cells {
		c := &l.cells[i]
		size := 0.0
		for _, g := range c.glyphs {
			size = max(size, glyphs[g].Size)
		}
		if slices.ContainsFunc(c.glyphs, func(g int) bool { return glyphs[g].Size < s.NoiseSize*size }) {
			c.glyphs = slices.DeleteFunc(slices.Clone(c.glyphs), func(g int) bool { return glyphs[g].Size < s.NoiseSize*size })
			delete(made, i)
		}
		var raw string
		var box Box
		var lines int
		if ls, ok := made[i]; ok {
			raw, box, lines = joinLines(ls)
		} else {
			raw, box, lines = cellText(glyphs, c.glyphs, s)
		}
		c.raw, c.text, c.lines = raw, NormalizeText(raw), lines
		if raw != "" {
			c.box = box
		}
	}
}

// searchFrom is sortSearch(xs, v), trying the answer hint first.
func searchFrom(xs []float64, v float64, hint int) int {
	if hint >= 0 && hint <= len(xs) && (hint == 0 || xs[hint-1] <= v) && (hint == len(xs) || xs[hint] > v) {
		return hint
	}
	return sortSearch(xs, v)
}

// sortSearch returns the number of xs that are <= v.
func sortSearch(xs []float64, v float64) int {
	lo, hi := 0, len(xs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if xs[m] <= v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// cellText joins a cell's glyphs into text: lines top to bottom, CJK and
// digit fragments without a space (a code cut in two joins back), Latin
// words with one, and a number cut before its decimals by a stray gap
// ("25180591 .33") whole.
func cellText(glyphs []extract.Glyph, idx []int, s *Settings) (text string, box Box, lines int) {
	if len(idx) == 0 {
		return "", Box{}, 0
	}
	if len(idx) == 1 {
		g := &glyphs[idx[0]]
		return g.Text, glyphBox(g), 1
	}
	if t, b, ok := oneLine(glyphs, idx, s); ok {
		return t, b, 1
	}
	return joinLines(linesOf(glyphs, slices.Clone(idx), s.cellLines()))
}

// joinLines joins the lines of a cell of several lines into its text
// (see cellText).
func joinLines(ls []TextLine) (text string, box Box, lines int) {
	var sb strings.Builder
	box = emptyBox()
	for i, l := range ls {
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(sb.String())
			next, _ := utf8.DecodeRuneInString(l.Text)
			if isLatinLetter(prev) && isLatinLetter(next) {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(joinDecimals(l.Text))
		box = box.Union(l.Box())
	}
	return sb.String(), box, len(ls)
}

// oneLine joins the glyphs of a cell that all sit on one line (each
// overlaps the first by CellSameLine of its height), the common case,
// without the general line building; ok is false for a cell of several
// lines. Glyphs are taken left to right; a gap of more than SpaceGap em is
// a space.
func oneLine(glyphs []extract.Glyph, idx []int, s *Settings) (text string, box Box, ok bool) {
	f := glyphBox(&glyphs[idx[0]])
	for _, i := range idx[1:] {
		if !f.SameLine(glyphBox(&glyphs[i]), s.CellSameLine) {
			return "", Box{}, false
		}
	}
	byX0 := func(a, b int) int { return cmpFloat(glyphs[a].X0, glyphs[b].X0) }
	order := idx
	if !slices.IsSortedFunc(order, byX0) {
		order = slices.Clone(idx)
		slices.SortStableFunc(order, byX0)
	}
	var sb strings.Builder
	sb.Grow(3 * len(order))
	box = emptyBox()
	prevX1 := 0.0
	for k, i := range order {
		g := &glyphs[i]
		if k > 0 && g.X0-prevX1 > s.SpaceGap*max(g.Size, 1) {
			sb.WriteByte(' ')
		}
		sb.WriteString(g.Text)
		prevX1 = max(prevX1, g.X1)
		box = box.Union(glyphBox(g))
	}
	return joinDecimals(sb.String()), box, true
}

// joinDecimals removes a space between the digits of a number and its
// decimals: "25180591 .33" is 25180591.33. A lone ".33" is never a cell's
// value, so the space is a stray gap in the printing.
func joinDecimals(s string) string {
	i := strings.Index(s, " .")
	if i <= 0 || i+2 >= len(s) || s[i-1] < '0' || s[i-1] > '9' || s[i+2] < '0' || s[i+2] > '9' {
		return s
	}
	return s[:i] + joinDecimals(s[i+1:])
}

func isLatinLetter(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }

// moveOverflow gives back to the cell above the text that overflowed from
// it: some producers draw the last line of a wrapped label below the row's
// bottom rule, where it lands on top of the next row's own label. A cell's
// first line moves up when it is the cell above's text running on: drawn
// across the rule between them, under the start of that cell's last line
// (a wrapped line starts where the line above started), or when it carries
// no code while the cell's second line starts with one (缴费支出 /
// 2080506-机关事业单位职业年金). It returns the lines it made of cells
// it left as they were (linesOf with the cell rule), by cell.
func moveOverflow(glyphs []extract.Glyph, l *lattice, s *Settings) (made map[int][]TextLine) {
	at := make([]int32, l.nrow*l.ncol) // top-left lattice position -> cell+1
	for i, c := range l.cells {
		at[c.row*l.ncol+c.col] = int32(i + 1)
	}
	for i := range l.cells {
		c := &l.cells[i]
		if len(c.glyphs) < 2 || c.row == 0 {
			continue
		}
		// Only cells of several lines.
		f := glyphBox(&glyphs[c.glyphs[0]])
		if !slices.ContainsFunc(c.glyphs[1:], func(g int) bool { return !f.SameLine(glyphBox(&glyphs[g]), s.CellSameLine) }) {
			continue
		}
		// Only cells with text drawn across their top rule, or with a
		// digit (which a code needs): the cheap tests first.
		top := c.area.Y0
		if !slices.ContainsFunc(c.glyphs, func(g int) bool { return glyphs[g].Y0 < top && glyphs[g].Y1 > top }) &&
			!slices.ContainsFunc(c.glyphs, func(g int) bool { return startsWithDigit(glyphs[g].Text) }) {
			continue
		}
		above := int(at[(c.row-1)*l.ncol+c.col]) - 1
		if above < 0 || len(l.cells[above].glyphs) == 0 || l.cells[above].colSpan != c.colSpan {
			continue
		}
		lines := linesOf(glyphs, slices.Clone(c.glyphs), s.cellLines())
		if len(lines) < 2 || !(runsOn(glyphs, &l.cells[above], c, lines, s) || codeBelow(lines)) {
			if made == nil {
				made = make(map[int][]TextLine)
			}
			made[i] = lines
			continue
		}
		move := lines[0].Glyphs
		l.cells[above].glyphs = append(slices.Clip(l.cells[above].glyphs), move...)
		delete(made, above)
		c.glyphs = slices.DeleteFunc(slices.Clone(c.glyphs), func(g int) bool { return slices.Contains(move, g) })
	}
	return made
}

// codeBelow reports a cell whose first line carries no code (nor an
// amount) while its second line starts with one.
func codeBelow(lines []TextLine) bool {
	first, second := NormalizeText(lines[0].Text), NormalizeText(lines[1].Text)
	if _, _, _, ok := ParseFunctionCode(second); !ok {
		return false
	}
	_, _, _, ok := ParseFunctionCode(first)
	return !ok && !LooksLikeAmount(first)
}

// runsOn reports whether the first of a cell's lines runs on from the
// text of the cell above: it is drawn across the rule between them and
// into the cell's next line (two lines of one cell never collide), the
// last line above runs to its cell's edge (within FillSlack: it wrapped),
// and the line starts where that line starts (within SpaceGap em) and
// follows it within WrapGap.
func runsOn(glyphs []extract.Glyph, above, c *latCell, lines []TextLine, s *Settings) bool {
	line, top := lines[0], c.area.Y0
	if !(line.Y0 < top && line.Y1 > top) || lines[1].Y0 >= line.Y1 {
		return false
	}
	var last Box // the last line above: the lowest glyphs' line
	for _, g := range above.glyphs {
		if b := glyphBox(&glyphs[g]); last == (Box{}) || b.Y0 > last.Y0 {
			last = b
		}
	}
	start, end := last.X0, last.X1
	for _, g := range above.glyphs {
		if b := glyphBox(&glyphs[g]); b.SameLine(last, s.CellSameLine) {
			start, end = min(start, b.X0), max(end, b.X1)
		}
	}
	h := line.Y1 - line.Y0
	em := max(glyphs[line.Glyphs[0]].Size, 1)
	full := end >= above.area.X1-s.FillSlack*h // the line above wrapped: it was full
	return full && math.Abs(line.X0-start) <= s.SpaceGap*em && line.Y0 >= last.Y1-s.Rise*h && line.Y0 <= last.Y1+s.WrapGap*h
}

// startsWithDigit reports whether s starts with a digit, ASCII or full
// width.
func startsWithDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r >= '0' && r <= '9' || r >= '０' && r <= '９'
}

// columnExtents returns the boundaries of columns given by their extents:
// the outer edges, and the middle of each gap between neighbours.
func columnExtents(cols []interval) []float64 {
	if len(cols) == 0 {
		return nil
	}
	xs := make([]float64, 0, len(cols)+1)
	xs = append(xs, cols[0].x0)
	for i := 1; i < len(cols); i++ {
		xs = append(xs, (cols[i-1].x1+cols[i].x0)/2)
	}
	return append(xs, cols[len(cols)-1].x1)
}

// interval is a horizontal extent.
type interval struct{ x0, x1 float64 }

// overlap is how far two extents overlap (negative: the gap between them).
func (v interval) overlap(o interval) float64 { return min(v.x1, o.x1) - max(v.x0, o.x0) }

// xs is a box's horizontal extent.
func (b Box) xs() interval { return interval{b.X0, b.X1} }

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

var _ = math.Inf
