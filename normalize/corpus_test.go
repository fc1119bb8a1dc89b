package normalize

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/budgetpdf/budgetpdf/extract"
	"github.com/shopspring/decimal"
)

// TestCorpusTables rebuilds the tables of every PDF under $BUDGETPDF_CORPUS
// (make corpus sets it) and reports, per file, the tables found with their
// kinds, the rows of 支出 tables where 合计 = 基本支出 + 项目支出 holds, and
// the time of each stage. It measures; the unit tests guard.
func TestCorpusTables(t *testing.T) {
	dir := os.Getenv("BUDGETPDF_CORPUS")
	if dir == "" {
		t.Skip("BUDGETPDF_CORPUS not set (make corpus sets it)")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	var extractTime, buildTime time.Duration
	var rowsChecked, rowsOK, tablesTotal int
	var checkCount [3]int // passed (incl. rounding), failed, skipped
	for _, file := range files {
		start := time.Now() // (opening reads the file: stage one's work)
		d, err := extract.OpenFile(file, nil)
		if err != nil {
			t.Logf("%s: %v", filepath.Base(file), err)
			continue
		}
		var pages []*extract.Page
		for p := range d.Pages() {
			pages = append(pages, p)
		}
		d.Close()
		extractTime += time.Since(start)
		start = time.Now()
		b := NewBuilder(nil)
		for _, p := range pages {
			b.AddPage(p)
		}
		tables := b.Finish().Tables
		buildTime += time.Since(start)
		kinds := make(map[Kind]int)
		checked, ok := 0, 0
		var bad []string
		for _, tb := range tables {
			kinds[tb.Kind]++
			c, k, m := checkTotals(tb)
			checked += c
			ok += k
			bad = append(bad, m...)
		}
		status := make(map[CheckStatus]int)
		var fails []string
		for _, c := range Checks(tables) {
			status[c.Status]++
			if c.Status == CheckFail {
				tb := tables[c.Table]
				page := 0
				if len(c.Cells) > 0 {
					page = c.Cells[0].Page
				}
				fails = append(fails, fmt.Sprintf("p%d %s %q: %s", page, tb.Code, tb.Title, c))
			}
		}
		checkCount[0] += status[CheckPass] + status[CheckRounding]
		checkCount[1] += status[CheckFail]
		checkCount[2] += status[CheckSkipped]
		t.Logf("%s	checks pass %d rounding %d fail %d skipped %d", filepath.Base(file), status[CheckPass], status[CheckRounding], status[CheckFail], status[CheckSkipped])
		for _, f := range head(fails, 20) {
			t.Logf("    FAIL %s", f)
		}
		tablesTotal += len(tables)
		rowsChecked += checked
		rowsOK += ok
		var ks []string
		for k, n := range kinds {
			ks = append(ks, string(k)+"×"+itoa(n))
		}
		sort.Strings(ks)
		t.Logf("%s\ttables %d\t合计=基本+项目 %d/%d\t%s", filepath.Base(file), len(tables), ok, checked, strings.Join(ks, " "))
		for _, m := range head(bad, 3) {
			t.Logf("    %s", m)
		}
	}
	t.Logf("TOTAL checks passed %d failed %d skipped %d", checkCount[0], checkCount[1], checkCount[2])
	t.Logf("TOTAL tables %d; rows 合计=基本支出+项目支出: %d/%d (%.2f%%); extract %v, tables %v (+%.1f%%)",
		tablesTotal, rowsOK, rowsChecked, 100*float64(rowsOK)/float64(max(rowsChecked, 1)), extractTime, buildTime, 100*buildTime.Seconds()/extractTime.Seconds())
}

func itoa(n int) string { return decimal.NewFromInt(int64(n)).String() }

func head(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// checkTotals checks 合计 = 基本支出 + 项目支出 on the rows of a table that
// print all three (columns named 合计/总计, 基本支出 and 项目支出 at their
// top level, a 小计 leaf standing for its group).
func checkTotals(tb *Table) (checked, ok int, bad []string) {
	total, basic, project := -1, -1, -1
	group := func(p []string, name string) bool {
		// The group's own column: its name as the leaf, or a 小计/合计
		// leaf right under it.
		for i, e := range p {
			if strings.HasSuffix(e, name) {
				return i == len(p)-1 || (i == len(p)-2 && (p[i+1] == "小计" || p[i+1] == "合计"))
			}
		}
		return false
	}
	for _, c := range tb.Columns {
		p := c.Path
		if len(p) == 0 {
			continue
		}
		leaf := p[len(p)-1]
		switch {
		case group(p, "基本支出"):
			if basic < 0 {
				basic = c.Index
			}
		case group(p, "项目支出"):
			if project < 0 {
				project = c.Index
			}
		case total < 0 && basic < 0 && (leaf == "合计" || leaf == "总计" || strings.HasSuffix(leaf, "支出合计") || leaf == "小计"):
			total = c.Index
		}
	}
	if total < 0 || basic < 0 || project < 0 {
		return 0, 0, nil
	}
	for _, r := range tb.Rows {
		var t, b, p *Amount
		for _, c := range r.Cells {
			switch c.Column {
			case total:
				t = c.Amount
			case basic:
				b = c.Amount
			case project:
				p = c.Amount
			}
		}
		if t == nil || b == nil || p == nil {
			continue
		}
		checked++
		diff := t.Value.Sub(b.Value.Add(p.Value)).Abs()
		// Within half a unit of the last printed decimal per operand.
		tol := decimal.New(5, -t.Scale-1).Mul(decimal.NewFromInt(3))
		if diff.LessThanOrEqual(tol) {
			ok++
		} else {
			bad = append(bad, "table "+itoa(tb.Index)+" "+tb.Title+" row "+r.Label+": "+t.Value.String()+" != "+b.Value.String()+" + "+p.Value.String())
		}
	}
	return checked, ok, bad
}

// BenchmarkCorpusTables is the tables stage alone (Builder, Finish and
// Checks) over the pages of every corpus file, read once beforehand.
func BenchmarkCorpusTables(b *testing.B) {
	dir := os.Getenv("BUDGETPDF_CORPUS")
	if dir == "" {
		b.Skip("BUDGETPDF_CORPUS not set")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	var docs [][]*extract.Page
	pages := 0
	for _, file := range files {
		d, err := extract.OpenFile(file, nil)
		if err != nil {
			continue
		}
		var ps []*extract.Page
		for p := range d.Pages() {
			if p != nil {
				ps = append(ps, p)
			}
		}
		d.Close()
		docs = append(docs, ps)
		pages += len(ps)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, ps := range docs {
			bl := NewBuilder(nil)
			for _, p := range ps {
				bl.AddPage(p)
			}
			Checks(bl.Finish().Tables)
		}
	}
	b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
}

// TestCorpusMeasures reports how many amount cells of measured kinds get a
// measure over $BUDGETPDF_CORPUS, and every column path that gets none,
// with its cell count. It fails under 99%.
func TestCorpusMeasures(t *testing.T) {
	dir := os.Getenv("BUDGETPDF_CORPUS")
	if dir == "" {
		t.Skip("BUDGETPDF_CORPUS not set (make corpus sets it)")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	cells, measured := 0, 0
	missing := map[string]int{}
	byMeasure := map[string]int{}
	for _, file := range files {
		d, err := extract.OpenFile(file, nil)
		if err != nil {
			continue
		}
		b := NewBuilder(nil)
		for p := range d.Pages() {
			if p != nil {
				b.AddPage(p)
			}
		}
		d.Close()
		for _, tb := range b.Finish().Tables {
			if !tb.Kind.Measured() {
				continue
			}
			for _, dup := range sameMeasures(tb) {
				t.Logf("same measure: %s %s %q: %s", filepath.Base(file), tb.Code, tb.Title, dup)
			}
			for _, r := range tb.Rows {
				for _, c := range r.Cells {
					if c.Amount == nil {
						continue
					}
					cells++
					col := tb.Columns[c.Column]
					if col.Measure == "" {
						missing[string(tb.Kind)+"\t"+col.PathString()]++
						continue
					}
					measured++
					byMeasure[col.Measure]++
				}
			}
		}
	}
	keys := make([]string, 0, len(missing))
	for k := range missing {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return missing[keys[i]] > missing[keys[j]] })
	for _, k := range keys {
		t.Logf("no measure: %5d  %s", missing[k], k)
	}
	ms := make([]string, 0, len(byMeasure))
	for m := range byMeasure {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	for _, m := range ms {
		t.Logf("measure %-40s %6d cells", m, byMeasure[m])
	}
	share := float64(measured) / float64(max(cells, 1))
	t.Logf("TOTAL %d of %d amount cells of measured kinds have a measure (%.2f%%)", measured, cells, 100*share)
	if share < 0.99 {
		t.Errorf("measures on %.2f%% of amount cells, want >= 99%%", 100*share)
	}
}

// sameMeasures lists the column paths of tb that share a measure and fund
// on one side of the table (the sides of a 收支总表 are told by their rows).
func sameMeasures(tb *Table) []string {
	by := map[string][]string{}
	var keys []string
	for _, c := range tb.Columns {
		if c.Measure == "" {
			continue
		}
		k := c.Measure + "@" + c.Fund
		if len(c.Path) > 0 && (c.Path[0] == "收入" || c.Path[0] == "支出") {
			k = c.Path[0] + ":" + k
		}
		if by[k] == nil {
			keys = append(keys, k)
		}
		by[k] = append(by[k], c.PathString())
	}
	var out []string
	for _, k := range keys {
		if len(by[k]) > 1 {
			out = append(out, k+" "+strings.Join(by[k], " | "))
		}
	}
	return out
}
