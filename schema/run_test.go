package schema

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// runDocuments is one run into dir: docs claimed, those claimed written as
// given, and every path added to files.
func runDocuments(t *testing.T, dir string, docs []Document) {
	t.Helper()
	r, err := OpenRun(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	res, err := r.Claim(docs)
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.NewPartWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	var refs []FileRef
	for i, d := range docs {
		if res[i] == Claimed {
			if err := w.Write(Dataset{Documents: []Document{d}}); err != nil {
				t.Fatal(err)
			}
		}
		refs = append(refs, FileRef{SourceFile: d.SourceFile, DocumentID: d.DocumentID})
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.AddFiles(nil, refs); err != nil {
		t.Fatal(err)
	}
}

func compactOnce(t *testing.T, dir string) {
	t.Helper()
	r, err := OpenRun(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Compact(); err != nil {
		t.Fatal(err)
	}
}

// TestCompactKeepsFileOfReadAgain: a file that failed (under its content's
// id), compacted, read again and compacted again keeps its files row: the
// run that read it again added none (the dataset held the row), and the
// failure's batch, superseded, must not take the row with it.
func TestCompactKeepsFileOfReadAgain(t *testing.T) {
	dir := t.TempDir()
	runDocuments(t, dir, []Document{{DocumentID: docID, SourceFile: "a.pdf", Status: StatusFailed, Error: "timed out"}})
	compactOnce(t, dir)
	runDocuments(t, dir, []Document{{DocumentID: docID, SourceFile: "a.pdf", Status: StatusOK}})
	compactOnce(t, dir)
	want := []FileRef{{SourceFile: "a.pdf", DocumentID: docID}}
	if refs, err := ReadFileRefs(dir); err != nil || !slices.Equal(refs, want) {
		t.Errorf("files %v, %v; want %v", refs, err, want)
	}
	docs, err := ReadDataset[Document](dir)
	if err != nil || len(docs) != 1 || docs[0].Status != StatusOK {
		t.Errorf("documents %+v, %v: want the one read again", docs, err)
	}
}

// TestOpenRunWhileProbed: a run that starts while another probes the runs'
// locks (live, as prepare, Compact and Force do) starts: the probe's
// moment on its new lock is waited for, not taken for another run's.
func TestOpenRunWhileProbed(t *testing.T) {
	dir := t.TempDir()
	prober, err := OpenRun(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer prober.Close()
	stop, stopped := make(chan bool), make(chan bool)
	go func() {
		defer close(stopped)
		for {
			select {
			case <-stop:
				return
			default:
			}
			entries, _ := os.ReadDir(filepath.Join(dir, "runs"))
			for _, e := range entries {
				if run, ok := strings.CutSuffix(e.Name(), ".lock"); ok && e.Name() != datasetLock {
					prober.live(run)
				}
			}
		}
	}()
	failed := 0
	var first error
	for range 3000 {
		r, err := OpenRun(dir, false)
		if err != nil {
			failed++
			first = err
			continue
		}
		r.Close()
	}
	close(stop)
	<-stopped
	if failed > 0 {
		t.Errorf("%d of 3000 runs did not start: %v", failed, first)
	}
}

// TestConcurrentRunsOnePath: a run that reads a URL and another, at the
// same time, that cannot (its download failed) do not both record it: the
// first claims the URL's path id with its document, and the second finds
// it busy.
func TestConcurrentRunsOnePath(t *testing.T) {
	dir := t.TempDir()
	u := "https://x.gov.cn/a.pdf"
	a, err := OpenRun(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := OpenRun(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	read := Document{DocumentID: docID, SourceFile: u, Status: StatusOK}
	failed := Document{DocumentID: PathID(u), SourceFile: u, Status: StatusFailed, Error: "the server answered 503"}
	ra, err := a.Claim([]Document{read})
	if err != nil {
		t.Fatal(err)
	}
	rb, err := b.Claim([]Document{failed})
	if err != nil {
		t.Fatal(err)
	}
	if ra[0] != Claimed || rb[0] != Busy {
		t.Errorf("claims %v and %v, want the first claimed, the second busy", ra, rb)
	}
}
