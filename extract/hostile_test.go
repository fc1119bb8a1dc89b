package extract

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/budgetpdf/budgetpdf/internal/variants"
)

// The files of testdata/hostile are made by hostileFiles below from small
// hand-written objects (and testdata/broken/valid.pdf); `go test -run
// TestHostileFiles -update` writes them. Each is a way a file once took the
// process or the batch down, or was lost: loops in the object layer, page
// trees that expand without end, a decompression bomb, common damage.

// hostileFiles returns the hostile test files by name; the bomb, which
// takes seconds to compress, only if withBomb.
func hostileFiles(t testing.TB, withBomb bool) map[string][]byte {
	valid, err := os.ReadFile("testdata/broken/valid.pdf")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"objstm-self.pdf":          objStmSelf(),
		"dag-1m-pages.pdf":         dagPages(20, true),
		"dag-leafless.pdf":         dagPages(60, false),
		"cycle-leafless.pdf":       cyclicTree(false),
		"cycle-with-page.pdf":      cyclicTree(true),
		"junk-prefix.pdf":          append([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n"), valid...),
		"xref-shifted-100.pdf":     variants.ShiftObjects(valid, 100),
		"xref-prev-loop.pdf":       prevLoop(valid),
		"xref-huge-subsection.pdf": bytes.Replace(valid, []byte("xref\n0 6\n"), []byte("xref\n4000000000 6\n"), 1),
	}
	if withBomb {
		files["flate-bomb.pdf"] = flateBomb(1 << 30)
	}
	return files
}

// objStmSelf has its catalog, page tree, page and font in an object
// stream whose own cross-reference entry (type 2) places it inside itself:
// the object layer used to recurse until the Go stack overflowed.
func objStmSelf() []byte {
	content := "0 G 1 w 20 20 260 160 re S BT /F1 12 Tf 40 150 Td (Budget 1,234.50) Tj ET"
	inStm := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}
	nums := []int{1, 2, 3, 5}
	var head, body strings.Builder
	for i, o := range inStm {
		fmt.Fprintf(&head, "%d %d ", nums[i], body.Len())
		body.WriteString(o + "\n")
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	off4 := b.Len()
	fmt.Fprintf(&b, "4 0 obj\n%s\nendobj\n", stream("", content))
	off6 := b.Len()
	fmt.Fprintf(&b, "6 0 obj\n%s\nendobj\n", stream(fmt.Sprintf("/Type /ObjStm /N 4 /First %d", head.Len()), head.String()+body.String()))
	off7 := b.Len()
	// W [1 4 2]: type, offset or stream number, generation or index.
	entry := func(typ, f2, f3 int) []byte {
		return []byte{byte(typ), byte(f2 >> 24), byte(f2 >> 16), byte(f2 >> 8), byte(f2), byte(f3 >> 8), byte(f3)}
	}
	var xs []byte
	xs = append(xs, entry(0, 0, 65535)...)
	xs = append(xs, entry(2, 6, 0)...)
	xs = append(xs, entry(2, 6, 1)...)
	xs = append(xs, entry(2, 6, 2)...)
	xs = append(xs, entry(1, off4, 0)...)
	xs = append(xs, entry(2, 6, 3)...)
	xs = append(xs, entry(2, 6, 4)...) // object 6 "is" in object stream 6
	xs = append(xs, entry(1, off7, 0)...)
	_ = off6
	fmt.Fprintf(&b, "7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n", len(xs))
	b.Write(xs)
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", off7)
	return b.Bytes()
}

// dagPages is a page tree of the given depth in which every node lists
// its one child twice: 2^depth pages from depth+1 objects, or no page at
// all (leaves false: the last node has no kids).
func dagPages(depth int, leaves bool) []byte {
	b := &pdfBuilder{}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	for i := 0; i < depth; i++ {
		n := 2 + i
		b.add(fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count %d >>", n+1, n+1, uint64(1)<<min(depth-i, 62)))
	}
	if leaves {
		b.add(fmt.Sprintf("<< /Type /Page /MediaBox [0 0 300 200] /Contents %d 0 R >>", depth+3))
		b.add(stream("", "0 G 20 20 260 160 re S"))
	} else {
		b.add("<< /Type /Pages /Kids [] /Count 0 >>")
	}
	return b.bytes()
}

// cyclicTree is a page tree whose second node lists the root as its kid;
// withPage adds a page beside it.
func cyclicTree(withPage bool) []byte {
	b := &pdfBuilder{}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	if withPage {
		b.add("<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>")
	} else {
		b.add("<< /Type /Pages /Kids [3 0 R 3 0 R] /Count 2 >>")
	}
	b.add("<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1 >>")
	b.add("<< /Type /Page /MediaBox [0 0 300 200] /Contents 5 0 R /Resources << /Font << /F1 6 0 R >> >> >>")
	b.add(stream("", "BT /F1 12 Tf 40 150 Td (Budget) Tj ET"))
	b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	return b.bytes()
}

// flateBomb has one page whose content is a glyph and then size bytes of
// spaces, compressed twice with Flate: a few KB in the file.
func flateBomb(size int) []byte {
	var inner bytes.Buffer
	w, _ := zlib.NewWriterLevel(&inner, zlib.BestCompression)
	w.Write([]byte("BT /F1 12 Tf 40 150 Td (A) Tj ET\n"))
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for n := 0; n < size; n += len(chunk) {
		w.Write(chunk)
	}
	w.Close()
	var outer bytes.Buffer
	w, _ = zlib.NewWriterLevel(&outer, zlib.BestCompression)
	w.Write(inner.Bytes())
	w.Close()
	b := &pdfBuilder{}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	b.add(stream("/Filter [/FlateDecode /FlateDecode]", outer.String()))
	b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	return b.bytes()
}

// prevLoop gives the trailer a /Prev pointing to its own table.
func prevLoop(valid []byte) []byte {
	x := bytes.LastIndex(valid, []byte("\nxref\n")) + 1
	return bytes.Replace(valid, []byte("/Root 1 0 R"), []byte(fmt.Sprintf("/Root 1 0 R /Prev %d", x)), 1)
}

// TestHostileFiles checks that testdata/hostile holds what hostileFiles
// makes (-update writes it). The bomb takes seconds to compress, so
// without -update only its size is checked.
func TestHostileFiles(t *testing.T) {
	if !*update {
		if b, err := os.Stat("testdata/hostile/flate-bomb.pdf"); err != nil || b.Size() > 8<<10 {
			t.Fatalf("flate-bomb.pdf: %v (run go test -run TestHostileFiles -update)", err)
		}
	}
	for name, data := range hostileFiles(t, *update) {
		path := filepath.Join("testdata", "hostile", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s differs from what hostileFiles makes (%v); run go test -run TestHostileFiles -update", path, err)
		}
	}
}

// pageText is the text of a page's glyphs.
func pageText(p *Page) string {
	var b strings.Builder
	for _, g := range p.Glyphs {
		b.WriteString(g.Text)
	}
	return b.String()
}

// TestHostile opens each hostile file within a time bound and checks its
// typed error or what is read.
func TestHostile(t *testing.T) {
	tests := []struct {
		file     string
		want     error  // from OpenFile; nil: it opens
		pages    int    // when it opens
		text     string // page 1's text
		repaired bool
		warning  string // in Info.Warnings
		bound    time.Duration
	}{
		{file: "objstm-self.pdf", pages: 1, text: "Budget1,234.50", repaired: true, warning: "contains itself", bound: time.Second},
		{file: "dag-1m-pages.pdf", want: ErrLimit, bound: time.Second},
		{file: "dag-leafless.pdf", want: ErrLimit, bound: time.Second},
		{file: "cycle-leafless.pdf", want: ErrDamaged, bound: time.Second},
		{file: "cycle-with-page.pdf", pages: 1, text: "Budget", warning: "own ancestor", bound: time.Second},
		{file: "junk-prefix.pdf", pages: 1, text: "Budget1,234.50", repaired: true, warning: "before the %PDF- header", bound: time.Second},
		{file: "xref-shifted-100.pdf", pages: 1, text: "Budget1,234.50", repaired: true, warning: "cross-reference table rebuilt", bound: time.Second},
		{file: "xref-prev-loop.pdf", pages: 1, text: "Budget1,234.50", bound: time.Second},
		{file: "xref-huge-subsection.pdf", pages: 1, text: "Budget1,234.50", repaired: true, warning: "impossible", bound: time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "hostile", tt.file)
			start := time.Now()
			d, err := OpenFile(path, nil)
			if tt.want != nil {
				if !errors.Is(err, tt.want) || !strings.HasPrefix(err.Error(), path+": ") {
					t.Fatalf("err = %v, want %v naming the file", err, tt.want)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				defer d.Close()
				if d.NumPages() != tt.pages {
					t.Errorf("%d pages, want %d", d.NumPages(), tt.pages)
				}
				p, err := d.Page(1)
				if err != nil {
					t.Fatal(err)
				}
				if got := pageText(p); got != tt.text {
					t.Errorf("text %q, want %q", got, tt.text)
				}
				if d.Info.Repaired != tt.repaired {
					t.Errorf("Repaired = %v, want %v (warnings %q)", d.Info.Repaired, tt.repaired, d.Info.Warnings)
				}
				if !strings.Contains(strings.Join(d.Info.Warnings, "|"), tt.warning) {
					t.Errorf("warnings %q, want one mentioning %q", d.Info.Warnings, tt.warning)
				}
			}
			if el := time.Since(start); el > tt.bound {
				t.Errorf("took %v, want under %v", el, tt.bound)
			}
		})
	}
}

// The DAG of a million pages stops at MaxPages, whatever it is, quickly;
// a DAG that expands to fewer pages is read with its pages repeated.
func TestPageTreeLimit(t *testing.T) {
	for _, max := range []int{1, 5000, 50_000} {
		start := time.Now()
		_, err := OpenFile("testdata/hostile/dag-1m-pages.pdf", &Options{MaxPages: max})
		if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "Options.MaxPages") {
			t.Errorf("MaxPages %d: err = %v", max, err)
		}
		t.Logf("MaxPages %d: %v in %v", max, err, time.Since(start))
	}
	data := dagPages(10, true)
	d, err := Open(bytes.NewReader(data), int64(len(data)), nil)
	if err != nil {
		t.Fatalf("a DAG of 1024 pages: %v", err)
	}
	if d.NumPages() != 1024 {
		t.Errorf("%d pages, want 1024", d.NumPages())
	}
}

// The bomb's page decodes 256 MiB (MaxContentBytes) of its 1 GiB and
// stops with ErrLimit, keeping the glyph before it; memory stays that of
// the lexer's window and the decompressors, not of the content. (With
// the race detector, which slows inflating tenfold, 32 MiB are decoded.)
func TestFlateBomb(t *testing.T) {
	var opts *Options
	if raceEnabled {
		opts = &Options{MaxContentBytes: 32 << 20}
	}
	d, err := OpenFile("testdata/hostile/flate-bomb.pdf", opts)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	p, err := d.Page(1)
	el := time.Since(start)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrLimit) || !p.Lost {
		t.Errorf("err = %v, Lost %v: want ErrLimit and Lost", err, p.Lost)
	}
	if got := pageText(p); got != "A" {
		t.Errorf("text %q, want the glyph drawn before the bomb", got)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d MiB of decoded content: %v, %d KB allocated in all", d.opts.MaxContentBytes>>20, el, alloc>>10)
	if alloc > 8<<20 {
		t.Errorf("reading the page allocated %d bytes, want under 8 MiB", alloc)
	}
}

// TestOptionsName: errors name the file by Options.Name when given (the
// URL a file was downloaded from), by the path otherwise.
func TestOptionsName(t *testing.T) {
	const url = "https://www.example.gov.cn/a.pdf"
	for _, tc := range []struct {
		name, want string
	}{{"", "testdata/broken/garbage.pdf: "}, {url, url + ": "}} {
		_, err := OpenFile("testdata/broken/garbage.pdf", &Options{Name: tc.name})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Name %q: %v, want an error starting %q", tc.name, err, tc.want)
		}
	}
}
