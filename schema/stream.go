package schema

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// rowsPerGroup bounds a Parquet row group, and so the memory a Writer
// holds: a row group is buffered until it is complete.
const rowsPerGroup = 1 << 16

// Writer streams the record sets of a run into a directory, one document's
// records at a time, so that memory does not grow with the batch. Each file
// is written under a temporary name beside its final name; Close renames
// them all over the final names, and Abort removes them, so an interrupted
// run leaves the previous output as it was. The files depend only on the
// records and their order.
type Writer struct {
	dir   string
	sinks []*sink
}

// sink is one file being written: documents.parquet, cells.jsonl, ...
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
}

// newBatch converts records to rows, checking every value: an ErrorList
// names each one that cannot be written exactly.
func newBatch(ds Dataset) (*batch, error) {
	b := &batch{docs: documentRows(ds.Documents), tables: tableRows(ds.Tables)}
	var errs, kerrs ErrorList
	b.cells, errs = cellRows(ds.Cells)
	b.checks, kerrs = checkRows(ds.Checks)
	if errs = append(errs, kerrs...); len(errs) > 0 {
		return nil, errs
	}
	return b, nil
}

// NewWriter starts the files of the record sets in dir, in each of formats
// (FormatParquet, FormatJSONL; nil or empty means both). The checks files
// are written when withChecks is true.
func NewWriter(dir string, formats []string, withChecks bool) (_ *Writer, err error) {
	parq, jsonl, err := parseFormats(formats)
	if err != nil {
		return nil, err
	}
	w := &Writer{dir: dir}
	defer func() {
		if err != nil {
			w.Abort()
		}
	}()
	sets := []string{"documents", "tables", "cells"}
	if withChecks {
		sets = append(sets, "checks")
	}
	for _, set := range sets {
		for _, ext := range formatExts(parq, jsonl) {
			s, err := w.start(set + ext)
			if err != nil {
				return nil, err
			}
			configure(s, set, ext)
		}
	}
	return w, nil
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
	case "documents.jsonl":
		jsonlSink(s, func(b *batch) []documentRow { return b.docs })
	case "tables.jsonl":
		jsonlSink(s, func(b *batch) []tableRow { return b.tables })
	case "cells.jsonl":
		jsonlSink(s, func(b *batch) []cellRow { return b.cells })
	case "checks.jsonl":
		jsonlSink(s, func(b *batch) []checkRow { return b.checks })
	}
}

func (w *Writer) start(name string) (*sink, error) {
	path := filepath.Join(w.dir, name)
	f, err := os.CreateTemp(w.dir, "."+name+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("schema: write %s: %w", path, err)
	}
	s := newSink(path, f)
	w.sinks = append(w.sinks, s)
	return s, nil
}

func newSink(path string, f *os.File) *sink {
	return &sink{path: path, f: f, bw: bufio.NewWriterSize(f, 1<<16)}
}

func parquetSink[T any](s *sink, schema *parquet.Schema, rows func(*batch) []T) {
	pw := parquet.NewGenericWriter[T](s.bw, schema,
		parquet.Compression(&parquet.Zstd),
		parquet.KeyValueMetadata("budgetpdf.schema_version", strconv.Itoa(Version)),
		parquet.MaxRowsPerRowGroup(rowsPerGroup),
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

// Write appends records to every file. Every value is checked first: if a
// cell or check cannot be written exactly, Write returns an ErrorList
// naming each such value and writes nothing of ds.
func (w *Writer) Write(ds Dataset) error {
	b, err := newBatch(ds)
	if err != nil {
		return err
	}
	for _, s := range w.sinks {
		if err := s.write(b); err != nil {
			return fmt.Errorf("schema: write %s: %w", s.path, err)
		}
	}
	return nil
}

// Close completes the files and renames each over its final name. Only a
// failure among the final renames can leave a mix of new and previous
// files; the error then says which.
func (w *Writer) Close() error {
	for _, s := range w.sinks {
		if err := s.finish(); err != nil {
			w.Abort()
			return fmt.Errorf("schema: write %s: %w", s.path, err)
		}
	}
	for i, s := range w.sinks {
		if err := os.Rename(s.f.Name(), s.path); err != nil {
			w.sinks = w.sinks[i:]
			w.Abort()
			return fmt.Errorf("schema: rename %s (%d of %d files replaced): %w", s.path, i, len(w.sinks)+i, err)
		}
	}
	w.sinks = nil
	return nil
}

func (s *sink) finish() error {
	return errors.Join(s.close(), s.bw.Flush(), s.f.Chmod(0o644), s.f.Sync(), s.f.Close())
}

// Abort removes the temporary files; the previous output stays.
func (w *Writer) Abort() {
	for _, s := range w.sinks {
		s.f.Close()
		os.Remove(s.f.Name())
	}
	w.sinks = nil
}
