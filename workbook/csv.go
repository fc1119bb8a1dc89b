package workbook

import (
	"bufio"
	"encoding/csv"
	"io"

	"github.com/budgetpdf/budgetpdf/normalize"
)

// bom is the UTF-8 byte order mark, which tells Excel the file is UTF-8.
const bom = "\uFEFF"

// WriteCSV writes table t as CSV to w: a byte order mark, the header (the
// key columns' headings, then each column's path joined by "/"), then one
// line per printed row as on the table's sheet; amounts with their printed
// decimals and no separators, blank cells empty; a text a spreadsheet
// would run as a formula (=, +, @, or - and not a number, first) with an
// apostrophe before it. Lines end in CRLF (RFC 4180).
func WriteCSV(w io.Writer, t *normalize.Table) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(bom)
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	l := newLayout(t)
	head := make([]string, 0, l.width())
	for _, k := range l.keys {
		head = append(head, k.heading)
	}
	for _, c := range t.Columns {
		head = append(head, csvText(c.PathString()))
	}
	cw.Write(head)
	for i := range l.body {
		rec := make([]string, 0, l.width())
		for k := range l.keys {
			rec = append(rec, csvText(l.keyValue(i, k)))
		}
		for col := range t.Columns {
			rec = append(rec, csvValue(l.cells[[2]int{i, col}]))
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
