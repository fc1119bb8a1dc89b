package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/budgetpdf/budgetpdf/workbook"
)

const seedRuled = "../../fixtures/seed-yindu-hrss-2024-ruled.pdf"

// TestTablesXLSX: tables -format xlsx writes the workbook package workbook
// makes of the document, byte for byte, where -o says.
func TestTablesXLSX(t *testing.T) {
	out := filepath.Join(t.TempDir(), "seed.xlsx")
	code, _, stderr := runCLI("tables", seedRuled, "-format", "xlsx", "-o", out)
	if code != 0 || stderr != "budgetpdf: wrote "+out+": 14 tables\n" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := pipeline.ReadDocument(context.Background(), seedRuled, nil)
	var want bytes.Buffer
	d := res.Document
	src := workbook.Source{File: d.SourceFile, DocumentID: d.DocumentID, Pages: int(d.Pages), Status: d.Status}
	if err := workbook.Write(&want, res.Normalized, res.NormalizedChecks, src); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Error("the command's workbook differs from workbook.Write's")
	}
	if code, _, stderr := runCLI("tables", seedRuled, "-format", "xlsx", "-o", filepath.Join(t.TempDir(), "no", "x.xlsx")); code != 2 || !strings.Contains(stderr, "output") {
		t.Errorf("into a missing directory: exit %d, stderr %q; want exit 2, an output error", code, stderr)
	}
}

// TestTablesCSV: tables -format csv writes one CSV per table into the
// directory, named by position and sheet, each as workbook.WriteCSV.
func TestTablesCSV(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "csv")
	code, _, stderr := runCLI("tables", seedRuled, "-format", "csv", "-o", dir, "-pages", "1-4")
	if code != 0 || stderr != "budgetpdf: wrote 3 CSV files to "+dir+"\n" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got, want := strings.Join(names, " "), "01-预算01表.csv 02-预算02表.csv 03-预算03表.csv"; got != want {
		t.Errorf("files %s, want %s", got, want)
	}
	got, err := os.ReadFile(filepath.Join(dir, "02-预算02表.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := "\ufeff编码,名称,单位代码,单位名称,总计,本年收入/合计,本年收入/一般公共预算/小计,本年收入/一般公共预算/其中:财政拨款,本年收入/政府性基金,本年收入/国有资本经营预算,本年收入/财政专户管理资金收入,本年收入/事业收入,本年收入/事业单位经营收入,本年收入/上级补助收入,本年收入/附属单位上缴收入,本年收入/其他收入,上年结转结余/合计,上年结转结余/一般公共预算,上年结转结余/政府性基金,上年结转结余/国有资本经营预算,上年结转结余/财政专户管理资金,上年结转结余/单位资金\r\n" +
		",合计,合计,,6192.14,6192.14,4920.44,4920.44,,,,,,1271.70,,,,,,,,\r\n" +
		"307001,安阳市殷都区人力资源和社会保障局,307001,安阳市殷都区人力资源和社会保障局,6192.14,6192.14,4920.44,4920.44,,,,,,1271.70,,,,,,,,\r\n"
	if string(got) != want {
		t.Errorf("02-预算02表.csv:\n%q\nwant\n%q", got, want)
	}
}
