package workbook

import (
	"fmt"
	"strings"

	"github.com/budgetpdf/budgetpdf/normalize"
)

// summaryColumns are the headings of the summary sheet's table list.
var summaryColumns = []string{"序号", "工作表", "表号", "标题", "类别", "阶段", "页", "金额单位", "行数", "列数", "通过", "未通过", "跳过", "未通过的规则", "说明"}

// summaryWidths are the widths of the summary sheet's columns.
var summaryWidths = []float64{6, 16, 12, 44, 22, 6, 8, 9, 6, 6, 6, 7, 6, 30, 40}

// summary writes the first sheet: the document's facts, then one row per
// table with a link to its sheet and its checks.
func (b *book) summary(d *normalize.Document, src Source, names []string, tallies []tally) {
	const sheet = summarySheet
	row := 1
	for _, f := range facts(d, src) {
		b.text(sheet, 1, row, f[0], style{kind: styleHead})
		b.text(sheet, 2, row, f[1], style{kind: styleText})
		b.merge(sheet, 2, row, 4, row)
		row++
	}
	row++
	for i, h := range summaryColumns {
		b.text(sheet, i+1, row, h, style{kind: styleHead})
	}
	for i, t := range d.Tables {
		b.tableLine(sheet, row+1+i, t, names[i], tallies[i])
	}
	for i, w := range summaryWidths {
		col := strings.TrimSuffix(cell(i+1, 1), "1")
		b.do(b.f.SetColWidth(sheet, col, col, w))
	}
	b.printSetup(sheet)
}

// facts are the summary's label-value pairs; a fact not known is left out.
func facts(d *normalize.Document, src Source) [][2]string {
	var out [][2]string
	add := func(label, v string) {
		if v != "" && v != "0" {
			out = append(out, [2]string{label, v})
		}
	}
	add("文件", src.File)
	add("文档编号", src.DocumentID)
	add("年度", fmt.Sprint(d.FiscalYear))
	add("阶段", string(d.Phase))
	add("单位", d.Agency)
	add("金额单位", d.Unit)
	add("页数", fmt.Sprint(src.Pages))
	add("状态", src.Status)
	add("表数", fmt.Sprint(len(d.Tables)))
	return out
}

// tableLine writes the summary's row of one table.
func (b *book) tableLine(sheet string, row int, t *normalize.Table, name string, k tally) {
	pages := fmt.Sprint(t.PageFirst)
	if t.PageLast != t.PageFirst {
		pages += fmt.Sprintf("-%d", t.PageLast)
	}
	rows := len(newLayout(t).body)
	text := []string{"", name, t.Code, t.Title, string(t.Kind), string(t.Phase), pages, t.Unit, "", "", "", "", "", strings.Join(k.rules, " "), strings.Join(t.Warnings, "; ")}
	nums := map[int]int{0: t.Index + 1, 8: rows, 9: len(t.Columns), 10: k.passed, 11: k.failed, 12: k.skipped}
	for i, s := range text {
		if n, ok := nums[i]; ok {
			b.number(sheet, i+1, row, fmt.Sprint(n), style{kind: styleText, failed: i == 11 && n > 0})
			continue
		}
		st := style{kind: styleText}
		switch i {
		case 1:
			st.kind = styleLink
		case 3, 13, 14: // title, rules, warnings
			st.kind = styleWrap
		}
		b.text(sheet, i+1, row, s, st)
	}
	if b.err == nil {
		b.do(b.f.SetCellHyperLink(sheet, cell(2, row), quoteSheet(name)+"!A1", "Location"))
	}
}
