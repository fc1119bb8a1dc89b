package normalize

import (
	"strings"
	"testing"
)

// TestMeasureVocabulary reads every entry's example: the entry itself must
// be what reads it (no entry above it in its role takes its example).
func TestMeasureVocabulary(t *testing.T) {
	if len(measureVocab) < 50 {
		t.Fatalf("%d vocabulary entries", len(measureVocab))
	}
	for _, e := range measureVocab {
		above := ""
		for _, w := range e.all {
			if up, ok := strings.CutPrefix(w, "^"); ok {
				above += up + "/"
			}
		}
		seg := cleanSegment(e.example)
		var got string
		for i := range measureVocab {
			o := &measureVocab[i]
			if o.role == e.role && o.matches(seg, above) {
				got = o.name
				if o.line != e.line {
					t.Errorf("measures.tsv:%d: example %q is read by line %d (%s %q)", e.line, e.example, o.line, o.name, o.example)
				}
				break
			}
		}
		if got != e.name {
			t.Errorf("measures.tsv:%d: example %q reads as %q, want %q", e.line, e.example, got, e.name)
		}
		if r := readSegment(seg, above, 2026); !r.known {
			t.Errorf("measures.tsv:%d: example %q unknown", e.line, e.example)
		}
	}
}

func TestParseVocab(t *testing.T) {
	for _, bad := range []string{
		"item\tbasic\t基本支出\t-",        // 4 fields
		"thing\tbasic\t基本支出\t-\t基本支出", // unknown role
		"item\t-\t基本支出\t-\t基本支出",      // item without a name
		"period\t-\t结转\t-\t上年结转",      // period without a name
	} {
		if _, err := parseVocab(bad); err == nil {
			t.Errorf("parseVocab(%q): no error", bad)
		}
	}
}

// TestMeasures reads whole column paths as printed in the corpus and the
// fixtures, in tables of their kinds.
func TestMeasures(t *testing.T) {
	type col struct{ path, measure, fund string }
	tests := []struct {
		name  string
		kind  Kind
		phase Phase
		year  int
		cols  []col
	}{
		{"支出总表, current and carried over", KindExpenditure, PhaseBudget, 2026, []col{
			{"合计", "total", ""},
			{"当年预算/小计", "current.total", ""},
			{"当年预算/基本支出", "current.basic", ""},
			{"当年预算/事业单位经营支出", "current.business", ""},
			{"上年结转结余/小计", "carryover", ""},
			{"上年结转结余/项目支出", "carryover.project", ""},
		}},
		{"支出总表, plain", KindExpenditure, PhaseBudget, 2026, []col{
			{"合计", "total", ""},
			{"基本支出/人员经费", "basic.personnel", ""},
			{"基本支出/日常公用支出", "basic.public", ""},
			{"项目支出", "project", ""},
			{"上缴上级支出", "remit_upper", ""},
			{"对附属单位补助支出", "subsidy_affiliates", ""},
		}},
		{"收入总表 with carryover by fund", KindIncome, PhaseBudget, 2026, []col{
			{"总计", "total", ""},
			{"本年收入/小计", "income", ""},
			{"本年收入/一般公共预算", "income.general_budget", "general_budget"},
			{"本年收入/财政拨款/政府性基金预算拨款", "income.gov_fund", "gov_fund"},
			{"本年收入/单位资金/事业单位经营收入", "income.business_income", "business_income"},
			{"上年结转结余/小计", "carryover", ""},
			{"上年结转结余/一般公共预算", "carryover", "general_budget"},
			{"上年结转结余/专户资金结转结余", "carryover", "special_account"},
		}},
		{"收入总表, 编制预算 beside 上年结转", KindIncome, PhaseBudget, 2026, []col{
			{"合计", "total", ""},
			{"编制预算/小计", "income", ""},
			{"编制预算/一般公共预算", "income.general_budget", "general_budget"},
			{"上年结转/一般公共预算", "carryover", "general_budget"},
		}},
		{"收入总表, leaves", KindIncome, PhaseBudget, 2026, []col{
			{"本年收入合计", "income", ""},
			{"一般公共预算拨款收入", "income.general_budget", "general_budget"},
			{"上年结转结余", "carryover", ""},
			{"财政专户拨款收入/教育收费", "income.special_account.tuition", "special_account.tuition"},
			{"部门预算/用事业基金弥补收支差额", "income.institution_fund", "institution_fund"},
		}},
		{"三公 by fund", KindThreePublic, PhaseBudget, 2026, []col{
			{"总计/一般公共预算", "sangong.total", "general_budget"},
			{"因公出国(境)费/政府性基金预算", "sangong.abroad", "gov_fund"},
			{"公务用车购置及运行维护费/小计/一般公共预算", "sangong.vehicle", "general_budget"},
			{"公务用车购置及运行维护费/公务用车购置费/国有资本经营预算", "sangong.vehicle.purchase", "state_capital"},
			{"公务用车购置及运行费/运行费", "sangong.vehicle.operation", ""},
		}},
		{"三公 with 会议费 and 培训费, and earlier years", KindThreePublic, PhaseFinal, 2022, []col{
			{"合计", "total", ""},
			{"“三公”经费/小计", "sangong.total", ""},
			{"会议费", "meeting", ""},
			{"2021年/培训费", "prior_year.training", ""},
			{"增减变化情况/合计", "change.total", ""},
			{"预算数/公务接待费", "budget.sangong.reception", ""},
		}},
		{"一般公共预算基本支出表, by source", KindGeneralBasic, PhaseBudget, 2026, []col{
			{"总计", "basic", ""},
			{"财政拨款/一般公共预算拨款", "basic", "general_budget"},
			{"财政拨款/政府性基金预算拨款", "basic", "gov_fund"},
			{"单位资金/其他收入", "basic", "other"},
			{"上年结余、结转", "carryover.basic", ""},
		}},
		{"一般公共预算基本支出表, its own fund restated", KindGeneralBasic, PhaseBudget, 2026, []col{
			{"本年一般公共预算基本支出/合计", "basic", ""},
			{"本年一般公共预算基本支出/人员经费", "basic.personnel", ""},
			{"人员类", "basic.personnel", ""},
		}},
		{"项目支出表, carried over", KindProject, PhaseBudget, 2026, []col{
			{"本年财政拨款/一般公共预算", "current.project", "general_budget"},
			{"财政拨款结转/一般公共预算", "carryover.project", "general_budget"},
		}},
		{"政府性基金 决算", KindGovFund, PhaseFinal, 2024, []col{
			{"年初结转和结余", "carryover", ""},
			{"本年收入", "income", ""},
			{"本年支出/项目支出", "project", ""},
			{"年末结转和结余", "carryover_end", ""},
		}},
		{"收支总表", KindSummary, PhaseBudget, 2026, []col{
			{"收入/2026 年预算数", "total", ""},
			{"支出/2025 年预算数", "prior_year.total", ""},
			{"本年收入/预算数", "total", ""},
			{"收入/本年预算", "total", ""},
			{"收入/编制预算", "total", ""},
		}},
		{"unread", KindExpenditure, PhaseBudget, 2026, []col{
			{"支出/预算数政", "", ""},
			{"2027年预算数", "", ""},
			{"规格型号", "", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &Table{Kind: tt.kind, Phase: tt.phase, FiscalYear: tt.year}
			for i, c := range tt.cols {
				tb.Columns = append(tb.Columns, Column{Index: i, Path: strings.Split(c.path, "/")})
			}
			tb.roleOf = make([]columnRole, len(tb.Columns))
			for i := range tb.roleOf {
				tb.roleOf[i] = roleAmount
			}
			setMeasures(tb)
			for i, c := range tt.cols {
				got := tb.Columns[i]
				if got.Measure != c.measure || got.Fund != c.fund {
					t.Errorf("%s: measure %q fund %q, want %q %q", c.path, got.Measure, got.Fund, c.measure, c.fund)
				}
			}
		})
	}
}

func TestMeasuredKinds(t *testing.T) {
	for _, k := range Kinds {
		want := k != KindOther && k != KindPerformance
		if k.Measured() != want {
			t.Errorf("%s.Measured() = %v", k, k.Measured())
		}
	}
}

// TestRowItems: a 三公 table printed a row per item (guangzhou-health 表8)
// measures each row's item, qualified as its column is; a row that names
// no item measures nothing known. A table with a row per agency keeps its
// columns' measures.
func TestRowItems(t *testing.T) {
	tb := &Table{Kind: KindThreePublic, Phase: PhaseBudget, FiscalYear: 2026, Columns: []Column{
		{Index: 0, Path: []string{"项目"}}, {Index: 1, Path: []string{"合计"}},
		{Index: 2, Path: []string{"一般公共预算"}}, {Index: 3, Path: []string{"2025年", "合计"}}}}
	for i, l := range []string{"行政经费", "“三公”经费", "其中:(一)因公出国(境)支出", "(二)公务用车购置及运行维护支出",
		"1.公务用车购置费", "2.公务用车运行维护费", "(三)公务接待费支出"} {
		tb.Rows = append(tb.Rows, Row{Index: i, Label: l})
	}
	tb.roleOf = []columnRole{roleText, roleAmount, roleAmount, roleAmount}
	setMeasures(tb)
	want := [][3]string{
		{"", "", ""},
		{"sangong.total", "sangong.total", "prior_year.sangong.total"},
		{"sangong.abroad", "sangong.abroad", "prior_year.sangong.abroad"},
		{"sangong.vehicle", "sangong.vehicle", "prior_year.sangong.vehicle"},
		{"sangong.vehicle.purchase", "sangong.vehicle.purchase", "prior_year.sangong.vehicle.purchase"},
		{"sangong.vehicle.operation", "sangong.vehicle.operation", "prior_year.sangong.vehicle.operation"},
		{"sangong.reception", "sangong.reception", "prior_year.sangong.reception"},
	}
	for i := range tb.Rows {
		got := [3]string{tb.Measure(&tb.Rows[i], 1), tb.Measure(&tb.Rows[i], 2), tb.Measure(&tb.Rows[i], 3)}
		if got != want[i] {
			t.Errorf("row %q: %q, want %q", tb.Rows[i].Label, got, want[i])
		}
	}
	if f := tb.Columns[2].Fund; f != "general_budget" {
		t.Errorf("fund %q", f)
	}

	byAgency := &Table{Kind: KindThreePublic, FiscalYear: 2026, Columns: []Column{
		{Index: 0, Path: []string{"单位名称"}}, {Index: 1, Path: []string{"合计"}}, {Index: 2, Path: []string{"公务接待费"}}},
		Rows: []Row{{Index: 0, Label: "合计"}, {Index: 1, Label: "某某局"}}}
	byAgency.roleOf = []columnRole{roleText, roleAmount, roleAmount}
	setMeasures(byAgency)
	for i := range byAgency.Rows {
		if m := byAgency.Measure(&byAgency.Rows[i], 1); m != "sangong.total" {
			t.Errorf("row %d: %q, want sangong.total", i, m)
		}
	}
}
