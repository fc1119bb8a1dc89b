package normalize

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
)

// This file reads the performance indicators (绩效指标) of the performance
// tables of a document: every indicator with its levels, its target as
// printed and as read (ParseTarget), and the project it belongs to. It
// reads every layout the same way, from the headings over the indicator
// grid: the column headings of a list (the wide 汇总表 with pairs of
// 三级指标 | 指标值 under each 一级指标, a list with 一级指标 | 二级指标 |
// 三级指标 columns), or a row of headings inside a form (一级指标 | 二级指标 |
// 三级指标 | 指标值 under the form's fields). A project's indicators stay
// with it across wrapped lines and pages: a list names each project once,
// over all its lines; a form names one project in its fields.

// FormKind says whose targets a performance table sets.
type FormKind string

// The kinds of performance forms.
const (
	FormOverall FormKind = "overall" // the agency's as a whole: 部门(单位)整体绩效目标
	FormProject FormKind = "project" // a project's, or a transfer payment's
)

// Indicator is one performance indicator of a table: its levels, its target
// and, for a 绩效自评表, what was achieved and its score.
type Indicator struct {
	Table          int      // index into Document.Tables
	Row            int      // the body row (Row.Index) of its name, or of its value
	Form           FormKind // overall or project
	ProjectCode    string   // the project's code as printed (410505240000000031208), "" if none
	ProjectName    string   // the project's name, "" for an overall form
	ProjectAmount  *Amount  // the project's amount (资金总额) in the table's unit; nil if none printed
	Agency         string   // the agency that carries it out: 实施单位, the list's 单位名称, else the table's
	Level1         string   // 一级指标: 产出指标, 效益指标, 满意度指标, 成本指标; "" if none printed
	Level2         string   // 二级指标: 数量指标, 社会效益指标, ...; "" if none printed
	Name           string   // 三级指标: the indicator itself
	ValueText      string   // 指标值 as printed (normalized); the 年度 value where a form prints two
	Note           string   // 指标值说明, 指标解释
	Target         Target   // ValueText read; the zero Target when nothing reads
	TargetErr      error    // ValueText looks numeric but does not read (wraps ErrMalformedTarget)
	Actual         string   // 实际完成值 (绩效自评), "" if none
	Weight         *Amount  // 分值 or 权重, nil if none
	Score          *Amount  // 得分, nil if none
	Page           int      // 1-based page of its name (or value)
	X0, Y0, X1, Y1 float64  // box of its name and value, in points
}

// heading is one heading over a column of an indicator grid or list.
type heading struct {
	col    int     // the table column it heads
	x      float64 // centre of its text, in points (to tell headings in one column apart)
	role   indRole
	level1 string // the 一级指标 a group heading names over it (wide lists), "" if none
	group  int    // the indicator group it belongs to (one per 三级指标 | 指标值 pair)
	text   string
}

// indLayout is what the columns of an indicator grid hold.
type indLayout struct {
	heads  []heading // by column, then x
	groups int       // indicators per row: 1, or one per 一级指标 of a wide list
	header bool      // from the table's column headings (else a row of headings)
}

// newLayout groups headings into indicators and reports whether they head
// an indicator grid: an indicator's name (or levels) and its value, or a
// packed column.
func newLayout(heads []heading, header bool) *indLayout {
	slices.SortStableFunc(heads, func(a, b heading) int {
		if a.col != b.col {
			return a.col - b.col
		}
		return int(math.Copysign(1, a.x-b.x))
	})
	dropSectionLabel(heads)
	l := &indLayout{heads: heads, header: header}
	var has [indRoleCount]bool
	var cur [indRoleCount]bool
	level1 := ""
	for i := range heads {
		h := &heads[i]
		if h.role == roleNoIndicator || h.role >= projCode {
			continue
		}
		if l.groups == 0 || cur[h.role] || h.level1 != level1 {
			l.groups++
			cur, level1 = [indRoleCount]bool{}, h.level1
		}
		cur[h.role], has[h.role] = true, true
		h.group = l.groups - 1
	}
	name := has[indName] || has[indLevel2]
	value := has[indValue] || has[indPeriodValue] || has[indActual]
	if !value && has[indName] {
		// 绩效指标 alone: every indicator of a project printed in one cell.
		for i := range heads {
			if heads[i].role == indName && headingKey(heads[i].text) == "绩效指标" {
				heads[i].role, has[indPacked] = indPacked, true
			}
		}
	}
	if !(name && value) && !has[indPacked] {
		return nil
	}
	return l
}

// dropSectionLabel takes the role off a 绩效指标 heading that labels the
// section beside the grid's own name heading (绩效指标 | 一级指标 | … |
// 三级指标).
func dropSectionLabel(heads []heading) {
	named := slices.ContainsFunc(heads, func(h heading) bool {
		return h.role == indName && headingKey(h.text) != "绩效指标" && headingKey(h.text) != "指标"
	})
	for i := range heads {
		if k := headingKey(heads[i].text); named && heads[i].role == indName && (k == "绩效指标" || k == "指标") {
			heads[i].role = roleNoIndicator
		}
	}
}

// headerLayout reads the layout of a list from the table's column
// headings; nil when they head no indicator grid.
func headerLayout(t *Table) *indLayout {
	var heads []heading
	for _, c := range t.Columns {
		if len(c.Path) == 0 {
			continue
		}
		h := heading{col: c.Index, role: indicatorHeading(c.Path[len(c.Path)-1]), text: c.Path[len(c.Path)-1]}
		for _, p := range c.Path[:len(c.Path)-1] {
			if isLevel1(p) {
				h.level1 = cleanLevel(p)
			}
		}
		heads = append(heads, h)
	}
	return newLayout(heads, true)
}

// rowLayout reads a row of headings inside a form; nil when the row is no
// such row.
func rowLayout(r *Row) *indLayout {
	if slices.ContainsFunc(r.Cells, func(c Cell) bool { return c.Amount != nil }) {
		return nil // no heading is an amount
	}
	heads := make([]heading, 0, len(r.Cells))
	known := 0
	for _, c := range r.Cells {
		role := indicatorHeading(c.Text)
		if role != roleNoIndicator {
			known++
		} else if !headerWords(c.Text) {
			return nil
		}
		heads = append(heads, heading{col: c.Column, x: (c.X0 + c.X1) / 2, role: role, text: c.Text})
	}
	if known < 2 {
		return nil
	}
	return newLayout(heads, false)
}

// headOf returns the heading over a body cell: its column's (where two
// headings share a column, the one nearest its text), or, in a form, the
// heading to its left, which covers the columns up to the next heading.
func (l *indLayout) headOf(c *Cell) *heading {
	col := -1
	for _, h := range l.heads {
		if h.col == c.Column || !l.header && h.col < c.Column {
			col = h.col
		}
	}
	var best *heading
	for i := range l.heads {
		h := &l.heads[i]
		if h.col != col {
			continue
		}
		if best == nil || math.Abs(h.x-(c.X0+c.X1)/2) < math.Abs(best.x-(c.X0+c.X1)/2) {
			best = h
		}
	}
	return best
}

// agencyPrefixRE is an agency's number printed before its name: 105001长春市
// 信访局, 253_烟台市住房和城乡建设局, [292]国家信访局.
var agencyPrefixRE = regexp.MustCompile(`^(?:\[\d+\]|\d{3,9}[_\-－]?)\s*`)

// cleanAgency takes an agency's number off its name.
func cleanAgency(s string) string {
	return strings.TrimSpace(agencyPrefixRE.ReplaceAllString(NormalizeText(s), ""))
}

// projectCodeRE is a project's code printed before its name:
// 11000022T000000434658-北昆乐器购置及配件.
var projectCodeRE = regexp.MustCompile(`^([0-9A-Z]{10,})\s*[-－_]?\s*(\S.*)$`)

// splitProjectCode takes a project's code off the front of its name.
func splitProjectCode(s string) (code, name string) {
	if m := projectCodeRE.FindStringSubmatch(s); m != nil && strings.ContainsFunc(m[1], isASCIIDigit) {
		return m[1], m[2]
	}
	return "", s
}

// titleProjectRE is a per-project form's title: the project's name, then
// (项目)绩效目标表 or 绩效自评表.
var titleProjectRE = regexp.MustCompile(`^(.+?)(?:项目)?(?:绩效目标表|绩效自评表|绩效目标申报表)$`)

// formOf says whose targets a table sets, from its title: 整体 is the
// agency's.
func formOf(t *Table) FormKind {
	if strings.Contains(t.Title, "整体") {
		return FormOverall
	}
	return FormProject
}

// String renders an indicator on one line, for tests and the tables
// command: page and row, form, [project code|name|amount] (agency),
// levels and name, the value as printed and as read.
func (ind Indicator) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "p%d r%d %s", ind.Page, ind.Row, ind.Form)
	if ind.Form == FormProject {
		amount := ""
		if ind.ProjectAmount != nil {
			amount = ind.ProjectAmount.String()
		}
		fmt.Fprintf(&b, " [%s|%s|%s]", ind.ProjectCode, ind.ProjectName, amount)
	}
	fmt.Fprintf(&b, " (%s) %s/%s/%s = %q -> %s", ind.Agency, ind.Level1, ind.Level2, ind.Name, ind.ValueText, targetString(ind.Target))
	if ind.TargetErr != nil {
		b.WriteString(" (not read)")
	}
	if ind.Note != "" {
		fmt.Fprintf(&b, " note=%q", ind.Note)
	}
	if ind.Actual != "" {
		fmt.Fprintf(&b, " actual=%q", ind.Actual)
	}
	if ind.Weight != nil {
		fmt.Fprintf(&b, " weight=%s", ind.Weight)
	}
	if ind.Score != nil {
		fmt.Fprintf(&b, " score=%s", ind.Score)
	}
	return b.String()
}

// targetString renders a Target compactly: "≥ 300..* 件", "range 0..100
// 人", "qualitative", "-" for the zero Target.
func targetString(t Target) string {
	if t.Qualitative {
		return "qualitative"
	}
	if t.Comparator == CompNone {
		return "-"
	}
	lo, hi := "*", "*"
	if t.Low != nil {
		lo = t.Low.String()
	}
	if t.High != nil {
		hi = t.High.String()
	}
	return strings.TrimSpace(string(t.Comparator) + " " + lo + ".." + hi + " " + t.Unit)
}

// String renders a field on one line: page and row, [project], key = value.
func (f FormField) String() string {
	s := fmt.Sprintf("p%d r%d", f.Page, f.Row)
	if f.ProjectName != "" || f.ProjectCode != "" {
		s += fmt.Sprintf(" [%s|%s]", f.ProjectCode, f.ProjectName)
	}
	s += fmt.Sprintf(" %s = %q", f.Key, f.Value)
	if f.Amount != nil {
		s += " (" + f.Amount.String() + ")"
	}
	return s
}
