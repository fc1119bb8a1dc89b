package workbook_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/workbook"
)

// TestCSVSeed checks two of the seed's CSVs whole, and reads every table's
// back: header, key columns, every amount exact, every text, every blank.
func TestCSVSeed(t *testing.T) {
	res := read(t, seedPDF)
	want := map[string]string{
		"预算02表": "\ufeff编码,名称,单位代码,单位名称,总计,本年收入/合计,本年收入/一般公共预算/小计,本年收入/一般公共预算/其中:财政拨款,本年收入/政府性基金,本年收入/国有资本经营预算,本年收入/财政专户管理资金收入,本年收入/事业收入,本年收入/事业单位经营收入,本年收入/上级补助收入,本年收入/附属单位上缴收入,本年收入/其他收入,上年结转结余/合计,上年结转结余/一般公共预算,上年结转结余/政府性基金,上年结转结余/国有资本经营预算,上年结转结余/财政专户管理资金,上年结转结余/单位资金\r\n" +
			",合计,合计,,6192.14,6192.14,4920.44,4920.44,,,,,,1271.70,,,,,,,,\r\n" +
			"307001,安阳市殷都区人力资源和社会保障局,307001,安阳市殷都区人力资源和社会保障局,6192.14,6192.14,4920.44,4920.44,,,,,,1271.70,,,,,,,,\r\n",
		// one printed row without code or label: no key columns
		"预算08表": "\ufeff“三公”经费合计,因公出国(境)费,公务用车购置及运行费/小计,公务用车购置及运行费/公务用车购置费,公务用车购置及运行费/公务用车运行费,公务接待费\r\n" +
			"8.00,,8.00,,8.00,\r\n",
	}
	n := 0
	for _, tb := range res.Normalized.Tables {
		var buf bytes.Buffer
		if err := workbook.WriteCSV(&buf, tb); err != nil {
			t.Fatal(err)
		}
		if w, ok := want[tb.Code]; ok && buf.String() != w {
			t.Errorf("%s:\n%q\nwant\n%q", tb.Code, buf.String(), w)
		}
		n += checkCSV(t, tb, buf.Bytes())
	}
	if n != 430 {
		t.Errorf("%d amounts read back, want the seed's 430", n)
	}
}

// checkCSV reads a table's CSV back and compares it with the table; it
// returns the number of amounts.
func checkCSV(t *testing.T, tb *normalize.Table, data []byte) int {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("\ufeff")) {
		t.Fatalf("table %d: no byte order mark", tb.Index)
	}
	recs, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	l := expect(tb)
	head := append([]string(nil), l.keys...)
	for _, c := range tb.Columns {
		head = append(head, strings.Join(c.Path, "/"))
	}
	if len(recs) != l.rows+1 || strings.Join(recs[0], "|") != strings.Join(head, "|") {
		t.Fatalf("table %d: %d records, header %q; want %d, %q", tb.Index, len(recs), recs[0], l.rows+1, head)
	}
	body := make([][][]normalize.Cell, l.rows) // the cells at each position of the printed columns
	for i := range body {
		body[i] = make([][]normalize.Cell, len(tb.Columns))
	}
	for _, r := range tb.Rows {
		for _, c := range r.Cells {
			body[l.at[r.Index]][c.Column] = append(body[l.at[r.Index]][c.Column], c)
		}
	}
	n := 0
	for i, rec := range recs[1:] {
		for col, cs := range body[i] {
			got := rec[len(l.keys)+col]
			if len(cs) == 1 && cs[0].Amount != nil {
				n++
				if d, err := decimal.NewFromString(got); err != nil || !d.Equal(cs[0].Amount.Value) || got != cs[0].Amount.String() {
					t.Errorf("table %d record %d column %d: %q, want %s", tb.Index, i, col, got, cs[0].Amount)
				}
				continue
			}
			var want []string
			for _, c := range cs {
				want = append(want, c.Text)
			}
			if got != guarded(strings.Join(want, "\n")) {
				t.Errorf("table %d record %d column %d: %q, want %q", tb.Index, i, col, got, want)
			}
		}
	}
	return n
}

// guarded is a text as the CSV holds it: one a spreadsheet would run as a
// formula gets an apostrophe first (the seed's 指标值 print "=100%").
func guarded(s string) string {
	if s == "" || !strings.ContainsAny(s[:1], "=+@-") {
		return s
	}
	if s[0] == '-' && (strings.Trim(s, "-") == "" || strings.ContainsAny(s[1:2], "0123456789.")) {
		return s
	}
	return "'" + s
}
