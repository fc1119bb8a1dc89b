package extract

import (
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/budgetpdf/budgetpdf/internal/variants"
)

// TestCorpusVariants reads what poppler reads: for every text-layer file
// of $BUDGETPDF_CORPUS (make corpus sets it to ../shared/corpus), variants
// made with qpdf (encrypted with AES-256 or 40-bit RC4 and an owner
// password only, AES-128 with a user password, object streams,
// linearized) and by hand (junk before the header, every offset 100 bytes
// off). Wherever pdftotext reads a variant as it reads the original
// (exit status 0, the same text), extract must give exactly the glyphs
// and lines of the original. It skips without the corpus, qpdf or
// pdftotext.
func TestCorpusVariants(t *testing.T) {
	dir := os.Getenv("BUDGETPDF_CORPUS")
	if dir == "" {
		t.Skip("BUDGETPDF_CORPUS not set (make corpus sets it)")
	}
	for _, tool := range []string{"qpdf", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(files) == 0 {
		t.Skipf("no PDFs in %s", dir)
	}
	tmp := t.TempDir()
	type count struct{ poppler, ours, both, differ int }
	counts := make(map[string]*count)
	for _, v := range variants.All {
		counts[v.Name] = &count{}
	}
	textFiles := 0
	for _, file := range files {
		base := strings.TrimSuffix(filepath.Base(file), ".pdf")
		want, hasText := corpusSignature(file, "")
		if !hasText {
			t.Logf("%s: no text layer, skipped", base)
			continue
		}
		textFiles++
		popplerWant, err := variants.PDFToText(file, "")
		if err != nil {
			t.Errorf("%s: pdftotext reads the original: %v", base, err)
			continue
		}
		for _, v := range variants.All {
			out := filepath.Join(tmp, base+"."+v.Name+".pdf")
			if err := v.Make(file, out); err != nil {
				t.Errorf("%s %s: %v", base, v.Name, err)
				continue
			}
			c := counts[v.Name]
			popplerText, perr := variants.PDFToText(out, v.Password)
			popplerReads := perr == nil && popplerText == popplerWant
			got, _ := corpusSignature(out, v.Password)
			oursReads := got == want
			if popplerReads {
				c.poppler++
			}
			if oursReads {
				c.ours++
			}
			if popplerReads && oursReads {
				c.both++
			}
			if popplerReads && !oursReads {
				c.differ++
				t.Errorf("%s %s: pdftotext reads it, we do not give the original's glyphs and lines: %s", base, v.Name, got)
			}
			os.Remove(out)
		}
	}
	for _, v := range variants.All {
		c := counts[v.Name]
		t.Logf("%-22s pdftotext reads %2d/%d, extract reads identically %2d/%d, both %2d, pdftotext only %d",
			v.Name, c.poppler, textFiles, c.ours, textFiles, c.both, c.differ)
	}
	var sum count
	for _, c := range counts {
		sum.poppler += c.poppler
		sum.ours += c.ours
		sum.differ += c.differ
	}
	t.Logf("TOTAL %d files x %d variants = %d: pdftotext reads %d, extract reads identically %d, pdftotext only %d",
		textFiles, len(variants.All), textFiles*len(variants.All), sum.poppler, sum.ours, sum.differ)
}

// corpusSignature reads every page of file and returns a digest of its
// glyphs and lines (text, font, size, boxes to 1/100 pt), and whether any
// page has text. A file or page that fails gives its error instead.
func corpusSignature(file, password string) (string, bool) {
	d, err := OpenFile(file, &Options{Password: password})
	if err != nil {
		return "open: " + err.Error(), false
	}
	defer d.Close()
	h := sha256.New()
	hasText := false
	var problems []string
	for p, err := range d.Pages() {
		if err != nil {
			problems = append(problems, err.Error())
		}
		if p == nil {
			continue
		}
		hasText = hasText || p.HasText()
		fmt.Fprintf(h, "page %d %.2f %.2f %d\n", p.Number, p.Width, p.Height, p.Rotate)
		for _, g := range p.Glyphs {
			fmt.Fprintf(h, "%s %s %.2f %.2f %.2f %.2f %.2f\n", g.Text, g.Font, g.Size, g.X0, g.Y0, g.X1, g.Y1)
		}
		for _, l := range p.Lines {
			fmt.Fprintf(h, "line %.2f %.2f %.2f %.2f %.2f\n", l.X0, l.Y0, l.X1, l.Y1, l.Width)
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return "pages: " + strings.Join(head(problems, 3), "; "), hasText
	}
	return fmt.Sprintf("%d pages %x", d.NumPages(), h.Sum(nil)), hasText
}
