package extract

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fixturePDFs lists the real PDFs bundled in ../fixtures.
func fixturePDFs(t testing.TB) []string {
	files, err := filepath.Glob("../fixtures/*.pdf")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	return files
}

// dumpPage renders a page compactly: its facts, then one line per run of
// glyphs that share font, size and baseline, then the ruling lines.
func dumpPage(b *strings.Builder, p *Page) {
	fmt.Fprintf(b, "page %d %sx%s rot %d glyphs %d lines %d images %d unmapped %d offpage %d duplicates %d\n",
		p.Number, num2(p.Width), num2(p.Height), p.Rotate, len(p.Glyphs), len(p.Lines), p.Images, p.Unmapped, p.Offpage, p.Duplicates)
	for _, w := range p.Warnings {
		fmt.Fprintf(b, "warning %s\n", w)
	}
	for i := 0; i < len(p.Glyphs); {
		g := p.Glyphs[i]
		j := i + 1
		text := g.Text
		x1 := g.X1
		for ; j < len(p.Glyphs); j++ {
			h := p.Glyphs[j]
			if h.Font != g.Font || h.Size != g.Size || h.Y1 != g.Y1 || h.X0 < x1-0.01 || h.X0 > x1+0.01 {
				break
			}
			text += h.Text
			x1 = h.X1
		}
		fmt.Fprintf(b, "  %s %s %s %s %s %s %q\n", num2(g.X0), num2(g.Y0), num2(x1), num2(g.Y1), g.Font, num2(g.Size), text)
		i = j
	}
	for _, l := range p.Lines {
		fmt.Fprintf(b, "  line %s %s %s %s w%s\n", num2(l.X0), num2(l.Y0), num2(l.X1), num2(l.Y1), num2(l.Width))
	}
}

// goldenPages is how many pages of each fixture the golden files hold.
const goldenPages = 4

// TestGoldenFixtures extracts the first pages of every fixture and compares a compact
// dump with testdata/golden/NAME.golden (go test -update rewrites them; on
// a mismatch the actual output is written beside the golden as .actual).
func TestGoldenFixtures(t *testing.T) {
	for _, file := range fixturePDFs(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".pdf")
		t.Run(name, func(t *testing.T) {
			d, err := OpenFile(file, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var b strings.Builder
			fmt.Fprintf(&b, "producer %q creator %q pages %d encrypted %v version %s\n",
				d.Info.Producer, d.Info.Creator, d.Info.Pages, d.Info.Encrypted, d.Info.Version)
			for n := 1; n <= min(d.NumPages(), goldenPages); n++ {
				p, err := d.Page(n)
				if err != nil {
					t.Errorf("%v", err)
				}
				dumpPage(&b, p)
			}
			checkGolden(t, filepath.Join("testdata", "golden", name+".golden"), b.String())
		})
	}
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		actual := path + ".actual"
		os.WriteFile(actual, []byte(got), 0o644)
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < max(len(gl), len(wl)); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs from the golden at line %d:\n got %s\nwant %s\n(actual output in %s)", path, i+1, g, w, actual)
			}
		}
	}
}

// TestFixtureFacts pins what each hard fixture is there for.
func TestFixtureFacts(t *testing.T) {
	pageText := func(t *testing.T, file string, n int) string {
		d, err := OpenFile(filepath.Join("..", "fixtures", file), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		p, err := d.Page(n)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, g := range p.Glyphs {
			b.WriteString(g.Text)
		}
		return b.String()
	}
	tests := []struct {
		file string
		page int
		want []string // substrings of the page's glyph text in drawing order
	}{
		// Digits drawn with a WinAnsi TrueType subset that has no ToUnicode.
		{"shanghai-stats-institute-2026-unit-budget-p7-9.pdf", 1, []string{"2026年预算单位财务收支预算总表", "26,054,663"}},
		// A non-embedded GBK-EUC-H CID font without ToUnicode.
		{"xian-science-tech-2022-budget-p20-21.pdf", 1, []string{"2022年部门预算", "一般公共预算"}},
		// A non-embedded UniGB-UCS2-H CID font without ToUnicode.
		{"guangzhou-ecology-environment-2026-performance-projects-p9.pdf", 1, []string{"广州市生态环境局2026年项目支出绩效目标表"}},
		// iText output mixing Identity-H and UniGB-UCS2-H (STSongStd-Light).
		{"yantai-housing-construction-2026-budget-p2-3.pdf", 1, []string{"第一部分", "部门概况"}},
		// The seed's tables rendered by LibreOffice Calc.
		{"seed-yindu-hrss-2024-ruled.pdf", 1, []string{"2024年部门收支预算表", "单位名称：安阳市殷都区人力资源和社会保障局", "6,192.14"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			text := pageText(t, tt.file, tt.page)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("page %d does not contain %q; it has %q", tt.page, w, string(head([]rune(text), 200)))
				}
			}
		})
	}
}

func TestScannedFixtureHasNoTextLayer(t *testing.T) {
	d, err := OpenFile("../fixtures/beijing-data-bureau-2026-budget-notes-scanned-p1.pdf", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	p, err := d.Page(1)
	if err != nil {
		t.Fatal(err)
	}
	if p.HasText() || p.Images == 0 {
		t.Errorf("HasText %v, Images %d: want a page of images only", p.HasText(), p.Images)
	}
	if err := d.CheckTextLayer(); !errors.Is(err, ErrNoTextLayer) {
		t.Errorf("CheckTextLayer = %v, want ErrNoTextLayer", err)
	}
}

// TestBrokenFiles opens each hand-made broken file and checks its error.
func TestBrokenFiles(t *testing.T) {
	tests := []struct {
		file string
		want error // nil: opens and reads
	}{
		{"valid.pdf", nil},
		{"zero-bytes.pdf", ErrNotPDF},
		{"garbage.pdf", ErrNotPDF},
		{"png-renamed.pdf", ErrNotPDF},
		{"html-error-page.pdf", ErrNotPDF},
		{"truncated.pdf", ErrDamaged}, // no trailer: poppler cannot read it either
		{"broken-xref.pdf", nil},      // the table is rebuilt
		{"password-aes128.pdf", ErrPassword},
		{"password-aes256.pdf", ErrPassword},
		{"owner-only-rc4.pdf", nil},
		{"owner-only-aes128.pdf", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "broken", tt.file)
			d, err := OpenFile(path, nil)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
				if !strings.HasPrefix(err.Error(), path+": ") {
					t.Errorf("error %q does not name the file", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			p, err := d.Page(1)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, g := range p.Glyphs {
				b.WriteString(g.Text)
			}
			if got := b.String(); got != "Budget1,234.50" {
				t.Errorf("text %q", got)
			}
			if len(p.Lines) != 4 {
				t.Errorf("%d lines, want the 4 sides of the cell", len(p.Lines))
			}
		})
	}
}

func TestPasswordOption(t *testing.T) {
	for _, file := range []string{"password-aes128.pdf", "password-aes256.pdf"} {
		d, err := OpenFile("testdata/broken/"+file, &Options{Password: "secret"})
		if err != nil {
			t.Fatal(err)
		}
		if !d.Info.Encrypted {
			t.Errorf("%s: Encrypted = false", file)
		}
		p, err := d.Page(1)
		if err != nil || pageText(p) != "Budget1,234.50" {
			t.Errorf("%s: page 1: %v, %q", file, err, pageText(p))
		}
		d.Close()
	}
}

// TestEncryption reads the files of testdata/encrypted (made by qpdf, see
// gen.sh): RC4 40 and 128 bits, AES-128, AES-256 revisions 5 and 6, with
// an owner password only (read with the empty user password, as poppler
// does) or a user password (Options.Password, as user or owner password).
// Each must read exactly as the unencrypted file.
func TestEncryption(t *testing.T) {
	want := func() string {
		d, err := OpenFile("testdata/broken/valid.pdf", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		p, _ := d.Page(1)
		return glyphString(p.Glyphs) + " " + lineString(p.Lines)
	}()
	files, _ := filepath.Glob("testdata/encrypted/*.pdf")
	if len(files) != 9 {
		t.Fatalf("%d files in testdata/encrypted", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			userPassword := strings.Contains(file, "-user")
			for _, pw := range []string{"", "user", "owner", "wrong"} {
				d, err := OpenFile(file, &Options{Password: pw})
				if userPassword && (pw == "" || pw == "wrong") {
					if !errors.Is(err, ErrPassword) || !strings.HasPrefix(err.Error(), file+": ") {
						t.Errorf("password %q: err = %v, want ErrPassword naming the file", pw, err)
					}
					continue
				}
				if err != nil {
					t.Errorf("password %q: %v", pw, err)
					continue
				}
				p, err := d.Page(1)
				if err != nil {
					t.Errorf("password %q: %v", pw, err)
				} else if got := glyphString(p.Glyphs) + " " + lineString(p.Lines); got != want {
					t.Errorf("password %q:\n got %s\nwant %s", pw, got, want)
				}
				if !d.Info.Encrypted || d.Info.Repaired {
					t.Errorf("password %q: Info %+v", pw, d.Info)
				}
				d.Close()
			}
		})
	}
}

// FuzzOpen feeds arbitrary bytes to Open and every page: no panic, and each
// page within its time limit. Seeds: the broken, hostile and encrypted
// files and a fixture.
func FuzzOpen(f *testing.F) {
	var seeds []string
	for _, glob := range []string{"testdata/broken/*.pdf", "testdata/hostile/*.pdf", "testdata/encrypted/*.pdf", "../fixtures/jiangsu*.pdf"} {
		s, _ := filepath.Glob(glob)
		seeds = append(seeds, s...)
	}
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	opts := &Options{PageTimeout: 2 * time.Second, MaxContentBytes: 8 << 20, Password: "user"}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Open(bytes.NewReader(data), int64(len(data)), opts)
		if err != nil {
			if !errors.Is(err, ErrNotPDF) && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrPassword) && !errors.Is(err, ErrEncryption) && !errors.Is(err, ErrLimit) {
				t.Fatalf("unclassified error: %v", err)
			}
			if s := err.Error(); strings.ContainsAny(s, "\n\r") || len(s) > 1000 {
				t.Fatalf("error text not one bounded line: %q", s)
			}
			return
		}
		start := time.Now()
		for n := 1; n <= min(d.NumPages(), 20); n++ {
			p, err := d.Page(n)
			if p == nil && !errors.Is(err, ErrPageRange) {
				t.Fatalf("page %d: nil page with %v", n, err)
			}
		}
		if el := time.Since(start); el > 45*time.Second {
			t.Fatalf("20 pages took %v", el)
		}
	})
}

// FuzzLexer checks that the content lexer always terminates and consumes
// its input.
func FuzzLexer(f *testing.F) {
	for _, s := range []string{"BT /F1 12 Tf (a\\(b) Tj ET", "<< /A [1 2 (x)] >> BDC", "BI /W 1 ID \x00 EI", "(unterminated", "<4142", "/Na#6De 1.2.3 -.5"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lx := lexer{data: data}
		for i := 0; ; i++ {
			tok := lx.next()
			if tok.kind == tokEOF {
				break
			}
			if i > len(data)+1 {
				t.Fatalf("lexer does not advance at %d", lx.pos)
			}
			if string(tok.text) == "ID" {
				lx.skipInlineImage()
			}
		}
	})
}

func BenchmarkPage(b *testing.B) {
	for _, name := range []string{"seed-yindu-hrss-2024-ruled.pdf", "shanghai-stats-institute-2026-unit-budget-p7-9.pdf"} {
		b.Run(name, func(b *testing.B) {
			data, err := os.ReadFile(filepath.Join("..", "fixtures", name))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			pages := 0
			for b.Loop() {
				d := openBytes(b, data)
				for p := range d.Pages() {
					pages++
					_ = p
				}
			}
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

func TestGlyphsStayOnPage(t *testing.T) {
	for _, file := range fixturePDFs(t) {
		d, err := OpenFile(file, nil)
		if err != nil {
			t.Fatal(err)
		}
		for p := range d.Pages() {
			for _, l := range p.Lines {
				if l.X0 < 0 || l.Y0 < 0 || l.X1 > p.Width || l.Y1 > p.Height || (l.X0 != l.X1 && l.Y0 != l.Y1) {
					t.Errorf("%s page %d: line %+v off page or not axis-aligned", file, p.Number, l)
				}
			}
		}
		d.Close()
	}
}
