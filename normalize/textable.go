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
//     own (an item with blank amounts).

// chunk is a run of glyphs of one line without a wide gap.
type chunk struct {
	text   string
	glyphs []int
	box    Box
}

// textLine is a line split into chunks.
type textLine struct {
	TextLine
	chunks []chunk
	anchor bool // holds data: a row of its own
}

// chunksAt splits a line at gaps wider than gap em, and between a number
// and text at gaps wider than DigitGap em (an amount right-aligned against
// the next column).
func chunksAt(glyphs []extract.Glyph, l TextLine, gap float64, s *Settings) []chunk {
	var out []chunk
	var cur chunk
	prevX1 := math.Inf(-1)
	prevDigit := false
	for _, i := range l.Glyphs {
		g := &glyphs[i]
		dx := g.X0 - prevX1
		digit := isAmountRune(g.Text)
		size := max(g.Size, 1)
		if len(cur.glyphs) > 0 && (dx > gap*size || (dx > s.DigitGap*size && digit != prevDigit)) {
			out = append(out, cur)
			cur = chunk{}
		}
		if len(cur.glyphs) == 0 {
			cur.box = glyphBox(g)
		}
		cur.glyphs = append(cur.glyphs, i)
		cur.text += g.Text
		cur.box = cur.box.Union(glyphBox(g))
		prevX1 = max(prevX1, g.X1)
		prevDigit = digit
	}
	if len(cur.glyphs) > 0 {
		out = append(out, cur)
	}
	return out
}

// isAmountRune reports a glyph that can be part of an amount.
func isAmountRune(t string) bool {
	return len(t) == 1 && (t[0] >= '0' && t[0] <= '9' || t[0] == ',' || t[0] == '.' || t[0] == '-')
}

// isAnchor reports a line that holds data: at least two chunks, one of
// them an amount or a code on its own.
func isAnchor(cs []chunk) bool {
	if len(cs) < 2 {
		return false
	}
	for _, c := range cs {
		t := NormalizeText(c.text)
		if looksLikeData(t) && (LooksLikeAmount(t) || isDigits(t)) {
			return true
		}
	}
	return false
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
		tls[i] = textLine{TextLine: l, chunks: chunksAt(glyphs, l, b.s.ChunkGap, &b.s)}
		tls[i].anchor = isAnchor(tls[i].chunks)
	}
	var out []textTable
	for i := 0; i < len(tls); {
		var title []TextLine
		j := i
		if !continuing {
			if !isTitle(squashSpaces(NormalizeText(tls[i].Text))) || claimed(tls[i].TextLine) {
				i++
				continue
			}
			title, j = titleLines(tls, i)
		}
		header, body, next := b.splitTextTable(tls, j, pg.rules, continuing)
		if slices.ContainsFunc(body, func(l textLine) bool { return l.anchor || startsItem(l) }) {
			var prev []float64
			if continuing {
				prev = last.colXs
			}
			if lat := b.textLattice(pg.p, header, body, prev); lat != nil {
				out = append(out, textTable{lat, title})
			}
		}
		continuing = false
		i = max(next, i+1)
	}
	return out
}

// titleLines returns the title block around the title line at i: a label
// line right above it, and the statement lines (unit, agency, label) right
// after it; end is the index after the block.
func titleLines(tls []textLine, i int) (block []TextLine, end int) {
	start := i
	if i > 0 && labelRE.MatchString(squashSpaces(NormalizeText(tls[i-1].Text))) {
		start = i - 1
	}
	end = i + 1
	for ; end < len(tls) && end <= i+3; end++ {
		t := NormalizeText(tls[end].Text)
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
// first line with data.
func (b *Builder) splitTextTable(tls []textLine, j int, rules []hrule, continuing bool) (header, body []textLine, next int) {
	if j >= len(tls) {
		return nil, nil, j
	}
	// The rules below the title that span most of the table's lines.
	width := interval{math.Inf(1), math.Inf(-1)}
	for _, l := range tls[j:min(len(tls), j+20)] {
		width.x0, width.x1 = min(width.x0, l.X0), max(width.x1, l.X1)
	}
	var ys []float64
	for _, r := range rules {
		if r.y >= tls[j].Y0-2*tls[j].Box().Height() && (r.x1-r.x0) >= 0.5*(width.x1-width.x0) && !slices.ContainsFunc(ys, func(y float64) bool { return math.Abs(y-r.y) < b.s.Snap }) {
			ys = append(ys, r.y)
		}
	}
	slices.Sort(ys)
	bottom := math.Inf(1)
	headerEnd := -1.0
	if len(ys) >= 2 && ys[0] < tls[j].CY() {
		// Lines between the first two rules, if none holds data, are the
		// header; a third rule or more ends the body.
		inBand, data := false, false
		for _, l := range tls[j:] {
			if l.CY() > ys[0] && l.CY() < ys[1] {
				inBand = true
				data = data || l.anchor
			}
		}
		if inBand && !data {
			headerEnd = ys[1]
			if len(ys) >= 3 {
				bottom = ys[len(ys)-1]
			}
		} else if !inBand || len(ys) >= 2 {
			bottom = ys[len(ys)-1]
		}
	} else if len(ys) >= 1 && ys[len(ys)-1] > tls[j].CY() {
		bottom = ys[len(ys)-1]
	}
	k := j
	if headerEnd > 0 {
		for ; k < len(tls) && tls[k].CY() < headerEnd; k++ {
			if tls[k].CY() > ys[0] {
				header = append(header, tls[k])
			}
		}
	} else if !continuing {
		for ; k < len(tls) && !tls[k].anchor && len(header) < b.s.MaxHeaderLines; k++ {
			if isTitle(squashSpaces(NormalizeText(tls[k].Text))) && len(tls[k].chunks) == 1 {
				break
			}
			header = append(header, tls[k])
		}
	}
	for ; k < len(tls); k++ {
		t := tls[k]
		text := squashSpaces(NormalizeText(t.Text))
		if t.CY() > bottom || isNote(text) || (isTitle(text) && len(t.chunks) == 1 && !t.anchor) {
			break
		}
		if !t.anchor && len(t.chunks) == 1 && strings.ContainsAny(text, "。；") {
			break // prose
		}
		body = append(body, t)
	}
	return header, body, k
}

// CY is a line's vertical centre.
func (l TextLine) CY() float64 { return (l.Y0 + l.Y1) / 2 }

// textLattice builds the lattice of an unruled table: columns from the
// header's leaves and the body's chunks (or prev, the boundaries of the
// table it continues, when it prints no header), header spans by centring,
// rows from the lines with data.
func (b *Builder) textLattice(p *extract.Page, header, body []textLine, prev []float64) *lattice {
	glyphs := p.Glyphs
	for i := range header {
		header[i].chunks = chunksAt(glyphs, header[i].TextLine, b.s.HeaderChunkGap, &b.s)
	}
	blocks := headerBlocks(header)
	leaves := leafBlocks(blocks)
	var data []chunk
	for _, l := range body {
		if l.anchor {
			data = append(data, l.chunks...)
		}
	}
	var cols []interval
	var leafOf []int // column -> leaf block index, -1 none
	switch {
	case len(leaves) > 0:
		cols, leafOf = leafColumns(blocks, leaves, columnsFromChunks(data))
	case prev != nil:
		for i := 0; i+1 < len(prev); i++ {
			cols = append(cols, interval{prev[i], prev[i+1]})
			leafOf = append(leafOf, -1)
		}
	default:
		cols = columnsFromChunks(data)
		for range cols {
			leafOf = append(leafOf, -1)
		}
	}
	if len(cols) == 0 {
		return nil
	}
	l := &lattice{page: p.Number, xs: columnExtents(cols), ncol: len(cols), box: emptyBox()}
	for _, hl := range header {
		l.box = l.box.Union(hl.Box())
	}
	for _, bl := range body {
		l.box = l.box.Union(bl.Box())
	}
	// Header: one lattice row per level of blocks, top to bottom.
	spans := b.headerSpans(blocks, cols, leafOf)
	levels := blockLevels(blocks)
	for i, blk := range blocks {
		sp := spans[i]
		if sp[0] < 0 {
			continue
		}
		l.cells = append(l.cells, latCell{row: levels[i], col: sp[0], rowSpan: 1, colSpan: sp[1] - sp[0] + 1, area: blk.box, glyphs: blk.glyphs})
	}
	l.header = 0
	for _, lv := range levels {
		l.header = max(l.header, lv+1)
	}
	// Body rows.
	for r, cells := range b.textRows(glyphs, body, cols) {
		for _, cc := range cells {
			l.cells = append(l.cells, latCell{row: l.header + r, col: cc.col, rowSpan: 1, colSpan: 1, glyphs: cc.glyphs})
		}
		l.nrow = l.header + r + 1
	}
	l.nrow = max(l.nrow, l.header)
	l.setText(glyphs, &b.s)
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
	return l
}

// headerBlocks joins header chunks stacked in one cell: a chunk directly
// under another (vertical gap under half a line, overlapping by half the
// narrower) continues it. Blocks come top to bottom.
func headerBlocks(header []textLine) []chunk {
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
		for j := i + 1; j < len(all); j++ {
			c := all[j]
			h := c.box.Height()
			if used[j] || c.box.Y0 > blk.box.Y1+0.5*h {
				continue
			}
			ov := blk.box.XOverlap(c.box)
			narrow := min(blk.box.Width(), c.box.Width())
			if c.box.Y0 >= blk.box.Y1-0.3*h && ov >= narrow/2 {
				blk.text += c.text
				blk.glyphs = append(blk.glyphs, c.glyphs...)
				blk.box = blk.box.Union(c.box)
				used[j] = true
			}
		}
		out = append(out, blk)
	}
	return out
}

// leafBlocks returns the header blocks with no block under them: the
// columns' own headings.
func leafBlocks(blocks []chunk) []int {
	var out []int
	for i, a := range blocks {
		under := slices.ContainsFunc(blocks, func(c chunk) bool {
			return c.box.Y0 >= a.box.Y1-0.2*c.box.Height() && a.box.XOverlap(c.box) > 0.3*min(a.box.Width(), c.box.Width())
		})
		if !under {
			out = append(out, i)
		}
	}
	slices.SortFunc(out, func(a, b int) int { return cmpFloat(blocks[a].box.X0, blocks[b].box.X0) })
	return out
}

// leafColumns makes the columns from the header's leaves and the data's
// column extents: each data extent goes to the leaf it overlaps most (or
// the nearest); a leaf over two separate data extents makes two columns;
// a leaf over none is an empty column.
func leafColumns(blocks []chunk, leaves []int, data []interval) (cols []interval, leafOf []int) {
	assigned := make([][]interval, len(leaves))
	for _, d := range data {
		best, bestOv := -1, 0.0
		for k, li := range leaves {
			bx := blocks[li].box
			if ov := min(d.x1, bx.X1) - max(d.x0, bx.X0); ov > bestOv {
				best, bestOv = k, ov
			}
		}
		if best < 0 {
			mid := (d.x0 + d.x1) / 2
			bestD := math.Inf(1)
			for k, li := range leaves {
				if dd := math.Abs(blocks[li].box.CX() - mid); dd < bestD {
					best, bestD = k, dd
				}
			}
		}
		assigned[best] = append(assigned[best], d)
	}
	for k, li := range leaves {
		bx := blocks[li].box
		if len(assigned[k]) <= 1 {
			c := interval{bx.X0, bx.X1}
			for _, d := range assigned[k] {
				c = interval{min(c.x0, d.x0), max(c.x1, d.x1)}
			}
			cols, leafOf = append(cols, c), append(leafOf, li)
			continue
		}
		for _, d := range assigned[k] {
			cols, leafOf = append(cols, d), append(leafOf, li)
		}
	}
	// Neighbours must not overlap: trim at the middle of the overlap.
	for i := 1; i < len(cols); i++ {
		if cols[i].x0 < cols[i-1].x1 {
			mid := (cols[i].x0 + cols[i-1].x1) / 2
			cols[i-1].x1, cols[i].x0 = mid, mid
		}
	}
	return cols, leafOf
}

// columnsFromChunks merges overlapping chunk extents into columns.
func columnsFromChunks(cs []chunk) []interval {
	iv := make([]interval, 0, len(cs))
	for _, c := range cs {
		iv = append(iv, interval{c.box.X0, c.box.X1})
	}
	slices.SortFunc(iv, func(a, b interval) int { return cmpFloat(a.x0, b.x0) })
	var out []interval
	for _, v := range iv {
		if n := len(out); n > 0 && v.x0 < out[n-1].x1-0.5 {
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
		if ov := min(x1, c.x1) - max(x0, c.x0); ov > bestOv {
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

// blockLevels numbers the header blocks' levels top to bottom: blocks that
// overlap vertically by half share a level.
func blockLevels(blocks []chunk) []int {
	out := make([]int, len(blocks))
	order := make([]int, len(blocks))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(blocks[a].box.Y0, blocks[b].box.Y0) })
	level, band := -1, Box{}
	for _, i := range order {
		bx := blocks[i].box
		if level < 0 || !band.SameLine(bx, 0.5) {
			level++
			band = bx
		}
		out[i] = level
	}
	return out
}

// headerSpans returns each header block's span of columns [first, last]
// ({-1, -1}: none). A leaf spans the columns made from it. A group heading
// spans the columns whose own heading lies below it and that are nearer
// to it than to its neighbours on its level, trimmed to the run it is
// centred over.
func (b *Builder) headerSpans(blocks []chunk, cols []interval, leafOf []int) [][2]int {
	spans := make([][2]int, len(blocks))
	isLeaf := make([]bool, len(blocks))
	for i := range spans {
		spans[i] = [2]int{-1, -1}
	}
	for c, li := range leafOf {
		if li < 0 {
			continue
		}
		isLeaf[li] = true
		if spans[li][0] < 0 {
			spans[li] = [2]int{c, c}
		}
		spans[li][1] = c
	}
	for i, blk := range blocks {
		if isLeaf[i] {
			continue
		}
		// Neighbours on the block's level bound its zone.
		zone := interval{math.Inf(-1), math.Inf(1)}
		for j, o := range blocks {
			if j == i || !blk.box.SameLine(o.box, 0.5) {
				continue
			}
			if o.box.X1 <= blk.box.X0 {
				zone.x0 = max(zone.x0, (o.box.X1+blk.box.X0)/2)
			} else if o.box.X0 >= blk.box.X1 {
				zone.x1 = min(zone.x1, (blk.box.X1+o.box.X0)/2)
			}
		}
		var cand []int
		for c, col := range cols {
			mid := (col.x0 + col.x1) / 2
			li := leafOf[c]
			below := li < 0 || blocks[li].box.Y0 >= blk.box.Y1-0.2*blocks[li].box.Height()
			if below && mid >= zone.x0 && mid <= zone.x1 {
				cand = append(cand, c)
			}
		}
		spans[i] = b.centredRun(blk.box, cols, cand)
	}
	return spans
}

// centredRun returns the contiguous run of candidate columns around a
// heading's centre, trimmed from its heavier side until the heading is
// centred over it (GroupCentre of the mean column width).
func (b *Builder) centredRun(h Box, cols []interval, cand []int) [2]int {
	if len(cand) == 0 {
		return [2]int{-1, -1}
	}
	// The run of consecutive candidates holding the column nearest the
	// heading's centre.
	near, nearD := 0, math.Inf(1)
	for k, c := range cand {
		mid := (cols[c].x0 + cols[c].x1) / 2
		if d := math.Abs(mid - h.CX()); d < nearD {
			near, nearD = k, d
		}
	}
	lo, hi := near, near
	for lo > 0 && cand[lo-1] == cand[lo]-1 {
		lo--
	}
	for hi+1 < len(cand) && cand[hi+1] == cand[hi]+1 {
		hi++
	}
	a, z := cand[lo], cand[hi]
	for a < z {
		mid := (cols[a].x0 + cols[z].x1) / 2
		mean := (cols[z].x1 - cols[a].x0) / float64(z-a+1)
		d := mid - h.CX()
		if math.Abs(d) <= b.s.GroupCentre*mean {
			break
		}
		// Never drop a column the heading itself lies over.
		if d < 0 {
			if cols[a].x1 > h.X0 {
				break
			}
			a++
		} else {
			if cols[z].x0 < h.X1 {
				break
			}
			z--
		}
	}
	return [2]int{a, z}
}

// textCell is the chunks of one body cell of a text table.
type textCell struct {
	col    int
	glyphs []int
}

// textRows assigns the body's chunks to rows and columns. Every line that
// holds data (or starts an item) is a row. In each column, chunks set
// tightly one under the other are one block of wrapped text; a block goes
// to the row whose line it spans, split between rows when it spans
// several (each line to the nearest), and is a row of its own when it
// spans none.
func (b *Builder) textRows(glyphs []extract.Glyph, body []textLine, cols []interval) [][]textCell {
	type piece struct {
		col  int
		line int
		c    chunk
	}
	var rowLines []int // body line index of each row's data line
	rowOfLine := make([]int, len(body))
	for i, l := range body {
		rowOfLine[i] = -1
		if l.anchor || startsItem(l) {
			rowOfLine[i] = len(rowLines)
			rowLines = append(rowLines, i)
		}
	}
	byCol := make([][]piece, len(cols))
	for i, l := range body {
		for _, c := range l.chunks {
			k := columnOf(cols, c.box.X0, c.box.X1)
			byCol[k] = append(byCol[k], piece{k, i, c})
		}
	}
	rowY := func(r int) float64 { return body[rowLines[r]].CY() }
	type assigned struct {
		row int
		p   piece
	}
	var out []assigned
	var loose [][]piece // blocks that span no data line
	for _, ps := range byCol {
		slices.SortStableFunc(ps, func(a, b piece) int { return cmpFloat(a.c.box.Y0, b.c.box.Y0) })
		for i := 0; i < len(ps); {
			j := i + 1
			for j < len(ps) && (ps[j].line == ps[j-1].line || ps[j].c.box.CY()-ps[j-1].c.box.CY() <= b.s.RowGap*max(ps[j].c.box.Height(), ps[j-1].c.box.Height())) {
				j++
			}
			blk := ps[i:j]
			i = j
			// The rows whose data line the block spans.
			top, bottom := blk[0].c.box.Y0, blk[len(blk)-1].c.box.Y1
			var rows []int
			for r := range rowLines {
				if y := rowY(r); y >= top && y <= bottom {
					rows = append(rows, r)
				}
			}
			if len(rows) == 0 {
				loose = append(loose, blk)
				continue
			}
			for _, p := range blk {
				if r := rowOfLine[p.line]; r >= 0 && slices.Contains(rows, r) {
					out = append(out, assigned{r, p})
					continue
				}
				best, bestD := rows[0], math.Inf(1)
				for _, r := range rows {
					if d := math.Abs(rowY(r) - p.c.box.CY()); d < bestD {
						best, bestD = r, d
					}
				}
				out = append(out, assigned{best, p})
			}
		}
	}
	// Loose blocks that overlap vertically make one row of their own.
	slices.SortStableFunc(loose, func(a, b []piece) int { return cmpFloat(a[0].c.box.Y0, b[0].c.box.Y0) })
	type extra struct {
		y0, y1 float64
		pieces []piece
	}
	var extras []extra
	for _, blk := range loose {
		y0, y1 := blk[0].c.box.Y0, blk[len(blk)-1].c.box.Y1
		if n := len(extras); n > 0 && y0 < extras[n-1].y1 {
			extras[n-1].y1 = max(extras[n-1].y1, y1)
			extras[n-1].pieces = append(extras[n-1].pieces, blk...)
			continue
		}
		extras = append(extras, extra{y0, y1, slices.Clone(blk)})
	}
	// All rows top to bottom: data rows at their line, extra rows at
	// their top.
	type rowAt struct {
		y     float64
		cells map[int][]int
	}
	rows := make([]rowAt, 0, len(rowLines)+len(extras))
	for r := range rowLines {
		rows = append(rows, rowAt{y: rowY(r), cells: make(map[int][]int)})
	}
	for _, a := range out {
		rows[a.row].cells[a.p.col] = append(rows[a.row].cells[a.p.col], a.p.c.glyphs...)
	}
	for _, e := range extras {
		ra := rowAt{y: (e.y0 + e.y1) / 2, cells: make(map[int][]int)}
		for _, p := range e.pieces {
			ra.cells[p.col] = append(ra.cells[p.col], p.c.glyphs...)
		}
		rows = append(rows, ra)
	}
	slices.SortStableFunc(rows, func(a, b rowAt) int { return cmpFloat(a.y, b.y) })
	res := make([][]textCell, 0, len(rows))
	for _, r := range rows {
		var cells []textCell
		for c := range cols {
			if g := r.cells[c]; len(g) > 0 {
				cells = append(cells, textCell{c, g})
			}
		}
		if len(cells) > 0 {
			res = append(res, cells)
		}
	}
	return res
}
