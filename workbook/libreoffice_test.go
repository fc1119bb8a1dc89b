package workbook_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/budgetpdf/budgetpdf/workbook"
)

// loCSV is LibreOffice's CSV export filter: comma, double quote, UTF-8,
// values as stored rather than as shown (token 9 false), every sheet to
// its own file (token 12 -1: <name>-<sheet>.csv).
const loCSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"

// TestLibreOffice has a real reader open the workbooks of the seed and of
// a corpus page with failed checks: LibreOffice (headless, where
// installed) converts every sheet to CSV, and every amount it read must
// equal the table's exactly, every text its text, every blank stay blank.
// A yardstick only: budgetpdf never runs LibreOffice.
func TestLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) not installed")
	}
	dir := t.TempDir()
	docs := map[string]*pipeline.Result{"seed": read(t, seedPDF), "failed": read(t, failedPDF)}
	var files []string
	for base, res := range docs {
		file := filepath.Join(dir, base+".xlsx")
		if err := workbook.WriteFile(file, res.Normalized, res.NormalizedChecks, source(res)); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// A profile of its own, so that a LibreOffice already running for
	// someone else is neither used nor disturbed.
	args := append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", loCSV, "--outdir", filepath.Join(dir, "csv")}, files...)
	if out, err := exec.CommandContext(ctx, soffice, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	n := 0
	for base, res := range docs {
		for i, name := range workbook.SheetNames(res.Normalized) {
			data, err := os.ReadFile(filepath.Join(dir, "csv", base+"-"+name+".csv"))
			if err != nil {
				t.Fatal(err)
			}
			n += compareLO(t, base+"!"+name, res.Normalized.Tables[i], data)
		}
	}
	if n != 430+124 {
		t.Errorf("%d amounts compared, want 430 (seed) + 124 (failed)", n)
	}
}

// compareLO compares LibreOffice's CSV of a table's sheet with the table;
// it returns the number of amounts.
func compareLO(t *testing.T, sheet string, tb *normalize.Table, data []byte) int {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", sheet, err)
	}
	l := expect(tb)
	at := func(row, col int) string { // 0-based record and field
		if row < len(recs) && col < len(recs[row]) {
			return recs[row][col]
		}
		return ""
	}
	cells := map[[2]int]normalize.Cell{}
	for _, row := range tb.Rows {
		for _, c := range row.Cells {
			cells[[2]int{l.at[row.Index], c.Column}] = c
		}
	}
	n := 0
	for i := range l.rows {
		for col := range tb.Columns {
			got := at(l.first-1+i, len(l.keys)+col)
			c, ok := cells[[2]int{i, col}]
			switch {
			case !ok && got != "":
				t.Errorf("%s: row %d column %d: LibreOffice read %q where the table is blank", sheet, i, col, got)
			case ok && c.Amount != nil:
				n++
				if d, err := decimal.NewFromString(got); err != nil || !d.Equal(c.Amount.Value) {
					t.Errorf("%s: row %d column %d: LibreOffice read %q, want %s", sheet, i, col, got, c.Amount)
				}
			case ok && got != c.Text:
				t.Errorf("%s: row %d column %d: LibreOffice read %q, want %q", sheet, i, col, got, c.Text)
			}
		}
	}
	return n
}
