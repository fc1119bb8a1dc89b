package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/budgetpdf/budgetpdf/fetch"
	"github.com/budgetpdf/budgetpdf/schema"
	"github.com/budgetpdf/budgetpdf/workbook"
)

// crawlLine is a document record as one line: its file, status, error,
// crawl facts and warnings; fetched_at as "set" or "" (it is the time of
// the download), the run's address replaced by URL.
func crawlLine(d schema.Document, base string) string {
	var meta []string
	for _, k := range slices.Sorted(maps.Keys(d.Metadata)) {
		meta = append(meta, k+"="+d.Metadata[k])
	}
	at := ""
	if !d.FetchedAt.IsZero() {
		at = d.FetchedAt.Format(time.RFC3339Nano)
	}
	s := fmt.Sprintf("%s %s err=%q src=%s final=%s at=%s etag=%s modified=%s meta=%s warn=%q",
		d.SourceFile, d.Status, d.Error, d.SourceURL, d.FinalURL, at, d.ETag, d.LastModified, strings.Join(meta, ","), d.Warnings)
	if base != "" {
		s = strings.ReplaceAll(s, base, "URL")
	}
	return s
}

// datasetLines are the documents of a dataset directory as crawlLines,
// sorted.
func datasetLines(t *testing.T, dir, base string) []string {
	t.Helper()
	docs, err := schema.ReadDataset[schema.Document](dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range docs {
		out = append(out, crawlLine(d, base))
	}
	slices.Sort(out)
	return out
}

// regexpAt matches a time in a crawlLine.
var regexpAt = regexp.MustCompile(`at=\S+`)

// copyFixture copies a fixture into dir as name.
func copyFixture(t *testing.T, fixture, dir, name string) {
	t.Helper()
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRunManifest: a crawl manifest's rows become documents with their
// metadata, source_url and fetched_at; a file listed twice with other
// columns keeps the last row, and its document says so; a row whose file
// is missing and a row that does not read are failed documents naming
// the manifest's line; the run goes on. The JSON Lines hold the same.
func TestRunManifest(t *testing.T) {
	crawl := t.TempDir()
	copyFixture(t, ruled, crawl, "pdfs/seed.pdf")
	copyFixture(t, "../fixtures/xian-sasac-2022-budget-p36.pdf", crawl, "pdfs/xian.pdf")
	manifest := filepath.Join(crawl, "crawl.csv")
	os.WriteFile(manifest, []byte("path,url,fetched_at,site,region,crawled_by\n"+
		"pdfs/seed.pdf,http://www.anyang.gov.cn/seed.pdf,2024-05-01T08:30:00+08:00,www.anyang.gov.cn,河南省,crawler-1\n"+
		"pdfs/xian.pdf,,,xa.gov.cn,陕西省,crawler-1\n"+
		"pdfs/missing.pdf,,,xa.gov.cn,陕西省,crawler-1\n"+
		"pdfs/xian.pdf,,,xa.gov.cn,陕西省,crawler-2\n"+
		"\"pdfs/open.pdf,,,\n"), 0o644)
	inputs, err := ReadManifestFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sum, err := RunInputs(context.Background(), dir, inputs, &RunOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files != 4 || sum.Documents != 4 || sum.Status[schema.StatusOK] != 2 || sum.Status[schema.StatusFailed] != 2 {
		t.Errorf("summary %+v", sum)
	}
	missing := filepath.Join(crawl, "pdfs/missing.pdf")
	want := []string{
		crawl + "/crawl.csv:6 failed err=\"" + crawl + "/crawl.csv:6: extraneous or missing \\\" in quoted-field\" src= final= at= etag= modified= meta= warn=[]",
		missing + " failed err=\"" + crawl + "/crawl.csv:4: open " + missing + ": no such file or directory\" src= final= at= etag= modified= meta=crawled_by=crawler-1,region=陕西省,site=xa.gov.cn warn=[]",
		crawl + "/pdfs/seed.pdf ok err=\"\" src=http://www.anyang.gov.cn/seed.pdf final= at=2024-05-01T00:30:00Z etag= modified= meta=crawled_by=crawler-1,region=河南省,site=www.anyang.gov.cn warn=[]",
		crawl + "/pdfs/xian.pdf ok err=\"\" src= final= at= etag= modified= meta=crawled_by=crawler-2,region=陕西省,site=xa.gov.cn warn=[\"" +
			crawl + "/crawl.csv:5: " + crawl + "/pdfs/xian.pdf listed again, with other columns than at " + crawl + "/crawl.csv:3: this row kept\"]",
	}
	if got := datasetLines(t, dir, ""); !slices.Equal(got, want) {
		t.Errorf("documents:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	docs, _ := schema.ReadDataset[schema.Document](dir)
	for _, d := range docs {
		if d.SourceFile == missing && d.DocumentID != schema.PathID(missing) {
			t.Errorf("the missing file's id %s, want the id of its path", d.DocumentID)
		}
	}
	// The JSON Lines say the same: metadata an object, fetched_at RFC 3339.
	parts, _ := filepath.Glob(filepath.Join(dir, "jsonl", "documents", "*.jsonl"))
	data, _ := os.ReadFile(parts[0])
	if !bytes.Contains(data, []byte(`"source_url":"http://www.anyang.gov.cn/seed.pdf","final_url":"","fetched_at":"2024-05-01T00:30:00Z","etag":"","last_modified":"","metadata":{"crawled_by":"crawler-1","region":"河南省","site":"www.anyang.gov.cn"}}`)) {
		t.Errorf("documents.jsonl:\n%s", data)
	}
}

// crawlServer is a government site as a crawl meets it: fixtures served
// with ETag and Last-Modified (a 304 to a conditional request), an HTML
// page for a missing file (status 200), a slow file, a file busy once
// (503), and a moved file (a redirect). It counts the requests and the
// body bytes it sends, by path.
type crawlServer struct {
	*httptest.Server
	files    map[string][]byte
	mu       sync.Mutex
	requests map[string]int
	sent     map[string]int
}

func newCrawlServer(t *testing.T) *crawlServer {
	s := &crawlServer{files: map[string][]byte{}, requests: map[string]int{}, sent: map[string]int{}}
	for path, fixture := range map[string]string{
		"/a.pdf":         ruled,
		"/b.pdf":         "../fixtures/xian-sasac-2022-budget-p36.pdf",
		"/busy.pdf":      "../fixtures/jiangsu-npc-office-2019-budget-tables.pdf",
		"/files/new.pdf": "../fixtures/yantai-housing-construction-2026-budget-p2-3.pdf",
	} {
		data, err := os.ReadFile(fixture)
		if err != nil {
			t.Fatal(err)
		}
		s.files[path] = data
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// sentWriter counts the body bytes written.
type sentWriter struct {
	http.ResponseWriter
	n *int
}

func (w sentWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	*w.n += n
	return n, err
}

func (s *crawlServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests[r.URL.Path]++
	n := s.requests[r.URL.Path]
	s.mu.Unlock()
	sent := new(int)
	defer func() { s.mu.Lock(); s.sent[r.URL.Path] += *sent; s.mu.Unlock() }()
	w = sentWriter{w, sent}
	switch r.URL.Path {
	case "/missing.pdf":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><body>您访问的页面不存在</body></html>"))
		return
	case "/slow.pdf":
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
		return
	case "/busy.pdf":
		if n == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
	case "/old.pdf":
		http.Redirect(w, r, "/files/new.pdf", http.StatusMovedPermanently)
		return
	}
	data, ok := s.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", fmt.Sprintf(`"%x"`, len(data)))
	http.ServeContent(w, r, r.URL.Path, time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC), bytes.NewReader(data))
}

// counts are the requests made, and the body bytes sent of the files
// (the fixtures served), in all.
func (s *crawlServer) counts() (requests, sent int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for p := range s.requests {
		requests += s.requests[p]
		if s.files[p] != nil {
			sent += s.sent[p]
		}
	}
	return requests, sent
}

// TestRunURLs: URL inputs, given directly and in a manifest, downloaded
// by the run: good files read with their final URL, time and validators;
// an HTML page, a file over the timeout failed saying so; a file busy once
// read on the second attempt; a redirect recorded. A second run sends
// the validators: the server answers 304 for every file the dataset
// holds, which is neither downloaded (0 bytes of body) nor read, and
// only the failed URLs are fetched again. No download is left behind.
func TestRunURLs(t *testing.T) {
	s := newCrawlServer(t)
	manifest := filepath.Join(t.TempDir(), "crawl.jsonl")
	os.WriteFile(manifest, []byte(`{"url": "`+s.URL+`/b.pdf", "source_url": "http://b.gov.cn/list.html", "site": "b.gov.cn"}`+"\n"+
		`{"url": "`+s.URL+`/missing.pdf", "site": "b.gov.cn"}`+"\n"), 0o644)
	rows, err := ReadManifestFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	inputs := rows
	for _, p := range []string{"/a.pdf", "/slow.pdf", "/busy.pdf", "/old.pdf"} {
		inputs = append(inputs, Input{URL: s.URL + p})
	}
	slices.SortFunc(inputs, func(a, b Input) int { return strings.Compare(a.Name(), b.Name()) })
	dir := t.TempDir()
	opts := &RunOptions{Workers: 2, Formats: []string{schema.FormatParquet, schema.FormatXLSX},
		Fetch: &fetch.Options{Timeout: 500 * time.Millisecond, Backoff: time.Millisecond}}
	sum, err := RunInputs(context.Background(), dir, inputs, opts)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Downloaded != 4 || sum.DownloadsFailed != 2 || sum.NotModified != 0 || sum.Status[schema.StatusOK] != 4 || sum.Workbooks != 4 {
		t.Errorf("first run: %+v", sum)
	}
	size := func(p string) int { return len(s.files[p]) }
	etag := func(p string) string { return fmt.Sprintf(`"%x"`, size(p)) }
	const modified = "Wed, 01 May 2024 08:00:00 GMT"
	want := []string{
		"URL/a.pdf ok err=\"\" src=URL/a.pdf final=URL/a.pdf at=set etag=" + etag("/a.pdf") + " modified=" + modified + " meta= warn=[]",
		"URL/b.pdf ok err=\"\" src=http://b.gov.cn/list.html final=URL/b.pdf at=set etag=" + etag("/b.pdf") + " modified=" + modified + " meta=site=b.gov.cn warn=[]",
		"URL/busy.pdf ok err=\"\" src=URL/busy.pdf final=URL/busy.pdf at=set etag=" + etag("/busy.pdf") + " modified=" + modified + " meta= warn=[]",
		"URL/missing.pdf failed err=\"" + manifest + ":2: url URL/missing.pdf: the server sent an HTML page, not a PDF\" src=URL/missing.pdf final= at= etag= modified= meta=site=b.gov.cn warn=[]",
		"URL/old.pdf ok err=\"\" src=URL/old.pdf final=URL/files/new.pdf at=set etag=" + etag("/files/new.pdf") + " modified=" + modified + " meta= warn=[]",
		"URL/slow.pdf failed err=\"url URL/slow.pdf: timed out: gave up after 500ms (-fetch-timeout)\" src=URL/slow.pdf final= at= etag= modified= meta= warn=[]",
	}
	got := datasetLines(t, dir, s.URL)
	for i := range got { // (the time of each download: when the run ran)
		got[i] = regexpAt.ReplaceAllString(got[i], "at=set")
	}
	if !slices.Equal(got, want) {
		t.Errorf("documents:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The downloads read are the server's files: their workbooks are
	// those of the fixtures, and the downloads are gone.
	books, _ := schema.Workbooks(dir)
	res, _ := ReadDocument(context.Background(), ruled, nil)
	var b bytes.Buffer
	workbook.Write(&b, res.Normalized, res.NormalizedChecks, workbook.Source{File: s.URL + "/a.pdf", DocumentID: res.Document.DocumentID, Pages: int(res.Document.Pages), Status: "ok"})
	if data, err := os.ReadFile(books[res.Document.DocumentID]); err != nil || !bytes.Equal(data, b.Bytes()) || len(books) != 4 {
		t.Errorf("%d workbooks; a.pdf's is not the fixture's (%v)", len(books), err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".downloads", "*")); len(left) > 0 {
		t.Errorf("downloads left behind: %q", left)
	}

	requests, sent := s.counts()
	sum, err = RunInputs(context.Background(), dir, inputs, opts)
	if err != nil {
		t.Fatal(err)
	}
	requests2, sent2 := s.counts()
	// (the four files held are asked again, one of them through its
	// redirect, and the two failed URLs: 7 requests)
	if sum.NotModified != 4 || sum.Skipped != 4 || sum.Downloaded != 0 || sum.DownloadsFailed != 2 || sum.Documents != 2 {
		t.Errorf("second run: %+v", sum)
	}
	if requests2-requests != 7 || sent2 != sent {
		t.Errorf("second run: %d requests, %d body bytes of the files held; want 7 requests and 0 bytes", requests2-requests, sent2-sent)
	}
	t.Logf("first run: %d requests, %d body bytes of the files; second run: %d requests, %d body bytes of the files", requests, sent, requests2-requests, sent2-sent)
	if got2 := datasetLines(t, dir, s.URL); len(got2) != len(got) {
		t.Errorf("after the second run, %d documents", len(got2))
	}
}
