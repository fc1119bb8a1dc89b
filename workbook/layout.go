package workbook

import (
	"slices"
	"strings"

	"github.com/budgetpdf/budgetpdf/normalize"
)

// layout is how a table lies on its sheet and in its CSV: key columns,
// then the printed columns; header rows, then one body row per printed
// row. Positions are 0-based and relative: a sheet adds its title block
// above and Excel's 1-based numbering.
type layout struct {
	t     *normalize.Table
	keys  []keyColumn                // row key columns, left of the printed ones
	depth int                        // header rows (at least 1)
	head  []span                     // header cells, key columns included
	body  [][]*normalize.Row         // per printed row, the table's rows on it
	top   int                        // the lowest level of a row (1 类 where the table lists 类), 0 when none has one
	group bool                       // the table prints thousands separators (in some amount)
	at    map[int]int                // Row.Index -> body row
	cells map[[2]int]*normalize.Cell // (body row, printed column) -> cell
}

// keyColumn is a row key column: its heading and its value on a row.
type keyColumn struct {
	heading string
	value   func(r *normalize.Row) string
	label   bool // a name, indented by the row's level
}

// keyColumns are the candidate key columns, in order.
var keyColumns = []keyColumn{
	{"编码", func(r *normalize.Row) string { return r.Code }, false},
	{"名称", func(r *normalize.Row) string { return r.Label }, true},
	{"编码2", func(r *normalize.Row) string { return r.Code2 }, false},
	{"名称2", func(r *normalize.Row) string { return r.Label2 }, true},
}

// span is a header cell: its text and the rectangle it covers, rows and
// columns inclusive, in layout coordinates (column 0 is the first key
// column).
type span struct {
	text       string
	row0, col0 int
	row1, col1 int
}

// newLayout lays a table out.
func newLayout(t *normalize.Table) *layout {
	l := &layout{t: t, at: make(map[int]int), cells: make(map[[2]int]*normalize.Cell)}
	for i := range t.Rows {
		r := &t.Rows[i]
		k, ok := l.at[r.Index]
		if !ok {
			k = len(l.body)
			l.at[r.Index] = k
			l.body = append(l.body, nil)
		}
		l.body[k] = append(l.body[k], r)
		if r.Level > 0 && (l.top == 0 || r.Level < l.top) {
			l.top = r.Level
		}
		for j := range r.Cells {
			l.place(k, &r.Cells[j])
		}
	}
	if !slices.ContainsFunc(l.body, func(rs []*normalize.Row) bool { return len(rs) > 1 }) {
		for _, kc := range keyColumns {
			if slices.ContainsFunc(t.Rows, func(r normalize.Row) bool { return kc.value(&r) != "" }) {
				l.keys = append(l.keys, kc)
			}
		}
	}
	l.depth = 1
	for _, c := range t.Columns {
		l.depth = max(l.depth, len(c.Path))
	}
	l.head = l.header()
	return l
}

// place puts cell c on body row k, and notes whether its amount groups
// thousands. A second cell in the same column of
// the same printed row (normalize joins some continued pages so) is not
// lost: the position shows the texts of both, on two lines, as text.
func (l *layout) place(k int, c *normalize.Cell) {
	if c.Amount != nil && strings.ContainsAny(c.Raw, ",，") {
		l.group = true
	}
	key := [2]int{k, c.Column}
	prev, ok := l.cells[key]
	if !ok {
		l.cells[key] = c
		return
	}
	text := prev.Text + "\n" + c.Text
	l.cells[key] = &normalize.Cell{Column: c.Column, Text: text, Raw: text, Page: prev.Page}
}

// indent is how far the name of body row i is indented: its level below
// the table's top level (a table listing only 项 rows indents none).
func (l *layout) indent(i int) int {
	return max(l.body[i][0].Level-l.top, 0)
}

// width is the number of columns: key columns and printed ones.
func (l *layout) width() int { return len(l.keys) + len(l.t.Columns) }

// header lays out the header cells: each key column's heading over every
// header row, then each printed column's headings (see headings).
func (l *layout) header() []span {
	var out []span
	for i, kc := range l.keys {
		out = append(out, span{kc.heading, 0, i, l.depth - 1, i})
	}
	for _, s := range headings(l.t.Columns, l.depth) {
		s.col0 += len(l.keys)
		s.col1 += len(l.keys)
		out = append(out, s)
	}
	return out
}

// headings lays column paths out as header cells of depth rows, as printed:
// a heading at level lv covers the run of neighbouring columns whose paths
// agree up to and including lv; where it is the last heading of every
// column of its run, it covers the rows below too. A column without any
// heading is one blank cell over every row. Empty headings are not
// merged.
func headings(cols []normalize.Column, depth int) []span {
	var out []span
	for i, c := range cols {
		if len(c.Path) == 0 {
			out = append(out, span{"", 0, i, depth - 1, i})
		}
	}
	for lv := range depth {
		for i := 0; i < len(cols); {
			p := cols[i].Path
			if lv >= len(p) {
				i++
				continue
			}
			j := i + 1
			for p[lv] != "" && j < len(cols) && len(cols[j].Path) > lv && slices.Equal(cols[j].Path[:lv+1], p[:lv+1]) {
				j++
			}
			row1 := lv
			if !slices.ContainsFunc(cols[i:j], func(c normalize.Column) bool { return len(c.Path) > lv+1 }) {
				row1 = depth - 1
			}
			out = append(out, span{p[lv], lv, i, row1, j - 1})
			i = j
		}
	}
	return out
}

// headingAt returns the header cell covering (row, col), in layout
// coordinates; ok false when none does.
func (l *layout) headingAt(row, col int) (span, bool) {
	for _, s := range l.head {
		if s.row0 <= row && row <= s.row1 && s.col0 <= col && col <= s.col1 {
			return s, true
		}
	}
	return span{}, false
}

// keyValue returns the value of key column k on body row i.
func (l *layout) keyValue(i, k int) string {
	return l.keys[k].value(l.body[i][0])
}

// csvValue is a body cell as CSV text: an amount with its printed
// decimals and no separators, else the text (csvText); "" when blank.
func csvValue(c *normalize.Cell) string {
	switch {
	case c == nil:
		return ""
	case c.Amount != nil:
		return c.Amount.String()
	}
	return csvText(c.Text)
}

// csvText is a text as CSV: one that a spreadsheet would take for a
// formula (starting with =, +, @, or - and not a number) gets a leading
// apostrophe, so that a PDF cannot put a formula into the reader's Excel
// (CSV injection). Amounts are never texts.
func csvText(s string) string {
	if s == "" || !strings.ContainsRune("=+@-", rune(s[0])) {
		return s
	}
	if s[0] == '-' && (len(s) == 1 || strings.Trim(s, "-") == "" || numeric(s[1:])) {
		return s // a dash, or a negative number that did not parse as an amount
	}
	return "'" + s
}

// numeric reports whether s starts with a digit or a decimal point.
func numeric(s string) bool { return s != "" && (s[0] >= '0' && s[0] <= '9' || s[0] == '.') }
