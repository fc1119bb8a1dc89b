package normalize

import (
	"fmt"
	"testing"
)

// TestIndentLevels: each label column ranks its own indentation, a total
// has no level, a label repeated in a later column does not shift the
// ranking, and a form (绩效目标表) gets none.
func TestIndentLevels(t *testing.T) {
	text := func(col int, s string, x float64) Cell { return Cell{Column: col, Text: s, Raw: s, X0: x} }
	amount := func(col int, s string) Cell {
		a, err := ParseAmount(s)
		if err != nil {
			t.Fatal(err)
		}
		return Cell{Column: col, Text: s, Raw: s, Amount: &a}
	}
	build := func(kind string) *Table {
		return &Table{Kind: Kind(kind), Columns: []Column{{Index: 0, Path: []string{"项目"}}, {Index: 1, Path: []string{"金额"}}, {Index: 2, Path: []string{"说明"}}, {Index: 3, Path: []string{"备注"}}},
			Rows: []Row{
				{Index: 0, Cells: []Cell{text(0, "一、甲", 10), amount(1, "1.00"), text(2, "一、甲", 200)}},
				{Index: 1, Cells: []Cell{text(0, "1、乙", 22), amount(1, "2.00"), text(2, "说明", 200)}},
				{Index: 2, Cells: []Cell{amount(1, "3.00"), text(2, "丙", 200)}},
				{Index: 3, Cells: []Cell{amount(1, "4.00"), text(2, "丁", 212)}},
				{Index: 4, Cells: []Cell{text(0, "2、戊", 22), amount(1, "5.00"), text(3, "x", 300)}},
				{Index: 5, Cells: []Cell{text(0, "合计", 60), amount(1, "15.00")}},
			}}
	}
	levels := func(tab *Table) string {
		def := (*Settings)(nil).withDefaults()
		labelRows(tab, &def)
		var s []string
		for _, r := range tab.Rows {
			s = append(s, fmt.Sprintf("%s:%d", r.Label, r.Level))
		}
		return fmt.Sprint(s)
	}
	if got, want := levels(build("other")), "[一、甲:1 1、乙:2 丙:1 丁:2 2、戊:2 合计:0]"; got != want {
		t.Errorf("levels %s, want %s", got, want)
	}
	if got, want := levels(build("绩效目标表")), "[一、甲:0 1、乙:0 丙:0 丁:0 2、戊:0 合计:0]"; got != want {
		t.Errorf("form: levels %s, want %s", got, want)
	}
}
