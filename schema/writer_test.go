package schema

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The tests of the row formats write records through writer: one file
// per record set and format (cells.parquet, cells.jsonl) in a directory,
// over the same sinks as PartWriter, which writes them as part files.

type writer struct {
	dir   string
	sinks []*sink
}

// newWriter starts the files of the record sets in dir, in each of
// formats; the checks files when withChecks.
func newWriter(dir string, formats []string, withChecks bool) (_ *writer, err error) {
	fs, err := parseFormats(formats)
	if err != nil {
		return nil, err
	}
	parq, jsonl := fs[FormatParquet], fs[FormatJSONL]
	w := &writer{dir: dir}
	defer func() {
		if err != nil {
			w.abort()
		}
	}()
	sets := []string{"documents", "tables", "cells"}
	if withChecks {
		sets = append(sets, "checks")
	}
	for _, set := range sets {
		for _, ext := range formatExts(parq, jsonl) {
			f, err := os.CreateTemp(w.dir, "."+set+ext+".*.tmp")
			if err != nil {
				return nil, err
			}
			s := newSink(filepath.Join(w.dir, set+ext), f)
			w.sinks = append(w.sinks, s)
			configure(s, set, ext)
		}
	}
	return w, nil
}

func (w *writer) write(ds Dataset) error {
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

func (w *writer) close() error {
	for _, s := range w.sinks {
		if err := s.finish(); err != nil {
			w.abort()
			return err
		}
	}
	for i, s := range w.sinks {
		if err := os.Rename(s.f.Name(), s.path); err != nil {
			w.sinks = w.sinks[i:]
			w.abort()
			return err
		}
	}
	w.sinks = nil
	return nil
}

func (w *writer) abort() {
	for _, s := range w.sinks {
		s.f.Close()
		os.Remove(s.f.Name())
	}
	w.sinks = nil
}

// writeDataset writes ds into dir, all or nothing; the checks files when
// ds.Checks is not nil.
func writeDataset(dir string, formats []string, ds Dataset) error {
	w, err := newWriter(dir, formats, ds.Checks != nil)
	if err != nil {
		return err
	}
	if err := w.write(ds); err != nil {
		w.abort()
		return err
	}
	return w.close()
}

// encodeParquet writes records as one Parquet file to w.
func encodeParquet[R Record](w io.Writer, records []R) error {
	switch rs := any(records).(type) {
	case []Document:
		return writeParquet(w, documentSchema, documentRows(rs))
	case []Table:
		return writeParquet(w, tableSchema, tableRows(rs))
	case []Cell:
		rows, errs := cellRows(rs)
		if len(errs) > 0 {
			return errs
		}
		return writeParquet(w, cellSchema, rows)
	case []Check:
		rows, errs := checkRows(rs)
		if len(errs) > 0 {
			return errs
		}
		return writeParquet(w, checkSchema, rows)
	}
	panic("unreachable")
}

// encodeJSONL writes cells as JSON Lines to w; nothing when a cell
// cannot be written exactly.
func encodeJSONL(w io.Writer, cells []Cell) error {
	rows, errs := cellRows(cells)
	if len(errs) > 0 {
		return errs
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range rows {
		if err := enc.Encode(rows[i].json()); err != nil {
			return err
		}
	}
	return nil
}
