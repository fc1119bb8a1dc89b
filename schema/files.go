package schema

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path"

	"github.com/parquet-go/parquet-go"
)

// FileRef says which document a path holds: a dataset directory's files
// record set has one for every path a run was given, so that a document
// seen under several names, in one run or over many, keeps every name.
type FileRef struct {
	SourceFile string // the path as given
	DocumentID string // Document.DocumentID: the content's hash, or PathID when the file could not be read
}

type fileRow struct {
	SourceFile string `parquet:"source_file" json:"source_file"`
	DocumentID string `parquet:"document_id,dict" json:"document_id"`
}

var fileSchema = parquet.SchemaOf(fileRow{})

func fileRows(refs []FileRef) []fileRow {
	rows := make([]fileRow, len(refs))
	for i, r := range refs {
		rows[i] = fileRow(r)
	}
	return rows
}

func (r *fileRow) json() fileRow { return *r }

// pathIDPrefix is hashed before a path in PathID, so that a path's id is
// never the content hash of a file holding the same bytes as the path.
const pathIDPrefix = "path:"

// PathID is the document id of a file that could not be read, so that its
// documents record has an id of its own: the hex SHA-256 of "path:"
// followed by the path as given. A file that can be read has the SHA-256
// of its bytes instead.
func PathID(path string) string {
	h := sha256.Sum256([]byte(pathIDPrefix + path))
	return hex.EncodeToString(h[:])
}

// ReadFileRefs reads the files record set of a dataset directory, from the
// Parquet parts of its committed batches, or from their JSON Lines parts
// when there are none, in batch order.
func ReadFileRefs(dir string) ([]FileRef, error) {
	v, err := readView(dir)
	if err != nil {
		return nil, err
	}
	return v.fileRefs()
}

// fileRefs reads the files parts of the view.
func (v *view) fileRefs() ([]FileRef, error) {
	ext := ".jsonl"
	for _, m := range v.batches {
		for _, p := range m.Parts {
			if setOfPart(p) == "files" && path.Ext(p) == ".parquet" {
				ext = ".parquet"
			}
		}
	}
	var out []FileRef
	for _, m := range v.batches {
		for _, p := range m.Parts {
			if setOfPart(p) != "files" || path.Ext(p) != ext {
				continue
			}
			rows, err := readFileRows(locate(v.dir, m.Batch, p), ext)
			if err != nil {
				return nil, err
			}
			for _, r := range rows {
				out = append(out, FileRef(r))
			}
		}
	}
	return out, nil
}

// readFileRows reads one files part.
func readFileRows(p, ext string) ([]fileRow, error) {
	if ext == ".parquet" {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
		rows, err := readRows[fileRow](data, fileSchema)
		if err != nil {
			return nil, fmt.Errorf("schema: %s: %w", p, err)
		}
		return rows, nil
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	defer f.Close()
	var rows []fileRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), maxJSONLine)
	for sc.Scan() {
		var r fileRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("schema: %s: %w", p, err)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("schema: %s: %w", p, err)
	}
	return rows, nil
}

// maxJSONLine is the longest JSON Lines record read back, in bytes.
const maxJSONLine = 1 << 24
