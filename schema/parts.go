package schema

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
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
//	facts/fiscal_year=2024/part-<batch>.parquet
//	files/part-<batch>.parquet
//	jsonl/...                                  the same parts in JSON Lines
//
//	manifests/<batch>.json                     the commit of each batch (manifest.go)
//	staging/<batch>/                           a batch's parts before they are published
//	runs/<run>.lock, runs/<run>.claims         each live run (Run)
//	runs/dataset.lock                          taken by whoever changes what is committed
//
// The JSON Lines parts lie under jsonl/ so that a Parquet reader pointed
// at cells/ finds only Parquet. Cells, checks, indicators and form fields
// are partitioned in the Hive style by their document's fiscal year,
// __HIVE_DEFAULT_PARTITION__ when it is unknown. A batch is named <run>-<sequence> (Run.NextBatch).
//
// A batch is committed in three steps (PartWriter.Close):
//
//  1. stage: every part, in every format, is written and synced under
//     staging/<batch>/, where no reader of the record sets looks;
//  2. commit: the manifest, listing every part, the batch's documents with
//     their status, the failed records the batch supersedes and the
//     batches it replaces, is written under a temporary name and renamed
//     to manifests/<batch>.json. That rename is the commit: before it the
//     batch does not exist, after it the whole batch does;
//  3. publish: the records the batch supersedes or replaces are removed
//     from their parts, then the batch's parts are renamed from staging/
//     into place, the documents parts last, and staging/<batch> removed.
//
// A process killed during step 1 or 2 leaves a staging directory without
// a manifest, which recovery removes; killed during step 3, a committed
// batch that recovery publishes (roll forward). Recovery and the skip set
// read the manifests only. A reader that globs the record set directories
// (DuckDB, pandas) sees only committed batches' parts, each document's
// records at most once; while a batch is published it may see part of it.

// JSONLDir is the subdirectory of a dataset directory with the JSON Lines
// parts.
const JSONLDir = "jsonl"

// NullPartition is the Hive partition of a missing fiscal year.
const NullPartition = "__HIVE_DEFAULT_PARTITION__"

// setNames are the record sets, in the order a batch publishes them.
var setNames = []string{"tables", "cells", "checks", "indicators", "form_fields", "facts", "files", "documents"}

// commitHook, when not nil, is called before each write, rename and
// removal of a commit, publication, recovery or compaction, with what is
// about to be done. Only tests set it, to stop the process at each step in
// turn; it is nil in the command.
var commitHook func(what string)

// step reports the next step of a commit to commitHook.
func step(what string) {
	if commitHook != nil {
		commitHook(what)
	}
}

// PartWriter writes one batch of documents into a dataset directory and
// commits it (see above).
type PartWriter struct {
	dir, batch        string
	parq, jsonl, xlsx bool
	sinks             map[string]*sink // by part, relative to dir with "/" ("cells/fiscal_year=2024/part-<batch>.parquet")
	workbooks         []string         // the workbooks staged, relative to dir ("xlsx/<document_id>.xlsx")
	docs              []docEntry
	run               *Run     // the run writing it: its claims say what it supersedes; nil for none
	replaces          []string // the batches a compaction replaces
	done              bool     // committed or aborted
}

// NewPartWriter starts batch in dir, in each of formats. A batch written
// without a run (Run.NewPartWriter) supersedes nothing.
func NewPartWriter(dir string, formats []string, batch string) (*PartWriter, error) {
	fs, err := parseFormats(formats)
	if err != nil {
		return nil, err
	}
	return &PartWriter{dir: dir, batch: batch, parq: fs[FormatParquet], jsonl: fs[FormatJSONL], xlsx: fs[FormatXLSX], sinks: make(map[string]*sink)}, nil
}

func partition(year int32) string {
	if year == 0 {
		return "fiscal_year=" + NullPartition
	}
	return "fiscal_year=" + strconv.Itoa(int(year))
}

// partRel is the path of a part of batch, relative to the dataset
// directory.
func partRel(set, part, batch, ext string) string {
	rel := path.Join(set, part, "part-"+batch+ext)
	if ext == ".jsonl" {
		rel = path.Join(JSONLDir, rel)
	}
	return rel
}

// sinksFor returns the sinks of one set and partition, started on first
// use in the batch's staging directory.
func (w *PartWriter) sinksFor(set, part string) ([]*sink, error) {
	var out []*sink
	for _, ext := range formatExts(w.parq, w.jsonl) {
		rel := partRel(set, part, w.batch, ext)
		s := w.sinks[rel]
		if s == nil {
			f, err := w.createStaged(rel)
			if err != nil {
				return nil, err
			}
			s = newSink(filepath.Join(w.dir, filepath.FromSlash(rel)), f)
			configure(s, set, ext)
			w.sinks[rel] = s
		}
		out = append(out, s)
	}
	return out, nil
}

// stagedPath is where a part of batch is staged: staging/<batch>/, one
// directory for all the parts, named by their path with "/" escaped, so
// that one sync of the directory makes them all durable.
func stagedPath(dir, batch, rel string) string {
	return filepath.Join(dir, stagingDir, batch, url.PathEscape(rel))
}

// createStaged creates the staged file of a part of the batch, and
// manifests/ (a directory is a dataset from its first part on).
func (w *PartWriter) createStaged(rel string) (*os.File, error) {
	p := stagedPath(w.dir, w.batch, rel)
	err := errors.Join(os.MkdirAll(filepath.Dir(p), 0o755), os.MkdirAll(filepath.Join(w.dir, manifestDir), 0o755))
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("schema: write %s: %w", p, err)
	}
	return f, nil
}

// Write appends records to the batch's parts. Every value is checked
// first: if a cell or check cannot be written exactly, Write returns an
// ErrorList naming each such value and writes nothing of ds.
func (w *PartWriter) Write(ds Dataset) error {
	step("write " + w.batch)
	b, err := newBatch(ds)
	if err != nil {
		return err
	}
	w.count(ds)
	years := make(map[string]int32, len(ds.Documents))
	for _, d := range ds.Documents {
		years[d.DocumentID] = d.FiscalYear
	}
	parts := make(map[string]*batch)
	if p, ok := onePartition(ds.Documents); ok && b.ofDocuments(years) {
		// (a document at a time, as a run writes: its rows are the
		// partition's as they are, not copied)
		parts[p] = &batch{cells: b.cells, checks: b.checks, inds: b.inds, fields: b.fields, facts: b.facts}
		b.cells, b.checks, b.inds, b.fields, b.facts = nil, nil, nil, nil, nil
	}
	at := func(id string) *batch {
		p := partition(years[id])
		if parts[p] == nil {
			parts[p] = &batch{}
		}
		return parts[p]
	}
	for _, c := range b.cells {
		pb := at(c.DocumentID)
		pb.cells = append(pb.cells, c)
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
	for _, r := range b.facts {
		pb := at(r.DocumentID)
		pb.facts = append(pb.facts, r)
	}
	type partWrite struct {
		set, part string
		b         *batch
		n         int // rows of the set in b
	}
	writes := []partWrite{{"documents", "", b, len(b.docs)}, {"tables", "", b, len(b.tables)}, {"files", "", b, len(b.files)}}
	for _, p := range slices.Sorted(maps.Keys(parts)) {
		pb := parts[p]
		writes = append(writes, partWrite{"cells", p, pb, len(pb.cells)}, partWrite{"checks", p, pb, len(pb.checks)},
			partWrite{"indicators", p, pb, len(pb.inds)}, partWrite{"form_fields", p, pb, len(pb.fields)},
			partWrite{"facts", p, pb, len(pb.facts)})
	}
	// Each format's parts are written by a goroutine of their own: the
	// formats share nothing but the rows, which they only read.
	type sinkWrite struct {
		s *sink
		b *batch
	}
	byFormat := make([][]sinkWrite, len(formatExts(w.parq, w.jsonl)))
	for _, x := range writes {
		if x.n == 0 {
			continue
		}
		sinks, err := w.sinksFor(x.set, x.part)
		if err != nil {
			return err
		}
		for k, s := range sinks {
			byFormat[k] = append(byFormat[k], sinkWrite{s, x.b})
		}
	}
	errs := make([]error, len(byFormat))
	var wg sync.WaitGroup
	for k, ws := range byFormat {
		write := func() {
			for _, x := range ws {
				if err := x.s.write(x.b); err != nil {
					errs[k] = fmt.Errorf("schema: write %s: %w", x.s.path, err)
					return
				}
			}
		}
		if k == len(byFormat)-1 {
			write()
		} else {
			wg.Go(write)
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

// fetchedURL is the URL a document was downloaded from (its SourceFile:
// the URL given, whose answer came from FinalURL), "" for a file read
// where it was. Its SourceURL is no key: a crawl may record there the
// page that linked to the file.
func fetchedURL(d *Document) string {
	if d.FinalURL == "" {
		return ""
	}
	return d.SourceFile
}

// count adds the documents of ds to the batch's manifest, with their rows.
func (w *PartWriter) count(ds Dataset) {
	for _, d := range ds.Documents {
		w.docs = append(w.docs, docEntry{ID: d.DocumentID, Status: d.Status, URL: fetchedURL(&d), ETag: d.ETag, LastModified: d.LastModified})
	}
	entry := func(id string) *docEntry {
		for i := len(w.docs) - 1; i >= 0; i-- {
			if w.docs[i].ID == id {
				return &w.docs[i]
			}
		}
		return &docEntry{} // rows without their document: counted nowhere
	}
	for _, t := range ds.Tables {
		entry(t.DocumentID).Tables++
	}
	for _, c := range ds.Cells {
		entry(c.DocumentID).Cells++
	}
	for _, c := range ds.Checks {
		entry(c.DocumentID).Checks++
	}
}

// Close commits the batch: its parts are completed in staging/, its
// manifest renamed into manifests/, then the batch is published (see
// above). An error before the commit leaves nothing of the batch; an error
// after it leaves a committed batch that the next run publishes. A batch
// with nothing written commits nothing.
func (w *PartWriter) Close() error {
	if w.done {
		return nil
	}
	if len(w.sinks) == 0 && len(w.workbooks) == 0 && len(w.docs) == 0 && len(w.replaces) == 0 {
		w.Abort()
		return nil
	}
	m, err := w.stage()
	if err != nil {
		w.Abort()
		return err
	}
	committed, err := commitManifest(w.dir, m)
	if !committed {
		w.Abort()
		return err
	}
	w.done = true
	if len(m.Supersedes) > 0 && w.run != nil {
		return errors.Join(err, w.run.withLock(func() error { return publish(w.dir, m) }))
	}
	return errors.Join(err, publish(w.dir, m))
}

// stage completes the batch's parts, synced with their directories, and
// returns the batch's manifest.
func (w *PartWriter) stage() (*manifest, error) {
	rels := publishOrder(slices.Collect(maps.Keys(w.sinks)))
	if err := w.finishSinks(rels); err != nil {
		return nil, err
	}
	rels = publishOrder(append(rels, w.workbooks...)) // (synced when staged)
	if len(rels) > 0 {
		staged := filepath.Join(w.dir, stagingDir, w.batch)
		if err := errors.Join(syncDir(staged), syncDir(filepath.Dir(staged))); err != nil {
			return nil, err
		}
	}
	w.sinks = map[string]*sink{}
	m := &manifest{Version: manifestVersion, Batch: w.batch, Parts: slices.Sorted(slices.Values(rels)), Documents: w.docs, Replaces: w.replaces}
	if w.run != nil {
		m.Supersedes = w.run.superseded(w.docs)
	}
	return m, nil
}

// finishers is how many parts of a batch are completed at once (their
// last rows encoded, their files synced): a sync waits on the disk, not on
// the processor, and a file system commits concurrent syncs together, so
// a batch of some fifty parts is staged in a fraction of the time of one
// part after another.
const finishers = 8

// finishSinks completes the parts rels, finishers at a time, each after
// its step; the error is the first part's, in rels' order. It returns once
// every part started is done, also when a step stops it.
func (w *PartWriter) finishSinks(rels []string) error {
	errs := make([]error, len(rels))
	slots := make(chan struct{}, finishers)
	var wg sync.WaitGroup
	defer wg.Wait()
	for i, rel := range rels {
		s := w.sinks[rel]
		step("finish " + rel)
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			if err := s.finish(); err != nil {
				errs[i] = fmt.Errorf("schema: write %s: %w", s.path, err)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// publishOrder sorts parts by record set in the order of setNames, the
// workbooks just before the documents, then by path.
func publishOrder(rels []string) []string {
	rank := func(rel string) int {
		if setOfPart(rel) == WorkbookDir {
			return 2*slices.Index(setNames, "documents") - 1
		}
		return 2 * slices.Index(setNames, setOfPart(rel))
	}
	slices.SortFunc(rels, func(a, b string) int { return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a, b)) })
	return rels
}

// Abort drops a batch not committed: its staging directory is removed.
func (w *PartWriter) Abort() {
	if w.done {
		return
	}
	for _, s := range w.sinks {
		s.f.Close()
	}
	os.RemoveAll(filepath.Join(w.dir, stagingDir, w.batch))
	w.sinks = map[string]*sink{}
	w.done = true
}

// publish makes a committed batch visible in place: the failed records it
// supersedes are removed from their batches, the batches it replaces are
// removed, then its parts are renamed from staging/ into place and its
// staging directory removed. Each step is skipped when done already, so
// that recovery finishes what a killed process began. The caller holds
// the dataset lock when the batch supersedes or replaces anything.
func publish(dir string, m *manifest) error {
	if err := rewriteSuperseded(dir, m.Supersedes); err != nil {
		return err
	}
	if err := removeReplaced(dir, m.Replaces); err != nil {
		return err
	}
	staged := filepath.Join(dir, stagingDir, m.Batch)
	if _, err := os.Stat(staged); err != nil {
		return nil // published
	}
	for _, rel := range publishOrder(slices.Clone(m.Parts)) {
		from, to := stagedPath(dir, m.Batch, rel), filepath.Join(dir, filepath.FromSlash(rel))
		if _, err := os.Stat(from); errors.Is(err, fs.ErrNotExist) {
			continue // moved already
		}
		step("publish " + rel)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return fmt.Errorf("schema: %w", err)
		}
		if err := os.Rename(from, to); err != nil {
			return fmt.Errorf("schema: publish %s: %w", to, err)
		}
	}
	step("remove " + path.Join(stagingDir, m.Batch))
	if err := os.RemoveAll(staged); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	return nil
}

// removeReplaced removes the batches a committed compaction replaced:
// their parts, then their manifests.
func removeReplaced(dir string, batches []string) error {
	for _, b := range batches {
		m, err := readManifest(manifestPath(dir, b))
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed already
		}
		if err != nil {
			return err
		}
		for _, rel := range m.Parts {
			p := locate(dir, b, rel)
			if _, err := os.Stat(p); err != nil {
				continue
			}
			step("remove " + rel)
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("schema: %w", err)
			}
		}
		step("remove " + path.Join(manifestDir, b+".json"))
		err = errors.Join(os.RemoveAll(filepath.Join(dir, stagingDir, b)), os.Remove(manifestPath(dir, b)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("schema: %w", err)
		}
	}
	return nil
}

// syncDir makes the entries of a directory durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("schema: sync %s: %w", dir, err)
	}
	return nil
}

// writeFileAtomic writes data to path under a temporary name, synced, then
// renames it into place and syncs the directory. renamed reports whether
// the rename happened, whatever the error.
func writeFileAtomic(p string, data []byte) (renamed bool, err error) {
	f, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".*.tmp")
	if err != nil {
		return false, fmt.Errorf("schema: %w", err)
	}
	step("write " + p)
	_, err = f.Write(data)
	if err = errors.Join(err, f.Chmod(0o644), f.Sync(), f.Close()); err == nil {
		step("rename " + p)
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
		return false, fmt.Errorf("schema: %w", err)
	}
	return true, syncDir(filepath.Dir(p))
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

// removeSets removes a dataset directory's record sets, files included,
// with their manifests and staging directories: the manifests first, so
// that a removal stopped half way leaves whole batches, and parts without
// manifest that recovery removes.
func removeSets(dir string) error {
	ms, _ := filepath.Glob(filepath.Join(dir, manifestDir, "*"))
	for _, m := range ms {
		if err := os.Remove(m); err != nil {
			return fmt.Errorf("schema: %w", err)
		}
	}
	roots := append(setRoots(dir), filepath.Join(dir, WorkbookDir), filepath.Join(dir, stagingDir), filepath.Join(dir, legacyJournalDir))
	for _, root := range roots {
		if err := os.RemoveAll(root); err != nil {
			return fmt.Errorf("schema: %w", err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, manifestDir), 0o755); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	return nil
}

// onePartition returns the partition of docs when they all fall in one.
func onePartition(docs []Document) (string, bool) {
	if len(docs) == 0 {
		return "", false
	}
	p := partition(docs[0].FiscalYear)
	for _, d := range docs[1:] {
		if partition(d.FiscalYear) != p {
			return "", false
		}
	}
	return p, true
}

// ofDocuments reports whether every row of b belongs to a document of
// docs (by id).
func (b *batch) ofDocuments(docs map[string]int32) bool {
	return allOf(docs, b.cells, func(r *cellRow) string { return r.DocumentID }) &&
		allOf(docs, b.checks, func(r *checkRow) string { return r.DocumentID }) &&
		allOf(docs, b.inds, func(r *indicatorRow) string { return r.DocumentID }) &&
		allOf(docs, b.fields, func(r *formFieldRow) string { return r.DocumentID }) &&
		allOf(docs, b.facts, func(r *factRow) string { return r.DocumentID })
}

// allOf reports whether the document id of every row is in docs.
func allOf[T any](docs map[string]int32, rows []T, id func(*T) string) bool {
	for i := range rows {
		if _, ok := docs[id(&rows[i])]; !ok {
			return false
		}
	}
	return true
}
