package pipeline

import (
	"fmt"
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
