package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Options control extraction. The zero value and a nil *Options mean the
// defaults given on each field.
type Options struct {
	// Password is tried after the empty user password on encrypted files.
	// Default "".
	Password string
	// MaxFormDepth is how deeply form XObjects may nest; deeper ones are
	// skipped with a warning. Default 12.
	MaxFormDepth int
	// MaxContentBytes bounds the decoded content streams of one page,
	// forms included, in bytes. Default 256 MiB.
	MaxContentBytes int64
	// MaxOperators bounds the operators interpreted for one page.
	// Default 50,000,000.
	MaxOperators int
	// PageTimeout bounds the time spent interpreting one page. Default 30 s.
	PageTimeout time.Duration
	// RuleThickness is the largest thickness, in points, of a filled
	// rectangle read as a ruling line rather than a shaded area. Default 3.
	RuleThickness float64
}

func (o *Options) withDefaults() Options {
	var v Options
	if o != nil {
		v = *o
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
}

// Document is an open PDF. Pages are interpreted one at a time on demand, so
// a long document is never held whole in memory; fonts are parsed once per
// document and shared between pages. A Document is not safe for concurrent
// use.
type Document struct {
	Info Info

	name   string // file name for error messages, "" for a reader
	opts   Options
	r      *pdf.Reader
	pages  []pageRef
	fonts  map[fontKey]*font
	objs   map[uint64]pdf.Value // resolved objects by number, see get
	closer io.Closer
}

// pageRef is a page dictionary with the attributes it inherits (7.7.3.4).
type pageRef struct {
	dict      pdf.Value
	resources pdf.Value
	mediaBox  pdf.Value
	cropBox   pdf.Value
	rotate    pdf.Value
}

// OpenFile opens the named file. The caller must Close the document.
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
	d, err := open(f, st.Size(), name, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	d.closer = f
	return d, nil
}

// Open reads a PDF from r, which holds size bytes.
func Open(r io.ReaderAt, size int64, opts *Options) (*Document, error) {
	return open(r, size, "", opts)
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

// Name returns the file name given to OpenFile, or "".
func (d *Document) Name() string { return d.name }

func open(r io.ReaderAt, size int64, name string, opts *Options) (doc *Document, err error) {
	fail := func(e error) error {
		if name != "" {
			return fmt.Errorf("%s: %w", name, e)
		}
		return e
	}
	view, version, err := repair(r, size)
	if err != nil {
		return nil, fail(err)
	}
	o := opts.withDefaults()
	pr, err := newReader(view, o.Password)
	if err != nil {
		return nil, fail(err)
	}
	d := &Document{name: name, opts: o, r: pr, fonts: make(map[fontKey]*font), objs: make(map[uint64]pdf.Value)}
	d.Info.Version = version
	defer func() {
		if x := recover(); x != nil {
			doc, err = nil, fail(fmt.Errorf("%w: reading page tree: %v", ErrDamaged, x))
		}
	}()
	trailer := pr.Trailer()
	enc := trailer.Key("Encrypt")
	d.Info.Encrypted = !enc.IsNull()
	if d.Info.Encrypted && (enc.Key("V").Int64() <= 1 || enc.Key("Length").Int64() == 40) {
		// BUG(extract): the object layer derives 40-bit RC4 object keys
		// wrongly (it does not shorten them to n+5 bytes, 7.6.3.3), so
		// such files are refused rather than read as garbage.
		return nil, fail(fmt.Errorf("%w: 40-bit RC4 (revision 2) is not supported", ErrEncryption))
	}
	info := trailer.Key("Info")
	d.Info.Producer = infoText(info.Key("Producer"))
	d.Info.Creator = infoText(info.Key("Creator"))
	d.Info.Title = infoText(info.Key("Title"))
	root := trailer.Key("Root").Key("Pages")
	if root.IsNull() {
		return nil, fail(fmt.Errorf("%w: no page tree", ErrDamaged))
	}
	d.walkPages(root, pageRef{}, 0)
	if len(d.pages) == 0 {
		return nil, fail(fmt.Errorf("%w: page tree has no pages", ErrDamaged))
	}
	d.Info.Pages = len(d.pages)
	return d, nil
}

// newReader opens the object layer, turning its panics and errors into ours.
func newReader(r *readerView, password string) (pr *pdf.Reader, err error) {
	defer func() {
		if x := recover(); x != nil {
			pr, err = nil, fmt.Errorf("%w: %v", ErrDamaged, x)
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
	case errors.Is(err, pdf.ErrInvalidPassword):
		return nil, ErrPassword
	case strings.Contains(err.Error(), "encrypt"):
		return nil, fmt.Errorf("%w: %v", ErrEncryption, err)
	}
	return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
}

// maxPageTreeDepth bounds the page tree walk against cycles.
const maxPageTreeDepth = 64

func (d *Document) walkPages(node pdf.Value, inh pageRef, depth int) {
	if depth > maxPageTreeDepth || len(d.pages) > 1_000_000 {
		return
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
		inh.dict = node
		d.pages = append(d.pages, inh)
		return
	}
	for i := 0; i < kids.Len(); i++ {
		d.walkPages(kids.Index(i), inh, depth+1)
	}
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
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("%w: %v", ErrDamaged, x)
		}
		if err == nil && in.limitErr != nil {
			err = in.limitErr
		}
	}()
	in.setupPage(ref)
	data, rerr := d.contents(ref.dict.Key("Contents"), in)
	if len(data) > 0 {
		in.run(data, ref.resources, 0)
	}
	if rerr != nil {
		return rerr
	}
	return nil
}

// contents returns the decoded page content, its streams joined by white
// space (7.8.2). A stream that fails to decode contributes what was decoded
// before the failure, and the error is returned with it.
func (d *Document) contents(v pdf.Value, in *interp) ([]byte, error) {
	var buf bytes.Buffer
	var firstErr error
	add := func(s pdf.Value) {
		if s.Kind() != pdf.Stream {
			return
		}
		err := in.readStream(&buf, s)
		buf.WriteByte('\n')
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	switch v.Kind() {
	case pdf.Stream:
		add(v)
	case pdf.Array:
		for i := 0; i < v.Len(); i++ {
			add(v.Index(i))
		}
	}
	return buf.Bytes(), firstErr
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

// CheckTextLayer reads pages until one has text and returns nil, or an
// error wrapping ErrNoTextLayer when no page has any: a scanned document.
// Pages that fail to read count as having no text.
func (d *Document) CheckTextLayer() error {
	for p := range d.Pages() {
		if p != nil && p.HasText() {
			return nil
		}
	}
	if d.name != "" {
		return fmt.Errorf("%s: %w: %d page(s) of images only", d.name, ErrNoTextLayer, len(d.pages))
	}
	return fmt.Errorf("%w: %d page(s) of images only", ErrNoTextLayer, len(d.pages))
}
