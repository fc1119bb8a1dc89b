package pipeline

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/schema"
	"github.com/shopspring/decimal"
)

// TestPerformanceRecords: an indicator whose value does not read keeps its
// text with the numbers empty, a bound too fine for DECIMAL(18,6) is left
// empty with its comparator, and neither is a problem of the document.
func TestPerformanceRecords(t *testing.T) {
	low := decimal.RequireFromString("0.1234567") // seven decimals
	target, err := normalize.ParseTarget("≥20场/≥50人")
	nd := &normalize.Document{
		Tables: []*normalize.Table{{Index: 0, Kind: normalize.KindPerformance, Phase: normalize.PhaseBudget, Unit: "万元"}},
		Indicators: []normalize.Indicator{
			{Table: 0, Row: 3, Form: normalize.FormProject, ProjectName: "市民大讲堂", Name: "开展市民大讲堂/举办频次",
				ValueText: "≥20场/≥50人", Target: target, TargetErr: err, Page: 70},
			{Table: 0, Row: 4, Form: normalize.FormProject, ProjectName: "市民大讲堂", Name: "上座率", ValueText: "≥0.1234567",
				Target: normalize.Target{Comparator: normalize.CompAtLeast, Low: &low}, Page: 70},
		},
		FormFields: []normalize.FormField{{Table: 0, Row: 0, Key: "项目名称", Value: "市民大讲堂", ProjectName: "市民大讲堂", Page: 69}},
	}
	doc := schema.Document{DocumentID: "d", SourceFile: "a.pdf", Status: schema.StatusOK}
	inds, fields := performanceRecords(&doc, nd)
	line := func(r schema.Indicator) string {
		return fmt.Sprintf("%d|%s|%s|%s|%s|%v|%v|%t|%s", r.IndicatorIndex, r.Phase, r.ProjectName, r.ValueText, r.Comparator, r.ValueLow, r.ValueHigh, r.Qualitative, r.Unit)
	}
	want := []string{
		"0|预算|市民大讲堂|≥20场/≥50人||<nil>|<nil>|false|万元",
		"1|预算|市民大讲堂|≥0.1234567|≥|<nil>|<nil>|false|万元",
	}
	if err == nil || len(inds) != 2 || line(inds[0]) != want[0] || line(inds[1]) != want[1] {
		t.Fatalf("records %v (%v)", inds, err)
	}
	if len(fields) != 1 || fields[0].Key != "项目名称" || fields[0].Unit != "万元" || fields[0].Page != 69 {
		t.Errorf("fields %+v", fields)
	}
	if doc.Status != schema.StatusOK {
		t.Errorf("status %s", doc.Status)
	}
}

// TestSeedRenderingsIndicators reads the seed's two renderings, every
// table with its rules and the same tables with only three rules (top,
// under the header, bottom) and none between columns, and finds the same
// indicator and form field records in both: every field but the file's
// own (document, source file), the positions on the page and the table's
// index, for which the table's title and kind stand (the three-line
// rendering gives no table for the 2024年部门预算表 of page 18, a header
// over no rows).
func TestSeedRenderingsIndicators(t *testing.T) {
	const threeline = "../fixtures/seed-yindu-hrss-2024-threeline.pdf"
	read := func(file string) *Result {
		res, err := ReadDocument(context.Background(), file, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	want, got := read(ruled), read(threeline)
	skip := []string{"DocumentID", "SourceFile", "TableIndex", "X0", "Y0", "X1", "Y1"}
	table := func(res *Result, i int32) string { return res.Tables[i].TableKind + " " + res.Tables[i].Title }
	var w, g []string
	for _, r := range want.Indicators {
		w = append(w, table(want, r.TableIndex)+" "+recordLine(r, skip))
	}
	for _, r := range got.Indicators {
		g = append(g, table(got, r.TableIndex)+" "+recordLine(r, skip))
	}
	compareLines(t, "indicator", g, w, 189)
	w, g = nil, nil
	for _, r := range want.FormFields {
		w = append(w, table(want, r.TableIndex)+" "+recordLine(r, skip))
	}
	for _, r := range got.FormFields {
		g = append(g, table(got, r.TableIndex)+" "+recordLine(r, skip))
	}
	compareLines(t, "form field", g, w, 9)
}

// compareLines reports the records that differ (the first ten), and a
// count of wanted records other than n.
func compareLines(t *testing.T, what string, got, want []string, n int) {
	t.Helper()
	if len(want) != n || len(got) != len(want) {
		t.Errorf("%d %ss, want %d (the ruled rendering gives %d)", len(got), what, n, len(want))
	}
	bad := 0
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			if bad++; bad > 10 {
				t.Fatalf("more %ss differ", what)
			}
			t.Errorf("%s %d:\n got %s\nwant %s", what, i, got[i], want[i])
		}
	}
}

// recordLine renders a record's fields, but those named in skip, as
// name=value pairs; decimals by their value.
func recordLine(rec any, skip []string) string {
	v := reflect.ValueOf(rec)
	var b strings.Builder
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if slices.Contains(skip, name) {
			continue
		}
		f := v.Field(i).Interface()
		if d, ok := f.(*decimal.Decimal); ok && d != nil {
			f = d.String()
		}
		fmt.Fprintf(&b, "%s=%v ", name, f)
	}
	return b.String()
}
