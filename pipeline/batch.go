package pipeline

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/budgetpdf/budgetpdf/extract"
	"github.com/budgetpdf/budgetpdf/fetch"
	"github.com/budgetpdf/budgetpdf/schema"
)

// RunOptions control a batch. A nil *RunOptions means the defaults given
// on each field; Run never changes the caller's struct.
type RunOptions struct {
	// Formats are the formats written: schema.FormatParquet,
	// schema.FormatJSONL, and schema.FormatXLSX for a workbook per
	// document read (the workbook package's, as "budgetpdf tables -format
	// xlsx" writes it), committed with its batch as
	// xlsx/<document_id>.xlsx. Default nil: Parquet and JSON Lines.
	Formats []string
	// Workers is how many documents are read at once. Default
	// runtime.NumCPU().
	Workers int
	// Timeout bounds the time spent on one document: a document over it
	// is recorded as failed ("gave up after ..."), and the batch goes on.
	// Default 10 minutes.
	Timeout time.Duration
	// MaxPages is Options.MaxPages for each document. Default 5000.
	MaxPages int
	// Password is Options.Password for each document. Default "".
	Password string
	// Isolate, when not nil, reads the documents in worker processes:
	// a document that crashes its reader, goes over its memory ceiling
	// or over Timeout is recorded as failed with the reason, and its
	// worker replaced (see Isolation). The records are the same as
	// without it. Default nil: documents are read in this process, where
	// a crash of the PDF object layer would end the batch and a document
	// over Timeout stops only at its next page.
	Isolate *Isolation
	// Watched, when not nil, is a run that a Watcher started and
	// watches (WatchedRun): documents are read in this process, each noted
	// to the watcher, which enforces Timeout (this process does not);
	// the suspects of a process of the run that crashed are read in
	// worker processes (Isolate, required), or recorded with the reason
	// the watcher gives. Default nil.
	Watched *Watched
	// MaxSize is the largest file, in bytes, that is parsed: a larger one
	// is hashed and recorded as failed, unread. Default 1 GiB.
	MaxSize int64
	// PartSize is how many documents a batch of part files holds; each
	// batch is committed when it is full. Default 256.
	PartSize int
	// Fetch controls the downloads of URL inputs (RunInputs). Default
	// nil: fetch's defaults, with MaxSize as its MaxSize.
	Fetch *fetch.Options
	// Shard chooses the documents read. Default: all of them.
	Shard Shard
	// Force removes the dataset's record sets first, so that every
	// document is read again. Default false: a document whose hash the
	// dataset already holds is skipped.
	Force bool
	// KeepPages is Options.KeepPages for each document: the pages reach
	// OnDocument, and the batch lets them go when it returns. Default
	// false. It needs the documents read in this process (Isolate nil).
	KeepPages bool
	// OnDocument, when not nil, is called once for each document read, as
	// soon as it is done: i is its 0-based position among the n documents
	// the batch reads (the files in their order, less copies, skipped
	// documents and other shards). It is called from several goroutines
	// at once, in any order; the batch keeps only r's records once it
	// returns. An error from it stops the batch as an output error does.
	// With Isolate, r holds the records (Workbook too), Seconds and Worker
	// only, and the strings of its cells, checks, indicators and form
	// fields share the memory of the worker's whole answer: a string of
	// theirs kept after the call keeps the answer (strings.Clone what is
	// kept).
	OnDocument func(i, n int, r *Result) error
}

// Default RunOptions.
const (
	defaultTimeout  = 10 * time.Minute
	defaultMaxSize  = 1 << 30
	defaultPartSize = 256
)

func (o *RunOptions) withDefaults() (RunOptions, error) {
	var v RunOptions
	if o != nil {
		v = *o
	}
	if v.Workers <= 0 {
		v.Workers = runtime.NumCPU()
	}
	if v.Timeout <= 0 {
		v.Timeout = defaultTimeout
	}
	if v.MaxPages <= 0 {
		v.MaxPages = defaultMaxPages
	}
	if v.MaxSize <= 0 {
		v.MaxSize = defaultMaxSize
	}
	if v.PartSize <= 0 {
		v.PartSize = defaultPartSize
	}
	if !v.Shard.valid() {
		return v, fmt.Errorf("pipeline: shard %d/%d: want 1 <= K <= N", v.Shard.K, v.Shard.N)
	}
	if v.Watched != nil && (v.Isolate == nil || v.KeepPages) {
		return v, errors.New("pipeline: Watched needs Isolate, for the suspects, and KeepPages false")
	}
	if v.Isolate != nil {
		if v.KeepPages {
			return v, errors.New("pipeline: KeepPages needs the documents read in this process (Isolate nil)")
		}
		iso, err := v.Isolate.withDefaults()
		if err != nil {
			return v, err
		}
		v.Isolate = iso
	}
	return v, schema.CheckFormats(v.Formats)
}

// Run reads files into the dataset directory dir (created if needed) and
// returns what it did. It is the batch behind "budgetpdf run":
//
//   - Files are hashed first; copies of one file are read once, and their
//     paths recorded with it (schema.Document.DuplicateFiles, and the files
//     record set for every path of every run).
//   - Documents already in dir are skipped, unless opts.Force or they are
//     recorded as failed (their new record then supersedes the old one);
//     those another live run claimed are left to it (Summary.Busy); only
//     those of opts.Shard are read.
//   - Documents are read opts.Workers at a time, each within opts.Timeout
//     (in worker processes with opts.Isolate), and written in the files'
//     order, so that the parts hold the same bytes whatever the workers
//     and the timing: PartSize documents a batch, each batch committed
//     when full (see package schema).
//
// A document that cannot be read is a record with its status, never an
// error of Run. Run's error is about the output (dir cannot be written,
// another run holds it with opts.Force, opts.OnDocument failed), or ctx:
// when ctx is done, Run drops the batch in hand (the committed ones stay,
// and a later run reads the rest) and returns context.Cause(ctx). The
// Summary is never nil; with an error, it counts what was done.
func Run(ctx context.Context, dir string, files []string, opts *RunOptions) (*Summary, error) {
	return RunInputs(ctx, dir, FileInputs(files), opts)
}

// RunInputs is Run over inputs: local files and URLs, each with what a
// crawl knows of it (a crawl manifest's rows, ReadManifest), which its
// document record keeps (schema.Document's SourceURL, FinalURL, FetchedAt,
// ETag, LastModified and Metadata). A name listed more than once is read
// once, as the last manifest row listing it says (mergeInputs). Once the
// dataset directory is open, the URLs are downloaded (see download) into
// the run's download directory, removed when the run ends; then the batch
// goes on as Run's. An input that does not read (Input.Err) or a URL whose
// download fails is a failed document named by it (with the error), never
// an error of RunInputs.
func RunInputs(ctx context.Context, dir string, inputs []Input, opts *RunOptions) (*Summary, error) {
	inputs = mergeInputs(inputs)
	sum := &Summary{Files: len(inputs), Status: make(map[string]int), Checks: make(map[string]int)}
	o, err := opts.withDefaults()
	if err != nil {
		return sum, err
	}
	ds, err := openDataset(dir, o.Force)
	if err != nil {
		return sum, fmt.Errorf("%s: %w", dir, err)
	}
	defer ds.close()
	jobs := newJobs(inputs, o.Shard)
	if err := ds.download(ctx, jobs, &o, sum); err != nil {
		return sum, fmt.Errorf("%s: %w", dir, err)
	}
	all := uniqueDocuments(jobs, o.Workers, o.MaxSize)
	todo, mine, err := ds.plan(all, o.Shard, sum)
	if err != nil {
		return sum, fmt.Errorf("%s: %w", dir, err)
	}
	out := &batches{run: ds.run, formats: o.Formats, size: o.PartSize, workbooks: schema.HasFormat(o.Formats, schema.FormatXLSX)}
	err = readAll(ctx, todo, &o, func(r *Result) error {
		if err := out.write(r); err != nil {
			return err
		}
		sum.add(r)
		return nil
	})
	if err == nil {
		err = out.commit()
	}
	sum.Committed = out.committed
	if err != nil {
		out.abort()
		return sum, err
	}
	// Every path given, with the document it holds: copies found in later
	// runs keep their names too.
	return sum, ds.addFiles(o.Formats, mine)
}

// readAll reads the documents with o.Workers goroutines, each document
// alone and within o.Timeout, the larger first among the next few
// (startOrder), and hands each to o.OnDocument as soon as it is read, then
// to emit in the jobs' order, so that the output does not depend on the
// scheduling. At most four documents per worker are
// held at once, whatever the batch. An error from o.OnDocument or emit,
// or ctx done, stops the reading.
func readAll(ctx context.Context, jobs []job, o *RunOptions, emit func(*Result) error) error {
	// When emitting fails, the documents in hand are not wanted: their
	// reading stops.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	window := make(chan struct{}, 4*o.Workers) // documents started but not yet emitted
	done := make(chan int, len(jobs))
	results := make([]*Result, len(jobs))
	errs := make([]error, len(jobs)) // from OnDocument
	next := make(chan int)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range min(o.Workers, max(len(jobs), 1)) {
		wg.Go(func() {
			rd := o.reader()
			defer rd.close()
			ahead := -1 // a job taken from next while the one before was read
			peek := func() (job, bool) {
				if ahead >= 0 {
					return job{}, false
				}
				select {
				case k, ok := <-next:
					if ok {
						ahead = k
						return jobs[k], true
					}
				default:
				}
				return job{}, false
			}
			for {
				i := ahead
				if ahead = -1; i < 0 {
					k, ok := <-next
					if !ok {
						return
					}
					i = k
				}
				results[i], errs[i] = o.readOne(ctx, rd, i, jobs, peek)
				done <- i
			}
		})
	}
	go func() {
		defer close(next)
		for _, i := range startOrder(jobs, cap(window)) {
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
	err := emitInOrder(ctx, results, errs, done, window, emit)
	cancel(err)
	close(stop)
	wg.Wait()
	return err
}

// emitInOrder hands the results to emit in the jobs' order as they are
// done, letting each go once emitted.
func emitInOrder(ctx context.Context, results []*Result, errs []error, done <-chan int, window <-chan struct{}, emit func(*Result) error) error {
	ready := make([]bool, len(results))
	for emitted := 0; emitted < len(results); {
		select {
		case i := <-done:
			ready[i] = true
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		for ; emitted < len(results) && ready[emitted]; emitted++ {
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			if errs[emitted] != nil {
				return errs[emitted]
			}
			if err := emit(results[emitted]); err != nil {
				return err
			}
			results[emitted] = nil
			<-window
		}
	}
	return nil
}

// reader is what reads the documents of one of readAll's goroutines: in
// a watched run, this process and worker processes for the suspects; else
// a worker process of its own with o.Isolate, else this process.
func (o *RunOptions) reader() docReader {
	if o.Watched != nil {
		return &watchedReader{o: o}
	}
	if o.Isolate != nil {
		return &isolated{o: o, iso: o.Isolate}
	}
	return inProcess{o: o}
}

// readOne reads the document of jobs[i] with rd and hands it to
// o.OnDocument. It returns the records only: the pages and the normalized
// tables go. It returns nil when ctx is done, and an error when rd could
// not read (a worker process cannot be started) or OnDocument failed.
func (o *RunOptions) readOne(ctx context.Context, rd docReader, i int, jobs []job, peek func() (job, bool)) (*Result, error) {
	r, err := rd.read(ctx, jobs[i], peek)
	if r == nil || err != nil {
		return nil, err
	}
	if why := jobs[i].changed(); why != "" {
		// (its records would be the new bytes' under the old bytes' id)
		changed := &Result{Document: jobs[i].record(), Seconds: r.Seconds, Worker: r.Worker}
		changed.fail(fmt.Errorf("%s: %s", jobs[i].file, why))
		r = changed
	}
	if o.OnDocument != nil {
		err = o.OnDocument(i, len(jobs), r)
	}
	records := *r // (a record set added to Result comes along)
	records.Normalized, records.NormalizedChecks, records.Info, records.Pages = nil, nil, extract.Info{}, nil
	return &records, err
}

// options are the Options of each document of the batch.
func (o *RunOptions) options() *Options {
	return &Options{MaxPages: o.MaxPages, Password: o.Password, KeepPages: o.KeepPages,
		Workbook: schema.HasFormat(o.Formats, schema.FormatXLSX)}
}

// readWithin reads one document, giving up after timeout: the document is
// then recorded as failed, and its reading stops at its next page. It
// returns nil when ctx is done.
func readWithin(ctx context.Context, j job, timeout time.Duration, opts *Options) *Result {
	start := time.Now()
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan *Result, 1)
	go func() {
		r, _ := readDocument(dctx, j, opts)
		done <- r
	}()
	select {
	case r := <-done:
		if dctx.Err() == nil {
			return r
		}
	case <-dctx.Done():
	}
	if ctx.Err() != nil {
		return nil
	}
	r := &Result{Document: j.record(), Seconds: time.Since(start).Seconds()}
	r.fail(fmt.Errorf("%s: %w: gave up after %v (-timeout)", j.file, errTimedOut, timeout))
	return r
}
