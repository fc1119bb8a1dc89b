package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
	"github.com/shopspring/decimal"
)

func dec(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

const docID = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func sampleDocs() []Document {
	return []Document{
		{DocumentID: docID, SourceFile: "fixtures/a.pdf", DuplicateFiles: []string{"mirror/a copy.pdf", "mirror/b.pdf"}, Pages: 12, Producer: "WPS", FiscalYear: 2024,
			Agency: "印都区人力资源和社会保障局", AgencyPrinted: "印都区人力资源和社会保障局（本级）",
			RegionCode: "410505", Province: "河南省", City: "安阳市", County: "殷都区", Phase: PhaseBudget, Status: StatusOK,
			SourceURL: "http://www.anyang.gov.cn/a.pdf?x=1&y=<2>", FinalURL: "https://www.anyang.gov.cn/files/a.pdf",
			FetchedAt: time.Date(2024, 5, 1, 8, 30, 15, 123456000, time.UTC), ETag: `W/"5e-abc"`, LastModified: "Wed, 01 May 2024 08:00:00 GMT",
			Metadata: map[string]string{"site": "www.anyang.gov.cn", "region": "殷都区", "crawled_by": "crawler-7", "a": "1", "b": "", "c": "3", "d": "4", "e": "5", "f": "6", "g": "7"}},
		{DocumentID: strings.Repeat("0", 64), SourceFile: "fixtures/scan.pdf", Pages: 3,
			Status: StatusNoTextLayer, Error: "no text layer", Repaired: true,
			Warnings: []string{"repaired: 52 bytes before the %PDF- header", "page 2: font F1: no /BaseFont"}},
	}
}

func sampleTables() []Table {
	return []Table{
		{DocumentID: docID, TableIndex: 0, TableCode: "预算03表", TableKind: "expenditure_summary", Phase: PhaseBudget,
			Title: "部门支出总表", FiscalYear: 2024, Unit: "万元", PageFirst: 4, PageLast: 5,
			Columns: []string{"科目编码", "科目名称", "合计", "基本支出/人员经费"}, RowCount: 2},
		{DocumentID: docID, TableIndex: 1, Title: "no columns", PageFirst: 6, PageLast: 6},
	}
}

func sampleCells() []Cell {
	base := Cell{DocumentID: docID, SourceFile: "fixtures/a.pdf", TableIndex: 0, TableCode: "预算03表",
		TableKind: "expenditure_summary", Phase: PhaseBudget, Unit: "万元", Page: 4}
	c := func(row, col int32, code, label, text string, amount, yuan *decimal.Decimal, x float64) Cell {
		v := base
		v.RowIndex, v.ColumnIndex, v.RowCode, v.RowLabel, v.Text, v.RawText = row, col, code, label, text, text
		v.ColumnPath = sampleTables()[0].Columns[col]
		v.Amount, v.AmountYuan = amount, yuan
		if code != "" {
			v.RowLevel = 3
			v.RowCode2, v.RowLabel2 = "50501", "工资福利支出"
			v.CodeSystem, v.CodeName, v.Code2System, v.Code2Name = "function", "行政运行", "econ_gov", "工资奖金津补贴"
		}
		v.Measure = map[int32]string{2: "total", 3: "basic.personnel"}[col]
		v.X0, v.Y0, v.X1, v.Y1 = x, 100.123456, x+40.005, 109.999
		return v
	}
	return []Cell{
		c(0, 2, "2080101", "行政运行", "4,920.44", dec("4920.44"), dec("49204400"), 300.5),
		c(0, 3, "2080101", "行政运行", "19,756.656053", dec("19756.656053"), dec("197566560.53"), 350),
		c(1, 2, "", "合计 <&>", "—", nil, nil, 300.5),
		c(1, 3, "", "合计 <&>", "(0.01)", dec("-0.01"), dec("-100"), -0.001),
		c(2, 2, "", "max", "999999999999.999999", dec("999999999999.999999"), dec("-9999999999999999.99"), 1e4),
	}
}

// cellLine renders a cell as one compact line.
func cellLine(c Cell) string {
	amt := func(d *decimal.Decimal) string {
		if d == nil {
			return "null"
		}
		return d.String()
	}
	return fmt.Sprintf("%s|%s|%d|%s|%s|%s|r%d|%s|%s|%s|%s|%d|%s|c%d|%s|%s|%s|%s|%s|%s|p%d|%v,%v,%v,%v|%s,%s,%s,%s|%s,%s",
		c.DocumentID[:8], c.SourceFile, c.TableIndex, c.TableCode, c.TableKind, c.Phase, c.RowIndex, c.RowCode,
		c.RowCode2, c.RowLabel, c.RowLabel2, c.RowLevel, c.Side, c.ColumnIndex, c.ColumnPath, c.Text, c.RawText,
		amt(c.Amount), c.Unit, amt(c.AmountYuan), c.Page, c.X0, c.Y0, c.X1, c.Y1,
		c.CodeSystem, c.CodeName, c.Code2System, c.Code2Name, c.Measure, c.Fund)
}

func cellLines(cells []Cell) string {
	var b strings.Builder
	for _, c := range cells {
		b.WriteString(cellLine(c))
		b.WriteByte('\n')
	}
	return b.String()
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	docs, tables, cells := sampleDocs(), sampleTables(), sampleCells()
	if err := writeDataset(dir, nil, Dataset{Documents: docs, Tables: tables, Cells: cells}); err != nil {
		t.Fatal(err)
	}

	got, err := ReadFile[Cell](filepath.Join(dir, "cells.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	want := `9f86d081|fixtures/a.pdf|0|预算03表|expenditure_summary|预算|r0|2080101|50501|行政运行|工资福利支出|3||c2|合计|4,920.44|4,920.44|4920.44|万元|49204400|p4|300.5,100.12,340.5,110|function,行政运行,econ_gov,工资奖金津补贴|total,
9f86d081|fixtures/a.pdf|0|预算03表|expenditure_summary|预算|r0|2080101|50501|行政运行|工资福利支出|3||c3|基本支出/人员经费|19,756.656053|19,756.656053|19756.656053|万元|197566560.53|p4|350,100.12,390,110|function,行政运行,econ_gov,工资奖金津补贴|basic.personnel,
9f86d081|fixtures/a.pdf|0|预算03表|expenditure_summary|预算|r1|||合计 <&>||0||c2|合计|—|—|null|万元|null|p4|300.5,100.12,340.5,110|,,,|total,
9f86d081|fixtures/a.pdf|0|预算03表|expenditure_summary|预算|r1|||合计 <&>||0||c3|基本支出/人员经费|(0.01)|(0.01)|-0.01|万元|-100|p4|0,100.12,40,110|,,,|basic.personnel,
9f86d081|fixtures/a.pdf|0|预算03表|expenditure_summary|预算|r2|||max||0||c2|合计|999999999999.999999|999999999999.999999|999999999999.999999|万元|-9999999999999999.99|p4|10000,100.12,10040,110|,,,|total,
`
	if s := cellLines(got); s != want {
		t.Errorf("cells.parquet:\n%s\nwant:\n%s", s, want)
	}
	// Exact decimals, not merely equal text.
	if !got[1].Amount.Equal(decimal.New(19756656053, -6)) || !got[3].AmountYuan.Equal(decimal.New(-100, 0)) {
		t.Errorf("amounts %s %s", got[1].Amount, got[3].AmountYuan)
	}

	f, size := open(t, filepath.Join(dir, "documents.parquet"))
	gotDocs, err := ReadParquet[Document](f, size)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotDocs, docs) {
		t.Errorf("documents:\n%+v\nwant\n%+v", gotDocs, docs)
	}
	f, size = open(t, filepath.Join(dir, "tables.parquet"))
	gotTables, err := ReadParquet[Table](f, size)
	if err != nil {
		t.Fatal(err)
	}
	// fmt prints a nil and an empty Columns alike.
	if got, want := fmt.Sprintf("%+v", gotTables), fmt.Sprintf("%+v", tables); got != want {
		t.Errorf("tables:\n%s\nwant\n%s", got, want)
	}

	// The JSON Lines hold the same records.
	jcells := readJSONLCells(t, filepath.Join(dir, "cells.jsonl"))
	if s := cellLines(jcells); s != want {
		t.Errorf("cells.jsonl:\n%s\nwant:\n%s", s, want)
	}
	wantLine := `{"document_id":"` + docID + `","source_file":"fixtures/a.pdf","table_index":0,"table_code":"预算03表","table_kind":"expenditure_summary","phase":"预算","row_index":1,"row_code":"","row_code2":"","row_label":"合计 <&>","row_label2":"","row_level":0,"code_system":"","code_name":"","code2_system":"","code2_name":"","side":"","column_index":2,"column_path":"合计","measure":"total","fund":"","text":"—","raw_text":"—","amount":null,"unit":"万元","amount_yuan":null,"page":4,"x0":300.5,"y0":100.12,"x1":340.5,"y1":110}`
	if line := jsonLines(t, filepath.Join(dir, "cells.jsonl"))[2]; line != wantLine {
		t.Errorf("cells.jsonl line 3:\n%s\nwant\n%s", line, wantLine)
	}
	wantDocs := []string{
		`{"document_id":"` + docID + `","source_file":"fixtures/a.pdf","duplicate_files":["mirror/a copy.pdf","mirror/b.pdf"],"pages":12,"producer":"WPS","fiscal_year":2024,"agency":"印都区人力资源和社会保障局","agency_printed":"印都区人力资源和社会保障局（本级）","region_code":"410505","province":"河南省","city":"安阳市","county":"殷都区","phase":"预算","status":"ok","error":"","repaired":false,"warnings":[],"checks_passed":0,"checks_failed":0,"checks_skipped":0,"source_url":"http://www.anyang.gov.cn/a.pdf?x=1&y=<2>","final_url":"https://www.anyang.gov.cn/files/a.pdf","fetched_at":"2024-05-01T08:30:15.123456Z","etag":"W/\"5e-abc\"","last_modified":"Wed, 01 May 2024 08:00:00 GMT","metadata":{"a":"1","b":"","c":"3","crawled_by":"crawler-7","d":"4","e":"5","f":"6","g":"7","region":"殷都区","site":"www.anyang.gov.cn"}}`,
		`{"document_id":"` + strings.Repeat("0", 64) + `","source_file":"fixtures/scan.pdf","duplicate_files":[],"pages":3,"producer":"","fiscal_year":null,"agency":"","agency_printed":"","region_code":"","province":"","city":"","county":"","phase":"","status":"no_text_layer","error":"no text layer","repaired":true,"warnings":["repaired: 52 bytes before the %PDF- header","page 2: font F1: no /BaseFont"],"checks_passed":0,"checks_failed":0,"checks_skipped":0,"source_url":"","final_url":"","fetched_at":null,"etag":"","last_modified":"","metadata":{}}`,
	}
	if got := jsonLines(t, filepath.Join(dir, "documents.jsonl")); !slices.Equal(got, wantDocs) {
		t.Errorf("documents.jsonl:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantDocs, "\n"))
	}
	wantTable := `{"document_id":"` + docID + `","table_index":1,"table_code":"","table_kind":"","phase":"","title":"no columns","fiscal_year":null,"agency":"","unit":"","page_first":6,"page_last":6,"columns":[],"row_count":0,"checks_passed":0,"checks_failed":0,"checks_skipped":0}`
	if got := jsonLines(t, filepath.Join(dir, "tables.jsonl")); len(got) != 2 || got[1] != wantTable {
		t.Errorf("tables.jsonl:\n%s\nwant line 2\n%s", strings.Join(got, "\n"), wantTable)
	}

	// Nothing else is left in dir.
	names := dirNames(t, dir)
	wantNames := "cells.jsonl cells.parquet documents.jsonl documents.parquet tables.jsonl tables.parquet"
	if names != wantNames {
		t.Errorf("files %s, want %s", names, wantNames)
	}
}

func TestParquetLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := encodeParquet(&buf, sampleCells()); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	s := f.Schema().String()
	for _, want := range []string{
		"optional int64 amount (DECIMAL(18,6));",
		"optional int64 amount_yuan (DECIMAL(18,2));",
		"required binary column_path (STRING);",
		"required double x0;",
		"required int32 page (INT(32,true));",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("schema lacks %q:\n%s", want, s)
		}
	}
	md := f.Metadata()
	if v := keyValue(md, "budgetpdf.schema_version"); v != strconv.Itoa(Version) {
		t.Errorf("schema version %q", v)
	}
	if md.CreatedBy != "budgetpdf" {
		t.Errorf("created_by %q", md.CreatedBy)
	}
	for _, c := range md.RowGroups[0].Columns {
		m := c.MetaData
		if m.Codec != format.Zstd {
			t.Errorf("%v: codec %v", m.PathInSchema, m.Codec)
		}
		dict := slices.Contains(m.Encoding, format.RLEDictionary) || slices.Contains(m.Encoding, format.PlainDictionary)
		switch name := m.PathInSchema[0]; name {
		case "document_id", "column_path", "unit", "table_code":
			if !dict {
				t.Errorf("%s: encodings %v, want a dictionary", name, m.Encoding)
			}
		case "text", "x0", "amount":
			if dict {
				t.Errorf("%s: encodings %v, want no dictionary", name, m.Encoding)
			}
		}
	}

	tf, err := parquet.OpenFile(bytes.NewReader(mustParquet(t, sampleTables())), int64(len(mustParquet(t, sampleTables()))))
	if err != nil {
		t.Fatal(err)
	}
	ts := tf.Schema().String()
	if !strings.Contains(ts, "optional int32 fiscal_year") || !strings.Contains(ts, "columns (LIST)") {
		t.Errorf("tables schema:\n%s", ts)
	}

	// Version 8: a crawl's facts of a document, the manifest's other
	// columns as a MAP of strings.
	df, err := parquet.OpenFile(bytes.NewReader(mustParquet(t, sampleDocs())), int64(len(mustParquet(t, sampleDocs()))))
	if err != nil {
		t.Fatal(err)
	}
	ds := df.Schema().String()
	for _, want := range []string{
		"required binary source_url (STRING);",
		"required binary final_url (STRING);",
		"optional int64 fetched_at (TIMESTAMP(isAdjustedToUTC=true,unit=MICROS));",
		"required binary etag (STRING);",
		"required binary last_modified (STRING);",
		"required group metadata (MAP) {\n\t\trepeated group key_value {\n\t\t\trequired binary key (STRING);\n\t\t\trequired binary value (STRING);",
	} {
		if !strings.Contains(ds, want) {
			t.Errorf("documents schema lacks %q:\n%s", want, ds)
		}
	}
}

func keyValue(md *format.FileMetaData, key string) string {
	for _, kv := range md.KeyValueMetadata {
		if kv.Key == key {
			return kv.Value
		}
	}
	return ""
}

func mustParquet[R Record](t *testing.T, records []R) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := encodeParquet(&buf, records); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := writeDataset(dir, []string{FormatParquet, FormatJSONL}, Dataset{Documents: sampleDocs(), Tables: sampleTables(), Cells: sampleCells()}); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range strings.Fields(dirNames(t, a)) {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if !bytes.Equal(x, y) || len(x) == 0 {
			t.Errorf("%s differs between two writes (%d, %d bytes)", name, len(x), len(y))
		}
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Cell)
		want   string // the error text
		is     error
	}{
		{"seven decimals", func(c *Cell) { c.Amount = dec("1.1234567") }, "cells: row 1: amount 1.1234567: more decimals than the column holds", ErrScale},
		{"yuan with three decimals", func(c *Cell) { c.AmountYuan = dec("0.001") }, "cells: row 1: amount_yuan 0.001: more decimals than the column holds", ErrScale},
		{"19 digits", func(c *Cell) { c.Amount = dec("1000000000000") }, "cells: row 1: amount 1000000000000: out of range for DECIMAL(18)", ErrRange},
		{"yuan 19 digits", func(c *Cell) { c.AmountYuan = dec("-10000000000000000") }, "cells: row 1: amount_yuan -10000000000000000: out of range for DECIMAL(18)", ErrRange},
		{"NaN", func(c *Cell) { c.Y1 = math.NaN() }, "cells: row 1: y1 NaN: not a finite number", ErrNotFinite},
		{"two errors", func(c *Cell) { c.X0 = math.Inf(1); c.Amount = dec("0.0000001") },
			"cells: row 1: amount 0.0000001: more decimals than the column holds (and 1 more errors)", ErrNotFinite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cells := sampleCells()
			tt.change(&cells[1])
			err := writeDataset(dir, nil, Dataset{Documents: sampleDocs(), Tables: sampleTables(), Cells: cells})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error %v, want %s", err, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("error does not wrap %v", tt.is)
			}
			var re *RecordError
			if !errors.As(err, &re) || re.Row != 1 || re.Set != "cells" {
				t.Errorf("errors.As: %+v", re)
			}
			if names := dirNames(t, dir); names != "" {
				t.Errorf("files written: %s", names)
			}
			var buf bytes.Buffer
			if err := encodeJSONL(&buf, cells); err == nil || buf.Len() != 0 {
				t.Errorf("encodeJSONL: %v, %d bytes", err, buf.Len())
			}
		})
	}
	if err := writeDataset(t.TempDir(), []string{"csv"}, Dataset{}); !errors.Is(err, ErrFormat) {
		t.Errorf("format csv: %v", err)
	}
	if err := writeDataset(filepath.Join(t.TempDir(), "missing"), nil, Dataset{}); err == nil {
		t.Errorf("missing directory: no error")
	}
}

// TestPartWriterAtomic: a write with a value that cannot be written
// exactly writes nothing; readers see nothing of a batch before Close; an
// aborted batch leaves no file behind.
func TestPartWriterAtomic(t *testing.T) {
	dir := t.TempDir()
	bad := sampleCells()
	bad[0].Amount = dec("0.0000001")
	w, err := NewPartWriter(dir, nil, "r-000001")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(Dataset{Documents: sampleDocs()[1:], Cells: bad}); !errors.Is(err, ErrScale) {
		t.Fatalf("bad amount: %v", err)
	}
	if err := w.Write(Dataset{Documents: sampleDocs()[:1], Cells: sampleCells()}); err != nil {
		t.Fatal(err)
	}
	if cells, err := ReadDataset[Cell](dir); err != nil || len(cells) != 0 {
		t.Errorf("before Close: %d cells, %v", len(cells), err)
	}
	w.Abort()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("left by an aborted batch: %s", p)
		}
		return nil
	})

	w, err = NewPartWriter(dir, nil, "r-000002")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(Dataset{Documents: sampleDocs()[1:], Cells: bad})
	if err := w.Write(Dataset{Documents: sampleDocs()[:1], Cells: sampleCells()}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	docs, err := ReadDataset[Document](dir)
	cells, cerr := ReadDataset[Cell](dir)
	if err != nil || cerr != nil || len(docs) != 1 || docs[0].DocumentID != docID || len(cells) != len(sampleCells()) {
		t.Errorf("after Close: %d documents, %d cells, %v, %v", len(docs), len(cells), err, cerr)
	}
}

func TestEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := writeDataset(dir, []string{FormatParquet}, Dataset{}); err != nil {
		t.Fatal(err)
	}
	cells, err := ReadFile[Cell](filepath.Join(dir, "cells.parquet"))
	if err != nil || len(cells) != 0 {
		t.Errorf("ReadFile: %d cells, %v", len(cells), err)
	}
	if _, err := ReadFile[Cell](filepath.Join(dir, "documents.jsonl")); err == nil {
		t.Errorf("missing file: no error")
	}
	os.WriteFile(filepath.Join(dir, "junk.parquet"), []byte("PAR1 not really PAR1"), 0o644)
	if _, err := ReadFile[Cell](filepath.Join(dir, "junk.parquet")); err == nil {
		t.Errorf("junk file: no error")
	}
}

func BenchmarkWriteParquet(b *testing.B) {
	cells := slices.Repeat(sampleCells(), 2000)
	b.ReportAllocs()
	for b.Loop() {
		if err := encodeParquet(io.Discard, cells); err != nil {
			b.Fatal(err)
		}
	}
}

// Helpers.

func open(t *testing.T, path string) (*os.File, int64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return f, st.Size()
}

func jsonLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 {
		return nil
	}
	if data[len(data)-1] != '\n' {
		t.Errorf("%s: no final newline", path)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// readJSONLCells decodes cells.jsonl as a consumer would.
func readJSONLCells(t *testing.T, path string) []Cell {
	t.Helper()
	var cells []Cell
	for _, line := range jsonLines(t, path) {
		var j cellJSON
		d := json.NewDecoder(strings.NewReader(line))
		d.DisallowUnknownFields()
		if err := d.Decode(&j); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		amt := func(s *string) *decimal.Decimal {
			if s == nil {
				return nil
			}
			return dec(*s)
		}
		num := func(n json.Number) float64 {
			f, err := n.Float64()
			if err != nil || strings.ContainsAny(string(n), "eE") || len(strings.SplitN(string(n)+".", ".", 2)[1]) > 3 {
				t.Errorf("coordinate %q", n)
			}
			return f
		}
		cells = append(cells, Cell{DocumentID: j.DocumentID, SourceFile: j.SourceFile, TableIndex: j.TableIndex,
			TableCode: j.TableCode, TableKind: j.TableKind, Phase: j.Phase, RowIndex: j.RowIndex, RowCode: j.RowCode,
			RowCode2: j.RowCode2, RowLabel: j.RowLabel, RowLabel2: j.RowLabel2, RowLevel: j.RowLevel, Side: j.Side,
			CodeSystem: j.CodeSystem, CodeName: j.CodeName, Code2System: j.Code2System, Code2Name: j.Code2Name,
			ColumnIndex: j.ColumnIndex, ColumnPath: j.ColumnPath, Measure: j.Measure, Fund: j.Fund, Text: j.Text, RawText: j.RawText,
			Amount: amt(j.Amount), Unit: j.Unit, AmountYuan: amt(j.AmountYuan), Page: j.Page,
			X0: num(j.X0), Y0: num(j.Y0), X1: num(j.X1), Y1: num(j.Y1)})
	}
	return cells
}

func dirNames(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

// snapshot maps each file name in dir to its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, name := range strings.Fields(dirNames(t, dir)) {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		m[name] = string(data)
	}
	return m
}

func sameFiles(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestChecksRoundTrip(t *testing.T) {
	dir := t.TempDir()
	exp, act := decimal.RequireFromString("6192.14"), decimal.RequireFromString("6192.15")
	diff := act.Sub(exp)
	checks := []Check{
		{DocumentID: "d", SourceFile: "a.pdf", TableIndex: 2, Rule: "row.group-total", Scope: "row", RowIndex: 3,
			Expected: &exp, Actual: &act, Difference: &diff, Status: CheckRounding,
			Cells: []CheckCell{{2, 3, 5, 4, 10, 20, 30, 40.126}, {2, 3, 6, 4, 31, 20, 50, 40}}},
		{DocumentID: "d", SourceFile: "a.pdf", TableIndex: 2, Rule: "column.top-level", Scope: "column", RowIndex: -1, Status: CheckSkipped,
			Note: "a note"},
	}
	if err := writeDataset(dir, nil, Dataset{Checks: checks}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile[Check](filepath.Join(dir, "checks.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Status != CheckRounding || !got[0].Difference.Equal(diff) || got[0].RowIndex != 3 ||
		len(got[0].Cells) != 2 || got[0].Cells[0].Y1 != 40.13 || got[1].RowIndex != -1 || got[1].Expected != nil || got[1].Note != "a note" {
		t.Fatalf("read back %+v", got)
	}
	j, err := os.ReadFile(filepath.Join(dir, "checks.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"document_id":"d","source_file":"a.pdf","table_index":2,"rule":"row.group-total","scope":"row","row_index":3,"expected":"6192.14","actual":"6192.15","difference":"0.01","status":"rounding","cells":[{"table_index":2,"row_index":3,"column_index":5,"page":4,"x0":10,"y0":20,"x1":30,"y1":40.13},{"table_index":2,"row_index":3,"column_index":6,"page":4,"x0":31,"y0":20,"x1":50,"y1":40}],"note":""}
{"document_id":"d","source_file":"a.pdf","table_index":2,"rule":"column.top-level","scope":"column","row_index":null,"expected":null,"actual":null,"difference":null,"status":"skipped","cells":[],"note":"a note"}
`
	if string(j) != want {
		t.Errorf("checks.jsonl\n got %s\nwant %s", j, want)
	}
}

// TestWriterStreams: records written one document at a time give the same
// bytes as all at once.
func TestWriterStreams(t *testing.T) {
	whole, parts := t.TempDir(), t.TempDir()
	docs, tables, cells := sampleDocs(), sampleTables(), sampleCells()
	if err := writeDataset(whole, nil, Dataset{Documents: docs, Tables: tables, Cells: cells, Checks: []Check{}}); err != nil {
		t.Fatal(err)
	}
	w, err := newWriter(parts, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	for i := range docs {
		ds := Dataset{Documents: docs[i : i+1]}
		if i == 0 {
			ds.Tables, ds.Cells = tables, cells
		}
		if err := w.write(ds); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	a, b := snapshot(t, whole), snapshot(t, parts)
	if len(a) != 8 || !sameFiles(a, b) {
		t.Errorf("streamed files differ from the whole: %d and %d files", len(a), len(b))
	}
}

// TestReadVersion7Documents: a documents part of schema version 7, without
// the crawl's columns of version 8, reads as before, those fields empty.
func TestReadVersion7Documents(t *testing.T) {
	type v7 struct {
		DocumentID string   `parquet:"document_id"`
		SourceFile string   `parquet:"source_file"`
		Pages      int32    `parquet:"pages"`
		Status     string   `parquet:"status,dict"`
		Warnings   []string `parquet:"warnings,list"`
		Skipped    int32    `parquet:"checks_skipped"`
	}
	var buf bytes.Buffer
	if err := parquet.Write(&buf, []v7{{DocumentID: docID, SourceFile: "a.pdf", Pages: 3, Status: StatusOK, Warnings: []string{"w"}, Skipped: 2}}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadParquet[Document](bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	want := []Document{{DocumentID: docID, SourceFile: "a.pdf", Pages: 3, Status: StatusOK, Warnings: []string{"w"}, ChecksSkipped: 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

// BenchmarkNewBatch converts records to rows, as each Write does.
func BenchmarkNewBatch(b *testing.B) {
	ds := Dataset{Cells: slices.Repeat(sampleCells(), 2000)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := newBatch(ds); err != nil {
			b.Fatal(err)
		}
	}
}
