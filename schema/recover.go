package schema

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// recoverDir makes a dataset directory consistent before a run adds to it,
// for every run that is no longer alive (live reports whether a run still
// holds its lock): its batches committed but not completely published are
// published (roll forward: the records they supersede or replace removed,
// their parts moved into place); its staging directories without a
// manifest, its parts that no manifest lists, its temporary files and its
// downloads (Run.DownloadDir) are removed, and so are the workbooks that
// no manifest lists. A directory of an older budgetpdf, without manifests/, is
// brought up to date first (adoptLegacy). The caller holds the dataset
// lock. It returns the number of files and directories removed.
func recoverDir(dir string, live func(run string) bool) (int, error) {
	removed := 0
	if _, err := os.Stat(filepath.Join(dir, manifestDir)); errors.Is(err, fs.ErrNotExist) {
		n, err := adoptLegacy(dir, live)
		if err != nil {
			return n, err
		}
		removed += n
	}
	ms, err := readManifests(dir)
	if err != nil {
		return removed, err
	}
	byBatch := make(map[string]*manifest, len(ms))
	for _, m := range ms {
		byBatch[m.Batch] = m
	}
	for _, m := range ms {
		if !live(runOf(m.Batch)) && unpublished(dir, m, byBatch) {
			if err := publish(dir, m); err != nil {
				return removed, err
			}
		}
	}
	n, err := removeUncommitted(dir, byBatch, live)
	removed += n
	if err != nil {
		return removed, err
	}
	n, err = removeOrphans(dir, ms, live)
	removed += n
	if err != nil {
		return removed, err
	}
	n, err = removeStrayWorkbooks(dir)
	removed += n
	if err != nil {
		return removed, err
	}
	n, err = removeDeadDownloads(dir, live)
	return removed + n, err
}

// committed reports whether batch has a manifest now. Asked once its run
// is known to be dead, it is final: a run that committed a batch after
// the manifests were read, then ended, does not lose it.
func committed(dir, batch string) bool {
	_, err := os.Stat(manifestPath(dir, batch))
	return err == nil
}

// removeOrphans removes the parts of dead runs in the record set
// directories that no manifest lists (the records of no batch, as a
// -force stopped half way leaves them), and their temporary files (a
// rewrite stopped half way).
func removeOrphans(dir string, ms []*manifest, live func(string) bool) (int, error) {
	listed := make(map[string]bool)
	for _, m := range ms {
		for _, rel := range m.Parts {
			listed[filepath.Join(dir, filepath.FromSlash(rel))] = true
		}
	}
	parts, err := listParts(dir)
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, p := range parts {
		if (listed[p.path] && !p.temp) || live(runOf(p.batch)) || (!p.temp && committed(dir, p.batch)) {
			continue
		}
		step("remove " + p.path)
		if err := os.Remove(p.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("schema: %w", err)
		}
		removed++
	}
	return removed, nil
}

// unpublished reports whether a committed batch has work left: parts in
// staging/, records it supersedes still listed by their batch, or
// batches it replaces still there.
func unpublished(dir string, m *manifest, byBatch map[string]*manifest) bool {
	if _, err := os.Stat(filepath.Join(dir, stagingDir, m.Batch)); err == nil {
		return true
	}
	for _, s := range m.Supersedes {
		if o := byBatch[s.Batch]; o != nil && slices.ContainsFunc(o.Documents, func(d docEntry) bool { return d.ID == s.ID }) {
			return true
		}
	}
	return slices.ContainsFunc(m.Replaces, func(b string) bool { return byBatch[b] != nil })
}

// removeUncommitted removes the staging directories of dead runs' batches
// that have no manifest, and dead runs' temporary manifests.
func removeUncommitted(dir string, byBatch map[string]*manifest, live func(string) bool) (int, error) {
	removed := 0
	entries, err := os.ReadDir(filepath.Join(dir, stagingDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("schema: %w", err)
	}
	for _, e := range entries {
		if byBatch[e.Name()] != nil || live(runOf(e.Name())) || committed(dir, e.Name()) {
			continue
		}
		step("remove " + path.Join(stagingDir, e.Name()))
		if err := os.RemoveAll(filepath.Join(dir, stagingDir, e.Name())); err != nil {
			return removed, fmt.Errorf("schema: %w", err)
		}
		removed++
	}
	temps, _ := filepath.Glob(filepath.Join(dir, manifestDir, ".*.tmp"))
	for _, t := range temps {
		batch, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(t), "."), ".json.")
		if !live(runOf(batch)) {
			os.Remove(t)
			removed++
		}
	}
	return removed, nil
}

// legacyJournalDir holds the journals of the compactions of an older
// budgetpdf: replaces/<batch> lists the batches it replaced.
const legacyJournalDir = "replaces"

// part is a part file found in a record set directory.
type part struct {
	path, set, batch string
	temp             bool // a temporary: .part-<batch>.<ext>.<random>.tmp
}

// listParts walks a dataset directory's record sets.
func listParts(dir string) ([]part, error) {
	var parts []part
	for _, root := range setRoots(dir) {
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
				if i := strings.LastIndex(name[:len(name)-len(".tmp")], "."); i > 0 {
					name = name[:i] // drop the random suffix
				}
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

// adoptLegacy brings up to date a dataset directory of an older
// budgetpdf, which committed a batch by renaming its parts into place one
// by one, its documents parts last, and had no manifests. The manifests
// of its batches are written into staging/.adopt/, renamed to manifests/
// once all are there: a directory is adopted whole or not at all.
//
// A batch of an older budgetpdf is whole when no temporary of it is left
// and it has a documents part in each format that the older batches of
// the directory have documents parts in (it is then given a manifest, and
// its failed documents, recorded with the id "", their PathID); otherwise
// its renames were cut short and its parts are removed, so that its
// documents are read again. A compaction journal of an older budgetpdf is
// finished when its batch is whole, dropped otherwise. The batches of
// live runs (of an older budgetpdf still writing) are left out, and
// removed once those runs are dead.
func adoptLegacy(dir string, live func(string) bool) (int, error) {
	parts, err := listParts(dir)
	if err != nil {
		return 0, err
	}
	adopt := filepath.Join(dir, stagingDir, ".adopt")
	if err := errors.Join(os.RemoveAll(adopt), os.MkdirAll(adopt, 0o755)); err != nil {
		return 0, fmt.Errorf("schema: %w", err)
	}
	removed := 0
	legacy := make(map[string][]part)
	cut := make(map[string]bool) // batches with temporaries: renames cut short
	for _, p := range parts {
		switch {
		case live(runOf(p.batch)):
		case p.temp:
			step("remove " + p.path)
			os.Remove(p.path)
			removed++
			cut[p.batch] = true
		default:
			legacy[p.batch] = append(legacy[p.batch], p)
		}
	}
	n, err := adoptBatches(dir, adopt, legacy, cut, live)
	removed += n
	if err != nil {
		return removed, err
	}
	step("rename " + adopt)
	if err := syncDir(adopt); err != nil {
		return removed, err
	}
	if err := os.Rename(adopt, filepath.Join(dir, manifestDir)); err != nil {
		return removed, fmt.Errorf("schema: %w", err)
	}
	return removed, syncDir(dir)
}

// adoptBatches finishes the legacy compaction journals, then writes the
// manifest of each whole legacy batch into adopt and removes the others.
func adoptBatches(dir, adopt string, legacy map[string][]part, cut map[string]bool, live func(string) bool) (int, error) {
	removed := 0
	whole := wholeLegacy(legacy, cut)
	journals, _ := filepath.Glob(filepath.Join(dir, legacyJournalDir, "*"))
	for _, j := range journals {
		n, err := finishLegacyJournal(j, legacy, whole, live)
		removed += n
		if err != nil {
			return removed, err
		}
	}
	for _, b := range slices.Sorted(maps.Keys(legacy)) {
		if whole[b] {
			if err := adoptBatch(dir, adopt, b, legacy[b]); err != nil {
				return removed, err
			}
			continue
		}
		for _, p := range legacy[b] {
			step("remove " + p.path)
			if err := os.Remove(p.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return removed, fmt.Errorf("schema: %w", err)
			}
			removed++
		}
	}
	return removed, nil
}

// wholeLegacy tells the whole batches among the legacy ones: without
// temporaries, with a documents part in each format its run wrote
// documents parts in (in its other batches), or, for the only batch of
// its run, each format of the directory's documents parts.
func wholeLegacy(legacy map[string][]part, cut map[string]bool) map[string]bool {
	has := make(map[string]map[string]bool)     // by batch: the formats of its documents parts
	formats := make(map[string]map[string]bool) // by run, "" for the directory
	batches := make(map[string]int)             // by run: batches with documents parts
	for b, ps := range legacy {
		has[b] = make(map[string]bool)
		for _, p := range ps {
			if p.set != "documents" {
				continue
			}
			ext := filepath.Ext(p.path)
			for _, key := range []string{runOf(b), ""} {
				if formats[key] == nil {
					formats[key] = make(map[string]bool)
				}
				formats[key][ext] = true
			}
			if !has[b][ext] && len(has[b]) == 0 {
				batches[runOf(b)]++
			}
			has[b][ext] = true
		}
	}
	whole := make(map[string]bool)
	for b, ps := range legacy {
		want := formats[""]
		if batches[runOf(b)] > 1 {
			want = formats[runOf(b)]
		}
		onlyFiles := !slices.ContainsFunc(ps, func(p part) bool { return p.set != "files" })
		whole[b] = !cut[b] && (onlyFiles || len(has[b]) > 0 && len(has[b]) == len(want))
	}
	return whole
}

// finishLegacyJournal finishes or drops a compaction journal of an older
// budgetpdf: a whole merged batch's journal removes the batches it lists.
func finishLegacyJournal(j string, legacy map[string][]part, whole map[string]bool, live func(string) bool) (int, error) {
	name := filepath.Base(j)
	removed := 0
	if !whole[name] {
		if !live(runOf(strings.TrimSuffix(strings.TrimPrefix(name, "."), ".tmp"))) {
			os.Remove(j)
		}
		return 0, nil
	}
	data, err := os.ReadFile(j)
	if err != nil {
		return 0, fmt.Errorf("schema: %w", err)
	}
	for _, b := range strings.Fields(string(data)) {
		if b == name {
			continue
		}
		for _, p := range legacy[b] {
			step("remove " + p.path)
			if err := os.Remove(p.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return removed, fmt.Errorf("schema: %w", err)
			}
			removed++
		}
		delete(legacy, b)
	}
	return removed, os.Remove(j)
}

// adoptBatch writes the manifest of a whole batch of an older budgetpdf
// into adopt, once its failed documents' empty ids are replaced by their
// PathID.
func adoptBatch(dir, adopt, batch string, ps []part) error {
	var rels []string
	var docsPart string
	for _, p := range ps {
		rel, err := filepath.Rel(dir, p.path)
		if err != nil {
			return fmt.Errorf("schema: %w", err)
		}
		rels = append(rels, filepath.ToSlash(rel))
		if p.set == "documents" && (docsPart == "" || filepath.Ext(p.path) == ".parquet") {
			docsPart = p.path
		}
		if p.set == "documents" || p.set == "files" {
			if err := rewriteIDs(p.path, rel, p.set); err != nil {
				return err
			}
		}
	}
	slices.Sort(rels)
	m := &manifest{Version: manifestVersion, Batch: batch, Parts: rels}
	if docsPart != "" {
		docs, err := readDocEntries(docsPart)
		if err != nil {
			return err
		}
		m.Documents = docs
	}
	step("write " + filepath.Join(adopt, batch+".json"))
	if err := os.WriteFile(filepath.Join(adopt, batch+".json"), m.encode(), 0o644); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	return nil
}

// rewriteIDs rewrites a part of an older budgetpdf whose rows have an
// empty document id, giving them the PathID of their source file.
func rewriteIDs(p, rel, set string) error {
	var ids []string
	if filepath.Ext(p) == ".parquet" {
		if set == "documents" {
			docs, err := ReadFile[Document](p)
			if err != nil {
				return err
			}
			for _, d := range docs {
				ids = append(ids, d.DocumentID)
			}
		} else {
			rows, err := readFileRows(p, ".parquet")
			if err != nil {
				return err
			}
			for _, r := range rows {
				ids = append(ids, r.DocumentID)
			}
		}
	} else if err := scanIDs(p, func(id, _ string) { ids = append(ids, id) }); err != nil {
		return err
	}
	if !slices.Contains(ids, "") {
		return nil
	}
	return rewritePart(p, filepath.ToSlash(rel), set, source{fixIDs: true})
}

// readDocEntries reads the documents of a documents part for a manifest.
func readDocEntries(p string) ([]docEntry, error) {
	var out []docEntry
	if filepath.Ext(p) == ".parquet" {
		docs, err := ReadFile[Document](p)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			out = append(out, docEntry{ID: d.DocumentID, Status: d.Status})
		}
		return out, nil
	}
	err := scanIDs(p, func(id, status string) { out = append(out, docEntry{ID: id, Status: status}) })
	return out, err
}

// scanIDs calls fn with the document id and status of each line of a JSON
// Lines part.
func scanIDs(p string, fn func(id, status string)) error {
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), maxJSONLine)
	for sc.Scan() {
		var r struct {
			DocumentID string `json:"document_id"`
			Status     string `json:"status"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("schema: %s: %w", p, err)
		}
		fn(r.DocumentID, r.Status)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("schema: %s: %w", p, err)
	}
	return nil
}
