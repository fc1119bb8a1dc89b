package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/budgetpdf/budgetpdf/cmd/budgetpdf/internal/report"
	"github.com/budgetpdf/budgetpdf/extract"
	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/schema"
)

func cmdRun(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	out := fs.String("o", "out", "output directory")
	formats := fs.String("format", "parquet,jsonl", "output formats: parquet, jsonl or both, comma-separated")
	debugDir := fs.String("debug", "", "also write a visual report of every document into this directory")
	workers := fs.Int("workers", runtime.NumCPU(), "documents processed at once")
	timeout := fs.Duration("timeout", 10*time.Minute, "time allowed per document; a document over it is recorded as failed")
	quiet := fs.Bool("quiet", false, "no progress and no per-document lines")
	logFormat := fs.String("log-format", "text", "per-document lines when not on a terminal: text or json")
	inputs, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(inputs) == 0 {
		return fmt.Errorf("%w: want at least one INPUT (a PDF file, a directory, a glob, or - for a list on standard input)", errUsage)
	}
	for _, f := range strings.Split(*formats, ",") {
		if f != schema.FormatParquet && f != schema.FormatJSONL {
			return fmt.Errorf("%w: unknown format %q (parquet, jsonl)", errUsage, f)
		}
	}
	if *workers < 1 || (*logFormat != "text" && *logFormat != "json") {
		return fmt.Errorf("%w: -workers must be at least 1 and -log-format text or json", errUsage)
	}
	files, err := collectPDFs(inputs, stdin)
	if err != nil {
		return err
	}
	results := processAll(files, *workers, *timeout, *debugDir, newProgress(stderr, len(files), *quiet, *logFormat))
	var docs []schema.Document
	var tables []schema.Table
	var cells []schema.Cell
	checks := []schema.Check{}
	counts := make(map[string]int)
	var entries []report.Entry
	for _, r := range results {
		if r.err != nil {
			return r.err
		}
		docs = append(docs, r.doc)
		tables = append(tables, r.tables...)
		cells = append(cells, r.cells...)
		checks = append(checks, r.checks...)
		counts[r.doc.Status]++
		if r.entry != nil {
			entries = append(entries, *r.entry)
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

// result is what one document gave.
type result struct {
	doc     schema.Document
	tables  []schema.Table
	cells   []schema.Cell
	checks  []schema.Check
	entry   *report.Entry // the document's line in a batch report
	pages   int
	seconds float64
	err     error // an output error (the report could not be written)
}

// processAll reads the files with workers goroutines, each document alone
// and within its timeout, and returns the results in the files' order, so
// that the output does not depend on the scheduling.
func processAll(files []string, workers int, timeout time.Duration, debugDir string, prog *progress) []result {
	results := make([]result, len(files))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(files), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = processWithin(i, files[i], timeout, debugDir)
				prog.done(files[i], results[i])
			}
		}()
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	prog.finish()
	return results
}

// processWithin processes one file, giving up after timeout: the document
// is then recorded as failed, and its work, bounded by the per-page limits
// of extract, ends in the background.
func processWithin(i int, file string, timeout time.Duration, debugDir string) result {
	start := time.Now()
	done := make(chan result, 1)
	go func() {
		var rep *report.Document
		if debugDir != "" {
			rep = &report.Document{File: file}
		}
		var r result
		r.doc, r.tables, r.cells, r.checks = processFile(file, rep)
		r.pages = int(r.doc.Pages)
		if rep != nil {
			e := report.Entry{File: file, Status: r.doc.Status, Tables: len(r.tables), Failed: int(r.doc.ChecksFailed)}
			if r.doc.Status != schema.StatusFailed {
				e.Dir = reportDir(i, file)
				rep.Error = r.doc.Error
				if err := rep.Write(filepath.Join(debugDir, e.Dir)); err != nil {
					r.err = fmt.Errorf("%w: report of %s: %v", errOutput, file, err)
				}
			}
			r.entry = &e
		}
		done <- r
	}()
	select {
	case r := <-done:
		r.seconds = time.Since(start).Seconds()
		return r
	case <-time.After(timeout):
		r := result{doc: schema.Document{SourceFile: file, Status: schema.StatusFailed,
			Error: fmt.Sprintf("%s: gave up after %v (-timeout)", file, timeout)}, seconds: time.Since(start).Seconds()}
		if id, err := fileID(file); err == nil {
			r.doc.DocumentID = id
		}
		if debugDir != "" {
			r.entry = &report.Entry{File: file, Status: schema.StatusFailed}
		}
		return r
	}
}

// collectPDFs expands the inputs: directories recursively (*.pdf in any
// case), glob patterns, and "-" for a list of paths on standard input, one
// per line. A file named explicitly is taken whatever its extension. The
// files come sorted, without duplicates.
func collectPDFs(inputs []string, stdin io.Reader) ([]string, error) {
	var files []string
	for _, in := range inputs {
		if in == "-" {
			sc := bufio.NewScanner(stdin)
			for sc.Scan() {
				if p := strings.TrimSpace(sc.Text()); p != "" {
					files = append(files, p)
				}
			}
			if err := sc.Err(); err != nil {
				return nil, fmt.Errorf("%w: reading the list of inputs: %v", errUsage, err)
			}
			continue
		}
		st, err := os.Stat(in)
		if err != nil && strings.ContainsAny(in, "*?[") {
			matches, gerr := filepath.Glob(in)
			if gerr != nil || len(matches) == 0 {
				return nil, fmt.Errorf("%w: %s matches no file", errUsage, in)
			}
			files = append(files, matches...)
			continue
		}
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
