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
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
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
	maxPages := fs.Int("max-pages", 5000, "a document with more pages is recorded as failed, unread")
	maxMiB := fs.Int64("max-size", 1024, "a file larger than this many MiB is recorded as failed, unread")
	force := fs.Bool("force", false, "read every input again: the dataset's records are removed first")
	shardFlag := fs.String("shard", "", "K/N: read only the documents whose hash falls in shard K of N")
	partSize := fs.Int("part-size", 256, "documents per part file")
	memLimit := fs.Int("memory-limit", 0, "soft memory limit in MiB for the Go heap (default 128 per worker; GOMEMLIMIT, when set, wins)")
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
	sh, err := parseShard(*shardFlag)
	if err != nil {
		return err
	}
	if *partSize < 1 || *workers < 1 || *maxPages < 1 || *maxMiB < 1 || (*logFormat != "text" && *logFormat != "json") {
		return fmt.Errorf("%w: -workers, -part-size, -max-pages and -max-size must be at least 1 and -log-format text or json", errUsage)
	}
	files, err := collectPDFs(inputs, stdin)
	if err != nil {
		return err
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// Without a limit the heap grows to twice what the last collection
		// left, and a run's peak grows with its batch; with it, the
		// collector runs before that (measured: no slower).
		mib := *memLimit
		if mib <= 0 {
			mib = 128 * *workers
		}
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(mib) << 20))
	}
	all := uniqueDocuments(files, *workers, limits{pages: *maxPages, bytes: *maxMiB << 20})
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("%w: %v", errOutput, err)
	}
	dset, err := openDataset(*out, *force)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", errOutput, *out, err)
	}
	defer dset.close()
	var docs, mine []job
	skipped := 0
	for _, j := range all {
		switch {
		case !sh.takes(j):
			continue
		case j.id != "" && dset.done[j.id]:
			skipped++
		default:
			docs = append(docs, j)
		}
		mine = append(mine, j)
	}
	fmts := strings.Split(*formats, ",")
	var w *schema.PartWriter
	inBatch := 0
	commit := func() error {
		if w == nil {
			return nil
		}
		err := w.Close()
		w, inBatch = nil, 0
		if err != nil {
			return fmt.Errorf("%w: writing %s: %v", errOutput, *out, err)
		}
		return nil
	}
	var sum summary
	var entries []report.Entry
	emit := func(r result) error {
		if r.err != nil {
			return r.err
		}
		if w == nil {
			if w, err = schema.NewPartWriter(*out, fmts, dset.nextBatch()); err != nil {
				return fmt.Errorf("%w: %v", errOutput, err)
			}
		}
		ds := schema.Dataset{Documents: []schema.Document{r.doc}, Tables: r.tables, Cells: r.cells, Checks: r.checks}
		if err := w.Write(ds); err != nil {
			return fmt.Errorf("%w: writing %s: %s: %v", errOutput, *out, r.doc.SourceFile, err)
		}
		if inBatch++; inBatch == *partSize {
			if err := commit(); err != nil {
				return err
			}
		}
		sum.add(r)
		if r.entry != nil {
			entries = append(entries, *r.entry)
		}
		return nil
	}
	prog := newProgress(stderr, len(docs), *quiet, *logFormat)
	// SIGINT or SIGTERM (a scheduler's stop): the committed batches stay,
	// the batch in hand is dropped, and the next run reads what is left.
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(interrupt)
	if err := processAll(docs, *workers, *timeout, *debugDir, prog, interrupt, emit); err != nil {
		if w != nil {
			w.Abort()
		}
		if errors.Is(err, errInterrupted) {
			return exitError{fmt.Errorf("%w: %d documents committed in %s; run again to read the rest", err, sum.docs-inBatch, *out)}
		}
		return err
	}
	if err := commit(); err != nil {
		return err
	}
	// Every path given, with the document it holds: copies found in later
	// runs keep their names too.
	if refs := dset.newRefs(mine); len(refs) > 0 {
		if err := schema.WriteFileRefs(*out, fmts, dset.nextBatch(), refs); err != nil {
			return fmt.Errorf("%w: %v", errOutput, err)
		}
	}
	sum.print(stdout, *out, len(files), skipped)
	if *debugDir != "" {
		if err := report.WriteIndex(*debugDir, entries); err != nil {
			return fmt.Errorf("%w: %v", errOutput, err)
		}
		fmt.Fprintf(stdout, "report: %s\n", filepath.Join(*debugDir, "index.html"))
	}
	if n := sum.status[schema.StatusFailed] + sum.status[schema.StatusPartial]; n > 0 {
		return exitError{fmt.Errorf("%d document(s) failed or partial (recorded in documents)", n)}
	}
	return nil
}

// job is one document to read: a file, its hash, and the other paths of
// the run with the same bytes.
type job struct {
	limits
	file       string
	id         string // hex SHA-256; "" when the file could not be read
	err        error  // why it could not
	duplicates []string
}

// limits are the largest documents a run reads.
type limits struct {
	pages int   // pages in the document
	bytes int64 // size of the file
}

// uniqueDocuments hashes the files (workers at a time) and keeps the first
// path of each content: a file copied under other names is read once, and
// its record lists the other names. A file over the size limit is hashed
// but not parsed.
func uniqueDocuments(files []string, workers int, lim limits) []job {
	all := make([]job, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(files), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				all[i].file, all[i].limits = files[i], lim
				all[i].id, all[i].err = fileID(files[i])
				if st, err := os.Stat(files[i]); all[i].err == nil && err == nil && st.Size() > lim.bytes {
					all[i].err = fmt.Errorf("%s: %d bytes, over the limit of %d MiB (-max-size)", files[i], st.Size(), lim.bytes>>20)
				}
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	first := make(map[string]int) // hash -> index in jobs
	var jobs []job
	for _, j := range all {
		if k, ok := first[j.id]; ok && j.id != "" {
			jobs[k].duplicates = append(jobs[k].duplicates, j.file)
			continue
		}
		if j.id != "" {
			first[j.id] = len(jobs)
		}
		jobs = append(jobs, j)
	}
	return jobs
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

// processAll reads the documents with workers goroutines, each document
// alone and within its timeout, and hands each result to emit in the
// jobs' order, so that the output does not depend on the scheduling. At
// most a few documents per worker are held at once, whatever the batch. An
// error from emit, or a signal on interrupt, stops the run.
func processAll(jobs []job, workers int, timeout time.Duration, debugDir string, prog *progress, interrupt <-chan os.Signal, emit func(result) error) error {
	window := make(chan struct{}, 4*workers) // documents started but not yet emitted
	done := make(chan int, len(jobs))
	results := make([]result, len(jobs))
	next := make(chan int)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range min(workers, max(len(jobs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = processWithin(i, jobs[i], timeout, debugDir)
				prog.done(jobs[i].file, results[i])
				done <- i
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range jobs {
			select {
			case window <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- i:
			case <-stop:
				return
			}
		}
	}()
	var err error
	ready := make([]bool, len(jobs))
	emitted := 0
	for emitted < len(jobs) && err == nil {
		select {
		case i := <-done:
			ready[i] = true
		case sig := <-interrupt:
			err = fmt.Errorf("%w by %v", errInterrupted, sig)
			continue
		}
		for emitted < len(jobs) && ready[emitted] && err == nil {
			err = emit(results[emitted])
			results[emitted] = result{} // let the document go
			emitted++
			<-window
		}
	}
	close(stop)
	if !errors.Is(err, errInterrupted) {
		wg.Wait() // (interrupted, the documents in hand are dropped)
	}
	prog.finish()
	return err
}

// errInterrupted ends a run stopped by a signal.
var errInterrupted = errors.New("interrupted")

// processWithin processes one document, giving up after timeout: the
// document is then recorded as failed, and its work, bounded by the
// per-page limits of extract, ends in the background.
func processWithin(i int, j job, timeout time.Duration, debugDir string) result {
	start := time.Now()
	done := make(chan result, 1)
	go func() {
		var rep *report.Document
		if debugDir != "" {
			rep = &report.Document{File: j.file}
		}
		var r result
		r.doc, r.tables, r.cells, r.checks = processFile(j, rep)
		r.pages = int(r.doc.Pages)
		if rep != nil {
			e := report.Entry{File: j.file, Status: r.doc.Status, Tables: len(r.tables), Failed: int(r.doc.ChecksFailed)}
			if r.doc.Status != schema.StatusFailed {
				e.Dir = reportDir(i, j.file)
				rep.Error = r.doc.Error
				if err := rep.Write(filepath.Join(debugDir, e.Dir)); err != nil {
					r.err = fmt.Errorf("%w: report of %s: %v", errOutput, j.file, err)
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
		r := result{doc: schema.Document{DocumentID: j.id, SourceFile: j.file, DuplicateFiles: j.duplicates, Status: schema.StatusFailed,
			Error: fmt.Sprintf("%s: gave up after %v (-timeout)", j.file, timeout)}, seconds: time.Since(start).Seconds()}
		if debugDir != "" {
			r.entry = &report.Entry{File: j.file, Status: schema.StatusFailed}
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
func processFile(j job, rep *report.Document) (doc schema.Document, tables []schema.Table, cells []schema.Cell, checks []schema.Check) {
	path, id := j.file, j.id
	doc = schema.Document{DocumentID: id, SourceFile: path, DuplicateFiles: j.duplicates, Status: schema.StatusFailed}
	defer func() {
		if x := recover(); x != nil {
			doc.Status, doc.Error = schema.StatusFailed, fmt.Sprintf("internal error: %v", x)
			tables, cells, checks = nil, nil, nil
		}
	}()
	if j.err != nil {
		doc.Error = j.err.Error()
		return doc, nil, nil, nil
	}
	d, err := extract.OpenFile(path, nil)
	if err != nil {
		doc.Error = err.Error()
		return doc, nil, nil, nil
	}
	defer d.Close()
	if n := d.NumPages(); n > j.pages {
		doc.Pages = int32(n)
		doc.Error = fmt.Sprintf("%s: %d pages, over the limit of %d (-max-pages)", path, n, j.pages)
		return doc, nil, nil, nil
	}
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
	producer := d.Info.Producer
	if producer == "" {
		producer = d.Info.Creator
	}
	src := schema.Source{DocumentID: id, File: path, Pages: d.NumPages(), Producer: producer}
	nd := b.Finish()
	built := nd.Tables
	doc, tables, cells, cellProblems := schema.FromTables(src, nd)
	doc.DuplicateFiles = j.duplicates
	problems = append(problems, cellProblems...)
	nchecks := normalize.Checks(built)
	checks = schema.FromChecks(&doc, tables, nchecks)
	if rep != nil {
		rep.Info, rep.Tables, rep.Checks = d.Info, built, nchecks
		rep.Year, rep.Agency, rep.Unit = nd.FiscalYear, nd.Agency, nd.Unit
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

// summary is what a run prints at its end, gathered document by document.
type summary struct {
	docs, duplicates, tables, cells int
	status                          map[string]int
	checks                          map[string]int
	worst                           []string // tables with failed checks, most failures first
	failed                          []int32
}

func (s *summary) add(r result) {
	if s.status == nil {
		s.status, s.checks = make(map[string]int), make(map[string]int)
	}
	s.docs++
	s.duplicates += len(r.doc.DuplicateFiles)
	s.status[r.doc.Status]++
	s.tables += len(r.tables)
	s.cells += len(r.cells)
	for _, c := range r.checks {
		s.checks[c.Status]++
	}
	for _, t := range r.tables {
		if t.ChecksFailed == 0 {
			continue
		}
		// after the tables with as many failures or more (s.failed is descending)
		k, _ := slices.BinarySearchFunc(s.failed, t.ChecksFailed, func(have, n int32) int {
			if have >= n {
				return -1
			}
			return 1
		})
		if k >= 5 {
			continue
		}
		line := fmt.Sprintf("  %d failed: %s p%d %s %s", t.ChecksFailed, r.doc.SourceFile, t.PageFirst, t.TableCode, t.Title)
		s.failed, s.worst = slices.Insert(s.failed, k, t.ChecksFailed), slices.Insert(s.worst, k, line)
		s.failed, s.worst = s.failed[:min(len(s.failed), 5)], s.worst[:min(len(s.worst), 5)]
	}
}

// print writes the totals, the checks' totals and the tables with the most
// failures.
func (s *summary) print(w io.Writer, out string, files, skipped int) {
	dups := ""
	if s.duplicates > 0 {
		dups = fmt.Sprintf(" (%d files; %d duplicates recorded with their first copy)", files, s.duplicates)
	}
	if skipped > 0 {
		fmt.Fprintf(w, "%d documents already in %s skipped (-force reads them again)\n", skipped, out)
	}
	fmt.Fprintf(w, "%d documents%s (%d ok, %d partial, %d failed, %d without text layer), %d tables, %d cells written to %s\n",
		s.docs, dups, s.status[schema.StatusOK], s.status[schema.StatusPartial], s.status[schema.StatusFailed], s.status[schema.StatusNoTextLayer],
		s.tables, s.cells, out)
	fmt.Fprintf(w, "checks: %d passed (%d within rounding), %d failed, %d skipped (a blank operand)\n",
		s.checks[schema.CheckPass]+s.checks[schema.CheckRounding], s.checks[schema.CheckRounding], s.checks[schema.CheckFail], s.checks[schema.CheckSkipped])
	for _, line := range s.worst {
		fmt.Fprintln(w, line)
	}
	if s.checks[schema.CheckFail] > 0 {
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
