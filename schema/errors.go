package schema

import (
	"errors"
	"fmt"
)

// Sentinel errors, wrapped by the errors of this package where the cause is
// known, so callers can classify a failure with errors.Is.
var (
	// ErrScale means an amount has more decimals than its column holds
	// (6 for amount, 2 for amount_yuan). Amounts are never rounded.
	ErrScale = errors.New("more decimals than the column holds")
	// ErrRange means an amount has more than 18 digits at its column's scale.
	ErrRange = errors.New("out of range for DECIMAL(18)")
	// ErrNotFinite means a coordinate is NaN or infinite.
	ErrNotFinite = errors.New("not a finite number")
	// ErrFormat means an output format other than "parquet", "jsonl" or
	// "xlsx".
	ErrFormat = errors.New("unknown format")
	// ErrInUse means another run is writing into the dataset directory, so
	// that its record sets may not be removed (OpenRun with force) or
	// compacted (Run.Compact).
	ErrInUse = errors.New("dataset directory in use")
	// ErrOldFormat means a dataset directory written by an older budgetpdf,
	// whose batches have no manifests. Opening a run on it (budgetpdf run
	// or compact) brings it up to date.
	ErrOldFormat = errors.New("written by an older budgetpdf (no manifests/): budgetpdf compact DIR brings it up to date")
)

// RecordError is a value of one record that cannot be written exactly.
type RecordError struct {
	Set    string // record set: "documents", "tables" or "cells"
	Row    int    // 0-based index of the record in the slice given
	Column string // column name, e.g. "amount"
	Value  string // the offending value as text
	Err    error  // one of the sentinels above
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("%s: row %d: %s %s: %v", e.Set, e.Row, e.Column, e.Value, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

// ErrorList is every RecordError of one write, in record order. Like
// go/scanner.ErrorList, its Err method is nil when the list is empty.
type ErrorList []*RecordError

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Unwrap returns the errors of the list, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Err returns l as an error, or nil if l is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
