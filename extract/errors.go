package extract

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors. Errors returned by this package wrap one of these where the
// cause is known, so callers can classify a failure with errors.Is.
var (
	// ErrNotPDF means the input does not start with a PDF header: an empty
	// file, an image, HTML, or other bytes.
	ErrNotPDF = errors.New("not a PDF file")
	// ErrDamaged means the file claims to be a PDF but its structure (cross-
	// reference table, trailer, page tree) cannot be read even after
	// rebuilding the cross-reference table: a truncated download without
	// a trailer, a catalog that is not there.
	ErrDamaged = errors.New("damaged PDF")
	// ErrPassword means the file is encrypted and the given password (by
	// default only the empty user password is tried; see Options.Password)
	// opens it neither as its user nor as its owner password.
	ErrPassword = errors.New("PDF needs a password")
	// ErrEncryption means the file uses an encryption method the object
	// layer does not implement (a public-key security handler, an unknown
	// crypt filter).
	ErrEncryption = errors.New("unsupported PDF encryption")
	// ErrNoTextLayer means no page of the document has any text and none
	// lost any: a scan.
	ErrNoTextLayer = errors.New("no text layer")
	// ErrLimit means a document or a page exceeded one of the Options
	// limits (pages, decoded content size, operators, time) and was
	// refused or cut short.
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

// maxDetail is the longest text, in bytes, that an error or a warning
// takes from the object layer or the file.
const maxDetail = 200

// detail makes text that comes from the object layer or the file (a
// recovered panic, a name, a message quoting file bytes) fit in one
// printable line: control characters, invalid UTF-8 and other non-graphic
// runes are escaped as %q does, and the result is cut to maxDetail bytes
// with "...".
func detail(x any) string { return detailN(x, maxDetail) }

// maxName is the longest text, in bytes, that a warning takes from a
// name in the file (a resource name, a font name).
const maxName = 64

// detailN is detail with a bound of max bytes.
func detailN(x any, max int) string {
	s := fmt.Sprint(x)
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
		} else if unicode.IsGraphic(r) {
			b.WriteString(s[i : i+n])
		} else {
			q := fmt.Sprintf("%+q", string(r))
			b.WriteString(q[1 : len(q)-1])
		}
		i += n
		if b.Len() > max {
			break
		}
	}
	out := b.String()
	if len(out) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		out = out[:cut] + "..."
	}
	return out
}

// damaged wraps a problem reported by the object layer in ErrDamaged.
func damaged(format string, x any) error {
	return fmt.Errorf("%w: "+format, ErrDamaged, detail(x))
}
