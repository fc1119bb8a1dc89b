package workbook_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/xuri/excelize/v2"

	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/budgetpdf/budgetpdf/workbook"
)

// The workbook of one document, from what pipeline.ReadDocument read: the
// call a batch makes for each document (WriteFile for a path).
func ExampleWrite() {
	res, err := pipeline.ReadDocument(context.Background(), "../fixtures/seed-yindu-hrss-2024-ruled.pdf", nil)
	if err != nil {
		log.Fatal(err)
	}
	d := res.Document
	src := workbook.Source{File: d.SourceFile, DocumentID: d.DocumentID, Pages: int(d.Pages), Status: d.Status}
	var buf bytes.Buffer
	if err := workbook.Write(&buf, res.Normalized, res.NormalizedChecks, src); err != nil {
		log.Fatal(err)
	}

	f, err := excelize.OpenReader(&buf)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	fmt.Println(f.GetSheetList()[:4])
	total, _ := f.GetCellValue("预算03表", "H8") // 合计 of the 合计 row, as shown
	stored, _ := f.GetCellValue("预算03表", "H8", excelize.Options{RawCellValue: true})
	fmt.Println(total, stored)
	// Output:
	// [概况 预算01表 预算02表 预算03表]
	// 6,192.14 6192.14
}
