package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/budgetpdf/budgetpdf/internal/variants"
	"github.com/budgetpdf/budgetpdf/schema"
)

// TestCorpusVariantCells is TestCorpusVariants of package extract through
// the whole pipeline: every text-layer file of $BUDGETPDF_CORPUS (make
// corpus) and its variants in one batch read in worker processes, with
// -password user. Wherever pdftotext reads a variant as it reads the
// original (exit status 0, the same text), the variant's tables and cells
// must be the original's, its status too. It skips without the corpus,
// qpdf or pdftotext.
func TestCorpusVariantCells(t *testing.T) {
	dir := os.Getenv("BUDGETPDF_CORPUS")
	if dir == "" {
		t.Skip("BUDGETPDF_CORPUS not set (make corpus sets it)")
	}
	for _, tool := range []string{"qpdf", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	originals, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	tmp := t.TempDir()
	files := append([]string(nil), originals...)
	for _, f := range originals {
		for _, v := range variants.All {
			out := filepath.Join(tmp, strings.TrimSuffix(filepath.Base(f), ".pdf")+"."+v.Name+".pdf")
			if err := v.Make(f, out); err != nil {
				t.Fatal(err)
			}
			files = append(files, out)
		}
	}
	start := time.Now()
	got := corpusRecords(t, files)
	t.Logf("%d files read in worker processes in %v", len(files), time.Since(start).Round(time.Millisecond))
	compareVariants(t, originals, tmp, got)
}

// corpusRecords reads files in an isolated batch and returns a digest of
// each file's records: its status, tables and cells, without the
// document's id and path.
func corpusRecords(t *testing.T, files []string) map[string]string {
	var mu sync.Mutex
	digests := make(map[string]string)
	opts := &RunOptions{Workers: 2, Password: "user", Isolate: testIsolation(0), OnDocument: func(i, n int, r *Result) error {
		h := sha256.New()
		fmt.Fprintln(h, r.Document.Status)
		for _, tb := range r.Tables {
			tb.DocumentID = ""
			json.NewEncoder(h).Encode(tb)
		}
		for _, c := range r.Cells {
			c.DocumentID, c.SourceFile = "", ""
			json.NewEncoder(h).Encode(c)
		}
		mu.Lock()
		defer mu.Unlock()
		digests[r.Document.SourceFile] = fmt.Sprintf("%s %d tables %d cells %x", r.Document.Status, len(r.Tables), len(r.Cells), h.Sum(nil)[:8])
		if r.Document.Status == schema.StatusFailed {
			digests[r.Document.SourceFile] += " " + r.Document.Error
		}
		return nil
	}}
	if _, err := Run(context.Background(), t.TempDir(), files, opts); err != nil {
		t.Fatal(err)
	}
	return digests
}

// compareVariants counts, variant by variant, the files pdftotext reads as
// their original and those we read with the original's records, and
// fails where pdftotext reads one and we do not.
func compareVariants(t *testing.T, originals []string, tmp string, got map[string]string) {
	type count struct{ poppler, ours, popplerOnly int }
	counts := make([]count, len(variants.All))
	textFiles := 0
	for _, f := range originals {
		want := got[f]
		if strings.HasPrefix(want, schema.StatusNoTextLayer) {
			continue
		}
		textFiles++
		popplerWant, err := variants.PDFToText(f, "")
		if err != nil {
			t.Errorf("%s: pdftotext reads the original: %v", f, err)
			continue
		}
		for i, v := range variants.All {
			out := filepath.Join(tmp, strings.TrimSuffix(filepath.Base(f), ".pdf")+"."+v.Name+".pdf")
			text, err := variants.PDFToText(out, v.Password)
			popplerReads, oursReads := err == nil && text == popplerWant, got[out] == want
			if popplerReads {
				counts[i].poppler++
			}
			if oursReads {
				counts[i].ours++
			}
			if popplerReads && !oursReads {
				counts[i].popplerOnly++
				t.Errorf("%s: pdftotext reads it, we do not give the original's records:\n%s\nwant %s", filepath.Base(out), got[out], want)
			}
		}
	}
	var sum count
	for i, v := range variants.All {
		c := counts[i]
		sum.poppler, sum.ours, sum.popplerOnly = sum.poppler+c.poppler, sum.ours+c.ours, sum.popplerOnly+c.popplerOnly
		t.Logf("%-22s pdftotext reads %2d/%d, budgetpdf gives the original's cells %2d/%d, pdftotext only %d", v.Name, c.poppler, textFiles, c.ours, textFiles, c.popplerOnly)
	}
	t.Logf("TOTAL %d text-layer files x %d variants = %d: pdftotext reads %d, budgetpdf gives the original's cells for %d, pdftotext only %d",
		textFiles, len(variants.All), textFiles*len(variants.All), sum.poppler, sum.ours, sum.popplerOnly)
}
