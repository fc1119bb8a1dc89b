package schema

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// Output formats, as given to WriteFiles.
const (
	FormatParquet = "parquet"
	FormatJSONL   = "jsonl"
)

// WriteFiles writes the three record sets into dir, in each of formats
// (FormatParquet, FormatJSONL; nil or empty means both): documents.parquet,
// tables.parquet, cells.parquet, documents.jsonl, tables.jsonl,
// cells.jsonl. Records are written in the order given.
//
// Every value is checked before anything is written: if a cell cannot be
// written exactly (an amount with too many decimals or digits, a
// coordinate that is not finite), WriteFiles returns an ErrorList naming
// every such value and writes nothing. Each file is written under a
// temporary name in dir, synced, and renamed over its final name only once
// all files are complete, so an interrupted or failed run leaves the
// previous output as it was. Only a failure among the final renames can
// leave a mix of new and previous files; the error then says which.
//
// The output depends only on the records: the same records give the same
// bytes.
func WriteFiles(dir string, formats []string, docs []Document, tables []Table, cells []Cell) (err error) {
	return WriteDataset(dir, formats, Dataset{Documents: docs, Tables: tables, Cells: cells})
}

// Dataset is the four record sets of a run.
type Dataset struct {
	Documents []Document
	Tables    []Table
	Cells     []Cell
	Checks    []Check // nil: no checks files are written
}

// WriteDataset writes the record sets as WriteFiles does, and the checks
// (checks.parquet, checks.jsonl) when ds.Checks is not nil, all or none.
func WriteDataset(dir string, formats []string, ds Dataset) error {
	w, err := NewWriter(dir, formats, ds.Checks != nil)
	if err != nil {
		return err
	}
	if err := w.Write(ds); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}

// CheckFormats returns an error wrapping ErrFormat unless every format is
// FormatParquet or FormatJSONL (nil or empty means both).
func CheckFormats(formats []string) error {
	_, _, err := parseFormats(formats)
	return err
}

func parseFormats(formats []string) (parq, jsonl bool, err error) {
	if len(formats) == 0 {
		return true, true, nil
	}
	for _, f := range formats {
		switch f {
		case FormatParquet:
			parq = true
		case FormatJSONL:
			jsonl = true
		default:
			return false, false, fmt.Errorf("schema: format %q: %w", f, ErrFormat)
		}
	}
	return parq, jsonl, nil
}

// WriteParquet writes records as one Parquet file to w: zstd compression,
// dictionary encoding for repeated strings, amounts as DECIMAL on INT64.
// Cells that cannot be written exactly give an ErrorList and nothing is
// written.
func WriteParquet[R Record](w io.Writer, records []R) error {
	switch rs := any(records).(type) {
	case []Document:
		return writeParquet(w, documentSchema, documentRows(rs))
	case []Table:
		return writeParquet(w, tableSchema, tableRows(rs))
	case []Cell:
		rows, errs := cellRows(rs)
		if len(errs) > 0 {
			return errs
		}
		return writeParquet(w, cellSchema, rows)
	case []Check:
		rows, errs := checkRows(rs)
		if len(errs) > 0 {
			return errs
		}
		return writeParquet(w, checkSchema, rows)
	}
	panic("unreachable")
}

// WriteJSONL writes records to w as JSON Lines: one object per record, with
// the Parquet column names as keys, in the same order. Amounts are strings
// with the exact decimal value ("4920.44"), missing values null,
// coordinates numbers rounded to 1/100 pt. Cells that cannot be written
// exactly give an ErrorList and nothing is written.
func WriteJSONL[R Record](w io.Writer, records []R) error {
	switch rs := any(records).(type) {
	case []Document:
		return writeJSONL(w, documentRows(rs))
	case []Table:
		return writeJSONL(w, tableRows(rs))
	case []Cell:
		rows, errs := cellRows(rs)
		if len(errs) > 0 {
			return errs
		}
		return writeJSONL(w, rows)
	case []Check:
		rows, errs := checkRows(rs)
		if len(errs) > 0 {
			return errs
		}
		return writeJSONL(w, rows)
	}
	panic("unreachable")
}

// writerName sets the file's created_by, which otherwise depends on the
// build information of the running binary.
type writerName string

func (n writerName) ConfigureWriter(c *parquet.WriterConfig) { c.CreatedBy = string(n) }

func writeParquet[T any](w io.Writer, schema *parquet.Schema, rows []T) error {
	pw := parquet.NewGenericWriter[T](w, schema,
		parquet.Compression(&parquet.Zstd),
		parquet.KeyValueMetadata("budgetpdf.schema_version", strconv.Itoa(Version)),
		writerName("budgetpdf"),
	)
	if _, err := pw.Write(rows); err != nil {
		return err
	}
	return pw.Close()
}

func writeJSONL[T any, P interface {
	*T
	json() any
}](w io.Writer, rows []T) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range rows {
		if err := enc.Encode(P(&rows[i]).json()); err != nil {
			return err
		}
	}
	return nil
}
