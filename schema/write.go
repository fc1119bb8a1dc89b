package schema

import (
	"fmt"
	"io"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// Output formats, as given to PartWriter and Run.AddFiles.
const (
	FormatParquet = "parquet"
	FormatJSONL   = "jsonl"
)

// Dataset is records of the record sets, as PartWriter.Write takes them:
// a document's, or a batch's, and the paths of a run (files).
type Dataset struct {
	Documents  []Document
	Tables     []Table
	Cells      []Cell
	Checks     []Check
	Indicators []Indicator
	FormFields []FormField
	Facts      []Fact
	Files      []FileRef
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
