package schema

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// errStopped is the panic of stopAt: the process "killed" at a step.
var errStopped = errors.New("stopped")

// stopAt runs fn with commitHook panicking at the first step that starts
// with prefix (after skip such steps), as a process killed there would
// stop; it reports whether fn was stopped.
func stopAt(t *testing.T, prefix string, skip int, fn func() error) (stopped bool) {
	t.Helper()
	commitHook = func(what string) {
		if strings.HasPrefix(what, prefix) {
			if skip == 0 {
				panic(errStopped)
			}
			skip--
		}
	}
	defer func() {
		commitHook = nil
		if p := recover(); p != nil {
			if p != errStopped {
				panic(p)
			}
			stopped = true
		}
	}()
	if err := fn(); err != nil {
		t.Fatal(err)
	}
	return false
}

// writeBatch writes a batch of ds in both formats and commits it.
func writeBatch(dir, batch string, ds Dataset) error {
	w, err := NewPartWriter(dir, nil, batch)
	if err != nil {
		return err
	}
	if err := w.Write(ds); err != nil {
		return err
	}
	return w.Close()
}

// filesIn lists the files under dir, relative to it, sorted.
func filesIn(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, strings.TrimPrefix(p, dir+"/"))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// TestRecover: a dead run's batch stopped before its manifest is removed,
// one stopped after it is published; a live run's staging stays;
// committed batches stay.
func TestRecover(t *testing.T) {
	dir := t.TempDir()
	ds := Dataset{Documents: sampleDocs()[:1], Cells: sampleCells()}
	if err := writeBatch(dir, "done.1-000001", ds); err != nil {
		t.Fatal(err)
	}
	other := Dataset{Documents: sampleDocs()[1:]}
	if !stopAt(t, "rename "+manifestPath(dir, "dead.2-000001"), 0, func() error { return writeBatch(dir, "dead.2-000001", ds) }) {
		t.Fatal("not stopped before the commit")
	}
	if !stopAt(t, "publish ", 1, func() error { return writeBatch(dir, "dead.2-000002", other) }) {
		t.Fatal("not stopped in the publication")
	}
	if !stopAt(t, "finish ", 0, func() error { return writeBatch(dir, "live.3-000001", ds) }) {
		t.Fatal("not stopped in the staging")
	}
	// A reader sees the committed batches, the unpublished one included.
	docs, err := ReadDataset[Document](dir) // (dead.2 sorts before done.1)
	if err != nil || len(docs) != 2 || docs[0].DocumentID != sampleDocs()[1].DocumentID || docs[1].DocumentID != docID {
		t.Fatalf("before recovery: %d documents, %v", len(docs), err)
	}

	n, err := recoverDir(dir, func(run string) bool { return run == "live.3" })
	if err != nil || n != 2 { // dead.2-000001's staging and its temporary manifest
		t.Errorf("removed %d, %v; want 2", n, err)
	}
	want := []string{
		"cells/fiscal_year=2024/part-done.1-000001.parquet",
		"documents/part-dead.2-000002.parquet",
		"documents/part-done.1-000001.parquet",
		"jsonl/cells/fiscal_year=2024/part-done.1-000001.jsonl",
		"jsonl/documents/part-dead.2-000002.jsonl",
		"jsonl/documents/part-done.1-000001.jsonl",
		"manifests/dead.2-000002.json",
		"manifests/done.1-000001.json",
		"staging/live.3-000001/cells%2Ffiscal_year=2024%2Fpart-live.3-000001.parquet",
		"staging/live.3-000001/documents%2Fpart-live.3-000001.parquet",
		"staging/live.3-000001/jsonl%2Fcells%2Ffiscal_year=2024%2Fpart-live.3-000001.jsonl",
		"staging/live.3-000001/jsonl%2Fdocuments%2Fpart-live.3-000001.jsonl",
	}
	if got := filesIn(dir); !slices.Equal(got, want) {
		t.Errorf("after recovery:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	cells, err := ReadDataset[Cell](dir)
	if err != nil || len(cells) != len(sampleCells()) {
		t.Errorf("ReadDataset: %d cells (want only the committed batch's %d), %v", len(cells), len(sampleCells()), err)
	}
}

// TestDamagedParts: a damaged part or manifest is an error naming it,
// never a panic.
func TestDamagedParts(t *testing.T) {
	dir := t.TempDir()
	for i, batch := range []string{"r-000001", "r-000002"} {
		if err := writeBatch(dir, batch, Dataset{Documents: sampleDocs()[i : i+1], Cells: sampleCells()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := writeBatch(dir, "r-000003", Dataset{Files: []FileRef{{"a.pdf", docID}}}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"documents/part-r-000001.parquet", "files/part-r-000003.parquet"} {
		path := filepath.Join(dir, p)
		data, _ := os.ReadFile(path)
		os.WriteFile(path, data[:len(data)/2], 0o644)
	}
	r, err := OpenRun(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Compact(); err == nil || !strings.Contains(err.Error(), "part-r-000001.parquet") {
		t.Errorf("Compact: %v", err)
	}
	if _, err := ReadFileRefs(dir); err == nil || !strings.Contains(err.Error(), "part-r-000003.parquet") {
		t.Errorf("ReadFileRefs: %v", err)
	}
	if _, err := ReadDataset[Document](dir); err == nil {
		t.Errorf("ReadDataset: no error")
	}
	os.WriteFile(manifestPath(dir, "r-000002"), []byte(`{"version":1,"batch":"r-000002","parts":["../../etc/passwd"]}`), 0o644)
	if _, err := ReadDataset[Cell](dir); err == nil || !strings.Contains(err.Error(), "r-000002.json: part \"../../etc/passwd\" is not a part of the batch") {
		t.Errorf("ReadDataset, manifest naming another file: %v", err)
	}
}

// FuzzDatasetParts: whatever bytes a part file or a manifest holds,
// reading, recovering and compacting the dataset give errors, never a
// panic.
func FuzzDatasetParts(f *testing.F) {
	seed := t0Dataset(f)
	names := []string{"documents/part-r-000001.parquet", "cells/fiscal_year=2024/part-r-000001.parquet", "files/part-r-000002.parquet", "jsonl/files/part-r-000002.jsonl", "manifests/r-000001.json"}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(seed, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(name, data)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		dir := t.TempDir()
		if err := os.CopyFS(dir, os.DirFS(seed)); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(names, name) {
			name = names[0]
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		ReadDataset[Document](dir)
		ReadDataset[Cell](dir)
		ReadFileRefs(dir)
		recoverDir(dir, func(string) bool { return false })
		if r, err := OpenRun(dir, false); err == nil {
			r.Compact()
			r.Close()
		}
	})
}

// t0Dataset writes a small dataset directory: one batch and a files batch.
func t0Dataset(tb testing.TB) string {
	dir := tb.TempDir()
	doc := sampleDocs()[0]
	if err := writeBatch(dir, "r-000001", Dataset{Documents: []Document{doc}, Cells: sampleCells()}); err != nil {
		tb.Fatal(err)
	}
	if err := writeBatch(dir, "r-000002", Dataset{Files: []FileRef{{"a.pdf", doc.DocumentID}}}); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// TestRecoverOrphans: the parts of a dead run that no manifest lists (as
// a -force stopped after removing some manifests leaves them) are
// removed; the batches with their manifest stay whole.
func TestRecoverOrphans(t *testing.T) {
	dir := t0Dataset(t)
	if err := os.Remove(manifestPath(dir, "r-000002")); err != nil {
		t.Fatal(err)
	}
	n, err := recoverDir(dir, func(string) bool { return false })
	if err != nil || n != 2 {
		t.Errorf("removed %d, %v; want the files parts of r-000002 in both formats", n, err)
	}
	want := []string{
		"cells/fiscal_year=2024/part-r-000001.parquet",
		"documents/part-r-000001.parquet",
		"jsonl/cells/fiscal_year=2024/part-r-000001.jsonl",
		"jsonl/documents/part-r-000001.jsonl",
		"manifests/r-000001.json",
	}
	if got := filesIn(dir); !slices.Equal(got, want) {
		t.Errorf("after recovery: %q", got)
	}
}

// TestAdoptLegacy: a dataset directory of an older budgetpdf (no
// manifests) is brought up to date when a run opens it: whole batches get
// a manifest, their failed documents without id their path's id; a batch
// whose renames were cut short (a documents part in JSON Lines only, as
// the older commit left it, or a temporary left) is removed.
func TestAdoptLegacy(t *testing.T) {
	dir := t.TempDir()
	failed := Document{SourceFile: "gone.pdf", Status: StatusFailed, Error: "gone"}
	for _, b := range []struct {
		batch string
		ds    Dataset
	}{
		{"old.1-000001", Dataset{Documents: sampleDocs()[:1], Cells: sampleCells()}},
		{"old.1-000002", Dataset{Documents: sampleDocs()[1:]}},
		{"old.1-000003", Dataset{Files: []FileRef{{"gone.pdf", ""}, {"a.pdf", docID}}}},
		{"old.2-000001", Dataset{Documents: []Document{failed}}},
		{"old.3-000001", Dataset{Documents: sampleDocs()[1:]}},
	} {
		if err := writeBatch(dir, b.batch, b.ds); err != nil {
			t.Fatal(err)
		}
	}
	os.RemoveAll(filepath.Join(dir, "manifests"))
	os.Remove(filepath.Join(dir, "documents/part-old.1-000002.parquet"))
	os.Rename(filepath.Join(dir, "documents/part-old.3-000001.parquet"), filepath.Join(dir, "documents/.part-old.3-000001.parquet.123.tmp"))
	if _, err := ReadDataset[Document](dir); !errors.Is(err, ErrOldFormat) {
		t.Errorf("before: %v", err)
	}

	r, err := OpenRun(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	want := []string{
		"cells/fiscal_year=2024/part-old.1-000001.parquet",
		"documents/part-old.1-000001.parquet",
		"documents/part-old.2-000001.parquet",
		"files/part-old.1-000003.parquet",
		"jsonl/cells/fiscal_year=2024/part-old.1-000001.jsonl",
		"jsonl/documents/part-old.1-000001.jsonl",
		"jsonl/documents/part-old.2-000001.jsonl",
		"jsonl/files/part-old.1-000003.jsonl",
		"manifests/old.1-000001.json",
		"manifests/old.1-000003.json",
		"manifests/old.2-000001.json",
		"runs/dataset.lock",
	}
	if got := filesIn(dir); !slices.Equal(got, want) {
		t.Errorf("after:\n%s", strings.Join(got, "\n"))
	}
	docs, err := ReadDataset[Document](dir)
	if err != nil || len(docs) != 2 || docs[0].DocumentID != docID || docs[1].DocumentID != PathID("gone.pdf") {
		t.Fatalf("%+v, %v", docs, err)
	}
	refs, err := ReadFileRefs(dir)
	if err != nil || len(refs) != 2 || refs[0] != (FileRef{"gone.pdf", PathID("gone.pdf")}) {
		t.Errorf("files: %v, %v", refs, err)
	}
	for _, p := range []string{"jsonl/documents/part-old.2-000001.jsonl", "jsonl/files/part-old.1-000003.jsonl"} {
		if data, _ := os.ReadFile(filepath.Join(dir, p)); !strings.Contains(string(data), `"document_id":"`+PathID("gone.pdf")+`"`) {
			t.Errorf("%s: %s", p, data)
		}
	}
}
