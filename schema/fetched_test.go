package schema

import (
	"fmt"
	"strings"
	"testing"
)

// TestFetchedURLs: the manifests keep the URL each document was
// downloaded from (not its source_url, the page a crawl found it on) with
// the validators of its download: the newest batch's document from a URL
// wins, a failed one is not held, and a compaction keeps them.
func TestFetchedURLs(t *testing.T) {
	dir := t.TempDir()
	doc := func(id, url, etag, status string) Document {
		d := docWithID(strings.Repeat(id, 64))
		d.ETag, d.LastModified, d.Status = etag, "Wed, 01 May 2024 08:00:00 GMT", status
		if url != "" {
			d.SourceFile, d.FinalURL, d.SourceURL = url, url, "https://x.gov.cn/list.html"
		}
		return d
	}
	batches := [][]Document{
		{doc("a", "https://x.gov.cn/a.pdf", `"a1"`, StatusOK), doc("b", "https://x.gov.cn/b.pdf", `"b1"`, StatusPartial)},
		{doc("c", "https://x.gov.cn/a.pdf", `"a2"`, StatusOK), doc("d", "https://x.gov.cn/d.pdf", "", StatusFailed), doc("e", "", "", StatusOK)},
	}
	for i, docs := range batches {
		if err := writeBatch(dir, fmt.Sprintf("r-%06d", i+1), Dataset{Documents: docs}); err != nil {
			t.Fatal(err)
		}
	}
	want := `https://x.gov.cn/a.pdf=cccc "a2" Wed, 01 May 2024 08:00:00 GMT; https://x.gov.cn/b.pdf=bbbb "b1" Wed, 01 May 2024 08:00:00 GMT`
	for _, when := range []string{"before compact", "after compact"} {
		got, err := FetchedURLs(dir)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, u := range []string{"https://x.gov.cn/a.pdf", "https://x.gov.cn/b.pdf"} {
			f := got[u]
			lines = append(lines, fmt.Sprintf("%s=%s %s %s", u, f.DocumentID[:4], f.ETag, f.LastModified))
		}
		if s := strings.Join(lines, "; "); s != want || len(got) != 2 {
			t.Errorf("%s: %d URLs: %s\nwant %s", when, len(got), s, want)
		}
		r, err := OpenRun(dir, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Compact(); err != nil {
			t.Fatal(err)
		}
		r.Close()
	}
}
