package schema

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A dataset directory holds each record set as part files, one per batch
// of documents, so that runs add to it:
//
//	documents/part-<batch>.parquet
//	tables/part-<batch>.parquet
//	cells/fiscal_year=2024/part-<batch>.parquet
//	checks/fiscal_year=2024/part-<batch>.parquet
//	indicators/fiscal_year=2024/part-<batch>.parquet
//	form_fields/fiscal_year=2024/part-<batch>.parquet
//
//	files/part-<batch>.parquet                 (WriteFileRefs)
//	runs/<run>.lock                            (Run)
//	replaces/<batch>                           (compact)
//
// and the same part names in .jsonl under jsonl/ (jsonl/cells/...), so
// that a Parquet reader pointed at cells/ finds only Parquet. Cells,
// checks, indicators and form fields are partitioned in the Hive style by
// their document's fiscal year, __HIVE_DEFAULT_PARTITION__ when it is
// unknown. A batch's parts are
// written under temporary names and renamed when complete, its documents
// part last: that part commits the batch. A batch is named
// <run>-<sequence> (Run.NextBatch), and a run holds a lock on
// runs/<run>.lock while it lives.

// JSONLDir is the subdirectory of a dataset directory with the JSON Lines
// parts.
const JSONLDir = "jsonl"

// NullPartition is the Hive partition of a missing fiscal year.
const NullPartition = "__HIVE_DEFAULT_PARTITION__"

// setNames are the record sets, in the order a batch commits them.
var setNames = []string{"tables", "cells", "checks", "indicators", "form_fields", "documents"}

// PartWriter writes one batch of documents into a dataset directory.
type PartWriter struct {
	dir, batch  string
	parq, jsonl bool
	sinks       map[string]*sink // by final path
}

// NewPartWriter starts batch in dir, in each of formats.
func NewPartWriter(dir string, formats []string, batch string) (*PartWriter, error) {
	parq, jsonl, err := parseFormats(formats)
	if err != nil {
		return nil, err
	}
	return &PartWriter{dir: dir, batch: batch, parq: parq, jsonl: jsonl, sinks: make(map[string]*sink)}, nil
}

func partition(year int32) string {
	if year == 0 {
		return "fiscal_year=" + NullPartition
	}
	return "fiscal_year=" + strconv.Itoa(int(year))
}

// sinks returns the sinks of one set and partition, started on first use.
func (w *PartWriter) sinksFor(set, part string) ([]*sink, error) {
	var out []*sink
	for _, ext := range formatExts(w.parq, w.jsonl) {
		path := filepath.Join(w.dir, set, part, "part-"+w.batch+ext)
		if ext == ".jsonl" {
			path = filepath.Join(w.dir, JSONLDir, set, part, "part-"+w.batch+ext)
		}
		s := w.sinks[path]
		if s == nil {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return nil, fmt.Errorf("schema: %w", err)
			}
			f, err := os.CreateTemp(filepath.Dir(path), ".part-"+w.batch+ext+".*.tmp")
			if err != nil {
				return nil, fmt.Errorf("schema: write %s: %w", path, err)
			}
			s = newSink(path, f)
			configure(s, set, ext)
			w.sinks[path] = s
		}
		out = append(out, s)
	}
	return out, nil
}

// Write appends records to the batch's parts. Every value is checked
// first: if a cell or check cannot be written exactly, Write returns an
// ErrorList naming each such value and writes nothing of ds.
func (w *PartWriter) Write(ds Dataset) error {
	b, err := newBatch(ds)
	if err != nil {
		return err
	}
	years := make(map[string]int32, len(ds.Documents))
	for _, d := range ds.Documents {
		years[d.DocumentID] = d.FiscalYear
	}
	parts := make(map[string]*batch)
	for _, c := range b.cells {
		p := partition(years[c.DocumentID])
		if parts[p] == nil {
			parts[p] = &batch{}
		}
		parts[p].cells = append(parts[p].cells, c)
	}
	at := func(id string) *batch {
		p := partition(years[id])
		if parts[p] == nil {
			parts[p] = &batch{}
		}
		return parts[p]
	}
	for _, c := range b.checks {
		pb := at(c.DocumentID)
		pb.checks = append(pb.checks, c)
	}
	for _, r := range b.inds {
		pb := at(r.DocumentID)
		pb.inds = append(pb.inds, r)
	}
	for _, r := range b.fields {
		pb := at(r.DocumentID)
		pb.fields = append(pb.fields, r)
	}
	write := func(set, part string, pb *batch) error {
		sinks, err := w.sinksFor(set, part)
		if err != nil {
			return err
		}
		for _, s := range sinks {
			if err := s.write(pb); err != nil {
				return fmt.Errorf("schema: write %s: %w", s.path, err)
			}
		}
		return nil
	}
	if len(b.docs) > 0 {
		if err := write("documents", "", b); err != nil {
			return err
		}
	}
	if len(b.tables) > 0 {
		if err := write("tables", "", b); err != nil {
			return err
		}
	}
	for _, p := range slices.Sorted(maps.Keys(parts)) {
		if pb := parts[p]; len(pb.cells) > 0 {
			if err := write("cells", p, pb); err != nil {
				return err
			}
		}
		if pb := parts[p]; len(pb.checks) > 0 {
			if err := write("checks", p, pb); err != nil {
				return err
			}
		}
		if pb := parts[p]; len(pb.inds) > 0 {
			if err := write("indicators", p, pb); err != nil {
				return err
			}
		}
		if pb := parts[p]; len(pb.fields) > 0 {
			if err := write("form_fields", p, pb); err != nil {
				return err
			}
		}
	}
	return nil
}

// Close completes the batch's parts and renames them into place, the
// documents parts last.
func (w *PartWriter) Close() error {
	sinks := make([]*sink, 0, len(w.sinks))
	for _, s := range w.sinks {
		sinks = append(sinks, s)
	}
	// tables, cells, checks, then documents; by path within a set
	rank := func(s *sink) int {
		return slices.Index(setNames, strings.SplitN(filepath.ToSlash(strings.TrimPrefix(s.path, w.dir+string(filepath.Separator))), "/", 2)[0])
	}
	slices.SortFunc(sinks, func(a, b *sink) int { return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a.path, b.path)) })
	for _, s := range sinks {
		if err := s.finish(); err != nil {
			w.Abort()
			return fmt.Errorf("schema: write %s: %w", s.path, err)
		}
	}
	for _, s := range sinks {
		if err := os.Rename(s.f.Name(), s.path); err != nil {
			w.Abort()
			return fmt.Errorf("schema: rename %s: %w", s.path, err)
		}
		delete(w.sinks, s.path)
	}
	return nil
}

// Abort removes the batch's temporary files.
func (w *PartWriter) Abort() {
	for _, s := range w.sinks {
		s.f.Close()
		os.Remove(s.f.Name())
	}
	w.sinks = map[string]*sink{}
}

// part is a part file found in a dataset directory.
type part struct {
	path, set, batch string
	temp             bool
}

// runOf is the run that wrote a batch: the batch name up to its last "-".
func runOf(batch string) string {
	if i := strings.LastIndexByte(batch, '-'); i > 0 {
		return batch[:i]
	}
	return batch
}

// setRoots are the directories of a dataset's record sets, in both formats.
func setRoots(dir string) []string {
	var roots []string
	for _, base := range []string{dir, filepath.Join(dir, JSONLDir)} {
		for _, set := range setNames {
			roots = append(roots, filepath.Join(base, set))
		}
	}
	return roots
}

// removeSets removes a dataset directory's record sets, files included.
func removeSets(dir string) error {
	for _, root := range append(setRoots(dir), filepath.Join(dir, "files"), filepath.Join(dir, JSONLDir, "files")) {
		if err := os.RemoveAll(root); err != nil {
			return fmt.Errorf("schema: %w", err)
		}
	}
	return nil
}

// listParts walks a dataset directory's record sets.
func listParts(dir string) ([]part, error) {
	var parts []part
	for _, root := range append(setRoots(dir), filepath.Join(dir, "files"), filepath.Join(dir, JSONLDir, "files")) {
		set := filepath.Base(root)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return fs.SkipDir
			}
			if err != nil || d.IsDir() {
				return err
			}
			name := d.Name()
			temp := strings.HasPrefix(name, ".part-") && strings.HasSuffix(name, ".tmp")
			if temp {
				name = strings.TrimPrefix(name, ".")
				name = name[:strings.LastIndex(name[:len(name)-len(".tmp")], ".")] // drop the random suffix
			}
			ext := filepath.Ext(name)
			if !strings.HasPrefix(name, "part-") || (ext != ".parquet" && ext != ".jsonl") {
				return nil
			}
			parts = append(parts, part{path: p, set: set, batch: strings.TrimSuffix(strings.TrimPrefix(name, "part-"), ext), temp: temp})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
	}
	return parts, nil
}

// committedBatches are the batches whose documents part is in place.
func committedBatches(parts []part) map[string]bool {
	committed := make(map[string]bool)
	for _, p := range parts {
		if p.set == "documents" && !p.temp {
			committed[p.batch] = true
		}
	}
	return committed
}

// recoverDir makes a dataset directory consistent before a run adds to it:
// the temporary files and uncommitted parts of every run that is no longer
// alive (live reports whether a run still holds its lock) are removed.
// It returns the number of files removed.
func recoverDir(dir string, live func(run string) bool) (int, error) {
	parts, err := listParts(dir)
	if err != nil {
		return 0, err
	}
	committed := committedBatches(parts)
	alive := make(map[string]bool)
	removed := 0
	// Compactions stopped half way: committed, they remove what they
	// replaced; not committed, they are dropped.
	journals, _ := filepath.Glob(filepath.Join(dir, "replaces", "*"))
	for _, j := range journals {
		name := filepath.Base(j)
		switch {
		case committed[name]:
			n, err := finishReplace(dir, j, parts)
			removed += n
			if err != nil {
				return removed, err
			}
			parts, err = listParts(dir)
			if err != nil {
				return removed, err
			}
		case !live(runOf(strings.TrimSuffix(strings.TrimPrefix(name, "."), ".tmp"))):
			os.Remove(j)
		}
	}
	for _, p := range parts {
		if !p.temp && (committed[p.batch] || p.set == "files") {
			continue // (a files part stands alone)
		}
		run := runOf(p.batch)
		if _, ok := alive[run]; !ok {
			alive[run] = live(run)
		}
		if alive[run] {
			continue
		}
		if err := os.Remove(p.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("schema: %w", err)
		}
		removed++
	}
	return removed, nil
}

// ReadDataset reads one record set of a dataset directory: its committed
// Parquet parts in batch order. A directory without a documents record set
// in Parquet (one written as JSON Lines only) is an error.
func ReadDataset[R Record](dir string) ([]R, error) {
	var set string
	switch any((*R)(nil)).(type) {
	case *Document:
		set = "documents"
	case *Table:
		set = "tables"
	case *Cell:
		set = "cells"
	case *Check:
		set = "checks"
	case *Indicator:
		set = "indicators"
	case *FormField:
		set = "form_fields"
	}
	if _, err := os.Stat(filepath.Join(dir, "documents")); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	parts, err := listParts(dir)
	if err != nil {
		return nil, err
	}
	committed := committedBatches(parts)
	var paths []part
	for _, p := range parts {
		if p.set == set && !p.temp && committed[p.batch] && filepath.Ext(p.path) == ".parquet" {
			paths = append(paths, p)
		}
	}
	slices.SortFunc(paths, func(a, b part) int { return cmp.Or(strings.Compare(a.batch, b.batch), strings.Compare(a.path, b.path)) })
	var out []R
	for _, p := range paths {
		rs, err := ReadFile[R](p.path)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}
