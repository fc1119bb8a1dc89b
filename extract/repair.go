package extract

import (
	"bytes"
	"fmt"
	"io"
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
	return v, version, nil
}
