package normalize

import (
	"math"
	"slices"
	"strings"

	"github.com/budgetpdf/budgetpdf/extract"
)

// This file rebuilds tables that are not ruled, or only partly (three-line
// tables: a rule above and below the header and at the bottom). Columns come
// from text alignment: the chunks of the data rows (a chunk is a run of
// glyphs without a wide gap) overlap column by column, and header words
// fill the columns that no data row uses. Rows come from their anchors, the
// lines that carry data (amounts, codes, totals); a line without data is
// wrapped text and joins the nearer anchor, above or below, so a name whose
// first lines sit above vertically centred amounts stays whole.

// chunk is a run of glyphs of one line without a wide gap.
type chunk struct {
	text           string
	glyphs         []int
	x0, y0, x1, y1 float64
}

// chunkGap is the gap, as a fraction of the font size, that separates
// chunks (table cells) within a line.
const chunkGap = 1.0

// chunks splits a line at wide gaps.
func chunks(glyphs []extract.Glyph, l TextLine) []chunk { return chunksAt(glyphs, l, chunkGap) }

// headerChunkGap splits header lines more finely: narrow header columns
// stand closer than data columns, and header words have no inner gaps.
const headerChunkGap = 0.3

// chunksAt splits a line at gaps wider than gap font sizes.
func chunksAt(glyphs []extract.Glyph, l TextLine, gapLimit float64) []chunk {
	var out []chunk
	var cur chunk
	prevX1 := math.Inf(-1)
	prevDigit := false
	for _, i := range l.Glyphs {
		g := glyphs[i]
		dx := g.X0 - prevX1
		digit := isAmountRune(g.Text)
		// A wide gap ends a chunk; so does a smaller one between a number
		// and text (an amount right-aligned against the next column).
		if len(cur.glyphs) > 0 && (dx > gapLimit*max(g.Size, 1) || (dx > 0.3*max(g.Size, 1) && digit != prevDigit)) {
			out = append(out, cur)
			cur = chunk{}
		}
		if len(cur.glyphs) == 0 {
			cur.x0, cur.y0, cur.x1, cur.y1 = g.X0, g.Y0, g.X1, g.Y1
		}
		cur.glyphs = append(cur.glyphs, i)
		cur.text += g.Text
		cur.x0, cur.y0 = min(cur.x0, g.X0), min(cur.y0, g.Y0)
		cur.x1, cur.y1 = max(cur.x1, g.X1), max(cur.y1, g.Y1)
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

// textLine is a line split into chunks.
type textLine struct {
	TextLine
	chunks []chunk
	anchor bool // carries data: starts a row
}

// isAnchor reports a line with a label and data: at least two chunks, one
// of them a number or code on its own, or a total label.
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
	// A total label alone is no anchor: 合计 is a header word too.
	return false
}

// isNote reports a line that ends a table: a note under it.
func isNote(s string) bool {
	s = strings.TrimSpace(NormalizeText(s))
	return strings.HasPrefix(s, "注") || strings.HasPrefix(s, "备注") || strings.HasPrefix(s, "说明") || strings.HasPrefix(s, "填报说明")
}

// interval is a column's horizontal extent.
type interval struct{ x0, x1 float64 }

// columnsFromChunks merges overlapping chunk extents into columns.
func columnsFromChunks(cs []chunk) []interval {
	iv := make([]interval, 0, len(cs))
	for _, c := range cs {
		iv = append(iv, interval{c.x0, c.x1})
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

// columnOf returns the column containing x (the nearest one when none
// does).
func columnOf(cols []interval, x float64) int {
	best, bestD := 0, math.Inf(1)
	for i, c := range cols {
		if x >= c.x0 && x <= c.x1 {
			return i
		}
		d := min(math.Abs(x-c.x0), math.Abs(x-c.x1))
		if d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// textTable is a candidate unruled table on one page.
type textTable struct {
	title  titleBlock
	header []textLine
	body   []textLine
}

// findTextTables reads the unruled tables among a page's free lines (those
// outside every grid). gridTops are the tops of the page's grids: a title
// right above a grid belongs to it.
func findTextTables(glyphs []extract.Glyph, lines []TextLine, gridTops []float64, titleGap float64, continuing bool) []textTable {
	for _, l := range lines {
		if strings.ReplaceAll(l.Text, " ", "") == "目录" {
			return nil // a table of contents lists titles, not a table
		}
	}
	tls := make([]textLine, len(lines))
	for i, l := range lines {
		tls[i] = textLine{TextLine: l, chunks: chunks(glyphs, l)}
		tls[i].anchor = isAnchor(tls[i].chunks)
	}
	var out []textTable
	i := 0
	startContinuation := continuing
	for i < len(tls) {
		// A title block: up to four lines around a title line.
		var block []string
		j := i
		if !startContinuation {
			if !isTitle(strings.ReplaceAll(NormalizeText(tls[i].Text), " ", "")) {
				i++
				continue
			}
			// Titles of ruled tables are read with their grid.
			above := false
			for _, top := range gridTops {
				if top >= tls[i].Y1 && top-tls[i].Y1 <= titleGap {
					above = true
				}
			}
			if above {
				i++
				continue
			}
			// The block: lines before the title on the same few lines
			// (a label above it) and lines after it without data.
			start := i
			if i > 0 && labelRE.MatchString(strings.ReplaceAll(NormalizeText(tls[i-1].Text), " ", "")) {
				start = i - 1
			}
			for j = i + 1; j < len(tls) && j <= i+3; j++ {
				t := NormalizeText(tls[j].Text)
				if !(unitRE.MatchString(strings.ReplaceAll(t, " ", "")) || agencyRE.MatchString(t) || labelRE.MatchString(strings.ReplaceAll(t, " ", ""))) {
					break
				}
			}
			for k := start; k < j; k++ {
				block = append(block, tls[k].Text)
			}
		}
		startContinuation = false
		// Header lines until the first anchor, then the body until a
		// title, a note or prose.
		tt := textTable{title: parseTitleBlock(block)}
		k := j
		for ; k < len(tls) && !tls[k].anchor && len(tt.header) < 14; k++ {
			if isTitle(strings.ReplaceAll(NormalizeText(tls[k].Text), " ", "")) && len(tls[k].chunks) == 1 {
				break
			}
			h := tls[k]
			h.chunks = chunksAt(glyphs, h.TextLine, headerChunkGap)
			tt.header = append(tt.header, h)
		}
		anchors := 0
		for ; k < len(tls); k++ {
			t := tls[k]
			text := strings.ReplaceAll(NormalizeText(t.Text), " ", "")
			if isNote(text) || (isTitle(text) && len(t.chunks) == 1 && !t.anchor) {
				break
			}
			if !t.anchor && len(t.chunks) == 1 && strings.ContainsAny(text, "。；") {
				break // prose
			}
			if t.anchor {
				anchors++
			}
			tt.body = append(tt.body, t)
		}
		if anchors >= 1 {
			out = append(out, tt)
		}
		if k == i {
			k++
		}
		i = k
	}
	return out
}

// buildTextTable turns a text table into columns and rows. cols, when not
// nil, are the columns of the table being continued.
// startsItem reports a line that begins a new item: 一、 (一) 1. 其中:
// or a code.
func startsItem(l textLine) bool {
	if len(l.chunks) == 0 {
		return false
	}
	t := NormalizeText(l.chunks[0].text)
	for _, p := range []string{"其中", "合计", "总计", "小计"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	if isEnumerated(t) {
		return true
	}
	if _, _, _, ok := ParseFunctionCode(t); ok {
		return true
	}
	return false
}

// countBetween counts the body lines strictly between i and j.
func countBetween(body []textLine, i, j int) int {
	if i > j {
		i, j = j, i
	}
	return max(0, j-i-1)
}

func buildTextTable(glyphs []extract.Glyph, tt textTable, cols []interval) ([]interval, [][]string, [][]chunkCell) {
	if cols == nil {
		var data []chunk
		for _, l := range tt.body {
			if l.anchor {
				data = append(data, l.chunks...)
			}
		}
		cols = columnsFromChunks(data)
		// Header words over no data column (an empty column) add one.
		if n := len(tt.header); n > 0 {
			for _, c := range tt.header[n-1].chunks {
				overlaps := false
				for _, col := range cols {
					if c.x0 < col.x1 && c.x1 > col.x0 {
						overlaps = true
						break
					}
				}
				if !overlaps {
					cols = append(cols, interval{c.x0, c.x1})
				}
			}
			slices.SortFunc(cols, func(a, b interval) int { return cmpFloat(a.x0, b.x0) })
		}
	}
	// Header paths: header chunks stacked in one cell (a wrapped header
	// word) are joined first; then each goes to every column it overlaps
	// by a third of the column or half itself, or, over a gap between
	// columns (a group heading), to the columns on both sides.
	paths := make([][]string, len(cols))
	for _, blk := range headerBlocks(tt.header) {
		t := strings.ReplaceAll(NormalizeText(blk.text), " ", "")
		hit := false
		for i, col := range cols {
			ov := min(blk.x1, col.x1) - max(blk.x0, col.x0)
			if ov > 0 && (ov >= (col.x1-col.x0)/3 || ov >= (blk.x1-blk.x0)/2) {
				paths[i] = append(paths[i], t)
				hit = true
			}
		}
		if !hit {
			mid := (blk.x0 + blk.x1) / 2
			for i := 0; i+1 < len(cols); i++ {
				if mid >= cols[i].x1 && mid <= cols[i+1].x0 {
					paths[i] = append(paths[i], t)
					paths[i+1] = append(paths[i+1], t)
				}
			}
		}
	}
	for i, p := range paths {
		paths[i] = slices.Compact(p)
	}
	// Rows: anchors, with the wrapped lines around them. A line without
	// data continues the line above when that one fills its column (the
	// text wrapped), or the line below when it fills its column itself (a
	// name whose first lines sit above vertically centred amounts), and
	// is set tight against it; otherwise it is a row of its own (an item
	// with blank amounts).
	colRight := make([]float64, len(cols))
	for _, l := range tt.body {
		for _, c := range l.chunks {
			k := columnOf(cols, (c.x0+c.x1)/2)
			colRight[k] = max(colRight[k], c.x1)
		}
	}
	size := func(l textLine) float64 { return max(l.Y1-l.Y0, 1) }
	// chunkIn returns the line's chunk in column k, if any.
	chunkIn := func(l textLine, k int) *chunk {
		for i := range l.chunks {
			if columnOf(cols, (l.chunks[i].x0+l.chunks[i].x1)/2) == k {
				return &l.chunks[i]
			}
		}
		return nil
	}
	// full reports a chunk that fills its column: its text wraps on.
	full := func(c *chunk, l textLine) bool {
		return c.x1 >= colRight[columnOf(cols, (c.x0+c.x1)/2)]-1.5*size(l)
	}
	tight := func(a, b textLine, steps int) bool {
		return math.Abs((a.Y0+a.Y1)/2-(b.Y0+b.Y1)/2) <= 1.6*max(size(a), size(b))*float64(steps)
	}
	const unset = -1
	rowOf := make([]int, len(tt.body))
	nrows := 0
	for i := range rowOf {
		rowOf[i] = unset
		if tt.body[i].anchor || startsItem(tt.body[i]) {
			rowOf[i] = nrows
			nrows++
		}
	}
	// Glue wrapped lines, repeating so that runs of them chain.
	for pass := 0; pass < 4; pass++ {
		changed := false
		for i, l := range tt.body {
			if rowOf[i] != unset || len(l.chunks) == 0 {
				continue
			}
			k := columnOf(cols, (l.chunks[0].x0+l.chunks[0].x1)/2)
			// Down: the text above in the same column filled it.
			for j := i - 1; j >= 0 && tight(tt.body[j], l, i-j); j-- {
				if c := chunkIn(tt.body[j], k); c != nil {
					if full(c, tt.body[j]) && rowOf[j] != unset {
						rowOf[i], changed = rowOf[j], true
					}
					break
				}
			}
			if rowOf[i] != unset {
				continue
			}
			// Up: this line fills its column and the next line is close.
			if full(&l.chunks[0], l) && i+1 < len(tt.body) && tight(l, tt.body[i+1], 1) && rowOf[i+1] != unset {
				rowOf[i], changed = rowOf[i+1], true
			}
		}
		if !changed {
			break
		}
	}
	// What is left is a row of its own (an item with blank amounts);
	// rows are renumbered top to bottom.
	for i := range tt.body {
		if rowOf[i] == unset {
			rowOf[i] = nrows
			nrows++
		}
	}
	order := make([]int, 0, nrows)
	seenRow := make(map[int]bool)
	for _, r := range rowOf {
		if !seenRow[r] {
			seenRow[r] = true
			order = append(order, r)
		}
	}
	renum := make(map[int]int)
	for i, r := range order {
		renum[r] = i
	}
	for i := range rowOf {
		rowOf[i] = renum[rowOf[i]]
	}
	anchorsAt := make([]int, nrows)
	rows := make([][]chunkCell, len(anchorsAt))
	for i, l := range tt.body {
		r := rowOf[i]
		for _, c := range l.chunks {
			col := columnOf(cols, (c.x0+c.x1)/2)
			rows[r] = appendChunk(rows[r], col, c)
		}
	}
	return cols, paths, rows
}

// chunkCell gathers the chunks of one cell of a text table.
type chunkCell struct {
	col    int
	chunks []chunk
}

func appendChunk(cells []chunkCell, col int, c chunk) []chunkCell {
	for i := range cells {
		if cells[i].col == col {
			cells[i].chunks = append(cells[i].chunks, c)
			return cells
		}
	}
	return append(cells, chunkCell{col: col, chunks: []chunk{c}})
}

// glyphIndexes lists the glyphs of a cell's chunks.
func (cc chunkCell) glyphIndexes() []int {
	var out []int
	for _, c := range cc.chunks {
		out = append(out, c.glyphs...)
	}
	return out
}

// headerBlocks joins header chunks stacked in one cell: a chunk directly
// under another (vertical gap under half a line, overlapping by half the
// narrower) continues it. Blocks come top to bottom.
func headerBlocks(header []textLine) []chunk {
	var all []chunk
	for _, l := range header {
		all = append(all, l.chunks...)
	}
	slices.SortStableFunc(all, func(a, b chunk) int { return cmpFloat(a.y0, b.y0) })
	used := make([]bool, len(all))
	var out []chunk
	for i := range all {
		if used[i] {
			continue
		}
		blk := all[i]
		used[i] = true
		for j := i + 1; j < len(all); j++ {
			c := all[j]
			if used[j] || c.y0 > blk.y1+0.5*(c.y1-c.y0) {
				continue
			}
			ov := min(blk.x1, c.x1) - max(blk.x0, c.x0)
			narrow := min(blk.x1-blk.x0, c.x1-c.x0)
			if c.y0 >= blk.y1-0.3*(c.y1-c.y0) && ov >= narrow/2 {
				blk.text += c.text
				blk.glyphs = append(blk.glyphs, c.glyphs...)
				blk.x0, blk.x1 = min(blk.x0, c.x0), max(blk.x1, c.x1)
				blk.y1 = max(blk.y1, c.y1)
				used[j] = true
			}
		}
		out = append(out, blk)
	}
	return out
}
