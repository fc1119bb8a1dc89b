package schema

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// A batch written with FormatXLSX holds a workbook per document read (the
// caller makes it; this package stores its bytes):
//
//	xlsx/<document_id>.xlsx
//
// A workbook is a part of its batch like the record sets' parts: staged
// under staging/<batch>/ (PartWriter.WriteWorkbook, synced), listed in the
// batch's manifest, and published with the batch, renamed into xlsx/ just
// before the documents parts. So a workbook is visible once its batch is
// committed, and a run killed at any step leaves either every workbook of
// a batch or none: recovery removes the staging directories of batches
// without manifest, publishes the committed ones, and removes from xlsx/
// whatever no manifest lists. A compaction lists the workbooks of the
// documents it keeps in its own manifest (hard links, or copies where the
// file system has none, staged like its parts), so that removing the
// batches it replaces leaves them in place. A workbook's name is its
// document's id, so that a reader finds it from documents.document_id.

// WorkbookDir is the directory of a dataset directory with the workbooks.
const WorkbookDir = "xlsx"

// workbookRel is the path of a document's workbook, relative to the
// dataset directory.
func workbookRel(documentID string) string {
	return WorkbookDir + "/" + documentID + ".xlsx"
}

// workbookID is the document id of a workbook part ("xlsx/<id>.xlsx"),
// and whether rel is one: the id is 64 lowercase hexadecimal digits, as
// every document id is (a content hash, or PathID).
func workbookID(rel string) (string, bool) {
	name, ok := strings.CutPrefix(rel, WorkbookDir+"/")
	if !ok {
		return "", false
	}
	id, ok := strings.CutSuffix(name, ".xlsx")
	return id, ok && validID(id)
}

// validID reports whether id can be a document id: 64 lowercase
// hexadecimal digits.
func validID(id string) bool {
	if len(id) != 64 {
		return false
	}
	for _, c := range []byte(id) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// WriteWorkbook stages the workbook of a document of the batch (data, the
// bytes of an .xlsx file), synced, to be published with the batch as
// xlsx/<documentID>.xlsx. The writer's formats must hold FormatXLSX; a
// document has one workbook in a batch.
func (w *PartWriter) WriteWorkbook(documentID string, data []byte) error {
	rel := workbookRel(documentID)
	switch {
	case !w.xlsx:
		return fmt.Errorf("schema: workbook of %s: the batch's formats do not hold %q", documentID, FormatXLSX)
	case !validID(documentID):
		return fmt.Errorf("schema: workbook of %q: not a document id", documentID)
	case slices.Contains(w.workbooks, rel):
		return fmt.Errorf("schema: workbook of %s: written twice in batch %s", documentID, w.batch)
	}
	step("write " + rel)
	f, err := w.createStaged(rel)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("schema: write %s: %w", stagedPath(w.dir, w.batch, rel), err)
	}
	w.workbooks = append(w.workbooks, rel)
	return nil
}

// stageWorkbook stages, in a compaction's batch, the workbook rel of a
// committed batch found at from: a hard link, or a copy where the file
// system has none.
func (w *PartWriter) stageWorkbook(from, rel string) error {
	if slices.Contains(w.workbooks, rel) {
		return nil
	}
	to := stagedPath(w.dir, w.batch, rel)
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	step("link " + rel)
	if err := os.Link(from, to); err != nil {
		if err := copyFile(from, to); err != nil {
			return err
		}
	}
	w.workbooks = append(w.workbooks, rel)
	return nil
}

// copyFile copies the file from to a new file to, synced.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	_, err = io.Copy(out, in)
	if err = errors.Join(err, out.Sync(), out.Close()); err != nil {
		return fmt.Errorf("schema: copy %s: %w", from, err)
	}
	return nil
}

// removeStrayWorkbooks removes the files of xlsx/ that no manifest lists:
// the workbooks of batches a -force or a removal stopped half way left,
// and anything else put there. The manifests are read after xlsx/ is
// listed: a workbook is renamed into xlsx/ only once its batch's manifest
// is in place, so one that a run commits meanwhile is not taken for a
// stray. The caller holds the dataset lock.
func removeStrayWorkbooks(dir string) (int, error) {
	entries, err := os.ReadDir(filepath.Join(dir, WorkbookDir))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("schema: %w", err)
	}
	ms, err := readManifests(dir)
	if err != nil {
		return 0, err
	}
	listed := make(map[string]bool)
	for _, m := range ms {
		for _, rel := range m.Parts {
			listed[rel] = true
		}
	}
	removed := 0
	for _, e := range entries {
		rel := path.Join(WorkbookDir, e.Name())
		if listed[rel] || e.IsDir() {
			continue
		}
		step("remove " + rel)
		if err := os.Remove(filepath.Join(dir, WorkbookDir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("schema: %w", err)
		}
		removed++
	}
	return removed, nil
}

// Workbooks returns the workbooks of the documents a dataset directory
// holds (in its committed batches, those written with FormatXLSX): the
// path of each, by document id. A committed batch not yet published
// completely has its workbooks in its staging directory until then.
func Workbooks(dir string) (map[string]string, error) {
	v, err := readView(dir)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string)
	for _, m := range v.batches {
		for _, rel := range m.Parts {
			if id, ok := workbookID(rel); ok && !v.drop[m.Batch][id] {
				out[id] = locate(dir, m.Batch, rel)
			}
		}
	}
	return out, nil
}
