package pipeline

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/budgetpdf/budgetpdf/fetch"
)

// inputLine renders an input in one line: name, url, source_url,
// fetched_at, metadata (sorted), origin, then its error or warnings.
func inputLine(in Input) string {
	var meta []string
	for _, k := range slices.Sorted(maps.Keys(in.Metadata)) {
		meta = append(meta, k+"="+in.Metadata[k])
	}
	at := ""
	if !in.FetchedAt.IsZero() {
		at = in.FetchedAt.Format("2006-01-02T15:04:05.999999Z07:00")
	}
	s := fmt.Sprintf("%s|%s|%s|%s|%s|%s", in.Name(), in.URL, in.SourceURL, at, strings.Join(meta, ","), in.Origin)
	if in.Err != nil {
		s += " ERR " + in.Err.Error()
	}
	for _, w := range in.Warnings {
		s += " WARN " + w
	}
	return s
}

// manifestCases are the manifests of TestReadManifest, named with their
// directory (crawl/), and the inputs read, one line each.
var manifestCases = []struct {
	name, manifest string
	want           []string // inputLine of each input; or the error, as "error: ..."
}{
	{"crawl/a.csv", "path,url,site,region,crawled_by,fetched_at\n" +
		"pdfs/a.pdf,https://www.bj.gov.cn/a.pdf,www.bj.gov.cn,北京市,crawler-7,2024-05-01T08:30:00+08:00\n" +
		"/data/b.pdf,,www.sh.gov.cn,上海市,crawler-7,\n" +
		",https://www.gz.gov.cn/c.pdf?id=3,www.gz.gov.cn,,,2024-05-02T01:02:03.1234567Z\n",
		[]string{
			"crawl/pdfs/a.pdf|https://www.bj.gov.cn/a.pdf|https://www.bj.gov.cn/a.pdf|2024-05-01T00:30:00Z|crawled_by=crawler-7,region=北京市,site=www.bj.gov.cn|crawl/a.csv:2",
			"/data/b.pdf||||crawled_by=crawler-7,region=上海市,site=www.sh.gov.cn|crawl/a.csv:3",
			"https://www.gz.gov.cn/c.pdf?id=3|https://www.gz.gov.cn/c.pdf?id=3|https://www.gz.gov.cn/c.pdf?id=3|2024-05-02T01:02:03.123456Z|site=www.gz.gov.cn|crawl/a.csv:4",
		}},
	{"crawl/b.csv", "\ufeff Path ,SOURCE_URL,note,\r\n" +
		"a.pdf,http://x.gov.cn/a,\"two,\nlines\",dropped\r\n" +
		"b.pdf,,,\r\n",
		[]string{
			"crawl/a.pdf||http://x.gov.cn/a||note=two,\nlines|crawl/b.csv:2",
			"crawl/b.pdf|||||crawl/b.csv:4",
		}},
	{"m.csv", "url,site\n" +
		"https://a.gov.cn/1.pdf,a,extra\n" +
		",a\n" +
		"ftp://a.gov.cn/2.pdf,a\n" +
		"https://a.gov.cn/3.pdf,\"open\n",
		[]string{
			"m.csv:2|||||m.csv:2 ERR m.csv:2: 3 fields, the header has 2",
			"m.csv:3|||||m.csv:3 ERR m.csv:3: neither path nor url",
			`m.csv:4|||||m.csv:4 ERR m.csv:4: url "ftp://a.gov.cn/2.pdf": not an http or https URL`,
			`m.csv:5|||||m.csv:5 ERR m.csv:5: extraneous or missing " in quoted-field`,
		}},
	// A quote left open takes the lines after it: they are read again.
	{"m.csv", "path,site\na.pdf,s1\nb.pdf,\"s2\nc.pdf,s3\nd.pdf,\"s\"\"4\"\n",
		[]string{
			"a.pdf||||site=s1|m.csv:2",
			`m.csv:3|||||m.csv:3 ERR m.csv:3: extraneous or missing " in quoted-field`,
			"c.pdf||||site=s3|m.csv:4",
			`d.pdf||||site=s"4|m.csv:5`,
		}},
	// Two of them: each row after each is read.
	{"m.csv", "path,site\na.pdf,\"x\nb.pdf,s\nc.pdf,\"y\nd.pdf,t\n",
		[]string{
			`m.csv:2|||||m.csv:2 ERR m.csv:2: extraneous or missing " in quoted-field`,
			"b.pdf||||site=s|m.csv:3",
			`m.csv:4|||||m.csv:4 ERR m.csv:4: extraneous or missing " in quoted-field`,
			"d.pdf||||site=t|m.csv:5",
		}},
	{"m.csv", "path,fetched_at\na.pdf,yesterday\n",
		[]string{`a.pdf|||||m.csv:2 WARN m.csv:2: fetched_at "yesterday" is not an RFC 3339 time (2024-05-01T08:30:00+08:00): left out`}},
	{"m.csv", "file,site\na.pdf,x\n", []string{`error: m.csv:1: no "path" or "url" column in the header (file,site)`}},
	{"m.csv", "path,site,Site ,site\n", []string{`error: m.csv:1: column "site" twice`}},
	{"m.csv", " \n\t", []string{"error: m.csv: an empty manifest"}},
	{"m.csv", "path\n", nil},
	{"dir/m.jsonl", `{"path": "a.pdf", "site": "x", "n": 12, "ok": true, "tags": ["a", "b"], "geo": {"lat": 1.5}, "gone": null}` + "\n" +
		"\n" +
		`{"url": "https://a.gov.cn/b.pdf", "fetched_at": "2024-05-01T08:30:00Z", "SITE": "y"}` + "\n" +
		`[1, 2]` + "\n" +
		`{"path": "c.pdf"} {"path": "d.pdf"}` + "\n" +
		`{"path": "e.pdf",}` + "\n" +
		`null` + "\n" +
		`{"site": "z"}` + "\n",
		[]string{
			`dir/a.pdf||||geo={"lat":1.5},n=12,ok=true,site=x,tags=["a","b"]|dir/m.jsonl:1`,
			"https://a.gov.cn/b.pdf|https://a.gov.cn/b.pdf|https://a.gov.cn/b.pdf|2024-05-01T08:30:00Z|SITE=y|dir/m.jsonl:3",
			"dir/m.jsonl:4|||||dir/m.jsonl:4 ERR dir/m.jsonl:4: not a JSON object",
			"dir/m.jsonl:5|||||dir/m.jsonl:5 ERR dir/m.jsonl:5: not a JSON object: more after the object",
			"dir/m.jsonl:6|||||dir/m.jsonl:6 ERR dir/m.jsonl:6: not a JSON object: invalid character '}' looking for beginning of object key string",
			"dir/m.jsonl:7|||||dir/m.jsonl:7 ERR dir/m.jsonl:7: not a JSON object",
			"dir/m.jsonl:8|||||dir/m.jsonl:8 ERR dir/m.jsonl:8: neither path nor url",
		}},
}

// TestReadManifest reads CSV and JSON Lines manifests: paths relative to
// the manifest's directory, the recognized columns whatever their case,
// the others as metadata, and each row that does not read a failed input
// naming the manifest and line.
func TestReadManifest(t *testing.T) {
	for _, tc := range manifestCases {
		t.Run(tc.name+" "+strings.SplitN(tc.manifest, "\n", 2)[0], func(t *testing.T) {
			ins, err := ReadManifest(strings.NewReader(tc.manifest), tc.name)
			var got []string
			if err != nil {
				got = []string{"error: " + err.Error()}
			}
			for _, in := range ins {
				got = append(got, inputLine(in))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestMergeInputs: a file listed twice keeps the last row; with other
// columns, the row kept says so; a bare path adds nothing to a row, and
// bare paths given twice stay (copies, as Run records them).
func TestMergeInputs(t *testing.T) {
	row := func(line int, path, site string) Input {
		return Input{Path: path, Origin: fmt.Sprintf("m.csv:%d", line), Metadata: map[string]string{"site": site}}
	}
	ins := []Input{row(2, "a.pdf", "x"), row(3, "b.pdf", "y"), row(4, "a.pdf", "z"), row(5, "b.pdf", "y"), {Path: "a.pdf"}, {Path: "c.pdf"}, {Path: "c.pdf"}, row(6, "c.pdf", "w"), {Path: "d.pdf"}, {Path: "d.pdf"}}
	var got []string
	for _, in := range mergeInputs(ins) {
		got = append(got, inputLine(in))
	}
	want := []string{
		"a.pdf||||site=z|m.csv:4 WARN m.csv:4: a.pdf listed again, with other columns than at m.csv:2: this row kept",
		"b.pdf||||site=y|m.csv:5",
		"c.pdf||||site=w|m.csv:6",
		"d.pdf|||||",
		"d.pdf|||||",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// FuzzReadManifest: whatever a manifest holds, ReadManifest returns an
// error or inputs, never panics; each input is named, starts its Origin
// with the manifest's name, and either fails with an error naming its line
// or has a path or an http(s) URL, and metadata without the recognized
// columns or an empty value.
func FuzzReadManifest(f *testing.F) {
	for _, tc := range manifestCases {
		f.Add(tc.manifest)
	}
	f.Fuzz(func(t *testing.T, manifest string) {
		ins, err := ReadManifest(strings.NewReader(manifest), "m.csv")
		if err != nil {
			if ins != nil || !strings.HasPrefix(err.Error(), "m.csv") {
				t.Fatalf("error %v with %d inputs", err, len(ins))
			}
			return
		}
		for _, in := range ins {
			if in.Name() == "" || !strings.HasPrefix(in.Origin, "m.csv:") {
				t.Fatalf("input %q", inputLine(in))
			}
			if in.Err != nil {
				if !strings.HasPrefix(in.Err.Error(), in.Origin+": ") || strings.ContainsAny(in.Origin, "\n") {
					t.Fatalf("error %q of %s", in.Err, in.Origin)
				}
				continue
			}
			if in.Path == "" && fetch.CheckURL(in.URL) != nil {
				t.Fatalf("neither a path nor a URL: %q", inputLine(in))
			}
			for k, v := range in.Metadata {
				if v == "" || k == "" || k == columnPath || k == columnURL || k == columnSourceURL || k == columnFetchedAt {
					t.Fatalf("metadata %q=%q", k, v)
				}
			}
		}
	})
}

// TestReadManifestLongLine: a JSON Lines row over maxManifestLine is a
// failed input, and the rows after it are read.
func TestReadManifestLongLine(t *testing.T) {
	long := `{"path": "a.pdf", "note": "` + strings.Repeat("x", maxManifestLine) + `"}`
	manifest := "{\"path\": \"first.pdf\"}\n" + long + "\n{\"path\": \"last.pdf\"}"
	ins, err := ReadManifest(strings.NewReader(manifest), "m.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range ins {
		got = append(got, inputLine(in))
	}
	want := []string{"first.pdf|||||m.jsonl:1", "m.jsonl:2|||||m.jsonl:2 ERR m.jsonl:2: a line of over 16 MiB", "last.pdf|||||m.jsonl:3"}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
