//go:build interop

// This test reads the Parquet output with DuckDB, an independent reader.
// It needs cgo and links DuckDB's static library (large; the first build
// takes minutes):
//
//	go test -tags interop -run Interop ./schema/

package schema

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/parquet-go/parquet-go"
	"github.com/shopspring/decimal"
)

func TestInteropDuckDB(t *testing.T) {
	dir := t.TempDir()
	cells := sampleCells()
	if err := writeDataset(dir, []string{FormatParquet}, Dataset{Documents: sampleDocs(), Tables: sampleTables(), Cells: cells}); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	path := filepath.Join(dir, "cells.parquet")
	from := "read_parquet('" + strings.ReplaceAll(path, "'", "''") + "')"

	types := map[string]string{}
	rows, err := db.Query("DESCRIBE SELECT * FROM " + from)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for rows.Next() {
		var name, typ string
		var null, key, def, extra sql.NullString
		if err := rows.Scan(&name, &typ, &null, &key, &def, &extra); err != nil {
			t.Fatal(err)
		}
		types[name] = typ
		order = append(order, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	wantOrder := "document_id source_file table_index table_code table_kind phase row_index row_code row_code2 row_label row_label2 row_level code_system code_name code2_system code2_name side column_index column_path measure fund text raw_text amount unit amount_yuan page x0 y0 x1 y1"
	if got := strings.Join(order, " "); got != wantOrder {
		t.Errorf("columns\n%s\nwant\n%s", got, wantOrder)
	}
	for col, want := range map[string]string{
		"amount": "DECIMAL(18,6)", "amount_yuan": "DECIMAL(18,2)", "document_id": "VARCHAR",
		"table_index": "INTEGER", "page": "INTEGER", "x0": "DOUBLE",
	} {
		if types[col] != want {
			t.Errorf("%s: %s, want %s", col, types[col], want)
		}
	}

	// Exact sums, computed by DuckDB in decimal arithmetic.
	want := decimal.Zero
	wantYuan := decimal.Zero
	nulls := 0
	for _, c := range cells {
		if c.Amount == nil {
			nulls++
			continue
		}
		want = want.Add(*c.Amount)
		wantYuan = wantYuan.Add(*c.AmountYuan)
	}
	var sum, sumYuan string
	var n, nullCount int
	err = db.QueryRow("SELECT sum(amount)::VARCHAR, sum(amount_yuan)::VARCHAR, count(*), count(*) FILTER (WHERE amount IS NULL) FROM "+from).
		Scan(&sum, &sumYuan, &n, &nullCount)
	if err != nil {
		t.Fatal(err)
	}
	if d := decimal.RequireFromString(sum); !d.Equal(want) {
		t.Errorf("sum(amount) = %s, want %s", sum, want)
	}
	if d := decimal.RequireFromString(sumYuan); !d.Equal(wantYuan) {
		t.Errorf("sum(amount_yuan) = %s, want %s", sumYuan, wantYuan)
	}
	if n != len(cells) || nullCount != nulls {
		t.Errorf("%d rows, %d null amounts; want %d, %d", n, nullCount, len(cells), nulls)
	}

	// Text, lists and nulls of the other files.
	var label, path2 string
	if err := db.QueryRow("SELECT row_label, column_path FROM "+from+" WHERE row_index = 1 AND column_index = 3").Scan(&label, &path2); err != nil {
		t.Fatal(err)
	}
	if label != "合计 <&>" || path2 != "基本支出/人员经费" {
		t.Errorf("row 1 column 3: %q %q", label, path2)
	}
	tables := "read_parquet('" + strings.ReplaceAll(filepath.Join(dir, "tables.parquet"), "'", "''") + "')"
	var cols string
	var year sql.NullInt32
	if err := db.QueryRow("SELECT array_to_string(columns, '|'), fiscal_year FROM "+tables+" WHERE table_index = 1").Scan(&cols, &year); err != nil {
		t.Fatal(err)
	}
	if cols != "" || year.Valid {
		t.Errorf("table 1: columns %q, fiscal_year %v", cols, year)
	}
	if err := db.QueryRow("SELECT array_to_string(columns, '|') FROM " + tables + " WHERE table_index = 0").Scan(&cols); err != nil {
		t.Fatal(err)
	}
	if cols != "科目编码|科目名称|合计|基本支出/人员经费" {
		t.Errorf("table 0: columns %q", cols)
	}
	documents := "read_parquet('" + strings.ReplaceAll(filepath.Join(dir, "documents.parquet"), "'", "''") + "')"
	var dups string
	var ndups int
	if err := db.QueryRow("SELECT string_agg(array_to_string(duplicate_files, '|'), ';' ORDER BY source_file), sum(len(duplicate_files)) FROM "+documents).Scan(&dups, &ndups); err != nil {
		t.Fatal(err)
	}
	if dups != "mirror/a copy.pdf|mirror/b.pdf;" || ndups != 2 {
		t.Errorf("documents.duplicate_files: %q, %d", dups, ndups)
	}
}

// TestInteropParts: DuckDB reads a dataset directory's parts as one table,
// with the Hive partition of an unknown fiscal year as NULL, and nothing
// of a batch not committed.
func TestInteropParts(t *testing.T) {
	dir := t.TempDir()
	docs := sampleDocs()
	cells := sampleCells()
	unknown := docs[0]
	unknown.DocumentID, unknown.FiscalYear = strings.Repeat("1", 64), 0
	more := slices.Clone(cells)
	for i := range more {
		more[i].DocumentID = unknown.DocumentID
	}
	for i, ds := range []Dataset{{Documents: docs[:1], Cells: cells}, {Documents: []Document{unknown}, Cells: more}} {
		w, err := NewPartWriter(dir, []string{FormatParquet}, fmt.Sprintf("run-%d", i))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(ds); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// A third batch staged, its process stopped before the commit: a
	// reader globbing the cells sees nothing of it.
	if !stopAt(t, "rename "+manifestPath(dir, "run-2"), 0, func() error { return writeBatch(dir, "run-2", Dataset{Documents: docs[:1], Cells: cells}) }) {
		t.Fatal("not stopped")
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	from := "read_parquet('" + strings.ReplaceAll(filepath.Join(dir, "cells", "*", "*.parquet"), "'", "''") + "', hive_partitioning = true)"
	var n, known, null int
	if err := db.QueryRow("SELECT count(*), count(*) FILTER (WHERE fiscal_year = 2024), count(*) FILTER (WHERE fiscal_year IS NULL) FROM "+from).Scan(&n, &known, &null); err != nil {
		t.Fatal(err)
	}
	if n != 2*len(cells) || known != len(cells) || null != len(cells) {
		t.Errorf("%d cells, %d in 2024, %d with a NULL year; want %d, %d, %d", n, known, null, 2*len(cells), len(cells), len(cells))
	}
}

// TestInteropPerformance: DuckDB reads indicators and form fields with
// their types (exact decimals, a boolean) and values.
func TestInteropPerformance(t *testing.T) {
	dir := t.TempDir()
	inds, fields := samplePerformance()
	w, err := NewPartWriter(dir, []string{FormatParquet}, "r-000001")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(Dataset{Documents: sampleDocs()[:1], Indicators: inds, FormFields: fields}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	from := func(set string) string {
		return "read_parquet('" + strings.ReplaceAll(filepath.Join(dir, set, "*", "*.parquet"), "'", "''") + "', hive_partitioning = true)"
	}
	types := map[string]string{}
	rows, err := db.Query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + from("indicators") + ")")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			t.Fatal(err)
		}
		types[name] = typ
	}
	rows.Close()
	for col, want := range map[string]string{"value_low": "DECIMAL(18,6)", "value_high": "DECIMAL(18,6)", "project_amount": "DECIMAL(18,6)",
		"score": "DECIMAL(18,6)", "qualitative": "BOOLEAN", "indicator": "VARCHAR", "fiscal_year": "BIGINT"} {
		if types[col] != want {
			t.Errorf("indicators.%s: %s, want %s", col, types[col], want)
		}
	}
	var high, score string
	var qual bool
	if err := db.QueryRow("SELECT value_high::VARCHAR, score::VARCHAR, qualitative FROM "+from("indicators")+" WHERE indicator_index = 1").Scan(&high, &score, &qual); err != nil {
		t.Fatal(err)
	}
	if high != "99.123456" || score != "9.500000" || qual {
		t.Errorf("indicator 1: value_high %s, score %s, qualitative %v", high, score, qual)
	}
	var amount string
	if err := db.QueryRow("SELECT amount::VARCHAR FROM " + from("form_fields") + " WHERE field_index = 1").Scan(&amount); err != nil || amount != "118.000000" {
		t.Errorf("form field amount %q, %v", amount, err)
	}
}

// TestInteropDocuments: DuckDB reads the documents of schema version 8:
// their columns in order with their types, what a crawl knows of each
// (metadata a MAP queried by key, fetched_at a timestamp in UTC), and a
// documents part of version 7, without those columns, together with them
// (union_by_name), its crawl columns null.
func TestInteropDocuments(t *testing.T) {
	dir := t.TempDir()
	if err := writeDataset(dir, []string{FormatParquet}, Dataset{Documents: sampleDocs()}); err != nil {
		t.Fatal(err)
	}
	type v7 struct {
		DocumentID string `parquet:"document_id"`
		SourceFile string `parquet:"source_file"`
		Status     string `parquet:"status"`
	}
	old, err := os.Create(filepath.Join(dir, "old.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if err := parquet.Write(old, []v7{{DocumentID: strings.Repeat("7", 64), SourceFile: "old.pdf", Status: StatusOK}}); err != nil {
		t.Fatal(err)
	}
	old.Close()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // (one connection: the SET TimeZone below holds for every query)
	from := "read_parquet('" + strings.ReplaceAll(filepath.Join(dir, "documents.parquet"), "'", "''") + "')"
	rows, err := db.Query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + from + ")")
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, name+" "+typ)
	}
	rows.Close()
	want := "document_id VARCHAR, source_file VARCHAR, duplicate_files VARCHAR[], pages INTEGER, producer VARCHAR, fiscal_year INTEGER, " +
		"agency VARCHAR, agency_printed VARCHAR, region_code VARCHAR, province VARCHAR, city VARCHAR, county VARCHAR, phase VARCHAR, " +
		"status VARCHAR, error VARCHAR, repaired BOOLEAN, warnings VARCHAR[], checks_passed INTEGER, checks_failed INTEGER, checks_skipped INTEGER, " +
		"source_url VARCHAR, final_url VARCHAR, fetched_at TIMESTAMP WITH TIME ZONE, etag VARCHAR, last_modified VARCHAR, metadata MAP(VARCHAR, VARCHAR)"
	if got := strings.Join(cols, ", "); got != want {
		t.Errorf("documents columns\n%s\nwant\n%s", got, want)
	}
	var site, region, at, final string
	var n int
	err = db.QueryRow("SET TimeZone = 'UTC'; SELECT metadata['site'], metadata['region'], strftime(fetched_at, '%Y-%m-%dT%H:%M:%S.%fZ'), final_url, cardinality(metadata) FROM "+from+" WHERE source_file = 'fixtures/a.pdf'").
		Scan(&site, &region, &at, &final, &n)
	if err != nil {
		t.Fatal(err)
	}
	if site != "www.anyang.gov.cn" || region != "殷都区" || at != "2024-05-01T08:30:15.123456Z" || final != "https://www.anyang.gov.cn/files/a.pdf" || n != 10 {
		t.Errorf("crawl facts: site %q, region %q, fetched_at %s, final_url %s, %d metadata", site, region, at, final, n)
	}
	both := "read_parquet(['" + strings.ReplaceAll(filepath.Join(dir, "documents.parquet"), "'", "''") + "', '" +
		strings.ReplaceAll(filepath.Join(dir, "old.parquet"), "'", "''") + "'], union_by_name = true)"
	var lines string
	if err := db.QueryRow("SELECT string_agg(source_file || ' ' || coalesce(metadata['site'], 'NULL') || ' ' || coalesce(fetched_at::VARCHAR, 'NULL'), '; ' ORDER BY source_file) FROM " + both).Scan(&lines); err != nil {
		t.Fatal(err)
	}
	if want := "fixtures/a.pdf www.anyang.gov.cn 2024-05-01 08:30:15.123456+00; fixtures/scan.pdf NULL NULL; old.pdf NULL NULL"; lines != want {
		t.Errorf("versions 7 and 8 together: %s\nwant %s", lines, want)
	}
}
