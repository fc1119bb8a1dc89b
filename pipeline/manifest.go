package pipeline

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/budgetpdf/budgetpdf/fetch"
)

// A crawl manifest lists the files of a crawl, one per row, with what the
// crawl knows of each: CSV with a header row, or JSON Lines (an object per
// line). Its columns (or keys):
//
//   - path: a local file; a relative path is relative to the manifest's
//     directory;
//   - url: where the file comes from; downloaded when the row has no path
//     (a row needs a path or a url);
//   - source_url: where the file comes from, when it is not url;
//   - fetched_at: when the crawl fetched the file, RFC 3339
//     ("2024-05-01T08:30:00+08:00"); a value that does not read is left
//     out, with a warning on the document;
//   - any other column: kept per document in its metadata, by column name
//     (site, region, crawled_by, ...); an empty value is left out.
//
// The names of the four columns above are matched without regard to case
// or surrounding spaces; the others are kept as the header writes them
// (trimmed), and a column without a name is dropped. In JSON Lines a value
// that is not a string is kept as its JSON text (a number 12 is "12", an
// object its compact JSON), a null left out; blank lines are skipped.
//
// A row that does not read (fields beyond the header, a quote left open,
// a line that is not a JSON object, no path nor url, a url that is not
// http or https) is an input that fails (Input.Err), recorded as a failed
// document named by its manifest and line ("crawl.csv:7"); the run goes
// on. A manifest that cannot be read at all (no header, no path or url
// column, a column named twice) is ReadManifest's error.

// Recognized manifest columns.
const (
	columnPath      = "path"
	columnURL       = "url"
	columnSourceURL = "source_url"
	columnFetchedAt = "fetched_at"
)

// maxManifestLine bounds a line of a JSON Lines manifest, in bytes.
const maxManifestLine = 16 << 20

// ReadManifestFile reads the crawl manifest in the file name (see
// ReadManifest).
func ReadManifestFile(name string) ([]Input, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadManifest(f, name)
}

// ReadManifest reads a crawl manifest, named name, from r: JSON Lines when
// its first character (after a byte order mark and spaces) is "{", else
// CSV. It returns an input per row, in order, each with its Origin
// ("name:line"); a relative path is made relative to name's directory.
// A row that does not read is an input with Err; the error is about the
// manifest as a whole.
func ReadManifest(r io.Reader, name string) ([]Input, error) {
	br := bufio.NewReader(r)
	first, err := firstChar(br)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	m := manifestReader{name: name, base: filepath.Dir(name)}
	if first == '{' {
		return m.jsonLines(br)
	}
	return m.csv(br)
}

// firstChar returns the first byte of r that is not a byte order mark or
// a space, without consuming it.
func firstChar(br *bufio.Reader) (byte, error) {
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	for n := 1; ; n++ {
		b, err := br.Peek(n)
		if len(b) < n {
			if err == nil || errors.Is(err, io.EOF) || errors.Is(err, bufio.ErrBufferFull) {
				return 0, errors.New("an empty manifest")
			}
			return 0, err
		}
		if c := b[n-1]; !strings.ContainsRune(" \t\r\n", rune(c)) {
			return c, nil
		}
	}
}

// manifestReader reads the rows of one manifest.
type manifestReader struct {
	name string // the manifest, as named
	base string // its directory, for relative paths
}

// origin names a line of the manifest.
func (m *manifestReader) origin(line int) string { return fmt.Sprintf("%s:%d", m.name, line) }

// failed is the input of a row that does not read.
func (m *manifestReader) failed(line int, format string, args ...any) Input {
	origin := m.origin(line)
	return Input{Origin: origin, Err: fmt.Errorf("%s: %s", origin, fmt.Sprintf(format, args...))}
}

// csv reads a CSV manifest: the header, then a row per record. A quote
// left open takes the lines after it into its field, up to the next quote
// or the end: the row where it opens is a failed input, and the lines
// after that row are read again as rows of their own, so that one stray
// quote does not lose the rest of the crawl.
func (m *manifestReader) csv(r io.Reader) ([]Input, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.name, err)
	}
	newReader := func(b []byte) *csv.Reader {
		cr := csv.NewReader(bytes.NewReader(b))
		cr.FieldsPerRecord = -1
		return cr
	}
	cr, base, before := newReader(data), 0, 0 // cr reads data[base:], which starts at line before+1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: the header: %w", m.name, err)
	}
	keys, err := m.columns(header)
	if err != nil {
		return nil, err
	}
	var out []Input
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			start := before + pe.StartLine
			out = append(out, m.failed(start, "%v", pe.Err))
			if pe.Line > pe.StartLine {
				base += lineAfter(data[base:], pe.StartLine)
				cr, before = newReader(data[base:]), start
			}
			continue
		case err != nil:
			return nil, fmt.Errorf("%s: %w", m.name, err)
		}
		line, _ := cr.FieldPos(0)
		line += before
		if len(record) > len(keys) {
			out = append(out, m.failed(line, "%d fields, the header has %d", len(record), len(keys)))
			continue
		}
		fields := make(map[string]string, len(record))
		for i, v := range record {
			if keys[i] != "" {
				fields[keys[i]] = v
			}
		}
		out = append(out, m.row(line, fields))
	}
}

// lineAfter is the offset in data of the line after line n (1-based), or
// len(data) when there is none.
func lineAfter(data []byte, n int) int {
	at := 0
	for range n {
		i := bytes.IndexByte(data[at:], '\n')
		if i < 0 {
			return len(data)
		}
		at += i + 1
	}
	return at
}

// columns reads the header: the recognized columns by their names in
// lower case, the others trimmed; a column named twice is an error.
func (m *manifestReader) columns(header []string) ([]string, error) {
	keys := make([]string, len(header))
	for i, h := range header {
		keys[i] = columnKey(h)
		if keys[i] != "" && slices.Contains(keys[:i], keys[i]) {
			return nil, fmt.Errorf("%s:1: column %q twice", m.name, keys[i])
		}
	}
	if !slices.Contains(keys, columnPath) && !slices.Contains(keys, columnURL) {
		return nil, fmt.Errorf("%s:1: no %q or %q column in the header (%s)", m.name, columnPath, columnURL, strings.Join(header, ","))
	}
	return keys, nil
}

// columnKey is the key of a column or JSON key: a recognized one in lower
// case, another as written, trimmed.
func columnKey(h string) string {
	h = strings.TrimSpace(h)
	if k := strings.ToLower(h); slices.Contains(recognizedColumns, k) {
		return k
	}
	return h
}

// recognizedColumns are the columns a manifest row reads; the others are
// its metadata.
var recognizedColumns = []string{columnPath, columnURL, columnSourceURL, columnFetchedAt}

// jsonLines reads a JSON Lines manifest, an object per line.
func (m *manifestReader) jsonLines(r io.Reader) ([]Input, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var out []Input
	for line := 1; ; line++ {
		text, long, err := readLine(br, maxManifestLine)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s:%d: %w", m.name, line, err)
		}
		if long {
			out = append(out, m.failed(line, "a line of over %d MiB", maxManifestLine>>20))
			continue
		}
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			if err != nil { // (io.EOF)
				return out, nil
			}
			continue
		}
		if text[0] != '{' {
			out = append(out, m.failed(line, "not a JSON object"))
			continue
		}
		fields, err := jsonFields(text)
		if err != nil {
			out = append(out, m.failed(line, "not a JSON object: %v", err))
			continue
		}
		out = append(out, m.row(line, fields))
	}
}

// readLine reads a line of br, its end included; long when it is over
// max bytes (it is then read to its end, and dropped). io.EOF with the
// last line, whether or not it ends with a newline.
func readLine(br *bufio.Reader, max int) (line []byte, long bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !long && len(line)+len(chunk) > max {
			long, line = true, nil
		}
		if !long {
			line = append(line, chunk...)
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, long, err
		}
	}
}

// jsonFields reads one JSON object into its keys' values as text (see
// the manifest's format); a null is left out.
func jsonFields(line []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var obj map[string]json.RawMessage
	if err := dec.Decode(&obj); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("more after the object")
	}
	fields := make(map[string]string, len(obj))
	for k, raw := range obj {
		key := columnKey(k)
		if key == "" || string(raw) == "null" {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			var b bytes.Buffer
			json.Compact(&b, raw)
			s = b.String()
		}
		fields[key] = s
	}
	return fields, nil
}

// row is the input of a row that reads, from its fields by key.
func (m *manifestReader) row(line int, fields map[string]string) Input {
	path, rawURL := strings.TrimSpace(fields[columnPath]), strings.TrimSpace(fields[columnURL])
	in := Input{Origin: m.origin(line), URL: rawURL, SourceURL: cmp.Or(strings.TrimSpace(fields[columnSourceURL]), rawURL)}
	switch {
	case path == "" && rawURL == "":
		return m.failed(line, "neither %s nor %s", columnPath, columnURL)
	case path != "" && !filepath.IsAbs(path):
		in.Path = filepath.Join(m.base, path)
	case path != "":
		in.Path = path
	case fetch.CheckURL(rawURL) != nil:
		return m.failed(line, "url %q: not an http or https URL", rawURL)
	}
	if at := strings.TrimSpace(fields[columnFetchedAt]); at != "" {
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			in.Warnings = append(in.Warnings, fmt.Sprintf("%s: %s %q is not an RFC 3339 time (2024-05-01T08:30:00+08:00): left out", in.Origin, columnFetchedAt, at))
		} else {
			in.FetchedAt = t.UTC().Truncate(time.Microsecond)
		}
	}
	for k, v := range fields {
		if slices.Contains(recognizedColumns, k) {
			continue
		}
		if v != "" {
			if in.Metadata == nil {
				in.Metadata = make(map[string]string)
			}
			in.Metadata[k] = v
		}
	}
	return in
}
