package fetch

import (
	"errors"
	"fmt"
)

// Sentinels wrapped by the errors of Get.
var (
	// ErrNotPDF means a body that does not start as a PDF: an HTML page
	// (a site's "not found" page sent with status 200) or anything else.
	ErrNotPDF = errors.New("not a PDF")
	// ErrTooLarge means a body over Options.MaxSize.
	ErrTooLarge = errors.New("over the size limit")
	// ErrTimeout means an attempt over Options.Timeout.
	ErrTimeout = errors.New("timed out")
	// ErrStatus means an answer with a status other than 200 or 304 (after
	// the attempts, for a 5xx).
	ErrStatus = errors.New("the server answered")
	// ErrURL means a URL that is not an absolute http or https URL.
	ErrURL = errors.New("not an http or https URL")
)

// Error is the error of one URL: what went wrong (Err, which wraps one of
// the sentinels or a network error) and how many requests were made.
type Error struct {
	URL      string // the URL asked for
	Attempts int    // requests made
	Err      error
}

func (e *Error) Error() string {
	if e.Attempts > 1 {
		return fmt.Sprintf("url %s: %v (%d attempts)", e.URL, e.Err, e.Attempts)
	}
	return fmt.Sprintf("url %s: %v", e.URL, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }
