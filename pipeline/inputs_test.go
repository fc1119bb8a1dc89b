package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/budgetpdf/budgetpdf/schema"
)

// TestRunNotRegular: a FIFO named *.pdf in a crawl's directory is a failed
// input, at once: it is not opened to wait for a writer.
func TestRunNotRegular(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("mkfifo: Linux")
	}
	fifo := filepath.Join(t.TempDir(), "pipe.pdf")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	got, _, err := isolatedRun(t, ctx, []string{fifo, ruled}, &RunOptions{Workers: 1}) // (in this process)
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 30*time.Second {
		t.Errorf("took %v", el)
	}
	if d := got[fifo]; d.Status != schema.StatusFailed || d.Error != fifo+": not a regular file (p---------)" || d.DocumentID != schema.PathID(fifo) {
		t.Errorf("the FIFO: %+v", d)
	}
	if d := got[ruled]; d.Status != schema.StatusOK {
		t.Errorf("the file after it: %s %q", d.Status, d.Error)
	}
}

// TestRunChangedFile: a file rewritten after it was hashed and before it
// was read (a crawler replacing it) is recorded as failed, "changed while
// the run read it", under the id of the bytes hashed: never the records
// of the new bytes under the old bytes' id. The next run reads it again.
func TestRunChangedFile(t *testing.T) {
	in, dir := t.TempDir(), t.TempDir()
	first, _ := os.ReadFile(twoPage) // the larger: read first
	old, _ := os.ReadFile(scanned)
	a, b := filepath.Join(in, "a.pdf"), filepath.Join(in, "b.pdf")
	if len(first) <= len(old) {
		t.Fatalf("%s must be the larger file", twoPage)
	}
	if os.WriteFile(a, first, 0o644) != nil || os.WriteFile(b, old, 0o644) != nil {
		t.Fatal("writing the inputs")
	}
	oldID, _, _, err := fileID(b, b)
	if err != nil {
		t.Fatal(err)
	}
	replacement, _ := os.ReadFile(ruled)
	opts := &RunOptions{Workers: 1, OnDocument: func(i, n int, r *Result) error {
		if r.Document.SourceFile == a {
			return os.WriteFile(b, replacement, 0o644) // the crawler rewrites b.pdf
		}
		return nil
	}}
	if _, err := Run(context.Background(), dir, []string{a, b}, opts); err != nil {
		t.Fatal(err)
	}
	docs, err := schema.ReadDataset[schema.Document](dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.SourceFile == b && (d.Status != schema.StatusFailed || d.DocumentID != oldID || !strings.HasPrefix(d.Error, b+": changed while the run read it")) {
			t.Errorf("b.pdf: %s %s %q, want failed under %s", d.Status, d.DocumentID, d.Error, oldID)
		}
	}
	// The next run reads the new bytes.
	if _, err := Run(context.Background(), dir, []string{a, b}, nil); err != nil {
		t.Fatal(err)
	}
	newID, _, _, _ := fileID(b, b)
	docs, _ = schema.ReadDataset[schema.Document](dir)
	found := false
	for _, d := range docs {
		found = found || d.SourceFile == b && d.DocumentID == newID && d.Status == schema.StatusOK
	}
	if !found {
		t.Errorf("the next run did not read b.pdf's new bytes (%s): %+v", newID, docs)
	}
}
