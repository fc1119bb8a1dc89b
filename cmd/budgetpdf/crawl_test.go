package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/budgetpdf/budgetpdf/schema"
)

// keyHeadings are the headings of a sheet's row key columns (package
// workbook).
var keyHeadings = []string{"编码", "名称", "编码2", "名称2"}

// headerRow is the first header row of a table's sheet, under the title
// block (package workbook).
const headerRow = 4

// sheetsOf maps a workbook's tables to their sheets, from its first sheet,
// 概况: the table list's 序号 (table index + 1) and 工作表 columns.
func sheetsOf(t *testing.T, f *excelize.File) map[int32]string {
	t.Helper()
	rows, err := f.GetRows("概况")
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[int32]string)
	list := false
	for _, r := range rows {
		if len(r) >= 2 && r[0] == "序号" && r[1] == "工作表" {
			list = true
			continue
		}
		var i int32
		if list && len(r) >= 2 {
			if _, err := fmt.Sscan(r[0], &i); err == nil {
				out[i-1] = r[1]
			}
		}
	}
	return out
}

// firstBodyRow is the first body row of a table's sheet: the one after
// the hidden row of measures under the header.
func firstBodyRow(t *testing.T, f *excelize.File, sheet string) int {
	t.Helper()
	for r := headerRow; r < headerRow+20; r++ {
		if visible, err := f.GetRowVisible(sheet, r); err == nil && !visible {
			return r + 1
		}
	}
	t.Fatalf("%s: no hidden row of measures", sheet)
	return 0
}

// checkWorkbookAmounts checks a document's workbook against its cells in
// the dataset: every amount is stored in its cell of its table's sheet
// (the row key columns, then the printed columns; the body rows in
// printed order) exactly, as a decimal, and a sheet stores no other
// number in its body. It returns the number of amounts compared.
func checkWorkbookAmounts(t *testing.T, path string, cells []schema.Cell) int {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := sheetsOf(t, f)
	byTable := make(map[int32][]schema.Cell)
	for _, c := range cells {
		if c.Amount != nil {
			byTable[c.TableIndex] = append(byTable[c.TableIndex], c)
		}
	}
	n := 0
	for ti, cs := range byTable {
		sheet, ok := sheets[ti]
		if !ok {
			t.Errorf("%s: table %d has no sheet (%v)", path, ti, sheets)
			continue
		}
		first := firstBodyRow(t, f, sheet)
		keys := 0
		for keys < len(keyHeadings) {
			if v, _ := f.GetCellValue(sheet, cellName(keys+1, headerRow)); !slices.Contains(keyHeadings, v) {
				break
			}
			keys++
		}
		stored := func(c schema.Cell, keys int) (string, string) {
			name := cellName(keys+int(c.ColumnIndex)+1, first+int(c.RowIndex))
			v, _ := f.GetCellValue(sheet, name, excelize.Options{RawCellValue: true})
			return name, v
		}
		// (a printed column headed 编码 or 名称 is not a key column: the
		// key columns are those at which the amounts are)
		for ; keys > 0; keys-- {
			if _, v := stored(cs[0], keys); equalDecimal(v, *cs[0].Amount) {
				break
			}
		}
		numbers := 0
		for _, c := range cs {
			name, v := stored(c, keys)
			if !equalDecimal(v, *c.Amount) {
				t.Errorf("%s: %s!%s: stored %q, the dataset's amount (row %d, column %d %s) is %s", filepath.Base(path), sheet, name, v, c.RowIndex, c.ColumnIndex, c.ColumnPath, c.Amount)
			}
			n++
		}
		rows, _ := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		for r := first - 1; r < len(rows); r++ {
			for col := range rows[r] {
				name := cellName(col+1, r+1)
				if typ, _ := f.GetCellType(sheet, name); rows[r][col] != "" && typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
					numbers++
				}
			}
		}
		if numbers != len(cs) {
			t.Errorf("%s: %s: %d numbers in the body, %d amounts in the dataset", filepath.Base(path), sheet, numbers, len(cs))
		}
	}
	return n
}

func cellName(col, row int) string {
	s, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err)
	}
	return s
}

// equalDecimal reports whether a stored value is d, exactly.
func equalDecimal(stored string, d decimal.Decimal) bool {
	v, err := decimal.NewFromString(stored)
	return err == nil && v.Equal(d)
}

// TestRunWorkbooks: budgetpdf run -format parquet,xlsx over the fixtures
// writes a workbook for every document read (none for a failed one) into
// the dataset's xlsx/, committed with its batch; each, read back with
// excelize, stores every amount of the dataset's cells exactly where its
// table's sheet prints it, and no other number.
func TestRunWorkbooks(t *testing.T) {
	out := t.TempDir()
	files, _ := filepath.Glob("../../fixtures/*.pdf")
	files = append(files, "../../extract/testdata/broken/truncated.pdf")
	code, stdout, stderr := runCLI(append([]string{"run", "-quiet", "-format", "parquet,xlsx", "-workers", "2", "-o", out}, files...)...)
	if code != 1 { // (truncated.pdf fails)
		t.Fatalf("exit %d: %s", code, stderr)
	}
	docs, err := schema.ReadDataset[schema.Document](out)
	if err != nil {
		t.Fatal(err)
	}
	cells, err := schema.ReadDataset[schema.Cell](out)
	if err != nil {
		t.Fatal(err)
	}
	books, err := schema.Workbooks(out)
	if err != nil {
		t.Fatal(err)
	}
	byDoc := make(map[string][]schema.Cell)
	amounts := 0
	for _, c := range cells {
		byDoc[c.DocumentID] = append(byDoc[c.DocumentID], c)
		if c.Amount != nil {
			amounts++
		}
	}
	compared := 0
	for _, d := range docs {
		path, ok := books[d.DocumentID]
		if want := d.Status != schema.StatusFailed; ok != want {
			t.Errorf("%s (%s): workbook %v, want %v", d.SourceFile, d.Status, ok, want)
			continue
		}
		if ok {
			if path != filepath.Join(out, "xlsx", d.DocumentID+".xlsx") {
				t.Errorf("%s: workbook at %s", d.SourceFile, path)
			}
			compared += checkWorkbookAmounts(t, path, byDoc[d.DocumentID])
		}
	}
	if compared != amounts || compared == 0 || len(books) != len(docs)-1 {
		t.Errorf("%d amounts compared of %d in the dataset, %d workbooks for %d documents", compared, amounts, len(books), len(docs))
	}
	if !strings.Contains(stdout, fmt.Sprintf("workbooks: %d written to %s\n", len(books), filepath.Join(out, "xlsx"))) {
		t.Errorf("summary: %s", stdout)
	}
	t.Logf("%d workbooks, %d amounts compared", len(books), compared)
}

// TestRunManifestCLI: budgetpdf run -manifest over a crawl's CSV with
// three metadata columns: each document keeps its row's columns; a row
// whose file is missing is a failed document naming the manifest's line,
// and the run goes on; a manifest that cannot be read is a usage error.
func TestRunManifestCLI(t *testing.T) {
	crawl, out := t.TempDir(), t.TempDir()
	for _, f := range []string{"seed-yindu-hrss-2024-ruled.pdf", "xian-sasac-2022-budget-p36.pdf"} {
		data, err := os.ReadFile(filepath.Join("../../fixtures", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(crawl, f), data, 0o644)
	}
	manifest := filepath.Join(crawl, "crawl.csv")
	os.WriteFile(manifest, []byte("path,site,region,crawled_by\n"+
		"seed-yindu-hrss-2024-ruled.pdf,www.anyang.gov.cn,河南省安阳市,crawler-a\n"+
		"xian-sasac-2022-budget-p36.pdf,gzw.xa.gov.cn,陕西省西安市,crawler-b\n"+
		"gone.pdf,gzw.xa.gov.cn,陕西省西安市,crawler-b\n"), 0o644)
	code, stdout, stderr := runCLI("run", "-log-format", "json", "-o", out, "-manifest", manifest)
	if code != 1 || !strings.Contains(stdout, "3 documents (2 ok, 0 partial, 1 failed") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	var got []string
	for _, d := range readSet(t, out, "documents") {
		got = append(got, fmt.Sprintf("%s %s %v %q", filepath.Base(d["source_file"].(string)), d["status"], d["metadata"], d["error"]))
	}
	slices.Sort(got)
	want := []string{
		fmt.Sprintf("gone.pdf failed map[crawled_by:crawler-b region:陕西省西安市 site:gzw.xa.gov.cn] %q", manifest+":4: open "+filepath.Join(crawl, "gone.pdf")+": no such file or directory"),
		`seed-yindu-hrss-2024-ruled.pdf ok map[crawled_by:crawler-a region:河南省安阳市 site:www.anyang.gov.cn] ""`,
		`xian-sasac-2022-budget-p36.pdf ok map[crawled_by:crawler-b region:陕西省西安市 site:gzw.xa.gov.cn] ""`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("documents:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, tc := range []struct{ manifest, err string }{
		{filepath.Join(crawl, "nosuch.csv"), "budgetpdf run: usage: -manifest: open " + filepath.Join(crawl, "nosuch.csv") + ": no such file or directory\n"},
		{filepath.Join("testdata", "no-path-column.csv"), "budgetpdf run: usage: -manifest: testdata/no-path-column.csv:1: no \"path\" or \"url\" column in the header (file,site)\n"},
	} {
		if code, _, stderr := runCLI("run", "-o", out, "-manifest", tc.manifest); code != 2 || stderr != tc.err {
			t.Errorf("-manifest %s: exit %d, %q; want 2, %q", tc.manifest, code, stderr, tc.err)
		}
	}
}

// urlServer serves files by name, with an ETag each (a 304 to
// If-None-Match), counting the full downloads of each.
type urlServer struct {
	*httptest.Server
	files map[string][]byte // by URL path
	mu    sync.Mutex
	full  map[string]int // 200 answers, by path
	body  int            // body bytes sent
}

func newURLServer(t *testing.T, files []string) *urlServer {
	s := &urlServer{files: make(map[string][]byte), full: make(map[string]int)}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s.files["/"+filepath.Base(f)] = data
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, ok := s.files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		etag := fmt.Sprintf(`"%d"`, len(data))
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		n, _ := w.Write(data)
		s.mu.Lock()
		s.full[r.URL.Path]++
		s.body += n
		s.mu.Unlock()
	}))
	t.Cleanup(s.Close)
	return s
}

// fetchedAt matches the time of a download in a JSON record.
var fetchedAt = regexp.MustCompile(`"fetched_at":"[^"]+"`)

// TestRunURLKilled kills a run over URLs with SIGKILL once some batches
// are committed: the next run downloads again only what the killed one
// did not commit (the server answers 304 to the rest: no body), and the
// dataset is then the one of an uninterrupted run, the times of the
// downloads aside. A third run downloads nothing.
func TestRunURLKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	_, files := distinctCopies(t, 1)
	s := newURLServer(t, files)
	var urls []string
	for _, f := range files {
		urls = append(urls, s.URL+"/"+filepath.Base(f))
	}
	whole, killed := t.TempDir(), t.TempDir()
	if code, _, stderr := runCLI(append([]string{"run", "-quiet", "-o", whole}, urls...)...); code != 0 {
		t.Fatalf("uninterrupted run: %s", stderr)
	}
	s.mu.Lock()
	clear(s.full)
	s.body = 0
	s.mu.Unlock()

	cmd, stderr, _ := signalRun(t, bin, killed, urls, 3, syscall.SIGKILL)
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the run ended before it was killed: %s", stderr)
	}
	held, err := schema.FetchedURLs(killed) // (what the manifests hold: committed)
	if err != nil {
		t.Fatal(err)
	}
	if len(held) == 0 || len(held) == len(urls) {
		t.Fatalf("%d of %d documents committed by the killed run", len(held), len(urls))
	}
	code, stdout, stderr2 := runCLI(append([]string{"run", "-quiet", "-o", killed}, urls...)...)
	if code != 0 {
		t.Fatalf("the run after the kill: exit %d, %s", code, stderr2)
	}
	s.mu.Lock()
	for _, u := range urls {
		path := strings.TrimPrefix(u, s.URL)
		want := 2 // by the killed run, and by the next
		if _, ok := held[u]; ok {
			want = 1 // committed by the killed run: not again
		}
		if s.full[path] != want {
			t.Errorf("%s downloaded %d times, want %d", path, s.full[path], want)
		}
	}
	s.mu.Unlock()
	wantLine := fmt.Sprintf("URLs: %d downloaded", len(urls)-len(held))
	if !strings.Contains(stdout, wantLine) || !strings.Contains(stdout, fmt.Sprintf(" %d not modified since the dataset's copy, 0 failed", len(held))) {
		t.Errorf("the run after the kill: %s; want %q", stdout, wantLine)
	}
	a := fetchedAt.ReplaceAllString(sortedRecords(t, whole), `"fetched_at":"T"`)
	b := fetchedAt.ReplaceAllString(sortedRecords(t, killed), `"fetched_at":"T"`)
	if a != b {
		t.Errorf("after the kill and a re-run, the dataset differs from an uninterrupted run")
	}
	s.mu.Lock()
	s.body = 0
	s.mu.Unlock()
	if code, stdout, _ := runCLI(append([]string{"run", "-quiet", "-o", killed}, urls...)...); code != 0 || s.body != 0 ||
		!strings.Contains(stdout, fmt.Sprintf("URLs: 0 downloaded (0 bytes), %d not modified", len(urls))) {
		t.Errorf("a third run: exit %d, %d body bytes downloaded: %s", code, s.body, stdout)
	}
	line, _, _ := strings.Cut(stdout[strings.Index(stdout, "URLs: "):], "\n")
	t.Logf("killed after %d of %d documents; the next run: %s", len(held), len(urls), line)
	if left, _ := filepath.Glob(filepath.Join(killed, ".downloads", "*")); len(left) > 0 {
		t.Errorf("downloads left behind: %q", left)
	}
}
