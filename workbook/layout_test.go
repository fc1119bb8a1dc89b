package workbook

import (
	"fmt"
	"strings"
	"testing"

	"github.com/budgetpdf/budgetpdf/normalize"
)

// spanString renders header cells compactly: "text@row0,col0-row1,col1".
func spanString(spans []span) string {
	var out []string
	for _, s := range spans {
		out = append(out, fmt.Sprintf("%s@%d,%d-%d,%d", s.text, s.row0, s.col0, s.row1, s.col1))
	}
	return strings.Join(out, " ")
}

func TestHeadings(t *testing.T) {
	cols := func(paths ...string) []normalize.Column {
		var out []normalize.Column
		for i, p := range paths {
			c := normalize.Column{Index: i}
			if p != "" {
				c.Path = strings.Split(p, "/")
			}
			out = append(out, c)
		}
		return out
	}
	tests := []struct {
		name  string
		cols  []normalize.Column
		depth int
		want  string
	}{
		{"flat", cols("科目编码", "合计"), 1, "科目编码@0,0-0,0 合计@0,1-0,1"},
		{"group over leaves, leaves beside it span down",
			cols("科目名称", "合计", "基本支出/人员经费", "基本支出/公用经费", "项目支出"), 2,
			"科目名称@0,0-1,0 合计@0,1-1,1 基本支出@0,2-0,3 项目支出@0,4-1,4 人员经费@1,2-1,2 公用经费@1,3-1,3"},
		{"three levels, a short path in a deep group",
			cols("本年收入/合计", "本年收入/一般公共预算/小计", "本年收入/一般公共预算/其中:财政拨款", "本年收入/事业收入"), 3,
			"本年收入@0,0-0,3 合计@1,0-2,0 一般公共预算@1,1-1,2 事业收入@1,3-2,3 小计@2,1-2,1 其中:财政拨款@2,2-2,2"},
		{"blocks repeating their leaves are not merged across blocks",
			cols("人员经费/科目代码", "人员经费/决算数", "公用经费/科目代码", "公用经费/决算数"), 2,
			"人员经费@0,0-0,1 公用经费@0,2-0,3 科目代码@1,0-1,0 决算数@1,1-1,1 科目代码@1,2-1,2 决算数@1,3-1,3"},
		{"a column without headings is blank over every row; empty headings are not merged",
			cols("", "/x", "/y", "a/b"), 2,
			"@0,0-1,0 @0,1-0,1 @0,2-0,2 a@0,3-0,3 x@1,1-1,1 y@1,2-1,2 b@1,3-1,3"},
		{"a shared leaf is merged across and down", cols("收入/金额", "收入/金额"), 3, "收入@0,0-0,1 金额@1,0-2,1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := spanString(headings(tc.cols, tc.depth)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestLayoutKeys checks which tables get key columns: those that print
// one dataset row per printed row, with the keys some row has.
func TestLayoutKeys(t *testing.T) {
	one := &normalize.Table{Columns: []normalize.Column{{Path: []string{"合计"}}}, Rows: []normalize.Row{
		{Index: 0, Label: "合计"},
		{Index: 1, Code: "201", Label: "一般公共服务支出"},
	}}
	sides := &normalize.Table{Columns: []normalize.Column{{Path: []string{"收入"}}, {Path: []string{"支出"}}}, Rows: []normalize.Row{
		{Index: 0, Side: normalize.SideIncome, Label: "一、一般公共预算"},
		{Index: 0, Side: normalize.SideExpenditure, Label: "一、一般公共服务"},
		{Index: 1, Side: normalize.SideExpenditure, Label: "二、外交"},
	}}
	for _, tc := range []struct {
		t    *normalize.Table
		want string
		rows int
	}{{one, "编码 名称", 2}, {sides, "", 2}} {
		l := newLayout(tc.t)
		var keys []string
		for _, k := range l.keys {
			keys = append(keys, k.heading)
		}
		if got := strings.Join(keys, " "); got != tc.want || len(l.body) != tc.rows {
			t.Errorf("keys %q, %d body rows; want %q, %d", got, len(l.body), tc.want, tc.rows)
		}
	}
}

func TestCSVText(t *testing.T) {
	for in, want := range map[string]string{
		"=100%": "'=100%", "+1": "'+1", "@SUM(A1)": "'@SUM(A1)", "-其他": "'-其他", "=": "'=",
		"-": "-", "--": "--", "-5%": "-5%", "-.5x": "-.5x", "—": "—", "a=b": "a=b", "": "", "合计": "合计",
	} {
		if got := csvText(in); got != want {
			t.Errorf("csvText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscapeText(t *testing.T) {
	for in, want := range map[string]string{
		"_x0041_": "_x005F_x0041_", "a_x00e9_b_x1234_": "a_x005F_x00e9_b_x005F_x1234_",
		"_x004_": "_x004_", "_xZZZZ_": "_xZZZZ_", "x0041": "x0041", "合计": "合计",
	} {
		if got := escapeText(in); got != want {
			t.Errorf("escapeText(%q) = %q, want %q", in, got, want)
		}
	}
}
