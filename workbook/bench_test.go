package workbook_test

import (
	"io"
	"testing"

	"github.com/budgetpdf/budgetpdf/workbook"
)

// BenchmarkWrite writes the seed's workbook (14 tables, 430 amounts).
func BenchmarkWrite(b *testing.B) {
	res := read(b, seedPDF)
	b.ReportAllocs()
	for b.Loop() {
		if err := workbook.Write(io.Discard, res.Normalized, res.NormalizedChecks, source(res)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteCSV writes the seed's tables as CSV.
func BenchmarkWriteCSV(b *testing.B) {
	res := read(b, seedPDF)
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range res.Normalized.Tables {
			if err := workbook.WriteCSV(io.Discard, t); err != nil {
				b.Fatal(err)
			}
		}
	}
}
