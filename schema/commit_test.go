package schema_test

// The fault-injection tests of the commit protocol: a run, then a
// compaction, killed (SIGKILL) at each write, rename and removal of its
// commits in turn, in a child process (this test binary, running
// TestKillHelper), over real PDFs; after each kill, the dataset is
// checked as readers see it, then completed, and compared whole, in both
// formats, with the dataset of an uninterrupted run.

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/budgetpdf/budgetpdf/schema"
	"github.com/parquet-go/parquet-go"
)

// The child process's instructions.
const (
	killOpEnv  = "BUDGETPDF_TEST_KILL_OP"  // "run", "compact", or "inspect" alone
	killAtEnv  = "BUDGETPDF_TEST_KILL_AT"  // the step to die at, from 1; 0: none
	killDirEnv = "BUDGETPDF_TEST_KILL_DIR" // the dataset directory
	killInEnv  = "BUDGETPDF_TEST_KILL_IN"  // the input files of a run, one per line
	killOutEnv = "BUDGETPDF_TEST_KILL_OUT" // where the child writes what it saw before and after (with at 0)
)

// killOptions are the options of the runs killed: one worker, two
// documents a batch, the records in both formats and a workbook per
// document.
var killOptions = pipeline.RunOptions{Workers: 1, PartSize: 2, Formats: []string{schema.FormatParquet, schema.FormatJSONL, schema.FormatXLSX}}

// TestKillHelper is the child process of the kill tests: it runs an
// operation on a dataset and kills itself with SIGKILL at the step it was
// given; or, not to be killed, it inspects the dataset before and after
// the operation (none for "inspect"). (The children do the heavy work, so
// that under the race detector it is done by a binary built without it.)
func TestKillHelper(t *testing.T) {
	op := os.Getenv(killOpEnv)
	if op == "" {
		t.Skip("the child process of TestCommitKilled and TestCompactKilled")
	}
	dir := os.Getenv(killDirEnv)
	at, _ := strconv.Atoi(os.Getenv(killAtEnv))
	var seen [2]inspection
	if at == 0 {
		seen[0] = inspectHere(t, dir)
	}
	steps := 0
	schema.SetCommitHook(func(string) {
		if steps++; steps == at {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	})
	if op != "inspect" {
		if err := operate(op, dir, strings.Split(os.Getenv(killInEnv), "\n")); err != nil {
			t.Fatal(err)
		}
	}
	seen[1] = inspectHere(t, dir)
	data, _ := json.Marshal(seen)
	if err := os.WriteFile(os.Getenv(killOutEnv), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// inspectHere is what readers see of dir.
func inspectHere(t *testing.T, dir string) inspection {
	return inspection{Records: globbed(t, dir), State: committedState(t, dir), Left: leftovers(dir)}
}

// operate runs op on dir: a run over files, or a compaction.
func operate(op, dir string, files []string) error {
	if op == "run" {
		_, err := pipeline.Run(context.Background(), dir, files, &killOptions)
		return err
	}
	r, err := schema.OpenRun(dir, false)
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = r.Compact()
	return err
}

// inspection is a dataset as readers see it (see globbed and
// committedState), with what a commit left behind (leftovers).
type inspection struct {
	Records map[string][]string
	State   string
	Left    []string
}

// helperBinary is the test binary the children run: this one, or, under
// the race detector, the same built without it.
func helperBinary(t *testing.T) string {
	t.Helper()
	if !raceEnabled {
		return os.Args[0]
	}
	helperOnce.Do(func() {
		dir, err := os.MkdirTemp("", "schema-test-")
		if err != nil {
			helperErr = err
			return
		}
		helperPath = filepath.Join(dir, "schema.test")
		if out, err := exec.Command("go", "test", "-c", "-o", helperPath, ".").CombinedOutput(); err != nil {
			helperErr = fmt.Errorf("go test -c: %v\n%s", err, out)
		}
	})
	if helperErr != nil {
		t.Fatal(helperErr)
	}
	return helperPath
}

var (
	helperOnce sync.Once
	helperPath string
	helperErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if helperPath != "" {
		os.RemoveAll(filepath.Dir(helperPath))
	}
	os.Exit(code)
}

// child runs op in a child process, killed at step at; with at 0, not
// killed, it returns what readers see of dir before and after op.
func child(t *testing.T, op, dir string, files []string, at int) (before, after inspection) {
	t.Helper()
	cmd := exec.Command(helperBinary(t), "-test.run=^TestKillHelper$", "-test.count=1")
	out := filepath.Join(t.TempDir(), "inspection.json")
	cmd.Env = append(os.Environ(), killOpEnv+"="+op, killAtEnv+"="+strconv.Itoa(at), killDirEnv+"="+dir,
		killInEnv+"="+strings.Join(files, "\n"), killOutEnv+"="+out)
	output, err := cmd.CombinedOutput()
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	switch {
	case at > 0 && (!ws.Signaled() || ws.Signal() != syscall.SIGKILL):
		t.Fatalf("%s, step %d: the child was not killed: %v\n%s", op, at, err, output)
	case at > 0:
		return
	case err != nil:
		t.Fatalf("%s: %v\n%s", op, err, output)
	}
	var seen [2]inspection
	data, err := os.ReadFile(out)
	if err == nil {
		err = json.Unmarshal(data, &seen)
	}
	if err != nil {
		t.Fatal(err)
	}
	return seen[0], seen[1]
}

// inspect is what readers see of dir, as a child process sees it.
func inspect(t *testing.T, dir string) inspection {
	t.Helper()
	_, in := child(t, "inspect", dir, nil, 0)
	return in
}

// leftovers are the temporary and staged files in dir.
func leftovers(dir string) []string {
	var left []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".tmp") || strings.HasPrefix(rel, "staging/")) {
			left = append(left, rel)
		}
		return nil
	})
	return left
}

// killSetup writes the inputs and the dataset a killed run starts from:
// a run over later.pdf, missing then, and xian-sasac, over -max-size: two
// failed documents, which the next run reads again and supersedes (later
// by its path, xian-sasac by its hash). It returns the inputs of the next
// run: jiangsu, later.pdf now there (the scanned fixture) and xian-sasac.
func killSetup(t *testing.T) (base string, files []string) {
	in := t.TempDir()
	for _, f := range [][2]string{
		{"jiangsu-npc-office-2019-budget-tables.pdf", "jiangsu.pdf"},
		{"beijing-data-bureau-2026-budget-notes-scanned-p1.pdf", "later.pdf"},
		{"xian-sasac-2022-budget-p36.pdf", "xian.pdf"},
	} {
		data, err := os.ReadFile(filepath.Join("../fixtures", f[0]))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, filepath.Join(in, f[1]))
		if f[1] != "later.pdf" {
			os.WriteFile(files[len(files)-1], data, 0o644)
		}
		defer os.WriteFile(files[len(files)-1], data, 0o644)
	}
	base = t.TempDir()
	setup := killOptions
	setup.MaxSize = 100 << 10
	if _, err := pipeline.Run(context.Background(), base, files[1:], &setup); err != nil {
		t.Fatal(err)
	}
	return base, files
}

// copyDataset copies a dataset directory (its lock files too).
func copyDataset(t *testing.T, dir string) string {
	t.Helper()
	out := t.TempDir()
	if err := os.CopyFS(out, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	return out
}

// countSteps runs op in this process and returns its steps.
func countSteps(t *testing.T, op, dir string, files []string) []string {
	var steps []string
	restore := schema.SetCommitHook(func(what string) { steps = append(steps, what) })
	defer restore()
	if err := operate(op, dir, files); err != nil {
		t.Fatal(err)
	}
	return steps
}

// globbed is every record of a dataset directory as a reader that globs
// the record set directories sees it (Parquet read with schema.ReadFile
// and parquet-go, JSON Lines as lines), by set and format, each record
// one line of JSON, sorted; and under "xlsx" the workbooks in xlsx/, each
// as its name and the SHA-256 of its bytes.
func globbed(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out := make(map[string][]string)
	books, _ := filepath.Glob(filepath.Join(dir, schema.WorkbookDir, "*"))
	for _, b := range books {
		data, err := os.ReadFile(b)
		if err != nil {
			t.Fatal(err)
		}
		out["xlsx"] = append(out["xlsx"], fmt.Sprintf("%s %x", filepath.Base(b), sha256.Sum256(data)))
	}
	for _, set := range []string{"documents", "tables", "cells", "checks", "files"} {
		for _, format := range []string{"parquet", "jsonl"} {
			root := filepath.Join(dir, set)
			if format == "jsonl" {
				root = filepath.Join(dir, "jsonl", set)
			}
			a, _ := filepath.Glob(filepath.Join(root, "*."+format))
			b, _ := filepath.Glob(filepath.Join(root, "*", "*."+format))
			var lines []string
			for _, p := range append(a, b...) {
				lines = append(lines, partLines(t, p, set)...)
			}
			slices.Sort(lines)
			out[set+"."+format] = lines
		}
	}
	return out
}

// partLines reads a part's records as lines of JSON.
func partLines(t *testing.T, p, set string) []string {
	t.Helper()
	if filepath.Ext(p) == ".jsonl" {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) == 0 {
			return nil // (a batch whose documents were all superseded)
		}
		return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	}
	var rs any
	var err error
	switch set {
	case "documents":
		rs, err = schema.ReadFile[schema.Document](p)
	case "tables":
		rs, err = schema.ReadFile[schema.Table](p)
	case "cells":
		rs, err = schema.ReadFile[schema.Cell](p)
	case "checks":
		rs, err = schema.ReadFile[schema.Check](p)
	default:
		rs, err = parquet.ReadFile[struct {
			SourceFile string `parquet:"source_file"`
			DocumentID string `parquet:"document_id"`
		}](p)
	}
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	b, _ := json.Marshal(rs)
	var items []json.RawMessage
	json.Unmarshal(b, &items)
	for _, it := range items {
		lines = append(lines, string(it))
	}
	return lines
}

// documentIDs are the document ids of lines of documents, in order.
func documentIDs(lines []string) []string {
	var ids []string
	for _, l := range lines {
		var d struct {
			A string `json:"document_id"`
			B string `json:"DocumentID"`
		}
		json.Unmarshal([]byte(l), &d)
		ids = append(ids, d.A+d.B)
	}
	return ids
}

// checkKilled checks a dataset right after a kill, as readers see it
// (got): globbing readers see no document twice and no record that is
// not in the dataset before (start) or after (done) the operation; the
// manifests hold one of the states between two commits (states).
func checkKilled(t *testing.T, got inspection, start, done map[string][]string, states []string) {
	t.Helper()
	for key, lines := range got.Records {
		if strings.HasPrefix(key, "documents.") {
			ids := documentIDs(lines)
			if len(slices.Compact(slices.Clone(ids))) != len(ids) {
				t.Errorf("%s: a document twice: %v", key, ids)
			}
		}
		for _, l := range lines {
			if !slices.Contains(start[key], l) && !slices.Contains(done[key], l) {
				t.Errorf("%s: a record of neither state: %.200s", key, l)
			}
		}
	}
	if !slices.Contains(states, got.State) {
		t.Errorf("committed documents %s, not one of\n%s", got.State, strings.Join(states, "\n"))
	}
}

// committedState is the documents of the manifests' view, with their
// status and cells, sorted: what ReadDataset sees.
func committedState(t *testing.T, dir string) string {
	t.Helper()
	docs, err := schema.ReadDataset[schema.Document](dir)
	if err != nil {
		t.Fatal(err)
	}
	cells, err := schema.ReadDataset[schema.Cell](dir)
	if err != nil {
		t.Fatal(err)
	}
	n := make(map[string]int)
	for _, c := range cells {
		n[c.DocumentID]++
	}
	var out []string
	for _, d := range docs {
		out = append(out, fmt.Sprintf("%s:%s:%d", d.DocumentID[:8], d.Status, n[d.DocumentID]))
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// checkDone checks a dataset completed after a kill (got): its records,
// read by globbing and through the manifests, are those of an
// uninterrupted operation (want), and nothing of the commit is left
// behind.
func checkDone(t *testing.T, got, want inspection) {
	t.Helper()
	for _, key := range slices.Sorted(maps.Keys(want.Records)) {
		if !slices.Equal(got.Records[key], want.Records[key]) {
			t.Errorf("%s: %d records, want %d as after an uninterrupted operation", key, len(got.Records[key]), len(want.Records[key]))
		}
	}
	if got.State != want.State {
		t.Errorf("committed %s\nwant %s", got.State, want.State)
	}
	if len(got.Left) > 0 {
		t.Errorf("left behind: %v", got.Left)
	}
}

// TestCommitKilled kills a run at each step of its commits in turn: the
// run reads three documents in two batches, each superseding a failed
// record of the first run, with a workbook each, and records their files
// in a third. After each
// kill, the next run gives exactly the records of an uninterrupted run,
// in Parquet and JSON Lines; right after the kill, readers see each
// document once at most and the manifests whole batches.
func TestCommitKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes for each step")
	}
	base, files := killSetup(t)
	start := inspect(t, base)
	ref := copyDataset(t, base)
	steps := countSteps(t, "run", ref, files)
	want := inspect(t, ref)
	states := runStates(t, base, files)
	t.Logf("%d steps; committed states %q", len(steps), states)
	if n := len(want.Records["documents.parquet"]); n != 3 || len(states) != 3 || states[2] != want.State || len(want.Records["xlsx"]) != 3 {
		t.Fatalf("%d documents, %d workbooks, states %q after the reference run", n, len(want.Records["xlsx"]), states)
	}
	for k := 1; k <= len(steps); k++ {
		t.Run(fmt.Sprintf("step%02d", k), func(t *testing.T) {
			t.Parallel()
			dir := copyDataset(t, base)
			child(t, "run", dir, files, k)
			killed, done := child(t, "run", dir, files, 0)
			checkKilled(t, killed, start.Records, want.Records, states)
			checkDone(t, done, want)
			if t.Failed() {
				t.Logf("killed at step %d of %d: %s", k, len(steps), steps[k-1])
			}
		})
	}
}

// runStates are the committed states a run from base goes through: before
// its first batch, after each.
func runStates(t *testing.T, base string, files []string) []string {
	t.Helper()
	dir := copyDataset(t, base)
	states := []string{committedState(t, dir)}
	restore := schema.SetCommitHook(func(what string) {
		if strings.HasPrefix(what, "publish ") || strings.HasPrefix(what, "rewrite ") {
			if s := committedState(t, dir); s != states[len(states)-1] {
				states = append(states, s)
			}
		}
	})
	defer restore()
	if _, err := pipeline.Run(context.Background(), dir, files, &killOptions); err != nil {
		t.Fatal(err)
	}
	return states
}

// TestCompactKilled kills a compaction at each step in turn: right after
// the kill, readers see each document once at most and the manifests all
// of it; the next compaction leaves one part per record set and
// partition with the records of an uninterrupted one.
func TestCompactKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes for each step")
	}
	base, files := killSetup(t)
	if _, err := pipeline.Run(context.Background(), base, files, &killOptions); err != nil {
		t.Fatal(err)
	}
	start := inspect(t, base)
	ref := copyDataset(t, base)
	steps := countSteps(t, "compact", ref, nil)
	want := inspect(t, ref)
	for key := range want.Records {
		if !slices.Equal(want.Records[key], start.Records[key]) {
			t.Fatalf("%s: compact changed the records", key)
		}
	}
	if parts, _ := filepath.Glob(filepath.Join(ref, "documents", "*.parquet")); len(parts) != 1 || len(want.Records["xlsx"]) != 3 {
		t.Fatalf("%d documents parts, %d workbooks after compact", len(parts), len(want.Records["xlsx"]))
	}
	t.Logf("%d steps", len(steps))
	for k := 1; k <= len(steps); k++ {
		t.Run(fmt.Sprintf("step%02d", k), func(t *testing.T) {
			t.Parallel()
			dir := copyDataset(t, base)
			child(t, "compact", dir, nil, k)
			killed, done := child(t, "compact", dir, nil, 0)
			checkKilled(t, killed, start.Records, want.Records, []string{start.State})
			checkDone(t, done, want)
			if parts, _ := filepath.Glob(filepath.Join(dir, "documents", "*.parquet")); len(parts) != 1 {
				t.Errorf("%d documents parts after compact", len(parts))
			}
			if t.Failed() {
				t.Logf("killed at step %d of %d: %s", k, len(steps), steps[k-1])
			}
		})
	}
}
