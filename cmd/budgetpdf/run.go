package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/budgetpdf/budgetpdf/cmd/budgetpdf/internal/hugeheap"
	"github.com/budgetpdf/budgetpdf/fetch"
	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/budgetpdf/budgetpdf/schema"
)

// runFlags are the flags of budgetpdf run.
type runFlags struct {
	out, debugDir, logFormat string
	manifest                 string // a crawl manifest, "" if none
	quiet                    bool
	inProcess                bool // read in the run's own process, without workers
	workerProcesses          bool // read each document in a worker process
	memLimit                 int  // MiB per worker; 0: 128
	maxMemory                int  // MiB, the ceiling of a worker process
	opts                     pipeline.RunOptions
}

// parseRunFlags reads the command line of budgetpdf run into flags and
// inputs.
func parseRunFlags(args []string) (*runFlags, []string, error) {
	var f runFlags
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.StringVar(&f.out, "o", "out", "output directory")
	formats := fs.String("format", "parquet,jsonl", "output formats, comma-separated: parquet, jsonl, and xlsx for a workbook per document (DIR/xlsx/<document_id>.xlsx)")
	fs.StringVar(&f.manifest, "manifest", "", "a crawl manifest: CSV (with a header) or JSON Lines, a path or url column per file, any other columns kept as the document's metadata")
	fetchTimeout := fs.Duration("fetch-timeout", time.Minute, "time allowed per download attempt of a URL, from the request to the last byte")
	fs.StringVar(&f.debugDir, "debug", "", "also write a visual report of every document into this directory")
	fs.IntVar(&f.opts.Workers, "workers", runtime.NumCPU(), "documents processed at once")
	fs.DurationVar(&f.opts.Timeout, "timeout", 10*time.Minute, "time allowed per document; a document over it is recorded as failed")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress and no per-document lines")
	fs.StringVar(&f.logFormat, "log-format", "text", "per-document lines when not on a terminal: text or json")
	fs.IntVar(&f.opts.MaxPages, "max-pages", 5000, "a document with more pages is recorded as failed, unread")
	maxMiB := fs.Int64("max-size", 1024, "a file larger than this many MiB is recorded as failed, unread")
	fs.BoolVar(&f.opts.Force, "force", false, "read every input again: the dataset's records are removed first")
	shard := fs.String("shard", "", "K/N: read only the documents whose hash falls in shard K of N")
	fs.IntVar(&f.opts.PartSize, "part-size", 256, "documents per part file")
	fs.IntVar(&f.memLimit, "memory-limit", 0, "soft limit in MiB of the Go heap per worker: of each worker process, and times -workers of this one (default 128; GOMEMLIMIT, when set, wins)")
	fs.IntVar(&f.maxMemory, "max-memory", 1024, "ceiling in MiB of a worker process's memory, and times -workers of the run's process: a worker over it is killed and its document recorded as failed; the run's process is killed and started again (not with -in-process)")
	fs.StringVar(&f.opts.Password, "password", "", "user or owner password of encrypted files (the empty user password is always tried)")
	fs.BoolVar(&f.inProcess, "in-process", false, "read documents in this process, unwatched (a crash in a document ends the run)")
	fs.BoolVar(&f.workerProcesses, "worker-processes", false, "read each document in a worker process of its own, not only the suspects of a crash (slower)")
	inputs, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, nil, err
	}
	if len(inputs) == 0 && f.manifest == "" {
		return nil, nil, fmt.Errorf("%w: want at least one INPUT (a PDF file, a directory, a glob, a URL, or - for a list on standard input) or -manifest FILE", errUsage)
	}
	f.opts.Formats = strings.Split(*formats, ",")
	if schema.CheckFormats(f.opts.Formats) != nil {
		return nil, nil, fmt.Errorf("%w: -format %q: want parquet, jsonl, xlsx or several, comma-separated", errUsage, *formats)
	}
	if *fetchTimeout <= 0 {
		return nil, nil, fmt.Errorf("%w: -fetch-timeout must be positive", errUsage)
	}
	f.opts.Fetch = &fetch.Options{Timeout: *fetchTimeout}
	if f.opts.Shard, err = parseShard(*shard); err != nil {
		return nil, nil, err
	}
	o := f.opts
	if f.inProcess && f.workerProcesses {
		return nil, nil, fmt.Errorf("%w: -in-process and -worker-processes exclude each other", errUsage)
	}
	if o.PartSize < 1 || o.Workers < 1 || o.MaxPages < 1 || *maxMiB < 1 || (f.logFormat != "text" && f.logFormat != "json") {
		return nil, nil, fmt.Errorf("%w: -workers, -part-size, -max-pages and -max-size must be at least 1 and -log-format text or json", errUsage)
	}
	if f.maxMemory < minMaxMemory {
		return nil, nil, fmt.Errorf("%w: -max-memory must be at least %d (MiB): a Go process maps its heap 64 MiB at a time, and one that reads a document needs more than 128 MiB mapped", errUsage, minMaxMemory)
	}
	f.opts.MaxSize = *maxMiB << 20
	return &f, inputs, nil
}

// minMaxMemory is the least -max-memory, in MiB: below 192 a worker
// process could not start (its runtime's mappings went over its data
// limit), and this leaves room.
const minMaxMemory = 256

// parseShard reads -shard K/N; "" is the whole batch.
func parseShard(s string) (pipeline.Shard, error) {
	if s == "" {
		return pipeline.Shard{}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	k, err1 := strconv.ParseUint(a, 10, 32)
	n, err2 := strconv.ParseUint(b, 10, 32)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return pipeline.Shard{}, fmt.Errorf("%w: -shard %q: want K/N with 1 <= K <= N", errUsage, s)
	}
	return pipeline.Shard{K: int(k), N: int(n)}, nil
}

func cmdRun(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	f, inputs, err := parseRunFlags(args)
	if err != nil {
		return err
	}
	watched, err := pipeline.WatchedRun()
	if err != nil {
		return fmt.Errorf("%w: %v", errOutput, err)
	}
	// (before anything else: a signal stops the run from its start; and
	// a run's process that is watched tells its watcher that it ended
	// while the signals still stop it, not kill it)
	ctx, stop := interruptible(context.Background())
	defer stop()
	switch {
	case watched != nil:
		// (the run's process of a watched run: it tells its watcher that
		// it ended, unless it crashed)
		f.opts.Watched = watched
		if os.Getenv(resumedEnv) != "" {
			os.Unsetenv(resumedEnv)
			f.opts.Force = false
		}
		err := runBatch(ctx, f, inputs, stdin, stdout, stderr)
		watched.End()
		return err
	case !f.inProcess && !f.workerProcesses && f.debugDir == "":
		return watchRun(ctx, f, args, inputs, stdin, stdout, stderr)
	}
	return runBatch(ctx, f, inputs, stdin, stdout, stderr)
}

// runBatch runs the batch in this process until ctx is done: reading in
// it (-in-process, -debug, or the run's process of a watched run, which
// reads its suspects in worker processes) or in worker processes
// (-worker-processes).
func runBatch(ctx context.Context, f *runFlags, inputs []string, stdin io.Reader, stdout, stderr io.Writer) error {
	// (first, while the heap is young: see hugeheap)
	hugeheap.Reserve(f.heapLimit())
	ins, err := collectInputs(inputs, f.manifest, stdin)
	if err != nil {
		return err
	}
	var rep *runReport
	if f.debugDir != "" {
		// (the report draws the pages, which stay in the process that
		// read them)
		rep = &runReport{dir: f.debugDir}
		f.opts.KeepPages = true
		f.inProcess = true
	}
	if !f.inProcess {
		if f.opts.Isolate, err = isolation(f); err != nil {
			return err
		}
	}
	defer limitMemory(f.heapLimit())()
	prog := newProgress(stderr, f.quiet, f.logFormat)
	if n := countURLs(ins); n > 0 && !f.quiet && f.logFormat == "text" {
		fmt.Fprintf(stderr, "budgetpdf: downloading %d URLs\n", n)
	}
	f.opts.OnDocument = func(i, n int, r *pipeline.Result) error {
		if rep != nil {
			if err := rep.add(i, r); err != nil {
				return fmt.Errorf("%w: %v", errOutput, err)
			}
		}
		prog.done(n, r)
		return nil
	}
	sum, err := pipeline.RunInputs(ctx, f.out, ins, &f.opts)
	prog.finish()
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return exitError{fmt.Errorf("%w: %d documents committed in %s; run again to read the rest", context.Cause(ctx), sum.Committed, f.out)}
	case errors.Is(err, errOutput):
		return err
	default:
		return fmt.Errorf("%w: %v", errOutput, err)
	}
	printSummary(stdout, sum, f.out)
	if f.opts.Isolate != nil {
		prog.printWorkers(stdout, f.opts.Isolate.MaxMemory)
	}
	if rep != nil {
		if err := rep.writeIndex(); err != nil {
			return fmt.Errorf("%w: %v", errOutput, err)
		}
		fmt.Fprintf(stdout, "report: %s\n", filepath.Join(f.debugDir, "index.html"))
	}
	if n := sum.Status[schema.StatusFailed] + sum.Status[schema.StatusPartial]; n > 0 {
		return exitError{fmt.Errorf("%d document(s) failed or partial (recorded in documents)", n)}
	}
	return nil
}

// isolation is the run's worker processes: this program's "worker"
// command, each with the ceiling -max-memory and the heap's soft limit
// -memory-limit (default 128 MiB).
func isolation(f *runFlags) (*pipeline.Isolation, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("%w: finding this program to start its workers: %v (-in-process reads without them)", errOutput, err)
	}
	return &pipeline.Isolation{
		Command:     func() *exec.Cmd { return exec.Command(self, "worker") },
		MaxMemory:   int64(f.maxMemory) << 20,
		MemoryLimit: int64(cmp.Or(f.memLimit, 128)) << 20,
	}, nil
}

// limitMemory sets the Go heap's soft limit for a run, mib MiB per
// worker (0: 128) times the workers (GOMEMLIMIT's when it is set), and
// returns what restores it: with worker processes the run holds up to
// four documents' records per worker; in process it also reads them.
// Without a limit the heap grows to five times what the last collection
// left (GOGC 400), and a run's peak grows with its batch; with it, the
// collector runs before that (measured: no slower). A run with worker
// processes keeps GOGC 400 too: with its heap in huge pages (hugeheap),
// fresh memory costs little, and collecting at 100 cost 9% more time
// (over the corpus with 2 workers; its peak went from 137 MB to 190 MB,
// and at ten times the corpus stayed 275 MB, where the limit holds it).
func limitMemory(limit int64) (restore func()) {
	old := debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(old) }
}

// heapLimit is the Go heap's soft limit the run works under, in bytes:
// GOMEMLIMIT's, else -memory-limit (default 128 MiB) times -workers; in
// the run's process of a watched run at most three quarters of its
// ceiling (-max-memory times -workers), as in a worker process: its heap
// is reserved whole at the start (hugeheap), and its data segment is
// limited to the ceiling.
func (f *runFlags) heapLimit() int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1)
	}
	limit := int64(cmp.Or(f.memLimit, 128)*f.opts.Workers) << 20
	if f.opts.Watched != nil {
		limit = min(limit, int64(f.maxMemory)<<20*int64(f.opts.Workers)/4*3)
	}
	return limit
}

// errInterrupted ends a run stopped by a signal.
var errInterrupted = errors.New("interrupted")

// interruptible returns a context cancelled by SIGINT or SIGTERM (a
// scheduler's stop), with the cause "interrupted by <signal>": the run
// then keeps its committed batches, drops the batch in hand, and the next
// run reads what is left. stop ends the watch.
func interruptible(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			cancel(fmt.Errorf("%w by %v", errInterrupted, sig))
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}

// collectInputs are the inputs of a run: the files and URLs of
// collectPDFs, then the rows of the crawl manifest (if any), sorted by
// name. A manifest that cannot be read is a usage error; a row that does
// not read is an input that fails (the run records it).
func collectInputs(args []string, manifest string, stdin io.Reader) ([]pipeline.Input, error) {
	files, err := collectPDFs(args, stdin)
	if err != nil {
		return nil, err
	}
	var ins []pipeline.Input
	for _, f := range files {
		if isURL(f) {
			ins = append(ins, pipeline.Input{URL: f})
		} else {
			ins = append(ins, pipeline.Input{Path: f})
		}
	}
	if manifest != "" {
		var rows []pipeline.Input
		var err error
		if c := os.Getenv(manifestCopyEnv); c != "" {
			// (a watched run's process: its watcher read the manifest)
			rows, err = readManifestCopy(c, manifest)
		} else {
			rows, err = pipeline.ReadManifestFile(manifest)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: -manifest: %v", errUsage, err)
		}
		ins = append(ins, rows...)
	}
	slices.SortStableFunc(ins, func(a, b pipeline.Input) int { return strings.Compare(a.Name(), b.Name()) })
	return ins, nil
}

// readManifestCopy reads the manifest named name from the copy its
// watcher kept.
func readManifestCopy(copy, name string) ([]pipeline.Input, error) {
	f, err := os.Open(copy)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return pipeline.ReadManifest(f, name)
}

// isURL reports whether an input is a URL to download: http:// or
// https://, in any case.
func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// countURLs counts the inputs to download.
func countURLs(ins []pipeline.Input) int {
	n := 0
	for _, in := range ins {
		if in.Path == "" && in.Err == nil {
			n++
		}
	}
	return n
}

// collectPDFs expands the inputs: directories recursively (*.pdf in any
// case), glob patterns, and "-" for a list of paths on standard input, one
// per line; a URL (http:// or https://) stays as it is. A file named
// explicitly is taken whatever its extension; so is a directory that
// cannot be listed, which the run then records as failed (with the error
// of opening it). The files come sorted, without duplicates.
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
		if isURL(in) {
			files = append(files, in)
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
		if err != nil || !st.IsDir() {
			// (a file that cannot be read is an input that failed: the
			// run records it with its error and goes on)
			files = append(files, in)
			continue
		}
		root := in
		if lst, err := os.Lstat(in); err == nil && lst.Mode()&fs.ModeSymlink != 0 {
			// (WalkDir does not follow a root that is a link: through
			// the link's directory, it does)
			root = in + string(filepath.Separator)
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				// A directory that cannot be listed is an input that
				// failed: the run records it with its error and goes on.
				files = append(files, p)
				return nil
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

// printSummary writes the totals of a run, the checks' totals and the
// tables with the most failures.
func printSummary(w io.Writer, s *pipeline.Summary, out string) {
	dups := ""
	if s.Duplicates > 0 {
		dups = fmt.Sprintf(" (%d files; %d duplicates recorded with their first copy)", s.Files, s.Duplicates)
	}
	if s.Skipped > 0 {
		fmt.Fprintf(w, "%d documents already in %s skipped (-force reads them again)\n", s.Skipped, out)
	}
	if s.Busy > 0 {
		fmt.Fprintf(w, "%d documents left to another run writing into %s\n", s.Busy, out)
	}
	fmt.Fprintf(w, "%d documents%s (%d ok, %d partial, %d failed, %d without text layer), %d tables, %d cells written to %s\n",
		s.Documents, dups, s.Status[schema.StatusOK], s.Status[schema.StatusPartial], s.Status[schema.StatusFailed], s.Status[schema.StatusNoTextLayer],
		s.Tables, s.Cells, out)
	if s.Indicators+s.FormFields > 0 {
		fmt.Fprintf(w, "performance tables: %d indicators, %d form fields\n", s.Indicators, s.FormFields)
	}
	if s.Workbooks > 0 {
		fmt.Fprintf(w, "workbooks: %d written to %s\n", s.Workbooks, filepath.Join(out, schema.WorkbookDir))
	}
	if s.Downloaded+s.NotModified+s.DownloadsFailed > 0 {
		fmt.Fprintf(w, "URLs: %d downloaded (%d bytes), %d not modified since the dataset's copy, %d failed\n",
			s.Downloaded, s.DownloadedBytes, s.NotModified, s.DownloadsFailed)
	}
	fmt.Fprintf(w, "checks: %d passed (%d within rounding), %d failed, %d skipped (a blank operand)\n",
		s.Checks[schema.CheckPass]+s.Checks[schema.CheckRounding], s.Checks[schema.CheckRounding], s.Checks[schema.CheckFail], s.Checks[schema.CheckSkipped])
	for _, f := range s.Worst {
		t := f.Table
		fmt.Fprintf(w, "  %d failed: %s p%d %s %s\n", t.ChecksFailed, f.SourceFile, t.PageFirst, t.TableCode, t.Title)
	}
	if s.Checks[schema.CheckFail] > 0 {
		fmt.Fprintln(w, "  (budgetpdf check DIR lists every failure with its cells)")
	}
}
