package normalize

import (
	"fmt"
	"strings"
	"testing"
)

// TestFormContinuedInFinerColumns: a ruled performance form whose first
// page holds only its first field (项目名称 | its value across the width)
// goes on, on the next page, in five columns. Every text of a row keeps a
// column of its own (the table's one wide column splits), the form's
// fields and indicators read as before.
func TestFormContinuedInFinerColumns(t *testing.T) {
	d := buildDocument(t, "testdata/fuzhou-medical-insurance-2026-budget-p26-27.pdf")
	var form *Table
	for _, tb := range d.Tables {
		if strings.HasPrefix(tb.Title, "2026年医疗服务与保障能力提升补助资金") {
			form = tb
		}
	}
	if form == nil {
		t.Fatal("no table titled 2026年医疗服务与保障能力提升补助资金项目绩效目标表")
	}
	var got []string
	for _, r := range form.Rows {
		seen := map[int]string{}
		var cells []string
		for _, c := range r.Cells {
			if prev, ok := seen[c.Column]; ok {
				t.Errorf("row %d: %q and %q in column %d", r.Index, prev, c.Text, c.Column)
			}
			seen[c.Column] = c.Text
			cells = append(cells, fmt.Sprintf("%d:%s", c.Column, c.Text))
		}
		if r.Index <= 7 {
			got = append(got, strings.Join(cells, " | "))
		}
	}
	want := []string{
		"0:项目名称 | 1:2026 年医疗服务与保障能力提升补助资金",
		"0:主管部门 | 1:福州市医疗保障局 | 3:实施单位 | 4:福州市医疗保障局",
		"0:专项资金情况(万元) | 1:资金总额 | 3:745.00",
		"1:财政拨款 | 3:745.00",
		"1:其他资金 | 3:0.00",
		"0:年度目标 | 1:2026 年医疗服务与保障能力提升补助资金",
		"0:绩效目标指标 | 1:一级指标 | 2:二级指标 | 3:三级指标 | 4:指标值",
		"1:成本指标 | 2:社会成本指标 | 3:行政处罚案件完成及时率 | 4:≥90%",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(form.Columns) != 5 {
		t.Errorf("%d columns, want 5", len(form.Columns))
	}
	var fields []string
	for _, f := range d.FormFields {
		if f.Table == form.Index {
			fields = append(fields, f.Key+"="+f.Value)
		}
	}
	wantFields := "项目名称=2026 年医疗服务与保障能力提升补助资金 主管部门=福州市医疗保障局 实施单位=福州市医疗保障局 专项资金情况(万元)/资金总额=745.00 专项资金情况(万元)/财政拨款=745.00 专项资金情况(万元)/其他资金=0.00 年度目标=2026 年医疗服务与保障能力提升补助资金"
	if strings.Join(fields, " ") != wantFields {
		t.Errorf("fields %s\nwant %s", strings.Join(fields, " "), wantFields)
	}
	var inds []string
	for _, in := range d.Indicators {
		if in.Table == form.Index {
			inds = append(inds, in.Level1+"/"+in.Level2+"/"+in.Name+"="+in.ValueText)
		}
	}
	if len(inds) < 6 || inds[0] != "成本指标/社会成本指标/行政处罚案件完成及时率=≥90%" {
		t.Errorf("indicators %q", inds)
	}
}

// TestSharedCellFlag: two texts of one row in one column are flagged, in
// a 绩效 form as in a table of amounts; one text per column is not.
func TestSharedCellFlag(t *testing.T) {
	for _, kind := range []Kind{KindPerformance, "支出总表"} {
		tb := &Table{Index: 3, Kind: kind, Columns: []Column{{Index: 0}, {Index: 1}}}
		tb.Rows = []Row{
			{Index: 0, Cells: []Cell{makeCell(0, "主管部门", "主管部门", 27, Box{}), makeCell(1, "福州市医疗保障局", "福州市医疗保障局", 27, Box{})}},
			{Index: 1, Cells: []Cell{makeCell(0, "资金总额", "资金总额", 27, Box{}), makeCell(1, "财政拨款", "财政拨款", 27, Box{}), makeCell(1, "745.00", "745.00", 27, Box{})}},
		}
		var got []string
		for _, c := range Checks([]*Table{tb}) {
			if c.Rule == "structure.shared-cell" {
				got = append(got, fmt.Sprintf("%s row %d: %d cells", c.Status, c.Row, len(c.Cells)))
			}
		}
		if want := "fail row 1: 2 cells"; strings.Join(got, "; ") != want {
			t.Errorf("%s: %q, want %q", kind, got, want)
		}
	}
}
