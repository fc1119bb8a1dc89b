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

	"github.com/budgetpdf/budgetpdf/schema"
)

// corpusVariant is a way to rewrite a corpus file that poppler still
// reads: with qpdf, or by hand.
type corpusVariant struct {
	name     string
	qpdf     []string            // qpdf arguments before IN OUT
	hand     func([]byte) []byte // or a change made by hand
	password string              // pdftotext -upw (the batch has RunOptions.Password "user" for all)
}

// corpusVariants are the variants of extract's TestCorpusVariants: AES-256
// and 40-bit RC4 with an owner password only, AES-128 with the user
// password "user" (given with RunOptions.Password), object streams,
// linearized, junk before the header, every offset 100 bytes off.
var corpusVariants = []corpusVariant{
	{name: "aes256-owner-only", qpdf: []string{"--encrypt", "", "owner", "256", "--"}},
	{name: "rc4-40-owner-only", qpdf: []string{"--allow-weak-crypto", "--encrypt", "", "owner", "40", "--"}},
	{name: "aes128-user-password", qpdf: []string{"--encrypt", "user", "owner", "128", "--use-aes=y", "--"}, password: "user"},
	{name: "object-streams", qpdf: []string{"--object-streams=generate"}},
	{name: "linearized", qpdf: []string{"--linearize"}},
	{name: "junk-prefix", hand: func(b []byte) []byte {
		return append([]byte("<html><body>Download starts...</body></html>\r\n"), b...)
	}},
	{name: "xref-shifted-100", hand: func(b []byte) []byte {
		i := strings.IndexAny(string(b), "\r\n") + 1
		for i < len(b) && (b[i] == '\r' || b[i] == '\n') {
			i++
		}
		pad := "%" + strings.Repeat("x", 98) + "\n"
		return append(append(append([]byte(nil), b[:i]...), pad...), b[i:]...)
	}},
}

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
		for _, v := range corpusVariants {
			out := filepath.Join(tmp, strings.TrimSuffix(filepath.Base(f), ".pdf")+"."+v.name+".pdf")
			if err := makeVariant(f, out, v); err != nil {
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
	counts := make([]count, len(corpusVariants))
	textFiles := 0
	for _, f := range originals {
		want := got[f]
		if strings.HasPrefix(want, schema.StatusNoTextLayer) {
			continue
		}
		textFiles++
		popplerWant, err := pdftotext(f, "")
		if err != nil {
			t.Errorf("%s: pdftotext reads the original: %v", f, err)
			continue
		}
		for i, v := range corpusVariants {
			out := filepath.Join(tmp, strings.TrimSuffix(filepath.Base(f), ".pdf")+"."+v.name+".pdf")
			text, err := pdftotext(out, v.password)
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
	for i, v := range corpusVariants {
		c := counts[i]
		sum.poppler, sum.ours, sum.popplerOnly = sum.poppler+c.poppler, sum.ours+c.ours, sum.popplerOnly+c.popplerOnly
		t.Logf("%-22s pdftotext reads %2d/%d, budgetpdf gives the original's cells %2d/%d, pdftotext only %d", v.name, c.poppler, textFiles, c.ours, textFiles, c.popplerOnly)
	}
	t.Logf("TOTAL %d text-layer files x %d variants = %d: pdftotext reads %d, budgetpdf gives the original's cells for %d, pdftotext only %d",
		textFiles, len(corpusVariants), textFiles*len(corpusVariants), sum.poppler, sum.ours, sum.popplerOnly)
}

// makeVariant writes v of file to out.
func makeVariant(file, out string, v corpusVariant) error {
	if v.hand != nil {
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		return os.WriteFile(out, v.hand(data), 0o644)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	args := append(append([]string{}, v.qpdf...), file, out)
	msg, err := exec.CommandContext(ctx, "qpdf", args...).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 3 {
		err = nil // qpdf warned, and wrote the file
	}
	if err != nil {
		return fmt.Errorf("qpdf %s: %v: %s", strings.Join(args, " "), err, msg)
	}
	return nil
}

// pdftotext returns what pdftotext reads from file.
func pdftotext(file, password string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	args := []string{"-q"}
	if password != "" {
		args = append(args, "-upw", password)
	}
	out, err := exec.CommandContext(ctx, "pdftotext", append(args, file, "-")...).Output()
	return string(out), err
}
