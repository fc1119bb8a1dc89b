package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/budgetpdf/budgetpdf/cmd/budgetpdf/internal/report"
	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/budgetpdf/budgetpdf/schema"
)

func cmdDebug(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("debug", flag.ContinueOnError)
	pages := fs.String("pages", "", "pages to draw and read tables from, e.g. 3-5 (default all)")
	out := fs.String("o", "debug", "output directory")
	password := passwordFlag(fs)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fmt.Errorf("%w: want one FILE", errUsage)
	}
	res, err := readFile(files[0], *pages, *password, true, stderr)
	if res == nil {
		return err
	}
	d := report.New(res)
	if werr := d.Write(*out); werr != nil {
		return werr
	}
	fmt.Fprintf(stdout, "%d pages, %d tables, %d failed checks: open %s\n", len(d.Pages), len(d.Tables), d.Failed(), filepath.Join(*out, "index.html"))
	return err
}

// runReport is the debug report of a run (run -debug DIR): a report per
// document, written as each is read, then an index of them all. Its add
// may be called from several goroutines.
type runReport struct {
	dir     string
	mu      sync.Mutex
	entries map[int]report.Entry // by the document's position in the run
}

// add writes the report of the document at position i of the run.
func (rr *runReport) add(i int, r *pipeline.Result) error {
	d := r.Document
	e := report.Entry{File: d.SourceFile, Status: d.Status, Tables: len(r.Tables), Failed: int(d.ChecksFailed)}
	var err error
	if d.Status != schema.StatusFailed {
		e.Dir = reportDir(i, d.SourceFile)
		if werr := report.New(r).Write(filepath.Join(rr.dir, e.Dir)); werr != nil {
			err = fmt.Errorf("report of %s: %v", d.SourceFile, werr)
		}
	}
	rr.mu.Lock()
	defer rr.mu.Unlock()
	if rr.entries == nil {
		rr.entries = make(map[int]report.Entry)
	}
	rr.entries[i] = e
	return err
}

// writeIndex writes DIR/index.html, the documents in the run's order
// before report.WriteIndex sorts them.
func (rr *runReport) writeIndex() error {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	var entries []report.Entry
	for _, i := range slices.Sorted(maps.Keys(rr.entries)) {
		entries = append(entries, rr.entries[i])
	}
	return report.WriteIndex(rr.dir, entries)
}

// reportDir names a document's report directory inside a batch report:
// the file's base name, made safe, with its position to keep names unique.
func reportDir(i int, file string) string {
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	base = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < 0x20 {
			return '_'
		}
		return r
	}, base)
	return fmt.Sprintf("%04d-%s", i, base)
}
