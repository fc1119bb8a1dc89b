package schema

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// compact merges the committed parts of every record set and partition of
// a dataset directory into one part each, named after batch, and returns
// how many parts it replaced. No run may write into dir meanwhile (see
// Run.Compact).
//
// The merged parts are a batch of their own, committed like any other (the
// documents part last). Before that commit, the list of the batches it
// replaces is written to replaces/<batch>; once the commit is done the old
// parts are removed, and recoverDir finishes that removal if Compact was
// stopped half way. At every moment a reader sees each record once.
func compact(dir, batch string) (int, error) {
	parts, err := listParts(dir)
	if err != nil {
		return 0, err
	}
	committed := committedBatches(parts)
	groups := make(map[string][]part) // by the directory they lie in and the format
	var old []string
	for _, p := range parts {
		if p.temp || !committed[p.batch] || p.set == "files" {
			continue
		}
		key := filepath.Join(filepath.Dir(p.path), filepath.Ext(p.path))
		groups[key] = append(groups[key], p)
		if !slices.Contains(old, p.batch) {
			old = append(old, p.batch)
		}
	}
	if len(old) < 2 {
		return 0, nil
	}
	slices.Sort(old)
	w := &PartWriter{dir: dir, batch: batch, sinks: make(map[string]*sink)}
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		g := groups[key]
		slices.SortFunc(g, func(a, b part) int { return cmp.Compare(a.batch, b.batch) })
		ext := filepath.Ext(g[0].path)
		path := filepath.Join(filepath.Dir(g[0].path), "part-"+batch+ext)
		f, err := os.CreateTemp(filepath.Dir(path), ".part-"+batch+ext+".*.tmp")
		if err != nil {
			w.Abort()
			return 0, fmt.Errorf("schema: %w", err)
		}
		s := newSink(path, f)
		w.sinks[path] = s
		if err := copyParts(s, g[0].set, ext, g); err != nil {
			w.Abort()
			return 0, err
		}
	}
	journal := filepath.Join(dir, "replaces", batch)
	if err := os.MkdirAll(filepath.Dir(journal), 0o755); err != nil {
		w.Abort()
		return 0, fmt.Errorf("schema: %w", err)
	}
	if err := writeFileAtomic(journal, []byte(strings.Join(old, "\n")+"\n")); err != nil {
		w.Abort()
		return 0, err
	}
	if err := w.Close(); err != nil {
		os.Remove(journal)
		return 0, err
	}
	n, err := finishReplace(dir, journal, parts)
	return n, err
}

// copyParts streams the rows of parts into s, one part at a time.
func copyParts(s *sink, set, ext string, parts []part) error {
	if ext == ".jsonl" {
		s.write = func(*batch) error { return nil }
		s.close = func() error { return nil }
		for _, p := range parts {
			f, err := os.Open(p.path)
			if err != nil {
				return fmt.Errorf("schema: %w", err)
			}
			_, err = io.Copy(s.bw, bufio.NewReader(f))
			f.Close()
			if err != nil {
				return fmt.Errorf("schema: %s: %w", p.path, err)
			}
		}
		return nil
	}
	switch set {
	case "documents":
		return copyParquet[documentRow](s, documentSchema, parts)
	case "tables":
		return copyParquet[tableRow](s, tableSchema, parts)
	case "cells":
		return copyParquet[cellRow](s, cellSchema, parts)
	case "indicators":
		return copyParquet[indicatorRow](s, indicatorSchema, parts)
	case "form_fields":
		return copyParquet[formFieldRow](s, formFieldSchema, parts)
	default:
		return copyParquet[checkRow](s, checkSchema, parts)
	}
}

func copyParquet[T any](s *sink, schema *parquet.Schema, parts []part) error {
	var rows []T
	parquetSink(s, schema, func(*batch) []T { return rows })
	for _, p := range parts {
		data, err := os.ReadFile(p.path)
		if err != nil {
			return fmt.Errorf("schema: %w", err)
		}
		if rows, err = readRows[T](data, schema); err != nil {
			return fmt.Errorf("schema: %s: %w", p.path, err)
		}
		if err := s.write(nil); err != nil {
			return fmt.Errorf("schema: %s: %w", s.path, err)
		}
	}
	return nil
}

// readRows reads a whole Parquet file's rows; parquet-go can panic on a
// damaged file, which is then this function's error.
func readRows[T any](data []byte, schema *parquet.Schema) (_ []T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("damaged parquet file: %v", p)
		}
	}()
	return parquet.Read[T](bytesReaderAt(data), int64(len(data)), schema)
}

type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// finishReplace removes the parts of the batches a committed compaction
// replaced, then its journal.
func finishReplace(dir, journal string, parts []part) (int, error) {
	data, err := os.ReadFile(journal)
	if err != nil {
		return 0, fmt.Errorf("schema: %w", err)
	}
	replaced := make(map[string]bool)
	for _, b := range strings.Fields(string(data)) {
		replaced[b] = true
	}
	n := 0
	for _, p := range parts {
		if replaced[p.batch] && !p.temp {
			if err := os.Remove(p.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return n, fmt.Errorf("schema: %w", err)
			}
			n++
		}
	}
	return n, os.Remove(journal)
}

func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	_, err = f.Write(data)
	if err = errors.Join(err, f.Chmod(0o644), f.Sync(), f.Close()); err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("schema: %w", err)
	}
	return nil
}
