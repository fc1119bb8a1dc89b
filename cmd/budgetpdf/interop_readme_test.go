//go:build interop

package main

import (
	"fmt"
	"strings"
	"testing"
)

// readmeFactsQueries are the README's cross-document questions of the
// facts record set; FACTS stands for its read_parquet.
var readmeFactsQueries = []struct{ name, sql string }{
	{"三公 totals by agency", `
WITH r AS (  -- each row's 三公 total: all funds, else summed over its funds
  SELECT agency, province, fiscal_year, phase, document_id,
         coalesce(sum(amount_yuan) FILTER (fund = ''), sum(amount_yuan)) AS yuan
  FROM FACTS WHERE measure = 'sangong.total'
  GROUP BY agency, province, fiscal_year, phase, document_id, table_index, row_index)
SELECT agency, province, fiscal_year, phase, max(yuan) AS sangong_yuan  -- the total row
FROM r GROUP BY ALL ORDER BY sangong_yuan DESC`},
	{"share of 项目支出 by agency", `
WITH r AS (
  SELECT agency, fiscal_year, document_id, table_index, row_index,
         sum(amount_yuan) FILTER (measure = 'total') AS total,
         sum(amount_yuan) FILTER (measure = 'project') AS project
  FROM FACTS WHERE table_kind = '支出总表' AND phase = '预算' AND fund = ''
  GROUP BY ALL)
SELECT DISTINCT ON (document_id) agency, fiscal_year, total, project,
       round(100 * project / total, 1) AS project_pct
FROM r WHERE total > 0 AND project IS NOT NULL
ORDER BY document_id, total DESC`},
	{"function-类 totals by province", `
WITH r AS (  -- each 支出总表's function rows by 类: the 类 row, else its 款 or 项 rows summed
  SELECT province, document_id, table_index, left(code, 3) AS class, level,
         sum(amount_yuan) AS yuan, any_value(code_name) FILTER (level = 1) AS code_name
  FROM FACTS
  WHERE table_kind = '支出总表' AND phase = '预算' AND measure = 'total' AND fund = ''
    AND code_system = 'function' AND province <> ''
  GROUP BY province, document_id, table_index, left(code, 3), level
  QUALIFY level = min(level) OVER (PARTITION BY document_id, table_index, class)),
d AS (  -- one figure per document and 类: its largest 支出总表's
  SELECT province, document_id, class, any_value(code_name) AS code_name, max(yuan) AS yuan
  FROM r GROUP BY ALL)
SELECT province, class AS code, any_value(code_name) AS code_name, count(*) AS documents,
       sum(yuan) AS yuan
FROM d GROUP BY province, class ORDER BY province, yuan DESC`},
}

// TestInteropReadmeQueries runs the README's facts queries in DuckDB over
// $BUDGETPDF_CORPUS when set, else over the seed, and prints their output.
func TestInteropReadmeQueries(t *testing.T) {
	db, out := interopDataset(t)
	facts := readParquet(out, "facts")
	for _, q := range readmeFactsQueries {
		rows, err := db.Query(strings.ReplaceAll(q.sql, "FACTS", facts))
		if err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		cols, _ := rows.Columns()
		var b strings.Builder
		fmt.Fprintln(&b, strings.Join(cols, " | "))
		n := 0
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			cells := make([]string, len(vals))
			for i, v := range vals {
				cells[i] = fmt.Sprint(v)
			}
			fmt.Fprintln(&b, strings.Join(cells, " | "))
			n++
		}
		rows.Close()
		t.Logf("%s: %d rows\n%s", q.name, n, b.String())
		if n == 0 {
			t.Errorf("%s: no rows", q.name)
		}
	}
}
