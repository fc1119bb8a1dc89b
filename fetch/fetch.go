package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Options control Get. A nil *Options means the defaults given on each
// field; Get never changes the caller's struct.
type Options struct {
	// Timeout bounds one attempt, from the request to the last byte of
	// the body. Default 1 minute.
	Timeout time.Duration
	// MaxSize is the largest body downloaded, in bytes. Default 1 GiB.
	MaxSize int64
	// Attempts is how many requests Get makes of a URL at most, while the
	// server answers 5xx or the connection is reset or cut short.
	// Default 4.
	Attempts int
	// Backoff is the wait before the second attempt; each next waits
	// twice as long. Default 1 second.
	Backoff time.Duration
	// Client makes the requests. Default: a client of net/http's default
	// transport, which follows up to 10 redirects.
	Client *http.Client
	// UserAgent is the User-Agent header. Default "budgetpdf".
	UserAgent string
}

// Defaults of Options.
const (
	defaultTimeout   = time.Minute
	defaultMaxSize   = 1 << 30
	defaultAttempts  = 4
	defaultBackoff   = time.Second
	defaultUserAgent = "budgetpdf"
)

// pdfWindow is how far into a body its "%PDF-" header may lie, in bytes:
// PDF readers (Acrobat, and PDF 32000-1's implementation notes) accept a
// header within the first 1,024 bytes, after junk a server or a tool put
// before it.
const pdfWindow = 1024

func (o *Options) withDefaults() Options {
	var v Options
	if o != nil {
		v = *o
	}
	if v.Timeout <= 0 {
		v.Timeout = defaultTimeout
	}
	if v.MaxSize <= 0 {
		v.MaxSize = defaultMaxSize
	}
	if v.Attempts <= 0 {
		v.Attempts = defaultAttempts
	}
	if v.Backoff <= 0 {
		v.Backoff = defaultBackoff
	}
	if v.Client == nil {
		v.Client = &http.Client{}
	}
	if v.UserAgent == "" {
		v.UserAgent = defaultUserAgent
	}
	return v
}

// Prior is what a dataset already holds from a URL: the validators its
// last download got ("" when none).
type Prior struct {
	ETag         string // sent as If-None-Match
	LastModified string // sent as If-Modified-Since
}

// Result is one URL fetched.
type Result struct {
	URL      string // the URL asked for
	FinalURL string // the URL the answer came from, after redirects
	// NotModified reports a 304 Not Modified to a conditional request:
	// the dataset's copy is current, nothing was downloaded.
	NotModified bool
	Path        string // the file downloaded; "" when NotModified
	Size        int64  // its size in bytes
	// ETag and LastModified are the answer's headers (Prior's for a 304
	// without them).
	ETag, LastModified string
	FetchedAt          time.Time // when the answer came, UTC
	Attempts           int       // requests made
}

// Get fetches rawURL into the file name of dir (created under a temporary
// name, renamed to name once the body is complete and checked), sending
// prior's validators. It tries again on a 5xx answer and on a connection
// reset or cut short, up to opts.Attempts requests. The error, an *Error,
// names the URL; no file is left behind with it. When ctx is done, Get
// returns context.Cause(ctx) within its *Error.
func Get(ctx context.Context, rawURL, dir, name string, prior Prior, opts *Options) (*Result, error) {
	o := opts.withDefaults()
	if err := CheckURL(rawURL); err != nil {
		return nil, &Error{URL: rawURL, Err: err}
	}
	wait := o.Backoff
	for attempt := 1; ; attempt++ {
		res, again, err := o.attempt(ctx, rawURL, filepath.Join(dir, name), prior)
		if err == nil {
			res.Attempts = attempt
			return res, nil
		}
		if !again || attempt >= o.Attempts {
			return nil, &Error{URL: rawURL, Attempts: attempt, Err: err}
		}
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return nil, &Error{URL: rawURL, Attempts: attempt, Err: context.Cause(ctx)}
		}
		wait *= 2
	}
}

// CheckURL returns ErrURL unless s is an absolute http or https URL with
// a host, as Get takes.
func CheckURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ErrURL
	}
	return nil
}

// attempt makes one request and saves its body to dest; again reports an
// error worth another attempt (a 5xx, a connection reset or cut short).
func (o *Options) attempt(ctx context.Context, rawURL, dest string, prior Prior) (res *Result, again bool, err error) {
	actx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, false, ErrURL
	}
	req.Header.Set("User-Agent", o.UserAgent)
	if prior.ETag != "" {
		req.Header.Set("If-None-Match", prior.ETag)
	}
	if prior.LastModified != "" {
		req.Header.Set("If-Modified-Since", prior.LastModified)
	}
	resp, err := o.Client.Do(req)
	if err != nil {
		again, err := o.failed(ctx, actx, err)
		return nil, again, err
	}
	defer resp.Body.Close()
	res = &Result{URL: rawURL, FinalURL: resp.Request.URL.String(), FetchedAt: time.Now().UTC(),
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		res.NotModified = true
		if res.ETag == "" {
			res.ETag = prior.ETag
		}
		if res.LastModified == "" {
			res.LastModified = prior.LastModified
		}
		return res, false, nil
	case resp.StatusCode >= 500:
		return nil, true, fmt.Errorf("%w %s", ErrStatus, resp.Status)
	case resp.StatusCode != http.StatusOK:
		return nil, false, fmt.Errorf("%w %s", ErrStatus, resp.Status)
	case resp.ContentLength > o.MaxSize:
		return nil, false, o.tooLarge(resp.ContentLength)
	}
	if res.Size, err = o.save(resp, dest); err != nil {
		again, err := o.failed(ctx, actx, err)
		return nil, again, err
	}
	res.Path = dest
	return res, false, nil
}

// save writes the body of resp to dest, under a temporary name renamed
// when it is whole and starts as a PDF, and returns its size.
func (o *Options) save(resp *http.Response, dest string) (n int64, err error) {
	// (ReadAll takes the body's end for the head's, and returns any
	// other error: io.ReadFull would take a body cut short, which the
	// connection reports as io.ErrUnexpectedEOF, for a short one)
	head, err := io.ReadAll(io.LimitReader(resp.Body, pdfWindow))
	if err != nil {
		return 0, err
	}
	if !bytes.Contains(head, []byte("%PDF-")) {
		return 0, notPDF(resp.Header.Get("Content-Type"), head)
	}
	f, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.tmp")
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(head); err != nil {
		return 0, err
	}
	rest, err := io.Copy(f, io.LimitReader(resp.Body, o.MaxSize+1-int64(len(head))))
	if err != nil {
		return 0, err
	}
	if n = int64(len(head)) + rest; n > o.MaxSize {
		return 0, o.tooLarge(-1)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		// (a body cut short that the connection ended cleanly)
		return 0, fmt.Errorf("%w: %d of %d bytes", io.ErrUnexpectedEOF, n, resp.ContentLength)
	}
	if err = f.Close(); err != nil {
		return 0, err
	}
	return n, os.Rename(f.Name(), dest)
}

// tooLarge is ErrTooLarge, with the size the server announced (-1: none).
func (o *Options) tooLarge(size int64) error {
	if size >= 0 {
		return fmt.Errorf("%w: %d bytes, over the limit of %d MiB (-max-size)", ErrTooLarge, size, o.MaxSize>>20)
	}
	return fmt.Errorf("%w: over %d bytes, the limit of %d MiB (-max-size)", ErrTooLarge, o.MaxSize, o.MaxSize>>20)
}

// notPDF says what a body that is not a PDF is: an HTML page (by its
// Content-Type, or its first character "<"), else its type and first
// bytes.
func notPDF(contentType string, head []byte) error {
	media, _, _ := mime.ParseMediaType(contentType)
	text := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case media == "text/html" || media == "application/xhtml+xml" || bytes.HasPrefix(text, []byte("<")):
		return fmt.Errorf("the server sent an HTML page, %w", ErrNotPDF)
	case len(head) == 0:
		return fmt.Errorf("the server sent an empty body, %w", ErrNotPDF)
	}
	kind := "a body"
	if contentType != "" {
		kind = "a body of type " + contentType
	}
	return fmt.Errorf("the server sent %s starting %q, %w", kind, head[:min(len(head), 16)], ErrNotPDF)
}

// failed explains the error of a request or of a body's transfer (the
// attempt's timeout as ErrTimeout, ctx done as its cause), and reports
// whether it is worth another attempt: a connection reset or cut short.
func (o *Options) failed(ctx, actx context.Context, err error) (again bool, _ error) {
	switch {
	case ctx.Err() != nil:
		return false, context.Cause(ctx)
	case actx.Err() != nil:
		return false, fmt.Errorf("%w: gave up after %v (-fetch-timeout)", ErrTimeout, o.Timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // (the URL is said once, by Error)
	}
	return cutShort(err), err
}

// cutShort reports a connection reset or closed before the answer was
// whole: worth another attempt.
func cutShort(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}
