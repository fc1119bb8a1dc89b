package schema

import (
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"
)

// ReadParquet reads a Parquet part file of one record set (see
// PartWriter) back into records. Amounts come back exact, with the column's scale as
// their exponent (4920.440000 for amount): compare them with Equal.
func ReadParquet[R Record](r io.ReaderAt, size int64) ([]R, error) {
	var out any
	var err error
	switch any((*R)(nil)).(type) {
	case *Document:
		out, err = readParquet(r, size, documentSchema, (*documentRow).record)
	case *Table:
		out, err = readParquet(r, size, tableSchema, (*tableRow).record)
	case *Cell:
		out, err = readParquet(r, size, cellSchema, (*cellRow).record)
	case *Check:
		out, err = readParquet(r, size, checkSchema, (*checkRow).record)
	case *Indicator:
		out, err = readParquet(r, size, indicatorSchema, (*indicatorRow).record)
	case *FormField:
		out, err = readParquet(r, size, formFieldSchema, (*formFieldRow).record)
	case *Fact:
		out, err = readParquet(r, size, factSchema, (*factRow).record)
	}
	if err != nil {
		return nil, err
	}
	return out.([]R), nil
}

func readParquet[T, R any](r io.ReaderAt, size int64, schema *parquet.Schema, record func(*T) R) (_ []R, err error) {
	// parquet-go can panic on a damaged file; that is this boundary's error.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("damaged parquet file: %v", p)
		}
	}()
	rows, err := parquet.Read[T](r, size, schema)
	if err != nil {
		return nil, err
	}
	out := make([]R, len(rows))
	for i := range rows {
		out[i] = record(&rows[i])
	}
	return out, nil
}

// ReadFile reads a Parquet part file of one record set (documents,
// tables, cells, checks, indicators or form_fields; see PartWriter).
func ReadFile[R Record](path string) ([]R, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	rs, err := ReadParquet[R](f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("schema: read %s: %w", path, err)
	}
	return rs, nil
}
