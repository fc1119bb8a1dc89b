package report

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/chromedp/chromedp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixtureDoc reads the first pages of a fixture into a report Document.
func fixtureDoc(t testing.TB, file string, pages int) *Document {
	t.Helper()
	first := func(n int) []int {
		var out []int
		for p := 1; p <= min(pages, n); p++ {
			out = append(out, p)
		}
		return out
	}
	r, err := pipeline.ReadDocument(context.Background(), file, &pipeline.Options{Pages: first, KeepPages: true})
	if err != nil {
		t.Fatal(err)
	}
	d := New(r)
	d.File = filepath.Base(file)
	return d
}

// TestGoldenSVG draws page 1 of the ruled seed (a two-sided 收支总表) and
// compares it with testdata/seed-ruled-p1.svg.golden (go test -update
// rewrites it). The output is deterministic to the byte.
func TestGoldenSVG(t *testing.T) {
	d := fixtureDoc(t, "../../../../fixtures/seed-yindu-hrss-2024-ruled.pdf", 1)
	var a, b bytes.Buffer
	if err := d.WritePageSVG(&a, d.Pages[0]); err != nil {
		t.Fatal(err)
	}
	if err := d.WritePageSVG(&b, d.Pages[0]); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two drawings of one page differ")
	}
	for _, want := range []string{`<rect class="t" `, `class="s"`, `class="h"`, `class="o"`, `class="ti"`, `<title>t0 r0 c1 收入/金额</title>`, `本年收入合计`} {
		if !strings.Contains(a.String(), want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	golden := "testdata/seed-ruled-p1.svg.golden"
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, a.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if !bytes.Equal(a.Bytes(), want) {
		os.WriteFile(golden+".actual", a.Bytes(), 0o644)
		t.Errorf("SVG differs from %s (actual output in %s.actual)", golden, golden)
	}
}

func TestHeaderRows(t *testing.T) {
	cols := []normalize.Column{
		{Index: 0, Path: []string{"科目编码"}},
		{Index: 1, Path: []string{"基本支出", "小计"}},
		{Index: 2, Path: []string{"基本支出", "人员经费"}},
		{Index: 3, Path: []string{"项目支出"}},
	}
	got := headerRows(cols)
	want := [][]string{
		{`<th colspan="1" rowspan="2">科目编码</th>`, `<th colspan="2" rowspan="1">基本支出</th>`, `<th colspan="1" rowspan="2">项目支出</th>`},
		{`<th colspan="1" rowspan="1">小计</th>`, `<th colspan="1" rowspan="1">人员经费</th>`},
	}
	if len(got) != len(want) || strings.Join(got[0], "") != strings.Join(want[0], "") || strings.Join(got[1], "") != strings.Join(want[1], "") {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// browser returns a Chromium to drive, or skips the test.
func browser(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium installed (apt-get install chromium); .ci/run installs it")
	return ""
}

// TestReportInBrowser opens the report from the file system in headless
// Chromium, clicks a cell and checks that its box is highlighted on the
// page image, then saves a screenshot ($BUDGETPDF_SCREENSHOTS, if set, keeps
// it).
func TestReportInBrowser(t *testing.T) {
	exe := browser(t)
	for _, tc := range []struct{ name, file, cell string }{
		{"ruled", "../../../../fixtures/jiangsu-npc-office-2019-budget-tables.pdf", "c-0-0-1"},
		{"threeline", "../../../../fixtures/seed-yindu-hrss-2024-threeline.pdf", "c-0-0-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			d := fixtureDoc(t, tc.file, 2)
			if err := d.Write(dir); err != nil {
				t.Fatal(err)
			}
			opts := append(chromedp.DefaultExecAllocatorOptions[:],
				chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
				chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
				chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true),
				chromedp.WindowSize(1400, 900))
			actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
			defer cancel()
			ctx, cancel := chromedp.NewContext(actx)
			defer cancel()
			ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			err := chromedp.Do(ctx,
				chromedp.Navigate("file://"+filepath.Join(dir, "index.html")),
				chromedp.WaitVisible(chromedp.ID(tc.cell)),
				chromedp.Click(chromedp.ID(tc.cell)),
				chromedp.Sleep(300*time.Millisecond),
			)
			if err != nil {
				t.Fatal(err)
			}
			hl := func(prop string) string {
				v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){var h=document.querySelector('.sec .hl[data-cell]');return h?`+prop+`:''})()`))
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			shown, cellID, left, width := hl("getComputedStyle(h).display"), hl("h.dataset.cell"), hl("h.style.left"), hl("h.style.width")
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
			if err != nil {
				t.Fatal(err)
			}
			if shown != "block" || cellID != tc.cell || left == "" || width == "" || width == "0%" {
				t.Errorf("after the click: highlight display %q cell %q left %q width %q", shown, cellID, left, width)
			}
			if len(shot) < 1000 {
				t.Errorf("screenshot of %d bytes", len(shot))
			}
			if keep := os.Getenv("BUDGETPDF_SCREENSHOTS"); keep != "" {
				os.WriteFile(filepath.Join(keep, "report-"+tc.name+".jpg"), shot, 0o644)
			}
		})
	}
}

// TestLargestReport measures the report of the largest corpus document
// ($BUDGETPDF_CORPUS, make corpus): its size on disk and the time Chromium
// takes to load it (navigation start to the load event).
func TestLargestReport(t *testing.T) {
	corpus := os.Getenv("BUDGETPDF_CORPUS")
	if corpus == "" {
		t.Skip("BUDGETPDF_CORPUS not set (make corpus sets it)")
	}
	exe := browser(t)
	file := filepath.Join(corpus, "shenzhen-ecology-environment-2026-budget.pdf")
	dir := t.TempDir()
	d := fixtureDoc(t, file, 1000)
	if err := d.Write(dir); err != nil {
		t.Fatal(err)
	}
	var size int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			size += fi.Size()
		}
		return nil
	})
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("no-first-run", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil { // start the browser first
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.Join(dir, "index.html"))); err != nil {
		t.Fatal(err)
	}
	ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.timing.loadEventEnd - performance.timing.navigationStart`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d pages, %d tables: report %.1f MB, loaded in %.0f ms", len(d.Pages), len(d.Tables), float64(size)/1e6, ms)
	if size > 20<<20 || ms > 3000 {
		t.Errorf("report %.1f MB, load %.0f ms: want under 20 MB and 3 s", float64(size)/1e6, ms)
	}
}
