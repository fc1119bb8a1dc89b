package extract

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
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
	type variant struct {
		name     string
		qpdf     []string            // qpdf arguments before IN OUT
		hand     func([]byte) []byte // or a change made by hand
		password string              // Options.Password and pdftotext -upw
	}
	variants := []variant{
		{name: "aes256-owner-only", qpdf: []string{"--encrypt", "", "owner", "256", "--"}},
		{name: "rc4-40-owner-only", qpdf: []string{"--allow-weak-crypto", "--encrypt", "", "owner", "40", "--"}},
		{name: "aes128-user-password", qpdf: []string{"--encrypt", "user", "owner", "128", "--use-aes=y", "--"}, password: "user"},
		{name: "object-streams", qpdf: []string{"--object-streams=generate"}},
		{name: "linearized", qpdf: []string{"--linearize"}},
		{name: "junk-prefix", hand: func(b []byte) []byte {
			return append([]byte("<html><body>Download starts...</body></html>\r\n"), b...)
		}},
		{name: "xref-shifted-100", hand: func(b []byte) []byte { return shiftObjects(b, 100) }},
	}
	tmp := t.TempDir()
	type count struct{ poppler, ours, both, differ int }
	counts := make(map[string]*count)
	for _, v := range variants {
		counts[v.name] = &count{}
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
		popplerWant, err := pdftotext(file, "")
		if err != nil {
			t.Errorf("%s: pdftotext reads the original: %v", base, err)
			continue
		}
		for _, v := range variants {
			out := filepath.Join(tmp, base+"."+v.name+".pdf")
			if err := makeVariant(file, out, v.qpdf, v.hand); err != nil {
				t.Errorf("%s %s: %v", base, v.name, err)
				continue
			}
			c := counts[v.name]
			popplerText, perr := pdftotext(out, v.password)
			popplerReads := perr == nil && popplerText == popplerWant
			got, _ := corpusSignature(out, v.password)
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
				t.Errorf("%s %s: pdftotext reads it, we do not give the original's glyphs and lines: %s", base, v.name, got)
			}
			os.Remove(out)
		}
	}
	for _, v := range variants {
		c := counts[v.name]
		t.Logf("%-22s pdftotext reads %2d/%d, extract reads identically %2d/%d, both %2d, pdftotext only %d",
			v.name, c.poppler, textFiles, c.ours, textFiles, c.both, c.differ)
	}
	var sum count
	for _, c := range counts {
		sum.poppler += c.poppler
		sum.ours += c.ours
		sum.differ += c.differ
	}
	t.Logf("TOTAL %d files x %d variants = %d: pdftotext reads %d, extract reads identically %d, pdftotext only %d",
		textFiles, len(variants), textFiles*len(variants), sum.poppler, sum.ours, sum.differ)
}

// makeVariant writes a variant of file to out, with qpdf or by hand.
func makeVariant(file, out string, qpdfArgs []string, hand func([]byte) []byte) error {
	if hand != nil {
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		return os.WriteFile(out, hand(data), 0o644)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	args := append(append([]string{}, qpdfArgs...), file, out)
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
