package normalize

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// This file checks the accounting identities budget tables carry: totals
// that must equal the sums of their parts, within a row, down a column,
// through the subject hierarchy, between the two sides of a summary table
// and between the tables of one document. A rule applies only where its
// operands are printed: a blank operand skips it, it does not pass it. A
// difference within half a unit of the last printed decimal of each
// operand passes as rounding; anything more fails.

// Rule is one identity of the catalogue.
type Rule struct {
	ID          string // stable id, e.g. row.group-total
	Scope       string // row, column, hierarchy, two-sided or cross-table
	Description string
}

// Rules is the catalogue, in the order checks are made.
var Rules = []Rule{
	{"row.group-total", "row", "a header group's 小计/合计 column equals the sum of the group's columns (其中 columns are parts of a part and not added): 基本支出 = 人员经费 + 公用经费, 项目支出 = its sub-columns, 公务用车购置及运行费 = 购置费 + 运行费"},
	{"row.grand-total", "row", "the table's first 合计/总计 column equals the sum of the other top-level columns' totals: 合计 = 基本支出 + 项目支出; 总计 = 本年收入 + 上年结转; “三公”经费合计 = 因公出国(境)费 + 公务用车购置及运行费 + 公务接待费"},
	{"column.top-level", "column", "the 合计 row equals the sum of the top-level coded rows (类 where printed)"},
	{"column.agencies", "column", "the 合计 row equals the sum of the agency rows (6-digit 单位代码)"},
	{"hierarchy.children", "hierarchy", "a 类 (款) row equals the sum of its 款 (项) rows, where the table lists them"},
	{"two-sided.totals", "two-sided", "收入总计 equals 支出总计"},
	{"two-sided.income-items", "two-sided", "本年收入合计 equals the sum of the top-level income items (一、 二、 ...)"},
	{"two-sided.expenditure-items", "two-sided", "本年支出合计 equals the sum of the top-level expenditure items"},
	{"cross.basic-expenditure", "cross-table", "一般公共预算基本支出表's 合计 equals 一般公共预算支出表's 基本支出 合计"},
	{"cross.project-expenditure", "cross-table", "项目支出表's 合计 equals 支出总表's 项目支出 合计"},
	{"cross.expenditure-total", "cross-table", "支出总表's 合计 equals 收支总表's 本年支出合计"},
}

// Check statuses.
const (
	CheckPass     = "pass"
	CheckRounding = "rounding"
	CheckFail     = "fail"
	CheckSkipped  = "skipped"
)

// CellRef points at a printed cell involved in a check.
type CellRef struct {
	Table, Row, Column int     // table index, body row index, column index
	Page               int     // 1-based page
	X0, Y0, X1, Y1     float64 // box, in points
}

// Check is the outcome of one rule on one row, column or pair of tables.
type Check struct {
	Table      int              // index of the (first) table
	Rule       string           // Rule.ID
	Scope      string           // Rule.Scope
	Row        int              // body row index; -1 when the check spans rows
	Expected   *decimal.Decimal // the printed total; nil when skipped
	Actual     *decimal.Decimal // the sum of the printed parts; nil when skipped
	Difference *decimal.Decimal // Actual - Expected; nil when skipped
	Status     string           // CheckPass, CheckRounding, CheckFail or CheckSkipped
	Cells      []CellRef        // the total first, then the parts
}

// operand is a printed amount with its cell.
type operand struct {
	v   Amount
	ref CellRef
}

// evaluate compares a total with the sum of its parts. A nil part is a
// blank operand: the check is skipped.
func evaluate(c *Check, total *operand, parts []*operand) {
	if total == nil {
		c.Status = CheckSkipped
		return
	}
	c.Cells = append(c.Cells, total.ref)
	tol := half(total.v.Scale)
	sum := decimal.Zero
	blank := false
	for _, p := range parts {
		if p == nil {
			blank = true
			continue
		}
		c.Cells = append(c.Cells, p.ref)
		sum = sum.Add(p.v.Value)
		tol = tol.Add(half(p.v.Scale))
	}
	if blank {
		c.Status = CheckSkipped
		return
	}
	exp, diff := total.v.Value, sum.Sub(total.v.Value)
	c.Expected, c.Actual, c.Difference = &exp, &sum, &diff
	switch a := diff.Abs(); {
	case a.IsZero():
		c.Status = CheckPass
	case a.LessThanOrEqual(tol):
		c.Status = CheckRounding
	default:
		c.Status = CheckFail
	}
}

// half is half a unit of the last printed decimal.
func half(scale int32) decimal.Decimal { return decimal.New(5, -scale-1) }

// Checks runs the catalogue over one document's tables.
func Checks(tables []*Table) []Check {
	var out []Check
	for _, t := range tables {
		if strings.HasPrefix(t.Kind, "绩效") {
			continue // targets and indicators, not sums
		}
		out = append(out, rowChecks(t)...)
		if t.Kind != "other" { // row codes of other tables (procurement catalogues) are no hierarchy
			out = append(out, columnChecks(t)...)
			out = append(out, hierarchyChecks(t)...)
		}
		out = append(out, twoSidedChecks(t)...)
	}
	return append(out, crossChecks(tables)...)
}

// amounts returns a row's printed amounts by column.
func amounts(t *Table, r *Row) map[int]*operand {
	m := make(map[int]*operand)
	for _, c := range r.Cells {
		if c.Amount != nil {
			m[c.Column] = &operand{*c.Amount, CellRef{t.Index, r.Index, c.Column, c.Page, c.X0, c.Y0, c.X1, c.Y1}}
		}
	}
	return m
}

// node is a header group: the columns under one path prefix.
type node struct {
	path     []string
	subtotal int   // the group's 小计/合计 column, -1 if none
	cols     []int // leaf columns directly or indirectly under it
}

func isTotalName(s string) bool {
	return s == "小计" || s == "合计" || s == "总计" || strings.HasSuffix(s, "合计") || strings.HasSuffix(s, "总数") || strings.HasSuffix(s, "总额")
}

// isPartOf reports a column that is not an addend of its group: a part of
// a part (其中), or another breakdown printed beside the parts (政府采购,
// a comparison with last year, an amount less something).
func isPartOf(s string) bool {
	if strings.HasPrefix(s, "其中") {
		return true
	}
	for _, w := range []string{"政府采购", "增减", "比上年", "扣除", "预留", "上年预算", "上年执行", "年度", "会议费", "培训费"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// partsOf returns the columns that add up to the group at prefix: each
// child is its own column, or its subtotal, or (without one) its parts;
// 其中 columns are skipped.
func partsOf(t *Table, roles []columnRole, prefix []string, skip int) []int {
	var out []int
	seen := make(map[string]bool)
	for _, c := range t.Columns {
		if c.Index == skip || roles[c.Index] != roleAmount || len(c.Path) <= len(prefix) || !slices.Equal(c.Path[:len(prefix)], prefix) {
			continue
		}
		child := c.Path[len(prefix)]
		if isPartOf(child) || seen[child] {
			continue
		}
		seen[child] = true
		sub := append(slices.Clone(prefix), child)
		if len(c.Path) == len(sub) {
			out = append(out, c.Index) // a leaf
			continue
		}
		if st := subtotalOf(t, sub); st >= 0 {
			out = append(out, st)
			continue
		}
		out = append(out, partsOf(t, roles, sub, -1)...)
	}
	return out
}

// subtotalOf returns the column prefix/小计 (or /合计), -1 if none.
func subtotalOf(t *Table, prefix []string) int {
	for _, c := range t.Columns {
		if len(c.Path) == len(prefix)+1 && slices.Equal(c.Path[:len(prefix)], prefix) && isTotalName(c.Path[len(prefix)]) {
			return c.Index
		}
	}
	return -1
}

// rowChecks: group totals and the grand total, row by row.
func rowChecks(t *Table) []Check {
	if sides(t, columnRoles(t)) != nil || len(t.Rows) == 0 {
		return nil
	}
	roles := columnRoles(t)
	type identity struct {
		rule  string
		total int
		parts []int
	}
	var ids []identity
	// Groups with a subtotal column.
	groups := make(map[string]bool)
	for _, c := range t.Columns {
		for k := 1; k < len(c.Path); k++ {
			prefix := c.Path[:k]
			key := strings.Join(prefix, "/")
			if groups[key] {
				continue
			}
			groups[key] = true
			if st := subtotalOf(t, prefix); st >= 0 && roles[st] == roleAmount {
				if parts := partsOf(t, roles, prefix, st); len(parts) >= 2 {
					ids = append(ids, identity{"row.group-total", st, parts})
				}
			}
		}
	}
	// The grand total: the first top-level total column.
	for _, c := range t.Columns {
		if len(c.Path) == 1 && isTotalName(c.Path[0]) && roles[c.Index] == roleAmount {
			if parts := partsOf(t, roles, nil, c.Index); len(parts) >= 2 {
				ids = append(ids, identity{"row.grand-total", c.Index, parts})
			}
			break
		}
	}
	var out []Check
	for i := range t.Rows {
		r := &t.Rows[i]
		am := amounts(t, r)
		for _, id := range ids {
			total := am[id.total]
			if total == nil {
				continue // nothing printed to check
			}
			var parts []*operand
			for _, p := range id.parts {
				parts = append(parts, am[p])
			}
			c := Check{Table: t.Index, Rule: id.rule, Scope: "row", Row: r.Index}
			evaluate(&c, total, parts)
			out = append(out, c)
		}
	}
	return out
}

// totalRow returns the table's 合计 row: a label of 合计 or 总计 alone
// and no code, or else a first row with amounts but neither label nor code
// (some producers leave the total row unlabelled); nil if none.
func totalRow(t *Table, side string) *Row {
	for i := range t.Rows {
		r := &t.Rows[i]
		if r.Side == side && r.Code == "" && (r.Label == "合计" || r.Label == "总计") {
			return r
		}
	}
	if len(t.Rows) > 0 {
		if r := &t.Rows[0]; r.Side == side && r.Code == "" && r.Label == "" && firstAmount(t, r) != nil {
			return r
		}
	}
	return nil
}

// columnChecks: the 合计 row against the top-level rows and the agencies.
func columnChecks(t *Table) []Check {
	tr := totalRow(t, "")
	if tr == nil {
		return nil
	}
	top := 0
	var agencies []*Row
	for i := range t.Rows {
		r := &t.Rows[i]
		if r.Level > 0 && r.Code != "" && (top == 0 || r.Level < top) {
			top = r.Level
		}
		if len(r.Code) == 6 && isDigits(r.Code) && r.Code[0] != '2' {
			agencies = append(agencies, r)
		}
	}
	var out []Check
	for _, group := range []struct {
		rule string
		rows func(*Row) bool
	}{
		{"column.top-level", func(r *Row) bool { return top > 0 && r.Code != "" && r.Level == top }},
		{"column.agencies", func(r *Row) bool { return len(agencies) > 0 && slices.Contains(agencies, r) }},
	} {
		var rows []*Row
		for i := range t.Rows {
			if group.rows(&t.Rows[i]) {
				rows = append(rows, &t.Rows[i])
			}
		}
		if len(rows) == 0 {
			continue
		}
		totals := amounts(t, tr)
		for col := range t.Columns {
			total := totals[col]
			if total == nil {
				continue
			}
			var parts []*operand
			for _, r := range rows {
				parts = append(parts, amounts(t, r)[col])
			}
			c := Check{Table: t.Index, Rule: group.rule, Scope: "column", Row: -1}
			evaluate(&c, total, parts)
			out = append(out, c)
		}
	}
	return out
}

// hierarchyChecks: each 3- or 5-digit coded row against the rows right
// under it with its code as prefix and two more digits.
func hierarchyChecks(t *Table) []Check {
	var out []Check
	for i := range t.Rows {
		p := &t.Rows[i]
		// A row with two codes belongs to a side-by-side layout (人员经费
		// left, 公用经费 right): its amounts are not one hierarchy.
		if (len(p.Code) != 3 && len(p.Code) != 5) || !isDigits(p.Code) || p.Code2 != "" {
			continue
		}
		var kids []*Row
		for j := i + 1; j < len(t.Rows); j++ {
			k := &t.Rows[j]
			if !strings.HasPrefix(k.Code, p.Code) || k.Side != p.Side || k.Code2 != "" {
				break
			}
			if len(k.Code) == len(p.Code)+2 {
				kids = append(kids, k)
			}
		}
		if len(kids) == 0 {
			continue
		}
		totals := amounts(t, p)
		for col := range t.Columns {
			total := totals[col]
			if total == nil {
				continue
			}
			var parts []*operand
			for _, k := range kids {
				parts = append(parts, amounts(t, k)[col])
			}
			c := Check{Table: t.Index, Rule: "hierarchy.children", Scope: "hierarchy", Row: p.Index}
			evaluate(&c, total, parts)
			out = append(out, c)
		}
	}
	return out
}

// topItem reports a label numbered as a top-level item: 一、 十二、.
func topItem(label string) bool {
	i := strings.Index(label, "、")
	if i <= 0 {
		return false
	}
	for _, r := range label[:i] {
		if !strings.ContainsRune("一二三四五六七八九十", r) {
			return false
		}
	}
	return true
}

// firstAmount returns a row's leftmost printed amount.
func firstAmount(t *Table, r *Row) *operand {
	for _, c := range r.Cells {
		if c.Amount != nil {
			return &operand{*c.Amount, CellRef{t.Index, r.Index, c.Column, c.Page, c.X0, c.Y0, c.X1, c.Y1}}
		}
	}
	return nil
}

// twoSidedChecks: 收入总计 = 支出总计, and each side's 本年合计 against
// its top-level items.
func twoSidedChecks(t *Table) []Check {
	if len(t.Rows) == 0 || (t.Rows[0].Side == "" && !slices.ContainsFunc(t.Rows, func(r Row) bool { return r.Side != "" })) {
		return nil
	}
	var out []Check
	find := func(side string, match func(string) bool) *Row {
		for i := range t.Rows {
			if t.Rows[i].Side == side && match(t.Rows[i].Label) {
				return &t.Rows[i]
			}
		}
		return nil
	}
	isGrand := func(l string) bool { return strings.HasSuffix(l, "总计") }
	in, ex := find("收入", isGrand), find("支出", isGrand)
	if in != nil && ex != nil {
		if a, b := firstAmount(t, in), firstAmount(t, ex); a != nil && b != nil {
			c := Check{Table: t.Index, Rule: "two-sided.totals", Scope: "two-sided", Row: in.Index}
			evaluate(&c, a, []*operand{b})
			out = append(out, c)
		}
	}
	for _, side := range []struct{ name, rule string }{{"收入", "two-sided.income-items"}, {"支出", "two-sided.expenditure-items"}} {
		sub := find(side.name, func(l string) bool { return strings.Contains(l, "合计") || strings.Contains(l, "小计") })
		if sub == nil {
			continue
		}
		var items []*Row
		for i := range t.Rows {
			r := &t.Rows[i]
			if r == sub || r.Index >= sub.Index {
				break
			}
			if r.Side == side.name && topItem(r.Label) {
				items = append(items, r)
			}
		}
		total := firstAmount(t, sub)
		if total == nil || len(items) == 0 {
			continue
		}
		col := total.ref.Column
		var parts []*operand
		printed := 0
		for _, r := range items {
			p := amounts(t, r)[col]
			if p != nil {
				parts = append(parts, p)
				printed++
			}
		}
		// Items with no amount at all are items with nothing budgeted:
		// they are not operands. An item printed in another column only
		// is a blank operand.
		for _, r := range items {
			if amounts(t, r)[col] == nil && len(amounts(t, r)) > 0 {
				parts = append(parts, nil)
			}
		}
		if printed == 0 {
			continue
		}
		c := Check{Table: t.Index, Rule: side.rule, Scope: "two-sided", Row: sub.Index}
		evaluate(&c, total, parts)
		out = append(out, c)
	}
	return out
}

// crossChecks compares totals between the tables of one document.
func crossChecks(tables []*Table) []Check {
	byKind := func(kind string) *Table {
		for _, t := range tables {
			if t.Kind == kind {
				return t
			}
		}
		return nil
	}
	// value returns the amount of the 合计 row in the first column whose
	// path matches.
	value := func(t *Table, match func(Column) bool) *operand {
		if t == nil {
			return nil
		}
		r := totalRow(t, "")
		if r == nil {
			return nil
		}
		am := amounts(t, r)
		for _, c := range t.Columns {
			if match(c) && am[c.Index] != nil {
				return am[c.Index]
			}
		}
		return nil
	}
	// The table's total: its first column named as a total, at any level.
	grand := func(c Column) bool { return len(c.Path) > 0 && isTotalName(c.Path[len(c.Path)-1]) }
	group := func(name string) func(Column) bool {
		return func(c Column) bool {
			return len(c.Path) >= 1 && c.Path[0] == name && (len(c.Path) == 1 || isTotalName(c.Path[len(c.Path)-1]))
		}
	}
	var out []Check
	add := func(rule string, a, b *operand) {
		if a == nil || b == nil {
			return
		}
		c := Check{Table: a.ref.Table, Rule: rule, Scope: "cross-table", Row: -1}
		evaluate(&c, a, []*operand{b})
		out = append(out, c)
	}
	add("cross.basic-expenditure", value(byKind("一般公共预算基本支出表"), grand), value(byKind("一般公共预算支出表"), group("基本支出")))
	add("cross.project-expenditure", value(byKind("项目支出表"), grand), value(byKind("支出总表"), group("项目支出")))
	if sz := byKind("收支总表"); sz != nil {
		var ex *operand
		for i := range sz.Rows {
			r := &sz.Rows[i]
			if r.Side == "支出" && strings.Contains(r.Label, "支出合计") {
				ex = firstAmount(sz, r)
				break
			}
		}
		add("cross.expenditure-total", value(byKind("支出总表"), grand), ex)
	}
	return out
}

// String renders a check compactly for tests and reports.
func (c Check) String() string {
	s := fmt.Sprintf("%s t%d r%d %s", c.Rule, c.Table, c.Row, c.Status)
	if c.Expected != nil {
		s += fmt.Sprintf(" %s vs %s", c.Expected.String(), c.Actual.String())
	}
	return s
}
