package schema

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"

	"github.com/parquet-go/parquet-go"
)

// compact merges the parts of every record set and partition of a dataset
// directory into one part each, named after batch, and returns how many
// parts it replaced. It holds the dataset lock, and no other run may
// write into dir meanwhile (see Run.Compact).
//
// The merged parts are a batch of their own, committed like any other;
// its manifest replaces every batch there was, and lists the workbooks of
// the documents kept (staged as links to them: see workbooks.go).
// Workbooks are not counted among the parts replaced. The rows a reader drops
// (documents superseded, or held again by a later batch) are left out, so
// that the merged parts hold each document once. Once the merged batch is
// committed, the parts it replaces are removed, then its own published;
// recovery finishes both if compact was stopped half way.
func compact(dir string, r *Run) (int, error) {
	v, err := readView(dir)
	if err != nil {
		return 0, err
	}
	if len(v.all) < 2 && v.duplicates() == 0 {
		return 0, nil
	}
	batch := r.NextBatch()
	w := &PartWriter{dir: dir, batch: batch, sinks: make(map[string]*sink), run: r}
	groups := make(map[string][]source)  // by directory and format of the parts
	workbooks := make(map[string]string) // the workbooks kept: where each is, by part
	for _, m := range v.batches {
		for _, d := range m.Documents {
			if !v.drop[m.Batch][d.ID] {
				w.docs = append(w.docs, d)
			}
		}
		for _, rel := range m.Parts {
			if id, ok := workbookID(rel); ok {
				if !v.drop[m.Batch][id] {
					workbooks[rel] = locate(dir, m.Batch, rel)
				}
				continue
			}
			key := path.Join(path.Dir(rel), path.Ext(rel))
			drop := v.drop[m.Batch]
			if setOfPart(rel) == "files" {
				// (a path's file row stays when its document is read
				// again in a later batch: that batch adds no row for a
				// path the dataset holds already; rows are only made one)
				drop = nil
			}
			groups[key] = append(groups[key], source{path: locate(dir, m.Batch, rel), drop: drop})
		}
	}
	replaced := 0
	for _, m := range v.all {
		w.replaces = append(w.replaces, m.Batch)
		for _, rel := range m.Parts {
			if isRecordPart(rel) {
				replaced++
			}
		}
	}
	for _, rel := range slices.Sorted(maps.Keys(workbooks)) {
		if err := w.stageWorkbook(workbooks[rel], rel); err != nil {
			w.Abort()
			return 0, err
		}
	}
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		ext := path.Base(key)
		rel := path.Join(path.Dir(key), "part-"+batch+ext)
		if err := w.merge(rel, setOfPart(rel), ext, groups[key]); err != nil {
			w.Abort()
			return 0, err
		}
	}
	if err := w.Close(); err != nil {
		return 0, err
	}
	return replaced, nil
}

// merge writes the rows of srcs into the batch's part rel.
func (w *PartWriter) merge(rel, set, ext string, srcs []source) error {
	f, err := w.createStaged(rel)
	if err != nil {
		return err
	}
	s := newSink(filepath.Join(w.dir, filepath.FromSlash(rel)), f)
	w.sinks[rel] = s
	return copyParts(s, set, ext, srcs)
}

// source is a part read into another: its rows, less those of the
// documents in drop.
type source struct {
	path string
	drop map[string]bool
	// fixIDs gives the rows of documents and files with an empty document
	// id (failed documents, as an older budgetpdf wrote them) the PathID of
	// their source file.
	fixIDs bool
}

// copyParts streams the rows of srcs into s, one part at a time. The rows
// of files are written once each (a path with its document).
func copyParts(s *sink, set, ext string, srcs []source) error {
	if ext == ".jsonl" {
		return copyJSONL(s, set, srcs)
	}
	switch set {
	case "documents":
		return copyParquet[documentRow](s, documentSchema, srcs)
	case "tables":
		return copyParquet[tableRow](s, tableSchema, srcs)
	case "cells":
		return copyParquet[cellRow](s, cellSchema, srcs)
	case "checks":
		return copyParquet[checkRow](s, checkSchema, srcs)
	case "indicators":
		return copyParquet[indicatorRow](s, indicatorSchema, srcs)
	case "form_fields":
		return copyParquet[formFieldRow](s, formFieldSchema, srcs)
	case "facts":
		return copyParquet[factRow](s, factSchema, srcs)
	default:
		return copyParquet[fileRow](s, fileSchema, srcs)
	}
}

func copyParquet[T any, P interface {
	*T
	docID() string
}](s *sink, schema *parquet.Schema, srcs []source) error {
	var rows []T
	parquetSink(s, schema, func(*batch) []T { return rows })
	seen := make(map[fileRow]bool)
	for _, src := range srcs {
		data, err := os.ReadFile(src.path)
		if err != nil {
			return fmt.Errorf("schema: %w", err)
		}
		if rows, err = readRows[T](data, schema); err != nil {
			return fmt.Errorf("schema: %s: %w", src.path, err)
		}
		for i := range rows {
			if f, ok := any(&rows[i]).(interface{ fixID() }); ok && src.fixIDs {
				f.fixID()
			}
		}
		rows = slices.DeleteFunc(rows, func(r T) bool {
			if src.drop[P(&r).docID()] {
				return true
			}
			if f, ok := any(&r).(*fileRow); ok {
				dup := seen[*f]
				seen[*f] = true
				return dup
			}
			return false
		})
		if err := s.write(nil); err != nil {
			return fmt.Errorf("schema: %s: %w", s.path, err)
		}
	}
	return nil
}

// copyJSONL copies JSON Lines parts line by line, less the lines of the
// documents dropped (and, for files, the lines seen already).
func copyJSONL(s *sink, set string, srcs []source) error {
	s.write = func(*batch) error { return nil }
	s.close = func() error { return nil }
	seen := make(map[string]bool)
	for _, src := range srcs {
		f, err := os.Open(src.path)
		if err != nil {
			return fmt.Errorf("schema: %w", err)
		}
		if len(src.drop) == 0 && !src.fixIDs && set != "files" {
			_, err = io.Copy(s.bw, bufio.NewReader(f))
		} else {
			err = mapLines(s.bw, f, func(line []byte) ([]byte, error) {
				var r struct {
					DocumentID string `json:"document_id"`
				}
				if err := json.Unmarshal(line, &r); err != nil {
					return nil, err
				}
				if src.drop[r.DocumentID] || seen[string(line)] {
					return nil, nil
				}
				if set == "files" {
					seen[string(line)] = true
				}
				if r.DocumentID == "" && src.fixIDs {
					return fixLineID(line, set)
				}
				return line, nil
			})
		}
		f.Close()
		if err != nil {
			return fmt.Errorf("schema: %s: %w", src.path, err)
		}
	}
	return nil
}

// fixLineID gives a line of documents or files with an empty document id
// the PathID of its source file, its other fields as they were.
func fixLineID(line []byte, set string) ([]byte, error) {
	var v interface{ fixID() }
	switch set {
	case "documents":
		v = new(documentJSON)
	case "files":
		v = new(fileRow)
	default:
		return line, nil
	}
	if err := json.Unmarshal(line, v); err != nil {
		return nil, err
	}
	v.fixID()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// mapLines copies the lines of r to w as fn maps them; a nil line is left
// out.
func mapLines(w io.Writer, r io.Reader, fn func([]byte) ([]byte, error)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), maxJSONLine)
	for sc.Scan() {
		line, err := fn(sc.Bytes())
		if err != nil {
			return err
		}
		if line == nil {
			continue
		}
		if _, err := w.Write(append(line, '\n')); err != nil {
			return err
		}
	}
	return sc.Err()
}

// rewriteSuperseded removes the records that a committed batch supersedes
// from the batches that hold them: each part of such a batch where the
// documents have rows is rewritten without them and renamed over itself,
// then the batch's manifest without them; a batch left with no documents
// (and no files) is removed. A batch that no longer lists a document has
// been rewritten already. The caller holds the dataset lock.
func rewriteSuperseded(dir string, ss []superseded) error {
	byBatch := make(map[string]map[string]bool)
	for _, s := range ss {
		if byBatch[s.Batch] == nil {
			byBatch[s.Batch] = make(map[string]bool)
		}
		byBatch[s.Batch][s.ID] = true
	}
	for _, b := range slices.Sorted(maps.Keys(byBatch)) {
		m, err := readManifest(manifestPath(dir, b))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		ids := byBatch[b]
		sets := map[string]bool{"documents": true}
		left := m.Documents[:0:0]
		for _, d := range m.Documents {
			if !ids[d.ID] {
				left = append(left, d)
				continue
			}
			sets["tables"] = sets["tables"] || d.Tables > 0
			sets["cells"] = sets["cells"] || d.Cells > 0
			sets["checks"] = sets["checks"] || d.Checks > 0
		}
		if len(left) == len(m.Documents) {
			continue
		}
		if len(left) == 0 && !slices.ContainsFunc(m.Parts, func(rel string) bool { return setOfPart(rel) == "files" }) {
			if err := removeBatch(dir, m); err != nil {
				return err
			}
			continue
		}
		for _, rel := range m.Parts {
			if set := setOfPart(rel); sets[set] {
				if err := rewritePart(locate(dir, b, rel), rel, set, source{drop: ids}); err != nil {
					return err
				}
			}
		}
		m.Documents = left
		if _, err := writeFileAtomic(manifestPath(dir, b), m.encode()); err != nil {
			return err
		}
	}
	return nil
}

// removeBatch removes a batch left with nothing: its manifest, then its
// parts (which recovery removes if this is stopped half way: no manifest
// lists them).
func removeBatch(dir string, m *manifest) error {
	step("remove " + path.Join(manifestDir, m.Batch+".json"))
	if err := os.Remove(manifestPath(dir, m.Batch)); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	for _, rel := range m.Parts {
		p := locate(dir, m.Batch, rel)
		step("remove " + rel)
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("schema: %w", err)
		}
	}
	return os.RemoveAll(filepath.Join(dir, stagingDir, m.Batch))
}

// rewritePart rewrites the part at p as src says (src.path is p), under a
// temporary name renamed over p.
func rewritePart(p, rel, set string, src source) error {
	f, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".*.tmp")
	if err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	s := newSink(p, f)
	src.path = p
	err = copyParts(s, set, path.Ext(rel), []source{src})
	if err == nil {
		step("rewrite " + rel)
		err = s.finish()
	}
	if err == nil {
		step("rename " + rel)
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("schema: rewrite %s: %w", p, err)
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
