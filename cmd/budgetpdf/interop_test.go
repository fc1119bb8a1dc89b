//go:build interop

// DuckDB, an independent reader, reads the Parquet that budgetpdf run
// writes for the seed disclosure (make interop; cgo).

package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

func TestInteropSeedSums(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI("run", "-o", out, "-format", "parquet", "../../fixtures/seed-yindu-hrss-2024-ruled.pdf"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cells := "read_parquet('" + strings.ReplaceAll(filepath.Join(out, "cells", "*", "*.parquet"), "'", "''") + "', hive_partitioning = true)"
	// The README's query over a whole dataset directory.
	var year, docs int
	var yuan string
	readme := `SELECT fiscal_year, count(DISTINCT document_id) AS documents, sum(amount_yuan)::VARCHAR AS yuan
    FROM read_parquet('` + strings.ReplaceAll(filepath.Join(out, "cells", "*", "*.parquet"), "'", "''") + `', hive_partitioning = true)
    WHERE table_kind = '支出总表' AND row_label = '合计' AND column_path = '合计'
    GROUP BY ALL ORDER BY fiscal_year`
	if err := db.QueryRow(readme).Scan(&year, &docs, &yuan); err != nil || year != 2024 || docs != 1 || yuan == "" {
		t.Errorf("README query: %d %d %q, %v", year, docs, yuan, err)
	}
	t.Logf("README query: %d, %d document, %s yuan", year, docs, yuan)
	var years string
	if err := db.QueryRow("SELECT string_agg(DISTINCT fiscal_year::VARCHAR, ',') FROM " + cells).Scan(&years); err != nil || years != "2024" {
		t.Fatalf("fiscal_year partitions %q, %v", years, err)
	}

	// amount and amount_yuan are exact decimals, not doubles.
	types := make(map[string]string)
	rows, err := db.Query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + cells + ")")
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
	if types["amount"] != "DECIMAL(18,6)" || types["amount_yuan"] != "DECIMAL(18,2)" {
		t.Fatalf("amount %q, amount_yuan %q: want DECIMAL(18,6) and DECIMAL(18,2)", types["amount"], types["amount_yuan"])
	}

	// In every table with coded rows and a 合计 row, each column's 合计
	// equals the sum of its top-level rows (类 where printed, else the
	// highest level printed), to the cent, in SQL.
	q := `
	WITH totals AS (
		SELECT table_code, column_path, amount AS printed
		FROM ` + cells + ` WHERE row_label = '合计' AND amount IS NOT NULL),
	top AS (
		SELECT table_code, min(row_level) AS level
		FROM ` + cells + ` WHERE row_level > 0 GROUP BY table_code),
	sums AS (
		SELECT c.table_code, c.column_path, sum(c.amount) AS summed, count(*) AS n
		FROM ` + cells + ` c JOIN top USING (table_code)
		WHERE c.row_level = top.level AND c.amount IS NOT NULL
		GROUP BY c.table_code, c.column_path)
	SELECT t.table_code, t.column_path, CAST(t.printed AS VARCHAR), CAST(s.summed AS VARCHAR)
	FROM totals t JOIN sums s USING (table_code, column_path)
	ORDER BY 1, 2`
	rows, err = db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	checked := make(map[string]int)
	for rows.Next() {
		var code, path, printed, summed string
		if err := rows.Scan(&code, &path, &printed, &summed); err != nil {
			t.Fatal(err)
		}
		checked[code]++
		if printed != summed {
			t.Errorf("%s %s: printed 合计 %s, sum of 类 rows %s", code, path, printed, summed)
		}
	}
	for _, code := range []string{"预算03表", "预算05表", "预算07表"} {
		if checked[code] == 0 {
			t.Errorf("%s: no 合计 column checked (got %v)", code, checked)
		}
	}
	t.Logf("columns checked per table: %v", checked)
}

// TestInteropSeedIndicators: DuckDB reads the seed's indicators and form
// fields as budgetpdf run writes them: targets as exact decimals, the
// README's query over indicators.
func TestInteropSeedIndicators(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI("run", "-o", out, "-format", "parquet", "../../fixtures/seed-yindu-hrss-2024-ruled.pdf"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	from := func(set string) string {
		return "read_parquet('" + strings.ReplaceAll(filepath.Join(out, set, "*", "*.parquet"), "'", "''") + "', hive_partitioning = true)"
	}
	var typ string
	if err := db.QueryRow("SELECT column_type FROM (DESCRIBE SELECT * FROM " + from("indicators") + ") WHERE column_name = 'value_low'").Scan(&typ); err != nil || typ != "DECIMAL(18,6)" {
		t.Fatalf("value_low %q, %v", typ, err)
	}
	// The README's query: the projects whose satisfaction target is at
	// least 95%.
	q := `SELECT project_code, project_name, indicator, value_low::VARCHAR
	FROM ` + from("indicators") + `
	WHERE level1 = '满意度指标' AND comparator = '≥' AND value_unit = '%' AND value_low >= 95 AND fiscal_year = 2024
	ORDER BY indicator_index LIMIT 1`
	var code, project, name, low string
	if err := db.QueryRow(q).Scan(&code, &project, &name, &low); err != nil {
		t.Fatal(err)
	}
	if code != "410505240000000056403" || project != "2021年至2023年事业单位招聘岗前培训" || name != "高素质人才、用人单位" || low != "95.000000" {
		t.Errorf("first project with a satisfaction target of 95%% or more: %s %s %s %s", code, project, name, low)
	}
	var n, overall, ranges int
	if err := db.QueryRow("SELECT count(*), count(*) FILTER (WHERE form = 'overall'), count(*) FILTER (WHERE comparator = 'range') FROM "+from("indicators")).Scan(&n, &overall, &ranges); err != nil {
		t.Fatal(err)
	}
	var total string
	if err := db.QueryRow("SELECT amount::VARCHAR FROM " + from("form_fields") + " WHERE key = '预算情况/部门预算总额(万元)'").Scan(&total); err != nil || total != "6192.140000" {
		t.Errorf("部门预算总额 %q, %v", total, err)
	}
	if overall != 24 || n < 150 || ranges == 0 {
		t.Errorf("%d indicators, %d overall, %d ranges", n, overall, ranges)
	}
}
