package pipeline

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"math/big"
	"slices"
	"time"
	"unsafe"

	"github.com/budgetpdf/budgetpdf/schema"
	"github.com/shopspring/decimal"
)

// The worker protocol's messages travel as frames: a uvarint length, then
// that many bytes, the first of which says what the message is (msgHello,
// msgRequest, msgAnswer). Fields follow in a fixed order, each as the
// encoder below writes it: integers as varints, floats as their 8 bytes
// (bit for bit), strings and lists with their length first, decimals with
// their coefficient and exponent as they are (so that "1.50" stays 150
// times 10^-2). The form is written by hand because encoding/gob, tried in
// its place, cost 1.23 s to encode the records of the corpus's 55 files
// (their reading takes 3.4 s): a third more per document, where this costs
// a tenth of that; a string that repeats the record before's is one byte
// (see encoder), and a cell is only what differs from the cell before it
// (see encoder.cell). TestCodecRoundTrip sets
// every field of every record and fails when one is left out, so a field
// added to a record cannot be forgotten here. Facts are not sent: the run
// derives them from the document, its tables and cells (factRecords).

// Message kinds, the first byte of a frame.
const (
	msgHello   = 1 // a worker's greeting: the protocol's version
	msgRequest = 2 // a document to read: workerRequest
	msgAnswer  = 3 // the records of the document asked for: workerAnswer
)

// maxFrame bounds a frame, in bytes: a length over it is not a frame.
const maxFrame = 1 << 30

// errMalformed means a frame that does not hold what its kind says.
var errMalformed = errors.New("malformed message")

// writeFrame writes payload as one frame.
func writeFrame(w *bufio.Writer, payload []byte) error {
	var n [binary.MaxVarintLen64]byte
	if _, err := w.Write(n[:binary.PutUvarint(n[:], uint64(len(payload)))]); err != nil {
		return err
	}
	if _, err := w.Write(payload); err != nil {
		return err
	}
	return w.Flush()
}

// readFrame reads one frame; io.EOF when r ends before it. A frame is
// allocated whole up to frameChunk bytes; beyond, its memory grows as its
// bytes arrive, whatever length it claims.
func readFrame(r *bufio.Reader) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, err
	}
	if n == 0 || n > maxFrame {
		return nil, fmt.Errorf("%w: a frame of %d bytes", errMalformed, n)
	}
	buf := make([]byte, 0, min(n, frameChunk))
	for uint64(len(buf)) < n {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, int(min(n-uint64(len(buf)), frameChunk)))
		}
		m, err := io.ReadFull(r, buf[len(buf):min(uint64(cap(buf)), n)])
		buf = buf[:len(buf)+m]
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
	return buf, nil
}

// frameChunk is the most memory allocated for a frame before its bytes
// arrive.
const frameChunk = 64 << 20

// encoder appends values to a message. A string the same as the same
// field of the record before is written as 0 (its length is written plus
// one otherwise): a document's checks, indicators and form fields repeat
// its id, file and table, sent once each (last, field). Cells, the bulk,
// are written apart (encoder.cell).
type encoder struct {
	b     []byte
	last  []string // the strings of the record before, by field
	field int      // the next string's field in the record being written
}

// record begins a record: its strings are compared with the record
// before's.
func (e *encoder) record() { e.field = 0 }

// message begins a message of kind: nothing of an earlier one is repeated.
func (e *encoder) message(kind byte) {
	e.b = append(e.b[:0], kind)
	e.last, e.field = e.last[:0], 0
}

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) f64(v float64) { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v)) }

// str writes a string: 0 when the record before had the same in this
// field, else its length plus one and its bytes.
func (e *encoder) str(s string) {
	i := e.field
	e.field++
	if i < len(e.last) && e.last[i] == s {
		e.uint(0)
		return
	}
	e.uint(uint64(len(s)) + 1)
	e.b = append(e.b, s...)
	if i < len(e.last) {
		e.last[i] = s
	} else {
		e.last = append(e.last, s)
	}
}
func (e *encoder) boolean(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}
func (e *encoder) strs(v []string) { e.uint(uint64(len(v))); appendAll(e, v, (*encoder).str) }

// blob writes bytes with their length first.
func (e *encoder) blob(b []byte) { e.uint(uint64(len(b))); e.b = append(e.b, b...) }

// time writes a time: 0 for the zero time; 1, its seconds since 1970 and
// its nanoseconds otherwise (the instant: it comes back in UTC, as the
// records hold it).
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.int(t.Unix())
	e.uint(uint64(t.Nanosecond()))
}

// strMap writes a map of strings: its length, then each key and value,
// the keys sorted (the same map, the same bytes).
func (e *encoder) strMap(m map[string]string) {
	e.uint(uint64(len(m)))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		e.str(k)
		e.str(m[k])
	}
}

// dec writes a decimal: 0 for nil; 1, its coefficient and exponent when
// the coefficient fits an int64 (at most 18 digits); 2, its sign, the
// coefficient's magnitude as bytes and the exponent otherwise.
func (e *encoder) dec(d *decimal.Decimal) {
	switch {
	case d == nil:
		e.b = append(e.b, 0)
	case d.NumDigits() <= 18:
		e.b = append(e.b, 1)
		e.int(d.CoefficientInt64())
		e.int(int64(d.Exponent()))
	default:
		c := d.Coefficient()
		e.b = append(e.b, 2)
		e.boolean(c.Sign() < 0)
		e.blob(c.Bytes())
		e.int(int64(d.Exponent()))
	}
}

func appendAll[T any](e *encoder, v []T, f func(*encoder, T)) {
	for _, x := range v {
		f(e, x)
	}
}

// decoder reads values from a message; the first failure sticks, and
// every later value is zero. A string the encoder wrote as the record
// before's is that string again (last, field). Other strings are made of
// their own, unless cut is set: then they are cut from the message, which
// saves an allocation and a copy for each but keeps the whole message in
// memory for as long as one of them is held. The records a run keeps
// beyond the writing of a document (its document record, for the whole
// batch; a table among the Summary's worst) are read with cut unset; the
// bulk, cells and the records like them, with cut set (answer). The
// message must not change once read: it is never reused.
type decoder struct {
	b      []byte
	size   int               // the message's length
	budget int64             // the bytes its lists, maps and decimals may still take (see maxExpansion)
	err    error             // the first failure
	decs   []decimal.Decimal // allocated a slab at a time, for dec
	last   []string          // the strings of the record before, by field
	field  int               // the next string's field in the record being read
	cut    bool              // strings cut from the message, not copied
}

// newDecoder reads the message b.
func newDecoder(b []byte) *decoder {
	return &decoder{b: b, size: len(b), budget: maxExpansion*int64(len(b)) + expansionSlack}
}

// A message decodes to at most maxExpansion times its size, plus
// expansionSlack bytes, in the lists, maps and decimals it holds: a
// message claiming more is malformed, not allocated (a count checked
// against the bytes left alone would let a frame of a few MB of
// one-byte items ask for GBs: a cell takes 400 bytes decoded). A
// worker's answer decodes to about 5 times its size (477 cells: 52 KB
// to about 250 KB), cells that repeat all but their amount to about 50.
const (
	maxExpansion   = 64
	expansionSlack = 64 << 10
	// mapEntrySize is what a map's entry is charged: its two strings
	// and the map's own share.
	mapEntrySize = 64
	// decimalSize is what a decimal is charged: its place in the slab and
	// its coefficient's big.Int.
	decimalSize = 64
	// maxExponent and maxCoefficient bound a decimal (see dec).
	maxExponent    = 1000
	maxCoefficient = 128
)

// take charges n items of size bytes each to the budget; false (and the
// message malformed) when they do not fit.
func (d *decoder) take(n uint64, size uintptr) bool {
	if size > 0 && n > uint64(d.budget)/uint64(size) {
		d.fail(fmt.Sprintf("%d items of %d bytes, more than the message can hold", n, size))
		return false
	}
	d.budget -= int64(n) * int64(size)
	return true
}

// at is the offset of what is left in the message.
func (d *decoder) at() int { return d.size - len(d.b) }

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s at byte %d", errMalformed, what, d.at())
	}
	d.b = nil
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int32() int32 {
	v := d.int()
	if v != int64(int32(v)) {
		d.fail("integer out of range")
		return 0
	}
	return int32(v)
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail("message cut short")
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) boolean() bool { return d.byte() == 1 }

func (d *decoder) f64() float64 {
	if len(d.b) < 8 {
		d.fail("message cut short")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return v
}

// bytes reads a length and as many bytes.
func (d *decoder) bytes() []byte {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail("length past the end")
		return nil
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

// uint32 reads 4 bytes, little-endian.
func (d *decoder) uint32() uint32 {
	if len(d.b) < 4 {
		d.fail("message cut short")
		return 0
	}
	v := binary.LittleEndian.Uint32(d.b)
	d.b = d.b[4:]
	return v
}

// plainStr reads a string written as its length and bytes (a
// fieldWriter's).
func (d *decoder) plainStr() string { return d.strOf(d.uint()) }

// strOf reads a string of n bytes, cut from the message or copied (see
// decoder).
func (d *decoder) strOf(n uint64) string {
	if n > uint64(len(d.b)) {
		d.fail("length past the end")
		return ""
	}
	var s string
	switch {
	case n == 0:
	case d.cut:
		s = unsafe.String(&d.b[0], n)
	default:
		s = string(d.b[:n])
	}
	d.b = d.b[n:]
	return s
}

// str reads a string (see encoder.str).
func (d *decoder) str() string {
	n := d.uint()
	i := d.field
	d.field++
	if n == 0 {
		if i >= len(d.last) {
			d.fail("a repeat of no string")
			return ""
		}
		return d.last[i]
	}
	s := d.strOf(n - 1)
	if i < len(d.last) {
		d.last[i] = s
	} else if i == len(d.last) {
		d.last = append(d.last, s)
	}
	return s
}

// record begins a record (see encoder.record).
func (d *decoder) record() { d.field = 0 }

// blob reads bytes with their length first, copied out of the message;
// nil when none.
func (d *decoder) blob() []byte {
	b := d.bytes()
	if len(b) == 0 {
		return nil
	}
	return bytes.Clone(b)
}

// time reads a time (see encoder.time).
func (d *decoder) time() time.Time {
	switch d.byte() {
	case 0:
		return time.Time{}
	case 1:
		sec, ns := d.int(), d.uint()
		if ns >= 1e9 {
			d.fail("bad time")
			return time.Time{}
		}
		return time.Unix(sec, int64(ns)).UTC()
	}
	d.fail("bad time")
	return time.Time{}
}

// strMap reads a map of strings (see encoder.strMap); nil when empty.
func (d *decoder) strMap() map[string]string {
	n := d.count()
	if n == 0 {
		return nil
	}
	if !d.take(uint64(n), mapEntrySize) {
		return nil
	}
	m := make(map[string]string, n)
	for range n {
		k := d.str()
		m[k] = d.str()
	}
	return m
}

// count reads the length of a list, each of whose items takes at least
// one byte: a length past the message's end is malformed, not allocated.
func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail("list longer than the message")
		return 0
	}
	return int(n)
}

func (d *decoder) strs() []string { return decodeAll(d, (*decoder).str) }

// dec reads a decimal (see encoder.dec) into the slab. Its exponent is
// within ±maxExponent and its coefficient at most maxCoefficient bytes:
// the work done with a decimal (scaling it for DECIMAL(18,6), its
// digits) grows with both, and the run's amounts, sums and ratios stay
// far within them (exponents −16 to 4, a few dozen digits).
func (d *decoder) dec() *decimal.Decimal {
	var v decimal.Decimal
	switch d.byte() {
	case 0:
		return nil
	case 1:
		c, exp := d.int(), d.int32()
		v = decimal.New(c, exp)
	case 2:
		neg, mag := d.boolean(), d.bytes()
		if len(mag) > maxCoefficient {
			d.fail("decimal coefficient too long")
			return nil
		}
		c := new(big.Int).SetBytes(mag)
		if neg {
			c.Neg(c)
		}
		v = decimal.NewFromBigInt(c, d.int32())
	default:
		d.fail("bad decimal")
		return nil
	}
	if exp := v.Exponent(); exp < -maxExponent || exp > maxExponent {
		d.fail("decimal exponent out of range")
		return nil
	}
	if !d.take(1, decimalSize) || d.err != nil {
		return nil
	}
	if len(d.decs) == cap(d.decs) {
		d.decs = make([]decimal.Decimal, 0, 256)
	}
	d.decs = append(d.decs, v)
	return &d.decs[len(d.decs)-1]
}

// decodeAll reads a list: nil when empty, as the records hold it.
func decodeAll[T any](d *decoder, f func(*decoder) T) []T {
	return decodeInto(d, func(d *decoder, v *T) { *v = f(d) })
}

// decodeInto is decodeAll with each item read in its place (a large
// record is not built apart, then copied in).
func decodeInto[T any](d *decoder, f func(*decoder, *T)) []T {
	n := d.count()
	if n == 0 || !d.take(uint64(n), unsafe.Sizeof(*new(T))) {
		return nil
	}
	out := make([]T, n)
	for i := range out {
		f(d, &out[i])
	}
	return out
}

// The messages.

func (e *encoder) hello() {
	e.message(msgHello)
	e.uint(workerProtocol)
}

func (e *encoder) request(r *workerRequest) {
	e.message(msgRequest)
	e.str(r.File)
	e.str(r.Path)
	e.str(r.ID)
	e.strs(r.Duplicates)
	e.int(int64(r.MaxPages))
	e.str(r.Password)
	e.boolean(r.Workbook)
	e.crawl(&r.Crawl)
}

func (d *decoder) request() workerRequest {
	return workerRequest{File: d.str(), Path: d.str(), ID: d.str(), Duplicates: d.strs(), MaxPages: int(d.int()), Password: d.str(),
		Workbook: d.boolean(), Crawl: d.crawl()}
}

func (e *encoder) crawl(c *crawl) {
	e.str(c.SourceURL)
	e.str(c.FinalURL)
	e.time(c.FetchedAt)
	e.str(c.ETag)
	e.str(c.LastModified)
	e.strMap(c.Metadata)
	e.strs(c.Warnings)
}

func (d *decoder) crawl() crawl {
	return crawl{SourceURL: d.str(), FinalURL: d.str(), FetchedAt: d.time(), ETag: d.str(), LastModified: d.str(),
		Metadata: d.strMap(), Warnings: d.strs()}
}

func (e *encoder) answer(a *workerAnswer) {
	// (about what a cell takes, so that the message grows once at most)
	e.message(msgAnswer)
	e.b = slices.Grow(e.b, 256+len(a.Cells)*128)
	e.document(&a.Document)
	e.uint(uint64(len(a.Tables)))
	appendAll(e, a.Tables, (*encoder).table)
	e.uint(uint64(len(a.Cells)))
	prev := new(schema.Cell)
	for i := range a.Cells {
		e.cell(&a.Cells[i], prev)
		prev = &a.Cells[i]
	}
	e.uint(uint64(len(a.Checks)))
	for i := range a.Checks {
		e.check(&a.Checks[i])
	}
	e.uint(uint64(len(a.Indicators)))
	for i := range a.Indicators {
		e.indicator(&a.Indicators[i])
	}
	e.uint(uint64(len(a.FormFields)))
	for i := range a.FormFields {
		e.formField(&a.FormFields[i])
	}
	e.blob(a.Workbook)
}

func (d *decoder) answer() workerAnswer {
	a := workerAnswer{Document: d.document(), Tables: decodeAll(d, (*decoder).table)}
	d.cut = true             // (the records written, then let go: see decoder)
	prev := new(schema.Cell) // (each cell is read from the one before: encoder.cell)
	a.Cells = decodeInto(d, func(d *decoder, c *schema.Cell) { d.cell(c, prev); prev = c })
	a.Checks = decodeAll(d, (*decoder).check)
	a.Indicators, a.FormFields = decodeAll(d, (*decoder).indicator), decodeAll(d, (*decoder).formField)
	a.Workbook = d.blob()
	return a
}

// message decodes a frame of the kind wanted, every byte of it.
func decodeMessage[T any](frame []byte, kind byte, f func(*decoder) T) (T, error) {
	d := newDecoder(frame)
	if k := d.byte(); k != kind && d.err == nil {
		d.fail(fmt.Sprintf("message of kind %d, not %d", k, kind))
	}
	v := f(d)
	if d.err == nil && len(d.b) > 0 {
		d.fail("bytes after the message")
	}
	return v, d.err
}

// The records, field by field in the order of their declaration
// (TestCodecRoundTrip fails when a field is left out).

func (e *encoder) document(v *schema.Document) {
	e.record()
	e.str(v.DocumentID)
	e.str(v.SourceFile)
	e.strs(v.DuplicateFiles)
	e.int(int64(v.Pages))
	e.str(v.Producer)
	e.int(int64(v.FiscalYear))
	e.str(v.Agency)
	e.str(v.AgencyPrinted)
	e.str(v.RegionCode)
	e.str(v.Province)
	e.str(v.City)
	e.str(v.County)
	e.str(v.Phase)
	e.str(v.Status)
	e.str(v.Error)
	e.boolean(v.Repaired)
	e.strs(v.Warnings)
	e.int(int64(v.ChecksPassed))
	e.int(int64(v.ChecksFailed))
	e.int(int64(v.ChecksSkipped))
	e.str(v.SourceURL)
	e.str(v.FinalURL)
	e.time(v.FetchedAt)
	e.str(v.ETag)
	e.str(v.LastModified)
	e.strMap(v.Metadata)
}

func (d *decoder) document() schema.Document {
	d.record()
	return schema.Document{DocumentID: d.str(), SourceFile: d.str(), DuplicateFiles: d.strs(), Pages: d.int32(),
		Producer: d.str(), FiscalYear: d.int32(), Agency: d.str(), AgencyPrinted: d.str(),
		RegionCode: d.str(), Province: d.str(), City: d.str(), County: d.str(),
		Phase: d.str(), Status: d.str(), Error: d.str(),
		Repaired: d.boolean(), Warnings: d.strs(), ChecksPassed: d.int32(), ChecksFailed: d.int32(), ChecksSkipped: d.int32(),
		SourceURL: d.str(), FinalURL: d.str(), FetchedAt: d.time(), ETag: d.str(), LastModified: d.str(), Metadata: d.strMap()}
}

func (e *encoder) table(v schema.Table) {
	e.record()
	e.str(v.DocumentID)
	e.int(int64(v.TableIndex))
	e.str(v.TableCode)
	e.str(v.TableKind)
	e.str(v.Phase)
	e.str(v.Title)
	e.int(int64(v.FiscalYear))
	e.str(v.Agency)
	e.str(v.Unit)
	e.int(int64(v.PageFirst))
	e.int(int64(v.PageLast))
	e.strs(v.Columns)
	e.int(int64(v.RowCount))
	e.int(int64(v.ChecksPassed))
	e.int(int64(v.ChecksFailed))
	e.int(int64(v.ChecksSkipped))
}

func (d *decoder) table() schema.Table {
	d.record()
	return schema.Table{DocumentID: d.str(), TableIndex: d.int32(), TableCode: d.str(), TableKind: d.str(), Phase: d.str(),
		Title: d.str(), FiscalYear: d.int32(), Agency: d.str(), Unit: d.str(), PageFirst: d.int32(), PageLast: d.int32(),
		Columns: d.strs(), RowCount: d.int32(), ChecksPassed: d.int32(), ChecksFailed: d.int32(), ChecksSkipped: d.int32()}
}

// cell writes a cell as what differs from the cell before it (prev; the
// zero Cell for a message's first): a mask of the fields that differ,
// then those fields, in the order of their declaration; the amounts are
// always written. The cells of a row share its code and label, those of
// a column its path and x, those of a table its code and kind: most cells
// are a few fields.
func (e *encoder) cell(v, prev *schema.Cell) {
	at := len(e.b)
	e.b = append(e.b, 0, 0, 0, 0)
	w := fieldWriter{e: e}
	w.str(v.DocumentID, prev.DocumentID)
	w.str(v.SourceFile, prev.SourceFile)
	w.i32(v.TableIndex, prev.TableIndex)
	w.str(v.TableCode, prev.TableCode)
	w.str(v.TableKind, prev.TableKind)
	w.str(v.Phase, prev.Phase)
	w.i32(v.RowIndex, prev.RowIndex)
	w.str(v.RowCode, prev.RowCode)
	w.str(v.RowCode2, prev.RowCode2)
	w.str(v.RowLabel, prev.RowLabel)
	w.str(v.RowLabel2, prev.RowLabel2)
	w.i32(v.RowLevel, prev.RowLevel)
	w.str(v.CodeSystem, prev.CodeSystem)
	w.str(v.CodeName, prev.CodeName)
	w.str(v.Code2System, prev.Code2System)
	w.str(v.Code2Name, prev.Code2Name)
	w.str(v.Side, prev.Side)
	w.i32(v.ColumnIndex, prev.ColumnIndex)
	w.str(v.ColumnPath, prev.ColumnPath)
	w.str(v.Measure, prev.Measure)
	w.str(v.Fund, prev.Fund)
	w.str(v.Text, prev.Text)
	w.str(v.RawText, prev.RawText)
	e.dec(v.Amount)
	w.str(v.Unit, prev.Unit)
	e.dec(v.AmountYuan)
	w.i32(v.Page, prev.Page)
	w.f64(v.X0, prev.X0)
	w.f64(v.Y0, prev.Y0)
	w.f64(v.X1, prev.X1)
	w.f64(v.Y1, prev.Y1)
	binary.LittleEndian.PutUint32(e.b[at:], w.mask)
}

// fieldWriter writes the fields of a record that differ from the record
// before's, each marked in mask: a bit per field, in order.
type fieldWriter struct {
	e    *encoder
	mask uint32
	n    uint // the fields seen so far
}

// next says whether the next field, which differs or not, is written.
func (w *fieldWriter) next(differs bool) bool {
	if differs {
		w.mask |= 1 << w.n
	}
	w.n++
	return differs
}

func (w *fieldWriter) str(v, prev string) {
	if w.next(v != prev) {
		w.e.uint(uint64(len(v)))
		w.e.b = append(w.e.b, v...)
	}
}

func (w *fieldWriter) i32(v, prev int32) {
	if w.next(v != prev) {
		w.e.int(int64(v))
	}
}

// f64 compares bit for bit: -0 differs from 0.
func (w *fieldWriter) f64(v, prev float64) {
	if w.next(math.Float64bits(v) != math.Float64bits(prev)) {
		w.e.f64(v)
	}
}

// cell reads a cell (see encoder.cell) into c, from the cell before it.
func (d *decoder) cell(c, prev *schema.Cell) {
	*c = *prev
	r := fieldReader{d: d, mask: d.uint32()}
	r.str(&c.DocumentID)
	r.str(&c.SourceFile)
	r.i32(&c.TableIndex)
	r.str(&c.TableCode)
	r.str(&c.TableKind)
	r.str(&c.Phase)
	r.i32(&c.RowIndex)
	r.str(&c.RowCode)
	r.str(&c.RowCode2)
	r.str(&c.RowLabel)
	r.str(&c.RowLabel2)
	r.i32(&c.RowLevel)
	r.str(&c.CodeSystem)
	r.str(&c.CodeName)
	r.str(&c.Code2System)
	r.str(&c.Code2Name)
	r.str(&c.Side)
	r.i32(&c.ColumnIndex)
	r.str(&c.ColumnPath)
	r.str(&c.Measure)
	r.str(&c.Fund)
	r.str(&c.Text)
	r.str(&c.RawText)
	c.Amount = d.dec()
	r.str(&c.Unit)
	c.AmountYuan = d.dec()
	r.i32(&c.Page)
	r.f64(&c.X0)
	r.f64(&c.Y0)
	r.f64(&c.X1)
	r.f64(&c.Y1)
	if r.mask>>r.n != 0 {
		d.fail("a cell's mask marks fields it does not have")
	}
}

// fieldReader reads the fields a fieldWriter wrote: a field whose bit is
// not set keeps the value of the record before.
type fieldReader struct {
	d    *decoder
	mask uint32
	n    uint // the fields seen so far
}

// next says whether the next field was written.
func (r *fieldReader) next() bool {
	r.n++
	return r.mask>>(r.n-1)&1 != 0
}

func (r *fieldReader) str(v *string) {
	if r.next() {
		*v = r.d.plainStr()
	}
}

func (r *fieldReader) i32(v *int32) {
	if r.next() {
		*v = r.d.int32()
	}
}

func (r *fieldReader) f64(v *float64) {
	if r.next() {
		*v = r.d.f64()
	}
}

func (e *encoder) check(v *schema.Check) {
	e.record()
	e.str(v.DocumentID)
	e.str(v.SourceFile)
	e.int(int64(v.TableIndex))
	e.str(v.Rule)
	e.str(v.Scope)
	e.int(int64(v.RowIndex))
	e.dec(v.Expected)
	e.dec(v.Actual)
	e.dec(v.Difference)
	e.str(v.Status)
	e.uint(uint64(len(v.Cells)))
	for _, c := range v.Cells {
		e.int(int64(c.TableIndex))
		e.int(int64(c.RowIndex))
		e.int(int64(c.ColumnIndex))
		e.int(int64(c.Page))
		for _, x := range [4]float64{c.X0, c.Y0, c.X1, c.Y1} {
			e.f64(x)
		}
	}
	e.str(v.Note)
}

func (d *decoder) check() schema.Check {
	d.record()
	return schema.Check{DocumentID: d.str(), SourceFile: d.str(), TableIndex: d.int32(), Rule: d.str(),
		Scope: d.str(), RowIndex: d.int32(), Expected: d.dec(), Actual: d.dec(), Difference: d.dec(),
		Status: d.str(), Cells: decodeAll(d, (*decoder).checkCell), Note: d.str()}
}

func (d *decoder) checkCell() schema.CheckCell {
	return schema.CheckCell{TableIndex: d.int32(), RowIndex: d.int32(), ColumnIndex: d.int32(), Page: d.int32(),
		X0: d.f64(), Y0: d.f64(), X1: d.f64(), Y1: d.f64()}
}

func (e *encoder) indicator(v *schema.Indicator) {
	e.record()
	e.str(v.DocumentID)
	e.str(v.SourceFile)
	e.int(int64(v.TableIndex))
	e.str(v.Phase)
	e.int(int64(v.IndicatorIndex))
	e.int(int64(v.RowIndex))
	e.str(v.Form)
	e.str(v.ProjectCode)
	e.str(v.ProjectName)
	e.dec(v.ProjectAmount)
	e.str(v.Unit)
	e.str(v.Agency)
	e.str(v.Level1)
	e.str(v.Level2)
	e.str(v.Name)
	e.str(v.ValueText)
	e.str(v.Note)
	e.str(v.Comparator)
	e.dec(v.ValueLow)
	e.dec(v.ValueHigh)
	e.str(v.ValueUnit)
	e.boolean(v.Qualitative)
	e.str(v.ActualText)
	e.dec(v.Weight)
	e.dec(v.Score)
	e.int(int64(v.Page))
	for _, x := range [4]float64{v.X0, v.Y0, v.X1, v.Y1} {
		e.f64(x)
	}
}

func (d *decoder) indicator() schema.Indicator {
	d.record()
	return schema.Indicator{DocumentID: d.str(), SourceFile: d.str(), TableIndex: d.int32(), Phase: d.str(),
		IndicatorIndex: d.int32(), RowIndex: d.int32(), Form: d.str(), ProjectCode: d.str(), ProjectName: d.str(),
		ProjectAmount: d.dec(), Unit: d.str(), Agency: d.str(), Level1: d.str(), Level2: d.str(), Name: d.str(),
		ValueText: d.str(), Note: d.str(), Comparator: d.str(), ValueLow: d.dec(), ValueHigh: d.dec(),
		ValueUnit: d.str(), Qualitative: d.boolean(), ActualText: d.str(), Weight: d.dec(), Score: d.dec(),
		Page: d.int32(), X0: d.f64(), Y0: d.f64(), X1: d.f64(), Y1: d.f64()}
}

func (e *encoder) formField(v *schema.FormField) {
	e.record()
	e.str(v.DocumentID)
	e.str(v.SourceFile)
	e.int(int64(v.TableIndex))
	e.int(int64(v.FieldIndex))
	e.int(int64(v.RowIndex))
	e.str(v.ProjectCode)
	e.str(v.ProjectName)
	e.str(v.Key)
	e.str(v.Value)
	e.dec(v.Amount)
	e.str(v.Unit)
	e.int(int64(v.Page))
	for _, x := range [4]float64{v.X0, v.Y0, v.X1, v.Y1} {
		e.f64(x)
	}
}

func (d *decoder) formField() schema.FormField {
	d.record()
	return schema.FormField{DocumentID: d.str(), SourceFile: d.str(), TableIndex: d.int32(), FieldIndex: d.int32(),
		RowIndex: d.int32(), ProjectCode: d.str(), ProjectName: d.str(), Key: d.str(), Value: d.str(),
		Amount: d.dec(), Unit: d.str(), Page: d.int32(), X0: d.f64(), Y0: d.f64(), X1: d.f64(), Y1: d.f64()}
}
