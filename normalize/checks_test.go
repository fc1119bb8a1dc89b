package normalize

import (
	"strings"
	"testing"
)

// mkTable builds a table from column paths ("基本支出/小计") and rows
// written as "side|code|label|v0|v1|..." (values per column; "" blank).
func mkTable(index int, kind string, paths []string, rows ...string) *Table {
	t := &Table{Index: index, Kind: Kind(kind)}
	for i, p := range paths {
		t.Columns = append(t.Columns, Column{Index: i, Path: strings.Split(p, "/")})
	}
	for i, r := range rows {
		f := strings.Split(r, "|")
		row := Row{Index: i, Side: Side(f[0]), Code: f[1], Label: f[2]}
		switch len(row.Code) {
		case 3:
			row.Level = 1
		case 5:
			row.Level = 2
		case 7:
			row.Level = 3
		}
		for col, v := range f[3:] {
			if v == "" {
				continue
			}
			c := Cell{Column: col, Text: v, Page: 1}
			if a, err := ParseAmount(v); err == nil {
				c.Amount = &a
			}
			row.Cells = append(row.Cells, c)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func checkSummary(cs []Check, rule string) string {
	var out []string
	for _, c := range cs {
		if c.Rule == rule {
			out = append(out, string(c.Status))
		}
	}
	return strings.Join(out, ",")
}

func TestCheckRules(t *testing.T) {
	spend := []string{"合计", "基本支出/小计", "基本支出/人员经费", "基本支出/公用经费", "项目支出"}
	tests := []struct {
		name   string
		tables []*Table
		rule   string
		want   string // statuses of the rule's checks, in order
	}{
		{"group total passes", []*Table{mkTable(0, "支出总表", spend, "||行政运行|10.00|6.00|5.00|1.00|4.00")}, "row.group-total", "pass"},
		{"group total fails", []*Table{mkTable(0, "支出总表", spend, "||行政运行|10.00|6.00|5.00|2.00|4.00")}, "row.group-total", "fail"},
		{"blank operand skips", []*Table{mkTable(0, "支出总表", spend, "||行政运行|10.00|6.00|5.00||4.00")}, "row.group-total", "skipped"},
		{"grand total: 合计 = 基本 + 项目", []*Table{mkTable(0, "支出总表", spend, "||a|10.00|6.00|5.00|1.00|4.00", "||b|10.00|6.00|5.00|1.00|3.00")}, "row.grand-total", "pass,fail"},
		{"rounding within half a unit per operand", []*Table{mkTable(0, "支出总表", []string{"合计", "基本支出", "项目支出"}, "||a|10.01|6.00|4.00", "||b|10.02|6.00|4.00")}, "row.grand-total", "rounding,fail"},
		{"其中 is not an addend", []*Table{mkTable(0, "收入总表", []string{"合计", "一般公共预算/小计", "一般公共预算/其中:财政拨款", "事业收入"}, "||a|10.00|8.00|8.00|2.00")}, "row.grand-total", "pass"},
		{"三公 合计", []*Table{mkTable(0, "三公经费表", []string{"“三公”经费合计", "因公出国(境)费", "公务用车购置及运行费/小计", "公务用车购置及运行费/公务用车购置费", "公务用车购置及运行费/公务用车运行费", "公务接待费"},
			"||a|8.00|1.00|5.00|2.00|3.00|2.00")}, "row.grand-total", "pass"},
		{"column: 合计 = top-level rows", []*Table{mkTable(0, "支出总表", []string{"合计"},
			"||合计|30.00", "|208|社会保障|20.00", "|20801|人力资源|20.00", "|210|卫生健康|10.00")}, "column.top-level", "pass"},
		{"column fails", []*Table{mkTable(0, "支出总表", []string{"合计"},
			"||合计|31.00", "|208|社会保障|20.00", "|210|卫生健康|10.00")}, "column.top-level", "fail"},
		{"column: 合计 = agency rows", []*Table{mkTable(0, "收入总表", []string{"合计"},
			"||合计|30.00", "|307001|甲|20.00", "|307002|乙|10.00")}, "column.agencies", "pass"},
		{"hierarchy: 类 = 款, 款 = 项", []*Table{mkTable(0, "支出总表", []string{"合计"},
			"|208|社会保障|20.00", "|20801|人力资源|15.00", "|2080101|行政运行|15.00", "|20805|养老|5.00", "|2080505|养老保险|4.00")}, "hierarchy.children", "pass,pass,fail"},
		{"two-sided totals and items", []*Table{mkTable(0, "收支总表", []string{"收入/项目", "收入/金额", "支出/项目", "支出/金额"},
			"收入||一、一般公共预算||10.00", "支出||一、一般公共服务|||4.00",
			"收入||其中:财政拨款||10.00", "支出||二、外交|||6.00",
			"收入||二、上级补助收入||2.00", "支出||本年支出合计|||10.00",
			"收入||本年收入合计||12.00", "支出||支出总计|||12.00",
			"收入||收入总计||12.00")}, "", ""},
		{"cross: 基本支出表 合计 = 一般公共预算支出表 基本支出", []*Table{
			mkTable(0, "一般公共预算支出表", []string{"合计", "基本支出", "项目支出"}, "||合计|10.00|6.00|4.00"),
			mkTable(1, "一般公共预算基本支出表", []string{"合计", "人员经费", "公用经费"}, "||合计|6.00|5.00|1.00")}, "cross.basic-expenditure", "pass"},
		{"cross fails", []*Table{
			mkTable(0, "支出总表", []string{"合计", "基本支出", "项目支出"}, "||合计|10.00|6.00|4.00"),
			mkTable(1, "项目支出表", []string{"项目名称", "合计"}, "||合计||4.50")}, "cross.project-expenditure", "fail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := Checks(tt.tables)
			if tt.rule == "" { // the two-sided case checks three rules
				got := checkSummary(cs, "two-sided.totals") + ";" + checkSummary(cs, "two-sided.income-items") + ";" + checkSummary(cs, "two-sided.expenditure-items")
				if got != "pass;pass;pass" {
					t.Errorf("got %s, want pass;pass;pass", got)
				}
				// 支出总计 misprinted: the totals rule fails, the items still add up.
				for i := range tt.tables[0].Rows {
					r := &tt.tables[0].Rows[i]
					if r.Label == "支出总计" {
						a, _ := ParseAmount("13.00")
						r.Cells[0].Amount = &a
					}
				}
				cs = Checks(tt.tables)
				got = checkSummary(cs, "two-sided.totals") + ";" + checkSummary(cs, "two-sided.income-items") + ";" + checkSummary(cs, "two-sided.expenditure-items")
				if got != "fail;pass;pass" {
					t.Errorf("after the misprint got %s, want fail;pass;pass", got)
				}
				return
			}
			if got := checkSummary(cs, tt.rule); got != tt.want {
				t.Errorf("%s: got %q, want %q; all: %v", tt.rule, got, tt.want, cs)
			}
		})
	}
}

func TestRuleCatalogue(t *testing.T) {
	seen := make(map[string]bool)
	for _, r := range Rules {
		if r.ID == "" || r.Doc == "" || seen[r.ID] || (r.table == nil) == (r.document == nil) {
			t.Errorf("bad rule %+v", r)
		}
		seen[r.ID] = true
		switch r.Scope {
		case ScopeRow, ScopeColumn, ScopeHierarchy, ScopeTwoSided, ScopeStructure:
			if r.table == nil {
				t.Errorf("rule %s: scope %s checks one table", r.ID, r.Scope)
			}
		case ScopeCrossTable:
			if r.document == nil {
				t.Errorf("rule %s: scope %s checks the document", r.ID, r.Scope)
			}
		default:
			t.Errorf("rule %s: unknown scope %q", r.ID, r.Scope)
		}
	}
}

// TestCrossChecksFinalAccounts: the kinds of a final account are the kinds
// of a budget (the phase is apart), so the cross-table rules apply to 决算
// documents too.
func TestCrossChecksFinalAccounts(t *testing.T) {
	basic := mkTable(0, string(kindOf("一般公共预算财政拨款基本支出决算表")), []string{"合计", "人员经费", "公用经费"},
		"||合计|10.00|6.00|4.00")
	general := mkTable(1, string(kindOf("一般公共预算财政拨款支出决算表")), []string{"合计", "基本支出", "项目支出"},
		"||合计|15.00|10.00|5.00")
	for _, tb := range []*Table{basic, general} {
		tb.Phase = PhaseFinal
	}
	if basic.Kind != KindGeneralBasic || general.Kind != KindGeneralPublic {
		t.Fatalf("kinds %q %q", basic.Kind, general.Kind)
	}
	if got := checkSummary(Checks([]*Table{basic, general}), "cross.basic-expenditure"); got != "pass" {
		t.Errorf("cross.basic-expenditure on a final account: %q, want pass", got)
	}
}
