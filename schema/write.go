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
	// FormatXLSX is the documents' workbooks: a batch's writer then takes
	// each document's workbook (PartWriter.WriteWorkbook), published with
	// the batch as xlsx/<document_id>.xlsx. It adds no record set.
	FormatXLSX = "xlsx"
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
// FormatParquet, FormatJSONL or FormatXLSX (nil or empty means Parquet and
// JSON Lines).
func CheckFormats(formats []string) error {
	_, err := parseFormats(formats)
	return err
}

// HasFormat reports whether formats (as CheckFormats takes them) hold f.
func HasFormat(formats []string, f string) bool {
	fs, err := parseFormats(formats)
	return err == nil && fs[f]
}

// parseFormats is the set of formats chosen; nil or empty is Parquet and
// JSON Lines.
func parseFormats(formats []string) (map[string]bool, error) {
	if len(formats) == 0 {
		return map[string]bool{FormatParquet: true, FormatJSONL: true}, nil
	}
	set := make(map[string]bool)
	for _, f := range formats {
		switch f {
		case FormatParquet, FormatJSONL, FormatXLSX:
			set[f] = true
		default:
			return nil, fmt.Errorf("schema: format %q: %w", f, ErrFormat)
		}
	}
	return set, nil
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
