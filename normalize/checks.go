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

// Scope is what an identity spans.
type Scope string

// The scopes of the rules.
const (
	ScopeRow        Scope = "row"         // the cells of one row
	ScopeColumn     Scope = "column"      // one column down the rows
	ScopeHierarchy  Scope = "hierarchy"   // a coded row and the rows under it
	ScopeTwoSided   Scope = "two-sided"   // the two halves of a 收支总表
	ScopeCrossTable Scope = "cross-table" // totals of two tables of one document
	ScopeStructure  Scope = "structure"   // how the table was read: headers, row keys, facts
)

// CheckStatus is the outcome of one check.
type CheckStatus string

// The outcomes.
const (
	CheckPass     CheckStatus = "pass"     // the total equals the sum of its parts
	CheckRounding CheckStatus = "rounding" // within half a unit of each operand's last printed decimal
	CheckFail     CheckStatus = "fail"     // a difference beyond rounding
	CheckSkipped  CheckStatus = "skipped"  // an operand is blank: the rule does not apply
)

// Rule is one identity of the catalogue: its id, what it spans, what it
// says, and the code that checks it over a document's tables.
type Rule struct {
	ID    string // stable id, e.g. row.group-total
	Scope Scope
	Doc   string // the identity, in words

	table    func(r *Rule, t *Table) []Check        // checks one table (nil for cross-table rules)
	document func(r *Rule, tables []*Table) []Check // checks a document's tables together
}

// Rules is the catalogue, in the order checks are made: the accounting
// identities, then the structure rules (structure.go).
var Rules = append(accountingRules, structureRules...)

var accountingRules = []*Rule{
	{"row.group-total", ScopeRow, "a header group's 小计/合计 column equals the sum of the group's columns (其中 columns are parts of a part and not added): 基本支出 = 人员经费 + 公用经费, 项目支出 = its sub-columns, 公务用车购置及运行费 = 购置费 + 运行费", groupTotalChecks, nil},
	{"row.grand-total", ScopeRow, "the table's first 合计/总计 column equals the sum of the other top-level columns' totals: 合计 = 基本支出 + 项目支出; 总计 = 本年收入 + 上年结转; “三公”经费合计 = 因公出国(境)费 + 公务用车购置及运行费 + 公务接待费", grandTotalChecks, nil},
	{"column.top-level", ScopeColumn, "the 合计 row equals the sum of the top-level coded rows (类 where printed)", topLevelChecks, nil},
	{"column.agencies", ScopeColumn, "the 合计 row equals the sum of the agency rows (6-digit 单位代码)", agencyChecks, nil},
	{"hierarchy.children", ScopeHierarchy, "a 类 (款) row equals the sum of its 款 (项) rows, where the table lists them", hierarchyChecks, nil},
	{"two-sided.totals", ScopeTwoSided, "收入总计 equals 支出总计", twoSidedTotals, nil},
	{"two-sided.income-items", ScopeTwoSided, "本年收入合计 equals the sum of the top-level income items (一、 二、 ...)", sideItems(SideIncome), nil},
	{"two-sided.expenditure-items", ScopeTwoSided, "本年支出合计 equals the sum of the top-level expenditure items", sideItems(SideExpenditure), nil},
	{"cross.basic-expenditure", ScopeCrossTable, "一般公共预算基本支出表's 合计 equals 一般公共预算支出表's 基本支出 合计", nil, crossBasic},
	{"cross.project-expenditure", ScopeCrossTable, "项目支出表's 合计 equals 支出总表's 项目支出 合计", nil, crossProject},
	{"cross.expenditure-total", ScopeCrossTable, "支出总表's 合计 equals 收支总表's 本年支出合计", nil, crossExpenditure},
}

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
	Scope      Scope            // Rule.Scope
	Row        int              // body row index; -1 when the check spans rows
	Expected   *decimal.Decimal // the printed total; nil when skipped
	Actual     *decimal.Decimal // the sum of the printed parts; nil when skipped
	Difference *decimal.Decimal // Actual - Expected; nil when skipped
	Status     CheckStatus      // CheckPass, CheckRounding, CheckFail or CheckSkipped
	Cells      []CellRef        // the total first, then the parts
	Note       string           // what a structure check found, where its cells do not say it all
}

// newCheck starts a check of rule r on table t, row row (-1: many rows).
func (r *Rule) newCheck(t, row int) Check {
	return Check{Table: t, Rule: r.ID, Scope: r.Scope, Row: row}
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

// Checks runs the catalogue over one document's tables: table by table
// the rules that check one table (of the 绩效 forms, which hold targets
// and indicators, not sums, only structure.shared-cell), then the rules
// across tables.
func Checks(tables []*Table) []Check {
	var out []Check
	for _, t := range tables {
		if t.Kind.Forms() {
			out = append(out, sharedCellRule.table(sharedCellRule, t)...)
			continue
		}
		for _, r := range Rules {
			if r.table != nil {
				out = append(out, r.table(r, t)...)
			}
		}
	}
	for _, r := range Rules {
		if r.document != nil {
			out = append(out, r.document(r, tables)...)
		}
	}
	return out
}

// amounts returns a row's printed amounts by column.
func amounts(t *Table, r *Row) map[int]*operand {
	m := make(map[int]*operand, len(r.Cells))
	for _, c := range r.Cells {
		if c.Amount != nil {
			m[c.Column] = &operand{*c.Amount, CellRef{t.Index, r.Index, c.Column, c.Page, c.X0, c.Y0, c.X1, c.Y1}}
		}
	}
	return m
}

// amountAt returns a row's printed amount in a column, nil if none.
func amountAt(t *Table, r *Row, col int) *operand {
	for _, c := range r.Cells {
		if c.Column == col && c.Amount != nil {
			return &operand{*c.Amount, CellRef{t.Index, r.Index, c.Column, c.Page, c.X0, c.Y0, c.X1, c.Y1}}
		}
	}
	return nil
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

// rowIdentities are the row identities of a table's columns: each header
// group's subtotal against its parts, and the grand total against the
// top-level columns. None for two-sided tables.
type rowIdentity struct {
	total int
	parts []int
}

func groupIdentities(t *Table) []rowIdentity {
	roles := t.roles()
	var ids []rowIdentity
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
					ids = append(ids, rowIdentity{st, parts})
				}
			}
		}
	}
	return ids
}

func grandIdentity(t *Table) []rowIdentity {
	roles := t.roles()
	for _, c := range t.Columns {
		if len(c.Path) == 1 && isTotalName(c.Path[0]) && roles[c.Index] == roleAmount {
			if parts := partsOf(t, roles, nil, c.Index); len(parts) >= 2 {
				return []rowIdentity{{c.Index, parts}}
			}
			break
		}
	}
	return nil
}

func groupTotalChecks(r *Rule, t *Table) []Check { return rowChecks(r, t, groupIdentities) }
func grandTotalChecks(r *Rule, t *Table) []Check { return rowChecks(r, t, grandIdentity) }

// rowChecks checks the row identities of a table on each of its rows.
func rowChecks(rule *Rule, t *Table, identities func(*Table) []rowIdentity) []Check {
	if t.twoSided() || len(t.Rows) == 0 {
		return nil
	}
	ids := identities(t)
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
			c := rule.newCheck(t.Index, r.Index)
			evaluate(&c, total, parts)
			out = append(out, c)
		}
	}
	return out
}

// totalRow returns the table's 合计 row: a label of 合计 or 总计 alone
// and no code, or else a first row with amounts but neither label nor code
// (some producers leave the total row unlabelled); nil if none.
func totalRow(t *Table, side Side) *Row {
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

// topLevelChecks: the 合计 row against the top-level coded rows: those
// whose code has no parent among the table's codes (the 类 rows where
// the table prints them; a 项 listed without its 款 is top-level too).
func topLevelChecks(r *Rule, t *Table) []Check {
	codes := make(map[string]bool)
	for i := range t.Rows {
		if row := &t.Rows[i]; isClassification(row.Code) {
			codes[row.Code] = true
		}
	}
	return columnChecks(r, t, func(row *Row) bool {
		if row.Level == 0 || !isClassification(row.Code) {
			return false
		}
		for n := len(row.Code) - 2; n >= 3; n -= 2 {
			if codes[row.Code[:n]] {
				return false
			}
		}
		return true
	})
}

// isClassification reports a function or economic classification code:
// the codes whose digits give their level.
func isClassification(code string) bool {
	switch ClassifyCode(code) {
	case CodeFunction, CodeEconomicDept, CodeEconomicGov:
		return true
	}
	return false
}

// agencyChecks: the 合计 row against the agency rows (6-digit codes).
func agencyChecks(r *Rule, t *Table) []Check {
	return columnChecks(r, t, func(row *Row) bool {
		return len(row.Code) == 6 && isDigits(row.Code) && row.Code[0] != '2'
	})
}

// columnChecks checks, column by column, the 合计 row against the sum of
// the rows that match. Tables that list items (Kind.Listed: procurement,
// purchases, other) are not checked: their codes repeat and nest no sums.
func columnChecks(rule *Rule, t *Table, match func(*Row) bool) []Check {
	if t.Kind.Listed() {
		return nil
	}
	tr := totalRow(t, SideNone)
	if tr == nil {
		return nil
	}
	var rows []*Row
	for i := range t.Rows {
		if match(&t.Rows[i]) {
			rows = append(rows, &t.Rows[i])
		}
	}
	if len(rows) == 0 {
		return nil
	}
	var out []Check
	totals := amounts(t, tr)
	for col := range t.Columns {
		total := totals[col]
		if total == nil {
			continue
		}
		var parts []*operand
		for _, r := range rows {
			parts = append(parts, amountAt(t, r, col))
		}
		c := rule.newCheck(t.Index, -1)
		evaluate(&c, total, parts)
		out = append(out, c)
	}
	return out
}

// hierarchyChecks: each 3- or 5-digit coded row against the rows right
// under it with its code as prefix and two more digits.
func hierarchyChecks(rule *Rule, t *Table) []Check {
	if t.Kind.Listed() {
		return nil
	}
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
				parts = append(parts, amountAt(t, k, col))
			}
			c := rule.newCheck(t.Index, p.Index)
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

// sideRow returns the first row of a side whose label matches.
func sideRow(t *Table, side Side, match func(string) bool) *Row {
	for i := range t.Rows {
		if t.Rows[i].Side == side && match(t.Rows[i].Label) {
			return &t.Rows[i]
		}
	}
	return nil
}

// twoSidedTotals: 收入总计 = 支出总计.
func twoSidedTotals(rule *Rule, t *Table) []Check {
	if !t.twoSided() {
		return nil
	}
	isGrand := func(l string) bool { return strings.HasSuffix(l, "总计") }
	in, ex := sideRow(t, SideIncome, isGrand), sideRow(t, SideExpenditure, isGrand)
	if in == nil || ex == nil {
		return nil
	}
	a, b := firstAmount(t, in), firstAmount(t, ex)
	if a == nil || b == nil {
		return nil
	}
	c := rule.newCheck(t.Index, in.Index)
	evaluate(&c, a, []*operand{b})
	return []Check{c}
}

// sideItems: each side's 本年合计 against its top-level items.
func sideItems(side Side) func(*Rule, *Table) []Check {
	return func(rule *Rule, t *Table) []Check {
		if !t.twoSided() {
			return nil
		}
		sub := sideRow(t, side, func(l string) bool { return strings.Contains(l, "合计") || strings.Contains(l, "小计") })
		if sub == nil {
			return nil
		}
		var items []*Row
		for i := range t.Rows {
			r := &t.Rows[i]
			if r == sub || r.Index >= sub.Index {
				break
			}
			if r.Side == side && topItem(r.Label) {
				items = append(items, r)
			}
		}
		total := firstAmount(t, sub)
		if total == nil || len(items) == 0 {
			return nil
		}
		col := total.ref.Column
		var parts []*operand
		printed := 0
		for _, r := range items {
			if p := amountAt(t, r, col); p != nil {
				parts = append(parts, p)
				printed++
			}
		}
		// Items with no amount at all are items with nothing budgeted:
		// they are not operands. An item printed in another column only
		// is a blank operand.
		for _, r := range items {
			if amountAt(t, r, col) == nil && hasAmount(*r) {
				parts = append(parts, nil)
			}
		}
		if printed == 0 {
			return nil
		}
		c := rule.newCheck(t.Index, sub.Index)
		evaluate(&c, total, parts)
		return []Check{c}
	}
}

// byKind returns the document's first table of a kind.
func byKind(tables []*Table, kind Kind) *Table {
	for _, t := range tables {
		if t.Kind == kind {
			return t
		}
	}
	return nil
}

// totalValue returns the amount of a table's 合计 row in the first column
// that matches.
func totalValue(t *Table, match func(Column) bool) *operand {
	if t == nil {
		return nil
	}
	r := totalRow(t, SideNone)
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

// grandColumn matches a table's total: its first column named as a total,
// at any level.
func grandColumn(c Column) bool { return len(c.Path) > 0 && isTotalName(c.Path[len(c.Path)-1]) }

// groupColumn matches the total of a top-level group: the group alone, or
// its 小计/合计.
func groupColumn(name string) func(Column) bool {
	return func(c Column) bool {
		return len(c.Path) >= 1 && c.Path[0] == name && (len(c.Path) == 1 || isTotalName(c.Path[len(c.Path)-1]))
	}
}

// crossCheck compares two tables' totals, when both are printed.
func crossCheck(rule *Rule, a, b *operand) []Check {
	if a == nil || b == nil {
		return nil
	}
	c := rule.newCheck(a.ref.Table, -1)
	evaluate(&c, a, []*operand{b})
	return []Check{c}
}

func crossBasic(rule *Rule, tables []*Table) []Check {
	return crossCheck(rule, totalValue(byKind(tables, KindGeneralBasic), grandColumn), totalValue(byKind(tables, KindGeneralPublic), groupColumn("基本支出")))
}

func crossProject(rule *Rule, tables []*Table) []Check {
	return crossCheck(rule, totalValue(byKind(tables, KindProject), grandColumn), totalValue(byKind(tables, KindExpenditure), groupColumn("项目支出")))
}

func crossExpenditure(rule *Rule, tables []*Table) []Check {
	sz := byKind(tables, KindSummary)
	if sz == nil {
		return nil
	}
	var ex *operand
	for i := range sz.Rows {
		if r := &sz.Rows[i]; r.Side == SideExpenditure && strings.Contains(r.Label, "支出合计") {
			ex = firstAmount(sz, r)
			break
		}
	}
	return crossCheck(rule, totalValue(byKind(tables, KindExpenditure), grandColumn), ex)
}

// String renders a check compactly for tests and reports.
func (c Check) String() string {
	s := fmt.Sprintf("%s t%d r%d %s", c.Rule, c.Table, c.Row, c.Status)
	if c.Expected != nil {
		s += fmt.Sprintf(" %s vs %s", c.Expected.String(), c.Actual.String())
	}
	if c.Note != "" {
		s += ": " + c.Note
	}
	return s
}
