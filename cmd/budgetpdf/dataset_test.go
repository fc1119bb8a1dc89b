package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/budgetpdf/budgetpdf/schema"
)

// parquetDocumentIDs reads documents/*.parquet as a reader globbing it
// does, and returns the ids, sorted.
func parquetDocumentIDs(t *testing.T, dir string) []string {
	t.Helper()
	var ids []string
	for _, p := range partFiles(t, dir, "documents", ".parquet") {
		docs, err := schema.ReadFile[schema.Document](p)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			ids = append(ids, d.DocumentID)
		}
	}
	slices.Sort(ids)
	return ids
}

// readCount is how many documents a run's summary says it read.
var readCount = regexp.MustCompile(`(?m)^(\d+) documents .* written to `)

// TestRunConcurrent: two unsharded runs writing into one dataset at once,
// started together or the second after the first committed two batches,
// read each document once (they claim what they read) and give the
// records of one run, in both formats.
func TestRunConcurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	_, files := distinctCopies(t, 4)
	whole := t.TempDir()
	if out, err := exec.Command(bin, append([]string{"run", "-quiet", "-o", whole}, files...)...).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	want := sortedRecords(t, whole)
	for _, after := range []int{0, 2} {
		out := t.TempDir()
		start := func() (*exec.Cmd, *bytes.Buffer) {
			cmd := exec.Command(bin, append([]string{"run", "-quiet", "-workers", "1", "-part-size", "4", "-o", out}, files...)...)
			var stdout bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stdout
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			return cmd, &stdout
		}
		a, aout := start()
		for deadline := time.Now().Add(time.Minute); len(partFiles(t, out, "documents", ".parquet")) < after && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		b, bout := start()
		if err := errors.Join(a.Wait(), b.Wait()); err != nil {
			t.Fatalf("second run after %d batches: %v\n%s\n%s", after, err, aout, bout)
		}
		read := 0
		for _, s := range []string{aout.String(), bout.String()} {
			m := readCount.FindStringSubmatch(s)
			if m == nil {
				t.Fatalf("no summary: %q", s)
			}
			var n int
			fmt.Sscan(m[1], &n)
			read += n
		}
		t.Logf("second run after %d batches:\n%s%s", after, aout, bout)
		if read != len(files) {
			t.Errorf("second run after %d batches: %d documents read in all, want %d", after, read, len(files))
		}
		if got := sortedRecords(t, out); got != want {
			t.Errorf("second run after %d batches: the dataset differs from one run's", after)
		}
		if ids := parquetDocumentIDs(t, out); len(ids) != len(files) || len(slices.Compact(ids)) != len(files) {
			t.Errorf("second run after %d batches: %d documents in Parquet, %d distinct; want %d", after, len(ids), len(slices.Compact(ids)), len(files))
		}
	}
}

// TestCompactDuplicates: compact removes the documents a dataset holds
// twice, as two runs of an older budgetpdf made them: written by hand
// through the writer, or a dataset of an older budgetpdf (no manifests)
// with every batch twice and a failed document without id.
func TestCompactDuplicates(t *testing.T) {
	_, files := distinctCopies(t, 1)
	files = append(files, "../../extract/testdata/broken/truncated.pdf")
	whole := t.TempDir()
	runCLI(append([]string{"run", "-quiet", "-part-size", "4", "-o", whole}, files...)...)
	want := sortedRecords(t, whole)

	dup := t.TempDir()
	if err := os.CopyFS(dup, os.DirFS(whole)); err != nil {
		t.Fatal(err)
	}
	again := recordsOf(t, whole, 3)
	w, err := schema.NewPartWriter(dup, nil, "zzzzzzzzzzzz.1-000001")
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(w.Write(again), w.Close()); err != nil {
		t.Fatal(err)
	}
	if ids := parquetDocumentIDs(t, dup); len(ids) != len(files)+3 {
		t.Fatalf("%d documents in the parts, want %d", len(ids), len(files)+3)
	}
	if docs, err := schema.ReadDataset[schema.Document](dup); err != nil || len(docs) != len(files) {
		t.Errorf("ReadDataset: %d documents, %v; want each once", len(docs), err)
	}
	if code, stdout, stderr := runCLI("compact", dup); code != 0 {
		t.Fatalf("compact: %s %s", stdout, stderr)
	}
	if got := sortedRecords(t, dup); got != want {
		t.Errorf("after compact, the records differ from one run's")
	}

	old := olderDataset(t, whole)
	if code, _, stderr := runCLI("check", old); code == 0 || !strings.Contains(stderr, "older budgetpdf") {
		t.Errorf("check on an older dataset: exit %d, %q", code, stderr)
	}
	if code, stdout, stderr := runCLI("compact", old); code != 0 {
		t.Fatalf("compact: %s %s", stdout, stderr)
	}
	docs, err := schema.ReadDataset[schema.Document](old)
	if err != nil || len(docs) != len(files)+1 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	gone := docs[slices.IndexFunc(docs, func(d schema.Document) bool { return d.SourceFile == "gone.pdf" })]
	if gone.DocumentID != schema.PathID("gone.pdf") || gone.Status != schema.StatusFailed {
		t.Errorf("the failed document of the older dataset: %+v", gone)
	}
	if got := withoutLines(sortedRecords(t, old), "gone.pdf"); got != withoutLines(want, "gone.pdf") {
		t.Errorf("after compact, the older dataset's records differ from one run's")
	}
	if ids := parquetDocumentIDs(t, old); len(ids) != len(files)+1 {
		t.Errorf("%d documents parts, want %d", len(ids), len(files)+1)
	}
}

// recordsOf are the records of the first n documents of a dataset.
func recordsOf(t *testing.T, dir string, n int) schema.Dataset {
	t.Helper()
	docs, err := schema.ReadDataset[schema.Document](dir)
	tables, err2 := schema.ReadDataset[schema.Table](dir)
	cells, err3 := schema.ReadDataset[schema.Cell](dir)
	checks, err4 := schema.ReadDataset[schema.Check](dir)
	inds, err5 := schema.ReadDataset[schema.Indicator](dir)
	fields, err6 := schema.ReadDataset[schema.FormField](dir)
	if err := errors.Join(err, err2, err3, err4, err5, err6); err != nil {
		t.Fatal(err)
	}
	ds := schema.Dataset{Documents: docs[:n]}
	keep := func(id string) bool {
		return slices.ContainsFunc(ds.Documents, func(d schema.Document) bool { return d.DocumentID == id })
	}
	for _, x := range tables {
		if keep(x.DocumentID) {
			ds.Tables = append(ds.Tables, x)
		}
	}
	for _, x := range cells {
		if keep(x.DocumentID) {
			ds.Cells = append(ds.Cells, x)
		}
	}
	for _, x := range checks {
		if keep(x.DocumentID) {
			ds.Checks = append(ds.Checks, x)
		}
	}
	for _, x := range inds {
		if keep(x.DocumentID) {
			ds.Indicators = append(ds.Indicators, x)
		}
	}
	for _, x := range fields {
		if keep(x.DocumentID) {
			ds.FormFields = append(ds.FormFields, x)
		}
	}
	return ds
}

// olderDataset makes of a dataset directory one as an older budgetpdf
// wrote it: its parts without manifests, each batch twice (under a second
// run's name), and a batch with a failed document recorded with the id "".
func olderDataset(t *testing.T, dir string) string {
	t.Helper()
	old := t.TempDir()
	gone := schema.Dataset{
		Documents: []schema.Document{{SourceFile: "gone.pdf", Status: schema.StatusFailed, Error: "open gone.pdf: no such file or directory"}},
		Files:     []schema.FileRef{{SourceFile: "gone.pdf"}},
	}
	w, err := schema.NewPartWriter(old, nil, "dncv00000001.1-000001")
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(w.Write(gone), w.Close()); err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		if err != nil || d.IsDir() || !strings.HasPrefix(d.Name(), "part-") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, run := range []string{"dncv00000002.2", "dncv00000003.3"} {
			name := regexp.MustCompile(`^part-[0-9a-z]+\.[0-9]+-`).ReplaceAllString(d.Name(), "part-"+run+"-")
			to := filepath.Join(old, filepath.Dir(rel), name)
			if err := errors.Join(os.MkdirAll(filepath.Dir(to), 0o755), os.WriteFile(to, data, 0o644)); err != nil {
				return err
			}
		}
		return nil
	})
	if err := errors.Join(err, os.RemoveAll(filepath.Join(old, "manifests")), os.RemoveAll(filepath.Join(old, "staging"))); err != nil {
		t.Fatal(err)
	}
	return old
}

// withoutLines drops the lines of sortedRecords holding s, and the
// counts.
func withoutLines(text, s string) string {
	count := regexp.MustCompile(`^[a-z]+: \d+$`)
	lines := strings.Split(text, "\n")
	return strings.Join(slices.DeleteFunc(lines, func(l string) bool { return strings.Contains(l, s) || count.MatchString(l) }), "\n")
}
