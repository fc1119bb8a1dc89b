package schema

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRecover: the uncommitted parts and temporaries of a dead run go, a
// live run's stay, committed batches stay.
func TestRecover(t *testing.T) {
	dir := t.TempDir()
	write := func(batch string, commit bool) {
		w, err := NewPartWriter(dir, nil, batch)
		if err != nil {
			t.Fatal(err)
		}
		ds := Dataset{Cells: sampleCells()}
		if commit {
			ds.Documents = sampleDocs()[:1]
		}
		if err := w.Write(ds); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	write("done.1-000001", true)
	write("dead.2-000001", false) // killed between its data parts and its documents part
	write("live.3-000001", false) // still writing
	os.WriteFile(filepath.Join(dir, "cells", ".part-dead.2-000002.parquet.123.tmp"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "cells", ".part-live.3-000002.parquet.456.tmp"), []byte("x"), 0o644)

	n, err := recoverDir(dir, func(run string) bool { return run == "live.3" })
	if err != nil || n != 3 { // dead's cells part in both formats and its temporary
		t.Errorf("removed %d, %v; want 3", n, err)
	}
	var left []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, strings.TrimPrefix(p, dir+"/"))
		}
		return nil
	})
	slices.Sort(left)
	for _, f := range left {
		if strings.Contains(f, "dead.2") {
			t.Errorf("left behind: %s", f)
		}
	}
	for _, f := range []string{"documents/part-done.1-000001.parquet", "cells/.part-live.3-000002.parquet.456.tmp"} {
		if !slices.Contains(left, f) {
			t.Errorf("removed %s; left %v", f, left)
		}
	}
	cells, err := ReadDataset[Cell](dir)
	if err != nil || len(cells) != len(sampleCells()) {
		t.Errorf("ReadDataset: %d cells (want only the committed batch's %d), %v", len(cells), len(sampleCells()), err)
	}
}

// TestDamagedParts: a damaged part is an error naming it, never a panic.
func TestDamagedParts(t *testing.T) {
	dir := t.TempDir()
	for i, batch := range []string{"r-000001", "r-000002"} {
		w, err := NewPartWriter(dir, nil, batch)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(Dataset{Documents: sampleDocs()[i : i+1], Cells: sampleCells()}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFileRefs(dir, nil, "r-000003", []FileRef{{"a.pdf", docID}}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"documents/part-r-000001.parquet", "files/part-r-000003.parquet"} {
		path := filepath.Join(dir, p)
		data, _ := os.ReadFile(path)
		os.WriteFile(path, data[:len(data)/2], 0o644)
	}
	if _, err := compact(dir, "c-000001"); err == nil || !strings.Contains(err.Error(), "part-r-000001.parquet") {
		t.Errorf("Compact: %v", err)
	}
	if _, err := ReadFileRefs(dir); err == nil || !strings.Contains(err.Error(), "part-r-000003.parquet") {
		t.Errorf("ReadFileRefs: %v", err)
	}
	if _, err := ReadDataset[Document](dir); err == nil {
		t.Errorf("ReadDataset: no error")
	}
}

// FuzzDatasetParts: whatever bytes a part file holds, reading, recovering
// and compacting the dataset give errors, never a panic.
func FuzzDatasetParts(f *testing.F) {
	seed := t0Dataset(f)
	for _, name := range []string{"documents/part-r-000001.parquet", "cells/fiscal_year=2024/part-r-000001.parquet", "files/part-r-000002.parquet", "jsonl/files/part-r-000002.jsonl"} {
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
		if !slices.Contains([]string{"documents/part-r-000001.parquet", "cells/fiscal_year=2024/part-r-000001.parquet", "files/part-r-000002.parquet", "jsonl/files/part-r-000002.jsonl"}, name) {
			name = "documents/part-r-000001.parquet"
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		ReadDataset[Document](dir)
		ReadDataset[Cell](dir)
		ReadFileRefs(dir)
		recoverDir(dir, func(string) bool { return false })
		compact(dir, "c-000001")
	})
}

// t0Dataset writes a small dataset directory: one batch and a files part.
func t0Dataset(tb testing.TB) string {
	dir := tb.TempDir()
	w, err := NewPartWriter(dir, nil, "r-000001")
	if err != nil {
		tb.Fatal(err)
	}
	doc := sampleDocs()[0]
	if err := w.Write(Dataset{Documents: []Document{doc}, Cells: sampleCells()}); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := WriteFileRefs(dir, nil, "r-000002", []FileRef{{"a.pdf", doc.DocumentID}}); err != nil {
		tb.Fatal(err)
	}
	return dir
}
