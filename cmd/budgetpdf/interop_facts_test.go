//go:build interop

package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/shopspring/decimal"
)

// TestInteropFacts asks DuckDB the analysts' questions of the facts record
// set, over $BUDGETPDF_CORPUS when set (make corpus-interop), else over the
// seed disclosure:
//
//   - every document that prints a 三公 table has one 三公 total for its
//     year (sangong.total on the table's total row, summed over the funds
//     where the table splits it by fund), and it equals the sum of the
//     items the table prints in columns (abroad, vehicle, reception);
//   - basic.personnel + basic.public = basic on every row of every table
//     where all three are printed.
//
// Equal means within the rounding of the printed figures: half a cent for
// each figure added (the accounting checks' rounding status).
func TestInteropFacts(t *testing.T) {
	db, out := interopDataset(t)
	facts := readParquet(out, "facts")

	// 三公: one total per document, equal to its items. A table splits its
	// columns by fund or not (fund '' is the all-funds figure), by period
	// or not (当年预算 and 上年结转 items under one total); prints the
	// items in columns, on the total row, or a row per item.
	q := `
	WITH sg AS (
		SELECT *, fund = '' OR NOT bool_or(fund = '') OVER (PARTITION BY document_id, table_index) AS counted
		FROM ` + facts + `
		WHERE table_kind = '三公经费表' AND regexp_matches(measure, '^((current|carryover)\.)?sangong\.(total|abroad|vehicle|reception)$')),
	rowsum0 AS (  -- the items of all periods, else of each period (当年, 上年结转) apart
		SELECT document_id, source_file, table_index, row_index,
			sum(amount) FILTER (measure = 'sangong.total') AS total,
			sum(amount) FILTER (measure IN ('sangong.abroad', 'sangong.vehicle', 'sangong.reception')) AS items0,
			count(*) FILTER (measure IN ('sangong.abroad', 'sangong.vehicle', 'sangong.reception')) AS n0,
			sum(amount) FILTER (measure LIKE '%.sangong.%' AND measure NOT LIKE '%.sangong.total') AS items1,
			count(*) FILTER (measure LIKE '%.sangong.%' AND measure NOT LIKE '%.sangong.total') AS n1
		FROM sg WHERE counted GROUP BY ALL),
	rowsum AS (
		SELECT document_id, source_file, table_index, row_index, total,
			CASE WHEN n0 > 0 THEN items0 ELSE items1 END AS items, CASE WHEN n0 > 0 THEN n0 ELSE n1 END AS n_items
		FROM rowsum0),
	per AS (
		SELECT DISTINCT ON (document_id, table_index) document_id, source_file, table_index, total, items, n_items
		FROM rowsum WHERE total IS NOT NULL
		ORDER BY document_id, table_index, total DESC),
	byrow AS (  -- items printed a row each
		SELECT document_id, table_index, sum(items) AS items, sum(n_items) AS n_items
		FROM rowsum WHERE total IS NULL GROUP BY ALL)
	SELECT per.source_file, per.table_index, per.total::VARCHAR,
		coalesce(CASE WHEN per.n_items > 0 THEN per.items ELSE byrow.items END::VARCHAR, ''),
		coalesce(CASE WHEN per.n_items > 0 THEN per.n_items ELSE byrow.n_items END, 0)
	FROM per LEFT JOIN byrow USING (document_id, table_index) ORDER BY 1, 2`
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]int{}
	for rows.Next() {
		var file, total, items string
		var table, n int
		if err := rows.Scan(&file, &table, &total, &items, &n); err != nil {
			t.Fatal(err)
		}
		docs[file]++
		t.Logf("三公 %s table %d: total %s, items %s (%d)", filepath.Base(file), table, total, items, n)
		if n > 0 && !withinRounding(total, items, n+1) {
			t.Errorf("%s table %d: sangong.total %s, its items add up to %s", filepath.Base(file), table, total, items)
		}
	}
	rows.Close()
	var want int
	if err := db.QueryRow(`SELECT count(DISTINCT source_file) FROM ` + facts + ` WHERE table_kind = '三公经费表'`).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if len(docs) != want || want == 0 {
		t.Errorf("%d documents with a 三公 total, %d print a 三公 table", len(docs), want)
	}

	// basic = basic.personnel + basic.public, row by row, within the
	// rounding of the figures as printed (cells.text: 47137884.3 is
	// printed to the tenth).
	cells := readParquet(out, "cells")
	q = `
	WITH b AS (
		SELECT f.*, regexp_extract(f.measure, '^(.*?)basic', 1) AS prefix,
			0.5 / 10 ^ CASE WHEN strpos(replace(c.text, ',', ''), '.') > 0
				THEN length(replace(c.text, ',', '')) - strpos(replace(c.text, ',', ''), '.') ELSE 0 END AS tol
		FROM ` + facts + ` f JOIN ` + cells + ` c USING (document_id, table_index, row_index, column_index)
		WHERE f.measure SIMILAR TO '(.*\.)?basic(\.personnel|\.public)?')
	SELECT source_file, table_code, row_index, side, fund,
		max(amount) FILTER (measure = prefix || 'basic')::VARCHAR,
		(sum(amount) FILTER (measure IN (prefix || 'basic.personnel', prefix || 'basic.public')))::VARCHAR,
		sum(tol)::VARCHAR
	FROM b
	GROUP BY source_file, table_code, table_index, row_index, side, fund, prefix
	HAVING count(*) FILTER (measure = prefix || 'basic') = 1
		AND count(*) FILTER (measure = prefix || 'basic.personnel') = 1
		AND count(*) FILTER (measure = prefix || 'basic.public') = 1`
	rows, err = db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	checked, wrong := 0, 0
	for rows.Next() {
		var file, code, side, fund, basic, parts, tol string
		var row int
		if err := rows.Scan(&file, &code, &row, &side, &fund, &basic, &parts, &tol); err != nil {
			t.Fatal(err)
		}
		checked++
		x, y, d := decimal.RequireFromString(basic), decimal.RequireFromString(parts), decimal.RequireFromString(tol)
		if x.Sub(y).Abs().GreaterThan(d) {
			wrong++
			t.Errorf("%s %s row %d: basic %s, personnel + public %s (rounding %s)", filepath.Base(file), code, row, basic, parts, tol)
		}
	}
	rows.Close()
	t.Logf("basic = personnel + public within rounding: %d rows checked, %d wrong", checked, wrong)
	if checked == 0 {
		t.Error("no row prints basic, basic.personnel and basic.public")
	}
}

// withinRounding reports whether two sums of n printed figures (to the
// cent) agree within the rounding of those figures.
func withinRounding(a, b string, n int) bool {
	x, err1 := decimal.NewFromString(a)
	y, err2 := decimal.NewFromString(b)
	return err1 == nil && err2 == nil && x.Sub(y).Abs().LessThanOrEqual(decimal.New(5, -3).Mul(decimal.NewFromInt(int64(n))))
}

// interopDataset runs budgetpdf over $BUDGETPDF_CORPUS when set, else over
// the seed, into Parquet, and opens DuckDB; the database closes with the
// test.
func interopDataset(t *testing.T) (*sql.DB, string) {
	t.Helper()
	inputs := []string{"../../fixtures/seed-yindu-hrss-2024-ruled.pdf"}
	if dir := os.Getenv("BUDGETPDF_CORPUS"); dir != "" {
		inputs = []string{dir}
	}
	out := t.TempDir()
	if code, _, stderr := runCLI(append([]string{"run", "-quiet", "-o", out, "-format", "parquet"}, inputs...)...); code > 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, out
}

// readParquet is DuckDB's read of a record set's Parquet parts in out.
func readParquet(out, set string) string {
	return "read_parquet('" + strings.ReplaceAll(filepath.Join(out, set, "*", "*.parquet"), "'", "''") + "', hive_partitioning = true)"
}
