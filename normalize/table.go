package normalize

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/budgetpdf/budgetpdf/extract"
)

// Table is one table of a document, rebuilt from one or more pages.
type Table struct {
	Index      int      // 0-based position in the document
	Code       string   // printed number label: 预算03表, 表一, 附表1; "" if none
	Title      string   // printed title, e.g. 2024年部门支出预算表; "" if none
	Kind       Kind     // what the table is, from its title; KindOther when unknown
	Phase      Phase    // 预算 or 决算, from the title, else the document's
	FiscalYear int      // from the title, else the document; 0 if unknown
	Agency     string   // from 单位名称：/部门：/编制单位：, else the document's
	Unit       string   // 元, 万元, ...; "" when nothing states it
	PageFirst  int      // 1-based page where the table starts
	PageLast   int      // 1-based page where it ends
	Ruled      bool     // the cells come from ruling lines (else from text alignment)
	Columns    []Column // leaf columns, left to right
	Rows       []Row    // body rows, top to bottom (two-sided tables: 收入 then 支出 per printed row)
	Warnings   []string // problems that did not stop the table, e.g. no unit
	Regions    []Region // where the table lies on each of its pages

	roleOf []columnRole // what each column holds, once the rows are read (see roles)

	colXs  []float64  // the ruled columns' rule positions on the last page, for continuations
	colMap []int      // the last page's lattice column -> table column (-1: none)
	cols   []interval // an unruled table's column extents, for continuations
}

// roles returns what each column holds, computed once.
func (t *Table) roles() []columnRole {
	if len(t.roleOf) != len(t.Columns) {
		t.roleOf = columnRoles(t)
	}
	return t.roleOf
}

// twoSided reports a two-sided summary table: its rows are on sides.
func (t *Table) twoSided() bool {
	return slices.ContainsFunc(t.Rows, func(r Row) bool { return r.Side != SideNone })
}

// Region is the part of one page a table covers, in points.
type Region struct {
	Page           int        // 1-based page
	X0, Y0, X1, Y1 float64    // the table's box (grid bounds, or the text's)
	HeaderY1       float64    // bottom of the header on this page; Y0 when none is printed
	Ruled          bool       // the box is a grid of ruling lines
	Grid           *Grid      // the snapped grid, nil for an unruled table
	Title          [4]float64 // box (x0 y0 x1 y1) of the title block above it; zero when none
}

// Column is a leaf column with the header path above it.
type Column struct {
	Index int      // 0-based
	Path  []string // header texts from the top to the leaf, e.g. [基本支出 人员经费]
}

// PathString joins the path with "/".
func (c Column) PathString() string { return strings.Join(c.Path, "/") }

// Row is a body row.
type Row struct {
	Index  int    // 0-based printed row within the table (both sides of a two-sided row share it)
	Side   Side   // 收入 or 支出 for two-sided summary tables, else SideNone
	Code   string // the row's function / economic / agency / project code, "" if none
	Code2  string // a second code where the row prints two (e.g. 政府 beside 部门 economic code)
	Label  string // the row's name, normalized: the name that belongs to Code
	Label2 string // the name that belongs to Code2, "" if none
	Level  int    // hierarchy level: 1 类, 2 款, 3 项 from the code, else the label's indentation rank (not totals, not forms); 0 unknown
	Cells  []Cell // non-empty cells, left to right
}

// Cell is one non-empty body cell.
type Cell struct {
	Column         int     // index into Table.Columns
	Text           string  // normalized text (NormalizeText)
	Raw            string  // the text as printed, lines joined
	Amount         *Amount // the parsed amount, nil when the cell is not a number
	Err            error   // a cell that looks numeric but does not parse
	Lines          int     // printed lines joined into the cell (2+ for a wrapped cell)
	Page           int     // 1-based page
	X0, Y0, X1, Y1 float64 // box of the cell's glyphs, in points
}

// region is a rectangle of the lattice of one grid or text table: cells
// with their glyphs.
type region struct {
	cells []regionCell
	nrow  int
	ncol  int
}

type regionCell struct {
	row, col, rowSpan, colSpan int
	glyphs                     []int // indexes into the page's glyphs
	x0, y0, x1, y1             float64
}

// cellText joins a cell's glyphs into text: lines top to bottom, CJK and
// digit fragments without a space (a code cut in two joins back), Latin
// words with one.
func cellText(glyphs []extract.Glyph, idx []int) (text string, x0, y0, x1, y1 float64, lines int) {
	if len(idx) == 0 {
		return "", 0, 0, 0, 0, 0
	}
	if len(idx) == 1 {
		g := glyphs[idx[0]]
		return g.Text, g.X0, g.Y0, g.X1, g.Y1, 1
	}
	if t, ok := oneLine(glyphs, idx); ok {
		return t.text, t.x0, t.y0, t.x1, t.y1, 1
	}
	var b strings.Builder
	x0, y0, x1, y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	ls := linesOf(glyphs, slices.Clone(idx), &LineOptions{SameLine: cellSameLine})
	for i, l := range ls {
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			next, _ := utf8.DecodeRuneInString(l.Text)
			if isLatinLetter(prev) && isLatinLetter(next) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l.Text)
		x0, y0 = min(x0, l.X0), min(y0, l.Y0)
		x1, y1 = max(x1, l.X1), max(y1, l.Y1)
	}
	return b.String(), x0, y0, x1, y1, len(ls)
}

// oneLine joins the glyphs of a cell that all sit on one line (each
// overlaps the first by half its height), the common case, without the
// general line building; ok is false for a cell of several lines. Glyphs
// are taken left to right; a gap of more than 0.2 em is a space, as Lines.
func oneLine(glyphs []extract.Glyph, idx []int) (t struct {
	text           string
	x0, y0, x1, y1 float64
}, ok bool) {
	f := glyphs[idx[0]]
	for _, i := range idx[1:] {
		g := glyphs[i]
		if min(f.Y1, g.Y1)-max(f.Y0, g.Y0) < cellSameLine*min(f.Y1-f.Y0, g.Y1-g.Y0) {
			return t, false
		}
	}
	order := slices.Clone(idx)
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(glyphs[a].X0, glyphs[b].X0) })
	var b strings.Builder
	t.x0, t.y0, t.x1, t.y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	prevX1 := 0.0
	for k, i := range order {
		g := glyphs[i]
		if k > 0 && g.X0-prevX1 > 0.2*max(g.Size, 1) {
			b.WriteByte(' ')
		}
		b.WriteString(g.Text)
		prevX1 = max(prevX1, g.X1)
		t.x0, t.y0 = min(t.x0, g.X0), min(t.y0, g.Y0)
		t.x1, t.y1 = max(t.x1, g.X1), max(t.y1, g.Y1)
	}
	t.text = b.String()
	return t, true
}

func isLatinLetter(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }

// builtCell is a region cell with its text assembled.
type builtCell struct {
	regionCell
	raw, text string
	lines     int
}

func buildCells(glyphs []extract.Glyph, r *region) []builtCell {
	out := make([]builtCell, len(r.cells))
	for i, c := range r.cells {
		raw, x0, y0, x1, y1, lines := cellText(glyphs, c.glyphs)
		out[i] = builtCell{regionCell: c, raw: raw, text: NormalizeText(raw), lines: lines}
		if raw != "" {
			out[i].x0, out[i].y0, out[i].x1, out[i].y1 = x0, y0, x1, y1
		}
	}
	return out
}

// isBodyRow reports whether a lattice row holds data rather than header:
// an amount with a separator or decimals, a code of three or more digits, or
// a total/enumerated label in its first cell.
func isBodyRow(cells []builtCell) bool {
	first := true
	for _, c := range cells {
		t := c.text
		if t == "" {
			continue
		}
		if looksLikeData(t) {
			return true
		}
		if first && c.col == 0 && (isEnumerated(t) || strings.HasPrefix(t, "合计") || strings.HasPrefix(t, "总计") || strings.HasPrefix(t, "小计")) {
			return true
		}
		first = false
	}
	return false
}

// isEnumerated reports an item label that starts with its number: 一、
// 十二、 (十五) （一） 1、 1. — the way body rows are numbered.
func isEnumerated(t string) bool {
	rs := []rune(t)
	i := 0
	paren := len(rs) > 0 && (rs[0] == '(' || rs[0] == '（')
	if paren {
		i++
	}
	start := i
	for i < len(rs) && i-start < 4 && (strings.ContainsRune("一二三四五六七八九十百", rs[i]) || rs[i] >= '0' && rs[i] <= '9') {
		i++
	}
	if i == start || i >= len(rs) {
		return false
	}
	if paren {
		return rs[i] == ')' || rs[i] == '）'
	}
	return rs[i] == '、' || (rs[i] == '.' && i+1 < len(rs) && (rs[i+1] < '0' || rs[i+1] > '9'))
}

// looksLikeData reports an amount with a separator or decimal point, or a
// run of three or more digits (codes, integer amounts in 元).
func looksLikeData(t string) bool {
	if LooksLikeAmount(t) && (strings.ContainsAny(t, ",.") || len(t) >= 3) {
		return true
	}
	if _, _, _, ok := ParseFunctionCode(t); ok {
		return true
	}
	digits := 0
	for _, r := range t {
		if r >= '0' && r <= '9' {
			digits++
		} else {
			break
		}
	}
	return digits >= 3 && !strings.Contains(t, "年")
}

// headerPaths computes the column paths from the header lattice rows.
func headerPaths(cells []builtCell, headerRows, ncol int) [][]string {
	paths := make([][]string, ncol)
	for _, c := range cells {
		if c.row >= headerRows || c.text == "" {
			continue
		}
		for col := c.col; col < c.col+c.colSpan && col < ncol; col++ {
			paths[col] = append(paths[col], c.text)
		}
	}
	// Cells were visited row by row; drop repeats of the same text and
	// the column numbers of a 栏次 row.
	for i, p := range paths {
		p = slices.DeleteFunc(p, func(s string) bool {
			return s == "栏次" || (len(s) <= 2 && isDigits(s)) || strings.Trim(s, "*") == ""
		})
		paths[i] = slices.Compact(p)
	}
	return paths
}

// debugString renders a table compactly for tests and the tables command.
func (t *Table) debugString() string {
	var b strings.Builder
	fmt.Fprintf(&b, "table %d %q %q kind=%s year=%d unit=%s pages=%d-%d agency=%q\n",
		t.Index, t.Code, t.Title, t.Kind, t.FiscalYear, t.Unit, t.PageFirst, t.PageLast, t.Agency)
	for _, c := range t.Columns {
		fmt.Fprintf(&b, "  col %d %s\n", c.Index, c.PathString())
	}
	for _, r := range t.Rows {
		fmt.Fprintf(&b, "  %s\n", r.String())
	}
	return b.String()
}

// String renders a row as [code|label|cells...] with the side and level.
func (r Row) String() string {
	var b strings.Builder
	if r.Side != SideNone {
		b.WriteString(string(r.Side) + " ")
	}
	fmt.Fprintf(&b, "r%d L%d [%s", r.Index, r.Level, r.Code)
	if r.Code2 != "" {
		b.WriteString("," + r.Code2)
	}
	b.WriteString("|" + r.Label)
	if r.Label2 != "" {
		b.WriteString("," + r.Label2)
	}
	for _, c := range r.Cells {
		fmt.Fprintf(&b, "|%d:%s", c.Column, c.Text)
	}
	b.WriteString("]")
	return b.String()
}
