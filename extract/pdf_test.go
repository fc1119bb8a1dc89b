package extract

import (
	"bytes"
	"fmt"
	"strings"
)

// This file builds small, valid PDFs in memory for the tests: each object
// is given as text, and the builder writes the header, the cross-reference
// table and the trailer with correct offsets.

type pdfBuilder struct {
	header  string   // default "%PDF-1.7"
	objects []string // object n+1 is objects[n]
	trailer string   // extra trailer entries
	tail    string   // bytes after %%EOF
}

// add appends an object and returns its number.
func (b *pdfBuilder) add(obj string) int {
	b.objects = append(b.objects, obj)
	return len(b.objects)
}

// stream formats a stream object with an uncompressed body.
func stream(dict, body string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(body), body)
}

func (b *pdfBuilder) bytes() []byte {
	var buf bytes.Buffer
	h := b.header
	if h == "" {
		h = "%PDF-1.7"
	}
	buf.WriteString(h + "\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(b.objects))
	for i, o := range b.objects {
		offsets[i] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(b.objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(b.objects)+1, b.trailer, xref)
	buf.WriteString(b.tail)
	return buf.Bytes()
}

// onePage builds a document with one page of the given content and
// resources (a dictionary body, without << >>), MediaBox 0 0 600 800 unless
// pageExtra sets another.
func onePage(content, resources, pageExtra string, extra ...string) *pdfBuilder {
	b := &pdfBuilder{}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	if !strings.Contains(pageExtra, "MediaBox") {
		pageExtra += " /MediaBox [0 0 600 800]"
	}
	b.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.add(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << %s >> %s >>", resources, pageExtra))
	b.add(stream("", content))
	for _, e := range extra {
		b.add(e)
	}
	return b
}

// helvetica is a resource entry for a simple WinAnsi font with 500-unit
// widths for every code, as object 5.
const helveticaRes = "/Font << /F1 5 0 R >>"

func helveticaObj() string {
	w := strings.TrimSpace(strings.Repeat("500 ", 224))
	return fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths [%s] >>", w)
}
