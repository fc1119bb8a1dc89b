//go:build interop

package main

import (
	"bufio"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// crawlRows are the rows of a crawl manifest over the fixtures, or over
// $BUDGETPDF_CORPUS when set (make corpus-interop) from its MANIFEST.tsv:
// path, then three metadata columns, site, region and crawled_by.
func crawlRows(t *testing.T) [][]string {
	t.Helper()
	rows := [][]string{{"path", "site", "region", "crawled_by"}}
	dir := os.Getenv("BUDGETPDF_CORPUS")
	if dir == "" {
		files, _ := filepath.Glob("../../fixtures/*.pdf")
		for _, f := range files {
			region, _, _ := strings.Cut(filepath.Base(f), "-")
			abs, _ := filepath.Abs(f)
			rows = append(rows, []string{abs, "www." + region + ".gov.cn", region, "interop-test"})
		}
		return rows
	}
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var cols []string
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if cols == nil {
			cols = fields
			continue
		}
		get := func(name string) string { return fields[slices.Index(cols, name)] }
		rows = append(rows, []string{filepath.Join(dir, get("file")), get("source_repo"), get("region"), "interop-test"})
	}
	return rows
}

// TestInteropManifest: a run over a crawl manifest with three metadata
// columns (site, region, crawled_by), read back by DuckDB from the
// documents' Parquet: metadata['site'] (and the others) of every document
// is its manifest row's; the README's query counts documents by site.
func TestInteropManifest(t *testing.T) {
	rows := crawlRows(t)
	manifest := filepath.Join(t.TempDir(), "crawl.csv")
	f, err := os.Create(manifest)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.WriteAll(rows)
	f.Close()
	out := t.TempDir()
	if code, _, stderr := runCLI("run", "-quiet", "-o", out, "-format", "parquet", "-manifest", manifest); code > 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	docs := "read_parquet('" + strings.ReplaceAll(filepath.Join(out, "documents", "*.parquet"), "'", "''") + "', union_by_name = true)"
	q := "SELECT source_file, list_sort(duplicate_files), metadata['site'], metadata['region'], metadata['crawled_by'] FROM " + docs
	res, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	want := make(map[string][]string) // by file: site, region, crawled_by
	for _, r := range rows[1:] {
		want[r[0]] = r[1:]
	}
	seen := 0
	for res.Next() {
		var file string
		var dups []any
		var site, region, by sql.NullString
		if err := res.Scan(&file, &dups, &site, &region, &by); err != nil {
			t.Fatal(err)
		}
		seen += 1 + len(dups)
		if got := []string{site.String, region.String, by.String}; !slices.Equal(got, want[file]) {
			t.Errorf("%s: metadata %q, want %q", file, got, want[file])
		}
	}
	res.Close()
	if seen != len(rows)-1 {
		t.Errorf("%d files in the documents, %d rows in the manifest", seen, len(rows)-1)
	}

	// The README's query.
	readme := `SELECT metadata['site'] AS site, metadata['region'] AS region, count(*) AS documents,
       count(*) FILTER (status = 'ok') AS ok, sum(checks_failed) AS failed_checks
FROM ` + docs + `
GROUP BY ALL ORDER BY documents DESC, site`
	res, err = db.Query(readme)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	var lines []string
	total := 0
	for res.Next() {
		var site, region string
		var n, ok, failed int
		if err := res.Scan(&site, &region, &n, &ok, &failed); err != nil {
			t.Fatal(err)
		}
		total += n
		lines = append(lines, fmt.Sprintf("%-40s | %-22s | %9d | %2d | %d", site, region, n, ok, failed))
	}
	if total == 0 {
		t.Fatal("the README's query found no document")
	}
	t.Logf("README query (%d documents):\n%s", total, strings.Join(lines, "\n"))
}
