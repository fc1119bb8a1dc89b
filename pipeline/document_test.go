package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/schema"
	"github.com/shopspring/decimal"
)

// pdfFile writes a PDF of the given objects (object n is objects[n-1],
// the catalog first) with a cross-reference table, and returns its path.
func pdfFile(t *testing.T, dir, name string, objects ...string) string {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// stream is a stream object with an uncompressed body.
func stream(body string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(body), body)
}

// onePage is a one-page PDF drawing content, with the font F1 (Helvetica).
func onePage(t *testing.T, dir, name, content string) string {
	return pdfFile(t, dir, name,
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		stream(content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
}

// dagPages is a PDF whose page tree has the given depth, each node
// listing its one child twice: 2^depth pages (a rectangle each) from
// depth+4 objects.
func dagPages(t *testing.T, dir, name string, depth int) string {
	objects := []string{"<< /Type /Catalog /Pages 2 0 R >>"}
	for i := range depth {
		n := 2 + i
		objects = append(objects, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count %d >>", n+1, n+1, 1<<(depth-i)))
	}
	objects = append(objects, fmt.Sprintf("<< /Type /Page /MediaBox [0 0 300 200] /Contents %d 0 R >>", depth+3), stream("0 G 20 20 260 160 re S"))
	return pdfFile(t, dir, name, objects...)
}

// docLine renders a document record as one line: status, pages, repaired,
// warnings and error, the file's path left out.
func docLine(file string, r *Result) string {
	d := r.Document
	return strings.ReplaceAll(fmt.Sprintf("%s pages=%d repaired=%v warnings=%q error=%q", d.Status, d.Pages, d.Repaired, d.Warnings, d.Error), file, "FILE")
}

// TestDocumentRecord: what the documents record says of damage that lost
// nothing (repaired, warnings, status ok), of pages that lost content
// (partial, never taken for a scan), of limits and of passwords.
func TestDocumentRecord(t *testing.T) {
	tmp := t.TempDir()
	hostile := "../extract/testdata/hostile/"
	encrypted := "../extract/testdata/encrypted/aes-128-user.pdf"
	tests := []struct {
		name string
		file string
		opts *Options
		want string
	}{
		{"junk before the header", hostile + "junk-prefix.pdf", nil,
			`ok pages=1 repaired=true warnings=["repaired: 50 bytes before the %PDF- header: offsets taken from the header"] error=""`},
		{"offsets 100 bytes off", hostile + "xref-shifted-100.pdf", nil,
			`ok pages=1 repaired=true warnings=["repaired: cross-reference table rebuilt: malformed PDF: cross-reference table not found: bj"] error=""`},
		{"page tree loop", hostile + "cycle-with-page.pdf", nil,
			`ok pages=1 repaired=false warnings=["page tree: object 2 is its own ancestor: skipped" "page tree: object 3 is its own ancestor: skipped"] error=""`},
		{"text shown without a font", onePage(t, tmp, "nofont.pdf", "BT 40 150 Td (Budget) Tj ET"), nil,
			`partial pages=1 repaired=false warnings=[] error="FILE: page 1: content lost: text shown with no font selected"`},
		{"a missing font, unused", onePage(t, tmp, "unusedfont.pdf", "BT /F2 12 Tf /F1 12 Tf 40 150 Td (Budget) Tj ET"), nil,
			`ok pages=1 repaired=false warnings=["page 1: font F2: no font resource"] error=""`},
		{"a scan", onePage(t, tmp, "scan.pdf", "0 G 20 20 260 160 re S"), nil,
			`no_text_layer pages=1 repaired=false warnings=[] error="no text layer: 1 page(s) of images only"`},
		{"8192 pages, -max-pages 10000", dagPages(t, tmp, "dag8192.pdf", 13), &Options{MaxPages: 10000},
			`no_text_layer pages=8192 repaired=false warnings=[] error="no text layer: 8192 page(s) of images only"`},
		{"8192 pages, default -max-pages", filepath.Join(tmp, "dag8192.pdf"), nil,
			`failed pages=0 repaired=false warnings=[] error="FILE: over the page limit (-max-pages 5000): limit exceeded: more than 5000 pages (Options.MaxPages)"`},
		{"user password not given", encrypted, nil,
			`failed pages=0 repaired=false warnings=[] error="FILE: PDF needs a password: the file has a user password (Options.Password)"`},
		{"wrong password", encrypted, &Options{Password: "guess"},
			`failed pages=0 repaired=false warnings=[] error="FILE: PDF needs a password: the password given is neither its user nor its owner password"`},
		{"user password", encrypted, &Options{Password: "user"},
			`ok pages=1 repaired=false warnings=[] error=""`},
		{"owner password", encrypted, &Options{Password: "owner"},
			`ok pages=1 repaired=false warnings=[] error=""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := ReadDocument(context.Background(), tt.file, tt.opts)
			if got := docLine(tt.file, r); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestErrorTextOneLine: the error of a documents record is one printable
// line of at most maxErrorText bytes, whatever the file's name holds
// (newlines, invalid UTF-8, control characters) and however long it is.
func TestErrorTextOneLine(t *testing.T) {
	tmp := t.TempDir()
	long := filepath.Join(strings.Repeat(strings.Repeat("预算", 40)+"/", 10), "x.pdf")
	names := []string{"line\nbreak\r\x1b[31m\xff\xfe.pdf", long}
	for _, name := range names {
		path := filepath.Join(tmp, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte("%PDF-1.4\ngarbage\x00\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := ReadDocument(context.Background(), path, nil)
		if err == nil || !printableLine(r.Document.Error, maxErrorText) {
			t.Errorf("%q: error %q (%d bytes), want one printable line of at most %d bytes", name, r.Document.Error, len(r.Document.Error), maxErrorText)
		}
	}
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"two\nlines\ttab", `two\nlines\ttab`},
		{"bad \xff byte", `bad \xff byte`},
		{"bell\a and \u2028", `bell\a and \u2028`},
		{strings.Repeat("x", 30), strings.Repeat("x", 8) + "..." + strings.Repeat("x", 9)},
		{"open /very/long/path: file name too long", "open /ve... too long"},
		{strings.Repeat("预", 10), "预预...预预预"},
		{strings.Repeat("\n", 8), strings.Repeat(`\n`, 8)},
		{strings.Repeat("\n", 12), `\n\n\n\n...n\n\n\n\n`},
	}
	for _, tt := range tests {
		if got := oneLine(tt.in, 20); got != tt.want || !printableLine(got, 20) {
			t.Errorf("oneLine(%q, 20) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// printableLine reports whether s is valid UTF-8 of graphic runes only, in
// at most max bytes.
func printableLine(s string, max int) bool {
	if len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsGraphic(r) {
			return false
		}
	}
	return true
}

// FuzzOneLine: whatever the text, oneLine gives one printable line within
// its bound, and leaves a printable line that fits alone.
func FuzzOneLine(f *testing.F) {
	f.Add("plain", 20)
	f.Add("two\nlines\xff", 5)
	f.Add(strings.Repeat("预算", 50), 64)
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = 4 + abs(max)%2000
		got := oneLine(s, max)
		if !printableLine(got, max) {
			t.Fatalf("oneLine(%q, %d) = %q", s, max, got)
		}
		if printableLine(s, max) && got != s {
			t.Fatalf("oneLine(%q, %d) = %q, want it unchanged", s, max, got)
		}
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestCheckRecordsOverflow: a check whose sum does not fit the schema (a
// damaged file printing a 26-digit total) keeps its record with the value
// null, and says so as a problem, so that the document can be written.
func TestCheckRecordsOverflow(t *testing.T) {
	huge := decimal.RequireFromString("71314271314271314226159863")
	one := decimal.NewFromInt(1)
	diff := huge.Sub(one)
	doc := &schema.Document{DocumentID: "d", SourceFile: "f.pdf"}
	tables := []schema.Table{{TableIndex: 0}}
	checks := []normalize.Check{{Table: 0, Row: 58, Rule: "column.top-level", Scope: normalize.ScopeColumn, Status: normalize.CheckFail,
		Expected: &huge, Actual: &one, Difference: &diff}}
	recs, problems := checkRecords(doc, tables, checks)
	got := fmt.Sprintf("%v %v %v %d/%d | %s", recs[0].Expected, recs[0].Actual, recs[0].Difference, doc.ChecksFailed, tables[0].ChecksFailed, strings.Join(problems, "; "))
	want := "<nil> 1 <nil> 1/1 | table 0: check column.top-level row 58: expected 71314271314271314226159863 does not fit DECIMAL(18,6); " +
		"table 0: check column.top-level row 58: difference 71314271314271314226159862 does not fit DECIMAL(18,6)"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	w, err := schema.NewPartWriter(t.TempDir(), nil, "b")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(schema.Dataset{Documents: []schema.Document{*doc}, Tables: tables, Checks: recs}); err != nil {
		t.Errorf("the records cannot be written: %v", err)
	}
}
