package normalize

import "strings"

// This file holds the domain words: what kind of table a table is, which
// phase of the budget cycle a document reports, which side of a two-sided
// table a row is on. Each is a typed string whose value is the word as
// written to the dataset.

// Kind is what a table is, named from its title's words (never from its
// number: numbering differs between regions). The same kinds serve budgets
// and final accounts; Phase tells them apart.
type Kind string

// The table kinds.
const (
	KindSummary       Kind = "收支总表"        // 部门收支总表: income and expenditure side by side
	KindIncome        Kind = "收入总表"        // 部门收入总表
	KindExpenditure   Kind = "支出总表"        // 部门支出总表
	KindFiscalSummary Kind = "财政拨款收支总表"    // 财政拨款收支总表
	KindGeneralPublic Kind = "一般公共预算支出表"   // 一般公共预算(财政拨款)支出表
	KindGeneralBasic  Kind = "一般公共预算基本支出表" // 一般公共预算基本支出表
	KindEconomic      Kind = "支出经济分类汇总表"   // 支出经济分类汇总表
	KindThreePublic   Kind = "三公经费表"       // “三公”经费支出表
	KindGovFund       Kind = "政府性基金预算支出表"  // 政府性基金预算支出表
	KindStateCapital  Kind = "国有资本经营预算支出表" // 国有资本经营预算支出表
	KindProject       Kind = "项目支出表"       // 项目支出表
	KindCarryover     Kind = "上年结转"        // 上年结转(结余)资金表, 结转资金支出表
	KindOperating     Kind = "机关运行经费表"     // 机关运行经费(支出)预算表
	KindPerformance   Kind = "绩效目标表"       // 绩效目标表 and 绩效自评表: targets, not sums
	KindProcurement   Kind = "政府采购表"       // 政府采购预算(明细)表: what the agency buys
	KindPurchase      Kind = "政府购买服务表"     // 政府购买服务(明细)表: services bought from others
	KindOther         Kind = "other"       // a table whose title names none of the above
)

// Kinds lists every kind, in the order kindOf tests them.
var Kinds = []Kind{
	KindPerformance, KindThreePublic, KindOperating, KindPurchase, KindProcurement, KindCarryover, KindGovFund, KindStateCapital,
	KindProject, KindGeneralBasic, KindEconomic, KindFiscalSummary, KindGeneralPublic,
	KindSummary, KindIncome, KindExpenditure, KindOther,
}

// Forms reports a kind whose rows are a form (targets, indicators), not
// amounts that add up: no indentation levels, no accounting checks.
func (k Kind) Forms() bool { return k == KindPerformance }

// Listed reports a kind whose rows list items (purchases, services,
// targets) rather than a classification: their codes repeat and nest no
// sums, so the column and hierarchy checks do not apply.
func (k Kind) Listed() bool {
	switch k {
	case KindOther, KindProcurement, KindPurchase, KindPerformance:
		return true
	}
	return false
}

// Phase is the stage of the budget cycle a document or table reports.
type Phase string

// The phases.
const (
	PhaseUnknown Phase = ""   // nothing says
	PhaseBudget  Phase = "预算" // a budget: 部门预算, 单位预算
	PhaseFinal   Phase = "决算" // a final account: 部门决算
)

// phaseOf reads the phase a title or heading states: 决算 wins over 预算
// (a final account compares with the budget: 预算数, 决算数); 绩效目标
// (targets) belong to a budget, 绩效自评 (self-evaluations) to a final
// account.
func phaseOf(s string) Phase {
	switch {
	case strings.Contains(s, "决算") || strings.Contains(s, "绩效自评") || strings.Contains(s, "绩效评价"):
		return PhaseFinal
	case strings.Contains(s, "绩效目标"):
		// targets are set with the budget
		return PhaseBudget
	case strings.Contains(s, "预算"):
		return PhaseBudget
	}
	return PhaseUnknown
}

// Side is the half of a two-sided summary table (收支总表) a row is on.
type Side string

// The sides.
const (
	SideNone        Side = ""   // a one-sided table
	SideIncome      Side = "收入" // the left half: where the money comes from
	SideExpenditure Side = "支出" // the right half: where it goes
)
