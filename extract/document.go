package extract

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Options control extraction. The zero value and a nil *Options mean the
// defaults given on each field.
type Options struct {
	// Password opens an encrypted file that the empty user password does
	// not open; it is tried as the user password and then as the owner
	// password. Default "".
	Password string
	// MaxPages bounds the pages of the page tree: a document with more is
	// refused with ErrLimit while its tree is walked, before any page is
	// read. Default 5000.
	MaxPages int
	// MaxFormDepth is how deeply form XObjects may nest; deeper ones are
	// skipped with a warning. Default 12.
	MaxFormDepth int
	// MaxContentBytes bounds the work of decoding the content streams of
	// one page, forms included, in decoded bytes. Content is streamed
	// through the interpreter, never held whole, so this bounds time, not
	// memory. Default 256 MiB.
	MaxContentBytes int64
	// MaxOperators bounds the operators interpreted for one page.
	// Default 50,000,000.
	MaxOperators int
	// PageTimeout bounds the time spent interpreting one page. Default 30 s.
	PageTimeout time.Duration
	// RuleThickness is the largest thickness, in points, of a filled
	// rectangle read as a ruling line rather than a shaded area. Default 3.
	RuleThickness float64
	// Name is the name that errors and warnings give the file (a URL the
	// file was downloaded from). Default: the name given to OpenFile, ""
	// for Open.
	Name string
}

func (o *Options) withDefaults() Options {
	var v Options
	if o != nil {
		v = *o
	}
	if v.MaxPages <= 0 {
		v.MaxPages = 5000
	}
	if v.MaxFormDepth <= 0 {
		v.MaxFormDepth = 12
	}
	if v.MaxContentBytes <= 0 {
		v.MaxContentBytes = 256 << 20
	}
	if v.MaxOperators <= 0 {
		v.MaxOperators = 50_000_000
	}
	if v.PageTimeout <= 0 {
		v.PageTimeout = 30 * time.Second
	}
	if v.RuleThickness <= 0 {
		v.RuleThickness = 3
	}
	return v
}

// Info describes a document as a whole.
type Info struct {
	Version   string // header version, e.g. "1.7"
	Producer  string // /Producer of the Info dictionary, "" if none
	Creator   string // /Creator of the Info dictionary, "" if none
	Title     string // /Title of the Info dictionary, "" if none
	Pages     int    // number of pages found in the page tree
	Encrypted bool   // the file has an /Encrypt dictionary
	// Repaired reports that the file was damaged and read after a repair:
	// bytes before the %PDF- header, or a cross-reference table rebuilt
	// by scanning the file for its objects. The table may also be rebuilt
	// while a page is read (an object not where the table says); Repaired
	// becomes true then, and that page's Warnings say so.
	Repaired bool
	// Warnings are problems of the document as a whole that did not stop
	// it, one printable line each: what was repaired and why, loops in
	// the page tree that were cut.
	Warnings []string
}

// Document is an open PDF. Pages are interpreted one at a time on demand, so
// a long document is never held whole in memory; fonts are parsed once per
// document and shared between pages. A Document is not safe for concurrent
// use.
type Document struct {
	Info Info

	name         string // file name for error messages, "" for a reader
	opts         Options
	r            *pdf.Reader
	pages        []pageRef
	fonts        map[fontKey]*font
	objs         map[uint64]pdf.Value // resolved objects by number, see get
	rebuildNoted bool                 // the object layer's rebuild is in Info
	lexBufs      [][]byte             // lexer windows by form depth, reused
	closer       io.Closer
}

// pageRef is a page dictionary with the attributes it inherits (7.7.3.4).
type pageRef struct {
	dict      pdf.Value
	resources pdf.Value
	mediaBox  pdf.Value
	cropBox   pdf.Value
	rotate    pdf.Value
	err       error // a kid of the page tree that could not be read
}

// OpenFile opens the named file. The caller must Close the document.
//
// A file of at most inMemoryMax bytes is read whole first, into a buffer
// used again once the document is closed: the object layer reads objects
// where they are, and from the disk that is a system call each, thousands
// per document.
func OpenFile(name string, opts *Options) (*Document, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	shown := name
	if opts != nil && opts.Name != "" {
		shown = opts.Name
	}
	var file interface {
		io.ReaderAt
		io.Closer
	} = f
	size := st.Size()
	if size <= inMemoryMax {
		m, err := readWhole(f, size)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", shown, err)
		}
		file = m
	}
	d, err := open(file, size, shown, opts)
	if err != nil {
		file.Close()
		return nil, err
	}
	d.closer = file
	return d, nil
}

// inMemoryMax is the largest file OpenFile reads whole into memory; a
// larger one is read from the disk as the object layer asks (a published
// disclosure is a few MB; -max-size allows more).
const inMemoryMax = 64 << 20

// fileBuffers are the buffers of the files read whole, kept between
// documents: a worker reading one document after another fills the same
// memory, instead of fresh pages for each file.
var fileBuffers sync.Pool // of *[]byte

// memFile is a file read whole: an io.ReaderAt over its bytes until Close
// gives the buffer back to fileBuffers.
type memFile struct {
	buf *[]byte
	b   []byte
}

// readWhole reads the size bytes of f; a file that is not as long as its
// size said (changed while read) is an error.
func readWhole(f *os.File, size int64) (*memFile, error) {
	buf, _ := fileBuffers.Get().(*[]byte)
	if buf == nil || int64(cap(*buf)) < size {
		b := make([]byte, size)
		buf = &b
	}
	b := (*buf)[:size]
	if _, err := io.ReadFull(f, b); err != nil {
		fileBuffers.Put(buf)
		return nil, fmt.Errorf("reading the file: %w", err)
	}
	return &memFile{buf: buf, b: b}, nil
}

func (m *memFile) ReadAt(p []byte, off int64) (int, error) {
	if m.buf == nil {
		return 0, os.ErrClosed
	}
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	if off >= int64(len(m.b)) {
		return 0, io.EOF
	}
	n := copy(p, m.b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (m *memFile) Close() error {
	if m.buf != nil {
		fileBuffers.Put(m.buf)
		m.buf, m.b = nil, nil
	}
	return nil
}

// Open reads a PDF from r, which holds size bytes.
func Open(r io.ReaderAt, size int64, opts *Options) (*Document, error) {
	name := ""
	if opts != nil {
		name = opts.Name
	}
	return open(r, size, name, opts)
}

// Close releases the file opened by OpenFile. It is a no-op for Open.
func (d *Document) Close() error {
	if d.closer == nil {
		return nil
	}
	err := d.closer.Close()
	d.closer = nil
	return err
}

// NumPages returns the number of pages.
func (d *Document) NumPages() int { return len(d.pages) }

// Name returns the file's name in errors: Options.Name, else the name
// given to OpenFile, or "".
func (d *Document) Name() string { return d.name }

func open(r io.ReaderAt, size int64, name string, opts *Options) (doc *Document, err error) {
	fail := func(e error) error {
		if name != "" {
			return fmt.Errorf("%s: %w", name, e)
		}
		return e
	}
	view, err := repair(r, size)
	if err != nil {
		return nil, fail(err)
	}
	o := opts.withDefaults()
	pr, err := newReader(view, o.Password)
	if err != nil {
		return nil, fail(err)
	}
	d := &Document{name: name, opts: o, r: pr, fonts: make(map[fontKey]*font), objs: make(map[uint64]pdf.Value)}
	d.Info.Version = view.version
	if view.cut > 0 {
		d.repaired(fmt.Sprintf("%d bytes after the last %%%%EOF hold objects (an update cut short, as a truncated download leaves it): the file is read as it was before them", view.cut))
	}
	if view.skip > 0 {
		d.repaired(fmt.Sprintf("%d bytes before the %%PDF- header: offsets taken from the header", view.skip))
	}
	defer func() {
		if x := recover(); x != nil {
			doc, err = nil, fail(damaged("reading the page tree: %s", x))
		}
	}()
	trailer := pr.Trailer()
	d.Info.Encrypted = !trailer.Key("Encrypt").IsNull()
	if err := catch(func() {
		info := trailer.Key("Info")
		d.Info.Producer = infoText(info.Key("Producer"))
		d.Info.Creator = infoText(info.Key("Creator"))
		d.Info.Title = infoText(info.Key("Title"))
	}); err != nil {
		d.Info.Warnings = append(d.Info.Warnings, "Info dictionary: "+err.Error())
	}
	if err := d.walkPages(); err != nil {
		return nil, fail(err)
	}
	if len(d.pages) == 0 && pr.Repaired() == "" {
		// As poppler: a catalog without pages may be a table that points
		// to the wrong objects.
		pr.Rebuild()
		d.objs = make(map[uint64]pdf.Value)
		if err := d.walkPages(); err != nil {
			return nil, fail(err)
		}
	}
	d.noteRebuild(nil)
	if n := pr.BadChecksums(); n > 0 {
		d.Info.Warnings = append(d.Info.Warnings, fmt.Sprintf("%d Flate stream(s) of the document's structure read with a wrong checksum: what they hold may be damaged", n))
	}
	if len(d.pages) == 0 {
		return nil, fail(fmt.Errorf("%w: page tree has no pages", ErrDamaged))
	}
	d.Info.Pages = len(d.pages)
	return d, nil
}

// repaired records a repair of the document.
func (d *Document) repaired(what string) {
	d.Info.Repaired = true
	d.Info.Warnings = append(d.Info.Warnings, "repaired: "+detail(what))
}

// noteRebuild records a cross-reference table the object layer rebuilt
// since the last call, in Info and, if p is not nil, in p's warnings.
func (d *Document) noteRebuild(p *Page) {
	why := d.r.Repaired()
	if why == "" || d.rebuildNoted {
		return
	}
	d.rebuildNoted = true
	d.repaired(why)
	if p != nil {
		p.Warnings = append(p.Warnings, d.Info.Warnings[len(d.Info.Warnings)-1])
	}
}

// newReader opens the object layer, turning its panics and errors into ours.
func newReader(r *readerView, password string) (pr *pdf.Reader, err error) {
	defer func() {
		if x := recover(); x != nil {
			pr, err = nil, damaged("%s", x)
		}
	}()
	tried := false
	pw := func() string {
		if tried || password == "" {
			return ""
		}
		tried = true
		return password
	}
	pr, err = pdf.NewReaderEncrypted(r, r.size, pw)
	switch {
	case err == nil:
		return pr, nil
	case errors.Is(err, pdf.ErrInvalidPassword) && password == "":
		return nil, fmt.Errorf("%w: the file has a user password (Options.Password)", ErrPassword)
	case errors.Is(err, pdf.ErrInvalidPassword):
		return nil, fmt.Errorf("%w: the password given is neither its user nor its owner password", ErrPassword)
	case errors.Is(err, pdf.ErrUnsupportedEncryption):
		return nil, fmt.Errorf("%w: %s", ErrEncryption, detail(err))
	}
	return nil, damaged("%s", err)
}

// errNotDict is a page tree node that is not a dictionary.
var errNotDict = errors.New("not a dictionary")

// maxPageTreeDepth bounds the depth of the page tree.
const maxPageTreeDepth = 64

// walkPages collects the pages of the page tree (7.7.3.2) in order, with
// the attributes they inherit. It walks without recursion and counts as
// it goes: more than MaxPages pages, or a tree whose nodes are shared so
// often that walking it revisits them more than 2*MaxPages times (a DAG
// that would expand to millions of pages, with or without leaves), is
// ErrLimit. A DAG that expands to MaxPages pages or fewer is read, its
// shared pages repeated, as poppler does. A kid that is its own ancestor is skipped with a warning, as
// poppler does.
func (d *Document) walkPages() error {
	d.pages = d.pages[:0]
	root := d.r.Trailer().Key("Root")
	rootID := uint64(0)
	if id, gen, ok := root.KeyRef("Pages"); ok {
		rootID = refKey(id, gen)
	}
	type frame struct {
		kids  pdf.Value
		next  int
		id    uint64 // 0 for a direct node
		inh   pageRef
		depth int
	}
	var stack []frame
	onPath := make(map[uint64]bool)
	seen := make(map[uint64]bool)
	nodes := make(map[uint64]pdf.Value) // resolved nodes, for shared ones
	revisits := 0
	visit := func(node pdf.Value, id uint64, inh pageRef, depth int) error {
		if node.Kind() != pdf.Dict {
			return errNotDict
		}
		if id != 0 {
			if onPath[id] {
				d.Info.Warnings = append(d.Info.Warnings, fmt.Sprintf("page tree: object %d is its own ancestor: skipped", id>>16))
				return nil
			}
			if seen[id] {
				if revisits++; revisits > 2*d.opts.MaxPages {
					return fmt.Errorf("%w: the page tree shares its nodes so often that walking it would visit them more than %d times again (twice Options.MaxPages)", ErrLimit, 2*d.opts.MaxPages)
				}
			}
			seen[id] = true
		}
		if v := d.get(node, "Resources"); !v.IsNull() {
			inh.resources = v
		}
		if v := node.Key("MediaBox"); !v.IsNull() {
			inh.mediaBox = v
		}
		if v := node.Key("CropBox"); !v.IsNull() {
			inh.cropBox = v
		}
		if v := node.Key("Rotate"); !v.IsNull() {
			inh.rotate = v
		}
		kids := node.Key("Kids")
		if node.Key("Type").Name() == "Page" || (kids.Kind() != pdf.Array && !node.Key("Contents").IsNull()) {
			if len(d.pages) >= d.opts.MaxPages {
				return fmt.Errorf("%w: more than %d pages (Options.MaxPages)", ErrLimit, d.opts.MaxPages)
			}
			inh.dict = node
			d.pages = append(d.pages, inh)
			return nil
		}
		if kids.Kind() != pdf.Array {
			return nil
		}
		if depth >= maxPageTreeDepth {
			d.Info.Warnings = append(d.Info.Warnings, fmt.Sprintf("page tree deeper than %d: the deeper part skipped", maxPageTreeDepth))
			return nil
		}
		if id != 0 {
			onPath[id] = true
		}
		stack = append(stack, frame{kids: kids, id: id, inh: inh, depth: depth})
		return nil
	}
	if err := visit(root.Key("Pages"), rootID, pageRef{}, 0); err != nil && err != errNotDict {
		return err
	}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.next >= f.kids.Len() {
			delete(onPath, f.id)
			stack = stack[:len(stack)-1]
			continue
		}
		i := f.next
		f.next++
		kids, inh, depth := f.kids, f.inh, f.depth // f moves when the stack grows
		id := uint64(0)
		if n, gen, ok := kids.IndexRef(i); ok {
			id = refKey(n, gen)
		}
		var verr error
		err := catch(func() {
			kid, ok := nodes[id]
			if !ok {
				kid = kids.Index(i)
				if id != 0 {
					nodes[id] = kid
				}
			}
			verr = visit(kid, id, inh, depth+1)
		})
		if err == nil && verr == errNotDict {
			err = fmt.Errorf("%w: not a dictionary", ErrDamaged)
		}
		if err != nil {
			// A damaged or missing kid: a page that reports it, so that
			// nothing is lost silently (poppler skips it).
			if len(d.pages) >= d.opts.MaxPages {
				return fmt.Errorf("%w: more than %d pages (Options.MaxPages)", ErrLimit, d.opts.MaxPages)
			}
			d.pages = append(d.pages, pageRef{err: fmt.Errorf("page tree: kid %d: %w", i, err)})
			continue
		}
		if verr != nil {
			return verr
		}
	}
	return nil
}

// infoText decodes an Info dictionary string (PDFDocEncoding or UTF-16BE),
// falling back to GBK for the raw Chinese bytes some producers write.
func infoText(v pdf.Value) string {
	if v.Kind() != pdf.String {
		return ""
	}
	raw := v.RawString()
	if strings.HasPrefix(raw, "\xfe\xff") || utf8.ValidString(raw) {
		return strings.TrimSpace(v.Text())
	}
	if s, err := simplifiedchinese.GBK.NewDecoder().String(raw); err == nil {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(v.Text())
}

// Page interprets page n (1-based). On a damaged page it returns the page as
// far as it was read together with a *PageError; a page cut short by a limit
// wraps ErrLimit. Only ErrPageRange comes with a nil page.
func (d *Document) Page(n int) (*Page, error) {
	if n < 1 || n > len(d.pages) {
		return nil, &PageError{File: d.name, Page: n, Err: fmt.Errorf("%w: %d of %d", ErrPageRange, n, len(d.pages))}
	}
	p := &Page{Number: n}
	err := d.readPage(p, d.pages[n-1])
	if err != nil {
		return p, &PageError{File: d.name, Page: n, Err: err}
	}
	return p, nil
}

// Pages yields every page in order with its error (see Page). Iteration may
// be stopped early.
func (d *Document) Pages() iter.Seq2[*Page, error] {
	return func(yield func(*Page, error) bool) {
		for i := 1; i <= len(d.pages); i++ {
			if !yield(d.Page(i)) {
				return
			}
		}
	}
}

// readPage fills p; it is the one place where a panic of the object layer
// becomes an error for the page.
func (d *Document) readPage(p *Page, ref pageRef) (err error) {
	in := newInterp(d, p)
	bad := d.r.BadChecksums()
	defer func() {
		if n := d.r.BadChecksums() - bad; n > 0 {
			in.warn("%d Flate stream(s) read with a wrong checksum: what they hold may be damaged", n)
		}
		if x := recover(); x != nil {
			err = damaged("%s", x)
		}
		if err == nil && in.limitErr != nil {
			err = in.limitErr
		}
		if err != nil {
			p.Lost = true
		}
		if len(p.Glyphs) == 0 && p.Unmapped > 0 && !p.Lost {
			in.lose("%d character codes shown, none with known text", p.Unmapped)
		}
		d.noteRebuild(p)
	}()
	in.setupPage(ref)
	if ref.err != nil {
		return ref.err
	}
	// Contents is a stream or an array of streams; null (or none) draws
	// nothing. Anything else is a damaged stream (a dictionary whose
	// "stream" keyword is gone, say): its drawing is lost, and said.
	var streams []pdf.Value
	switch v := ref.dict.Key("Contents"); v.Kind() {
	case pdf.Stream:
		streams = []pdf.Value{v}
	case pdf.Array:
		for i := 0; i < v.Len(); i++ {
			switch s := v.Index(i); s.Kind() {
			case pdf.Stream:
				streams = append(streams, s)
			case pdf.Null:
			default:
				in.lose("content stream %d of %d is not a stream (%s): not read", i+1, v.Len(), kindName(s.Kind()))
			}
		}
	case pdf.Null:
	default:
		in.lose("the page's content is not a stream (%s): not read", kindName(v.Kind()))
	}
	src := &contentSource{in: in, streams: streams}
	in.runContent(src, ref.resources, 0)
	in.noteUndefined("its content")
	return src.err
}

// box reads a rectangle array, normalized so that x0 <= x1 and y0 <= y1.
func box(v pdf.Value) (r [4]float64, ok bool) {
	if v.Kind() != pdf.Array || v.Len() < 4 {
		return r, false
	}
	for i := 0; i < 4; i++ {
		r[i] = num(v.Index(i))
		if math.IsNaN(r[i]) || math.IsInf(r[i], 0) {
			return r, false
		}
	}
	if r[0] > r[2] {
		r[0], r[2] = r[2], r[0]
	}
	if r[1] > r[3] {
		r[1], r[3] = r[3], r[1]
	}
	return r, r[2] > r[0] && r[3] > r[1]
}

// num reads an integer or real value as float64 (0 for anything else).
func num(v pdf.Value) float64 {
	switch v.Kind() {
	case pdf.Integer:
		return float64(v.Int64())
	case pdf.Real:
		return v.Float64()
	}
	return 0
}

// CheckTextLayer reads pages until one has text, or lost text, and
// returns nil; or an error wrapping ErrNoTextLayer when no page has any: a
// scanned document. A page that could not be read completely (an error,
// or Lost: a damaged content stream or font, text shown that gave no
// glyph) is not taken for a scan: its text was lost, and the caller sees
// that from the page's error and Lost flag.
func (d *Document) CheckTextLayer() error {
	for p, err := range d.Pages() {
		if p != nil && (p.HasText() || p.Lost) || err != nil && !errors.Is(err, ErrPageRange) {
			return nil
		}
	}
	if d.name != "" {
		return fmt.Errorf("%s: %w: %d page(s) of images only", d.name, ErrNoTextLayer, len(d.pages))
	}
	return fmt.Errorf("%w: %d page(s) of images only", ErrNoTextLayer, len(d.pages))
}

// kindName names a kind of PDF object, for a warning.
func kindName(k pdf.ValueKind) string {
	switch k {
	case pdf.Null:
		return "null"
	case pdf.Bool:
		return "a boolean"
	case pdf.Integer, pdf.Real:
		return "a number"
	case pdf.String:
		return "a string"
	case pdf.Name:
		return "a name"
	case pdf.Dict:
		return "a dictionary"
	case pdf.Array:
		return "an array"
	case pdf.Stream:
		return "a stream"
	}
	return fmt.Sprint(k)
}
