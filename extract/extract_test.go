package extract

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/budgetpdf/budgetpdf/internal/variants"
)

// glyphString renders glyphs compactly: "A[100 92.82 105 102.07]".
func glyphString(gs []Glyph) string {
	var parts []string
	for _, g := range gs {
		parts = append(parts, fmt.Sprintf("%s[%s %s %s %s]", g.Text, num2(g.X0), num2(g.Y0), num2(g.X1), num2(g.Y1)))
	}
	return strings.Join(parts, " ")
}

func lineString(ls []Line) string {
	var parts []string
	for _, l := range ls {
		parts = append(parts, fmt.Sprintf("[%s %s %s %s w%s]", num2(l.X0), num2(l.Y0), num2(l.X1), num2(l.Y1), num2(l.Width)))
	}
	return strings.Join(parts, " ")
}

func num2(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

func openBytes(t testing.TB, b []byte) *Document {
	t.Helper()
	d, err := Open(bytes.NewReader(b), int64(len(b)), nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return d
}

func firstPage(t testing.TB, b *pdfBuilder) *Page {
	t.Helper()
	d := openBytes(t, b.bytes())
	p, err := d.Page(1)
	if err != nil {
		t.Fatalf("Page(1): %v", err)
	}
	return p
}

// Helvetica, not embedded: widths 500/1000 em, ascent 0.718, descent
// -0.207 (the built-in metrics poppler uses too). The page is 600x800, so a
// baseline at PDF y=700 is y=100 from the top.
func TestGlyphPositions(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{"Tj", "BT /F1 10 Tf 100 700 Td (AB) Tj ET",
			"A[100 92.82 105 102.07] B[105 92.82 110 102.07]"},
		{"TJ adjustment", "BT /F1 10 Tf 100 700 Td [(A) -1000 (B)] TJ ET",
			"A[100 92.82 105 102.07] B[115 92.82 120 102.07]"},
		{"Tc and Tw", "BT /F1 10 Tf 1 Tc 2 Tw 100 700 Td (A B) Tj ET",
			"A[100 92.82 106 102.07] B[114 92.82 120 102.07]"},
		{"Tz", "BT /F1 10 Tf 50 Tz 100 700 Td (AB) Tj ET",
			"A[100 92.82 102.5 102.07] B[102.5 92.82 105 102.07]"},
		{"Ts rise", "BT /F1 10 Tf 3 Ts 100 700 Td (A) Tj ET",
			"A[100 89.82 105 99.07]"},
		{"cm scale", "2 0 0 2 0 0 cm BT /F1 10 Tf 50 350 Td (A) Tj ET",
			"A[100 85.64 110 104.14]"},
		{"Tm", "BT /F1 1 Tf 10 0 0 10 100 700 Tm (A) Tj ET",
			"A[100 92.82 105 102.07]"},
		{"T* and TL", "BT /F1 10 Tf 12 TL 100 700 Td (A) Tj T* (B) Tj ET",
			"A[100 92.82 105 102.07] B[100 104.82 105 114.07]"},
		{"quote operators", "BT /F1 10 Tf 12 TL 100 700 Td (A) ' 1 0 (B) \" ET",
			"A[100 104.82 105 114.07] B[100 116.82 105 126.07]"},
		{"Q underflow and extra operands", "Q Q BT /F1 10 Tf 1 2 3 Td 100 700 Td (A) Tj ET",
			"A[102 89.82 107 99.07]"},
		{"q Q restore", "q 2 0 0 2 0 0 cm Q BT /F1 10 Tf 100 700 Td (A) Tj ET",
			"A[100 92.82 105 102.07]"},
		{"space not emitted", "BT /F1 10 Tf 100 700 Td (A  B) Tj ET",
			"A[100 92.82 105 102.07] B[115 92.82 120 102.07]"},
		{"hex string and escapes", `BT /F1 10 Tf 100 700 Td <41> Tj (\102\(\)) Tj ET`,
			"A[100 92.82 105 102.07] B[105 92.82 110 102.07] ([110 92.82 115 102.07] )[115 92.82 120 102.07]"},
		{"off-page glyph dropped", "BT /F1 10 Tf 100 900 Td (A) Tj ET", ""},
		{"text without font is skipped", "BT 100 700 Td (A) Tj ET", ""},
		{"inline image skipped", "BI /W 2 /H 1 /BPC 8 /CS /G ID \x00EI\xff EI BT /F1 10 Tf 100 700 Td (A) Tj ET",
			"A[100 92.82 105 102.07]"},
		{"marked content dict", "/Span << /ActualText (x) /MCID 3 >> BDC BT /F1 10 Tf 100 700 Td (A) Tj ET EMC",
			"A[100 92.82 105 102.07]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := firstPage(t, onePage(tt.content, helveticaRes, "", helveticaObj()))
			if got := glyphString(p.Glyphs); got != tt.want {
				t.Errorf("glyphs\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestRulingLines(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{"stroked line", "0 0 0 RG 1 w 100 100 m 300 100 l S", "[100 700 300 700 w1]"},
		{"white stroke dropped", "1 1 1 RG 100 100 m 300 100 l S", ""},
		{"white gray fill dropped", "1 g 100 100 200 0.5 re f", ""},
		{"thin filled rect", "0 g 100 100 200 0.5 re f", "[100 699.75 300 699.75 w0.5]"},
		{"thin vertical rect", "0 g 100 100 0.8 50 re f", "[100.4 650 100.4 700 w0.8]"},
		{"zero-area rect dropped", "0 g 100 100 200 0 re f", ""},
		{"shading rect is not a line", "0.9 g 100 100 200 50 re f", ""},
		{"stroked rect", "2 w 100 100 200 50 re S",
			"[100 700 300 700 w2] [300 650 300 700 w2] [100 650 300 650 w2] [100 650 100 700 w2]"},
		{"diagonal and curve", "100 100 m 200 200 l 250 250 260 270 300 300 c S", ""},
		{"clipped to page", "-50 100 m 700 100 l S", "[0 700 600 700 w1]"},
		{"line width scales with cm", "0.5 0 0 0.5 0 0 cm 2 w 200 200 m 600 200 l S", "[100 700 300 700 w1]"},
		{"n discards", "100 100 m 300 100 l n", ""},
		{"open subpath filled", "0 g 100 100 m 300 100 l 300 101 l 100 101 l f", "[100 699.5 300 699.5 w1]"},
		{"cmyk white dropped", "0 0 0 0 K 100 100 m 300 100 l S", ""},
		{"separation tint 0 dropped", "/CS0 CS 0 SCN 100 100 m 300 100 l S", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := "/ColorSpace << /CS0 [/Separation /Spot /DeviceCMYK 6 0 R] >>"
			p := firstPage(t, onePage(tt.content, res, "", "<< >>", "<< /FunctionType 2 /Domain [0 1] /N 1 >>"))
			if got := lineString(p.Lines); got != tt.want {
				t.Errorf("lines\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestPageGeometry(t *testing.T) {
	tests := []struct {
		name      string
		pageExtra string
		wantSize  string
		want      string
	}{
		{"crop box offset", "/MediaBox [0 0 600 800] /CropBox [50 100 550 750]", "500x650",
			"A[50 42.82 55 52.07]"},
		{"rotate 90", "/MediaBox [0 0 600 800] /Rotate 90", "800x600",
			"A[697.93 100 707.18 105]"},
		{"rotate 180", "/MediaBox [0 0 600 800] /Rotate 180", "600x800",
			"A[495 697.93 500 707.18]"},
		{"rotate 270", "/MediaBox [0 0 600 800] /Rotate -90", "800x600",
			"A[92.82 495 102.07 500]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := firstPage(t, onePage("BT /F1 10 Tf 100 700 Td (A) Tj ET", helveticaRes, tt.pageExtra, helveticaObj()))
			if got := num2(p.Width) + "x" + num2(p.Height); got != tt.wantSize {
				t.Errorf("size %s, want %s", got, tt.wantSize)
			}
			if got := glyphString(p.Glyphs); got != tt.want {
				t.Errorf("glyphs\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestFormXObject(t *testing.T) {
	form := stream("/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Matrix [1 0 0 1 50 0] /Resources << /Font << /F1 5 0 R >> >>",
		"BT /F1 10 Tf 100 700 Td (A) Tj ET 0 g 100 100 200 0.5 re f")
	// The page draws the form twice: once as is, once moved down 100.
	content := "/Fm1 Do q 1 0 0 1 0 -100 cm /Fm1 Do Q BT /F1 10 Tf 100 700 Td (B) Tj ET"
	p := firstPage(t, onePage(content, "/Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >>", "", helveticaObj(), form))
	want := "A[150 92.82 155 102.07] A[150 192.82 155 202.07] B[100 92.82 105 102.07]"
	if got := glyphString(p.Glyphs); got != want {
		t.Errorf("glyphs\n got %s\nwant %s", got, want)
	}
	if got, want := lineString(p.Lines), "[150 699.75 350 699.75 w0.5] [150 799.75 350 799.75 w0.5]"; got != want {
		t.Errorf("lines\n got %s\nwant %s", got, want)
	}
}

func TestFormRecursionIsBounded(t *testing.T) {
	// A form that draws itself: the depth limit stops it with a warning.
	form := stream("/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >> >>",
		"BT /F1 10 Tf 100 700 Td (A) Tj ET 1 0 0 1 0 -20 cm /Fm1 Do")
	p := firstPage(t, onePage("/Fm1 Do", "/XObject << /Fm1 6 0 R >>", "", helveticaObj(), form))
	if got := len(p.Glyphs); got != 12 {
		t.Errorf("got %d glyphs, want 12 (one per allowed nesting level)", got)
	}
	if len(p.Warnings) == 0 || !strings.Contains(p.Warnings[0], "nested deeper") {
		t.Errorf("warnings %q, want a nesting warning", p.Warnings)
	}
}

func TestFileRepairs(t *testing.T) {
	content := "BT /F1 10 Tf 100 700 Td (A) Tj ET"
	tests := []struct {
		name    string
		build   func(b *pdfBuilder)
		version string
	}{
		{"PDF 2.0 header", func(b *pdfBuilder) { b.header = "%PDF-2.0" }, "2.0"},
		{"comment on header line", func(b *pdfBuilder) { b.header = "%PDF-1.4 %comment" }, "1.4"},
		{"bytes after EOF", func(b *pdfBuilder) { b.tail = "\n<html>junk appended by a web server</html>\n" }, "1.7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := onePage(content, helveticaRes, "", helveticaObj())
			tt.build(b)
			d := openBytes(t, b.bytes())
			if d.Info.Version != tt.version {
				t.Errorf("version %q, want %q", d.Info.Version, tt.version)
			}
			p, err := d.Page(1)
			if err != nil {
				t.Fatal(err)
			}
			if got := glyphString(p.Glyphs); got != "A[100 92.82 105 102.07]" {
				t.Errorf("glyphs %s", got)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	good := onePage("BT /F1 10 Tf 100 700 Td (A) Tj ET", helveticaRes, "", helveticaObj()).bytes()
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotPDF},
		{"garbage", []byte("this is not a PDF at all, just some text"), ErrNotPDF},
		{"png renamed", png, ErrNotPDF},
		{"truncated, no trailer", good[:len(good)/2], ErrDamaged},
		{"no catalog", bytes.Replace(good, []byte("/Root 1 0 R"), []byte("/Root 9 0 R"), 1), ErrDamaged},
		{"html error page", []byte("<html><body>404 Not Found</body></html>\n"), ErrNotPDF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(bytes.NewReader(tt.data), int64(len(tt.data)), nil)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestDamagedPageKeepsOthers(t *testing.T) {
	// Page 2's content stream has an unknown filter (the object layer
	// panics on it); pages 1 and 3 still come out.
	b := &pdfBuilder{}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 /MediaBox [0 0 600 800] /Resources << /Font << /F1 9 0 R >> >> >>")
	b.add("<< /Type /Page /Parent 2 0 R /Contents 6 0 R >>")
	b.add("<< /Type /Page /Parent 2 0 R /Contents 7 0 R >>")
	b.add("<< /Type /Page /Parent 2 0 R /Contents 8 0 R >>")
	b.add(stream("", "BT /F1 10 Tf 100 700 Td (A) Tj ET"))
	b.add(stream("/Filter /NoSuchDecode", "BT /F1 10 Tf 100 700 Td (B) Tj ET"))
	b.add(stream("", "BT /F1 10 Tf 100 700 Td (C) Tj ET"))
	b.add(helveticaObj())
	d := openBytes(t, b.bytes())
	var got []string
	for p, err := range d.Pages() {
		s := glyphString(p.Glyphs)
		if err != nil {
			var pe *PageError
			if !errors.As(err, &pe) || pe.Page != p.Number || !errors.Is(err, ErrDamaged) {
				t.Errorf("page %d: error %v is not a damaged PageError", p.Number, err)
			}
			s = "error"
		}
		got = append(got, s)
	}
	want := []string{"A[100 92.82 105 102.07]", "error", "C[100 92.82 105 102.07]"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("pages\n got %q\nwant %q", got, want)
	}
}

// What a page's content holds that is no drawing is said on the page, and
// lost content marks it Lost (its document is then partial), where it
// used to come out empty and silent:
//   - a content stream whose "stream" keyword is damaged reads as a
//     dictionary (a null content draws nothing, and says nothing);
//   - operators PDF does not define: many of them (a stream read as
//     content without its filter) lose the content, a stray one is said,
//     and those inside BX/EX are allowed; they are counted per stream, so
//     a form with a stray one drawn ten times loses nothing.
func TestContentThatIsNoDrawing(t *testing.T) {
	type page struct {
		glyphs  string
		lost    bool
		warning string
	}
	tests := []struct {
		name    string
		objects []string // objects 6 on (8 is the form X1); pages 3, 4, 5 draw from them
		pages   [3]string
		want    []page
	}{
		{
			"not a stream",
			[]string{
				"<< /Length 35 /Filter /FlateDecode >>\nOtream\nBT /F1 10 Tf 100 700 Td (B) Tj ET\nendstream",
				stream("", "BT /F1 10 Tf 100 700 Td (A) Tj ET"),
				"null",
			},
			[3]string{"6 0 R", "[7 0 R 6 0 R null]", "null"},
			[]page{
				{"", true, "the page's content is not a stream (a dictionary): not read"},
				{"A[100 92.82 105 102.07]", true, "content stream 2 of 3 is not a stream (a dictionary): not read"},
				{"", false, ""},
			},
		},
		{
			"undefined operators",
			[]string{
				stream("", "BT /F1 10 Tf 100 700 Td (A) Tj ET xK7 q9z w0Rd jUnk zz yy xx ww vv"),
				stream("", "BT /F1 10 Tf 100 700 Td (B) Tj ET stray"),
				stream("", "BX mine1 mine2 mine3 mine4 mine5 mine6 mine7 mine8 mine9 EX BT /F1 10 Tf 100 700 Td (C) Tj ET"),
			},
			[3]string{"6 0 R", "7 0 R", "8 0 R"},
			[]page{
				{"A[100 92.82 105 102.07]", true, "9 operators that PDF does not define in its content: it is damaged, or not content"},
				{"B[100 92.82 105 102.07]", false, "1 operator(s) that PDF does not define in its content: skipped"},
				{"C[100 92.82 105 102.07]", false, ""},
			},
		},
		{
			"a form drawn ten times",
			[]string{
				stream("", strings.Repeat("/X1 Do ", 10)+"BT /F1 10 Tf 100 700 Td (A) Tj ET"),
				stream("", "BT /F1 10 Tf 100 700 Td (B) Tj ET"),
				stream("/Type /XObject /Subtype /Form /BBox [0 0 600 800]", "0 G 10 10 m 20 20 l S stray"),
			},
			[3]string{"6 0 R", "7 0 R", "null"},
			[]page{
				{"A[100 92.82 105 102.07]", false, "1 operator(s) that PDF does not define in form XObject X1's content: skipped"},
				{"B[100 92.82 105 102.07]", false, ""},
				{"", false, ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &pdfBuilder{}
			b.add("<< /Type /Catalog /Pages 2 0 R >>")
			b.add("<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 /MediaBox [0 0 600 800] /Resources << /Font << /F1 9 0 R >> /XObject << /X1 8 0 R >> >> >>")
			for _, c := range tt.pages {
				b.add("<< /Type /Page /Parent 2 0 R /Contents " + c + " >>")
			}
			for _, o := range tt.objects {
				b.add(o)
			}
			if n := b.add(helveticaObj()); n != 9 {
				t.Fatalf("the font is object %d, not 9", n)
			}
			for p, err := range openBytes(t, b.bytes()).Pages() {
				if err != nil {
					t.Fatalf("page %d: %v", p.Number, err)
				}
				got := page{glyphString(p.Glyphs), p.Lost, strings.Join(p.Warnings, "; ")}
				if w := tt.want[p.Number-1]; got != w {
					t.Errorf("page %d: %+v, want %+v", p.Number, got, w)
				}
			}
		})
	}
}

// A page object that cannot be read at all is a page that reports it;
// the pages around it still come out.
func TestDamagedKidKeepsOthers(t *testing.T) {
	b := &pdfBuilder{}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 /MediaBox [0 0 600 800] /Resources << /Font << /F1 8 0 R >> >> >>")
	b.add("<< /Type /Page /Parent 2 0 R /Contents 6 0 R >>")
	b.add("PLACEHOLDER")
	b.add("<< /Type /Page /Parent 2 0 R /Contents 7 0 R >>")
	b.add(stream("", "BT /F1 10 Tf 100 700 Td (A) Tj ET"))
	b.add(stream("", "BT /F1 10 Tf 100 700 Td (C) Tj ET"))
	b.add(helveticaObj())
	data := b.bytes()
	// Object 4 becomes an object 9 of the same length: the table points
	// to something else, and the rebuild finds no object 4 either.
	data = bytes.Replace(data, []byte("4 0 obj\nPLACEHOLDER"), []byte("9 0 obj\nPLACEHOLDER"), 1)
	d := openBytes(t, data)
	var got []string
	for p, err := range d.Pages() {
		s := pageText(p)
		if err != nil {
			s = "error"
		}
		got = append(got, s)
	}
	if strings.Join(got, "|") != "A|error|C" {
		t.Errorf("pages %q", got)
	}
	// With object 4 garbage where the table says, likewise.
	data = b.bytes()
	data = bytes.Replace(data, []byte("4 0 obj\nPLACEHOLDER"), []byte("4 0 obj\n(PLACEHOLD"), 1)
	d = openBytes(t, data)
	got = got[:0]
	for p, err := range d.Pages() {
		s := pageText(p)
		if err != nil {
			s = "error"
			if !errors.Is(err, ErrDamaged) || !p.Lost {
				t.Errorf("page %d: %v, Lost %v", p.Number, err, p.Lost)
			}
		}
		got = append(got, s)
	}
	if strings.Join(got, "|") != "A|error|C" {
		t.Errorf("pages %q", got)
	}
}

func TestPageErrorNamesFileAndPage(t *testing.T) {
	err := &PageError{File: "fixtures/x.pdf", Page: 3, Err: fmt.Errorf("%w: boom", ErrDamaged)}
	if got, want := err.Error(), "fixtures/x.pdf: page 3: damaged PDF: boom"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !errors.Is(err, ErrDamaged) {
		t.Error("PageError does not unwrap")
	}
}

func TestLimits(t *testing.T) {
	content := strings.Repeat("1 0 0 1 0 0 cm ", 10000) + "BT /F1 10 Tf 100 700 Td (A) Tj ET"
	b := onePage(content, helveticaRes, "", helveticaObj()).bytes()
	d, err := Open(bytes.NewReader(b), int64(len(b)), &Options{MaxOperators: 5000})
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Page(1)
	if !errors.Is(err, ErrLimit) {
		t.Errorf("err = %v, want ErrLimit", err)
	}
	d, _ = Open(bytes.NewReader(b), int64(len(b)), &Options{MaxContentBytes: 100})
	if _, err = d.Page(1); !errors.Is(err, ErrLimit) {
		t.Errorf("err = %v, want ErrLimit", err)
	}
	if _, err = d.Page(2); !errors.Is(err, ErrPageRange) {
		t.Errorf("err = %v, want ErrPageRange", err)
	}
}

// Damage that poppler repairs by rebuilding the cross-reference table:
// the page reads as the undamaged file does, and Info says it was
// repaired.
func TestRepairs(t *testing.T) {
	good := onePage("BT /F1 10 Tf 100 700 Td (A) Tj ET", helveticaRes, "", helveticaObj()).bytes()
	tests := []struct {
		name string
		data []byte
		why  string // in Info.Warnings
	}{
		{"junk before header", append([]byte("junk\r\n"), good...), "6 bytes before the %PDF- header"},
		{"startxref wrong", bytes.Replace(good, []byte("startxref\n"), []byte("startxref\n9"), 1), "cross-reference table rebuilt"},
		{"xref offsets shifted", variants.ShiftObjects(good, 100), "cross-reference table rebuilt"},
		{"subsection start impossible", bytes.Replace(good, []byte("xref\n0 6\n"), []byte("xref\n4000000000 6\n"), 1), "impossible"},
		{"object offset wrong", bytes.Replace(good, []byte("0000000015 00000 n"), []byte("0000000016 00000 n"), 1), "object 1 0"},
		{"no %%EOF", good[:len(good)-6], "EOF"},
		// An incremental update cut short: the file as it was before it.
		{"update cut short", append(slices.Clone(good), "\n4 0 obj\n<< /Length 40 >>\nstream\nBT /F1 10 Tf 100 7"...), "52 bytes after the last %%EOF hold objects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openBytes(t, tt.data)
			p, err := d.Page(1)
			if err != nil {
				t.Fatal(err)
			}
			if got := glyphString(p.Glyphs); got != "A[100 92.82 105 102.07]" {
				t.Errorf("glyphs %s", got)
			}
			if !d.Info.Repaired || !strings.Contains(strings.Join(d.Info.Warnings, "|"), tt.why) {
				t.Errorf("Repaired %v, warnings %q; want one mentioning %q", d.Info.Repaired, d.Info.Warnings, tt.why)
			}
		})
	}
	// Padding or a web page's end after %%EOF is no update.
	if d := openBytes(t, append(slices.Clone(good), "\n\x00\x00</body></html>\n"...)); d.Info.Repaired {
		t.Errorf("bytes after %%%%EOF without an object made a repair: %q", d.Info.Warnings)
	}
	// A trailer /Size no file needs is not used to allocate anything.
	huge := bytes.Replace(good, []byte("/Size 6"), []byte("/Size 900000000000"), 1)
	if d := openBytes(t, huge); d.Info.Repaired {
		t.Errorf("a huge trailer /Size made a repair: %q", d.Info.Warnings)
	}
}

// A font object that is not where the table says is found when the
// table is rebuilt in the middle of reading a page: that page says so.
func TestRepairWhileReadingPage(t *testing.T) {
	b := onePage("BT /F1 10 Tf 100 700 Td (A) Tj ET", helveticaRes, "", helveticaObj())
	data := b.bytes()
	i := bytes.Index(data, []byte("\n5 0 obj")) + 1
	data = bytes.Replace(data, []byte(fmt.Sprintf("%010d 00000 n", i)), []byte(fmt.Sprintf("%010d 00000 n", i+3)), 1)
	d := openBytes(t, data)
	if d.Info.Repaired {
		t.Fatal("repaired before reading the page")
	}
	p, err := d.Page(1)
	if err != nil {
		t.Fatal(err)
	}
	if got := glyphString(p.Glyphs); got != "A[100 92.82 105 102.07]" {
		t.Errorf("glyphs %s", got)
	}
	if !d.Info.Repaired || len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "object 5 0") {
		t.Errorf("Repaired %v, page warnings %q", d.Info.Repaired, p.Warnings)
	}
}

// An Identity-H TrueType font without ToUnicode: the text comes from the
// embedded font's own cmap, read from glyph back to Unicode (as poppler).
func TestIdentityHWithoutToUnicode(t *testing.T) {
	ttf, err := os.ReadFile("testdata/truetype/hangzhou-police-simsun.ttf")
	if err != nil {
		t.Fatal(err)
	}
	b := onePage("BT /F1 10 Tf 100 700 Td <0003000400050008> Tj ET", "/Font << /F1 5 0 R >>", "",
		"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /CIDToGIDMap /Identity /DW 1000 /FontDescriptor 7 0 R >>",
		"<< /Type /FontDescriptor /FontName /ABCDEF+SimSun /Flags 4 /Ascent 859 /Descent -141 /FontBBox [0 -141 1000 859] /FontFile2 8 0 R >>",
		stream("", string(ttf)))
	p := firstPage(t, b)
	want := "杭[100 91.41 110 101.41] 州[110 91.41 120 101.41] 市[120 91.41 130 101.41] 局[130 91.41 140 101.41]"
	if got := glyphString(p.Glyphs); got != want {
		t.Errorf("glyphs\n got %s\nwant %s", got, want)
	}
}

// A Type 3 font: widths scaled by its FontMatrix, text from Differences.
func TestType3Font(t *testing.T) {
	b := onePage("BT /T3 10 Tf 100 700 Td (ab) Tj ET", "/Font << /T3 5 0 R >>", "",
		"<< /Type /Font /Subtype /Type3 /FontBBox [0 -200 1000 800] /FontMatrix [0.002 0 0 0.002 0 0] /FirstChar 97 /LastChar 98 /Widths [250 500] /Encoding << /Type /Encoding /Differences [97 /uni4E00 /two] >> /CharProcs << >> /Resources << >> >>")
	p := firstPage(t, b)
	// Widths 250 and 500 glyph units x 0.002 = 0.5 and 1 text space unit.
	want := "一[100 84 105 104] 2[105 84 115 104]"
	if got := glyphString(p.Glyphs); got != want {
		t.Errorf("glyphs\n got %s\nwant %s", got, want)
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"\u2ed4":   "门", // CJK radical supplement ⻔
		"\u2f08":   "人", // Kangxi radical ⼈
		"\uf900":   "豈", // CJK compatibility ideograph
		"部\u2ed4":  "部门",
		"A\x00B":   "AB",
		"预算":       "预算",
		" \u3000 ": "",
	} {
		if got, _ := cleanText(in); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
}
