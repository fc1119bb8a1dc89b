package extract

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
)

// readerView presents a file to the object layer the way it expects one.
// The object layer accepts only a "%PDF-1.0".."%PDF-1.7" header at offset
// 0 followed by an end of line. Real files carry "%PDF-2.0" headers, a
// comment on the header line, bytes before the header (a web server's
// preamble, offsets then counted from the header) or after the last
// "%%EOF" (a trailer, padding). The view starts at the header, rewrites it
// in place (same length, so offsets hold) and ends after the last "%%EOF".
// What else is damaged (a cross-reference table that does not match the
// file) the object layer repairs by rebuilding the table.
type readerView struct {
	r       io.ReaderAt
	skip    int64  // bytes before the header
	size    int64  // bytes in the view
	header  []byte // replacement for the first len(header) bytes, or nil
	version string // the header's version, "1.7", "2.0"
	// cut is the bytes after the last "%%EOF" that hold an object
	// definition ("N G obj"): an incremental update cut short (a
	// truncated download), which the view leaves out; 0 if none.
	cut int64
}

func (v *readerView) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("negative offset %d", off)
	}
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
	n, err := v.r.ReadAt(p, v.skip+off)
	if v.header != nil && off < int64(len(v.header)) {
		copy(p[:n], v.header[off:])
	}
	return n, err
}

const (
	// headWindow is how far from the start the %PDF- header is looked
	// for, as poppler does.
	headWindow = 1024
	// tailWindow is how far from the end the last "%%EOF" is looked for.
	tailWindow = 1 << 16
)

// repair finds the header and the end of the file and builds the view.
func repair(r io.ReaderAt, size int64) (*readerView, error) {
	if size < 8 {
		return nil, fmt.Errorf("%w: %d bytes", ErrNotPDF, size)
	}
	head := make([]byte, min(size, headWindow))
	if n, err := r.ReadAt(head, 0); n < len(head) {
		return nil, damaged("reading the header: %s", err)
	}
	i := bytes.Index(head, []byte("%PDF-"))
	if i < 0 {
		return nil, fmt.Errorf("%w: no %%PDF- header (starts with %q)", ErrNotPDF, head[:min(len(head), 8)])
	}
	v := &readerView{r: r, skip: int64(i), size: size - int64(i)}
	head = head[i:]
	if len(head) >= 8 {
		v.version = string(head[5:8])
	}
	// The object layer wants "%PDF-1.[0-7]" and an end of line at byte 8.
	ok := len(head) > 8 && head[5] == '1' && head[6] == '.' && head[7] >= '0' && head[7] <= '7' &&
		(head[8] == '\r' || head[8] == '\n')
	if !ok && len(head) > 8 {
		v.header = []byte("%PDF-1.7\n")
	}
	// End the view after the last %%EOF; without one (a truncated file)
	// the object layer rebuilds the table from what is there.
	tail := make([]byte, min(v.size, tailWindow))
	off := v.size - int64(len(tail))
	if n, err := v.ReadAt(tail, off); n < len(tail) {
		return nil, damaged("reading the end of the file: %s", err)
	}
	if j := bytes.LastIndex(tail, []byte("%%EOF")); j >= 0 {
		if objectDefRE.Match(tail[j+5:]) {
			v.cut = int64(len(tail) - j - 5)
		}
		v.size = off + int64(j) + 5
	}
	return v, nil
}

// objectDefRE finds an object definition: "12 0 obj".
var objectDefRE = regexp.MustCompile(`(?:^|[^0-9])[0-9]+[ \t\r\n]+[0-9]+[ \t\r\n]+obj\b`)
