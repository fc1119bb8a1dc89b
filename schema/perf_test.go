package schema

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func samplePerformance() ([]Indicator, []FormField) {
	inds := []Indicator{
		{DocumentID: docID, SourceFile: "fixtures/a.pdf", TableIndex: 13, Phase: PhaseBudget, IndicatorIndex: 0, RowIndex: 16,
			Form: FormProject, ProjectCode: "410505240000000058056", ProjectName: "2024工伤认定调查勘验费", ProjectAmount: dec("1.00"),
			Unit: "万元", Agency: "安阳市殷都区人力资源和社会保障局", Level1: "产出指标", Name: "受理案件量", ValueText: "≥300件",
			Comparator: "≥", ValueLow: dec("300"), ValueUnit: "件", Page: 23, X0: 100.004, Y0: 200, X1: 300.5, Y1: 210.126},
		{DocumentID: docID, SourceFile: "fixtures/a.pdf", TableIndex: 13, Phase: PhaseFinal, IndicatorIndex: 1, RowIndex: 17,
			Form: FormOverall, Unit: "万元", Level1: "满意度指标", Level2: "服务对象满意度指标", Name: "群众满意率",
			ValueText: "0-100%", Note: "按年统计", Comparator: "range", ValueLow: dec("0"), ValueHigh: dec("99.123456"), ValueUnit: "%",
			ActualText: "85%", Weight: dec("10"), Score: dec("9.5"), Page: 24},
		{DocumentID: docID, SourceFile: "fixtures/a.pdf", TableIndex: 13, IndicatorIndex: 2, RowIndex: 18, Form: FormProject,
			Name: "养老待遇发放", ValueText: "按时、足额", Qualitative: true, Page: 24},
	}
	fields := []FormField{
		{DocumentID: docID, SourceFile: "fixtures/a.pdf", TableIndex: 12, FieldIndex: 0, RowIndex: 0,
			Key: "部门(单位)名称", Value: "安阳市殷都区人力资源和社会保障局", Unit: "万元", Page: 20, X0: 1, Y0: 2, X1: 3, Y1: 4},
		{DocumentID: docID, SourceFile: "fixtures/a.pdf", TableIndex: 14, FieldIndex: 1, RowIndex: 4, ProjectName: "外伤医疗费用结算审核服务费",
			Key: "专项资金情况(万元)/资金总额", Value: "118.00", Amount: dec("118.00"), Unit: "万元", Page: 28},
	}
	return inds, fields
}

// indicatorLine renders an indicator compactly, decimals exactly.
func indicatorLine(i Indicator) string {
	d := func(v *decimal.Decimal) string {
		if v == nil {
			return "null"
		}
		return v.String()
	}
	return fmt.Sprintf("%s|%s|%d|%s|%d|%d|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%t|%s|%s|%s|%d|%v|%v|%v|%v",
		i.DocumentID[:4], i.SourceFile, i.TableIndex, i.Phase, i.IndicatorIndex, i.RowIndex, i.Form, i.ProjectCode, i.ProjectName,
		d(i.ProjectAmount), i.Unit, i.Agency, i.Level1, i.Level2, i.Name, i.ValueText, i.Note, i.Comparator, d(i.ValueLow),
		d(i.ValueHigh), i.ValueUnit, i.Qualitative, i.ActualText, d(i.Weight), d(i.Score), i.Page, i.X0, i.Y0, i.X1, i.Y1)
}

func fieldLine(f FormField) string {
	a := "null"
	if f.Amount != nil {
		a = f.Amount.String()
	}
	return fmt.Sprintf("%s|%s|%d|%d|%d|%s|%s|%s|%s|%s|%s|%d|%v|%v|%v|%v", f.DocumentID[:4], f.SourceFile, f.TableIndex,
		f.FieldIndex, f.RowIndex, f.ProjectCode, f.ProjectName, f.Key, f.Value, a, f.Unit, f.Page, f.X0, f.Y0, f.X1, f.Y1)
}

// TestPerformanceRoundTrip writes indicators and form fields as a batch
// and reads them back whole: Parquet partitioned by fiscal year, JSON
// Lines beside it, exact decimals, coordinates to 1/100 pt.
func TestPerformanceRoundTrip(t *testing.T) {
	dir := t.TempDir()
	inds, fields := samplePerformance()
	w, err := NewPartWriter(dir, nil, "r-000001")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(Dataset{Documents: sampleDocs()[:1], Indicators: inds, FormFields: fields}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	gotInds, err := ReadDataset[Indicator](dir)
	if err != nil {
		t.Fatal(err)
	}
	gotFields, err := ReadDataset[FormField](dir)
	if err != nil {
		t.Fatal(err)
	}
	inds[0].X0, inds[0].Y1 = 100, 210.13 // rounded to 1/100 pt
	for k := range max(len(inds), len(gotInds)) {
		if k >= len(inds) || k >= len(gotInds) || indicatorLine(gotInds[k]) != indicatorLine(inds[k]) {
			t.Fatalf("indicators read back:\n%v\nwant\n%v", gotInds, inds)
		}
	}
	for k := range max(len(fields), len(gotFields)) {
		if k >= len(fields) || k >= len(gotFields) || fieldLine(gotFields[k]) != fieldLine(fields[k]) {
			t.Fatalf("form fields read back:\n%v\nwant\n%v", gotFields, fields)
		}
	}
	lines := jsonLines(t, filepath.Join(dir, JSONLDir, "indicators", "fiscal_year=2024", "part-r-000001.jsonl"))
	want := `{"document_id":"` + docID + `","source_file":"fixtures/a.pdf","table_index":13,"phase":"决算","indicator_index":1,"row_index":17,"form":"overall","project_code":"","project_name":"","project_amount":null,"unit":"万元","agency":"","level1":"满意度指标","level2":"服务对象满意度指标","indicator":"群众满意率","value_text":"0-100%","note":"按年统计","comparator":"range","value_low":"0","value_high":"99.123456","value_unit":"%","qualitative":false,"actual_text":"85%","weight":"10","score":"9.5","page":24,"x0":0,"y0":0,"x1":0,"y1":0}`
	if len(lines) != 3 || lines[1] != want {
		t.Errorf("indicators.jsonl line 2\n got %v\nwant %s", lines, want)
	}
	flines := jsonLines(t, filepath.Join(dir, JSONLDir, "form_fields", "fiscal_year=2024", "part-r-000001.jsonl"))
	if len(flines) != 2 || !strings.Contains(flines[1], `"key":"专项资金情况(万元)/资金总额","value":"118.00","amount":"118","unit":"万元"`) {
		t.Errorf("form_fields.jsonl: %v", flines)
	}
	if _, err := os.Stat(filepath.Join(dir, "indicators", "fiscal_year=2024", "part-r-000001.parquet")); err != nil {
		t.Error(err)
	}
}

// TestPerformanceWriteErrors: a target or field amount that cannot be
// written exactly fails the write, naming record set, row and column, and
// writes nothing.
func TestPerformanceWriteErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func([]Indicator, []FormField)
		want   string
		is     error
	}{
		{"seven decimals", func(i []Indicator, _ []FormField) { i[1].ValueHigh = dec("1.1234567") },
			"indicators: row 1: value_high 1.1234567: more decimals than the column holds", ErrScale},
		{"19 digits", func(i []Indicator, _ []FormField) { i[0].Score = dec("1000000000000") },
			"indicators: row 0: score 1000000000000: out of range for DECIMAL(18)", ErrRange},
		{"NaN", func(i []Indicator, _ []FormField) { i[2].X1 = math.NaN() }, "indicators: row 2: x1 NaN: not a finite number", ErrNotFinite},
		{"field amount", func(_ []Indicator, f []FormField) { f[1].Amount = dec("0.0000001") },
			"form_fields: row 1: amount 0.0000001: more decimals than the column holds", ErrScale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			inds, fields := samplePerformance()
			tt.change(inds, fields)
			w, err := NewPartWriter(dir, nil, "r-000001")
			if err != nil {
				t.Fatal(err)
			}
			err = w.Write(Dataset{Documents: sampleDocs()[:1], Indicators: inds, FormFields: fields})
			if err == nil || err.Error() != tt.want || !errors.Is(err, tt.is) {
				t.Fatalf("error %v, want %s", err, tt.want)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if names := dirNames(t, dir); names != "" {
				t.Errorf("files written: %s", names)
			}
		})
	}
}
