package normalize

import (
	_ "embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// This file reads what each amount column measures, in one vocabulary for
// every document (Column.Measure and Column.Fund). The words are data, in
// measures.tsv; the rules that combine them are here:
//
//   - each segment of a column's path, top to bottom, is read on its own:
//     a year before the table's own (2025年 in a 2026 table) is
//     prior_year, the table's own year nothing; then the first prefix,
//     the first item and the first fund entry whose words it holds; if it
//     holds none, a total (合计) or a frame word (预算数, the whole
//     segment); a segment that is none of these is unknown;
//   - the measure is the prefixes, top to bottom, then the deepest item
//     ("基本支出/人员经费" is basic.personnel); a column with no item
//     measures what the table's kind does (a 项目支出表's 合计 is
//     project), else total; the fund is the deepest fund named;
//   - in an income table a fund column measures income from that fund
//     (income.general_budget; carryover for what was carried over);
//   - a fund that restates the table's own (一般公共预算 in a 一般公共预算
//     支出表, 财政拨款 in a 财政拨款“三公”经费支出表) is dropped unless
//     another column names another fund;
//   - in a final account (决算) the budget figure (预算数) is prefixed
//     budget, the final figure (决算数) is the measure itself.
//
// A column with a segment the vocabulary does not read gets no measure:
// it stays empty, never guessed.

//go:embed measures.tsv
var measuresTSV string

// vocabRole is what an entry of the measure vocabulary makes of a segment.
type vocabRole uint8

const (
	vocabPrefix vocabRole = iota
	vocabItem
	vocabFund
	vocabPeriod
	vocabTotal
	vocabFrame
)

var vocabRoles = map[string]vocabRole{"prefix": vocabPrefix, "item": vocabItem, "fund": vocabFund, "period": vocabPeriod, "total": vocabTotal, "frame": vocabFrame}

// vocabEntry is one line of measures.tsv.
type vocabEntry struct {
	role      vocabRole
	name      string   // "" for totals and plain frame words
	all, none []string // words the segment holds, and must not hold
	example   string
	line      int
}

// matches reports whether a normalized segment holds the entry's words
// (above: the segments over it, joined).
func (e *vocabEntry) matches(seg, above string) bool {
	if e.role == vocabFrame {
		return seg == e.all[0]
	}
	for _, w := range e.all {
		if up, ok := strings.CutPrefix(w, "^"); ok {
			if !strings.Contains(above, up) {
				return false
			}
		} else if !strings.Contains(seg, w) {
			return false
		}
	}
	for _, w := range e.none {
		if strings.Contains(seg, w) {
			return false
		}
	}
	return true
}

var measureVocab = mustParseVocab(measuresTSV)

func mustParseVocab(data string) []vocabEntry {
	v, err := parseVocab(data)
	if err != nil {
		panic(err)
	}
	return v
}

// parseVocab reads measures.tsv.
func parseVocab(data string) ([]vocabEntry, error) {
	var out []vocabEntry
	for i, line := range strings.Split(data, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("measures.tsv:%d: %d fields, want 5", i+1, len(f))
		}
		role, ok := vocabRoles[f[0]]
		if !ok {
			return nil, fmt.Errorf("measures.tsv:%d: unknown role %q", i+1, f[0])
		}
		e := vocabEntry{role: role, name: strings.Trim(f[1], "-"), all: strings.Split(f[2], "+"), example: f[4], line: i + 1}
		if f[3] != "-" {
			e.none = strings.Split(f[3], "+")
		}
		if role < vocabTotal && e.name == "" {
			return nil, fmt.Errorf("measures.tsv:%d: a %s needs a name", i+1, f[0])
		}
		out = append(out, e)
	}
	return out, nil
}

// segmentReading is what one segment of a column path says.
type segmentReading struct {
	prefixes    []string
	item, fund  string
	period      string // current or carryover
	budgetFrame bool   // 预算数: the budget figure (of a final account)
	known       bool
}

// leadingYearRE is a year at the start of a heading: 2025年, 2026 年度.
var leadingYearRE = regexp.MustCompile(`^((?:19|20)\d\d)年度?`)

// quotes drops the quotation marks of a heading.
var quotes = strings.NewReplacer("“", "", "”", "", "\"", "", "‘", "", "’", "", "'", "")

// cleanSegment normalizes a heading segment for the vocabulary: no
// spaces, quotes or trailing colon, no 其中 or unit in brackets.
func cleanSegment(s string) string {
	s = squashSpaces(NormalizeText(s))
	s = quotes.Replace(s)
	s = strings.TrimRight(s, ":")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "其中:"), "其中")
	if m := headingUnitRE.FindStringIndex(s); m != nil && m[1] == len(s) && m[0] > 0 {
		s = s[:m[0]]
	}
	return s
}

// headingUnitRE is a unit in brackets at the end of a heading.
var headingUnitRE = regexp.MustCompile(`\((?:单位:)?(?:万元|元|千元|亿元)\)$`)

// readSegment reads one segment of a column path in a table of the year,
// under the segments above (cleaned and joined).
func readSegment(s, above string, year int) segmentReading {
	var r segmentReading
	if m := leadingYearRE.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		switch {
		case year == 0 || y > year:
			return r // a year we cannot place
		case y < year:
			r.prefixes = append(r.prefixes, "prior_year")
		}
		s = s[len(m[0]):]
	}
	if s == "" {
		r.known = true
		return r
	}
	var matched [vocabFrame + 1]bool
	for i := range measureVocab {
		e := &measureVocab[i]
		if matched[e.role] || !e.matches(s, above) {
			continue
		}
		switch e.role {
		case vocabPrefix:
			r.prefixes = append(r.prefixes, e.name)
		case vocabItem:
			r.item = e.name
		case vocabFund:
			r.fund = e.name
		case vocabPeriod:
			r.period = e.name
		case vocabFrame:
			r.budgetFrame = e.name == "budget"
		}
		matched[e.role] = true
	}
	named := matched[vocabPrefix] || matched[vocabItem] || matched[vocabFund] || matched[vocabPeriod]
	r.known = named || matched[vocabTotal] || matched[vocabFrame]
	if named {
		r.budgetFrame = false
	}
	return r
}

// columnReading is what a column's whole path says, before the table's
// kind completes it.
type columnReading struct {
	prefixes   []string
	item, fund string
	period     string // the outermost period named
	budget     bool   // its path says 预算数
	known      bool
}

func readColumn(path []string, year int) columnReading {
	c := columnReading{known: true}
	above := ""
	for _, seg := range path {
		s := cleanSegment(seg)
		r := readSegment(s, above, year)
		above += s + "/"
		if !r.known {
			return columnReading{}
		}
		for _, p := range r.prefixes {
			if !containsString(c.prefixes, p) {
				c.prefixes = append(c.prefixes, p)
			}
		}
		switch {
		case strings.HasPrefix(r.item, ".") && c.item != "":
			c.item += r.item // 人员经费/工资福利支出
		case r.item != "":
			c.item = r.item
		}
		if r.fund != "" {
			c.fund = r.fund
		}
		if c.period == "" {
			c.period = r.period
		}
		c.budget = c.budget || r.budgetFrame
	}
	return c
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// kindItem is what a table of the kind measures when a column names no
// item of its own, and the table names no item outside its family.
var kindItem = map[Kind]string{
	KindGeneralBasic: "basic",
	KindProject:      "project",
	KindThreePublic:  "sangong.total",
	KindOperating:    "operating_funds",
	KindCarryover:    "carryover",
}

// kindFund is the fund every column of a table of the kind is about.
var kindFund = map[Kind]string{
	KindGeneralPublic: "general_budget",
	KindGeneralBasic:  "general_budget",
	KindGovFund:       "gov_fund",
	KindStateCapital:  "state_capital",
	KindFiscalSummary: "fiscal",
}

// Measured reports a kind whose amount columns get measures: every kind
// but the forms (targets and indicators) and other.
func (k Kind) Measured() bool { return k != KindOther && !k.Forms() }

// tableReading is what a table's columns name, all together.
type tableReading struct {
	funds     map[string]bool
	carryover bool // a column of money carried over
	foreign   bool // an item outside the family of the kind's own
}

// setMeasures sets Measure and Fund on every column of t that holds
// amounts, where the vocabulary reads its path.
func setMeasures(t *Table) {
	if !t.Kind.Measured() {
		return
	}
	roles := t.roles()
	reads := make([]columnReading, len(t.Columns))
	tr := tableReading{funds: map[string]bool{}}
	family, _, _ := strings.Cut(kindItem[t.Kind], ".")
	for i, col := range t.Columns {
		if roles[i] != roleAmount {
			continue
		}
		c := readColumn(col.Path, t.FiscalYear)
		reads[i] = c
		if c.fund != "" {
			tr.funds[c.fund] = true
		}
		tr.carryover = tr.carryover || c.period == "carryover"
		if c.item != "" && family != "" && !strings.HasPrefix(c.item, family) {
			tr.foreign = true
		}
	}
	for i := range t.Columns {
		if roles[i] == roleAmount && reads[i].known {
			t.Columns[i].Measure, t.Columns[i].Fund = measureOf(t, reads[i], tr)
		}
	}
	setRowItems(t)
}

// setRowItems reads the items a table's rows name, where its rows are
// its items: a 三公 table printed a row per item, two rows at least naming
// one.
func setRowItems(t *Table) {
	if t.Kind != KindThreePublic {
		return
	}
	items := make([]string, len(t.Rows))
	n := 0
	for i, r := range t.Rows {
		s := cleanSegment(r.Label)
		for j := range measureVocab {
			if e := &measureVocab[j]; e.role == vocabItem && !strings.HasPrefix(e.name, ".") && e.matches(s, "") {
				items[i] = e.name
				n++
				break
			}
		}
	}
	if n < 2 {
		return
	}
	t.itemRows = true
	for i := range t.Rows {
		t.Rows[i].Item = items[i]
	}
}

// Measure returns what the cell of row r in column col measures: the
// column's measure, or, in a table whose rows are its items, the row's
// item in place of the kind's own (qualified as the column is:
// prior_year.sangong.total over a row 公务接待费 is
// prior_year.sangong.reception). A row that names no item there, other
// than a total, measures nothing known: "".
func (t *Table) Measure(r *Row, col int) string {
	m := t.Columns[col].Measure
	own := kindItem[t.Kind]
	if !t.itemRows || m == "" || own == "" || !strings.HasSuffix(m, own) {
		return m
	}
	switch {
	case r.Item != "":
		return strings.TrimSuffix(m, own) + r.Item
	case isTotalLabel(squashSpaces(r.Label)):
		return m
	}
	return ""
}

// titleFund is the fund a table's title names (财政拨款“三公”经费支出表:
// fiscal), "" when it names none.
func titleFund(title string) string {
	s := cleanSegment(title)
	for i := range measureVocab {
		if e := &measureVocab[i]; e.role == vocabFund && e.matches(s, "") {
			return e.name
		}
	}
	return ""
}

// measureOf completes a column's reading with its table's kind and phase.
func measureOf(t *Table, c columnReading, tr tableReading) (measure, fund string) {
	fund = c.fund
	if (fund == kindFund[t.Kind] || fund == titleFund(t.Title)) && len(tr.funds) == 1 {
		fund = "" // the table's own fund, and no other
	}
	income := t.Kind == KindIncome
	item := c.item
	if item == "income" && (t.Kind == KindSummary || t.Kind == KindFiscalSummary) {
		item = "" // 本年收入 in a two-sided table: the side
	}
	prefixes := c.prefixes[:len(c.prefixes):len(c.prefixes)]
	if rel, ok := strings.CutPrefix(item, "."); ok {
		// A class of spending alone: of the kind's own, else by itself.
		item = rel
		if k := kindItem[t.Kind]; k != "" {
			item = k + "." + rel
		}
	}
	switch {
	case item == "income" && fund != "":
		item = "income." + fund
	case item != "":
	case income && c.period == "carryover":
		item = "carryover" // by fund
	case income && fund != "":
		item = "income." + fund
	case income && c.period == "current":
		item = "income"
	case kindItem[t.Kind] != "" && !tr.foreign:
		item = kindItem[t.Kind]
	case c.period == "carryover":
		item = "carryover"
	default:
		item = "total"
	}
	switch {
	case c.period == "carryover" && item != "carryover":
		prefixes = append(prefixes, "carryover")
	case c.period == "current" && tr.carryover && !income:
		prefixes = append(prefixes, "current")
	}
	if c.budget && t.Phase == PhaseFinal {
		prefixes = append(prefixes, "budget")
	}
	return strings.Join(append(prefixes, item), "."), fund
}
