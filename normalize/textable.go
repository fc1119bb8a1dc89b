package normalize

import (
	"math"
	"slices"
	"strings"

	"github.com/budgetpdf/budgetpdf/extract"
)

// This file reads tables that have no grid: unruled tables, and three-line
// tables (a rule above and below the header, one at the bottom), into a
// lattice from text alignment, the way a reader does:
//
//   - The header is the band between the top rule and the next one; with
//     no rules, the lines above the first line that holds data.
//   - Header words stacked in one cell (a wrapped heading) are one block.
//     Columns are the header's leaves, the lowest block of each stack,
//     empty columns included; the data's chunks (runs of glyphs without a
//     wide gap) go to the leaf they overlap most.
//   - A group heading covers the run of columns below it over which it is
//     centred, bounded by its neighbours on its own level and by columns
//     whose own heading reaches its level (a row-spanning 合计).
//   - Rows: each line that holds data is a row. Text wrapped over several
//     lines in a column is one block of tightly set lines; it belongs to
//     the row whose data line it spans (names are centred on their
//     amounts, or start on them); a block that spans none is a row of its
//     own (an item with blank amounts). In a performance list, whose lines
//     of indicators print no amounts, the cells set one under the other in
//     a column are rows too.
//   - The table ends at its bottom rule, a note, the next title or a line
//     of prose (a sentence set from the table's left edge, not inside one
//     of its columns). A performance form is read apart (textform.go).

// chunk is a run of glyphs of one line without a wide gap.
type chunk struct {
	text   string
	glyphs []int // shares its line's Glyphs (one array per page): never changed in place
	box    Box
	lines  int // text lines joined into a header block (0 or 1: one)
}

// textLine is a line split into chunks.
type textLine struct {
	TextLine
	norm   string // NormalizeText of its text
	chunks []chunk
	anchor bool // holds data: a row of its own
}

// squashed is the line's normalized text without spaces.
func (l *textLine) squashed() string { return squashSpaces(l.norm) }

// chunksAt splits a line at gaps wider than gap em, and between a number
// and text at gaps wider than DigitGap em (an amount right-aligned against
// the next column).
func chunksAt(glyphs []extract.Glyph, l TextLine, gap float64, s *Settings) []chunk {
	var out []chunk
	var cur chunk
	var text strings.Builder // cur's text
	start := 0               // cur's first glyph in l.Glyphs
	end := func(k int) {     // cur ends before l.Glyphs[k]
		cur.glyphs = l.Glyphs[start:k:k]
		cur.text = text.String()
		out = append(out, cur)
		cur, text, start = chunk{}, strings.Builder{}, k
	}
	prevX1 := math.Inf(-1)
	prevDigit := false
	for k, i := range l.Glyphs {
		g := &glyphs[i]
		dx := g.X0 - prevX1
		digit := isAmountRune(g.Text)
		size := max(g.Size, 1)
		if k > start && (dx > gap*size || (dx > s.DigitGap*size && digit != prevDigit)) {
			end(k)
		}
		if k == start {
			cur.box = glyphBox(g)
		}
		text.WriteString(g.Text)
		cur.box = cur.box.Union(glyphBox(g))
		prevX1 = max(prevX1, g.X1)
		prevDigit = digit
	}
	if start < len(l.Glyphs) {
		end(len(l.Glyphs))
	}
	return out
}

// isAmountRune reports a glyph that can be part of an amount.
func isAmountRune(t string) bool {
	return len(t) == 1 && (t[0] >= '0' && t[0] <= '9' || t[0] == ',' || t[0] == '.' || t[0] == '-')
}

// isAnchor reports a line that holds data: at least two chunks, one of
// them an amount with a separator or decimals, or two of them numbers (a
// code alone is no data: it may be part of a wrapped cell).
func isAnchor(cs []chunk) bool {
	if len(cs) < 2 {
		return false
	}
	numbers := 0
	for _, c := range cs {
		t := NormalizeText(c.text)
		if !LooksLikeAmount(t) {
			continue
		}
		if strings.ContainsAny(t, ",.") {
			return true
		}
		numbers++
	}
	return numbers >= 2
}

// startsItem reports a line that begins a row without data of its own: a
// numbered item (一、 (一) 1.), a total (合计) or a code.
func startsItem(l textLine) bool {
	if len(l.chunks) == 0 {
		return false
	}
	t := NormalizeText(l.chunks[0].text)
	if isTotalLabel(squashSpaces(t)) || strings.HasPrefix(t, "其中") || isEnumerated(t) {
		return true
	}
	_, _, _, _, ok := ParseCode(t)
	return ok
}

// isNote reports a line that ends a table: a note under it.
func isNote(s string) bool {
	s = strings.TrimSpace(NormalizeText(s))
	return strings.HasPrefix(s, "注") || strings.HasPrefix(s, "备注") || strings.HasPrefix(s, "说明") || strings.HasPrefix(s, "填报说明")
}

// textTable is an unruled table found on a page, as a lattice, with the
// lines of its title block.
type textTable struct {
	lat   *lattice
	title []TextLine
}

// textTables reads the unruled tables among a page's free lines: each
// starts at a title no grid claims (or at the top of a page that continues
// an unruled table) and runs to a note, prose, the next title or the
// bottom rule.
func (b *Builder) textTables(pg *page) []textTable {
	last := b.last()
	continuing := len(pg.grids) == 0 && last != nil && !last.Ruled && last.PageLast == pg.p.Number-1
	var tops []float64
	for _, g := range pg.grids {
		_, top, _, _ := g.Bounds()
		tops = append(tops, top)
	}
	claimed := func(l TextLine) bool {
		return slices.ContainsFunc(tops, func(top float64) bool { return top >= l.Y1 && top-l.Y1 <= b.s.TitleGap })
	}
	if !continuing && !slices.ContainsFunc(pg.free, func(l TextLine) bool {
		return strings.Contains(l.Text, "表") && !claimed(l)
	}) {
		return nil // no title, no continuation: no unruled table here
	}
	for _, l := range pg.free {
		if squashSpaces(l.Text) == "目录" {
			return nil // a table of contents lists titles, not a table
		}
	}
	glyphs := pg.p.Glyphs
	tls := make([]textLine, len(pg.free))
	for i, l := range pg.free {
		tls[i] = textLine{TextLine: l, norm: NormalizeText(l.Text), chunks: chunksAt(glyphs, l, b.s.ChunkGap, &b.s)}
		tls[i].anchor = isAnchor(tls[i].chunks)
	}
	var out []textTable
	for i := 0; i < len(tls); {
		var title []TextLine
		j := i
		if !continuing {
			if !isTitle(tls[i].squashed()) || claimed(tls[i].TextLine) {
				i++
				continue
			}
			title, j = titleLines(tls, i)
		}
		var prev *Table
		if continuing {
			prev = last
		}
		lat, next := b.textTableAt(pg, tls, j, title, prev)
		if continuing && next == i {
			// The page starts with a title: a table of its own (which
			// continues the last one if it repeats its title), not the
			// rest of the last one.
			continuing = false
			continue
		}
		if lat != nil {
			out = append(out, textTable{lat, title})
		}
		continuing = false
		i = max(next, i+1)
	}
	return out
}

// textTableAt reads the unruled table starting at line j under the title
// block (prev is the table the page continues, nil for none): a form, or
// a table with a header over lines of data. It returns nil when the lines
// hold no table, and the index of the line after them.
func (b *Builder) textTableAt(pg *page, tls []textLine, j int, title []TextLine, prev *Table) (*lattice, int) {
	if b.formAt(pg.p.Glyphs, tls, j, title, prev) {
		body, next := b.formLines(tls, j, pg.rules)
		return b.formLattice(pg.p, body, prev), next
	}
	header, body, band, next := b.splitTextTable(tls, j, pg.rules)
	if !slices.ContainsFunc(body, func(l textLine) bool { return l.anchor || startsItem(l) }) {
		return nil, next
	}
	perf := prev != nil && prev.Kind == KindPerformance || prev == nil && len(title) > 0 && kindOf(parseTitleBlock(title, &b.s).title) == KindPerformance
	return b.textLattice(pg.p, header, body, band, prev, perf), next
}

// titleLines returns the title block around the title line at i: a label
// line right above it, and the statement lines (unit, agency, label) right
// after it; end is the index after the block.
func titleLines(tls []textLine, i int) (block []TextLine, end int) {
	start := i
	if i > 0 && labelRE.MatchString(tls[i-1].squashed()) {
		start = i - 1
	}
	end = i + 1
	for ; end < len(tls) && end <= i+3; end++ {
		t := tls[end].norm
		if !(unitRE.MatchString(squashSpaces(t)) || agencyRE.MatchString(t) || labelRE.MatchString(squashSpaces(t)) || isStatement(t)) {
			break
		}
	}
	for k := start; k < end; k++ {
		block = append(block, tls[k].TextLine)
	}
	return block, end
}

// splitTextTable returns the header and body lines of a table starting at
// line j, and the index of the line after it. With rules across the table
// (three-line), the header is the band between the first two rules and the
// body runs to the last rule; without, the header is the lines above the
// first line with data. band is the header's vertical extent: between the
// two rules, or the header lines' own.
func (b *Builder) splitTextTable(tls []textLine, j int, rules []hrule) (header, body []textLine, band interval, next int) {
	if j >= len(tls) {
		return nil, nil, band, j
	}
	band, bottom := b.ruledBand(tls, j, rules)
	k := j
	if band.x1 > band.x0 {
		for ; k < len(tls) && tls[k].CY() < band.x1; k++ {
			if tls[k].CY() > band.x0 {
				header = append(header, tls[k])
			}
		}
	} else {
		header, k = b.unruledHeader(tls, j)
		if len(header) > 0 {
			band = interval{header[0].Y0, header[len(header)-1].Y1}
		}
	}
	body, k = b.bodyLines(tls, j, k, bottom)
	return header, body, band, k
}

// bodyLines returns the body lines of a text table whose lines start at j
// and whose body starts at line k, and the index of the line after them:
// the body runs down to bottom, a note, the next title or prose.
func (b *Builder) bodyLines(tls []textLine, j, k int, bottom float64) (body []textLine, next int) {
	left := math.Inf(1) // the table's left edge: where its lines start
	for _, t := range tls[j:k] {
		left = min(left, t.X0)
	}
	for ; k < len(tls); k++ {
		t := tls[k]
		text := t.squashed()
		if t.CY() > bottom || isNote(text) || (isTitle(text) && len(t.chunks) == 1 && !t.anchor) {
			break
		}
		if b.isProse(t, left) {
			break
		}
		left = min(left, t.X0)
		body = append(body, t)
	}
	return body, k
}

// isProse reports a line of prose under a text table: one run of text
// holding a sentence's stop (。；) that starts at the table's left edge
// (or within ProseIndent of it, a paragraph's indent). A line set further
// in, inside one of the table's columns, is a wrapped cell's.
func (b *Builder) isProse(t textLine, left float64) bool {
	if t.anchor || len(t.chunks) != 1 || !strings.ContainsAny(t.squashed(), "。；") {
		return false
	}
	return math.IsInf(left, 1) || t.X0 <= left+b.s.ProseIndent*t.Box().Height()
}

// ruledBand finds the rules across a table starting at line j (those
// spanning half its lines' width): the header band between the first two,
// when lines stand between them and none holds data; and the bottom rule
// that ends the body (+Inf when none does).
func (b *Builder) ruledBand(tls []textLine, j int, rules []hrule) (band interval, bottom float64) {
	ys := b.tableRules(tls, j, rules)
	bottom = math.Inf(1)
	switch {
	case len(ys) >= 2 && ys[0] < tls[j].CY():
		inBand, data := false, false
		for _, l := range tls[j:] {
			if l.CY() > ys[0] && l.CY() < ys[1] {
				inBand = true
				data = data || l.anchor
			}
		}
		if inBand && !data {
			band = interval{ys[0], ys[1]}
			if len(ys) >= 3 {
				bottom = ys[len(ys)-1]
			}
		} else {
			bottom = ys[len(ys)-1]
		}
	case len(ys) >= 1 && ys[len(ys)-1] > tls[j].CY():
		bottom = ys[len(ys)-1]
	}
	return band, bottom
}

// tableRules returns, top down, the heights of the rules across a table
// starting at line j: those from RuleReach line heights above it down,
// that span RuleSpan of the width of its first BandLines lines.
func (b *Builder) tableRules(tls []textLine, j int, rules []hrule) []float64 {
	width := interval{math.Inf(1), math.Inf(-1)}
	for _, l := range tls[j:min(len(tls), j+b.s.BandLines)] {
		width.x0, width.x1 = min(width.x0, l.X0), max(width.x1, l.X1)
	}
	var ys []float64
	for _, r := range rules {
		if r.y >= tls[j].Y0-b.s.RuleReach*tls[j].Box().Height() && (r.x1-r.x0) >= b.s.RuleSpan*(width.x1-width.x0) && !slices.ContainsFunc(ys, func(y float64) bool { return math.Abs(y-r.y) < b.s.Snap }) {
			ys = append(ys, r.y)
		}
	}
	slices.Sort(ys)
	return ys
}

// unruledHeader returns the header of a table without rules starting at
// line j, and the index of the line after it: the lines above the first
// line with data (in a table without data, above its first item: 合计),
// less the lines of that first row set above its data line (a name
// centred on its amounts). On a continuation page they may be a repeated
// header or body: textLattice decides.
func (b *Builder) unruledHeader(tls []textLine, j int) (header []textLine, k int) {
	end := j
	for end < len(tls) && !tls[end].anchor {
		end++
	}
	if end == len(tls) {
		for end = j; end < len(tls) && !startsItem(tls[end]); end++ {
		}
	}
	for k = j; k < end && len(header) < b.s.MaxHeaderLines; k++ {
		if isTitle(tls[k].squashed()) && len(tls[k].chunks) == 1 {
			break
		}
		header = append(header, tls[k])
	}
	if k == end {
		n := b.centredAbove(tls, end, len(header))
		header, k = header[:len(header)-n], k-n
	}
	return header, k
}

// centredAbove counts the lines right above the data line at a that
// belong to its row: as many as the row's text runs on below it (lines set
// at most RowGap line heights apart that hold no data and start no item),
// at most max, each set as tightly above the next.
func (b *Builder) centredAbove(tls []textLine, a, most int) int {
	tight := func(x, y textLine) bool {
		return y.CY()-x.CY() <= b.s.RowGap*max(x.Box().Height(), y.Box().Height())
	}
	below := 0
	for i := a + 1; i < len(tls) && !tls[i].anchor && !startsItem(tls[i]) && tight(tls[i-1], tls[i]); i++ {
		below++
	}
	n := 0
	for n < min(below, most) && tight(tls[a-n-1], tls[a-n]) {
		n++
	}
	return n
}

// CY is a line's vertical centre.
func (l TextLine) CY() float64 { return (l.Y0 + l.Y1) / 2 }

// textLattice builds the lattice of an unruled table: columns from the
// header's leaves and the body's chunks (or the columns of prev, the table
// it continues, when it prints no header or repeats prev's), header spans
// by centring, rows from the lines with data (and, in a performance list,
// perf, from its lines of indicators).
func (b *Builder) textLattice(p *extract.Page, header, body []textLine, band interval, prev *Table, perf bool) *lattice {
	glyphs := p.Glyphs
	hl := slices.Clone(header)
	for i := range hl {
		hl[i].chunks = chunksAt(glyphs, header[i].TextLine, b.s.HeaderChunkGap, &b.s)
	}
	blocks := b.headerBlocks(hl)
	if prev != nil && len(header) > 0 && !repeatsHeader(prev, blocks) {
		// Not a repeat of the table's header: the page's first body lines.
		body = append(slices.Clone(header), body...)
		header, blocks = nil, nil
	}
	cols, leafOf := b.textColumns(blocks, body, prev)
	if len(cols) == 0 {
		return nil
	}
	l := &lattice{page: p.Number, xs: columnExtents(cols), ncol: len(cols), box: emptyBox()}
	for _, tl := range append(slices.Clone(header), body...) {
		l.box = l.box.Union(tl.Box())
	}
	l.cells, l.header = headerCells(blocks, b.headerSpans(blocks, cols, leafOf, band))
	for r, cells := range b.textRows(glyphs, body, cols, perf) {
		for _, cc := range cells {
			l.cells = append(l.cells, latCell{row: l.header + r, col: cc.col, rowSpan: 1, colSpan: 1, glyphs: cc.glyphs})
		}
		l.nrow = l.header + r + 1
	}
	l.nrow = max(l.nrow, l.header)
	l.finishText(glyphs, &b.s)
	return l
}

// finishText ends a lattice read from text lines: each cell's text, an
// area that is its box where none was set, and the cells in row and
// column order.
func (l *lattice) finishText(glyphs []extract.Glyph, s *Settings) {
	l.setText(glyphs, nil, s)
	for i := range l.cells {
		if l.cells[i].area == (Box{}) {
			l.cells[i].area = l.cells[i].box
		}
	}
	slices.SortStableFunc(l.cells, func(a, b latCell) int {
		if a.row != b.row {
			return a.row - b.row
		}
		return a.col - b.col
	})
}

// textColumns returns a text table's columns, and for each the header
// block that heads it (-1 for none): the columns of prev, the table the
// page continues, when the page repeats its header or prints none; else
// from the header's leaves and the data; without a header, from the data.
func (b *Builder) textColumns(blocks []chunk, body []textLine, prev *Table) (cols []interval, leafOf []int) {
	var data []chunk
	for _, l := range body {
		data = append(data, l.chunks...)
	}
	switch {
	case prev != nil && repeatsHeader(prev, blocks):
		for i := 0; i+1 < len(prev.colXs); i++ {
			cols = append(cols, interval{prev.colXs[i], prev.colXs[i+1]})
		}
	case len(blocks) > 0:
		return b.leafColumns(blocks, b.columnsFromChunks(data))
	default:
		cols = b.columnsFromChunks(data)
	}
	leafOf = make([]int, len(cols))
	for i := range leafOf {
		leafOf[i] = -1
	}
	return cols, leafOf
}

// headerCells makes the header blocks lattice cells over their spans, each
// block a row of its own, top to bottom, so that paths read the headings
// in their order on the page; rows is the number of header rows.
func headerCells(blocks []chunk, spans [][2]int) (cells []latCell, rows int) {
	order := make([]int, len(blocks))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, c int) int { return cmpFloat(blocks[a].box.Y0, blocks[c].box.Y0) })
	for row, i := range order {
		if sp := spans[i]; sp[0] >= 0 {
			cells = append(cells, latCell{row: row, col: sp[0], rowSpan: 1, colSpan: sp[1] - sp[0] + 1, area: blocks[i].box, glyphs: blocks[i].glyphs})
		}
	}
	return cells, len(blocks)
}

// repeatsHeader reports header blocks that only repeat the words of a
// table's column paths (or none at all): a continuation page's header.
func repeatsHeader(t *Table, blocks []chunk) bool {
	known := make(map[string]bool)
	for _, c := range t.Columns {
		for _, p := range c.Path {
			known[squashSpaces(p)] = true
		}
	}
	for _, blk := range blocks {
		if !known[squashSpaces(NormalizeText(blk.text))] {
			return false
		}
	}
	return true
}

// headerBlocks joins header chunks stacked in one cell: a chunk directly
// under another (vertical gap under half a line) that wraps on from it
// (wrapsOn) continues it. Blocks come top to bottom.
func (b *Builder) headerBlocks(header []textLine) []chunk {
	var all []chunk
	for _, l := range header {
		all = append(all, l.chunks...)
	}
	slices.SortStableFunc(all, func(a, b chunk) int { return cmpFloat(a.box.Y0, b.box.Y0) })
	used := make([]bool, len(all))
	var out []chunk
	for i := range all {
		if used[i] {
			continue
		}
		blk := all[i]
		blk.glyphs = slices.Clone(blk.glyphs)
		used[i] = true
		last := blk.box // the block's last line
		for j := i + 1; j < len(all); j++ {
			c := all[j]
			h := c.box.Height()
			if used[j] || c.box.Y0 > last.Y1+b.s.WrapGap*h {
				continue
			}
			if c.box.Y0 >= last.Y1-b.s.WrapRise*h && b.wrapsOn(last, c.box) {
				blk.lines = max(blk.lines, 1) + 1
				blk.text += c.text
				blk.glyphs = append(blk.glyphs, c.glyphs...)
				blk.box = blk.box.Union(c.box)
				last = c.box
				used[j] = true
			}
		}
		out = append(out, blk)
	}
	return out
}

// wrapsOn reports a header line that continues the line above it in one
// cell: set under it on the same axis (centres or left edges within half a
// line), no wider than it (the line above wrapped because it was full).
// A sub-heading under a group heading is centred on its own columns, not
// on the group's.
func (b *Builder) wrapsOn(above, line Box) bool {
	h := min(above.Height(), line.Height())
	aligned := math.Abs(above.CX()-line.CX()) <= b.s.WrapCentre*h || math.Abs(above.X0-line.X0) <= b.s.WrapEdge*h
	return aligned && line.Width() <= above.Width()+b.s.WrapEdge*h
}

// leafColumns makes the columns of a text table from the extents of its
// data and its header blocks. Each data extent is a column headed by the
// lowest block over it; an extent that lies under several blocks side by
// side on that level (wrapped text running under its neighbours) is split
// between them. A block that heads no data and is no group heading (not
// centred over lower blocks within its zone) heads an empty column.
func (b *Builder) leafColumns(blocks []chunk, data []interval) (cols []interval, leafOf []int) {
	heads := make([]bool, len(blocks))
	for _, d := range data {
		over := b.lowestOver(blocks, d)
		switch len(over) {
		case 0:
			cols, leafOf = append(cols, d), append(leafOf, -1)
		case 1:
			cols, leafOf = append(cols, d), append(leafOf, over[0])
			heads[over[0]] = true
		default:
			// Split at the middle between neighbouring headings.
			x0 := d.x0
			for k, i := range over {
				x1 := d.x1
				if k+1 < len(over) {
					x1 = (blocks[i].box.X1 + blocks[over[k+1]].box.X0) / 2
				}
				cols, leafOf = append(cols, interval{x0, x1}), append(leafOf, i)
				heads[i] = true
				x0 = x1
			}
		}
	}
	cols, leafOf = b.emptyColumns(blocks, heads, cols, leafOf)
	order := make([]int, len(cols))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, c int) int { return cmpFloat(cols[a].x0, cols[c].x0) })
	sc, sl := make([]interval, len(cols)), make([]int, len(cols))
	for k, i := range order {
		sc[k], sl[k] = cols[i], leafOf[i]
	}
	cols, leafOf = sc, sl
	// Neighbours must not overlap: cut at the middle of the overlap.
	for i := 1; i < len(cols); i++ {
		if cols[i].x0 < cols[i-1].x1 {
			mid := (cols[i].x0 + cols[i-1].x1) / 2
			cols[i-1].x1, cols[i].x0 = mid, mid
		}
	}
	return cols, leafOf
}

// lowestOver returns, left to right, the lowest header blocks over an
// extent that have no block under them within it: the headings of the
// columns the extent holds (more than one when wrapped text ran under a
// neighbour's heading).
func (b *Builder) lowestOver(blocks []chunk, d interval) []int {
	overlaps := func(bx Box) bool { return d.overlap(bx.xs()) > 0 }
	var over []int
	for i, blk := range blocks {
		if overlaps(blk.box) {
			over = append(over, i)
		}
	}
	if len(over) == 0 {
		return nil
	}
	low := over[0]
	for _, i := range over {
		if blocks[i].box.Y0 > blocks[low].box.Y0 {
			low = i
		}
	}
	var level []int
	for _, i := range over {
		hasUnder := slices.ContainsFunc(blocks, func(c chunk) bool {
			return c.box.Y0 >= blocks[i].box.Y1-b.s.Rise*c.box.Height() && blocks[i].box.XOverlap(c.box) > 0 && overlaps(c.box)
		})
		if blocks[i].box.SameLine(blocks[low].box, b.s.LevelOverlap) && !hasUnder {
			level = append(level, i)
		}
	}
	slices.SortFunc(level, func(a, c int) int { return cmpFloat(blocks[a].box.X0, blocks[c].box.X0) })
	return level
}

// emptyColumns adds a column for each header block that heads no data and
// is no group heading, where no column lies under it yet: an empty column.
// The lowest blocks come first: a heading over them is theirs.
func (b *Builder) emptyColumns(blocks []chunk, heads []bool, cols []interval, leafOf []int) ([]interval, []int) {
	byDepth := make([]int, len(blocks))
	for i := range byDepth {
		byDepth[i] = i
	}
	slices.SortStableFunc(byDepth, func(a, c int) int { return cmpFloat(blocks[c].box.Y1, blocks[a].box.Y1) })
	for _, i := range byDepth {
		blk := blocks[i]
		if heads[i] || b.isGroupHeading(blocks, i) {
			continue
		}
		if slices.ContainsFunc(cols, func(c interval) bool { return c.overlap(blk.box.xs()) > 0 }) {
			continue
		}
		cols, leafOf = append(cols, interval{blk.box.X0, blk.box.X1}), append(leafOf, i)
	}
	return cols, leafOf
}

// isGroupHeading reports a header block centred over lower blocks within
// its zone (bounded by the middles to its neighbours on its level).
func (b *Builder) isGroupHeading(blocks []chunk, i int) bool {
	blk := blocks[i]
	zone := b.blockZone(blocks, i)
	var lo, hi = math.Inf(1), math.Inf(-1)
	n := 0
	for _, c := range blocks {
		if c.box.Y0 >= blk.box.Y1-b.s.Rise*c.box.Height() && c.box.CX() >= zone.x0 && c.box.CX() <= zone.x1 {
			lo, hi = min(lo, c.box.X0), max(hi, c.box.X1)
			n++
		}
	}
	if n == 0 {
		return false
	}
	return math.Abs((lo+hi)/2-blk.box.CX()) <= b.s.GroupCentre*(hi-lo)
}

// blockZone is the stretch of the page nearer to a header block than to
// its neighbours on its level.
func (b *Builder) blockZone(blocks []chunk, i int) interval {
	blk := blocks[i]
	zone := interval{math.Inf(-1), math.Inf(1)}
	for j, o := range blocks {
		if j == i || !blk.box.SameLine(o.box, b.s.LevelOverlap) {
			continue
		}
		if o.box.X1 <= blk.box.X0 {
			zone.x0 = max(zone.x0, (o.box.X1+blk.box.X0)/2)
		} else if o.box.X0 >= blk.box.X1 {
			zone.x1 = min(zone.x1, (blk.box.X1+o.box.X0)/2)
		}
	}
	return zone
}

// columnsFromChunks merges overlapping chunk extents into columns.
func (b *Builder) columnsFromChunks(cs []chunk) []interval {
	iv := make([]interval, 0, len(cs))
	for _, c := range cs {
		iv = append(iv, interval{c.box.X0, c.box.X1})
	}
	slices.SortFunc(iv, func(a, b interval) int { return cmpFloat(a.x0, b.x0) })
	var out []interval
	for _, v := range iv {
		if n := len(out); n > 0 && v.x0 < out[n-1].x1-b.s.Touch {
			out[n-1].x1 = max(out[n-1].x1, v.x1)
			continue
		}
		out = append(out, v)
	}
	return out
}

// columnOf returns the column an extent belongs to: the one it overlaps
// most, else the one nearest its centre.
func columnOf(cols []interval, x0, x1 float64) int {
	best, bestOv := -1, 0.0
	for i, c := range cols {
		if ov := c.overlap(interval{x0, x1}); ov > bestOv {
			best, bestOv = i, ov
		}
	}
	if best >= 0 {
		return best
	}
	mid := (x0 + x1) / 2
	bestD := math.Inf(1)
	for i, c := range cols {
		if d := math.Abs((c.x0+c.x1)/2 - mid); d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// headerSpans returns each header block's span of columns [first, last]
// ({-1, -1}: none). A leaf spans the columns made from it. A group heading
// takes the widest run of columns around where it stands over which it
// stays centred, among the columns whose own heading lies below it
// (belowRule) and that its siblings on its line do not stand over; where
// two siblings then claim the same columns (a run centred by taking one
// column too many on each side), each contested column goes to the
// sibling nearer to it, and both take their runs again.
func (b *Builder) headerSpans(blocks []chunk, cols []interval, leafOf []int, band interval) [][2]int {
	sv := spanSolver{b: b, blocks: blocks, cols: cols, leafOf: leafOf, xs: columnExtents(cols),
		below: b.belowRule(blocks, leafOf, band), claimed: make(map[int]map[int]bool)}
	spans, groups := sv.leafSpans()
	sv.initial = make([][2]int, len(blocks))
	for _, g := range groups {
		sv.initial[g] = b.initialSpan(blocks[g].box, cols, func(c int) bool { return sv.under(g, c) })
	}
	sv.groups = groups
	sv.take(spans)
	for round := 0; round < len(groups) && sv.contest(spans); round++ {
		sv.take(spans)
	}
	return spans
}

// spanSolver holds what headerSpans works with.
type spanSolver struct {
	b       *Builder
	blocks  []chunk
	cols    []interval
	leafOf  []int
	xs      []float64
	below   func(l, g chunk) bool
	groups  []int                // the group headings (blocks that head no column)
	initial [][2]int             // each group's initial span
	claimed map[int]map[int]bool // group -> columns won from its siblings
}

// leafSpans returns the spans of the leaves and the group headings.
func (sv *spanSolver) leafSpans() (spans [][2]int, groups []int) {
	spans = make([][2]int, len(sv.blocks))
	isLeaf := make([]bool, len(sv.blocks))
	for i := range spans {
		spans[i] = [2]int{-1, -1}
	}
	for c, li := range sv.leafOf {
		if li < 0 {
			continue
		}
		isLeaf[li] = true
		if spans[li][0] < 0 {
			spans[li] = [2]int{c, c}
		}
		spans[li][1] = c
	}
	for i := range sv.blocks {
		if !isLeaf[i] {
			groups = append(groups, i)
		}
	}
	return spans, groups
}

// sibling reports two group headings on one line: they bound each other.
func (sv *spanSolver) sibling(g, h int) bool {
	return g != h && sv.blocks[g].box.SameLine(sv.blocks[h].box, sv.b.s.LevelOverlap)
}

// under reports a column whose own heading lies below group g.
func (sv *spanSolver) under(g, c int) bool {
	if c < 0 || c >= len(sv.cols) {
		return false
	}
	li := sv.leafOf[c]
	return li < 0 || sv.below(sv.blocks[li], sv.blocks[g])
}

// free reports a column group g may take: under it, and neither in a
// sibling's initial span nor won by a sibling.
func (sv *spanSolver) free(g, c int) bool {
	if !sv.under(g, c) {
		return false
	}
	for _, h := range sv.groups {
		if sv.sibling(g, h) && (sv.initial[h][0] <= c && c <= sv.initial[h][1] || sv.claimed[h][c]) {
			return false
		}
	}
	return true
}

// take gives each group the widest centred run of free columns.
func (sv *spanSolver) take(spans [][2]int) {
	for _, g := range sv.groups {
		if sv.initial[g][0] >= 0 {
			spans[g] = sv.b.widestCentred(sv.blocks[g].box, sv.xs, sv.initial[g], func(c int) bool { return sv.free(g, c) })
		}
	}
}

// contest gives each column two siblings claim to the nearer one; it
// reports whether any was contested.
func (sv *spanSolver) contest(spans [][2]int) bool {
	contested := false
	for _, g := range sv.groups {
		for _, h := range sv.groups {
			if g >= h || !sv.sibling(g, h) || spans[g][0] < 0 || spans[h][0] < 0 {
				continue
			}
			for c := max(spans[g][0], spans[h][0]); c <= min(spans[g][1], spans[h][1]); c++ {
				contested = true
				win := g
				if boxDistance(sv.blocks[h].box, sv.cols[c]) < boxDistance(sv.blocks[g].box, sv.cols[c]) {
					win = h
				}
				if sv.claimed[win] == nil {
					sv.claimed[win] = make(map[int]bool)
				}
				sv.claimed[win][c] = true
			}
		}
	}
	return contested
}

// belowRule returns the test of whether a column's heading lies under a
// group heading. Where the header's cells centre their text vertically
// (the column headings' centres take fewer values than their tops and
// their bottoms), a
// heading's cell runs from twice its centre less the header's bottom down
// to the bottom, and lies under a group heading only if that top is below
// the group's centre: a heading set lower down in the middle of a tall
// cell (总计, 合计 spanning several header rows) lies beside the group, not
// under it. Otherwise the heading's text must start below the group's.
func (b *Builder) belowRule(blocks []chunk, leafOf []int, band interval) func(l, g chunk) bool {
	var tops, centres, bottoms, heights []float64
	for _, li := range leafOf {
		if li < 0 {
			continue
		}
		bx := blocks[li].box
		tops, centres, bottoms = append(tops, bx.Y0), append(centres, bx.CY()), append(bottoms, bx.Y1)
		heights = append(heights, lineHeight(blocks[li]))
	}
	bottom := band.x1
	for _, blk := range blocks {
		bottom = max(bottom, blk.box.Y1)
	}
	centred := false
	if len(heights) >= 3 {
		slices.Sort(heights)
		tol := b.s.EdgeAlign * heights[len(heights)/2]
		distinct := func(vs []float64) int {
			slices.Sort(vs)
			n := 0
			for i, v := range vs {
				if i == 0 || v-vs[i-1] > tol {
					n++
				}
			}
			return n
		}
		c := distinct(centres)
		centred = c < distinct(tops) && c < distinct(bottoms)
	}
	return func(l, g chunk) bool {
		if l.box.Y0 < g.box.Y1-b.s.Rise*l.box.Height() {
			return false
		}
		return !centred || 2*l.box.CY()-bottom >= g.box.CY()-b.s.CentreSlack*lineHeight(g)
	}
}

// lineHeight is the height of one line of a block's text.
func lineHeight(c chunk) float64 { return c.box.Height() / float64(max(1, c.lines)) }

// initialSpan is where a group heading's span starts: the columns whose
// centre its text lies over, else the two (or one) nearest its centre.
func (b *Builder) initialSpan(h Box, cols []interval, ok func(int) bool) [2]int {
	sp := [2]int{-1, -1}
	for c, col := range cols {
		if mid := (col.x0 + col.x1) / 2; ok(c) && mid >= h.X0 && mid <= h.X1 {
			if sp[0] < 0 {
				sp[0] = c
			}
			sp[1] = c
		}
	}
	if sp[0] >= 0 {
		return sp
	}
	left, right := -1, -1
	for c, col := range cols {
		if !ok(c) {
			continue
		}
		if mid := (col.x0 + col.x1) / 2; mid < h.CX() {
			left = c
		} else if right < 0 {
			right = c
		}
	}
	switch {
	case left >= 0 && right >= 0 && right == left+1:
		return [2]int{left, right}
	case left >= 0 && (right < 0 || h.CX()-(cols[left].x0+cols[left].x1)/2 < (cols[right].x0+cols[right].x1)/2-h.CX()):
		return [2]int{left, left}
	case right >= 0:
		return [2]int{right, right}
	}
	return sp
}

// widestCentred returns the widest run of columns holding the initial
// span, all of them free, over which the heading stays centred
// (GroupCentre of the run's mean column width); of runs as wide, the best
// centred.
func (b *Builder) widestCentred(h Box, xs []float64, init [2]int, free func(int) bool) [2]int {
	lo, hi := init[0], init[1]
	for lo > 0 && free(lo-1) {
		lo--
	}
	for hi+2 < len(xs) && free(hi+1) {
		hi++
	}
	best, bestDev := init, math.Inf(1)
	for a := lo; a <= init[0]; a++ {
		for z := init[1]; z <= hi; z++ {
			mid := (xs[a] + xs[z+1]) / 2
			mean := (xs[z+1] - xs[a]) / float64(z-a+1)
			d := math.Abs(mid - h.CX())
			if d > b.s.GroupCentre*mean {
				continue
			}
			if w, bw := z-a, best[1]-best[0]; w > bw || w == bw && d < bestDev {
				best, bestDev = [2]int{a, z}, d
			}
		}
	}
	return best
}

// boxDistance is how far a column lies from a heading: 0 when they
// overlap, else the gap between them.
func boxDistance(h Box, c interval) float64 {
	return max(0, c.x0-h.X1, h.X0-c.x1)
}

// textCell is the glyphs of one body cell of a text table.
type textCell struct {
	col    int
	glyphs []int
}

// piece is a body chunk (or the part of one) placed in a column.
type piece struct {
	col  int
	line int // index into the body lines
	c    chunk
}

// textRows assigns the body's chunks to rows and columns. In each column,
// pieces set tightly one under the other are one block of wrapped text
// (one cell). Blocks that overlap vertically are one row (a name wrapped
// over three lines and the amounts centred on it); a row that holds
// several lines with data is cut into one row per data line, each piece
// going to the nearest. In a performance list (perf) a row may also be cut
// at its lines of indicators (lineRows).
func (b *Builder) textRows(glyphs []extract.Glyph, body []textLine, cols []interval, perf bool) [][]textCell {
	blocks := b.textBlocks(b.pieces(glyphs, body, cols), nil)
	type span struct{ y0, y1 float64 }
	ext := make([]span, len(blocks))
	for i, blk := range blocks {
		ext[i] = span{blk[0].c.box.Y0, blk[0].c.box.Y1}
		for _, p := range blk {
			ext[i].y0, ext[i].y1 = min(ext[i].y0, p.c.box.Y0), max(ext[i].y1, p.c.box.Y1)
		}
	}
	// Blocks that overlap vertically (by a fifth of a line) share a row.
	order := make([]int, len(blocks))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, c int) int { return cmpFloat(ext[a].y0, ext[c].y0) })
	var clusters [][]int
	bottom := math.Inf(-1)
	for _, i := range order {
		h := blocks[i][0].c.box.Height()
		if len(clusters) == 0 || ext[i].y0 > bottom-b.s.Rise*h {
			clusters = append(clusters, nil)
			bottom = math.Inf(-1)
		}
		clusters[len(clusters)-1] = append(clusters[len(clusters)-1], i)
		bottom = max(bottom, ext[i].y1)
	}
	anchorsOf := func(cl []int) []float64 {
		var anchors []float64
		for _, i := range cl {
			for _, p := range blocks[i] {
				if y := body[p.line].CY(); body[p.line].anchor && !slices.Contains(anchors, y) {
					anchors = append(anchors, y)
				}
			}
		}
		slices.Sort(anchors)
		return anchors
	}
	align := b.bodyAlignment(blocks, clusters, anchorsOf)
	var res [][]textCell
	for _, cl := range clusters {
		anchors := anchorsOf(cl)
		var rows []map[int][]int
		if perf {
			rows = b.lineRows(blocks, cl, len(anchors))
		}
		if rows == nil {
			rows = make([]map[int][]int, max(1, len(anchors)))
			for r := range rows {
				rows[r] = make(map[int][]int)
			}
			for _, i := range cl {
				for _, p := range blocks[i] {
					r := b.rowFor(anchors, p.c.box, align)
					rows[r][p.col] = append(rows[r][p.col], p.c.glyphs...)
				}
			}
		}
		for _, row := range rows {
			var cells []textCell
			for c := range cols {
				if g := row[c]; len(g) > 0 {
					cells = append(cells, textCell{c, g})
				}
			}
			if len(cells) > 0 {
				res = append(res, cells)
			}
		}
	}
	return res
}

// lineRows cuts a row group of a performance list (blocks that overlap
// vertically, cl) at its lines of indicators, which print no amounts: where
// a column holds more cells one under the other than the group has lines
// with data (anchors), the cells of such columns, merged where they
// overlap by LevelOverlap of a line, are the rows. Every other cell joins
// the row it overlaps most; a line of text that overlaps none is a row of
// its own (an indicator of another column between them), and an amount or
// a taller cell (a project's amounts, code and name, centred over its
// lines) goes to the nearest. It returns nil where the group is cut at its
// lines with data.
func (b *Builder) lineRows(blocks [][]piece, cl []int, anchors int) []map[int][]int {
	count := make(map[int]int)
	for _, i := range cl {
		count[blocks[i][0].col]++
	}
	bs := make([]rowBlock, 0, len(cl))
	for _, i := range cl {
		x := rowBlock{i: i, box: emptyBox(), lines: 1, lined: count[blocks[i][0].col] > max(1, anchors)}
		for k, p := range blocks[i] {
			x.box, x.line = x.box.Union(p.c.box), max(x.line, p.c.box.Height())
			if k > 0 && p.line != blocks[i][k-1].line {
				x.lines++
			}
		}
		x.amount = len(blocks[i]) == 1 && wholeAmount(NormalizeText(blocks[i][0].c.text))
		bs = append(bs, x)
	}
	if !slices.ContainsFunc(bs, func(x rowBlock) bool { return x.lined }) {
		return nil
	}
	// The lined cells first, top down, then the others: lines before
	// taller cells.
	rank := func(x rowBlock) int {
		switch {
		case x.lined:
			return 0
		case x.lines == 1:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(bs, func(x, y rowBlock) int {
		if rx, ry := rank(x), rank(y); rx != ry {
			return rx - ry
		}
		return cmpFloat(x.box.Y0, y.box.Y0)
	})
	bands := b.placeBlocks(bs)
	order := make([]int, len(bands)) // the bands top down
	for r := range order {
		order[r] = r
	}
	slices.SortStableFunc(order, func(a, c int) int { return cmpFloat(bands[a].Y0, bands[c].Y0) })
	rows := make([]map[int][]int, len(bands))
	for k, r := range order {
		rows[k] = make(map[int][]int)
		for _, x := range bs {
			if x.band == r {
				for _, p := range blocks[x.i] {
					rows[k][p.col] = append(rows[k][p.col], p.c.glyphs...)
				}
			}
		}
	}
	return rows
}

// rowBlock is a block of a row group that lineRows places.
type rowBlock struct {
	i      int     // index of the block
	box    Box     // its extent
	line   float64 // the height of a line of it
	lines  int     // lines it runs over
	lined  bool    // its column holds several cells in the group
	amount bool    // an amount
	band   int     // the row it goes to
}

// placeBlocks gives each block, in order, its band (see lineRows) and
// returns the bands.
func (b *Builder) placeBlocks(bs []rowBlock) []Box {
	var bands []Box
	for k := range bs {
		x := &bs[k]
		best := -1
		for r := range bands {
			if best < 0 || x.box.YOverlap(bands[r]) > x.box.YOverlap(bands[best]) {
				best = r
			}
		}
		switch {
		case best >= 0 && x.box.YOverlap(bands[best]) >= b.s.LevelOverlap*x.line:
			bands[best] = bands[best].Union(x.box)
		case x.lined || x.lines == 1 && !x.amount || best < 0:
			best = len(bands)
			bands = append(bands, x.box)
		default:
			for r := range bands {
				if math.Abs(bands[r].CY()-x.box.CY()) < math.Abs(bands[best].CY()-x.box.CY()) {
					best = r
				}
			}
		}
		x.band = best
	}
	return bands
}

// Vertical alignments of a table's body cells.
const (
	alignCentre = iota // text centred on the row: wrapped lines above and below its data line
	alignTop           // text starts on the data line and runs on below it
	alignBottom        // text ends on the data line
)

// bodyAlignment tells how the body's cells set their text, by a vote of
// the wrapped blocks that share their row with one data line: lines only
// below it (top), only above it (bottom), or on both sides (centre).
func (b *Builder) bodyAlignment(blocks [][]piece, clusters [][]int, anchorsOf func([]int) []float64) int {
	var votes [3]int
	for _, cl := range clusters {
		anchors := anchorsOf(cl)
		if len(anchors) != 1 {
			continue
		}
		for _, i := range cl {
			above, below := 0, 0
			for _, p := range blocks[i] {
				h := p.c.box.Height()
				switch {
				case p.c.box.CY() < anchors[0]-b.s.AnchorBand*h:
					above++
				case p.c.box.CY() > anchors[0]+b.s.AnchorBand*h:
					below++
				}
			}
			switch {
			case above > 0 && below > 0:
				votes[alignCentre]++
			case below > 0:
				votes[alignTop]++
			case above > 0:
				votes[alignBottom]++
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

// rowFor returns which of a row group's data lines (anchors, top to
// bottom) a piece of text belongs to: the nearest for centred text; the
// one at or above it for top-aligned text, at or below it for
// bottom-aligned text.
func (b *Builder) rowFor(anchors []float64, box Box, align int) int {
	if len(anchors) == 0 {
		return 0
	}
	y, tol := box.CY(), b.s.AnchorBand*box.Height()
	switch align {
	case alignTop:
		r := 0
		for k, a := range anchors {
			if a <= y+tol {
				r = k
			}
		}
		return r
	case alignBottom:
		for k, a := range anchors {
			if a >= y-tol {
				return k
			}
		}
		return len(anchors) - 1
	}
	r := 0
	for k, a := range anchors {
		if math.Abs(a-y) < math.Abs(anchors[r]-y) {
			r = k
		}
	}
	return r
}

// pieces places the body's chunks in columns: each goes to the column it
// overlaps most. A chunk whose ends lie in different columns (narrow
// columns stand closer than a chunk gap) is cut at each boundary it
// crosses, unless the part beyond would be text in a column of numbers (a
// long name running on over an empty amount cell).
func (b *Builder) pieces(glyphs []extract.Glyph, body []textLine, cols []interval) [][]piece {
	xs := columnExtents(cols)
	numeric := make([]int, len(cols)) // +1 per amount, -1 per text, of chunks within one column
	for _, l := range body {
		for _, c := range l.chunks {
			k := columnOf(cols, c.box.X0, c.box.X1)
			if len(b.cutChunk(glyphs, c, xs)) > 1 {
				continue
			}
			if LooksLikeAmount(NormalizeText(c.text)) {
				numeric[k]++
			} else {
				numeric[k]--
			}
		}
	}
	byCol := make([][]piece, len(cols))
	for i, l := range body {
		for _, c := range l.chunks {
			parts := b.cutChunk(glyphs, c, xs)
			for k := 1; k < len(parts); k++ {
				col := columnOf(cols, parts[k].box.X0, parts[k].box.X1)
				if numeric[col] > 0 && !LooksLikeAmount(NormalizeText(parts[k].text)) && !LooksLikeAmount(NormalizeText(parts[k-1].text)) {
					parts[k-1] = joinChunks(parts[k-1], parts[k])
					parts = slices.Delete(parts, k, k+1)
					k--
				}
			}
			for _, part := range parts {
				k := columnOf(cols, part.box.X0, part.box.X1)
				byCol[k] = append(byCol[k], piece{k, i, part})
			}
		}
	}
	return byCol
}

func joinChunks(a, c chunk) chunk {
	return chunk{text: a.text + c.text, glyphs: append(slices.Clone(a.glyphs), c.glyphs...), box: a.box.Union(c.box)}
}

// textBlocks groups each column's pieces into blocks of wrapped text:
// pieces of one line, or set one under the other at the table's line
// pitch (the smallest spacing of consecutive lines in a column that recurs,
// within RowGap line heights) where the line above ran to the edge of its
// room and the line below starts no item of its own. room gives the x a
// piece's line may run to; nil means the column's edge (where its text
// ends farthest right).
func (b *Builder) textBlocks(byCol [][]piece, room func(piece) float64) [][]piece {
	var gaps []float64
	for _, ps := range byCol {
		slices.SortStableFunc(ps, func(a, b piece) int { return cmpFloat(a.c.box.Y0, b.c.box.Y0) })
		for j := 1; j < len(ps); j++ {
			if ps[j].line == ps[j-1].line {
				continue
			}
			d := ps[j].c.box.CY() - ps[j-1].c.box.CY()
			if h := max(ps[j].c.box.Height(), ps[j-1].c.box.Height()); d >= b.s.MinPitch*h && d <= b.s.RowGap*h {
				gaps = append(gaps, math.Round(d/b.s.PitchStep)*b.s.PitchStep)
			}
		}
	}
	pitch := math.Inf(1)
	slices.Sort(gaps)
	for i := 1; i < len(gaps); i++ {
		if gaps[i]-gaps[i-1] <= b.s.PitchStep {
			pitch = gaps[i-1]
			break
		}
	}
	var out [][]piece
	for _, ps := range byCol {
		right := math.Inf(-1) // the column's right edge: where its text ends
		for _, p := range ps {
			right = max(right, p.c.box.X1)
		}
		edge := func(p piece) float64 { return right }
		if room != nil {
			edge = room
		}
		for i := 0; i < len(ps); {
			j := i + 1
			for j < len(ps) {
				prev, next := ps[j-1], ps[j]
				if prev.line != next.line {
					// The next line continues the cell when it follows at
					// the line pitch, the line before ran to the column's
					// edge (the text wrapped) and it starts no item of its
					// own (一、, (二), 合计, a code, an amount with its
					// decimals).
					h := max(next.c.box.Height(), prev.c.box.Height())
					d := next.c.box.CY() - prev.c.box.CY()
					t := NormalizeText(next.c.text)
					if d > min(b.s.RowGap*h, pitch*(1+b.s.PitchSlack)+b.s.PitchStep) || prev.c.box.X1 < edge(prev)-b.s.FillSlack*h ||
						isEnumerated(t) || isTotalLabel(squashSpaces(t)) || wholeAmount(t) {
						break
					}
				}
				j++
			}
			out = append(out, ps[i:j])
			i = j
		}
	}
	return out
}

// wholeAmount reports a text that is an amount printed with its decimals
// (1271.70, 3,531.36): no wrapped cell's continuation.
func wholeAmount(t string) bool {
	t = squashSpaces(t)
	return LooksLikeAmount(t) && strings.Contains(t, ".") && !strings.HasPrefix(t, ".")
}

// cutChunk cuts a chunk at the column boundaries (xs) its glyphs lie on
// both sides of: at the widest gap between glyphs within 1.5 em of the
// boundary, or where the boundary falls when the glyphs there abut.
func (b *Builder) cutChunk(glyphs []extract.Glyph, c chunk, xs []float64) []chunk {
	if len(c.glyphs) < 2 || len(xs) < 3 {
		return []chunk{c}
	}
	colAt := func(x float64) int { return max(0, min(len(xs)-2, sortSearch(xs, x)-1)) }
	first := glyphBox(&glyphs[c.glyphs[0]])
	last := glyphBox(&glyphs[c.glyphs[len(c.glyphs)-1]])
	if colAt(first.CX()) == colAt(last.CX()) {
		return []chunk{c}
	}
	var cuts []int // glyph positions to cut before
	for k := colAt(first.CX()) + 1; k <= colAt(last.CX()); k++ {
		bx := xs[k]
		best, bestGap := -1, -1.0
		for j := 1; j < len(c.glyphs); j++ {
			p, n := &glyphs[c.glyphs[j-1]], &glyphs[c.glyphs[j]]
			em := max(n.Size, 1)
			if math.Abs((p.X1+n.X0)/2-bx) > b.s.CutReach*em {
				continue
			}
			gap := n.X0 - p.X1
			if gap > bestGap+b.s.CutTie*em || best < 0 {
				best, bestGap = j, gap
			}
		}
		if best > 0 && (len(cuts) == 0 || best > cuts[len(cuts)-1]) {
			cuts = append(cuts, best)
		}
	}
	if len(cuts) == 0 {
		return []chunk{c}
	}
	var out []chunk
	from := 0
	for _, cut := range append(cuts, len(c.glyphs)) {
		part := chunk{box: emptyBox()}
		for _, gi := range c.glyphs[from:cut] {
			part.glyphs = append(part.glyphs, gi)
			part.text += glyphs[gi].Text
			part.box = part.box.Union(glyphBox(&glyphs[gi]))
		}
		out = append(out, part)
		from = cut
	}
	return out
}
