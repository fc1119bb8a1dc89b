package schema

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// workbookBatch writes a batch of the documents docs in Parquet with a
// workbook each (its bytes: "book of " and the id) and commits it.
func workbookBatch(t *testing.T, dir, batch string, docs []Document) {
	t.Helper()
	w, err := NewPartWriter(dir, []string{FormatParquet, FormatXLSX}, batch)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if err := w.Write(Dataset{Documents: []Document{d}}); err != nil {
			t.Fatal(err)
		}
		if err := w.WriteWorkbook(d.DocumentID, []byte("book of "+d.DocumentID)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// docWithID is a sample document with the id id.
func docWithID(id string) Document {
	d := sampleDocs()[1]
	d.DocumentID = id
	return d
}

// TestWorkbookParts: a batch's workbooks are staged, then published with
// the batch as xlsx/<id>.xlsx once its manifest lists them; a workbook is
// refused without FormatXLSX, for an id that is not one, and twice.
func TestWorkbookParts(t *testing.T) {
	dir := t.TempDir()
	a, b := strings.Repeat("a", 64), strings.Repeat("b", 64)
	w, err := NewPartWriter(dir, []string{FormatParquet, FormatXLSX}, "r-000001")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(Dataset{Documents: []Document{docWithID(a), docWithID(b)}}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{a, b} {
		if err := w.WriteWorkbook(id, []byte("book of "+id)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ id, err string }{
		{a, "written twice in batch r-000001"},
		{"../a", `workbook of "../a": not a document id`},
		{strings.Repeat("A", 64), "not a document id"},
	} {
		if err := w.WriteWorkbook(tc.id, nil); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("WriteWorkbook(%q): %v, want %q", tc.id, err, tc.err)
		}
	}
	if got := filesIn(filepath.Join(dir, WorkbookDir)); len(got) != 0 {
		t.Errorf("before the commit, xlsx/ holds %q", got)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"documents/part-r-000001.parquet",
		"manifests/r-000001.json",
		"xlsx/" + a + ".xlsx",
		"xlsx/" + b + ".xlsx",
	}
	if got := filesIn(dir); !slices.Equal(got, want) {
		t.Errorf("after the commit:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	m, err := readManifest(manifestPath(dir, "r-000001"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(m.Parts, " "), "documents/part-r-000001.parquet xlsx/"+a+".xlsx xlsx/"+b+".xlsx"; got != want {
		t.Errorf("manifest parts %s, want %s", got, want)
	}
	books, err := Workbooks(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{a, b} {
		if data, err := os.ReadFile(books[id]); err != nil || string(data) != "book of "+id {
			t.Errorf("workbook of %s: %q, %v", id[:4], data, err)
		}
	}
	if len(books) != 2 {
		t.Errorf("%d workbooks", len(books))
	}
	// Without FormatXLSX, no workbook.
	w, err = NewPartWriter(dir, []string{FormatParquet}, "r-000002")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.WriteWorkbook(a, nil); err == nil || !strings.Contains(err.Error(), `formats do not hold "xlsx"`) {
		t.Errorf("WriteWorkbook without xlsx: %v", err)
	}
}

// TestWorkbooksPublishedLast: a batch stopped in its publication has its
// workbooks in place before its documents, and a reader through the
// manifests finds them either way; recovery finishes the publication.
func TestWorkbooksPublishedLast(t *testing.T) {
	dir := t.TempDir()
	a := strings.Repeat("a", 64)
	if !stopAt(t, "publish documents/", 0, func() error {
		workbookBatch(t, dir, "dead.1-000001", []Document{docWithID(a)})
		return nil
	}) {
		t.Fatal("not stopped")
	}
	rel := "xlsx/" + a + ".xlsx"
	if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
		t.Errorf("the workbook is not published before the documents: %v", err)
	}
	if books, err := Workbooks(dir); err != nil || books[a] != filepath.Join(dir, rel) {
		t.Errorf("Workbooks: %v, %v", books, err)
	}
	if _, err := recoverDir(dir, func(string) bool { return false }); err != nil {
		t.Fatal(err)
	}
	want := []string{"documents/part-dead.1-000001.parquet", "manifests/dead.1-000001.json", rel}
	if got := filesIn(dir); !slices.Equal(got, want) {
		t.Errorf("after recovery: %q", got)
	}
}

// TestStrayWorkbooks: recovery removes from xlsx/ what no manifest lists
// (a batch's workbooks published, its manifest then removed, as a -force
// stopped half way leaves them), and keeps the committed ones; -force
// removes them all.
func TestStrayWorkbooks(t *testing.T) {
	dir := t.TempDir()
	a, b := strings.Repeat("a", 64), strings.Repeat("b", 64)
	workbookBatch(t, dir, "r-000001", []Document{docWithID(a)})
	workbookBatch(t, dir, "r-000002", []Document{docWithID(b)})
	if err := os.Remove(manifestPath(dir, "r-000002")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, WorkbookDir, "notes.txt"), []byte("x"), 0o644)
	n, err := recoverDir(dir, func(string) bool { return false })
	if err != nil || n != 3 { // r-000002's documents part, its workbook, notes.txt
		t.Errorf("removed %d, %v; want 3", n, err)
	}
	want := []string{"documents/part-r-000001.parquet", "manifests/r-000001.json", "xlsx/" + a + ".xlsx"}
	if got := filesIn(dir); !slices.Equal(got, want) {
		t.Errorf("after recovery: %q", got)
	}
	r, err := OpenRun(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if got := filesIn(dir); len(slices.DeleteFunc(got, func(p string) bool { return strings.HasPrefix(p, "runs/") })) != 0 {
		t.Errorf("after -force: %q", got)
	}
}

// TestCompactWorkbooks: a compaction keeps the workbook of every document
// it keeps, with its bytes, listed in its own manifest; the batches it
// replaced are gone.
func TestCompactWorkbooks(t *testing.T) {
	dir := t.TempDir()
	a, b := strings.Repeat("a", 64), strings.Repeat("b", 64)
	workbookBatch(t, dir, "r-000001", []Document{docWithID(a)})
	workbookBatch(t, dir, "r-000002", []Document{docWithID(b)})
	r, err := OpenRun(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	n, err := r.Compact()
	r.Close()
	if err != nil || n != 2 {
		t.Fatalf("compact: %d parts replaced, %v; want the 2 documents parts", n, err)
	}
	ms, err := readManifests(dir)
	if err != nil || len(ms) != 1 {
		t.Fatalf("%d manifests, %v", len(ms), err)
	}
	if got, want := strings.Join(ms[0].Parts, " "), "documents/part-"+ms[0].Batch+".parquet xlsx/"+a+".xlsx xlsx/"+b+".xlsx"; got != want {
		t.Errorf("compaction's parts %s, want %s", got, want)
	}
	books, err := Workbooks(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{a, b} {
		data, err := os.ReadFile(filepath.Join(dir, WorkbookDir, id+".xlsx"))
		if err != nil || !bytes.Equal(data, []byte("book of "+id)) || books[id] != filepath.Join(dir, WorkbookDir, id+".xlsx") {
			t.Errorf("workbook of %s after compact: %q, %v, %q", id[:4], data, err, books[id])
		}
	}
	if left := filesIn(filepath.Join(dir, stagingDir)); len(left) > 0 {
		t.Errorf("left in staging: %q", left)
	}
}

// TestDownloadDir: a run's download directory is removed when it closes,
// and a dead run's by the next run.
func TestDownloadDir(t *testing.T) {
	dir := t.TempDir()
	r, err := OpenRun(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	d, err := r.DownloadDir()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(d, "1.pdf"), []byte("%PDF-"), 0o644)
	dead := filepath.Join(dir, downloadDir, "dead.1")
	os.MkdirAll(dead, 0o755)
	os.WriteFile(filepath.Join(dead, "2.pdf"), []byte("%PDF-"), 0o644)
	r.Close()
	if _, err := os.Stat(d); !os.IsNotExist(err) {
		t.Errorf("the run's downloads after Close: %v", err)
	}
	r, err = OpenRun(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("a dead run's downloads after the next run: %v", err)
	}
}
