package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/budgetpdf/budgetpdf/extract"
	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/schema"
	"github.com/budgetpdf/budgetpdf/workbook"
)

// Options control how ReadDocument reads one document. A nil *Options
// means the defaults given on each field; ReadDocument never changes the
// caller's struct.
type Options struct {
	// Pages chooses the pages to read, 1-based and in order, from the
	// document's page count; numbers outside 1..n are skipped. Default
	// nil: every page.
	Pages func(n int) []int
	// MaxPages is the most pages a document may have: a longer one is
	// failed, unread (extract.Options.MaxPages: found while the page tree
	// is walked). Default 5000.
	MaxPages int
	// Password is extract.Options.Password: it opens an encrypted file
	// whose empty user password does not, as its user or its owner
	// password. Default "".
	Password string
	// KeepPages keeps the pages read in Result.Pages (for drawing them);
	// default false, so that a batch does not hold them.
	KeepPages bool
	// OnPage, when not nil, is called with each page as it is read, with
	// its error (a *extract.PageError: the page is then as far as it was
	// read). Default nil.
	OnPage func(p *extract.Page, err error)
	// Workbook makes the document's workbook (Result.Workbook) once it is
	// read. Default false.
	Workbook bool

	// noFacts leaves Result.Facts out: a worker process does not send
	// them, the run derives them from the records it sends (isolated.read).
	noFacts bool
}

// defaultMaxPages is Options.MaxPages when not given.
const defaultMaxPages = 5000

// Result is what ReadDocument made of one document: the records a dataset
// holds for it, and what they were made from.
type Result struct {
	// The records: Document.Status and Document.Error say whether the
	// document came out whole.
	Document schema.Document
	Tables   []schema.Table
	Cells    []schema.Cell
	Checks   []schema.Check
	// Indicators and FormFields are the performance indicators and form
	// fields of its 绩效目标表 tables.
	Indicators []schema.Indicator
	FormFields []schema.FormField
	// Facts are the amounts with their document's and table's facts.
	Facts []schema.Fact
	// Workbook is the document's workbook (package workbook: the bytes of
	// an .xlsx file), with Options.Workbook, for a document read (any
	// status but failed); nil otherwise. A workbook that could not be made
	// is a warning of the document, and nil.
	Workbook []byte

	// Normalized is what normalize rebuilt: document facts and tables;
	// nil when the file could not be read. NormalizedChecks are the
	// accounting checks of its tables (normalize.Checks).
	Normalized       *normalize.Document
	NormalizedChecks []normalize.Check
	Info             extract.Info    // the PDF's /Info and page count; zero when it could not be opened
	Pages            []*extract.Page // the pages read, in order, with Options.KeepPages; else nil
	Seconds          float64         // wall time spent on the document
	Worker           WorkerStats     // the worker process that read it, in a batch with RunOptions.Isolate
}

// maxProblems is how many problems Document.Error names.
const maxProblems = 5

// maxWarnings is how many warnings Document.Warnings holds; a last one
// says how many more there were.
const maxWarnings = 20

// maxErrorText and maxWarningText bound, in bytes, the text of
// Document.Error and of each of Document.Warnings (see oneLine).
const (
	maxErrorText   = 1024
	maxWarningText = 256
)

// ReadDocument reads one PDF into records: open, every page (or those
// Options.Pages chooses) through a normalize.Builder, the document's
// checks, then the records.
//
// The Result is never nil, and its Document record always stands for the
// file, whatever happened. The error is nil when the document came out
// whole (status ok). Otherwise it says why, and Document.Status says how
// much came with it:
//
//   - schema.StatusFailed: nothing was read (the file cannot be read or
//     opened, it is over Options.MaxPages, ctx was done, or a stage
//     panicked); Document.Error is the error's text.
//   - schema.StatusNoTextLayer: no page read has text (a scan, see
//     TextLayer); the error wraps extract.ErrNoTextLayer. The records of
//     whatever was read come with it.
//   - schema.StatusPartial: some pages could not be read completely (an
//     error, or content lost: extract.Page.Lost), or some cells' or
//     checks' amounts could not be kept; the error joins every problem,
//     Document.Error names the first five. Everything else was read and
//     comes with it.
//
// Whatever the status, Document.Repaired and Document.Warnings say what
// was repaired or cut without loss (extract.Info and the pages' warnings).
//
// ctx is checked between pages.
func ReadDocument(ctx context.Context, path string, opts *Options) (*Result, error) {
	id, _, _, err := fileID(path, path)
	return readDocument(ctx, job{file: path, id: id, err: err}, opts)
}

// readDocument reads the document of j, whose hash is known (see
// ReadDocument).
func readDocument(ctx context.Context, j job, opts *Options) (res *Result, err error) {
	start := time.Now()
	o := opts.withDefaults()
	res = &Result{Document: j.record()}
	defer func() {
		if x := recover(); x != nil {
			// (the records of a stage that panicked are not to be trusted)
			res.Tables, res.Cells, res.Checks, res.Indicators, res.FormFields, res.Facts, res.Workbook = nil, nil, nil, nil, nil, nil, nil
			err = res.fail(fmt.Errorf("internal error: %v", x))
		}
		res.Seconds = time.Since(start).Seconds()
	}()
	if j.err != nil {
		return res, res.fail(j.err)
	}
	d, err := extract.OpenFile(j.local(), &extract.Options{MaxPages: min(o.MaxPages, maxExtractPages), Password: o.Password, Name: j.file})
	if errors.Is(err, extract.ErrLimit) {
		// (at open, only the page tree has a limit)
		return res, res.fail(fmt.Errorf("%s: over the page limit (-max-pages %d): %w", j.file, o.MaxPages, cmp.Or(errors.Unwrap(err), err)))
	}
	if err != nil {
		return res, res.fail(err)
	}
	defer d.Close()
	res.Document.Pages = int32(d.NumPages())
	b := normalize.NewBuilder(nil)
	var seen pagesSeen
	for _, n := range o.pages(d.NumPages()) {
		if err := ctx.Err(); err != nil {
			return res, res.fail(fmt.Errorf("%s: %w", j.file, err))
		}
		p, err := d.Page(n)
		if o.OnPage != nil {
			o.OnPage(p, err)
		}
		seen.add(j.file, p, err)
		if p == nil {
			continue
		}
		b.AddPage(p)
		if o.KeepPages {
			res.Pages = append(res.Pages, p)
		}
	}
	res.Info = d.Info
	problems := append(seen.problems, res.build(j, d.Info, b.Finish(), !o.noFacts)...)
	res.Document.Repaired = d.Info.Repaired
	err = res.settle(seen.layer.Err(), problems)
	var more []string
	if o.Workbook {
		more = res.makeWorkbook()
	}
	res.Document.Warnings = limitWarnings(slices.Concat(j.crawl.Warnings, seen.warnings(d.Info.Warnings), more))
	return res, err
}

// makeWorkbook makes the workbook of the document read (Result.Workbook),
// as "budgetpdf tables -format xlsx" writes it; a workbook that could not
// be made is left out, and returned as a warning.
func (res *Result) makeWorkbook() (warnings []string) {
	defer func() {
		if x := recover(); x != nil {
			res.Workbook = nil
			warnings = []string{fmt.Sprintf("workbook: internal error: %v", x)}
		}
	}()
	d := &res.Document
	var b bytes.Buffer
	src := workbook.Source{File: d.SourceFile, DocumentID: d.DocumentID, Pages: int(d.Pages), Status: d.Status}
	if err := workbook.Write(&b, res.Normalized, res.NormalizedChecks, src); err != nil {
		return []string{"workbook: " + err.Error()}
	}
	res.Workbook = b.Bytes()
	return nil
}

// maxExtractPages bounds the extract.Options.MaxPages given, so that
// extract's bounds derived from it (twice it) do not overflow.
const maxExtractPages = 1 << 30

// pagesSeen gathers what the pages of a document said as they were read:
// the text layer, the problems (pages that lost content) and the
// warnings of the pages that lost nothing.
type pagesSeen struct {
	layer    TextLayer
	problems []error
	pageWarn []string // "page N: warning"
}

// add takes one page read, with its error.
func (s *pagesSeen) add(file string, p *extract.Page, err error) {
	if err != nil {
		s.problems = append(s.problems, err)
	}
	if p == nil {
		return
	}
	s.layer.Add(p)
	if err == nil && p.Lost {
		s.problems = append(s.problems, fmt.Errorf("%s: page %d: content lost: %s", file, p.Number, strings.Join(p.Warnings, "; ")))
		return
	}
	for _, w := range p.Warnings {
		s.pageWarn = append(s.pageWarn, fmt.Sprintf("page %d: %s", p.Number, w))
	}
}

// warnings are the document's warnings (extract.Info.Warnings), then the
// pages' that do not repeat one of them (a repair met while a page is
// read is said by both).
func (s *pagesSeen) warnings(doc []string) []string {
	out := slices.Clone(doc)
	for _, w := range s.pageWarn {
		_, text, _ := strings.Cut(w, ": ")
		if !slices.Contains(doc, text) {
			out = append(out, w)
		}
	}
	return out
}

// limitWarnings makes warnings those of a document: each one printable
// line, at most maxWarnings (the last then says how many more there
// were); nil when none.
func limitWarnings(warnings []string) []string {
	if len(warnings) == 0 {
		return nil
	}
	out := slices.Clone(warnings)
	if len(out) > maxWarnings {
		out = append(out[:maxWarnings-1], fmt.Sprintf("and %d more warnings", len(out)-maxWarnings+1))
	}
	for i, w := range out {
		out[i] = oneLine(w, maxWarningText)
	}
	return out
}

// build makes the records of the rebuilt document, facts too with facts,
// and returns the problems of its cells.
func (res *Result) build(j job, info extract.Info, nd *normalize.Document, facts bool) []error {
	producer := info.Producer
	if producer == "" {
		producer = info.Creator
	}
	doc, tables, cells, cellProblems := records(source{id: j.id, file: j.file, pages: info.Pages, producer: producer}, nd)
	doc.DuplicateFiles = j.duplicates
	j.crawl.apply(&doc)
	res.Normalized = nd
	res.NormalizedChecks = normalize.Checks(nd.Tables)
	checks, checkProblems := checkRecords(&doc, tables, res.NormalizedChecks)
	res.Checks = checks
	res.Document, res.Tables, res.Cells = doc, tables, cells
	res.Indicators, res.FormFields = performanceRecords(&doc, nd)
	if facts {
		res.Facts = factRecords(&doc, tables, cells)
	}
	var problems []error
	for _, p := range append(cellProblems, checkProblems...) {
		problems = append(problems, errors.New(p))
	}
	return problems
}

// fail records err as the reason nothing was read, and returns it.
func (res *Result) fail(err error) error {
	res.Document.Status, res.Document.Error = schema.StatusFailed, oneLine(err.Error(), maxErrorText)
	return err
}

// settle gives a document read to the end its status: no text layer
// first, then partial when there were problems.
func (res *Result) settle(noText error, problems []error) error {
	switch {
	case noText != nil:
		res.Document.Status, res.Document.Error = schema.StatusNoTextLayer, oneLine(noText.Error(), maxErrorText)
		return noText
	case len(problems) > 0:
		res.Document.Status, res.Document.Error = schema.StatusPartial, oneLine(summarize(problems), maxErrorText)
		return errors.Join(problems...)
	}
	return nil
}

// summarize names the first maxProblems problems, and how many more.
func summarize(problems []error) string {
	var b strings.Builder
	for i, p := range problems[:min(len(problems), maxProblems)] {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Error())
	}
	if len(problems) > maxProblems {
		fmt.Fprintf(&b, "; and %d more", len(problems)-maxProblems)
	}
	return b.String()
}

// oneLine makes s one printable line of at most max bytes: control
// characters (newlines included), invalid UTF-8 and other non-graphic
// runes are escaped as %q escapes them, and a longer text loses its middle
// (at rune boundaries, replaced by "..."), so that both the start (the
// file) and the end (the cause) stay.
func oneLine(s string, max int) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsGraphic(r):
			b.WriteString(s[i : i+n])
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += n
	}
	out := b.String()
	if len(out) <= max {
		return out
	}
	head := (max - len("...")) / 2
	for head > 0 && !utf8.RuneStart(out[head]) {
		head--
	}
	tail := len(out) - (max - len("...") - head)
	for tail < len(out) && !utf8.RuneStart(out[tail]) {
		tail++
	}
	return out[:head] + "..." + out[tail:]
}

func (o *Options) withDefaults() Options {
	var v Options
	if o != nil {
		v = *o
	}
	if v.MaxPages <= 0 {
		v.MaxPages = defaultMaxPages
	}
	return v
}

// pages are the page numbers to read of a document of n pages.
func (o *Options) pages(n int) []int {
	if o.Pages == nil {
		all := make([]int, n)
		for i := range all {
			all[i] = i + 1
		}
		return all
	}
	var out []int
	for _, p := range o.Pages(n) {
		if p >= 1 && p <= n {
			out = append(out, p)
		}
	}
	return out
}

// TextLayer tells a scan from a document with text, page by page: a
// document has no text layer when no page read has any text
// (extract.Page.HasText) and none lost any (extract.Page.Lost: a page
// whose text operators gave no glyph, whose content, font or resource
// was damaged, is not a scan). It is the one place budgetpdf decides it.
// The zero value is ready to use.
type TextLayer struct {
	pages, withText, lost int
}

// Add counts a page read.
func (t *TextLayer) Add(p *extract.Page) {
	t.pages++
	if p.HasText() {
		t.withText++
	}
	if p.Lost {
		t.lost++
	}
}

// Err returns nil when a page counted has text or lost some, or none was
// counted, and otherwise an error wrapping extract.ErrNoTextLayer that
// says how many pages were counted: "no text layer: 3 page(s) of images
// only".
func (t *TextLayer) Err() error {
	if t.pages == 0 || t.withText > 0 || t.lost > 0 {
		return nil
	}
	return fmt.Errorf("%w: %d page(s) of images only", extract.ErrNoTextLayer, t.pages)
}
