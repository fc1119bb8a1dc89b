package schema

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// A batch is committed by its manifest, manifests/<batch>.json, renamed
// into place once every part of the batch is written (see parts.go). The
// manifests are the dataset's commit log: readers (ReadDataset,
// ReadFileRefs, DocumentIDs), the skip set of a run (Run.Claim) and
// recovery read them and nothing else to know what the dataset holds.

const (
	manifestDir = "manifests" // the manifests, one per committed batch
	stagingDir  = "staging"   // staging/<batch>/: a batch's parts before they are published
)

// manifestVersion is the version of the manifest format: readers refuse a
// manifest of a later version.
const manifestVersion = 1

// maxReadAttempts bounds how often a reader starts again when a part its
// manifests named went away meanwhile (a compaction replaced it).
const maxReadAttempts = 3

// manifest is a committed batch.
type manifest struct {
	Version int    `json:"version"`
	Batch   string `json:"batch"`
	// Parts are the batch's part files, paths relative to the dataset
	// directory with "/" as separator, sorted.
	Parts []string `json:"parts"`
	// Documents are the batch's documents, in the order written.
	Documents []docEntry `json:"documents,omitempty"`
	// Supersedes are the failed records of earlier batches that this
	// batch's records of the same documents replace.
	Supersedes []superseded `json:"supersedes,omitempty"`
	// Replaces are the batches a compaction merged into this one.
	Replaces []string `json:"replaces,omitempty"`
}

// docEntry is a document of a batch: its status and how many rows it has
// in each record set besides documents.
type docEntry struct {
	ID     string `json:"document_id"`
	Status string `json:"status"`
	Tables int    `json:"tables,omitempty"`
	Cells  int    `json:"cells,omitempty"`
	Checks int    `json:"checks,omitempty"`
	// URL is the URL the document was downloaded from (its SourceFile,
	// when FinalURL is set; "" for a file read where it was), with the
	// validators of its download (Document.ETag, Document.LastModified):
	// what a later run asks the server whether it changed (see
	// FetchedURLs).
	URL          string `json:"url,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// superseded is a document's record in an earlier batch.
type superseded struct {
	ID    string `json:"document_id"`
	Batch string `json:"batch"`
}

func manifestPath(dir, batch string) string {
	return filepath.Join(dir, manifestDir, batch+".json")
}

// isRecordPart reports whether a part holds records (and is not a
// workbook).
func isRecordPart(rel string) bool {
	_, ok := workbookID(rel)
	return !ok
}

// setOfPart is the record set of a part, from its relative path.
func setOfPart(rel string) string {
	first, rest, _ := strings.Cut(rel, "/")
	if first == JSONLDir {
		first, _, _ = strings.Cut(rest, "/")
	}
	return first
}

// readManifest reads and checks one manifest: a damaged one is an error
// naming it, and a part outside the record sets or not named after its
// batch (a workbook, named after its document: xlsx/<document_id>.xlsx)
// is refused, so that no manifest makes recovery touch other files.
func readManifest(p string) (*manifest, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("schema: manifest %s: %w", p, err)
	}
	batch := strings.TrimSuffix(filepath.Base(p), ".json")
	switch {
	case m.Version < 1 || m.Version > manifestVersion:
		return nil, fmt.Errorf("schema: manifest %s: version %d, want 1 to %d (written by a later budgetpdf?)", p, m.Version, manifestVersion)
	case m.Batch != batch:
		return nil, fmt.Errorf("schema: manifest %s: batch %q, want %q", p, m.Batch, batch)
	case slices.ContainsFunc(m.Replaces, func(b string) bool { return !validBatch(b) }),
		slices.ContainsFunc(m.Supersedes, func(s superseded) bool { return !validBatch(s.Batch) }):
		return nil, fmt.Errorf("schema: manifest %s: a batch it names is not a batch name", p)
	}
	for _, rel := range m.Parts {
		if _, ok := workbookID(rel); ok {
			continue
		}
		name := path.Base(rel)
		ext := path.Ext(name)
		if !slices.Contains(setNames, setOfPart(rel)) || path.Clean(rel) != rel || strings.Contains(rel, "..") ||
			(ext != ".parquet" && ext != ".jsonl") || name != "part-"+batch+ext {
			return nil, fmt.Errorf("schema: manifest %s: part %q is not a part of the batch", p, rel)
		}
	}
	return &m, nil
}

// validBatch reports whether a name can be a batch's: a file name of its
// own, not hidden.
func validBatch(name string) bool {
	return name != "" && !strings.HasPrefix(name, ".") && !strings.ContainsAny(name, `/\`)
}

// readManifests reads the manifests of a dataset directory, by batch. A
// directory without manifests/ is an error; one written by an older
// budgetpdf, without manifests, says so.
func readManifests(dir string) ([]*manifest, error) {
	entries, err := os.ReadDir(filepath.Join(dir, manifestDir))
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Stat(filepath.Join(dir, "documents")); serr == nil {
			return nil, fmt.Errorf("schema: %s: %w", dir, ErrOldFormat)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	var ms []*manifest
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
			continue // (a manifest being written)
		}
		m, err := readManifest(filepath.Join(dir, manifestDir, name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	slices.SortFunc(ms, func(a, b *manifest) int { return cmp.Compare(a.Batch, b.Batch) })
	return ms, nil
}

// encode is the manifest's file content: one line of JSON.
func (m *manifest) encode() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(m) // (cannot fail: strings and ints)
	return b.Bytes()
}

// commitManifest writes m under a temporary name, then renames it into
// manifests/: that rename commits the batch. committed reports whether it
// happened, whatever the error.
func commitManifest(dir string, m *manifest) (committed bool, err error) {
	p := manifestPath(dir, m.Batch)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return false, fmt.Errorf("schema: %w", err)
	}
	return writeFileAtomic(p, m.encode())
}

// view is what a dataset directory holds, as its manifests say: the
// committed batches less those a compaction replaced, and in each batch
// the documents whose rows readers drop.
type view struct {
	dir     string
	all     []*manifest // every manifest, replaced ones too, by batch
	batches []*manifest // the batches read, by batch
	// drop holds, by batch, the documents whose rows are not read there:
	// those a later batch supersedes (a failed document read again), and
	// those a later batch holds too (the newest batch keeps a document).
	drop map[string]map[string]bool
}

// readView reads the manifests of dir into a view.
func readView(dir string) (*view, error) {
	all, err := readManifests(dir)
	if err != nil {
		return nil, err
	}
	v := &view{dir: dir, all: all, drop: make(map[string]map[string]bool)}
	replaced := make(map[string]bool)
	for _, m := range all {
		for _, b := range m.Replaces {
			replaced[b] = true
		}
	}
	for _, m := range all {
		if !replaced[m.Batch] {
			v.batches = append(v.batches, m)
		}
	}
	for _, m := range v.batches {
		for _, s := range m.Supersedes {
			v.dropDoc(s.Batch, s.ID)
		}
	}
	newest := make(map[string]string) // document id -> batch
	for _, m := range v.batches {
		for _, d := range m.Documents {
			if v.drop[m.Batch][d.ID] {
				continue
			}
			if prev, ok := newest[d.ID]; ok && prev != m.Batch {
				v.dropDoc(prev, d.ID)
			}
			newest[d.ID] = m.Batch
		}
	}
	return v, nil
}

func (v *view) dropDoc(batch, id string) {
	if v.drop[batch] == nil {
		v.drop[batch] = make(map[string]bool)
	}
	v.drop[batch][id] = true
}

// holding is where a view holds a document.
type holding struct {
	batch, status string
}

// held are the documents of the view, by id.
func (v *view) held() map[string]holding {
	h := make(map[string]holding)
	for _, m := range v.batches {
		for _, d := range m.Documents {
			if !v.drop[m.Batch][d.ID] {
				h[d.ID] = holding{m.Batch, d.Status}
			}
		}
	}
	return h
}

// duplicates counts the documents' rows a reader of every part drops: a
// compaction has work to do when there are any.
func (v *view) duplicates() int {
	n := 0
	for _, m := range v.batches {
		for _, d := range m.Documents {
			if v.drop[m.Batch][d.ID] {
				n++
			}
		}
	}
	return n
}

// locate is where a part of a committed batch is: in place, or still in
// the batch's staging directory when the batch has not been published
// completely.
func locate(dir, batch, rel string) string {
	final := filepath.Join(dir, filepath.FromSlash(rel))
	staged := stagedPath(dir, batch, rel)
	for range 2 { // (a publisher may be moving it meanwhile)
		if _, err := os.Stat(final); err == nil {
			return final
		}
		if _, err := os.Stat(staged); err == nil {
			return staged
		}
	}
	return final
}

// ReadDataset reads one record set of a dataset directory: the Parquet
// parts of its committed batches, in batch order, less the rows of
// documents that a later batch supersedes or holds again (see the package
// documentation). A dataset of committed batches without Parquet parts
// (written as JSON Lines only) is an error.
func ReadDataset[R Record](dir string) ([]R, error) {
	for attempt := 1; ; attempt++ {
		out, err := readDataset[R](dir)
		if err == nil || attempt == maxReadAttempts || !errors.Is(err, fs.ErrNotExist) {
			return out, err
		}
	}
}

func readDataset[R Record](dir string) ([]R, error) {
	v, err := readView(dir)
	if err != nil {
		return nil, err
	}
	set := setOf[R]()
	parquetParts := 0
	var out []R
	for _, m := range v.batches {
		for _, rel := range m.Parts {
			if path.Ext(rel) != ".parquet" {
				continue
			}
			parquetParts++
			if setOfPart(rel) != set {
				continue
			}
			rs, err := ReadFile[R](locate(dir, m.Batch, rel))
			if err != nil {
				return nil, err
			}
			drop := v.drop[m.Batch]
			for i := range rs {
				if !drop[recordID(&rs[i])] {
					out = append(out, rs[i])
				}
			}
		}
	}
	if parquetParts == 0 && slices.ContainsFunc(v.batches, func(m *manifest) bool { return slices.ContainsFunc(m.Parts, isRecordPart) }) {
		return nil, fmt.Errorf("schema: %s: no Parquet parts (written as JSON Lines only)", dir)
	}
	return out, nil
}

// setOf is the record set of records of type R.
func setOf[R Record]() string {
	switch any((*R)(nil)).(type) {
	case *Document:
		return "documents"
	case *Table:
		return "tables"
	case *Cell:
		return "cells"
	case *Indicator:
		return "indicators"
	case *FormField:
		return "form_fields"
	case *Fact:
		return "facts"
	default:
		return "checks"
	}
}

// recordID is the document of a record.
func recordID[R Record](r *R) string {
	switch x := any(r).(type) {
	case *Document:
		return x.DocumentID
	case *Table:
		return x.DocumentID
	case *Cell:
		return x.DocumentID
	case *Check:
		return x.DocumentID
	case *Indicator:
		return x.DocumentID
	case *FormField:
		return x.DocumentID
	case *Fact:
		return x.DocumentID
	}
	return ""
}

// DocumentIDs returns the ids of the documents a dataset directory holds
// (in its committed batches, whatever the formats they were written in),
// with their status.
func DocumentIDs(dir string) (map[string]string, error) {
	v, err := readView(dir)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]string)
	for id, h := range v.held() {
		ids[id] = h.status
	}
	return ids, nil
}

// Fetched is what a dataset directory holds from a URL: the document read
// from it, and the validators of its download ("" where the server sent
// none, or the file was not downloaded by budgetpdf).
type Fetched struct {
	DocumentID   string
	ETag         string // the ETag header, to send back as If-None-Match
	LastModified string // the Last-Modified header, to send back as If-Modified-Since
}

// FetchedURLs returns what the dataset directory holds from each URL
// (Document.SourceURL) among its documents committed with a status other
// than failed: the newest batch's document from each, by URL. It reads the
// manifests only, whatever the formats of the batches.
func FetchedURLs(dir string) (map[string]Fetched, error) {
	v, err := readView(dir)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Fetched)
	for _, m := range v.batches {
		for _, d := range m.Documents {
			if d.URL != "" && d.Status != StatusFailed && !v.drop[m.Batch][d.ID] {
				out[d.URL] = Fetched{DocumentID: d.ID, ETag: d.ETag, LastModified: d.LastModified}
			}
		}
	}
	return out, nil
}
