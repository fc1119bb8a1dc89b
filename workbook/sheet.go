package workbook

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"github.com/budgetpdf/budgetpdf/normalize"
)

// titleRows is the height of the title block above a table's header:
// code and title; agency and unit; pages and kind.
const titleRows = 3

// table writes the sheet of table t: title block, header, the hidden
// measure row, body, then column widths, frozen panes and print setup.
func (b *book) table(name string, t *normalize.Table, m *marks) {
	if b.err != nil {
		return
	}
	_, err := b.f.NewSheet(name)
	b.do(err)
	l := newLayout(t)
	top := titleRows + 1 // first header row
	first := top + l.depth + 1
	b.titleBlock(name, l, m)
	b.header(name, l, top, m)
	b.measures(name, l, top+l.depth)
	b.body(name, l, first, m)
	b.columns(name, l)
	b.setup(name, l, top, first)
}

// titleBlock writes the rows above the header: code and title across the
// table, 单位名称 at the left and 单位 at the right, then the pages and the
// kind. The failed checks of the table as a whole are commented on the
// title.
func (b *book) titleBlock(sheet string, l *layout, m *marks) {
	t, w := l.t, max(l.width(), 1)
	b.text(sheet, 1, 1, strings.TrimSpace(t.Code+" "+t.Title), style{kind: styleTitle, failed: len(m.table) > 0})
	b.merge(sheet, 1, 1, w, 1)
	b.comment(sheet, 1, 1, m.table)
	if t.Agency != "" {
		b.text(sheet, 1, 2, "单位名称："+t.Agency, style{kind: styleNote})
	}
	unit, row := "单位："+t.Unit, 2
	if w == 1 {
		row = 3
	}
	b.text(sheet, w, row, unit, style{kind: styleNoteEnd})
	pages := fmt.Sprintf("第%d页", t.PageFirst)
	if t.PageLast != t.PageFirst {
		pages = fmt.Sprintf("第%d–%d页", t.PageFirst, t.PageLast)
	}
	kind := string(t.Kind)
	if t.Phase != normalize.PhaseUnknown {
		kind += "（" + string(t.Phase) + "）"
	}
	if w == 1 {
		b.text(sheet, 1, 3, pages+"　"+kind+"　"+unit, style{kind: styleNote})
		return
	}
	b.text(sheet, 1, 3, pages+"　"+kind, style{kind: styleNote})
}

// header writes the header rows from row top: every heading cell, merged
// over what it spans; a failed check on a column is commented on the
// column's lowest heading.
func (b *book) header(sheet string, l *layout, top int, m *marks) {
	failed := make(map[[2]int][]string) // top-left (row, col) of a heading -> comment lines
	for col, lines := range m.header {
		if col < 0 || col >= len(l.t.Columns) {
			continue
		}
		if s, ok := l.headingAt(l.depth-1, len(l.keys)+col); ok {
			key := [2]int{s.row0, s.col0}
			failed[key] = append(failed[key], lines...)
		}
	}
	for _, s := range l.head {
		lines := failed[[2]int{s.row0, s.col0}]
		st := style{kind: styleHead, failed: len(lines) > 0}
		for r := s.row0; r <= s.row1; r++ {
			for c := s.col0; c <= s.col1; c++ {
				b.styled(sheet, c+1, top+r, st) // the borders of a merged cell
			}
		}
		b.text(sheet, s.col0+1, top+s.row0, s.text, st)
		b.merge(sheet, s.col0+1, top+s.row0, s.col1+1, top+s.row1)
		b.comment(sheet, s.col0+1, top+s.row0, lines)
	}
}

// measures writes the hidden row under the header: each printed column's
// measure and fund, as the tables command prints them.
func (b *book) measures(sheet string, l *layout, row int) {
	for i := range l.keys {
		b.styled(sheet, i+1, row, style{kind: styleMeasure})
	}
	for i, c := range l.t.Columns {
		s := c.Measure
		if c.Fund != "" {
			s += "; fund " + c.Fund
		}
		b.text(sheet, len(l.keys)+i+1, row, s, style{kind: styleMeasure})
	}
	b.do(b.f.SetRowVisible(sheet, row, false))
}

// body writes one sheet row per printed row from row first: the key
// columns, then each printed column's cell (an amount as a number, else
// its text; a blank cell bordered and empty), the cells of failed checks
// filled and commented.
func (b *book) body(sheet string, l *layout, first int, m *marks) {
	for i, rows := range l.body {
		row := first + i
		for k, kc := range l.keys {
			st := style{kind: styleText}
			if kc.label {
				st.indent = l.indent(i)
			}
			b.text(sheet, k+1, row, l.keyValue(i, k), st)
		}
		index := rows[0].Index
		for col := range l.t.Columns {
			lines := m.cells[[2]int{index, col}]
			x := len(l.keys) + col + 1
			b.bodyCell(sheet, x, row, l.cells[[2]int{i, col}], l.group, len(lines) > 0)
			b.comment(sheet, x, row, lines)
		}
	}
}

// bodyCell writes one printed cell at (col, row); c is nil for a blank;
// group says whether the table groups thousands.
func (b *book) bodyCell(sheet string, col, row int, c *normalize.Cell, group, failed bool) {
	switch {
	case c == nil:
		b.styled(sheet, col, row, style{kind: styleText, failed: failed})
	case c.Amount != nil:
		// Value.String is the decimal's canonical string: exact, no
		// exponent, trailing zeros trimmed; Scale goes to the format.
		b.number(sheet, col, row, c.Amount.Value.String(), style{kind: styleAmount, scale: c.Amount.Scale, group: group, failed: failed})
	default:
		b.text(sheet, col, row, c.Text, style{kind: styleText, failed: failed})
	}
}

// columns sets each column's width from what it holds (see colWidths).
func (b *book) columns(sheet string, l *layout) {
	for i, w := range colWidths(l) {
		name, err := excelize.ColumnNumberToName(i + 1)
		b.do(err)
		if b.err == nil {
			b.do(b.f.SetColWidth(sheet, name, name, w))
		}
	}
}

// colWidths are the widths of a layout's columns, in Excel's units (the
// width of a digit): the widest body value (a CJK character counts two, an
// amount its separators), or of the lowest heading up to 16 (headings
// wrap), plus 2; at least 6, at most 50.
func colWidths(l *layout) []float64 {
	out := make([]float64, l.width())
	for _, s := range l.head {
		if s.row1 == l.depth-1 && s.col0 == s.col1 {
			out[s.col0] = float64(min(textWidth(s.text), 16))
		}
	}
	for i := range l.body {
		for k := range l.keys {
			out[k] = max(out[k], float64(textWidth(l.keyValue(i, k))+2*l.indent(i)))
		}
		for col := range l.t.Columns {
			c := l.cells[[2]int{i, col}]
			if c == nil {
				continue
			}
			w := textWidth(c.Text)
			if c.Amount != nil {
				w = amountWidth(c, l.group)
			}
			out[len(l.keys)+col] = max(out[len(l.keys)+col], float64(w))
		}
	}
	for i := range out {
		out[i] = min(max(out[i]+2, 6), 50)
	}
	return out
}

// textWidth is the width of s in digits: two for a wide (CJK) character.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// amountWidth is the width of an amount as its number format shows it.
func amountWidth(c *normalize.Cell, group bool) int {
	s := c.Amount.String()
	n := len(s)
	if group {
		digits := len(strings.TrimLeft(strings.SplitN(s, ".", 2)[0], "-"))
		n += (digits - 1) / 3
	}
	return n
}

// setup freezes the header and the key columns, and prints the sheet
// landscape on A4, one page wide, repeating the header rows on each page.
func (b *book) setup(sheet string, l *layout, top, first int) {
	if b.err != nil {
		return
	}
	x := len(l.keys)
	pane := "bottomLeft"
	if x > 0 {
		pane = "bottomRight"
	}
	tl := cell(x+1, first)
	b.do(b.f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: x, YSplit: first - 1, TopLeftCell: tl, ActivePane: pane,
		Selection: []excelize.Selection{{SQRef: tl, ActiveCell: tl, Pane: pane}}}))
	b.printSetup(sheet)
	b.do(b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("%s!$%d:$%d", quoteSheet(sheet), top, first-1), Scope: sheet}))
}

// printSetup prints a sheet landscape on A4, one page wide.
func (b *book) printSetup(sheet string) {
	a4, landscape, one, auto, fit := 9, "landscape", 1, 0, true
	b.do(b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &auto}))
	b.do(b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}))
}

// quoteSheet quotes a sheet name for a reference: 'name', with its
// apostrophes doubled.
func quoteSheet(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
