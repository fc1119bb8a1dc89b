package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/budgetpdf/budgetpdf/cmd/budgetpdf/internal/report"
	"github.com/budgetpdf/budgetpdf/extract"
	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/schema"
)

func cmdRun(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	out := fs.String("o", "out", "output directory")
	formats := fs.String("format", "parquet,jsonl", "output formats: parquet, jsonl or both, comma-separated")
	debugDir := fs.String("debug", "", "also write a visual report of every document into this directory")
	inputs, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(inputs) == 0 {
		return fmt.Errorf("%w: want at least one INPUT (a PDF file or a directory)", errUsage)
	}
	for _, f := range strings.Split(*formats, ",") {
		if f != schema.FormatParquet && f != schema.FormatJSONL {
			return fmt.Errorf("%w: unknown format %q (parquet, jsonl)", errUsage, f)
		}
	}
	files, err := collectPDFs(inputs)
	if err != nil {
		return err
	}
	var docs []schema.Document
	var tables []schema.Table
	var cells []schema.Cell
	checks := []schema.Check{}
	counts := make(map[string]int)
	var entries []report.Entry
	for i, f := range files {
		var rep *report.Document
		if *debugDir != "" {
			rep = &report.Document{File: f}
		}
		d, ts, cs, ks := processFile(f, rep)
		if rep != nil {
			e := report.Entry{File: f, Status: d.Status, Tables: len(ts), Failed: int(d.ChecksFailed)}
			if d.Status != schema.StatusFailed {
				e.Dir = reportDir(i, f)
				rep.Error = d.Error
				if err := rep.Write(filepath.Join(*debugDir, e.Dir)); err != nil {
					return fmt.Errorf("%w: report of %s: %v", errOutput, f, err)
				}
			}
			entries = append(entries, e)
		}
		docs = append(docs, d)
		tables = append(tables, ts...)
		cells = append(cells, cs...)
		checks = append(checks, ks...)
		counts[d.Status]++
		if d.Status != schema.StatusOK {
			fmt.Fprintf(stderr, "budgetpdf: %s: %s: %s\n", f, d.Status, d.Error)
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("%w: %v", errOutput, err)
	}
	ds := schema.Dataset{Documents: docs, Tables: tables, Cells: cells, Checks: checks}
	if err := schema.WriteDataset(*out, strings.Split(*formats, ","), ds); err != nil {
		return fmt.Errorf("%w: writing %s: %v", errOutput, *out, err)
	}
	fmt.Fprintf(stdout, "%d documents (%d ok, %d partial, %d failed, %d without text layer), %d tables, %d cells written to %s\n",
		len(docs), counts[schema.StatusOK], counts[schema.StatusPartial], counts[schema.StatusFailed], counts[schema.StatusNoTextLayer],
		len(tables), len(cells), *out)
	summarizeChecks(stdout, docs, tables, checks)
	if *debugDir != "" {
		if err := report.WriteIndex(*debugDir, entries); err != nil {
			return fmt.Errorf("%w: %v", errOutput, err)
		}
		fmt.Fprintf(stdout, "report: %s\n", filepath.Join(*debugDir, "index.html"))
	}
	if n := counts[schema.StatusFailed] + counts[schema.StatusPartial]; n > 0 {
		return exitError{fmt.Errorf("%d document(s) failed or partial (recorded in documents)", n)}
	}
	return nil
}

// collectPDFs expands directories (recursively, *.pdf in any case) and
// returns the files sorted, without duplicates. A file named explicitly is
// taken whatever its extension.
func collectPDFs(inputs []string) ([]string, error) {
	var files []string
	for _, in := range inputs {
		st, err := os.Stat(in)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		if !st.IsDir() {
			files = append(files, in)
			continue
		}
		err = filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".pdf") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(files)
	return slices.Compact(files), nil
}

// maxProblems is how many problems a document's error lists by name.
const maxProblems = 5

// processFile reads one PDF into records. It never fails: a file that
// cannot be read is a document record with status failed and the reason;
// a panic inside the stages is caught and recorded the same way.
func processFile(path string, rep *report.Document) (doc schema.Document, tables []schema.Table, cells []schema.Cell, checks []schema.Check) {
	doc = schema.Document{SourceFile: path, Status: schema.StatusFailed}
	defer func() {
		if x := recover(); x != nil {
			doc.Status, doc.Error = schema.StatusFailed, fmt.Sprintf("internal error: %v", x)
			tables, cells, checks = nil, nil, nil
		}
	}()
	id, err := fileID(path)
	if err != nil {
		doc.Error = err.Error()
		return doc, nil, nil, nil
	}
	doc.DocumentID = id
	d, err := extract.OpenFile(path, nil)
	if err != nil {
		doc.Error = err.Error()
		return doc, nil, nil, nil
	}
	defer d.Close()
	b := normalize.NewBuilder(nil)
	var problems []string
	withText := 0
	for p, err := range d.Pages() {
		if err != nil {
			problems = append(problems, err.Error())
		}
		if p == nil {
			continue
		}
		if p.HasText() {
			withText++
		}
		b.AddPage(p)
		if rep != nil {
			rep.Pages = append(rep.Pages, p)
		}
	}
	year, agency, _ := b.Facts()
	producer := d.Info.Producer
	if producer == "" {
		producer = d.Info.Creator
	}
	src := schema.Source{DocumentID: id, File: path, Pages: d.NumPages(), Producer: producer}
	built := b.Tables()
	doc, tables, cells, cellProblems := schema.FromTables(src, built, year, agency)
	problems = append(problems, cellProblems...)
	nchecks := normalize.Checks(built)
	checks = schema.FromChecks(&doc, tables, nchecks)
	if rep != nil {
		rep.Info, rep.Tables, rep.Checks = d.Info, built, nchecks
		rep.Year, rep.Agency, _ = b.Facts()
	}
	switch {
	case withText == 0:
		doc.Status = schema.StatusNoTextLayer
		doc.Error = fmt.Sprintf("%v: %d page(s) of images only", extract.ErrNoTextLayer, d.NumPages())
	case len(problems) > 0:
		doc.Status = schema.StatusPartial
		doc.Error = summarize(problems)
	}
	return doc, tables, cells, checks
}

// summarizeChecks prints the checks' totals and the tables with the most
// failures.
func summarizeChecks(w io.Writer, docs []schema.Document, tables []schema.Table, checks []schema.Check) {
	n := make(map[string]int)
	for _, c := range checks {
		n[c.Status]++
	}
	fmt.Fprintf(w, "checks: %d passed (%d within rounding), %d failed, %d skipped (a blank operand)\n",
		n[schema.CheckPass]+n[schema.CheckRounding], n[schema.CheckRounding], n[schema.CheckFail], n[schema.CheckSkipped])
	file := make(map[string]string)
	for _, d := range docs {
		file[d.DocumentID] = d.SourceFile
	}
	worst := slices.Clone(tables)
	slices.SortStableFunc(worst, func(a, b schema.Table) int { return int(b.ChecksFailed - a.ChecksFailed) })
	for _, t := range worst[:min(len(worst), 5)] {
		if t.ChecksFailed == 0 {
			break
		}
		fmt.Fprintf(w, "  %d failed: %s p%d %s %s\n", t.ChecksFailed, file[t.DocumentID], t.PageFirst, t.TableCode, t.Title)
	}
	if n[schema.CheckFail] > 0 {
		fmt.Fprintln(w, "  (budgetpdf check DIR lists every failure with its cells)")
	}
}

func summarize(problems []string) string {
	s := strings.Join(problems[:min(len(problems), maxProblems)], "; ")
	if len(problems) > maxProblems {
		s += fmt.Sprintf("; and %d more", len(problems)-maxProblems)
	}
	return s
}

// fileID is the hex SHA-256 of the file's bytes.
func fileID(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", errors.Join(fmt.Errorf("%s: reading", path), err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
