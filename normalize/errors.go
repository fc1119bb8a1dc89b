package normalize

import "errors"

// Sentinel errors. Errors returned by this package wrap one of these where
// the cause is known, so callers can classify a failure with errors.Is.
var (
	// ErrNoAmount means a cell holds a printed placeholder for "nothing"
	// (a dash such as "-", "—", "——", "－", or "/") or nothing at all,
	// rather than an amount. ParseAmount returns it unwrapped.
	ErrNoAmount = errors.New("no amount")
	// ErrMalformedAmount means a cell's text is not a well-formed printed
	// amount: bad digit grouping ("1,23"), two decimal points, stray
	// characters, a percentage.
	ErrMalformedAmount = errors.New("malformed")
	// ErrMalformedTarget means an indicator's target looks numeric (≥,
	// a digit first) but does not read as comparator, number or range,
	// and unit: a date (2022年12月底前), a sentence.
	ErrMalformedTarget = errors.New("target not read")
)
