package extract

import (
	"errors"
	"fmt"
)

// Sentinel errors. Errors returned by this package wrap one of these where the
// cause is known, so callers can classify a failure with errors.Is.
var (
	// ErrNotPDF means the input does not start with a PDF header: an empty
	// file, an image, HTML, or other bytes.
	ErrNotPDF = errors.New("not a PDF file")
	// ErrDamaged means the file claims to be a PDF but its structure (cross-
	// reference table, trailer, page tree) cannot be read: a truncated
	// download, a broken xref.
	ErrDamaged = errors.New("damaged PDF")
	// ErrPassword means the file is encrypted and the given password (by
	// default the empty user password) does not open it.
	ErrPassword = errors.New("PDF needs a password")
	// ErrEncryption means the file uses an encryption method the object layer
	// does not implement (only RC4 and AES-128 are read).
	ErrEncryption = errors.New("unsupported PDF encryption")
	// ErrNoTextLayer means no page of the document has any text: a scan.
	ErrNoTextLayer = errors.New("no text layer")
	// ErrLimit means a page exceeded one of the Options limits (decoded
	// content size, operators, time) and was cut short.
	ErrLimit = errors.New("limit exceeded")
	// ErrPageRange means a page number outside 1..NumPages was asked for.
	ErrPageRange = errors.New("page out of range")
)

// PageError is an error tied to one page of one file.
type PageError struct {
	File string // file name as given to OpenFile, or "" for a reader
	Page int    // 1-based page number
	Err  error
}

func (e *PageError) Error() string {
	if e.File != "" {
		return fmt.Sprintf("%s: page %d: %v", e.File, e.Page, e.Err)
	}
	return fmt.Sprintf("page %d: %v", e.Page, e.Err)
}

func (e *PageError) Unwrap() error { return e.Err }
