package schema

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strconv"

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
		jsonlSink(s, func(b *batch) []documentRow { return b.docs })
	case "tables.jsonl":
		jsonlSink(s, func(b *batch) []tableRow { return b.tables })
	case "cells.jsonl":
		jsonlSink(s, func(b *batch) []cellRow { return b.cells })
	case "checks.jsonl":
		jsonlSink(s, func(b *batch) []checkRow { return b.checks })
	case "files.jsonl":
		jsonlSink(s, func(b *batch) []fileRow { return b.files })
	case "facts.jsonl":
		jsonlSink(s, func(b *batch) []factRow { return b.facts })
	case "indicators.jsonl":
		jsonlSink(s, func(b *batch) []indicatorRow { return b.inds })
	case "form_fields.jsonl":
		jsonlSink(s, func(b *batch) []formFieldRow { return b.fields })
	}
}

func newSink(path string, f *os.File) *sink {
	return &sink{path: path, f: f, bw: bufio.NewWriterSize(f, 1<<16)}
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

func jsonlSink[T any, P interface {
	*T
	json() any
}](s *sink, rows func(*batch) []T) {
	enc := json.NewEncoder(s.bw)
	enc.SetEscapeHTML(false)
	s.write = func(b *batch) error {
		rs := rows(b)
		for i := range rs {
			if err := enc.Encode(P(&rs[i]).json()); err != nil {
				return err
			}
		}
		return nil
	}
	s.close = func() error { return nil }
}

func (s *sink) finish() error {
	return errors.Join(s.close(), s.bw.Flush(), s.f.Chmod(0o644), s.f.Sync(), s.f.Close())
}
