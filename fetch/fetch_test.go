package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// pdfBytes is a fixture PDF, served as the good file.
func pdfBytes(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("../fixtures/xian-sasac-2022-budget-p36.pdf")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// modTime is the Last-Modified of the files served.
var modTime = time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)

// server serves the cases of the tests and counts, by path, the requests
// and the body bytes sent.
type server struct {
	*httptest.Server
	pdf      []byte
	mu       sync.Mutex
	requests map[string]int
	sent     map[string]int
}

func newServer(t *testing.T) *server {
	s := &server{pdf: pdfBytes(t), requests: map[string]int{}, sent: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// counted is a ResponseWriter that counts the body bytes written.
type counted struct {
	http.ResponseWriter
	n *int
}

func (c counted) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	*c.n += n
	return n, err
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests[r.URL.Path]++
	n := s.requests[r.URL.Path]
	sent := new(int)
	defer func() { s.mu.Lock(); s.sent[r.URL.Path] += *sent; s.mu.Unlock() }()
	s.mu.Unlock()
	w = counted{w, sent}
	switch r.URL.Path {
	case "/a.pdf": // ETag and Last-Modified: 304 to a conditional request
		w.Header().Set("ETag", `"a-1"`)
		http.ServeContent(w, r, "a.pdf", modTime, bytes.NewReader(s.pdf))
	case "/junk-before.pdf":
		w.Write(append([]byte("\r\n\r\n<!-- x -->\n"), s.pdf...))
	case "/missing.pdf": // a site's "not found" page, status 200
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!DOCTYPE html><html><body>页面不存在</body></html>"))
	case "/untyped.pdf":
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write([]byte("\ufeff  <html><body>error</body></html>"))
	case "/image.pdf":
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n0000000000000000"))
	case "/empty.pdf":
	case "/slow.pdf": // headers after the client's timeout
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	case "/slow-body.pdf": // a body that stops half way
		w.Header().Set("Content-Length", fmt.Sprint(len(s.pdf)))
		w.Write(s.pdf[:len(s.pdf)/2])
		w.(counted).ResponseWriter.(http.Flusher).Flush()
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	case "/busy.pdf": // 503 twice, then the file
		if n <= 2 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Write(s.pdf)
	case "/down.pdf":
		http.Error(w, "down", http.StatusBadGateway)
	case "/reset.pdf": // the connection reset on the first request
		if n == 1 {
			reset(w)
			return
		}
		w.Write(s.pdf)
	case "/cut.pdf": // the body cut after its first bytes on the first request
		if n == 1 {
			w.Header().Set("Content-Length", fmt.Sprint(len(s.pdf)))
			w.Write(s.pdf[:100])
			w.(counted).ResponseWriter.(http.Flusher).Flush()
			reset(w)
			return
		}
		w.Write(s.pdf)
	case "/cut-early.pdf": // chunked, cut within its first bytes (a clean close) on the first request
		if n == 1 {
			conn, bw, err := w.(counted).ResponseWriter.(http.Hijacker).Hijack()
			if err != nil {
				panic(err)
			}
			fmt.Fprintf(bw, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n%s\r\n", s.pdf[:3])
			bw.Flush()
			conn.Close()
			return
		}
		w.Write(s.pdf)
	case "/old.pdf":
		http.Redirect(w, r, "/files/new.pdf", http.StatusFound)
	case "/files/new.pdf":
		w.Write(s.pdf)
	case "/chunked.pdf": // no Content-Length
		w.Write(s.pdf[:1000])
		w.(counted).ResponseWriter.(http.Flusher).Flush()
		w.Write(s.pdf[1000:])
	default:
		http.NotFound(w, r)
	}
}

// reset closes the request's connection with a TCP reset.
func reset(w http.ResponseWriter) {
	conn, _, err := w.(counted).ResponseWriter.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	conn.(*net.TCPConn).SetLinger(0)
	conn.Close()
}

// TestGet: each case of a crawl's downloads, with its result or its error
// exactly, the requests made, and nothing but the file downloaded left in
// the directory.
func TestGet(t *testing.T) {
	s := newServer(t)
	opts := &Options{Timeout: 300 * time.Millisecond, Backoff: time.Millisecond, Attempts: 3}
	size := int64(len(s.pdf))
	tests := []struct {
		name     string
		path     string
		prior    Prior
		opts     *Options
		want     string // the result: "final=<path> size=N etag=E modified=M attempts=N", or "not modified ..."
		err      string // the error's text after "url <URL>: "
		is       error
		requests int
	}{
		{name: "good", path: "/a.pdf",
			want: fmt.Sprintf(`final=/a.pdf size=%d etag="a-1" modified=Wed, 01 May 2024 08:00:00 GMT attempts=1`, size), requests: 1},
		{name: "not modified by etag", path: "/a.pdf", prior: Prior{ETag: `"a-1"`},
			want: `not modified etag="a-1" modified= attempts=1`, requests: 1},
		{name: "not modified by date", path: "/a.pdf", prior: Prior{LastModified: "Wed, 01 May 2024 08:00:00 GMT"},
			want: `not modified etag="a-1" modified=Wed, 01 May 2024 08:00:00 GMT attempts=1`, requests: 1},
		{name: "changed", path: "/a.pdf", prior: Prior{ETag: `"a-0"`},
			want: fmt.Sprintf(`final=/a.pdf size=%d etag="a-1" modified=Wed, 01 May 2024 08:00:00 GMT attempts=1`, size), requests: 1},
		{name: "junk before the header", path: "/junk-before.pdf",
			want: fmt.Sprintf(`final=/junk-before.pdf size=%d etag= modified= attempts=1`, size+15), requests: 1},
		{name: "html page with 200", path: "/missing.pdf", err: "the server sent an HTML page, not a PDF", is: ErrNotPDF, requests: 1},
		{name: "html page untyped", path: "/untyped.pdf", err: "the server sent an HTML page, not a PDF", is: ErrNotPDF, requests: 1},
		{name: "image", path: "/image.pdf", err: `the server sent a body of type image/png starting "\x89PNG\r\n\x1a\n00000000", not a PDF`, is: ErrNotPDF, requests: 1},
		{name: "empty", path: "/empty.pdf", err: "the server sent an empty body, not a PDF", is: ErrNotPDF, requests: 1},
		{name: "slow", path: "/slow.pdf", err: "timed out: gave up after 300ms (-fetch-timeout)", is: ErrTimeout, requests: 1},
		{name: "slow body", path: "/slow-body.pdf", err: "timed out: gave up after 300ms (-fetch-timeout)", is: ErrTimeout, requests: 1},
		{name: "503 then success", path: "/busy.pdf",
			want: fmt.Sprintf(`final=/busy.pdf size=%d etag= modified= attempts=3`, size), requests: 3},
		{name: "5xx to the end", path: "/down.pdf", err: "the server answered 502 Bad Gateway (3 attempts)", is: ErrStatus, requests: 3},
		{name: "reset then success", path: "/reset.pdf",
			want: fmt.Sprintf(`final=/reset.pdf size=%d etag= modified= attempts=2`, size), requests: 2},
		{name: "cut then success", path: "/cut.pdf",
			want: fmt.Sprintf(`final=/cut.pdf size=%d etag= modified= attempts=2`, size), requests: 2},
		{name: "cut within its first bytes then success", path: "/cut-early.pdf",
			want: fmt.Sprintf(`final=/cut-early.pdf size=%d etag= modified= attempts=2`, size), requests: 2},
		{name: "redirect", path: "/old.pdf",
			want: fmt.Sprintf(`final=/files/new.pdf size=%d etag= modified= attempts=1`, size), requests: 1},
		{name: "not found", path: "/nosuch.pdf", err: "the server answered 404 Not Found", is: ErrStatus, requests: 1},
		{name: "too large, announced", path: "/a.pdf", opts: &Options{MaxSize: 1 << 10},
			err: fmt.Sprintf("over the size limit: %d bytes, over the limit of 0 MiB (-max-size)", size), is: ErrTooLarge, requests: 1},
		{name: "too large, chunked", path: "/chunked.pdf", opts: &Options{MaxSize: 2 << 10},
			err: "over the size limit: over 2048 bytes, the limit of 0 MiB (-max-size)", is: ErrTooLarge, requests: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.mu.Lock()
			before, sentBefore := s.requests[tt.path], s.sent[tt.path]
			s.mu.Unlock()
			dir := t.TempDir()
			o := opts
			if tt.opts != nil {
				o = tt.opts
			}
			start := time.Now()
			res, err := Get(context.Background(), s.URL+tt.path, dir, "1.pdf", tt.prior, o)
			s.mu.Lock()
			requests, sent := s.requests[tt.path]-before, s.sent[tt.path]-sentBefore
			s.mu.Unlock()
			if requests != tt.requests {
				t.Errorf("%d requests, want %d", requests, tt.requests)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*"))
			hidden, _ := filepath.Glob(filepath.Join(dir, ".*"))
			if tt.err != "" {
				want := "url " + s.URL + tt.path + ": " + tt.err
				if err == nil || err.Error() != want || !errors.Is(err, tt.is) {
					t.Errorf("error %v\nwant %s (%v)", err, want, tt.is)
				}
				if len(files)+len(hidden) > 0 {
					t.Errorf("left behind: %q %q", files, hidden)
				}
				if time.Since(start) > 3*time.Second {
					t.Errorf("took %v", time.Since(start))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(s.URL, res); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if res.NotModified {
				if len(files)+len(hidden) > 0 || res.Path != "" || sent != 0 {
					t.Errorf("a 304 left %q %q, path %q; the server sent %d body bytes", files, hidden, res.Path, sent)
				}
				return
			}
			data, err := os.ReadFile(res.Path)
			if err != nil || !bytes.HasSuffix(data, s.pdf) || int64(len(data)) != res.Size || res.Path != filepath.Join(dir, "1.pdf") {
				t.Errorf("file %s: %d bytes, %v", res.Path, len(data), err)
			}
			if len(files) != 1 || len(hidden) != 0 {
				t.Errorf("files %q %q, want the download only", files, hidden)
			}
		})
	}
}

// describe is a result in one line, the server's address left out.
func describe(base string, r *Result) string {
	if r.NotModified {
		return fmt.Sprintf("not modified etag=%s modified=%s attempts=%d", r.ETag, r.LastModified, r.Attempts)
	}
	return fmt.Sprintf("final=%s size=%d etag=%s modified=%s attempts=%d", strings.TrimPrefix(r.FinalURL, base), r.Size, r.ETag, r.LastModified, r.Attempts)
}

// TestGetBadURL: what is not an http or https URL is refused unasked.
func TestGetBadURL(t *testing.T) {
	for _, u := range []string{"ftp://example.gov.cn/a.pdf", "https://", "a.pdf", "http://%zz/a.pdf"} {
		_, err := Get(context.Background(), u, t.TempDir(), "1.pdf", Prior{}, nil)
		if want := "url " + u + ": not an http or https URL"; err == nil || err.Error() != want || !errors.Is(err, ErrURL) {
			t.Errorf("%q: %v, want %s", u, err, want)
		}
	}
}

// TestGetCancelled: a context done during the backoff ends Get with its
// cause, without the attempts left.
func TestGetCancelled(t *testing.T) {
	s := newServer(t)
	ctx, cancel := context.WithCancelCause(context.Background())
	stop := errors.New("stopped")
	time.AfterFunc(100*time.Millisecond, func() { cancel(stop) })
	_, err := Get(ctx, s.URL+"/down.pdf", t.TempDir(), "1.pdf", Prior{}, &Options{Backoff: time.Hour})
	if !errors.Is(err, stop) || !strings.HasPrefix(err.Error(), "url "+s.URL+"/down.pdf: stopped") {
		t.Errorf("%v", err)
	}
}
