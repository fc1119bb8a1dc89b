package workbook_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/workbook"
)

// xmlText is s as a workbook gives it back: each invalid byte and each
// character XML 1.0 cannot hold replaced by U+FFFD.
func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF {
			b.WriteRune(r)
			continue
		}
		b.WriteRune('\uFFFD')
	}
	return b.String()
}

// FuzzWrite writes a table whose code, title, heading, label and cell come
// from the fuzzer (the cell an amount where ParseAmount reads one): the
// workbook is written and opens, its sheets are those SheetNames names,
// the label and cell read back as written (XML's replacements aside), an
// amount exactly; the CSV reads back too.
func FuzzWrite(f *testing.F) {
	for _, s := range []string{"合计", "1,234.50", "(12.50)", "a\x01b", "x\uFFFEy", "_x0041_", "\xff\xfe", "=1+2", "'lead'", "\u2028", "a\tb\r\nc", "预算03表", "[x]:*?/\\", ""} {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, code, heading, text string) {
		cell := normalize.Cell{Column: 0, Text: text, Raw: text}
		if a, err := normalize.ParseAmount(text); err == nil {
			cell.Amount = &a
		}
		tb := &normalize.Table{Code: code, Title: heading, Columns: []normalize.Column{{Path: []string{heading, text}}},
			Rows: []normalize.Row{{Label: code, Cells: []normalize.Cell{cell}}}}
		d := &normalize.Document{Tables: []*normalize.Table{tb}}
		var buf bytes.Buffer
		if err := workbook.Write(&buf, d, nil, workbook.Source{File: text}); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		names := workbook.SheetNames(d)
		if got := x.GetSheetList(); !slices.Equal(got, append([]string{"概况"}, names...)) {
			t.Fatalf("sheets %q, SheetNames %q", got, names)
		}
		l := expect(tb)
		want := map[string]string{name(len(l.keys)+1, l.first): xmlText(text)}
		if len(l.keys) > 0 {
			want[name(1, l.first)] = xmlText(code)
		}
		if cell.Amount != nil {
			want[name(len(l.keys)+1, l.first)] = cell.Amount.Value.String()
		}
		for c, w := range want {
			if got, _ := x.GetCellValue(names[0], c, excelize.Options{RawCellValue: true}); got != w {
				t.Errorf("%s: %q, want %q", c, got, w)
			}
		}
		buf.Reset()
		if err := workbook.WriteCSV(&buf, tb); err != nil {
			t.Fatal(err)
		}
		if _, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll(); err != nil {
			t.Fatalf("the CSV does not read back: %v", err)
		}
	})
}
