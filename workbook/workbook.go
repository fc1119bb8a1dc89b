package workbook

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/budgetpdf/budgetpdf/normalize"
)

// Source is what the summary sheet says of the file a document was read
// from; a zero field is left out.
type Source struct {
	File       string // the file's path as given
	DocumentID string // hex SHA-256 of the file's bytes (schema.Document.DocumentID)
	Pages      int    // the file's page count
	Status     string // how the document came out: ok, partial, ... (schema.Document.Status)
}

// Write writes the workbook of d to w: the summary sheet, then one sheet
// per table (see the package documentation). checks are d's checks
// (normalize.Checks): their counts go to the summary, the cells of the
// failed ones are marked. The bytes depend only on the arguments.
func Write(w io.Writer, d *normalize.Document, checks []normalize.Check, src Source) error {
	f, err := build(d, checks, src)
	if err == nil {
		_, err = f.WriteTo(w)
		f.Close()
	}
	if err != nil && src.File != "" {
		return fmt.Errorf("workbook of %s: %w", src.File, err)
	}
	return err
}

// WriteFile writes the workbook of d (see Write) to path: to a temporary
// file in the same directory first, renamed to path when complete, so that
// path never holds half a workbook.
func WriteFile(path string, d *normalize.Document, checks []normalize.Check, src Source) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err // (names the directory)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("%s: %w", path, err)
		}
	}()
	if err = Write(tmp, d, checks, src); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil { // (CreateTemp makes it 0600)
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// book is a workbook being built. Its methods keep the first error of the
// library (err) and do nothing after it, so that the steps read as a list.
type book struct {
	f      *excelize.File
	styles map[style]int
	err    error
}

// build makes the workbook of d.
func build(d *normalize.Document, checks []normalize.Check, src Source) (*excelize.File, error) {
	b := &book{f: excelize.NewFile(), styles: make(map[style]int)}
	b.do(b.f.SetSheetName("Sheet1", summarySheet))
	b.do(b.f.SetDocProps(&excelize.DocProperties{Creator: "budgetpdf", Title: docTitle(d), Identifier: src.DocumentID}))
	names := SheetNames(d)
	marked := markings(len(d.Tables), checks)
	for i, t := range d.Tables {
		b.table(names[i], t, &marked[i])
	}
	b.summary(d, src, names, tallies(len(d.Tables), checks))
	if b.err != nil {
		b.f.Close()
		return nil, b.err
	}
	return b.f, nil
}

// docTitle names the document: agency, year and phase, where known.
func docTitle(d *normalize.Document) string {
	s := d.Agency
	if d.FiscalYear != 0 {
		s += fmt.Sprintf(" %d年", d.FiscalYear)
	}
	if d.Phase != normalize.PhaseUnknown {
		s += " " + string(d.Phase)
	}
	return s
}

// do keeps the first error.
func (b *book) do(err error) {
	if b.err == nil {
		b.err = err
	}
}

// cell is the name of the cell at 1-based column col and row row ("B4").
func cell(col, row int) string {
	s, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err) // coordinates come from the layout: always in range
	}
	return s
}

// text sets a string cell with a style.
func (b *book) text(sheet string, col, row int, s string, st style) {
	if b.err != nil {
		return
	}
	c := cell(col, row)
	if s != "" { // (an empty text is a blank cell, not an empty string)
		b.do(b.f.SetCellStr(sheet, c, escapeText(s)))
	}
	b.do(b.f.SetCellStyle(sheet, c, c, b.style(st)))
}

// number sets a numeric cell whose stored value is the decimal string v
// exactly (SetCellDefault stores a numeric string as the cell's <v> as it
// is, with no type: a number), with a style.
func (b *book) number(sheet string, col, row int, v string, st style) {
	if b.err != nil {
		return
	}
	c := cell(col, row)
	b.do(b.f.SetCellDefault(sheet, c, v))
	b.do(b.f.SetCellStyle(sheet, c, c, b.style(st)))
}

// styled gives a blank cell a style (its borders) and no value.
func (b *book) styled(sheet string, col, row int, st style) {
	if b.err != nil {
		return
	}
	c := cell(col, row)
	b.do(b.f.SetCellStyle(sheet, c, c, b.style(st)))
}

// escapes is the form OOXML gives a character XML cannot hold: _xHHHH_.
var escapes = regexp.MustCompile(`_(x[0-9A-Fa-f]{4}_)`)

// escapeText keeps a text that prints such a form literally ("_x0041_")
// from being read as an escape: its underscore is itself escaped
// (_x005F_x0041_), as OOXML says of its strings (ST_Xstring).
// Characters XML cannot hold are the library's to replace (with U+FFFD).
func escapeText(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	return escapes.ReplaceAllString(s, "_x005F_$1")
}

// merge merges the rectangle (col0,row0)-(col1,row1), 1-based, when it is
// more than one cell.
func (b *book) merge(sheet string, col0, row0, col1, row1 int) {
	if b.err != nil || (col0 == col1 && row0 == row1) {
		return
	}
	b.do(b.f.MergeCell(sheet, cell(col0, row0), cell(col1, row1)))
}

// comment attaches a comment of lines to a cell.
func (b *book) comment(sheet string, col, row int, lines []string) {
	if b.err != nil || len(lines) == 0 {
		return
	}
	text := strings.Join(lines, "\n")
	b.do(b.f.AddComment(sheet, excelize.Comment{Cell: cell(col, row), Author: "budgetpdf", Text: text, Width: 320, Height: 40 + 40*uint(len(lines))}))
}
