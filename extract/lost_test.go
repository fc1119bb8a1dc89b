package extract

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode"
)

// raceEnabled is set by race_test.go when the race detector is on.
var raceEnabled bool

// tokenString renders the tokens of a lexer compactly, one per line:
// "number 12", "name F1", "string (a)", "operator Tj", "image".
func tokenString(lx *lexer) string {
	var b strings.Builder
	for i := 0; i < 1<<20; i++ {
		t := lx.next()
		switch t.kind {
		case tokEOF:
			return b.String()
		case tokNumber:
			fmt.Fprintf(&b, "number %v\n", t.num)
		case tokName:
			fmt.Fprintf(&b, "name %q\n", t.text)
		case tokString:
			fmt.Fprintf(&b, "string %q\n", t.text)
		case tokOperator:
			fmt.Fprintf(&b, "operator %q\n", t.text)
			if string(t.text) == "ID" {
				lx.skipInlineImage()
				b.WriteString("image\n")
			}
		default:
			fmt.Fprintf(&b, "kind %d\n", t.kind)
		}
	}
	return b.String() + "..."
}

// streamed lexes data read one byte at a time through a window of
// window bytes.
func streamed(data []byte, window int) *lexer {
	lx := newStreamLexer(iotest.OneByteReader(bytes.NewReader(data)), nil)
	lx.buf = make([]byte, window)
	lx.data = lx.buf[:0]
	return lx
}

// Streamed content gives the tokens content in memory gives, whatever
// the window and however the reads split it.
func TestLexerStreaming(t *testing.T) {
	inputs := []string{
		"BT /F1 12 Tf 100 700 Td (Budget \\(1\\)) Tj ET",
		"[(A) -120 (B)] TJ <41 42\n43> Tj /Na#6De 1.2.3 -.5 --4",
		"% a comment\r\n q 1 0 0 1 0 0 cm Q %% another\n<< /A [1 2 (x)] >> BDC EMC",
		"BI /W 2 /H 1 /BPC 8 /CS /G ID \x00EI\xffEIE EI Q",
		"BI ID EI q", "BI ID \nEI", "(unterminated", "<4142", "> } { ) >> <<",
		strings.Repeat("1 ", 300) + "(" + strings.Repeat("x", 500) + ") Tj",
	}
	for _, in := range inputs {
		want := tokenString(&lexer{data: []byte(in)})
		for _, window := range []int{4, 7, 64, lexWindow} {
			if got := tokenString(streamed([]byte(in), window)); got != want {
				t.Errorf("%q through a %d-byte window:\n got %s\nwant %s", in, window, got, want)
			}
		}
	}
}

// A token longer than maxToken ends streamed content with an error
// instead of growing the window without bound.
func TestLexerTokenBound(t *testing.T) {
	src := io.MultiReader(strings.NewReader("BT ("), iotest.OneByteReader(strings.NewReader("")), &endless{'a'})
	lx := newStreamLexer(src, nil)
	if got := lx.next(); got.kind != tokOperator {
		t.Fatalf("first token %v", got)
	}
	lx.next()
	if !errors.Is(lx.err, errTokenTooLong) || len(lx.buf) > maxToken {
		t.Errorf("err %v, window %d bytes", lx.err, len(lx.buf))
	}
}

// A long token read in small pieces costs time linear in its length:
// the window is filled whole before a token is scanned again.
func TestLexerLongToken(t *testing.T) {
	const n = 8 << 20
	src := io.MultiReader(strings.NewReader("("), smallReads{io.LimitReader(&endless{'a'}, n)}, strings.NewReader(") Tj"))
	lx := newStreamLexer(src, nil)
	start := time.Now()
	tok := lx.next()
	if tok.kind != tokString || len(tok.text) != n {
		t.Fatalf("token kind %d of %d bytes", tok.kind, len(tok.text))
	}
	if op := lx.next(); string(op.text) != "Tj" {
		t.Errorf("then %q", op.text)
	}
	bound := 2 * time.Second
	if raceEnabled {
		bound *= 10
	}
	if el := time.Since(start); el > bound {
		t.Errorf("an 8 MiB string took %v", el)
	}
}

// smallReads reads at most 4 KiB at a time, as a decompressor may.
type smallReads struct{ r io.Reader }

func (s smallReads) Read(p []byte) (int, error) { return s.r.Read(p[:min(len(p), 4096)]) }

// badChecksum compresses s with Flate and spoils the Adler-32 checksum.
func badChecksum(s string) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	data := b.Bytes()
	data[len(data)-1] ^= 1
	return string(data)
}

// endless reads one byte forever.
type endless [1]byte

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e[0]
	}
	return len(p), nil
}

// Lost content: what a page could not read is marked Lost with a
// warning saying what, and the other content still comes out.
func TestLost(t *testing.T) {
	font := helveticaObj()
	tests := []struct {
		name     string
		content  string
		res      string
		extra    []string
		text     string // glyph text that still comes out
		warning  string
		lost     bool
		pageErr  error
		noTextOK bool // CheckTextLayer must not say ErrNoTextLayer
	}{
		{name: "healthy", content: "BT /F1 10 Tf 100 700 Td (AB) Tj ET", res: helveticaRes, extra: []string{font}, text: "AB"},
		{name: "missing font", content: "BT /F2 10 Tf 100 700 Td (AB) Tj ET", res: helveticaRes, extra: []string{font},
			warning: "font F2: no font resource", lost: true, noTextOK: true},
		{name: "damaged font", content: "BT /F1 10 Tf 100 700 Td <0001> Tj ET", res: helveticaRes,
			extra:   []string{"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>", "<< /Subtype /CIDFontType2 >>", stream("/Filter /NoSuchDecode", "junk")},
			warning: "could not be read", lost: true, noTextOK: true},
		{name: "ToUnicode with a bad checksum", content: "BT /F1 10 Tf 100 700 Td <0001> Tj ET", res: helveticaRes,
			extra: []string{"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>", "<< /Subtype /CIDFontType2 >>",
				stream("/Filter /FlateDecode", badChecksum("/CIDInit /ProcSet findresource begin 1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfchar <0001> <9884> endbfchar endcmap"))},
			text: "预", warning: "1 Flate stream(s) read with a wrong checksum: what they hold may be damaged"},
		{name: "content with a bad checksum", content: "BT /F1 10 Tf 100 700 Td (AB) Tj ET", res: helveticaRes, extra: []string{font},
			text: "AB", warning: "1 Flate stream(s) read with a wrong checksum: what they hold may be damaged"},
		{name: "no font selected", content: "BT 100 700 Td (AB) Tj ET", res: helveticaRes, extra: []string{font},
			warning: "no font selected", lost: true, noTextOK: true},
		{name: "missing XObject", content: "/X1 Do BT /F1 10 Tf 100 700 Td (A) Tj ET", res: helveticaRes, extra: []string{font},
			text: "A", warning: "XObject X1: not in the resources", lost: true},
		{name: "damaged form", content: "/X1 Do BT /F1 10 Tf 100 700 Td (A) Tj ET", res: helveticaRes + " /XObject << /X1 6 0 R >>",
			extra: []string{font, stream("/Type /XObject /Subtype /Form /Filter /FlateDecode", "not flate")},
			text:  "A", warning: "form XObject X1", lost: true},
		{name: "damaged content stream", content: "", res: helveticaRes, extra: []string{font},
			lost: true, pageErr: ErrDamaged, noTextOK: true},
		{name: "operands without operator", content: strings.Repeat("1 ", maxOperands+10) + "BT /F1 10 Tf 100 700 Td (A) Tj ET", res: helveticaRes, extra: []string{font},
			text: "A", warning: "operands", lost: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := onePage(tt.content, tt.res, "", tt.extra...)
			switch tt.name {
			case "damaged content stream":
				b.objects[3] = stream("/Filter /FlateDecode", "BT /F1 10 Tf 100 700 Td (A) Tj ET")
			case "content with a bad checksum":
				b.objects[3] = stream("/Filter /FlateDecode", badChecksum(tt.content))
			}
			d := openBytes(t, b.bytes())
			p, err := d.Page(1)
			if !errors.Is(err, tt.pageErr) || (err == nil) != (tt.pageErr == nil) {
				t.Errorf("err = %v, want %v", err, tt.pageErr)
			}
			if got := pageText(p); got != tt.text {
				t.Errorf("text %q, want %q", got, tt.text)
			}
			if p.Lost != tt.lost || !strings.Contains(strings.Join(p.Warnings, "|"), tt.warning) {
				t.Errorf("Lost %v, warnings %q; want %v and %q", p.Lost, p.Warnings, tt.lost, tt.warning)
			}
			if err := d.CheckTextLayer(); tt.noTextOK && errors.Is(err, ErrNoTextLayer) {
				t.Errorf("CheckTextLayer = %v: lost text taken for a scan", err)
			}
		})
	}
}

// Error and warning texts are one printable line of bounded length,
// whatever bytes the file holds.
func TestErrorTextsAreOneLine(t *testing.T) {
	ugly := "\n\x00\xff\x1b[31m" + strings.Repeat("长", 300) + "\r\n"
	good := onePage("BT /F1 10 Tf 100 700 Td (A) Tj ET", helveticaRes, "", helveticaObj()).bytes()
	var texts []string
	// startxref points to a string: the object layer's message quotes it
	// raw, and the repair says why.
	x := bytes.Index(good, []byte("\nxref\n")) + 1
	bad := append(append(append([]byte(nil), good[:x]...), "("+ugly+")\n"...), good[x:]...)
	d := openBytes(t, bad)
	if !d.Info.Repaired {
		t.Fatal("not repaired")
	}
	texts = append(texts, d.Info.Warnings...)
	for _, data := range [][]byte{[]byte("%PDF-1.4\n" + ugly + "%%EOF"), []byte(ugly + "%PDF-1.4\n" + ugly)} {
		if _, err := Open(bytes.NewReader(data), int64(len(data)), nil); err != nil {
			texts = append(texts, err.Error())
		}
	}
	// A font named with those bytes, and a resource that is missing.
	page := onePage("BT /#0A#00#FF#1B"+strings.Repeat("长", 300)+" 10 Tf 100 700 Td (A) Tj ET /X#0A#FF Do", helveticaRes, "", helveticaObj())
	d = openBytes(t, page.bytes())
	p, _ := d.Page(1)
	texts = append(texts, p.Warnings...)
	for _, s := range texts {
		t.Logf("%d bytes: %s", len(s), s)
	}
	if len(texts) < 6 {
		t.Fatalf("only %d texts: %q", len(texts), texts)
	}
	for _, s := range texts {
		if len(s) > 2*maxDetail+100 {
			t.Errorf("%d bytes: %q", len(s), s)
		}
		for _, r := range s {
			if !unicode.IsGraphic(r) || r == unicode.ReplacementChar {
				t.Errorf("rune %q in %q", r, s)
				break
			}
		}
	}
	if got := detail("a\nb\x00\xff" + strings.Repeat("x", 300)); !strings.HasPrefix(got, `a\nb\x00\xff`) || !strings.HasSuffix(got, "...") || len(got) > maxDetail+3 {
		t.Errorf("detail = %q", got)
	}
}

// FuzzLexerStreaming checks that streamed content gives the tokens of the
// same content in memory, through a small window and one-byte reads.
func FuzzLexerStreaming(f *testing.F) {
	for _, s := range []string{"BT /F1 12 Tf (a\\(b) Tj ET", "<< /A [1 2 (x)] >> BDC", "BI /W 1 ID \x00 EI", "(unterminated", "<4142", "/Na#6De 1.2.3 -.5", "% c\r\nq"} {
		f.Add([]byte(s), uint8(5))
	}
	f.Fuzz(func(t *testing.T, data []byte, window uint8) {
		want := tokenString(&lexer{data: data})
		if got := tokenString(streamed(data, int(window%32)+2)); got != want {
			t.Errorf("streamed:\n got %s\nwant %s", got, want)
		}
	})
}
