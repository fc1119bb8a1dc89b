package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/budgetpdf/budgetpdf/schema"
	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func readJSONL(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, m)
	}
	return out
}

// partFiles lists a record set's part files in a dataset directory, in
// batch order.
func partFiles(t *testing.T, dir, set, ext string) []string {
	t.Helper()
	if ext == ".jsonl" {
		dir = filepath.Join(dir, "jsonl")
	}
	a, _ := filepath.Glob(filepath.Join(dir, set, "part-*"+ext))
	b, _ := filepath.Glob(filepath.Join(dir, set, "*", "part-*"+ext))
	files := append(a, b...)
	slices.SortFunc(files, func(x, y string) int {
		return cmp.Or(strings.Compare(filepath.Base(x), filepath.Base(y)), strings.Compare(x, y))
	})
	return files
}

// setBytes is a record set's JSON Lines parts, concatenated.
func setBytes(t *testing.T, dir, set, ext string) []byte {
	t.Helper()
	var out []byte
	for _, f := range partFiles(t, dir, set, ext) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b...)
	}
	return out
}

// readSet reads a record set's JSON Lines parts.
func readSet(t *testing.T, dir, set string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, f := range partFiles(t, dir, set, ".jsonl") {
		out = append(out, readJSONL(t, f)...)
	}
	return out
}

// TestRun runs the pipeline on a good, a scanned and a broken file: every
// file is a documents record, the run goes on past the failure and says so
// in its exit status, and Parquet and JSON Lines hold the same cells.
func TestRun(t *testing.T) {
	out := t.TempDir()
	seed := "../../fixtures/seed-yindu-hrss-2024-ruled.pdf"
	code, stdout, stderr := runCLI("run", "-o", out, seed,
		"../../fixtures/beijing-data-bureau-2026-budget-notes-scanned-p1.pdf",
		"../../extract/testdata/broken/truncated.pdf")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one file failed); stderr %s", code, stderr)
	}
	if !strings.Contains(stdout, "3 documents (1 ok, 0 partial, 1 failed, 1 without text layer)") {
		t.Errorf("summary %q", stdout)
	}
	status := make(map[string]string)
	for _, d := range readSet(t, out, "documents") {
		status[filepath.Base(d["source_file"].(string))] = d["status"].(string)
	}
	want := map[string]string{
		"seed-yindu-hrss-2024-ruled.pdf":                       "ok",
		"beijing-data-bureau-2026-budget-notes-scanned-p1.pdf": "no_text_layer",
		"truncated.pdf": "failed",
	}
	for f, s := range want {
		if status[f] != s {
			t.Errorf("%s: status %q, want %q", f, status[f], s)
		}
	}
	jl := readSet(t, out, "cells")
	pq, err := schema.ReadDataset[schema.Cell](out)
	if err != nil {
		t.Fatal(err)
	}
	if len(pq) != len(jl) || len(pq) == 0 {
		t.Fatalf("%d parquet cells, %d jsonl cells", len(pq), len(jl))
	}
	for i, c := range pq {
		j := jl[i]
		amount := "<nil>"
		if c.Amount != nil {
			amount = c.Amount.String()
		}
		jamount := "<nil>"
		if a, ok := j["amount"].(string); ok {
			jamount = a
		}
		if c.Text != j["text"] || c.ColumnPath != j["column_path"] || amount != jamount {
			t.Fatalf("cell %d differs: parquet %q %q %s, jsonl %v %v %v", i, c.Text, c.ColumnPath, amount, j["text"], j["column_path"], j["amount"])
		}
	}
	// 预算01表's 收入总计: 6,192.14 万元 is 61,921,400 元, exactly.
	found := false
	for _, c := range pq {
		if c.TableCode == "预算01表" && c.RowLabel == "收入总计" && c.Amount != nil {
			found = true
			if c.Amount.String() != "6192.14" || c.AmountYuan == nil || c.AmountYuan.String() != "61921400" || c.Side != "收入" || c.Unit != "万元" {
				t.Errorf("收入总计: %+v", c)
			}
		}
	}
	if !found {
		t.Error("no 收入总计 cell in 预算01表")
	}
}

// TestRunDeterministic: the same input gives byte-identical files.
func TestRunDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	in := "../../fixtures/jiangsu-npc-office-2019-budget-tables.pdf"
	for _, dir := range []string{a, b} {
		if code, _, stderr := runCLI("run", "-o", dir, in); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	for _, name := range []string{"documents", "tables", "cells", "checks"} {
		if x, y := setBytes(t, a, name, ".jsonl"), setBytes(t, b, name, ".jsonl"); len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between runs (%d and %d bytes)", name, len(x), len(y))
		}
	}
}

// TestSeedCellsGolden compares the seed's cells.jsonl, indicators.jsonl
// and form_fields.jsonl with reviewed golden files (go test -update
// rewrites them).
func TestSeedCellsGolden(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI("run", "-o", out, "-format", "jsonl", "../../fixtures/seed-yindu-hrss-2024-ruled.pdf"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, set := range []string{"cells", "indicators", "form_fields", "facts"} {
		t.Run(set, func(t *testing.T) { compareSetGolden(t, out, set) })
	}
}

// compareSetGolden compares a record set of the seed's run with
// testdata/seed-ruled-SET.jsonl.golden.
func compareSetGolden(t *testing.T, out, set string) {
	got := setBytes(t, out, set, ".jsonl")
	golden := filepath.Join("testdata", "seed-ruled-"+set+".jsonl.golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if !bytes.Equal(got, want) {
		os.WriteFile(golden+".actual", got, 0o644)
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			if i >= len(gl) || i >= len(wl) || gl[i] != wl[i] {
				t.Fatalf("%s.jsonl differs from %s at line %d (actual output in %s.actual)", set, golden, i+1, golden)
			}
		}
	}
}

// TestChecksCommand: the seed's checks all pass (run prints the summary,
// check exits 0); a dataset with a failed check makes check list it with
// file, page and cells, and exit 1.
func TestChecksCommand(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI("run", "-o", out, "../../fixtures/seed-yindu-hrss-2024-ruled.pdf")
	if code != 0 || !strings.Contains(stdout, " 0 failed, ") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, stdout, _ := runCLI("check", out); code != 0 || !strings.HasSuffix(stdout, " 0 failed\n") {
		t.Errorf("check: exit %d, %q", code, stdout)
	}
	checks, err := schema.ReadDataset[schema.Check](out)
	if err != nil || len(checks) == 0 {
		t.Fatalf("%d checks, %v", len(checks), err)
	}

	bad := t.TempDir()
	exp, act := checks[0].Expected, checks[0].Expected.Add(decimal.New(1, 0))
	diff := act.Sub(*exp)
	ds := schema.Dataset{
		Documents: []schema.Document{{DocumentID: "d", SourceFile: "x.pdf", Status: schema.StatusOK, ChecksFailed: 1}},
		Tables:    []schema.Table{{DocumentID: "d", TableIndex: 0, TableCode: "预算03表", Title: "2024年部门支出预算表", Columns: []string{"合计", "基本支出"}, PageFirst: 3, PageLast: 3}},
		Checks: []schema.Check{{DocumentID: "d", SourceFile: "x.pdf", TableIndex: 0, Rule: "row.grand-total", Scope: "row", RowIndex: 4,
			Expected: exp, Actual: &act, Difference: &diff, Status: schema.CheckFail,
			Cells: []schema.CheckCell{{TableIndex: 0, RowIndex: 4, ColumnIndex: 0, Page: 3, X0: 1, Y0: 2, X1: 3, Y1: 4}}}},
	}
	w, err := schema.NewPartWriter(bad, []string{schema.FormatParquet}, "t-000001")
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(w.Write(ds), w.Close()); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = runCLI("check", bad)
	want := "x.pdf: page 3: table 0 预算03表 2024年部门支出预算表: row.grand-total fail (row 4): printed " + exp.String()
	if code != 1 || !strings.Contains(stdout, want) || !strings.Contains(stdout, `total: page 3 table 0 row 4 column "合计" [1.00 2.00 3.00 4.00]`) {
		t.Errorf("check: exit %d\n%s\nwant %q", code, stdout, want)
	}
}

// TestRunInputsAndWorkers: a glob read by one worker and the same files
// listed on standard input and read by three workers give byte-identical
// datasets; the JSON log has one line per document, in any order.
func TestRunInputsAndWorkers(t *testing.T) {
	files := []string{
		"../../fixtures/jiangsu-npc-office-2019-budget-tables.pdf",
		"../../fixtures/yantai-housing-construction-2026-budget-p2-3.pdf",
		"../../fixtures/beijing-data-bureau-2026-budget-notes-scanned-p1.pdf",
		"../../extract/testdata/broken/truncated.pdf",
	}
	glob := t.TempDir()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(glob, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a, b := t.TempDir(), t.TempDir()
	code, _, stderr := runCLI("run", "-workers", "1", "-quiet", "-o", a, filepath.Join(glob, "*.pdf"))
	if code != 1 || stderr != "budgetpdf run: 1 document(s) failed or partial (recorded in documents)\n" {
		t.Fatalf("glob run: exit %d (want 1: truncated.pdf fails), stderr %q (-quiet: no per-document lines)", code, stderr)
	}
	var list strings.Builder
	for _, f := range files {
		fmt.Fprintln(&list, filepath.Join(glob, filepath.Base(f)))
	}
	var out, errb bytes.Buffer
	code = run([]string{"run", "-workers", "3", "-log-format", "json", "-o", b, "-"}, strings.NewReader(list.String()), &out, &errb)
	if code != 1 {
		t.Fatalf("stdin run: exit %d, stderr %s", code, errb.String())
	}
	for _, name := range []string{"documents", "tables", "cells", "checks"} {
		if x, y := setBytes(t, a, name, ".jsonl"), setBytes(t, b, name, ".jsonl"); len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between 1 and 3 workers (%d and %d bytes)", name, len(x), len(y))
		}
	}
	status := make(map[string]string)
	lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
	if last := lines[len(lines)-1]; last != "budgetpdf run: 1 document(s) failed or partial (recorded in documents)" {
		t.Errorf("last line %q, want the exit reason", last)
	}
	for _, line := range lines[:len(lines)-1] {
		var m struct {
			File, Status, Error string
			Pages, Tables       int
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		status[filepath.Base(m.File)] = m.Status
		if m.Status == schema.StatusFailed && !strings.Contains(m.Error, "truncated.pdf") {
			t.Errorf("failed line without the file in its error: %q", line)
		}
	}
	want := map[string]string{
		"jiangsu-npc-office-2019-budget-tables.pdf":            "ok",
		"yantai-housing-construction-2026-budget-p2-3.pdf":     "ok",
		"beijing-data-bureau-2026-budget-notes-scanned-p1.pdf": "no_text_layer",
		"truncated.pdf": "failed",
	}
	if fmt.Sprint(status) != fmt.Sprint(want) {
		t.Errorf("log statuses %v, want %v", status, want)
	}
}

// TestRunTimeout: a document over -timeout is a failed record saying so,
// and the run still writes its dataset.
func TestRunTimeout(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI("run", "-timeout", "1ns", "-o", out, "../../fixtures/xian-science-tech-2022-budget-p20-21.pdf")
	if code != 1 {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	if !strings.Contains(stderr, "budgetpdf: failed ../../fixtures/xian-science-tech-2022-budget-p20-21.pdf: 0 pages") ||
		!strings.Contains(stderr, "gave up after 1ns (-timeout)") {
		t.Errorf("log %q", stderr)
	}
	docs := readSet(t, out, "documents")
	if len(docs) != 1 || docs[0]["status"] != "failed" || !strings.Contains(docs[0]["error"].(string), "gave up after 1ns") || docs[0]["document_id"] == "" {
		t.Errorf("documents %v", docs)
	}
}

func TestCollectPDFsErrors(t *testing.T) {
	if _, err := collectPDFs([]string{"testdata/nomatch-*.pdf"}, nil); err == nil || !strings.Contains(err.Error(), "matches no file") {
		t.Errorf("glob without match: %v", err)
	}
	got, err := collectPDFs([]string{"-", "-"}, strings.NewReader("b.pdf\n\n  a.pdf \nb.pdf\n"))
	if err != nil || fmt.Sprint(got) != "[a.pdf b.pdf]" {
		t.Errorf("stdin list: %v %v", got, err)
	}
}

// TestRunDuplicates: a file copied under other names is read once; its
// record lists the other names.
func TestRunDuplicates(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	b, err := os.ReadFile("../../fixtures/yantai-housing-construction-2026-budget-p2-3.pdf")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.pdf", "b/copy.pdf", "c.PDF"} {
		os.MkdirAll(filepath.Dir(filepath.Join(in, name)), 0o755)
		if err := os.WriteFile(filepath.Join(in, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := runCLI("run", "-o", out, in)
	if code != 0 || !strings.Contains(stdout, "1 documents (3 files; 2 duplicates recorded with their first copy) (1 ok,") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	docs, err := schema.ReadDataset[schema.Document](out)
	if err != nil || len(docs) != 1 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	want := []string{filepath.Join(in, "b/copy.pdf"), filepath.Join(in, "c.PDF")}
	if d := docs[0]; d.SourceFile != filepath.Join(in, "a.pdf") || fmt.Sprint(d.DuplicateFiles) != fmt.Sprint(want) || d.Status != schema.StatusOK {
		t.Errorf("document %s %v %s, want a.pdf with %v", d.SourceFile, d.DuplicateFiles, d.Status, want)
	}
}

// TestPrintSummary: the run's summary, with the tables with the most
// failed checks (pipeline.Summary.Worst).
func TestPrintSummary(t *testing.T) {
	s := &pipeline.Summary{Files: 8, Documents: 8, Tables: 8, Status: map[string]int{schema.StatusOK: 8}, Checks: map[string]int{}}
	for _, i := range []int{5, 6, 1, 4, 3} {
		s.Worst = append(s.Worst, pipeline.FailedTable{SourceFile: fmt.Sprintf("f%d.pdf", i),
			Table: schema.Table{TableCode: "表", PageFirst: int32(i), ChecksFailed: []int32{1, 3, 0, 2, 3, 5, 4, 1}[i]}})
	}
	var b strings.Builder
	printSummary(&b, s, "out")
	want := `8 documents (8 ok, 0 partial, 0 failed, 0 without text layer), 8 tables, 0 cells written to out
checks: 0 passed (0 within rounding), 0 failed, 0 skipped (a blank operand)
  5 failed: f5.pdf p5 表 
  4 failed: f6.pdf p6 表 
  3 failed: f1.pdf p1 表 
  3 failed: f4.pdf p4 表 
  2 failed: f3.pdf p3 表 
`
	if b.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestRunLimits: a document over -max-pages or -max-size is a failed
// record saying which limit, and the others are read.
func TestRunLimits(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	big := filepath.Join(in, "big.pdf")
	if err := os.WriteFile(big, bytes.Repeat([]byte("%PDF-1.4\n"), 200_000), 0o644); err != nil {
		t.Fatal(err)
	}
	two := "../../fixtures/xian-science-tech-2022-budget-p20-21.pdf"
	one := "../../fixtures/xian-sasac-2022-budget-p36.pdf"
	code, _, stderr := runCLI("run", "-max-pages", "1", "-max-size", "1", "-o", out, big, two, one)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := make(map[string]string)
	for _, d := range readSet(t, out, "documents") {
		got[filepath.Base(d["source_file"].(string))] = fmt.Sprint(d["status"], " ", d["pages"], " ", d["error"])
		if len(d["document_id"].(string)) != 64 {
			t.Errorf("%s: document_id %q", d["source_file"], d["document_id"])
		}
	}
	want := map[string]string{
		"big.pdf": "failed 0 " + big + ": 1800000 bytes, over the limit of 1 MiB (-max-size)",
		"xian-science-tech-2022-budget-p20-21.pdf": "failed 0 " + two + ": over the page limit (-max-pages 1): limit exceeded: more than 1 pages (Options.MaxPages)",
		"xian-sasac-2022-budget-p36.pdf":           "ok 1 ",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("documents\n%v\nwant\n%v", got, want)
	}
}

// TestCollectPDFsLinksAndMissing: a directory given through a symbolic
// link (a mounted volume) is walked as the directory; a link loop inside
// does not hang the walk; a file given that is not there is an input (the
// run records it as failed), not the end of the run.
func TestCollectPDFsLinksAndMissing(t *testing.T) {
	base := t.TempDir()
	real := filepath.Join(base, "real")
	if err := os.MkdirAll(filepath.Join(real, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"a.pdf", "sub/b.pdf"} {
		if err := os.WriteFile(filepath.Join(real, f), []byte("%PDF-1.4"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(base, "crawl")
	if err := os.Symlink(real, link); err != nil {
		t.Skip(err)
	}
	if err := os.Symlink(real, filepath.Join(real, "loop")); err != nil {
		t.Fatal(err)
	}
	gone := filepath.Join(base, "gone.pdf")
	got, err := collectPDFs([]string{link, gone}, nil)
	want := []string{filepath.Join(link, "a.pdf"), filepath.Join(link, "sub", "b.pdf"), gone}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
}

// TestProgressLinePrintable: a file whose name holds a newline or an
// escape is logged on one line, its name quoted.
func TestProgressLinePrintable(t *testing.T) {
	var b strings.Builder
	p := newProgress(&b, false, "text")
	p.done(1, &pipeline.Result{Document: schema.Document{SourceFile: "a\nb\x1b.pdf", Status: schema.StatusOK, Pages: 2}})
	p.done(2, &pipeline.Result{Document: schema.Document{SourceFile: "预算/c d.pdf", Status: schema.StatusOK, Pages: 1}})
	want := "budgetpdf: ok \"a\\nb\\x1b.pdf\": 2 pages, 0 tables, 0 failed checks, 0.00s\n" +
		"budgetpdf: ok 预算/c d.pdf: 1 pages, 0 tables, 0 failed checks, 0.00s\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
