package extract

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// readerView presents a file to the object layer the way it expects one:
// the object layer accepts only a "%PDF-1.0".."%PDF-1.7" header followed by
// an end of line, and only "%%EOF" as the very last bytes. Real files carry
// "%PDF-2.0" headers, a comment on the header line, or bytes after the last
// "%%EOF" (a web server's trailer, padding). The view rewrites the header in
// place (same length, so offsets hold) and ends the file after its last
// "%%EOF".
type readerView struct {
	r      io.ReaderAt
	size   int64
	header []byte // replacement for the first len(header) bytes, or nil
}

func (v *readerView) ReadAt(p []byte, off int64) (int, error) {
	if off >= v.size {
		return 0, io.EOF
	}
	if max := v.size - off; int64(len(p)) > max {
		n, err := v.ReadAt(p[:max], off)
		if err == nil {
			err = io.EOF
		}
		return n, err
	}
	n, err := v.r.ReadAt(p, off)
	if v.header != nil && off < int64(len(v.header)) {
		copy(p[:n], v.header[off:])
	}
	return n, err
}

// tailWindow is how far from the end the last "%%EOF" is looked for.
const tailWindow = 1 << 16

// repair checks the header and builds the view. It returns the header's
// version ("1.7", "2.0").
func repair(r io.ReaderAt, size int64) (*readerView, string, error) {
	if size < 8 {
		return nil, "", fmt.Errorf("%w: %d bytes", ErrNotPDF, size)
	}
	head := make([]byte, min(size, 1024))
	if n, err := r.ReadAt(head, 0); n < len(head) {
		return nil, "", fmt.Errorf("%w: reading header: %v", ErrDamaged, err)
	}
	i := bytes.Index(head, []byte("%PDF-"))
	if i != 0 {
		if i > 0 {
			return nil, "", fmt.Errorf("%w: %d bytes before the %%PDF- header", ErrDamaged, i)
		}
		return nil, "", fmt.Errorf("%w: no %%PDF- header (starts with %q)", ErrNotPDF, head[:min(len(head), 8)])
	}
	version := ""
	if len(head) >= 8 {
		version = string(head[5:8])
	}
	v := &readerView{r: r, size: size}
	// The object layer wants "%PDF-1.[0-7]" and an end of line at byte 8.
	ok := len(head) > 8 && head[5] == '1' && head[6] == '.' && head[7] >= '0' && head[7] <= '7' &&
		(head[8] == '\r' || head[8] == '\n')
	if !ok && len(head) > 8 {
		v.header = []byte("%PDF-1.7\n")
	}
	// End the view after the last %%EOF.
	tail := make([]byte, min(size, tailWindow))
	off := size - int64(len(tail))
	if n, _ := r.ReadAt(tail, off); n < len(tail) {
		return nil, "", fmt.Errorf("%w: reading the end of the file", ErrDamaged)
	}
	j := bytes.LastIndex(tail, []byte("%%EOF"))
	if j < 0 {
		return nil, "", fmt.Errorf("%w: no %%%%EOF marker (truncated file?)", ErrDamaged)
	}
	v.size = off + int64(j) + 5
	if err := checkXref(r, v.size, tail[:j+5]); err != nil {
		return nil, "", err
	}
	return v, version, nil
}

// The object layer allocates its cross-reference table from numbers in the
// file (/Size, subsection starts) without bounds: a hostile or corrupted
// file can make it allocate gigabytes. checkXref reads the cross-reference
// sections the object layer will read (startxref and its /Prev chain) and
// refuses numbers that no file of this size can need.

var (
	startxrefRE = regexp.MustCompile(`startxref\s+(\d+)`)
	sizeRE      = regexp.MustCompile(`/Size\s+(\d+)`)
	prevRE      = regexp.MustCompile(`/Prev\s+(\d+)`)
	indexRE     = regexp.MustCompile(`/Index\s*\[([\d\s]*)\]`)
)

// xrefWindow is how much of a cross-reference section is read to check it.
const xrefWindow = 4 << 20

func checkXref(r io.ReaderAt, size int64, tail []byte) error {
	limit := 1000 + size/2 // object numbers a file of this size can use
	ms := startxrefRE.FindAllSubmatch(tail, -1)
	if len(ms) == 0 {
		return nil // the object layer reports the missing startxref
	}
	off, _ := strconv.ParseInt(string(ms[len(ms)-1][1]), 10, 64)
	seen := make(map[int64]bool)
	for hop := 0; hop < 64 && off > 0 && off < size && !seen[off]; hop++ {
		seen[off] = true
		buf := make([]byte, min(size-off, xrefWindow))
		n, _ := r.ReadAt(buf, off)
		buf = buf[:n]
		if err := checkXrefSection(buf, limit); err != nil {
			return err
		}
		// The section's own dictionary (trailer or xref stream).
		dict := buf
		if i := bytes.Index(buf, []byte("trailer")); i >= 0 {
			dict = buf[i:]
		}
		dict = dict[:min(len(dict), 4096)]
		if m := sizeRE.FindSubmatch(dict); m != nil {
			if v, err := strconv.ParseInt(string(m[1]), 10, 64); err != nil || v > limit {
				return fmt.Errorf("%w: cross-reference /Size %s is impossible for a %d-byte file", ErrDamaged, m[1], size)
			}
		}
		if m := indexRE.FindSubmatch(dict); m != nil {
			f := strings.Fields(string(m[1]))
			for i := 0; i+1 < len(f); i += 2 {
				a, err1 := strconv.ParseInt(f[i], 10, 64)
				b, err2 := strconv.ParseInt(f[i+1], 10, 64)
				if err1 != nil || err2 != nil || a+b > limit {
					return fmt.Errorf("%w: cross-reference /Index %s %s is impossible for a %d-byte file", ErrDamaged, f[i], f[i+1], size)
				}
			}
		}
		off = 0
		if m := prevRE.FindSubmatch(dict); m != nil {
			off, _ = strconv.ParseInt(string(m[1]), 10, 64)
		}
	}
	return nil
}

// checkXrefSection checks the subsection headers of a classic "xref"
// table: each "start count" pair must stay within limit.
func checkXrefSection(buf []byte, limit int64) error {
	lx := lexer{data: buf}
	if t := lx.next(); t.kind != tokOperator || string(t.text) != "xref" {
		return nil // an xref stream: its dictionary is checked by the caller
	}
	for steps := 0; steps < 1<<20; steps++ {
		a := lx.next()
		if a.kind != tokNumber {
			return nil // "trailer" or the end of what was read
		}
		b := lx.next()
		if b.kind != tokNumber || a.num < 0 || b.num < 0 || a.num+b.num > float64(limit) {
			return fmt.Errorf("%w: cross-reference subsection %v %v is impossible for this file", ErrDamaged, a.num, b.num)
		}
		for i := 0; i < int(b.num)*3; i++ {
			if lx.next().kind == tokEOF {
				return nil
			}
		}
	}
	return nil
}
