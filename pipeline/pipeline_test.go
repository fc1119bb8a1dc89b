package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/budgetpdf/budgetpdf/extract"
	"github.com/budgetpdf/budgetpdf/schema"
)

const (
	ruled   = "../fixtures/seed-yindu-hrss-2024-ruled.pdf"
	scanned = "../fixtures/beijing-data-bureau-2026-budget-notes-scanned-p1.pdf"
	twoPage = "../fixtures/xian-science-tech-2022-budget-p20-21.pdf"
)

// TestReadDocument: what ReadDocument returns for each kind of document,
// as one line: status, pages kept, tables, whether the error is nil, and
// the error's text.
func TestReadDocument(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		file string
		opts *Options
		want string
		is   error
	}{
		{"ok", nil, ruled, nil, "ok pages=0 tables>0 err=<nil>", nil},
		{"kept pages", nil, ruled, &Options{KeepPages: true}, "ok pages=32 tables>0 err=<nil>", nil},
		{"page 1 only", nil, ruled, &Options{KeepPages: true, Pages: func(int) []int { return []int{1, 40} }}, "ok pages=1 tables>0 err=<nil>", nil},
		{"scan", nil, scanned, nil, "no_text_layer pages=0 tables=0 err=no text layer: 1 page(s) of images only", extract.ErrNoTextLayer},
		{"truncated", nil, "../extract/testdata/broken/truncated.pdf", nil, "failed pages=0 tables=0 err=../extract/testdata/broken/truncated.pdf: damaged PDF", extract.ErrDamaged},
		{"missing", nil, "testdata/nosuch.pdf", nil, "failed pages=0 tables=0 err=open testdata/nosuch.pdf: no such file or directory", nil},
		{"max pages", nil, twoPage, &Options{MaxPages: 1}, "failed pages=0 tables=0 err=" + twoPage + ": over the page limit (-max-pages 1): limit exceeded: more than 1 pages (Options.MaxPages)", nil},
		{"cancelled", cancelled, ruled, nil, "failed pages=0 tables=0 err=" + ruled + ": context canceled", context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			res, err := ReadDocument(ctx, tt.file, tt.opts)
			tables := "tables=0"
			if len(res.Tables) > 0 {
				tables = "tables>0"
			}
			got := fmt.Sprintf("%s pages=%d %s err=%v", res.Document.Status, len(res.Pages), tables, err)
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v does not wrap %v", err, tt.is)
			}
			if d := res.Document; d.SourceFile != tt.file || (err != nil) != (d.Error != "") || len(d.DocumentID) != 64 && tt.name != "missing" {
				t.Errorf("document %+v", d)
			}
			if res.Document.Status == schema.StatusOK && (res.Normalized == nil || len(res.Cells) == 0 || res.Info.Pages == 0) {
				t.Errorf("ok without records: %+v", res)
			}
		})
	}
}

// TestTextLayer: a document has no text layer when no page counted has
// text; nothing counted decides nothing.
func TestTextLayer(t *testing.T) {
	var l TextLayer
	if l.Err() != nil {
		t.Errorf("no page: %v", l.Err())
	}
	l.Add(&extract.Page{})
	l.Add(&extract.Page{})
	if err := l.Err(); !errors.Is(err, extract.ErrNoTextLayer) || err.Error() != "no text layer: 2 page(s) of images only" {
		t.Errorf("two pages of images: %v", err)
	}
	l.Add(&extract.Page{Glyphs: []extract.Glyph{{Text: "预"}}})
	if l.Err() != nil {
		t.Errorf("a page with text: %v", l.Err())
	}
}

// TestRunCallback: OnDocument sees every document once, with its
// position among the n read and its pages when asked; an error from it
// stops the batch with nothing of the batch in hand committed.
func TestRunCallback(t *testing.T) {
	files, _ := filepath.Glob("../fixtures/*.pdf")
	files = append(files, files[0]) // a copy: read once
	var mu sync.Mutex
	var seen []string
	opts := &RunOptions{Workers: 3, KeepPages: true, OnDocument: func(i, n int, r *Result) error {
		mu.Lock()
		defer mu.Unlock()
		if r.Document.Status == schema.StatusOK && len(r.Pages) == 0 {
			t.Errorf("%s: no pages kept", r.Document.SourceFile)
		}
		seen = append(seen, fmt.Sprintf("%d/%d %s", i, n, filepath.Base(r.Document.SourceFile)))
		return nil
	}}
	dir := t.TempDir()
	sum, err := Run(context.Background(), dir, files, opts)
	if err != nil || sum.Files != 11 || sum.Documents != 10 || sum.Committed != 10 || sum.Duplicates != 1 {
		t.Fatalf("%+v, %v", sum, err)
	}
	slices.Sort(seen)
	if len(seen) != 10 || seen[0] != "0/10 "+filepath.Base(files[0]) || seen[9] != "9/10 "+filepath.Base(files[9]) {
		t.Errorf("OnDocument saw %v", seen)
	}

	stop := errors.New("stop")
	opts = &RunOptions{Workers: 1, OnDocument: func(i, n int, r *Result) error {
		if i == 2 {
			return stop
		}
		return nil
	}}
	dir = t.TempDir()
	if sum, err := Run(context.Background(), dir, files, opts); err != stop || sum.Documents != 2 || sum.Committed != 0 {
		t.Errorf("stopped by OnDocument: %+v, %v", sum, err)
	}
	if ids, err := schema.DocumentIDs(dir); err != nil || len(ids) != 0 {
		t.Errorf("stopped batch: %d documents committed, %v", len(ids), err)
	}
}

// TestRunCancelled: a cancelled batch keeps its committed batches, drops
// the one in hand and returns the cause; the next run reads the rest.
func TestRunCancelled(t *testing.T) {
	files, _ := filepath.Glob("../fixtures/*.pdf")
	dir := t.TempDir()
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("interrupted")
	opts := &RunOptions{Workers: 1, PartSize: 2, OnDocument: func(i, n int, r *Result) error {
		if i == 4 {
			cancel(cause)
		}
		return nil
	}}
	sum, err := Run(ctx, dir, files, opts)
	// (the documents written before the cancel depend on the timing; the
	// batches committed are whole)
	committed := sum.Committed
	if err != cause || committed > 4 || committed%2 != 0 {
		t.Fatalf("cancelled: %+v, %v", sum, err)
	}
	sum, err = Run(context.Background(), dir, files, nil)
	if err != nil || sum.Skipped != committed || sum.Documents != len(files)-committed {
		t.Errorf("the next run after %d committed: %+v, %v", committed, sum, err)
	}
}

// TestSummaryWorst: a batch's summary lists the five tables with the most
// failed checks, ties in document order.
func TestSummaryWorst(t *testing.T) {
	s := &Summary{Status: map[string]int{}, Checks: map[string]int{}}
	for i, n := range []int32{1, 3, 0, 2, 3, 5, 4, 1} {
		s.add(&Result{Document: schema.Document{SourceFile: fmt.Sprintf("f%d.pdf", i), Status: schema.StatusOK},
			Tables: []schema.Table{{PageFirst: int32(i), ChecksFailed: n}}})
	}
	var got []string
	for _, w := range s.Worst {
		got = append(got, fmt.Sprintf("%d:%s", w.Table.ChecksFailed, w.SourceFile))
	}
	if want := "5:f5.pdf 4:f6.pdf 3:f1.pdf 3:f4.pdf 2:f3.pdf"; strings.Join(got, " ") != want {
		t.Errorf("worst %v, want %s", got, want)
	}
}

// TestRunOptions: bad options are errors before anything is read.
func TestRunOptions(t *testing.T) {
	for _, o := range []*RunOptions{{Shard: Shard{K: 3, N: 2}}, {Formats: []string{"csv"}}} {
		if _, err := Run(context.Background(), t.TempDir(), []string{ruled}, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

func BenchmarkReadDocument(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadDocument(context.Background(), ruled, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestStartOrder: the largest file of the next few first, ties in the
// files' order, and never a job beyond the lookahead of the first not yet
// started (readAll's window depends on it).
func TestStartOrder(t *testing.T) {
	jobsOf := func(sizes ...int64) []job {
		jobs := make([]job, len(sizes))
		for i, s := range sizes {
			jobs[i].size = s
		}
		return jobs
	}
	for _, c := range []struct {
		sizes     []int64
		lookahead int
		want      []int
	}{
		{[]int64{1, 5, 3, 9, 2, 8, 7}, 3, []int{1, 2, 0, 3, 5, 6, 4}},
		{[]int64{1, 5, 3, 9, 2, 8, 7}, 1, []int{0, 1, 2, 3, 4, 5, 6}},
		{[]int64{4, 4, 4, 4}, 8, []int{0, 1, 2, 3}},
		{[]int64{0, 0, 7}, 8, []int{2, 0, 1}},
		{nil, 8, []int{}},
	} {
		if got := startOrder(jobsOf(c.sizes...), c.lookahead); !slices.Equal(got, c.want) {
			t.Errorf("startOrder(%v, %d) = %v, want %v", c.sizes, c.lookahead, got, c.want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		sizes := make([]int64, rng.IntN(40))
		for i := range sizes {
			sizes[i] = rng.Int64N(5)
		}
		lookahead := 1 + rng.IntN(8)
		order := startOrder(jobsOf(sizes...), lookahead)
		started := make([]bool, len(sizes))
		first := 0
		for _, k := range order {
			if k < first || k >= first+lookahead || started[k] {
				t.Fatalf("startOrder(%v, %d) = %v: %d started with %d the first not started", sizes, lookahead, order, k, first)
			}
			started[k] = true
			for first < len(sizes) && started[first] {
				first++
			}
		}
		if first != len(sizes) {
			t.Fatalf("startOrder(%v, %d) = %v: not every job", sizes, lookahead, order)
		}
	}
}
