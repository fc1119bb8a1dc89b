package schema

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"
)

// TestFactsRoundTrip writes facts as a batch and reads them back whole,
// from Parquet and from JSON Lines: exact decimals, a null amount_yuan
// where the unit is unknown, the year's partition.
func TestFactsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	yuan := decimal.RequireFromString("49204400")
	facts := []Fact{
		{DocumentID: docID, SourceFile: "fixtures/a.pdf", FiscalYear: 2024, Phase: PhaseBudget,
			Agency: "印都区人力资源和社会保障局", RegionCode: "410505", Province: "河南省", City: "安阳市", County: "殷都区",
			TableIndex: 2, TableCode: "预算03表", TableKind: "支出总表", Measure: "basic.personnel.wages", Fund: "general_budget",
			Code: "2080101", CodeSystem: "function", CodeName: "行政运行", Label: "行政运行", Level: 3,
			Amount: decimal.RequireFromString("4920.44"), AmountYuan: &yuan, Unit: "万元", Page: 4, RowIndex: 7, ColumnIndex: 5},
		{DocumentID: docID, SourceFile: "fixtures/a.pdf", FiscalYear: 2024, TableIndex: 3, Side: "支出",
			Amount: decimal.RequireFromString("-0.000001"), Page: 5},
	}
	w, err := NewPartWriter(dir, nil, "r-000001")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(Dataset{Documents: sampleDocs()[:1], Facts: facts}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadDataset[Fact](dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(facts) {
		t.Fatalf("%d facts read back, want %d", len(got), len(facts))
	}
	for i := range facts {
		g, f := got[i], facts[i]
		if !g.Amount.Equal(f.Amount) || (g.AmountYuan == nil) != (f.AmountYuan == nil) || f.AmountYuan != nil && !g.AmountYuan.Equal(*f.AmountYuan) {
			t.Errorf("fact %d amounts %s %v, want %s %v", i, g.Amount, g.AmountYuan, f.Amount, f.AmountYuan)
		}
		g.Amount, g.AmountYuan, f.Amount, f.AmountYuan = decimal.Zero, nil, decimal.Zero, nil
		if !reflect.DeepEqual(g, f) {
			t.Errorf("fact %d:\n%+v\nwant\n%+v", i, g, f)
		}
	}
	lines := jsonLines(t, filepath.Join(dir, JSONLDir, "facts", "fiscal_year=2024", "part-r-000001.jsonl"))
	want := `{"document_id":"` + docID + `","source_file":"fixtures/a.pdf","fiscal_year":2024,"phase":"预算","agency":"印都区人力资源和社会保障局","region_code":"410505","province":"河南省","city":"安阳市","county":"殷都区","table_index":2,"table_code":"预算03表","table_kind":"支出总表","measure":"basic.personnel.wages","fund":"general_budget","side":"","code":"2080101","code_system":"function","code_name":"行政运行","label":"行政运行","level":3,"amount":"4920.44","amount_yuan":"49204400","unit":"万元","page":4,"row_index":7,"column_index":5}`
	if len(lines) != 2 || lines[0] != want {
		t.Fatalf("facts.jsonl:\n%v\nwant first\n%s", lines, want)
	}
	var second map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil || second["amount"] != "-0.000001" || second["amount_yuan"] != nil {
		t.Errorf("second fact %s", lines[1])
	}
}
