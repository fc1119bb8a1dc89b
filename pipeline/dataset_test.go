package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/budgetpdf/budgetpdf/schema"
)

// documentsParts reads every documents record of a dataset directory as a
// reader globbing documents/*.parquet does, one line each: file, status
// and whether the id is the file's hash (hash), its path's (path) or
// another.
func documentsParts(t *testing.T, dir string) []string {
	t.Helper()
	parts, _ := filepath.Glob(filepath.Join(dir, "documents", "*.parquet"))
	var out []string
	for _, p := range parts {
		docs, err := schema.ReadFile[schema.Document](p)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			kind := "other"
			if id, _, _, err := fileID(d.SourceFile, d.SourceFile); err == nil && id == d.DocumentID {
				kind = "hash"
			} else if d.DocumentID == schema.PathID(d.SourceFile) {
				kind = "path"
			}
			out = append(out, fmt.Sprintf("%s %s %s", filepath.Base(d.SourceFile), d.Status, kind))
		}
	}
	slices.Sort(out)
	return out
}

// TestRunFailedReadAgain: failed documents have ids of their own (the
// hash of the file, or of its path when it cannot be read); the next run
// reads them again, and their new records supersede the old ones, which
// no reader sees any more; documents read whole are not read again.
func TestRunFailedReadAgain(t *testing.T) {
	in, dir := t.TempDir(), t.TempDir()
	big, missing, ok := filepath.Join(in, "big.pdf"), filepath.Join(in, "missing.pdf"), filepath.Join(in, "ok.pdf")
	for _, f := range [][2]string{{twoPage, big}, {scanned, ok}} {
		data, err := os.ReadFile(f[0])
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(f[1], data, 0o644)
	}
	files := []string{big, missing, ok}
	sum, err := Run(context.Background(), dir, files, &RunOptions{Workers: 1, MaxSize: 100 << 10})
	if err != nil || sum.Status[schema.StatusFailed] != 2 {
		t.Fatalf("first run: %+v, %v", sum, err)
	}
	want := []string{"big.pdf failed hash", "missing.pdf failed path", "ok.pdf no_text_layer hash"}
	if got := documentsParts(t, dir); !slices.Equal(got, want) {
		t.Errorf("first run: %q, want %q", got, want)
	}

	// missing.pdf now there (a copy of the ruled seed), big.pdf within
	// -max-size: both read again, each record replacing the failed one.
	data, _ := os.ReadFile(ruled)
	os.WriteFile(missing, data, 0o644)
	sum, err = Run(context.Background(), dir, files, &RunOptions{Workers: 1})
	if err != nil || sum.Skipped != 1 || sum.Documents != 2 || sum.Status[schema.StatusOK] != 2 {
		t.Fatalf("second run: %+v, %v", sum, err)
	}
	want = []string{"big.pdf ok hash", "missing.pdf ok hash", "ok.pdf no_text_layer hash"}
	if got := documentsParts(t, dir); !slices.Equal(got, want) {
		t.Errorf("second run: %q, want %q", got, want)
	}
	ids, err := schema.DocumentIDs(dir)
	if err != nil || len(ids) != 3 {
		t.Errorf("DocumentIDs: %v, %v", ids, err)
	}
	// files keeps every path with the document it held when given:
	// missing.pdf under its path's id, then under its hash.
	refs, err := schema.ReadFileRefs(dir)
	var paths []string
	for _, r := range refs {
		kind := "hash"
		if r.DocumentID == schema.PathID(r.SourceFile) {
			kind = "path"
		}
		paths = append(paths, filepath.Base(r.SourceFile)+" "+kind)
	}
	if want := []string{"big.pdf hash", "missing.pdf path", "ok.pdf hash", "missing.pdf hash"}; err != nil || !slices.Equal(paths, want) {
		t.Errorf("files: %q, %v; want %q", paths, err, want)
	}
	if sum, err = Run(context.Background(), dir, files, &RunOptions{Workers: 1}); err != nil || sum.Documents != 0 {
		t.Errorf("third run: %+v, %v", sum, err)
	}

	// A document that fails again is read again, its record replacing
	// its last one.
	broken := "../extract/testdata/broken/truncated.pdf"
	for range 2 {
		if sum, err = Run(context.Background(), dir, []string{broken}, &RunOptions{Workers: 1}); err != nil || sum.Documents != 1 || sum.Status[schema.StatusFailed] != 1 {
			t.Errorf("broken file: %+v, %v", sum, err)
		}
	}
	n := 0
	for _, d := range documentsParts(t, dir) {
		if strings.HasPrefix(d, "truncated.pdf failed hash") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("a failed document read twice: %d records, want 1: %q", n, documentsParts(t, dir))
	}
}
