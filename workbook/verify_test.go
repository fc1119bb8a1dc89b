package workbook_test

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/budgetpdf/budgetpdf/workbook"
)

// failedFill is the fill of the cells of failed checks.
const failedFill = "FFC7CE"

// verify checks the workbook data of res against res, sheet by sheet and
// cell by cell: sheet names, key columns, every amount exact in the
// stored XML and through excelize, every text, every blank, the header
// as printed, and a comment and fill on exactly the cells of failed
// checks. It returns the number of amounts compared.
func verify(t *testing.T, res *pipeline.Result, data []byte) int {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stored := storedCells(t, data)
	names := workbook.SheetNames(res.Normalized)
	if got, want := f.GetSheetList(), append([]string{"概况"}, names...); !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	marked := expectedMarks(res)
	n := 0
	for i, tb := range res.Normalized.Tables {
		v := &sheetCheck{t: t, f: f, sheet: names[i], tb: tb, l: expect(tb), stored: stored[names[i]]}
		n += v.body()
		v.blanks()
		v.header()
		v.comments(marked[i])
	}
	if m := datasetAmounts(t, res, names, stored); m != n {
		t.Errorf("%d amounts in the dataset's cells, %d in the tables", m, n)
	}
	return n
}

// datasetAmounts checks every amount of the dataset's cell records
// (schema.Cell.Amount) against the stored <v> of its cell, as decimals;
// it returns their number.
func datasetAmounts(t *testing.T, res *pipeline.Result, names []string, stored map[string]map[string]xmlCell) int {
	n := 0
	layouts := map[int32]sheetLayout{}
	for _, c := range res.Cells {
		if c.Amount == nil {
			continue
		}
		n++
		l, ok := layouts[c.TableIndex]
		if !ok {
			l = expect(res.Normalized.Tables[c.TableIndex])
			layouts[c.TableIndex] = l
		}
		sheet := names[c.TableIndex]
		cell := name(len(l.keys)+int(c.ColumnIndex)+1, l.first+l.at[int(c.RowIndex)])
		x := stored[sheet][cell]
		if d, err := decimal.NewFromString(x.V); err != nil || !d.Equal(*c.Amount) {
			t.Errorf("%s!%s: stored %q, the dataset's amount is %s", sheet, cell, x.V, c.Amount)
		}
	}
	return n
}

// sheetCheck checks one table's sheet.
type sheetCheck struct {
	t      *testing.T
	f      *excelize.File
	sheet  string
	tb     *normalize.Table
	l      sheetLayout
	stored map[string]xmlCell
}

// value is a cell's raw value through excelize.
func (v *sheetCheck) value(cell string) string {
	s, err := v.f.GetCellValue(v.sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		v.t.Fatal(err)
	}
	return s
}

// style is a cell's style.
func (v *sheetCheck) style(cell string) *excelize.Style {
	id, err := v.f.GetCellStyle(v.sheet, cell)
	if err != nil {
		v.t.Fatal(err)
	}
	s, err := v.f.GetStyle(id)
	if err != nil {
		v.t.Fatal(err)
	}
	return s
}

// body checks the key columns and every printed cell; it returns the
// number of amounts.
func (v *sheetCheck) body() int {
	n := 0
	for k, h := range v.l.keys {
		if got := v.value(name(k+1, 4)); got != h {
			v.t.Errorf("%s: key heading %s = %q, want %q", v.sheet, name(k+1, 4), got, h)
		}
	}
	texts := map[string][]normalize.Cell{} // cells by position: two in one place show as text
	for _, r := range v.tb.Rows {
		row := v.l.first + v.l.at[r.Index]
		keys := map[string]string{"编码": r.Code, "名称": r.Label, "编码2": r.Code2, "名称2": r.Label2}
		for k, h := range v.l.keys {
			if got, x := v.value(name(k+1, row)), v.stored[name(k+1, row)]; got != keys[h] || got == "" && x.HasV {
				v.t.Errorf("%s!%s: key %s %q (stored t=%q <v>%s</v>), want %q", v.sheet, name(k+1, row), h, got, x.T, x.V, keys[h])
			}
		}
		for _, c := range r.Cells {
			cell := name(len(v.l.keys)+c.Column+1, row)
			texts[cell] = append(texts[cell], c)
		}
	}
	for cell, cs := range texts {
		if len(cs) == 1 && cs[0].Amount != nil {
			v.amount(cell, cs[0])
			n++
			continue
		}
		var want []string
		for _, c := range cs {
			want = append(want, c.Text)
		}
		if got, x := v.value(cell), v.stored[cell]; got != strings.Join(want, "\n") || x.T != "s" {
			v.t.Errorf("%s!%s: text %q (type %q), want %q", v.sheet, cell, got, x.T, want)
		}
	}
	return n
}

// amount checks one amount cell: stored as a number whose <v> is the
// decimal's string, read back by excelize as the same decimal, with the
// printed decimals as its number format, grouped where the table groups
// thousands.
func (v *sheetCheck) amount(cell string, c normalize.Cell) {
	x := v.stored[cell]
	want := c.Amount.Value.String()
	if x.T != "" && x.T != "n" || !x.HasV || x.V != want {
		v.t.Errorf("%s!%s: stored t=%q <v>%s</v>, want a number %s (printed %q)", v.sheet, cell, x.T, x.V, want, c.Raw)
	}
	got := v.value(cell)
	if d, err := decimal.NewFromString(got); err != nil || !d.Equal(c.Amount.Value) || got != want {
		v.t.Errorf("%s!%s: read back %q, want %s exactly", v.sheet, cell, got, want)
	}
	format := "0"
	if v.l.group {
		format = "#,##0"
	}
	if c.Amount.Scale > 0 {
		format += "." + strings.Repeat("0", int(c.Amount.Scale))
	}
	if s := v.style(cell); s.CustomNumFmt == nil || *s.CustomNumFmt != format {
		v.t.Errorf("%s!%s: number format %v, want %q (printed %q)", v.sheet, cell, s.CustomNumFmt, format, c.Raw)
	}
}

// blanks checks that every position of the body without a printed cell
// holds no value, and that nothing follows the body.
func (v *sheetCheck) blanks() {
	full := map[string]bool{}
	for _, r := range v.tb.Rows {
		for _, c := range r.Cells {
			full[name(len(v.l.keys)+c.Column+1, v.l.first+v.l.at[r.Index])] = true
		}
	}
	for k := range v.l.rows {
		for col := range v.tb.Columns {
			cell := name(len(v.l.keys)+col+1, v.l.first+k)
			if x := v.stored[cell]; !full[cell] && (x.HasV || x.T != "") {
				v.t.Errorf("%s!%s: a blank printed cell holds t=%q <v>%s</v>", v.sheet, cell, x.T, x.V)
			}
		}
	}
	for cell, x := range v.stored {
		_, row, _ := excelize.CellNameToCoordinates(cell)
		if row >= v.l.first+v.l.rows && x.HasV {
			v.t.Errorf("%s!%s: a value %q after the body", v.sheet, cell, x.V)
		}
	}
}

// header checks the header as printed: each column's heading at each
// level is the value of its cell or of the merged range that covers it,
// and a cell under a column's last heading is that heading merged down,
// or blank.
func (v *sheetCheck) header() {
	at := v.mergedValues()
	for _, c := range v.tb.Columns {
		for lv := range v.l.depth {
			cell := name(len(v.l.keys)+c.Index+1, 4+lv)
			got, ok := at[cell]
			if !ok {
				got = v.value(cell)
			}
			switch {
			case lv < len(c.Path) && got != c.Path[lv]:
				v.t.Errorf("%s!%s: heading %q, want %q (path %q)", v.sheet, cell, got, c.Path[lv], c.Path)
			case lv >= len(c.Path) && len(c.Path) > 0 && got != "" && got != c.Path[len(c.Path)-1]:
				v.t.Errorf("%s!%s: %q under the last heading of %q", v.sheet, cell, got, c.Path)
			}
		}
	}
}

// mergedValues maps every cell of a merged range to the range's value.
func (v *sheetCheck) mergedValues() map[string]string {
	merges, err := v.f.GetMergeCells(v.sheet)
	if err != nil {
		v.t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range merges {
		c0, r0, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
		c1, r1, _ := excelize.CellNameToCoordinates(m.GetEndAxis())
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				out[name(c, r)] = m.GetCellValue()
			}
		}
	}
	return out
}

// mark is where a failed check is expected on a table's sheet, before
// the layout places it: a body cell (row >= 0), a column's heading (row
// -1), the title (column -1).
type mark struct{ row, col int }

// expectedMarks lists, per table, the rules failed on each mark.
func expectedMarks(res *pipeline.Result) []map[mark][]string {
	out := make([]map[mark][]string, len(res.Normalized.Tables))
	for i := range out {
		out[i] = map[mark][]string{}
	}
	for _, c := range res.NormalizedChecks {
		if c.Status != normalize.CheckFail {
			continue
		}
		if len(c.Cells) == 0 {
			out[c.Table][mark{-1, -1}] = append(out[c.Table][mark{-1, -1}], c.Rule)
		}
		for _, ref := range c.Cells {
			m := mark{ref.Row, ref.Column}
			out[ref.Table][m] = append(out[ref.Table][m], c.Rule)
		}
	}
	return out
}

// comments checks that exactly the marked cells carry a comment, naming
// each failed rule, and the failed fill.
func (v *sheetCheck) comments(marks map[mark][]string) {
	want := map[string][]string{}
	at := v.mergedStarts()
	for m, rules := range marks {
		var cell string
		switch {
		case m.col < 0:
			cell = "A1"
		case m.row < 0:
			cell = at[name(len(v.l.keys)+m.col+1, 3+v.l.depth)]
		default:
			cell = name(len(v.l.keys)+m.col+1, v.l.first+v.l.at[m.row])
		}
		want[cell] = append(want[cell], rules...)
	}
	cs, err := v.f.GetComments(v.sheet)
	if err != nil {
		v.t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range cs {
		text := c.Text
		for _, p := range c.Paragraph {
			text += p.Text
		}
		got[c.Cell] = text
	}
	if g, w := sortedKeys(got), sortedKeys(want); !slices.Equal(g, w) {
		v.t.Errorf("%s: comments on %q, want on %q", v.sheet, g, w)
	}
	for cell, rules := range want {
		for _, r := range rules {
			if !strings.Contains(got[cell], r+" failed") {
				v.t.Errorf("%s!%s: comment %q does not name %s", v.sheet, cell, got[cell], r)
			}
		}
		if s := v.style(cell); !slices.Equal(s.Fill.Color, []string{failedFill}) {
			v.t.Errorf("%s!%s: fill %v, want %s", v.sheet, cell, s.Fill.Color, failedFill)
		}
	}
}

// mergedStarts maps every cell of a merged range to the range's first
// cell, and any other cell to itself.
func (v *sheetCheck) mergedStarts() map[string]string {
	merges, _ := v.f.GetMergeCells(v.sheet)
	out := map[string]string{}
	for col := 1; col <= len(v.l.keys)+len(v.tb.Columns); col++ {
		for row := 1; row < v.l.first; row++ {
			out[name(col, row)] = name(col, row)
		}
	}
	for _, m := range merges {
		c0, r0, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
		c1, r1, _ := excelize.CellNameToCoordinates(m.GetEndAxis())
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				out[name(c, r)] = m.GetStartAxis()
			}
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// merges renders a sheet's merged ranges compactly, sorted: "A4:A6 编码".
func merges(t *testing.T, f *excelize.File, sheet string) string {
	t.Helper()
	ms, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s:%s %s", m.GetStartAxis(), m.GetEndAxis(), m.GetCellValue()))
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}
