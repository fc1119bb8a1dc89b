package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/budgetpdf/budgetpdf/schema"
)

// The isolated batches of these tests run this test binary as their
// workers (testIsolation): with testWorkerEnv set, TestMain serves as
// ServeWorker does, except that it fails on purpose on the files that
// faultyRead names.
const testWorkerEnv = "BUDGETPDF_TEST_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(testRunEnv) != "" {
		os.Exit(watchedTestRun())
	}
	if os.Getenv(testWorkerEnv) != "" {
		if err := serveWorker(os.Stdin, os.Stdout, faultyRead); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// faultyRead reads as readDocument does, except files whose name starts
// with a fault: fault-panic panics where no one recovers, fault-exit
// exits with status 3, fault-signal sends itself SIGSEGV, fault-hang
// sleeps for an hour, fault-slow for a second, fault-after answers and
// panics 300 ms later (while reading the next document), fault-memory allocates on the Go heap until it is
// stopped, fault-resident touches shared memory (outside the data
// segment, which only the supervisor's watch bounds) until it is,
// fault-garbage writes what is not an answer and fault-close closes its
// output, both living on, and fault-liar answers for another file. No
// PDF in extract/testdata takes a worker down any more (the object layer
// guards against them all), so these are what exercise the supervisor.
func faultyRead(ctx context.Context, j job, o *Options) (*Result, error) {
	name := filepath.Base(j.file)
	switch {
	case strings.HasPrefix(name, "fault-panic"):
		panic("worker fault")
	case strings.HasPrefix(name, "fault-exit"):
		os.Exit(3)
	case strings.HasPrefix(name, "fault-signal"):
		syscall.Kill(os.Getpid(), syscall.SIGSEGV)
		time.Sleep(time.Minute)
	case strings.HasPrefix(name, "fault-hang"):
		time.Sleep(time.Hour)
	case strings.HasPrefix(name, "fault-slow"):
		time.Sleep(time.Second)
	case strings.HasPrefix(name, "fault-after"):
		go func() {
			time.Sleep(300 * time.Millisecond)
			panic("after the answer")
		}()
	case strings.HasPrefix(name, "fault-garbage"):
		os.Stdout.WriteString("\x07garbage, not a frame\n")
		time.Sleep(time.Hour)
	case strings.HasPrefix(name, "fault-close"):
		os.Stdout.Close()
		time.Sleep(time.Hour)
	case strings.HasPrefix(name, "fault-liar"):
		r, err := readDocument(ctx, j, o)
		r.Document.SourceFile = "elsewhere.pdf"
		return r, err
	case strings.HasPrefix(name, "fault-memory"):
		var keep [][]byte
		for {
			b := make([]byte, 1<<20)
			for i := 0; i < len(b); i += 4096 {
				b[i] = 1 // resident, page by page
			}
			keep = append(keep, b)
		}
	case strings.HasPrefix(name, "fault-resident"):
		const size = 4 << 30
		b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED|syscall.MAP_ANON)
		if err != nil {
			panic(err)
		}
		for i := 0; i < size; i += 4096 {
			b[i] = 1
		}
	}
	return readDocument(ctx, j, o)
}

// testIsolation runs this test binary as the workers, with the ceiling
// maxMemory (0: the default).
func testIsolation(maxMemory int64) *Isolation {
	return &Isolation{MaxMemory: maxMemory, Command: func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), testWorkerEnv+"=1")
		return cmd
	}}
}

// partName matches the run in a part file's name.
var partName = regexp.MustCompile(`part-[0-9a-z]+\.[0-9]+-`)

// datasetParts returns every part file (workbooks included) of a dataset
// directory by its path without the run's name, with its bytes.
func datasetParts(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	parts := make(map[string][]byte)
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasPrefix(d.Name(), "part-") && filepath.Base(filepath.Dir(p)) != schema.WorkbookDir {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		parts[partName.ReplaceAllString(rel, "part-")] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return parts
}

// TestIsolatedSameRecords: a batch read in worker processes writes the
// same bytes, part by part and workbook by workbook, as one read in this
// process, for every fixture and every broken file.
func TestIsolatedSameRecords(t *testing.T) {
	files, _ := filepath.Glob("../fixtures/*.pdf")
	broken, _ := filepath.Glob("../extract/testdata/broken/*.pdf")
	files = append(files, broken...)
	inProc, isolated := t.TempDir(), t.TempDir()
	formats := []string{schema.FormatParquet, schema.FormatJSONL, schema.FormatXLSX}
	if _, err := Run(context.Background(), inProc, files, &RunOptions{Workers: 2, PartSize: 8, Formats: formats}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	pids := make(map[int]bool)
	opts := &RunOptions{Workers: 2, PartSize: 8, Formats: formats, Isolate: testIsolation(0), OnDocument: func(i, n int, r *Result) error {
		mu.Lock()
		defer mu.Unlock()
		pids[r.Worker.PID] = true
		return nil
	}}
	sum, err := Run(context.Background(), isolated, files, opts)
	if err != nil {
		t.Fatal(err)
	}
	a, b := datasetParts(t, inProc), datasetParts(t, isolated)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d parts in process, %d isolated", len(a), len(b))
	}
	books := 0
	for name := range a {
		if strings.HasPrefix(name, schema.WorkbookDir+"/") {
			books++
		}
	}
	if books != sum.Workbooks || books != sum.Documents-sum.Status[schema.StatusFailed] {
		t.Errorf("%d workbooks, %d written, %d documents read", books, sum.Workbooks, sum.Documents-sum.Status[schema.StatusFailed])
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between a batch read in this process and one read in worker processes", name)
		}
	}
	// Two workers, and this process for the files that are not parsed
	// (pid 0: zero-bytes.pdf is not read by a worker only when hashing
	// failed, which it does not; every document went to a worker).
	delete(pids, 0)
	if len(pids) != 2 || sum.Documents != len(files) {
		t.Errorf("%d worker processes, %d documents of %d files", len(pids), sum.Documents, len(files))
	}
}

// faultFile writes a copy of file named name into dir, with a comment of
// its own at the end so that copies are distinct documents.
func faultFile(t *testing.T, dir, name, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	// (names padded: files of one size are started in their order, see
	// startOrder)
	if err := os.WriteFile(path, fmt.Appendf(b, "\n%% %-40s\n", name), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// isolatedRun runs a batch (isolated when o.Isolate is set) into a new
// dataset and returns its documents by file, with what OnDocument saw of
// each (its Result).
func isolatedRun(t *testing.T, ctx context.Context, files []string, o *RunOptions) (map[string]schema.Document, map[string]*Result, error) {
	t.Helper()
	var mu sync.Mutex
	seen := make(map[string]*Result)
	o.OnDocument = func(i, n int, r *Result) error {
		mu.Lock()
		defer mu.Unlock()
		seen[r.Document.SourceFile] = r
		return nil
	}
	dir := t.TempDir()
	_, err := Run(ctx, dir, files, o)
	docs, rerr := schema.ReadDataset[schema.Document](dir)
	if rerr != nil {
		t.Fatal(rerr)
	}
	byFile := make(map[string]schema.Document)
	for _, d := range docs {
		byFile[d.SourceFile] = d
	}
	return byFile, seen, err
}

// TestIsolatedFailures: a batch of good documents, the hostile files of
// extract/testdata and documents that crash, exit or blow the memory of
// their worker. The good and the hostile are recorded as they are read in
// this process; each failure is recorded with its reason and how its
// worker ended, and the documents after it are still read, by a new
// worker. Workers stay under their memory ceiling, and no goroutine is
// left behind.
func TestIsolatedFailures(t *testing.T) {
	tmp := t.TempDir()
	good := "../fixtures/xian-sasac-2022-budget-p36.pdf"
	hostile, _ := filepath.Glob("../extract/testdata/hostile/*.pdf")
	if raceEnabled {
		// (inflating is ten times slower with the race detector: the bomb's
		// 256 MiB take too long for make test)
		hostile = slices.DeleteFunc(hostile, func(f string) bool { return strings.HasSuffix(f, "flate-bomb.pdf") })
	}
	faults := []string{"fault-panic.pdf", "fault-exit.pdf", "fault-signal.pdf", "fault-memory.pdf", "fault-resident.pdf", "fault-garbage.pdf", "fault-close.pdf", "fault-liar.pdf"}
	var files []string
	for _, f := range faults {
		files = append(files, faultFile(t, tmp, f, good), faultFile(t, tmp, "after-"+f, good))
	}
	files = append(files, hostile...)
	files = append(files, "../fixtures/seed-yindu-hrss-2024-ruled.pdf", "../fixtures/jiangsu-npc-office-2019-budget-tables.pdf")
	const ceiling = 512 << 20
	goroutines := runtime.NumGoroutine()
	docs, seen, err := isolatedRun(t, context.Background(), files, &RunOptions{Workers: 2, Timeout: time.Minute, Isolate: testIsolation(ceiling)})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != len(files) {
		t.Fatalf("%d documents recorded of %d files", len(docs), len(files))
	}
	wantFault := map[string]string{
		"fault-panic.pdf":    `crashed: its worker process ended \(exit status 2\): panic: worker fault$`,
		"fault-exit.pdf":     `crashed: its worker process ended \(exit status 3\)$`,
		"fault-signal.pdf":   `crashed: its worker process ended \(exit status 2\): SIGSEGV: segmentation violation$`,
		"fault-garbage.pdf":  `crashed: its worker process wrote what is not an answer \(.+\) and was killed \(signal: killed\)$`,
		"fault-close.pdf":    `crashed: its worker process closed its output, did not end within 5s and was killed \(signal: killed\)$`,
		"fault-liar.pdf":     `crashed: its worker process answered for "elsewhere.pdf" and was killed \(signal: killed\)$`,
		"fault-resident.pdf": `out of memory: its worker process held \d+ MiB, over the ceiling of 512 MiB \(-max-memory\), and was killed \(signal: killed\)$`,
		"fault-memory.pdf":   `out of memory: its worker process (held \d+ MiB, over the ceiling of 512 MiB \(-max-memory\), and was killed \(signal: killed\)|reached the ceiling of 512 MiB \(-max-memory\) and ended \(exit status \d+\): (fatal error: runtime: out of memory|fatal error: out of memory allocating heap arena metadata|.*ThreadSanitizer failed to allocate.*))$`,
	}
	pids := make(map[int]bool)
	for _, f := range files {
		d, r := docs[f], seen[f]
		pids[r.Worker.PID] = true
		if want, ok := wantFault[filepath.Base(f)]; ok {
			if d.Status != schema.StatusFailed || !regexp.MustCompile("^"+regexp.QuoteMeta(f)+": "+want).MatchString(d.Error) || d.DocumentID == "" {
				t.Errorf("%s: %s %q, want failed with %s", f, d.Status, d.Error, want)
			}
			if r.Worker.Peak > ceiling+ceilingSlack {
				t.Errorf("%s: its worker held %d MiB, over the ceiling of %d MiB", f, r.Worker.Peak>>20, ceiling>>20)
			}
			t.Logf("%s: worker %d held %d MiB: %s", filepath.Base(f), r.Worker.PID, r.Worker.Peak>>20, d.Error)
			continue
		}
		want, _ := ReadDocument(context.Background(), f, nil)
		want.Document.DuplicateFiles = nil
		if fmt.Sprintf("%+v", d) != fmt.Sprintf("%+v", want.Document) || len(r.Cells) != len(want.Cells) {
			t.Errorf("%s: isolated\n%+v (%d cells)\nin this process\n%+v (%d cells)", f, d, len(r.Cells), want.Document, len(want.Cells))
		}
		if runtime.GOOS == "linux" && (r.Worker.Peak <= 0 || r.Worker.Peak > ceiling) {
			t.Errorf("%s: its worker held %d bytes, want some under the ceiling", f, r.Worker.Peak)
		}
		t.Logf("%s: worker %d held %d MiB: %s %s", filepath.Base(f), r.Worker.PID, r.Worker.Peak>>20, d.Status, d.Error)
	}
	// One worker per fault at least, and no more than two at a time.
	if len(pids) < len(faults)+1 || pids[0] {
		t.Errorf("%d worker processes (pids %v)", len(pids), pids)
	}
	checkGoroutines(t, goroutines)
}

// ceilingSlack is what a worker's resident memory may pass its ceiling by
// in the time between two readings (memoryPoll) or outside its data
// segment (its code and stacks).
const ceilingSlack = 64 << 20

// checkGoroutines fails when more goroutines run than before a batch,
// once those that are ending have ended.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after the batch, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}

// TestIsolatedTimeout: a worker that does not answer within the timeout
// is killed, its document recorded as timed out, and the next document
// read by a new worker.
func TestIsolatedTimeout(t *testing.T) {
	tmp := t.TempDir()
	good := "../fixtures/xian-sasac-2022-budget-p36.pdf"
	hang := faultFile(t, tmp, "fault-hang.pdf", good)
	goroutines := runtime.NumGoroutine()
	start := time.Now()
	docs, seen, err := isolatedRun(t, context.Background(), []string{hang, good}, &RunOptions{Workers: 1, Timeout: 3 * time.Second, Isolate: testIsolation(0)})
	if err != nil {
		t.Fatal(err)
	}
	want := hang + ": timed out: gave up after 3s (-timeout); its worker process was killed (signal: killed)"
	if d := docs[hang]; d.Status != schema.StatusFailed || d.Error != want {
		t.Errorf("hang: %s %q, want failed %q", d.Status, d.Error, want)
	}
	if d := docs[good]; d.Status != schema.StatusOK || seen[good].Worker.PID == seen[hang].Worker.PID {
		t.Errorf("after the hang: %s %q, by worker %d (the hang's %d)", d.Status, d.Error, seen[good].Worker.PID, seen[hang].Worker.PID)
	}
	if el := time.Since(start); el > time.Minute {
		t.Errorf("took %v", el)
	}
	checkGoroutines(t, goroutines)
}

// TestIsolatedCancel: a batch cancelled while a worker hangs returns at
// once with the cause, and its worker is gone (killed and waited for).
func TestIsolatedCancel(t *testing.T) {
	hang := faultFile(t, t.TempDir(), "fault-hang.pdf", "../fixtures/xian-sasac-2022-budget-p36.pdf")
	goroutines := runtime.NumGoroutine()
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("interrupted")
	opts := &RunOptions{Workers: 1, Isolate: testIsolation(0)}
	var workers []*exec.Cmd
	command := opts.Isolate.Command
	opts.Isolate.Command = func() *exec.Cmd {
		cmd := command()
		workers = append(workers, cmd)
		time.AfterFunc(time.Second, func() { cancel(cause) })
		return cmd
	}
	start := time.Now()
	sum, err := Run(ctx, t.TempDir(), []string{hang}, opts)
	if err != cause || sum.Committed != 0 || time.Since(start) > 30*time.Second {
		t.Errorf("%+v, %v after %v", sum, err, time.Since(start))
	}
	if len(workers) != 1 || workers[0].ProcessState == nil || workers[0].ProcessState.String() != "signal: killed" {
		t.Errorf("workers %v: want one, killed and waited for", workers)
	}
	checkGoroutines(t, goroutines)
}

// TestIsolatedCancelStart: a run stopped while its worker starts (one
// that never greets) kills it at once, not after workerStart.
func TestIsolatedCancelStart(t *testing.T) {
	good := "../fixtures/xian-sasac-2022-budget-p36.pdf"
	goroutines := runtime.NumGoroutine()
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("interrupted")
	var workers []*exec.Cmd
	opts := &RunOptions{Workers: 1, Isolate: &Isolation{Command: func() *exec.Cmd {
		cmd := exec.Command("sleep", "3600")
		workers = append(workers, cmd)
		time.AfterFunc(200*time.Millisecond, func() { cancel(cause) })
		return cmd
	}}}
	start := time.Now()
	sum, err := Run(ctx, t.TempDir(), []string{good}, opts)
	if err != cause || sum.Committed != 0 || time.Since(start) > 5*time.Second {
		t.Errorf("%+v, %v after %v; want %v within 5 s", sum, err, time.Since(start), cause)
	}
	if len(workers) != 1 || workers[0].ProcessState == nil || workers[0].ProcessState.String() != "signal: killed" {
		t.Errorf("workers %v: want one, killed and waited for", workers)
	}
	checkGoroutines(t, goroutines)
}

// TestIsolatedCrashAfterAnswer: a worker that ends after its answer,
// while it reads the next document (asked for ahead), does not have that
// document blamed: it is read again, alone, by a new worker.
func TestIsolatedCrashAfterAnswer(t *testing.T) {
	tmp := t.TempDir()
	after := faultFile(t, tmp, "fault-after.pdf", "../fixtures/xian-sasac-2022-budget-p36.pdf")
	next := faultFile(t, tmp, "fault-slow.pdf", "../fixtures/xian-sasac-2022-budget-p36.pdf")
	var ahead []string
	sentAheadHook = func(file string) { ahead = append(ahead, file) }
	defer func() { sentAheadHook = nil }()
	goroutines := runtime.NumGoroutine()
	docs, seen, err := isolatedRun(t, context.Background(), []string{after, next}, &RunOptions{Workers: 1, Timeout: time.Minute, Isolate: testIsolation(0)})
	if err != nil {
		t.Fatal(err)
	}
	if len(ahead) != 1 || ahead[0] != next {
		t.Fatalf("asked for ahead: %q, want the slow document", ahead)
	}
	for _, f := range []string{after, next} {
		if d := docs[f]; d.Status != schema.StatusOK || len(seen[f].Cells) == 0 {
			t.Errorf("%s: %s %q, %d cells", filepath.Base(f), d.Status, d.Error, len(seen[f].Cells))
		}
	}
	if seen[after].Worker.PID == seen[next].Worker.PID {
		t.Errorf("both read by worker %d: want the next one read again by a new worker", seen[after].Worker.PID)
	}
	checkGoroutines(t, goroutines)
}

// TestIsolatedCancelAhead: a batch cancelled while its worker reads a
// document asked for ahead (which nobody wants any more) returns at once:
// the worker is killed, not waited for until it ends.
func TestIsolatedCancelAhead(t *testing.T) {
	tmp := t.TempDir()
	good := faultFile(t, tmp, "a-good.pdf", "../fixtures/xian-sasac-2022-budget-p36.pdf")
	hang := faultFile(t, tmp, "fault-hang.pdf", "../fixtures/xian-sasac-2022-budget-p36.pdf")
	goroutines := runtime.NumGoroutine()
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("interrupted")
	var ahead []string
	sentAheadHook = func(file string) { ahead = append(ahead, file) }
	defer func() { sentAheadHook = nil }()
	var cancelled time.Time
	opts := &RunOptions{Workers: 1, Isolate: testIsolation(0), OnDocument: func(i, n int, r *Result) error {
		if r.Document.SourceFile == good {
			cancelled = time.Now()
			cancel(cause)
		}
		return nil
	}}
	sum, err := Run(ctx, t.TempDir(), []string{good, hang}, opts)
	if err != cause || sum.Committed != 0 {
		t.Errorf("%+v, %v", sum, err)
	}
	if len(ahead) != 1 || ahead[0] != hang {
		t.Fatalf("asked for ahead: %q, want the hang", ahead)
	}
	if el := time.Since(cancelled); el > workerStop/2 {
		t.Errorf("Run returned %v after it was cancelled", el)
	}
	checkGoroutines(t, goroutines)
}

// TestIsolatedWrapperKilled: a worker command that starts the worker as a
// child of its own (sh -c, timeout) has both killed at the timeout, the
// document recorded as timed out, and Run goes on (it waited for ever when
// only the wrapper was killed: the worker held the output open).
func TestIsolatedWrapperKilled(t *testing.T) {
	hang := faultFile(t, t.TempDir(), "fault-hang.pdf", "../fixtures/xian-sasac-2022-budget-p36.pdf")
	goroutines := runtime.NumGoroutine()
	iso := testIsolation(0)
	iso.Command = func() *exec.Cmd {
		cmd := exec.Command("sh", "-c", `"$0" -test.run='^$'; echo the worker ended >&2`, os.Args[0])
		cmd.Env = append(os.Environ(), testWorkerEnv+"=1")
		return cmd
	}
	start := time.Now()
	docs, _, err := isolatedRun(t, context.Background(), []string{hang}, &RunOptions{Workers: 1, Timeout: 2 * time.Second, Isolate: iso})
	if err != nil {
		t.Fatal(err)
	}
	want := hang + ": timed out: gave up after 2s (-timeout); its worker process was killed (signal: killed)"
	if d := docs[hang]; d.Status != schema.StatusFailed || d.Error != want {
		t.Errorf("%s %q, want failed %q", d.Status, d.Error, want)
	}
	if el := time.Since(start); el > 2*time.Second+workerStop/2 {
		t.Errorf("took %v", el)
	}
	checkGoroutines(t, goroutines)
}

// TestIsolationErrors: a command that is not a worker is an error of the
// batch, not of its documents; so is KeepPages with Isolate.
func TestIsolationErrors(t *testing.T) {
	files := []string{"../fixtures/xian-sasac-2022-budget-p36.pdf"}
	notWorker := &Isolation{Command: func() *exec.Cmd { return exec.Command("sh", "-c", "echo not a worker >&2; exit 4") }}
	_, err := Run(context.Background(), t.TempDir(), files, &RunOptions{Isolate: notWorker})
	if want := "pipeline: /usr/bin/sh is not a worker of this build: it ended (exit status 4): not a worker"; err == nil || err.Error() != want {
		t.Errorf("not a worker: %v, want %s", err, want)
	}
	_, err = Run(context.Background(), t.TempDir(), files, &RunOptions{Isolate: testIsolation(0), KeepPages: true})
	if err == nil || !strings.Contains(err.Error(), "KeepPages needs the documents read in this process") {
		t.Errorf("KeepPages: %v", err)
	}
	_, err = Run(context.Background(), t.TempDir(), files, &RunOptions{Isolate: &Isolation{}})
	if err == nil || err.Error() != "pipeline: Isolation.Command is required" {
		t.Errorf("no command: %v", err)
	}
}

// TestIsolatedReadAhead: with one worker, each document is asked for
// while the answer before it is decoded. A fault of a document asked for
// ahead is that document's, and the document asked for ahead of an answer
// that is refused is read again, by the next worker.
func TestIsolatedReadAhead(t *testing.T) {
	tmp := t.TempDir()
	good := "../fixtures/xian-sasac-2022-budget-p36.pdf"
	var files []string
	for _, name := range []string{"first.pdf", "fault-panic.pdf", "fault-liar.pdf", "after-liar.pdf", "last.pdf"} {
		files = append(files, faultFile(t, tmp, name, good))
	}
	var mu sync.Mutex
	var ahead []string
	sentAheadHook = func(file string) {
		mu.Lock()
		defer mu.Unlock()
		ahead = append(ahead, filepath.Base(file))
	}
	defer func() { sentAheadHook = nil }()
	docs, seen, err := isolatedRun(t, context.Background(), files, &RunOptions{Workers: 1, Timeout: time.Minute, Isolate: testIsolation(0)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"first.pdf":       "ok",
		"fault-panic.pdf": `failed: .*: crashed: its worker process ended \(exit status 2\): panic: worker fault$`,
		"fault-liar.pdf":  `failed: .*: crashed: its worker process answered for "elsewhere.pdf" and was killed \(signal: killed\)$`,
		"after-liar.pdf":  "ok",
		"last.pdf":        "ok",
	}
	pids := make(map[string]int)
	for _, f := range files {
		name := filepath.Base(f)
		d := docs[f]
		if got := d.Status + ": " + d.Error; !regexp.MustCompile("^" + want[name]).MatchString(strings.TrimSuffix(got, ": ")) {
			t.Errorf("%s: %q, want %s", name, got, want[name])
		}
		if d.Status == schema.StatusOK && len(seen[f].Cells) == 0 {
			t.Errorf("%s: no cells", name)
		}
		pids[name] = seen[f].Worker.PID
	}
	// Asked for ahead: the crash after first, after-liar (read again by a
	// new worker once the liar was killed), last.
	if !slices.Equal(ahead, []string{"fault-panic.pdf", "after-liar.pdf", "last.pdf"}) {
		t.Errorf("asked for ahead: %v", ahead)
	}
	// The crash, asked for ahead, is read again alone by a new worker
	// before it is blamed.
	if pids["first.pdf"] == pids["fault-panic.pdf"] || pids["fault-liar.pdf"] == pids["after-liar.pdf"] || pids["after-liar.pdf"] != pids["last.pdf"] {
		t.Errorf("workers: %v", pids)
	}
}

// TestAwaitFrameInTime: an answer that arrived while the run was busy
// (asked for ahead) is in time, though its deadline has passed since.
func TestAwaitFrameInTime(t *testing.T) {
	for range 50 {
		w := &worker{arrived: make(chan struct{}, 1), over: make(chan struct{}), mem: &memWatch{}}
		w.arrived <- struct{}{}
		if err := w.awaitFrame(context.Background(), 1<<30, time.Second, time.Now().Add(-time.Hour)); err != nil {
			t.Fatalf("an answer in time: %v", err)
		}
	}
}
