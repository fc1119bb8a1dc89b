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
