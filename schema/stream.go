package schema

import (
	"bufio"
	stdjson "encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"slices"
	"strconv"

	json "github.com/goccy/go-json"
	"github.com/parquet-go/parquet-go"
)

// rowsPerGroup bounds a Parquet row group, and so the memory a sink holds:
// a row group is buffered until it is complete.
const rowsPerGroup = 1 << 16

// pageBuffer is the size of a Parquet column's page buffer. A part has
// a writer per record set and partition, each with a buffer per column
// (cells have 35 columns), so parquet-go's default of 256 KiB held some
// 50 MiB in buffers over the corpus; pages of 32 KiB cost a few bytes of
// page headers and keep that to a few MiB.
const pageBuffer = 32 << 10

// sink is one part file being written: a record set's rows, in one
// format, streamed one Write at a time so that memory does not grow with
// the batch, under a temporary name until the batch is complete.
type sink struct {
	path  string
	f     *os.File
	bw    *bufio.Writer
	write func(r *batch) error
	close func() error // flushes the format's own buffers
}

// writeback counts the bytes written to a part's file and asks the kernel
// to start writing them to the disk every writebackChunk bytes, so that
// the sync of the batch's commit finds little left to write.
type writeback struct {
	f              *os.File
	written, asked int64
}

// writebackChunk is how many bytes of a part are written before the
// kernel is asked to put them on the disk (startWriteback).
const writebackChunk = 8 << 20

func (w *writeback) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.written += int64(n)
	if w.written-w.asked >= writebackChunk {
		startWriteback(w.f, w.asked, w.written-w.asked)
		w.asked = w.written
	}
	return n, err
}

// batch is one Write's records, converted and checked.
type batch struct {
	docs   []documentRow
	tables []tableRow
	cells  []cellRow
	checks []checkRow
	files  []fileRow
	inds   []indicatorRow
	fields []formFieldRow
	facts  []factRow
}

// newBatch converts records to rows, checking every value: an ErrorList
// names each one that cannot be written exactly.
func newBatch(ds Dataset) (*batch, error) {
	b := &batch{docs: documentRows(ds.Documents), tables: tableRows(ds.Tables), files: fileRows(ds.Files)}
	var errs, kerrs, ierrs, ferrs, xerrs ErrorList
	b.cells, errs = cellRows(ds.Cells)
	b.checks, kerrs = checkRows(ds.Checks)
	b.inds, ierrs = indicatorRows(ds.Indicators)
	b.fields, ferrs = formFieldRows(ds.FormFields)
	b.facts, xerrs = factRows(ds.Facts)
	if errs = slices.Concat(errs, kerrs, ierrs, ferrs, xerrs); len(errs) > 0 {
		return nil, errs
	}
	return b, nil
}

// formatExts are the file extensions of the formats chosen.
func formatExts(parq, jsonl bool) []string {
	var exts []string
	if parq {
		exts = append(exts, ".parquet")
	}
	if jsonl {
		exts = append(exts, ".jsonl")
	}
	return exts
}

// configure makes s write the rows of a record set in the format of ext.
func configure(s *sink, set, ext string) {
	switch set + ext {
	case "documents.parquet":
		parquetSink(s, documentSchema, func(b *batch) []documentRow { return b.docs })
	case "tables.parquet":
		parquetSink(s, tableSchema, func(b *batch) []tableRow { return b.tables })
	case "cells.parquet":
		parquetSink(s, cellSchema, func(b *batch) []cellRow { return b.cells })
	case "checks.parquet":
		parquetSink(s, checkSchema, func(b *batch) []checkRow { return b.checks })
	case "files.parquet":
		parquetSink(s, fileSchema, func(b *batch) []fileRow { return b.files })
	case "facts.parquet":
		parquetSink(s, factSchema, func(b *batch) []factRow { return b.facts })
	case "indicators.parquet":
		parquetSink(s, indicatorSchema, func(b *batch) []indicatorRow { return b.inds })
	case "form_fields.parquet":
		parquetSink(s, formFieldSchema, func(b *batch) []formFieldRow { return b.fields })
	case "documents.jsonl":
		jsonlSink(s, func(b *batch) []documentRow { return b.docs }, (*documentRow).json)
	case "tables.jsonl":
		jsonlSink(s, func(b *batch) []tableRow { return b.tables }, (*tableRow).json)
	case "cells.jsonl":
		jsonlSink(s, func(b *batch) []cellRow { return b.cells }, (*cellRow).json)
	case "checks.jsonl":
		jsonlSink(s, func(b *batch) []checkRow { return b.checks }, (*checkRow).json)
	case "files.jsonl":
		jsonlSink(s, func(b *batch) []fileRow { return b.files }, (*fileRow).json)
	case "facts.jsonl":
		jsonlSink(s, func(b *batch) []factRow { return b.facts }, (*factRow).json)
	case "indicators.jsonl":
		jsonlSink(s, func(b *batch) []indicatorRow { return b.inds }, (*indicatorRow).json)
	case "form_fields.jsonl":
		jsonlSink(s, func(b *batch) []formFieldRow { return b.fields }, (*formFieldRow).json)
	}
}

func newSink(path string, f *os.File) *sink {
	return &sink{path: path, f: f, bw: bufio.NewWriterSize(&writeback{f: f}, 1<<16)}
}

func parquetSink[T any](s *sink, schema *parquet.Schema, rows func(*batch) []T) {
	pw := parquet.NewGenericWriter[T](s.bw, schema,
		parquet.Compression(&parquet.Zstd),
		parquet.KeyValueMetadata("budgetpdf.schema_version", strconv.Itoa(Version)),
		parquet.MaxRowsPerRowGroup(rowsPerGroup),
		parquet.PageBufferSize(pageBuffer),
		writerName("budgetpdf"),
	)
	s.write = func(b *batch) error {
		_, err := pw.Write(rows(b))
		return err
	}
	s.close = pw.Close
}

func jsonlSink[T, J any](s *sink, rows func(*batch) []T, toJSON func(*T) J) {
	enc := newLineEncoder(s.bw, reflect.TypeFor[J]())
	var j J // each row's JSON, encoded through one pointer: no row copied into an interface
	s.write = func(b *batch) error {
		rs := rows(b)
		for i := range rs {
			j = toJSON(&rs[i])
			if err := enc.Encode(&j); err != nil {
				return err
			}
		}
		return nil
	}
	s.close = func() error { return nil }
}

// lineEncoder writes values of one type as JSON, one per line, with the
// bytes of encoding/json's Encoder (HTML characters not escaped).
type lineEncoder interface{ Encode(v any) error }

// newLineEncoder is the lineEncoder of values of type t: goccy/go-json's,
// which gives encoding/json's bytes in about half its time (a run writes
// a JSON object per cell), unless t holds what goccy/go-json writes
// otherwise (sameInGoccy): encoding/json's then. FuzzJSONLinesEncoder
// holds every record set's encoder to encoding/json.
func newLineEncoder(w io.Writer, t reflect.Type) lineEncoder {
	if !sameInGoccy(t) {
		enc := stdjson.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// sameInGoccy reports whether goccy/go-json writes values of type t as
// encoding/json does: not when they can hold a map (it orders keys that
// are not valid UTF-8 otherwise), a float (it writes exponents with two
// digits at least, 1e-08) or an interface.
func sameInGoccy(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Map, reflect.Interface, reflect.Float32, reflect.Float64:
		return false
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return sameInGoccy(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if !sameInGoccy(t.Field(i).Type) {
				return false
			}
		}
	}
	return true
}

func (s *sink) finish() error {
	return errors.Join(s.close(), s.bw.Flush(), s.f.Chmod(0o644), s.f.Sync(), s.f.Close())
}
