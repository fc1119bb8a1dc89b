package schema

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/parquet-go/parquet-go"
)

// FileRef says which document a path holds: a dataset directory's files
// record set has one for every path a run was given, so that a document
// seen under several names, in one run or over many, keeps every name.
type FileRef struct {
	SourceFile string // the path as given
	DocumentID string // Document.DocumentID; "" when the file could not be read
}

type fileRow struct {
	SourceFile string `parquet:"source_file" json:"source_file"`
	DocumentID string `parquet:"document_id,dict" json:"document_id"`
}

var fileSchema = parquet.SchemaOf(fileRow{})

// WriteFileRefs writes refs as one part of the files record set of a
// dataset directory (files/part-<batch>.parquet, jsonl/files/...), each
// file under a temporary name and renamed when complete.
func WriteFileRefs(dir string, formats []string, batch string, refs []FileRef) error {
	parq, jsonl, err := parseFormats(formats)
	if err != nil {
		return err
	}
	rows := make([]fileRow, len(refs))
	for i, r := range refs {
		rows[i] = fileRow(r)
	}
	// (a files part is small: one row per path of one run)
	write := func(path string, enc func(io.Writer) error) error {
		var buf bytes.Buffer
		if err := enc(&buf); err != nil {
			return fmt.Errorf("schema: write %s: %w", path, err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("schema: %w", err)
		}
		return writeFileAtomic(path, buf.Bytes())
	}
	name := "part-" + batch
	if parq {
		err := write(filepath.Join(dir, "files", name+".parquet"), func(w io.Writer) error {
			return writeParquet(w, fileSchema, rows)
		})
		if err != nil {
			return err
		}
	}
	if jsonl {
		return write(filepath.Join(dir, JSONLDir, "files", name+".jsonl"), func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			for _, r := range rows {
				if err := enc.Encode(r); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return nil
}

// ReadFileRefs reads the files record set of a dataset directory, from its
// Parquet parts, or from its JSON Lines parts when there are none.
func ReadFileRefs(dir string) ([]FileRef, error) {
	var out []FileRef
	parts, _ := filepath.Glob(filepath.Join(dir, "files", "part-*.parquet"))
	slices.Sort(parts)
	for _, p := range parts {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
		rows, err := readRows[fileRow](data, fileSchema)
		if err != nil {
			return nil, fmt.Errorf("schema: %s: %w", p, err)
		}
		for _, r := range rows {
			out = append(out, FileRef(r))
		}
	}
	if len(parts) > 0 {
		return out, nil
	}
	parts, _ = filepath.Glob(filepath.Join(dir, JSONLDir, "files", "part-*.jsonl"))
	slices.Sort(parts)
	for _, p := range parts {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<16), 1<<24)
		for sc.Scan() {
			var r fileRow
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				f.Close()
				return nil, fmt.Errorf("schema: %s: %w", p, err)
			}
			out = append(out, FileRef(r))
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("schema: %s: %w", p, err)
		}
	}
	return out, nil
}
