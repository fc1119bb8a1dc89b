package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// sortedRecords is every record of a dataset directory as sorted JSON
// lines, set by set: what two runs must agree on whatever their batches.
func sortedRecords(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	for _, set := range []string{"documents", "tables", "cells", "checks", "indicators", "form_fields", "files"} {
		lines := strings.Split(strings.TrimSpace(string(setBytes(t, dir, set, ".jsonl"))), "\n")
		slices.Sort(lines)
		fmt.Fprintf(&b, "%s: %d\n%s\n", set, len(lines), strings.Join(lines, "\n"))
	}
	return b.String()
}

// distinctCopies writes n copies of the fixtures into a directory, each
// with a trailing comment of its own, so that each is a distinct document.
func distinctCopies(t *testing.T, n int) (dir string, files []string) {
	t.Helper()
	dir = t.TempDir()
	src, _ := filepath.Glob("../../fixtures/*.pdf")
	for i := range n {
		for _, f := range src {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Join(dir, fmt.Sprintf("%s-%d.pdf", strings.TrimSuffix(filepath.Base(f), ".pdf"), i))
			if err := os.WriteFile(name, append(b, fmt.Sprintf("\n%% copy %d\n", i)...), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, name)
		}
	}
	slices.Sort(files)
	return dir, files
}

// TestRunIncremental: a second run reads only the new files and the
// dataset then holds exactly the records of one run over all of them; a
// run over unchanged input adds nothing; -force reads everything again.
func TestRunIncremental(t *testing.T) {
	_, files := distinctCopies(t, 1)
	whole, inc := t.TempDir(), t.TempDir()
	runCLI(append([]string{"run", "-quiet", "-o", whole}, files...)...)
	runCLI(append([]string{"run", "-quiet", "-o", inc}, files[:4]...)...)
	_, stdout, _ := runCLI(append([]string{"run", "-quiet", "-part-size", "2", "-o", inc}, files...)...)
	if !strings.Contains(stdout, "4 documents already in "+inc+" skipped") || !strings.Contains(stdout, fmt.Sprintf("%d documents (", len(files)-4)) {
		t.Errorf("second run: %q", stdout)
	}
	if a, b := sortedRecords(t, whole), sortedRecords(t, inc); a != b {
		t.Errorf("incremental dataset differs from one run over all files")
	}
	parts := len(partFiles(t, inc, "documents", ".parquet"))
	if parts != 1+(len(files)-4+1)/2 {
		t.Errorf("%d documents parts, want one per batch", parts)
	}
	start := time.Now()
	code, stdout, _ := runCLI(append([]string{"run", "-quiet", "-o", inc}, files...)...)
	if code != 0 || !strings.HasPrefix(stdout, fmt.Sprintf("%d documents already in %s skipped", len(files), inc)) || len(partFiles(t, inc, "documents", ".parquet")) != parts {
		t.Errorf("unchanged input: exit %d, %q, %d parts", code, stdout, len(partFiles(t, inc, "documents", ".parquet")))
	}
	t.Logf("a run over %d unchanged files: %v", len(files), time.Since(start))
	runCLI(append([]string{"run", "-quiet", "-force", "-o", inc}, files...)...)
	if a, b := sortedRecords(t, whole), sortedRecords(t, inc); a != b {
		t.Errorf("-force: dataset differs from one run over all files")
	}
}

// TestRunShards: three shards writing into one directory give the records
// of one unsharded run.
func TestRunShards(t *testing.T) {
	_, files := distinctCopies(t, 1)
	files = append(files, "../../extract/testdata/broken/truncated.pdf", "../../extract/testdata/broken/zero-bytes.pdf")
	whole, sharded := t.TempDir(), t.TempDir()
	runCLI(append([]string{"run", "-quiet", "-o", whole}, files...)...)
	counts := make([]string, 3)
	for k := range 3 {
		_, stdout, _ := runCLI(append([]string{"run", "-quiet", "-shard", fmt.Sprintf("%d/3", k+1), "-o", sharded}, files...)...)
		counts[k], _, _ = strings.Cut(stdout, " ")
	}
	if a, b := sortedRecords(t, whole), sortedRecords(t, sharded); a != b {
		t.Errorf("shards %v together differ from one run", counts)
	}
	if slices.Contains(counts, fmt.Sprint(len(files))) {
		t.Errorf("one shard took everything: %v", counts)
	}
	if code, _, stderr := runCLI("run", "-shard", "4/3", "x.pdf"); code != 2 || !strings.Contains(stderr, "-shard") {
		t.Errorf("-shard 4/3: exit %d, %q", code, stderr)
	}
}

// TestRunKilled kills a run with SIGKILL part-way: the dataset is readable
// at once, and the next run completes it with exactly the records of an
// uninterrupted run.
func TestRunKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	_, files := distinctCopies(t, 4)
	whole, killed := t.TempDir(), t.TempDir()
	runCLI(append([]string{"run", "-quiet", "-o", whole}, files...)...)

	cmd, stderr, err := signalRun(t, bin, killed, files, 3, syscall.SIGKILL)
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the run ended before it was killed (%v, %s): make it longer", err, stderr.String())
	}
	committed := len(partFiles(t, killed, "documents", ".parquet"))
	t.Logf("killed after %d of %d documents", committed, len(files))
	if committed >= len(files) {
		t.Fatalf("nothing left to do after the kill")
	}
	// Readable at once: every committed record set reads back.
	if code, _, stderr := runCLI("check", killed); code == 2 {
		t.Errorf("check right after the kill: %s", stderr)
	}

	code, stdout, stderr2 := runCLI(append([]string{"run", "-quiet", "-o", killed}, files...)...)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("%d documents already in", committed)) {
		t.Errorf("the run after the kill: exit %d, %q, %q", code, stdout, stderr2)
	}
	if a, b := sortedRecords(t, whole), sortedRecords(t, killed); a != b {
		t.Errorf("after the kill and a re-run, the dataset differs from an uninterrupted run")
	}
	if len(setBytes(t, whole, "indicators", ".jsonl")) == 0 || len(setBytes(t, whole, "form_fields", ".jsonl")) == 0 {
		t.Error("no indicators or form fields compared") // the seed's performance tables
	}
	var leftovers []string
	filepath.WalkDir(killed, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tmp") {
			leftovers = append(leftovers, p)
		}
		return nil
	})
	if len(leftovers) > 0 {
		t.Errorf("left behind: %v", leftovers)
	}
	// Only the killed run's lock is left (removed by a run a minute
	// later), with the dataset lock.
	if locks, _ := filepath.Glob(filepath.Join(killed, "runs", "*.lock")); len(locks) != 2 || !slices.Contains(locks, filepath.Join(killed, "runs", "dataset.lock")) {
		t.Errorf("locks left: %v", locks)
	}
}

// TestRunIncrementalJSONL: a dataset written as JSON Lines only is
// incremental too.
func TestRunIncrementalJSONL(t *testing.T) {
	_, files := distinctCopies(t, 1)
	out := t.TempDir()
	runCLI(append([]string{"run", "-quiet", "-format", "jsonl", "-o", out}, files[:3]...)...)
	_, stdout, _ := runCLI(append([]string{"run", "-quiet", "-format", "jsonl", "-o", out}, files...)...)
	if !strings.Contains(stdout, "3 documents already in") || len(readSet(t, out, "documents")) != len(files) {
		t.Errorf("%q, %d documents", stdout, len(readSet(t, out, "documents")))
	}
}

// TestCompact: compaction leaves one part per record set and partition and
// the same records; a compaction stopped after its commit, before removing
// what it replaced, is finished by the next run.
func TestCompact(t *testing.T) {
	_, files := distinctCopies(t, 1)
	whole, out := t.TempDir(), t.TempDir()
	runCLI(append([]string{"run", "-quiet", "-o", whole}, files...)...)
	runCLI(append([]string{"run", "-quiet", "-part-size", "3", "-o", out}, files...)...)
	want := sortedRecords(t, whole)
	backup := t.TempDir()
	if err := os.CopyFS(backup, os.DirFS(out)); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI("compact", out)
	if code != 0 || !strings.HasSuffix(stdout, " part files merged into one per record set and partition\n") {
		t.Fatalf("compact: exit %d, %q %q", code, stdout, stderr)
	}
	if got := sortedRecords(t, out); got != want {
		t.Errorf("records changed by compact")
	}
	for _, set := range []string{"documents", "tables"} {
		if n := len(partFiles(t, out, set, ".parquet")); n != 1 {
			t.Errorf("%s: %d parts after compact", set, n)
		}
	}
	if n := len(partFiles(t, out, "cells", ".jsonl")); n != 5 { // 2019, 2022, 2024, 2026 and unknown
		y, _ := filepath.Glob(filepath.Join(out, "jsonl", "cells", "*"))
		t.Errorf("cells: %d JSON Lines parts after compact, partitions %v", n, y)
	}
	if code, stdout, _ := runCLI("compact", out); code != 0 || stdout != "0 part files merged into one per record set and partition\n" {
		t.Errorf("second compact: %d %q", code, stdout)
	}

	// Stopped half way: the merged batch committed, the batches it
	// replaces still there (every step is stopped at in turn by
	// schema.TestCompactKilled).
	for _, sub := range []string{"manifests", "documents", "tables", "cells", "checks", "files", "jsonl"} {
		if err := os.CopyFS(filepath.Join(out, sub), os.DirFS(filepath.Join(backup, sub))); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(partFiles(t, out, "documents", ".parquet")); n != 1+(len(files)+2)/3 {
		t.Fatalf("%d documents parts: want the merged one and those it replaced", n)
	}
	if code, _, stderr := runCLI(append([]string{"run", "-quiet", "-o", out}, files...)...); code != 0 {
		t.Fatalf("run after the stopped compaction: %s", stderr)
	}
	if got := sortedRecords(t, out); got != want {
		t.Errorf("records after finishing a stopped compaction differ")
	}
	if n := len(partFiles(t, out, "documents", ".parquet")); n != 1 {
		t.Errorf("%d documents parts after the stopped compaction was finished", n)
	}
}

// TestRunFilesAcrossRuns: a copy found in a later run under a new name is
// not read again, and files maps both names to the one document.
func TestRunFilesAcrossRuns(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	b, err := os.ReadFile("../../fixtures/xian-sasac-2022-budget-p36.pdf")
	if err != nil {
		t.Fatal(err)
	}
	a, c := filepath.Join(in, "a.pdf"), filepath.Join(in, "later", "copy.pdf")
	os.MkdirAll(filepath.Dir(c), 0o755)
	os.WriteFile(a, b, 0o644)
	runCLI("run", "-quiet", "-o", out, a)
	os.WriteFile(c, b, 0o644)
	_, stdout, _ := runCLI("run", "-quiet", "-o", out, in)
	if !strings.HasPrefix(stdout, "1 documents already in") {
		t.Errorf("second run: %q", stdout)
	}
	docs := readSet(t, out, "documents")
	refs := readSet(t, out, "files")
	if len(docs) != 1 || len(refs) != 2 || refs[0]["source_file"] != a || refs[1]["source_file"] != c ||
		refs[0]["document_id"] != docs[0]["document_id"] || refs[1]["document_id"] != docs[0]["document_id"] {
		t.Errorf("documents %v\nfiles %v", docs, refs)
	}
	runCLI("run", "-quiet", "-o", out, in)
	if n := len(readSet(t, out, "files")); n != 2 {
		t.Errorf("a third run added files: %d", n)
	}
}

// signalRun starts the binary on files, one document per batch, and sends
// sig once after batches are committed in out; it returns when the run
// has ended.
func signalRun(t *testing.T, bin, out string, files []string, after int, sig syscall.Signal) (*exec.Cmd, *bytes.Buffer, error) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"run", "-quiet", "-workers", "1", "-part-size", "1", "-o", out}, files...)...)
	stderr := new(bytes.Buffer)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for len(partFiles(t, out, "documents", ".parquet")) < after && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cmd.Process.Signal(sig)
	return cmd, stderr, cmd.Wait()
}

// buildBinary builds the command once for the tests that signal it.
func buildBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "budgetpdf-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "budgetpdf")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// TestRunInterrupted stops a run with SIGTERM, as a scheduler does: the
// run says how far it got and exits 1, leaves no temporary and no lock,
// and the next run finishes the dataset.
func TestRunInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	_, files := distinctCopies(t, 4)
	whole, stopped := t.TempDir(), t.TempDir()
	runCLI(append([]string{"run", "-quiet", "-o", whole}, files...)...)
	cmd, stderr, _ := signalRun(t, bin, stopped, files, 2, syscall.SIGTERM)
	committed := len(partFiles(t, stopped, "documents", ".parquet"))
	want := fmt.Sprintf("budgetpdf run: interrupted by terminated: %d documents committed in %s; run again to read the rest\n", committed, stopped)
	if code := cmd.ProcessState.ExitCode(); code != 1 || stderr.String() != want || committed >= len(files) {
		t.Fatalf("exit %d, stderr %q, want %q (%d of %d committed)", code, stderr.String(), want, committed, len(files))
	}
	var left []string
	filepath.WalkDir(stopped, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".tmp") || strings.HasSuffix(p, ".lock") && d.Name() != "dataset.lock") {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	if code, _, stderr := runCLI(append([]string{"run", "-quiet", "-o", stopped}, files...)...); code != 0 {
		t.Fatalf("the next run: %s", stderr)
	}
	if a, b := sortedRecords(t, whole), sortedRecords(t, stopped); a != b {
		t.Errorf("after an interrupted run and a re-run, the dataset differs from an uninterrupted run")
	}
}

func TestMain(m *testing.M) {
	// budgetpdf run starts its process and its workers as
	// os.Executable() "run" and "worker": in the tests, this test binary.
	if len(os.Args) > 1 && (os.Args[1] == "worker" || os.Args[1] == "run") {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}
