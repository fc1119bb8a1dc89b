package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/budgetpdf/budgetpdf/schema"
)

// The watched runs of these tests are this test binary too: with
// testRunEnv set (a testRun, as JSON), TestMain runs a batch watched
// (watchedTestRun), reading in process with faultyRead.
const testRunEnv = "BUDGETPDF_TEST_RUN"

// testRun is the batch a watched test run reads.
type testRun struct {
	Dir     string
	Files   []string
	Timeout time.Duration
	// Die makes the run exit with status 3 once its batch is done,
	// without telling its watcher.
	Die bool
	// URLs are downloaded and read too.
	URLs []string
}

// watchedTestRun runs the batch of testRunEnv as the watched run of a
// Watcher, and returns its exit status.
func watchedTestRun() int {
	var tr testRun
	if err := json.Unmarshal([]byte(os.Getenv(testRunEnv)), &tr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	os.Unsetenv(testRunEnv) // (its workers are workers)
	wd, err := WatchedRun()
	if err != nil || wd == nil {
		fmt.Fprintln(os.Stderr, "not watched:", err)
		return 2
	}
	watchedRead = faultyRead
	ins := FileInputs(tr.Files)
	for _, u := range tr.URLs {
		ins = append(ins, Input{URL: u})
	}
	sum, err := RunInputs(context.Background(), tr.Dir, ins, &RunOptions{Workers: 2, Timeout: tr.Timeout, Isolate: testIsolation(512 << 20), Watched: wd})
	if tr.Die {
		return 3
	}
	wd.End()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if sum.Status[schema.StatusFailed] > 0 {
		return 1
	}
	return 0
}

// testWatcher watches a testRun of this test binary.
func testWatcher(t *testing.T, tr testRun, maxMemory int64, log *bytes.Buffer) *Watcher {
	env, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	return &Watcher{MaxMemory: maxMemory, Timeout: tr.Timeout, Log: log, Command: func(bool) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), testRunEnv+"="+string(env))
		cmd.Stderr = log
		return cmd
	}}
}

// TestWatchedFailures: a watched run whose process crashes, goes over its
// memory ceiling or reads a document too long is started again; the
// documents it was reading are read again alone in worker processes,
// which record the culprits with the reason, the one read too long is
// recorded as timed out, and every other document is committed once,
// with the records it has when read in one process.
func TestWatchedFailures(t *testing.T) {
	tmp := t.TempDir()
	good := "../fixtures/xian-sasac-2022-budget-p36.pdf"
	var files []string
	for _, name := range []string{"a-good.pdf", "fault-panic.pdf", "b-good.pdf", "fault-signal.pdf", "c-good.pdf", "fault-memory.pdf", "d-good.pdf", "fault-hang.pdf", "e-good.pdf"} {
		files = append(files, faultFile(t, tmp, name, good))
	}
	files = append(files, "../fixtures/seed-yindu-hrss-2024-ruled.pdf", "../extract/testdata/broken/truncated.pdf")
	const ceiling = 768 << 20
	var log bytes.Buffer
	dir := filepath.Join(tmp, "out")
	start := time.Now()
	code, stats, err := testWatcher(t, testRun{Dir: dir, Files: files, Timeout: 3 * time.Second}, ceiling, &log).Run(context.Background())
	t.Logf("%v, %d starts, peak %d MiB; log:\n%s", time.Since(start), stats.Starts, stats.Peak>>20, log.String())
	if err != nil || code != 1 {
		t.Fatalf("exit %d, %v; want 1 (documents failed)", code, err)
	}
	docs, err := schema.ReadDataset[schema.Document](dir)
	if err != nil {
		t.Fatal(err)
	}
	got := make(map[string]schema.Document)
	for _, d := range docs {
		if _, dup := got[d.SourceFile]; dup {
			t.Errorf("%s recorded twice", d.SourceFile)
		}
		got[d.SourceFile] = d
	}
	if len(got) != len(files) {
		t.Errorf("%d documents recorded of %d files", len(got), len(files))
	}
	wantFault := map[string]string{
		"fault-panic.pdf":  `crashed: its worker process ended \(exit status 2\): panic: worker fault$`,
		"fault-signal.pdf": `crashed: its worker process ended \(exit status 2\): SIGSEGV: segmentation violation$`,
		"fault-memory.pdf": `out of memory: its worker process (held \d+ MiB, over the ceiling of 512 MiB \(-max-memory\), and was killed \(signal: killed\)|reached the ceiling of 512 MiB \(-max-memory\) and ended \(exit status \d+\): (fatal error: runtime: out of memory|fatal error: out of memory allocating heap arena metadata|.*ThreadSanitizer failed to allocate.*))$`,
		// (read by the run's process, or by a worker when a crash of the
		// run's process made it a suspect first)
		"fault-hang.pdf": `timed out: gave up after 3s \(-timeout\); (the run's process, reading it,|its worker process) was killed \(signal: killed\)$`,
	}
	for _, f := range files {
		d := got[f]
		if want, ok := wantFault[filepath.Base(f)]; ok {
			if d.Status != schema.StatusFailed || !regexp.MustCompile("^"+regexp.QuoteMeta(f)+": "+want).MatchString(d.Error) || d.DocumentID == "" {
				t.Errorf("%s: %s %q, want failed with %s", f, d.Status, d.Error, want)
			}
			if _, ok := stats.Suspects[d.DocumentID+" "+fmt.Sprintf("%q", f)]; !ok {
				t.Errorf("%s is not among the suspects %v", f, stats.Suspects)
			}
			continue
		}
		want, _ := ReadDocument(context.Background(), f, nil)
		want.Document.DuplicateFiles = nil
		if fmt.Sprintf("%+v", d) != fmt.Sprintf("%+v", want.Document) {
			t.Errorf("%s: watched\n%+v\nin this process\n%+v", f, d, want.Document)
		}
	}
	// Started again once per fault at most (two read at once may end one
	// process), once at least for the hang and once for the rest.
	if stats.Starts < 3 || stats.Starts > len(wantFault)+1 {
		t.Errorf("%d starts, want 3 to %d", stats.Starts, len(wantFault)+1)
	}
	if runtime.GOOS == "linux" && (stats.Peak <= 0 || stats.Peak > ceiling+ceilingSlack) {
		t.Errorf("the run's process held %d MiB, over its ceiling of %d MiB", stats.Peak>>20, ceiling>>20)
	}
	if n := strings.Count(log.String(), "budgetpdf: the run's process "); n != stats.Starts-1 {
		t.Errorf("%d lines of the watcher for %d starts", n, stats.Starts)
	}
}

// TestWatchedDies: a watched run that dies while it reads no document
// ends the watch with an error, instead of being started again for
// ever; one that ends on its own ends it with its exit status.
func TestWatchedDies(t *testing.T) {
	good := "../fixtures/xian-sasac-2022-budget-p36.pdf"
	var log bytes.Buffer
	_, stats, err := testWatcher(t, testRun{Dir: t.TempDir(), Files: []string{good}, Die: true}, 0, &log).Run(context.Background())
	want := "pipeline: the run's process ended (exit status 3) while it read no document; the batches it committed stay, and the next run reads the rest"
	if err == nil || err.Error() != want || stats.Starts != 1 {
		t.Errorf("%d starts, %v; want %q", stats.Starts, err, want)
	}
	code, stats, err := testWatcher(t, testRun{Dir: t.TempDir(), Files: []string{good}}, 0, &log).Run(context.Background())
	if code != 0 || err != nil || stats.Starts != 1 || len(stats.Suspects) != 0 {
		t.Errorf("exit %d, %v, %d starts, suspects %v", code, err, stats.Starts, stats.Suspects)
	}
	if _, _, err := (&Watcher{}).Run(context.Background()); err == nil {
		t.Error("a Watcher without a Command ran")
	}
}

// TestWatchedStopped: a watch whose context is done sends its run
// SIGTERM and returns once it has ended.
func TestWatchedStopped(t *testing.T) {
	hang := faultFile(t, t.TempDir(), "fault-hang.pdf", "../fixtures/xian-sasac-2022-budget-p36.pdf")
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var log bytes.Buffer
	start := time.Now()
	_, _, err := testWatcher(t, testRun{Dir: t.TempDir(), Files: []string{hang}, Timeout: time.Hour}, 0, &log).Run(ctx)
	want := "pipeline: the run's process ended (signal: terminated) when it was stopped, without saying so"
	if err == nil || err.Error() != want || time.Since(start) > 10*time.Second {
		t.Errorf("after %v: %v; want %q", time.Since(start), err, want)
	}
}

// FuzzWatchNotes: whatever lines a run's process writes, the watcher
// keeps its documents in hand consistent: a key is in hand after its R
// note and until its D note, and a line that is not a note changes
// nothing.
func FuzzWatchNotes(f *testing.F) {
	f.Add("R\tabc \"a.pdf\"\nD\tabc \"a.pdf\"\nE")
	f.Add("R\tx\nR\ty\nD\tx\n\tR\nRR\tz\nE\n")
	f.Fuzz(func(t *testing.T, notes string) {
		a := attempt{inHand: make(map[string]time.Time)}
		want := make(map[string]bool)
		ended := false
		for line := range strings.Lines(notes) {
			line = strings.TrimSuffix(line, "\n")
			a.note(line)
			kind, key, ok := strings.Cut(line, "\t")
			switch {
			case line == "E":
				ended = true
			case ok && kind == "R":
				want[key] = true
			case ok && kind == "D":
				delete(want, key)
			}
		}
		if a.ended != ended || len(a.inHand) != len(want) {
			t.Fatalf("ended %v, in hand %v; want %v, %v", a.ended, a.inHand, ended, want)
		}
		for k := range want {
			if _, ok := a.inHand[k]; !ok {
				t.Fatalf("%q not in hand", k)
			}
		}
	})
}

// shWatcher watches a shell script as the run's process: fd 3 its notes.
func shWatcher(script string, log *bytes.Buffer) *Watcher {
	return &Watcher{Timeout: 2 * time.Second, Log: log, Command: func(bool) *exec.Cmd {
		cmd := exec.Command("sh", "-c", script)
		cmd.Stderr = log
		return cmd
	}}
}

// runWithin runs w, failing the test when it does not return within d.
func runWithin(t *testing.T, w *Watcher, d time.Duration) (int, WatchStats, error) {
	t.Helper()
	type ret struct {
		code  int
		stats WatchStats
		err   error
	}
	done := make(chan ret, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		c, s, err := w.Run(ctx)
		done <- ret{c, s, err}
	}()
	select {
	case r := <-done:
		return r.code, r.stats, r.err
	case <-time.After(d):
		t.Errorf("Watcher.Run did not return within %v", d)
		cancel() // (SIGTERM: sh dies)
		r := <-done
		return r.code, r.stats, r.err
	}
}

// TestWatchedLongNote: a line of notes over 1 MiB is dropped, and the
// notes after it read (a watcher that stopped reading them would leave
// the run's process blocked, with nothing in hand for its clock).
func TestWatchedLongNote(t *testing.T) {
	var log bytes.Buffer
	// 2 MiB of garbage in one line, then 200 KiB of well-formed notes, then the end.
	script := `head -c 2097152 /dev/zero | tr '\0' x >&3; echo >&3
i=0; while [ $i -lt 2000 ]; do printf 'R\tid%d "f.pdf"\nD\tid%d "f.pdf"\n' $i $i >&3; i=$((i+1)); done
echo E >&3; exit 0`
	code, _, err := runWithin(t, shWatcher(script, &log), 15*time.Second)
	if code != 0 || err != nil {
		t.Errorf("exit %d, %v; want 0, nil", code, err)
	}
}

// TestWatchedHangAfterEnd: a run's process that said it ended and then
// does not exit is killed after workerStop, and the watch ends with an
// error (nothing is in hand: no clock would).
func TestWatchedHangAfterEnd(t *testing.T) {
	var log bytes.Buffer
	code, _, err := runWithin(t, shWatcher(`echo E >&3; exec 3>&-; exec sleep 3600`, &log), 15*time.Second)
	want := "pipeline: the run's process said it ended, then did not end within 5s and was killed (signal: killed); the batches it committed stay"
	if err == nil || err.Error() != want {
		t.Errorf("exit %d, %v; want %q", code, err, want)
	}
}

// TestWatchedKilledAfterEnd: a run's process that said it ended and was
// then killed by a signal did not end on its own: the watch ends with an
// error, not an exit status of -1.
func TestWatchedKilledAfterEnd(t *testing.T) {
	var log bytes.Buffer
	code, _, err := runWithin(t, shWatcher(`echo E >&3; kill -9 $$`, &log), 15*time.Second)
	want := "pipeline: the run's process said it ended, then ended (signal: killed); the batches it committed stay"
	if err == nil || err.Error() != want {
		t.Errorf("exit %d, %v; want %q", code, err, want)
	}
}

// TestWatchedURLChanges: a URL whose bytes differ at each download (a
// PDF generated on request, with its time in it) has a new document id in
// each run's process: a suspect by its name, it is read alone in a worker
// process (which times it out), not again in the run's process, which
// would be killed again for ever.
func TestWatchedURLChanges(t *testing.T) {
	good, err := os.ReadFile("../fixtures/xian-sasac-2022-budget-p36.pdf")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(good)
		fmt.Fprintf(w, "\n%% generated %d\n", n.Add(1))
	}))
	defer srv.Close()
	var log bytes.Buffer
	w2dir := t.TempDir()
	w := testWatcher(t, testRun{Dir: w2dir, URLs: []string{srv.URL + "/fault-hang.pdf"}, Timeout: time.Second}, 0, &log)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code, stats, err := w.Run(ctx)
	t.Logf("exit %d, %v, %d starts, %d downloads, suspects %v", code, err, stats.Starts, n.Load(), stats.Suspects)
	docs, rerr := schema.ReadDataset[schema.Document](w2dir)
	if err != nil || code != 1 || stats.Starts != 2 || rerr != nil || len(docs) != 1 ||
		!strings.HasSuffix(docs[0].Error, "fault-hang.pdf: timed out: gave up after 1s (-timeout); its worker process was killed (signal: killed)") {
		t.Errorf("exit %d, %v, %d starts, documents %+v (%v); want 2 starts, the document timed out in a worker process", code, err, stats.Starts, docs, rerr)
	}
}
