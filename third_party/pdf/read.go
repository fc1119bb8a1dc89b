// Copyright 2014 The Go Authors.  All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package pdf implements reading of PDF files.
//
// # Overview
//
// PDF is Adobe's Portable Document Format, ubiquitous on the internet.
// A PDF document is a complex data format built on a fairly simple structure.
// This package exposes the simple structure along with some wrappers to
// extract basic information. If more complex information is needed, it is
// possible to extract that information by interpreting the structure exposed
// by this package.
//
// Specifically, a PDF is a data structure built from Values, each of which has
// one of the following Kinds:
//
//	Null, for the null object.
//	Integer, for an integer.
//	Real, for a floating-point number.
//	Bool, for a boolean value.
//	Name, for a name constant (as in /Helvetica).
//	String, for a string constant.
//	Dict, for a dictionary of name-value pairs.
//	Array, for an array of values.
//	Stream, for an opaque data stream and associated header dictionary.
//
// The accessors on Value—Int64, Float64, Bool, Name, and so on—return
// a view of the data as the given type. When there is no appropriate view,
// the accessor returns a zero result. For example, the Name accessor returns
// the empty string if called on a Value v for which v.Kind() != Name.
// Returning zero values this way, especially from the Dict and Array accessors,
// which themselves return Values, makes it possible to traverse a PDF quickly
// without writing any error checking. On the other hand, it means that mistakes
// can go unreported.
//
// The basic structure of the PDF file is exposed as the graph of Values.
//
// Most richer data structures in a PDF file are dictionaries with specific interpretations
// of the name-value pairs. The Font and Page wrappers make the interpretation
// of a specific Value as the corresponding type easier. They are only helpers, though:
// they are implemented only in terms of the Value API and could be moved outside
// the package. Equally important, traversal of other PDF data structures can be implemented
// in other packages as needed.
package pdf

// BUG(rsc): The package is incomplete, although it has been used successfully on some
// large real-world PDF files.

// BUG(rsc): There is no support for closing open PDF files. If you drop all references to a Reader,
// the underlying reader will eventually be garbage collected.

// BUG(rsc): The library makes no attempt at efficiency. A value cache maintained in the Reader
// would probably help significantly.

// BUG(rsc): The support for reading encrypted files is weak.

// BUG(rsc): The Value API does not support error reporting. The intent is to allow users to
// set an error reporting callback in Reader, but that code has not been implemented.

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
)

// DebugOn is responsible for logging messages into stdout. If problems arise during reading, set it true.
var DebugOn = false

// A Reader is a single PDF file open for reading. A Reader keeps state
// while it reads (the object streams it decoded, the rebuilt cross-
// reference table of a damaged file), so it must not be used from several
// goroutines at once.
type Reader struct {
	f          io.ReaderAt
	end        int64
	xref       []xref
	trailer    dict
	trailerptr objptr
	crypt      *crypt // nil if the file is not encrypted

	objStms      map[objptr]*objStm // decoded object streams
	objStmBytes  int                // their total decoded size
	loading      map[objptr]bool    // object streams being decoded: a cycle guard
	depth        int                // nesting of object lookups through object streams
	rebuilt      bool               // the cross-reference table was rebuilt (or tried)
	repaired     string             // why it was rebuilt, "" if it was not
	badChecksums int                // Flate streams read whose Adler-32 checksum was wrong
	pendingStms  []objptr           // object streams to index once decryption is set up
	pendingStart []int64            // their file offsets
}

type xref struct {
	ptr      objptr
	inStream bool
	stream   objptr
	offset   int64
}

// Open opens a file for reading.
func Open(file string) (*os.File, *Reader, error) {
	f, err := os.Open(file)
	if err != nil {
		// f is nil here; calling f.Close() would panic.
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	reader, err := NewReader(f, fi.Size())
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, reader, err
}

// NewReader opens a file for reading, using the data in f with the given total size.
func NewReader(f io.ReaderAt, size int64) (*Reader, error) {
	return NewReaderEncrypted(f, size, nil)
}

// NewReaderEncrypted opens a file for reading, using the data in f with the given total size.
// If the PDF is encrypted, NewReaderEncrypted tries the empty password, then calls pw
// repeatedly to obtain passwords to try, each as the user and as the owner password.
// If pw returns the empty string, NewReaderEncrypted stops trying to decrypt
// the file and returns an error wrapping ErrInvalidPassword.
//
// When the cross-reference table cannot be read (no startxref, a table or
// stream that does not parse, an offset that points elsewhere) or the
// trailer's /Root cannot be read, the table is rebuilt by scanning the
// file for "N G obj", as poppler, mupdf and qpdf do; Repaired says why.
func NewReaderEncrypted(f io.ReaderAt, size int64, pw func() string) (r *Reader, err error) {
	defer func() {
		if x := recover(); x != nil {
			r = nil
			err = panicError(x)
		}
	}()

	buf := make([]byte, 10)
	f.ReadAt(buf, 0)
	if !bytes.HasPrefix(buf, []byte("%PDF-1.")) || buf[7] < '0' || buf[7] > '7' || buf[8] != '\r' && buf[8] != '\n' {
		return nil, fmt.Errorf("not a PDF file: invalid header")
	}
	r = &Reader{
		f:   f,
		end: size,
	}
	if xerr := r.readXrefChain(); xerr != nil {
		r.rebuilt = true
		if rerr := r.rebuild(xerr); rerr != nil {
			return nil, fmt.Errorf("%v (rebuilding the cross-reference table: %v)", xerr, rerr)
		}
	}
	if r.trailer["Encrypt"] != nil {
		if err := r.openEncrypted(pw); err != nil {
			return nil, err
		}
	}
	r.indexPendingObjStms()
	if !r.rebuilt && !r.rootOK() {
		r.Rebuild()
	}
	return r, nil
}

// openEncrypted sets up decryption with the empty password or one that pw
// gives.
func (r *Reader) openEncrypted(pw func() string) error {
	err := r.initEncrypt("")
	if err == nil {
		return nil
	}
	if pw == nil || err != ErrInvalidPassword {
		return err
	}
	for {
		next := pw()
		if next == "" {
			break
		}
		if r.initEncrypt(next) == nil {
			return nil
		}
	}
	return err
}

// readXrefChain reads the cross-reference sections from the file's last
// startxref on.
func (r *Reader) readXrefChain() error {
	const endChunk = 1024 // the final startxref is looked for this far from the end
	buf := make([]byte, min(endChunk, r.end))
	n, _ := r.f.ReadAt(buf, r.end-int64(len(buf)))
	tailStart := r.end - int64(len(buf))
	buf = bytes.TrimRight(buf[:n], "\r\n\t \x00")
	if !bytes.HasSuffix(buf, []byte("%%EOF")) {
		return fmt.Errorf("not a PDF file: missing %%%%EOF")
	}
	i := findLastLine(buf, "startxref")
	if i < 0 {
		return fmt.Errorf("malformed PDF file: missing final startxref")
	}
	pos := tailStart + int64(i)
	b := newBuffer(io.NewSectionReader(r.f, pos, r.end-pos), pos)
	if b.readToken() != keyword("startxref") {
		return fmt.Errorf("malformed PDF file: missing startxref")
	}
	startxref, ok := b.readToken().(int64)
	if !ok || startxref < 0 || startxref >= r.end {
		return fmt.Errorf("malformed PDF file: startxref not followed by an offset in the file")
	}
	xref, trailerptr, trailer, err := r.readXrefAt(startxref)
	if err != nil {
		return err
	}
	r.xref = xref
	r.trailer = trailer
	r.trailerptr = trailerptr
	return nil
}

// readXrefAt reads the cross-reference section at off and its /Prev chain,
// turning a panic of the lexer into an error.
func (r *Reader) readXrefAt(off int64) (table []xref, ptr objptr, trailer dict, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = panicError(x)
		}
	}()
	b := newBuffer(io.NewSectionReader(r.f, off, r.end-off), off)
	return readXref(r, b)
}

// rootOK reports whether the trailer's /Root is a dictionary with /Pages.
// Looking it up may rebuild the cross-reference table (see resolve).
func (r *Reader) rootOK() (ok bool) {
	defer func() {
		if x := recover(); x != nil {
			ok = false
		}
	}()
	return r.Trailer().Key("Root").Key("Pages").Kind() == Dict
}

// Repaired returns why the cross-reference table was rebuilt, or "" if it
// was read as the file gives it. A table is rebuilt when the file is
// opened, or later, the first time an object is not found where the table
// says it is.
func (r *Reader) Repaired() string { return r.repaired }

// BadChecksums returns how many Flate streams read so far ended with a
// wrong Adler-32 checksum: their data was used (as poppler uses it), but
// may not be what was compressed.
func (r *Reader) BadChecksums() int { return r.badChecksums }

// Rebuild rebuilds the cross-reference table by scanning the file, for a
// file whose table reads but whose objects do not make sense (no page
// tree). It does nothing if the table was already rebuilt.
func (r *Reader) Rebuild() error {
	if r.rebuilt {
		return nil
	}
	r.rebuilt = true
	err := r.rebuild(fmt.Errorf("the document catalog or its page tree cannot be read"))
	r.indexPendingObjStms()
	return err
}

// panicError turns a recovered panic value into an error.
func panicError(x interface{}) error {
	if e, ok := x.(error); ok {
		return e
	}
	return fmt.Errorf("malformed PDF: %v", x)
}

// Trailer returns the file's Trailer value.
func (r *Reader) Trailer() Value {
	return Value{r, r.trailerptr, r.trailer}
}

func readXref(r *Reader, b *buffer) ([]xref, objptr, dict, error) {
	tok := b.readToken()
	if tok == keyword("xref") {
		return readXrefTable(r, b)
	}
	if _, ok := tok.(int64); ok {
		b.unreadToken(tok)
		return readXrefStream(r, b)
	}
	return nil, objptr{}, nil, fmt.Errorf("malformed PDF: cross-reference table not found: %v", tok)
}

// maxXrefSections bounds the /Prev chain of cross-reference sections.
const maxXrefSections = 1000

// readPrevXrefs walks a /Prev chain of cross-reference sections. first is the
// /Prev entry of the most recently read section; parse is called with a buffer
// positioned at the start of each previous section and must return that
// section's own /Prev entry (or nil) to continue the chain. A chain that
// comes back to a section already read ends there.
func readPrevXrefs(r *Reader, first object, parse func(b *buffer) (object, error)) error {
	seen := make(map[int64]bool)
	for prev := first; prev != nil; {
		off, ok := prev.(int64)
		if !ok || off < 0 || off >= r.end {
			return fmt.Errorf("malformed PDF: xref Prev is not an offset in the file: %v", objfmt(prev))
		}
		if seen[off] {
			return nil // a loop: every section in it has been read
		}
		if len(seen) >= maxXrefSections {
			return fmt.Errorf("malformed PDF: more than %d cross-reference sections", maxXrefSections)
		}
		seen[off] = true
		b := newBuffer(io.NewSectionReader(r.f, off, r.end-off), off)
		next, err := parse(b)
		if err != nil {
			return err
		}
		prev = next
	}
	return nil
}

// maxObjects is the largest object number a file of the given size is
// believed to use: a cross-reference section claiming more is damaged
// (and would make the table allocate without bound).
func maxObjects(size int64) int64 {
	return min(1000+size/2, 1<<23)
}

func readXrefStream(r *Reader, b *buffer) ([]xref, objptr, dict, error) {
	obj1 := b.readObject()
	obj, ok := obj1.(objdef)
	if !ok {
		return nil, objptr{}, nil, fmt.Errorf("malformed PDF: cross-reference table not found: %v", objfmt(obj1))
	}
	strmptr := obj.ptr
	strm, ok := obj.obj.(stream)
	if !ok {
		return nil, objptr{}, nil, fmt.Errorf("malformed PDF: cross-reference table not found: %v", objfmt(obj))
	}
	if strm.hdr["Type"] != name("XRef") {
		return nil, objptr{}, nil, fmt.Errorf("malformed PDF: xref stream does not have type XRef")
	}
	size, ok := strm.hdr["Size"].(int64)
	if !ok {
		return nil, objptr{}, nil, fmt.Errorf("malformed PDF: xref stream missing Size")
	}
	if size < 0 || size > maxObjects(r.end) {
		return nil, objptr{}, nil, fmt.Errorf("malformed PDF: xref stream /Size %d is impossible for a %d-byte file", size, r.end)
	}
	table := make([]xref, size)

	table, err := readXrefStreamData(r, strm, table, size)
	if err != nil {
		return nil, objptr{}, nil, fmt.Errorf("malformed PDF: %v", err)
	}

	err = readPrevXrefs(r, strm.hdr["Prev"], func(b *buffer) (object, error) {
		obj1 := b.readObject()
		obj, ok := obj1.(objdef)
		if !ok {
			return nil, fmt.Errorf("malformed PDF: xref prev stream not found: %v", objfmt(obj1))
		}
		prevstrm, ok := obj.obj.(stream)
		if !ok {
			return nil, fmt.Errorf("malformed PDF: xref prev stream not found: %v", objfmt(obj))
		}
		prev := Value{r, objptr{}, prevstrm}
		if prev.Kind() != Stream {
			return nil, fmt.Errorf("malformed PDF: xref prev stream is not stream: %v", prev)
		}
		if prev.Key("Type").Name() != "XRef" {
			return nil, fmt.Errorf("malformed PDF: xref prev stream does not have type XRef")
		}
		psize := prev.Key("Size").Int64()
		if psize > size {
			return nil, fmt.Errorf("malformed PDF: xref prev stream larger than last stream")
		}
		var dataErr error
		table, dataErr = readXrefStreamData(r, prev.data.(stream), table, psize)
		if dataErr != nil {
			return nil, fmt.Errorf("malformed PDF: reading xref prev stream: %v", dataErr)
		}
		return prevstrm.hdr["Prev"], nil
	})
	if err != nil {
		return nil, objptr{}, nil, err
	}

	return table, strmptr, strm.hdr, nil
}

func readXrefStreamData(r *Reader, strm stream, table []xref, size int64) ([]xref, error) {
	index, _ := strm.hdr["Index"].(array)
	if index == nil {
		index = array{int64(0), size}
	}
	if len(index)%2 != 0 {
		return nil, fmt.Errorf("invalid Index array %v", objfmt(index))
	}
	ww, ok := strm.hdr["W"].(array)
	if !ok {
		return nil, fmt.Errorf("xref stream missing W array")
	}

	var w []int
	for _, x := range ww {
		i, ok := x.(int64)
		if !ok || i < 0 || i > 8 {
			return nil, fmt.Errorf("invalid W array %v", objfmt(ww))
		}
		w = append(w, int(i))
	}
	if len(w) < 3 {
		return nil, fmt.Errorf("invalid W array %v", objfmt(ww))
	}

	v := Value{r, objptr{}, strm}
	wtotal := 0
	for _, wid := range w {
		wtotal += wid
	}
	buf := make([]byte, wtotal)
	data := v.Reader()
	for len(index) > 0 {
		start, ok1 := index[0].(int64)
		n, ok2 := index[1].(int64)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("malformed Index pair %v %v %T %T", objfmt(index[0]), objfmt(index[1]), index[0], index[1])
		}
		index = index[2:]
		if start < 0 || n < 0 || start+n > maxObjects(r.end) {
			return nil, fmt.Errorf("xref stream subsection %d %d is impossible for a %d-byte file", start, n, r.end)
		}
		for i := 0; i < int(n); i++ {
			_, err := io.ReadFull(data, buf)
			if err != nil {
				return nil, fmt.Errorf("error reading xref stream: %v", err)
			}
			v1 := decodeInt(buf[0:w[0]])
			if w[0] == 0 {
				v1 = 1
			}
			v2 := decodeInt(buf[w[0] : w[0]+w[1]])
			v3 := decodeInt(buf[w[0]+w[1] : w[0]+w[1]+w[2]])
			x := int(start) + i
			table = ensureXrefLen(table, x)
			if table[x].ptr != (objptr{}) {
				continue
			}
			switch v1 {
			case 0:
				table[x] = xref{ptr: objptr{0, 65535}}
			case 1:
				table[x] = xref{ptr: objptr{uint32(x), uint16(v3)}, offset: int64(v2)}
			case 2:
				table[x] = xref{ptr: objptr{uint32(x), 0}, inStream: true, stream: objptr{uint32(v2), 0}, offset: int64(v3)}
			default:
				if DebugOn {
					fmt.Printf("invalid xref stream type %d: %x\n", v1, buf)
				}
			}
		}
	}
	return table, nil
}

func decodeInt(b []byte) int {
	x := 0
	for _, c := range b {
		x = x<<8 | int(c)
	}
	return x
}

// ensureXrefLen grows table, if needed, so that table[x] is a valid element.
// The previous idiom (repeatedly append(table[:cap(table)], xref{})) was
// correct but hard to follow, so this replaces it with an explicit resize.
func ensureXrefLen(table []xref, x int) []xref {
	if x < len(table) {
		return table
	}
	return append(table, make([]xref, x-len(table)+1)...)
}

func readXrefTable(r *Reader, b *buffer) ([]xref, objptr, dict, error) {
	var table []xref

	table, err := readXrefTableData(b, table, maxObjects(r.end))
	if err != nil {
		return nil, objptr{}, nil, fmt.Errorf("malformed PDF: %v", err)
	}

	trailer, ok := b.readObject().(dict)
	if !ok {
		return nil, objptr{}, nil, fmt.Errorf("malformed PDF: xref table not followed by trailer dictionary")
	}
	table = readXRefStm(r, trailer, table)

	err = readPrevXrefs(r, trailer["Prev"], func(b *buffer) (object, error) {
		if tok := b.readToken(); tok != keyword("xref") {
			return nil, fmt.Errorf("malformed PDF: xref Prev does not point to xref")
		}
		var dataErr error
		table, dataErr = readXrefTableData(b, table, maxObjects(r.end))
		if dataErr != nil {
			return nil, fmt.Errorf("malformed PDF: %v", dataErr)
		}
		prevTrailer, ok := b.readObject().(dict)
		if !ok {
			return nil, fmt.Errorf("malformed PDF: xref Prev table not followed by trailer dictionary")
		}
		table = readXRefStm(r, prevTrailer, table)
		return prevTrailer["Prev"], nil
	})
	if err != nil {
		return nil, objptr{}, nil, err
	}

	size, ok := trailer[name("Size")].(int64)
	if !ok {
		return nil, objptr{}, nil, fmt.Errorf("malformed PDF: trailer missing /Size entry")
	}

	if size < int64(len(table)) {
		table = table[:size]
	}

	return table, objptr{}, trailer, nil
}

// readXRefStm adds the entries of the cross-reference stream that the
// trailer of a hybrid-reference file names in /XRefStm (7.5.8.4): the
// objects in object streams, which the table itself leaves out. Entries
// the table has are kept; a stream that cannot be read adds nothing.
func readXRefStm(r *Reader, trailer dict, table []xref) (out []xref) {
	off, ok := trailer["XRefStm"].(int64)
	if !ok || off < 0 || off >= r.end {
		return table
	}
	out = table
	defer func() { recover() }() // out is table as it was before the panic
	b := newBuffer(io.NewSectionReader(r.f, off, r.end-off), off)
	def, ok := b.readObject().(objdef)
	if !ok {
		return table
	}
	strm, ok := def.obj.(stream)
	if !ok || strm.hdr["Type"] != name("XRef") {
		return table
	}
	size, _ := strm.hdr["Size"].(int64)
	if size < 0 || size > maxObjects(r.end) {
		return table
	}
	if t, err := readXrefStreamData(r, strm, table, size); err == nil {
		table = t
	}
	return table
}

func readXrefTableData(b *buffer, table []xref, limit int64) ([]xref, error) {
	for {
		tok := b.readToken()
		if tok == keyword("trailer") {
			break
		}
		start, ok1 := tok.(int64)
		n, ok2 := b.readToken().(int64)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("malformed xref table")
		}
		if start < 0 || n < 0 || start+n > limit {
			return nil, fmt.Errorf("xref subsection %d %d is impossible for this file", start, n)
		}
		for i := 0; i < int(n); i++ {
			off, ok1 := b.readToken().(int64)
			gen, ok2 := b.readToken().(int64)
			alloc, ok3 := b.readToken().(keyword)
			if !ok1 || !ok2 || !ok3 || alloc != keyword("f") && alloc != keyword("n") {
				return nil, fmt.Errorf("malformed xref table")
			}
			x := int(start) + i
			table = ensureXrefLen(table, x)
			if alloc == "n" && table[x].offset == 0 {
				table[x] = xref{ptr: objptr{uint32(x), uint16(gen)}, offset: int64(off)}
			}
		}
	}
	return table, nil
}

func findLastLine(buf []byte, s string) int {
	bs := []byte(s)
	max := len(buf)
	for {
		i := bytes.LastIndex(buf[:max], bs)
		if i <= 0 || i+len(bs) >= len(buf) {
			return -1
		}
		if (buf[i-1] == '\n' || buf[i-1] == '\r') && (buf[i+len(bs)] == '\n' || buf[i+len(bs)] == '\r') {
			return i
		}
		max = i
	}
}

// A Value is a single PDF value, such as an integer, dictionary, or array.
// The zero Value is a PDF null (Kind() == Null, IsNull() = true).
type Value struct {
	r    *Reader
	ptr  objptr
	data interface{}
}

// IsNull reports whether the value is a null. It is equivalent to Kind() == Null.
func (v Value) IsNull() bool {
	return v.data == nil
}

// A ValueKind specifies the kind of data underlying a Value.
type ValueKind int

// The PDF value kinds.
const (
	Null ValueKind = iota
	Bool
	Integer
	Real
	String
	Name
	Dict
	Array
	Stream
)

// Kind reports the kind of value underlying v.
func (v Value) Kind() ValueKind {
	switch v.data.(type) {
	default:
		return Null
	case bool:
		return Bool
	case int64:
		return Integer
	case float64:
		return Real
	case string:
		return String
	case name:
		return Name
	case dict:
		return Dict
	case array:
		return Array
	case stream:
		return Stream
	}
}

// String returns a textual representation of the value v.
// Note that String is not the accessor for values with Kind() == String.
// To access such values, see RawString, Text, and TextFromUTF16.
func (v Value) String() string {
	return objfmt(v.data)
}

func objfmt(x interface{}) string {
	switch x := x.(type) {
	default:
		return fmt.Sprint(x)
	case string:
		if isPDFDocEncoded(x) {
			return strconv.Quote(pdfDocDecode(x))
		}
		if isUTF16(x) {
			return strconv.Quote(utf16Decode(x[2:]))
		}
		return strconv.Quote(x)
	case name:
		return "/" + string(x)
	case dict:
		var keys []string
		for k := range x {
			keys = append(keys, string(k))
		}
		sort.Strings(keys)
		var buf bytes.Buffer
		buf.WriteString("<<")
		for i, k := range keys {
			elem := x[name(k)]
			if i > 0 {
				buf.WriteString(" ")
			}
			buf.WriteString("/")
			buf.WriteString(k)
			buf.WriteString(" ")
			buf.WriteString(objfmt(elem))
		}
		buf.WriteString(">>")
		return buf.String()

	case array:
		var buf bytes.Buffer
		buf.WriteString("[")
		for i, elem := range x {
			if i > 0 {
				buf.WriteString(" ")
			}
			buf.WriteString(objfmt(elem))
		}
		buf.WriteString("]")
		return buf.String()

	case stream:
		return fmt.Sprintf("%v@%d", objfmt(x.hdr), x.offset)

	case objptr:
		return fmt.Sprintf("%d %d R", x.id, x.gen)

	case objdef:
		return fmt.Sprintf("{%d %d obj}%v", x.ptr.id, x.ptr.gen, objfmt(x.obj))
	}
}

// Bool returns v's boolean value.
// If v.Kind() != Bool, Bool returns false.
func (v Value) Bool() bool {
	x, ok := v.data.(bool)
	if !ok {
		return false
	}
	return x
}

// Int64 returns v's int64 value.
// If v.Kind() != Int64, Int64 returns 0.
func (v Value) Int64() int64 {
	x, ok := v.data.(int64)
	if !ok {
		return 0
	}
	return x
}

// Float64 returns v's float64 value, converting from integer if necessary.
// If v.Kind() != Float64 and v.Kind() != Int64, Float64 returns 0.
func (v Value) Float64() float64 {
	x, ok := v.data.(float64)
	if !ok {
		x, ok := v.data.(int64)
		if ok {
			return float64(x)
		}
		return 0
	}
	return x
}

// RawString returns v's string value.
// If v.Kind() != String, RawString returns the empty string.
func (v Value) RawString() string {
	x, ok := v.data.(string)
	if !ok {
		return ""
	}
	return x
}

// Text returns v's string value interpreted as a “text string” (defined in the PDF spec)
// and converted to UTF-8.
// If v.Kind() != String, Text returns the empty string.
func (v Value) Text() string {
	x, ok := v.data.(string)
	if !ok {
		return ""
	}
	if isPDFDocEncoded(x) {
		return pdfDocDecode(x)
	}
	if isUTF16(x) {
		return utf16Decode(x[2:])
	}
	return x
}

// TextFromUTF16 returns v's string value interpreted as big-endian UTF-16
// and then converted to UTF-8.
// If v.Kind() != String or if the data is not valid UTF-16, TextFromUTF16 returns
// the empty string.
func (v Value) TextFromUTF16() string {
	x, ok := v.data.(string)
	if !ok {
		return ""
	}
	if len(x)%2 == 1 {
		return ""
	}
	if x == "" {
		return ""
	}
	return utf16Decode(x)
}

// Name returns v's name value.
// If v.Kind() != Name, Name returns the empty string.
// The returned name does not include the leading slash:
// if v corresponds to the name written using the syntax /Helvetica,
// Name() == "Helvetica".
func (v Value) Name() string {
	x, ok := v.data.(name)
	if !ok {
		return ""
	}
	return string(x)
}

// Key returns the value associated with the given name key in the dictionary v.
// Like the result of the Name method, the key should not include a leading slash.
// If v is a stream, Key applies to the stream's header dictionary.
// If v.Kind() != Dict and v.Kind() != Stream, Key returns a null Value.
func (v Value) Key(key string) Value {
	x, ok := v.data.(dict)
	if !ok {
		strm, ok := v.data.(stream)
		if !ok {
			return Value{}
		}
		x = strm.hdr
	}
	return v.r.resolve(v.ptr, x[name(key)])
}

// Keys returns a sorted list of the keys in the dictionary v.
// If v is a stream, Keys applies to the stream's header dictionary.
// If v.Kind() != Dict and v.Kind() != Stream, Keys returns nil.
func (v Value) Keys() []string {
	x, ok := v.data.(dict)
	if !ok {
		strm, ok := v.data.(stream)
		if !ok {
			return nil
		}
		x = strm.hdr
	}
	keys := []string{} // not nil
	for k := range x {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	return keys
}

// Index returns the i'th element in the array v.
// If v.Kind() != Array or if i is outside the array bounds,
// Index returns a null Value.
func (v Value) Index(i int) Value {
	x, ok := v.data.(array)
	if !ok || i < 0 || i >= len(x) {
		return Value{}
	}
	return v.r.resolve(v.ptr, x[i])
}

// Len returns the length of the array v.
// If v.Kind() != Array, Len returns 0.
func (v Value) Len() int {
	x, ok := v.data.(array)
	if !ok {
		return 0
	}
	return len(x)
}

func (r *Reader) resolve(parent objptr, x interface{}) Value {
	if ptr, ok := x.(objptr); ok {
		obj, found, err := r.fetch(ptr)
		if err != nil && r.rebuildFor(err) {
			obj, found, err = r.fetch(ptr)
		}
		if err != nil {
			panic(err)
		}
		if !found {
			return Value{}
		}
		x = obj
		parent = ptr
	}

	switch x := x.(type) {
	case nil, bool, int64, float64, name, dict, array, stream:
		return Value{r, parent, x}
	case string:
		return Value{r, parent, x}
	default:
		panic(fmt.Errorf("unexpected value type %T in resolve", x))
	}
}

// KeyRef returns the object number and generation of the indirect
// reference stored under key in the dictionary or stream v, without
// resolving it; ok is false if the entry is absent or a direct object.
func (v Value) KeyRef(key string) (id uint32, gen uint16, ok bool) {
	x, isDict := v.data.(dict)
	if !isDict {
		strm, isStream := v.data.(stream)
		if !isStream {
			return 0, 0, false
		}
		x = strm.hdr
	}
	p, ok := x[name(key)].(objptr)
	return p.id, p.gen, ok
}

// IndexRef is KeyRef for the i'th element of the array v.
func (v Value) IndexRef(i int) (id uint32, gen uint16, ok bool) {
	x, isArray := v.data.(array)
	if !isArray || i < 0 || i >= len(x) {
		return 0, 0, false
	}
	p, ok := x[i].(objptr)
	return p.id, p.gen, ok
}

// Ptr returns the object number and generation of the indirect object v
// was read from or, for a direct value, of the indirect object containing
// it (0, 0 inside the trailer).
func (v Value) Ptr() (id uint32, gen uint16) {
	return v.ptr.id, v.ptr.gen
}

type errorReadCloser struct {
	err error
}

func (e *errorReadCloser) Read([]byte) (int, error) {
	return 0, e.err
}

func (e *errorReadCloser) Close() error {
	return e.err
}

// Reader returns the data contained in the stream v, decrypted and
// decoded. If v.Kind() != Stream, Reader returns a ReadCloser that
// responds to all reads with a “stream not present” error. A stream whose
// /Length is missing, not an integer or past the end of the file is taken
// to end at its "endstream" keyword. Reader panics on a filter it does not
// implement (FlateDecode with or without a predictor, ASCII85Decode,
// ASCIIHexDecode and RunLengthDecode are implemented).
func (v Value) Reader() io.ReadCloser {
	x, ok := v.data.(stream)
	if !ok {
		return &errorReadCloser{fmt.Errorf("stream not present")}
	}
	n, isInt := v.Key("Length").data.(int64)
	// Handle empty streams - return empty reader without applying filters.
	// This avoids zlib "unexpected EOF" errors on 0-length FlateDecode streams.
	if isInt && n == 0 {
		return io.NopCloser(bytes.NewReader(nil))
	}
	if !isInt || n < 0 || n > v.r.end-x.offset {
		n = v.r.streamLength(x.offset)
	}
	var rd io.Reader = io.NewSectionReader(v.r.f, x.offset, n)
	filters, params := v.filters()
	if len(filters) > 0 && filters[0] == "Crypt" {
		m := cryptIdentity
		if c := v.r.crypt; c != nil {
			if f, ok := c.filters[name(params[0].Key("Name").Name())]; ok {
				m = f
			}
		}
		if m != cryptIdentity {
			rd = v.r.crypt.decryptStream(x.ptr, m, rd)
		}
		filters, params = filters[1:], params[1:]
	} else if c := v.r.crypt; c != nil {
		m := c.strm
		switch typ := v.Key("Type").Name(); {
		case typ == "XRef": // cross-reference streams are not encrypted (7.6.2)
			m = cryptIdentity
		case typ == "Metadata" && c.noMetadata:
			m = cryptIdentity
		}
		rd = c.decryptStream(x.ptr, m, rd)
	}
	for i, f := range filters {
		rd = applyFilter(rd, f, params[i], &v.r.badChecksums)
	}
	return io.NopCloser(rd)
}

// filters returns the names of the stream's filters and their parameters.
func (v Value) filters() ([]string, []Value) {
	filter := v.Key("Filter")
	param := v.Key("DecodeParms")
	switch filter.Kind() {
	case Null:
		return nil, nil
	case Name:
		if param.Kind() == Array {
			param = param.Index(0)
		}
		return []string{filter.Name()}, []Value{param}
	case Array:
		n := filter.Len()
		names := make([]string, n)
		params := make([]Value, n)
		for i := 0; i < n; i++ {
			names[i] = filter.Index(i).Name()
			if param.Kind() == Array {
				params[i] = param.Index(i)
			} else if n == 1 {
				params[i] = param
			}
		}
		return names, params
	}
	panic(fmt.Errorf("unsupported filter %v", filter))
}

// maxEndstreamSearch bounds how far the end of a stream without a usable
// /Length is looked for.
const maxEndstreamSearch = 256 << 20

// streamLength finds the length of the stream data at off from its
// "endstream" keyword, leaving out the end of line before it.
func (r *Reader) streamLength(off int64) int64 {
	const chunk = 64 << 10
	kw := []byte("endstream")
	buf := make([]byte, chunk+len(kw))
	for pos := off; pos < r.end && pos-off < maxEndstreamSearch; pos += chunk {
		n, _ := r.f.ReadAt(buf, pos)
		if n <= 0 {
			break
		}
		if i := bytes.Index(buf[:n], kw); i >= 0 {
			end := pos + int64(i)
			if i > 0 && buf[i-1] == '\n' {
				end--
				if i > 1 && buf[i-2] == '\r' {
					end--
				}
			} else if i > 0 && buf[i-1] == '\r' {
				end--
			}
			return max(end-off, 0)
		}
	}
	return r.end - off
}
