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

	n, err := Recover(dir, func(run string) bool { return run == "live.3" })
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
