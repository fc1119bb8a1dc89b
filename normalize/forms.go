package normalize

import (
	"regexp"
	"slices"
	"strings"
)

// This file reads the forms of performance tables (绩效目标表, 绩效自评表):
// their key-value parts (项目名称 | 外伤医疗费用结算审核服务费, 主管部门 |
// 福州市医疗保障局, 资金总额 | 118.00, 年度目标 | …), which a reader takes
// as fields, not as column headings. A form is recognized from its first
// row (startsForm) while its table is built, and its fields are read from
// its body rows once the document is finished (FormField).

// FormField is one field of a form: a key (with the section and sub-heading
// it stands under, joined by "/": 专项资金情况(万元)/资金总额) and its value
// as printed. A list of projects gives each project's goal (绩效目标) as a
// field too.
type FormField struct {
	Table          int     // index into Document.Tables
	Row            int     // the body row (Row.Index) of the value
	Key            string  // the field's key path, normalized
	Value          string  // the value as printed, normalized
	Amount         *Amount // the value read as an amount (资金 lines), in the table's unit; nil for text
	ProjectCode    string  // the project the field belongs to, "" for a form of the whole agency
	ProjectName    string  // the project's name, "" for a form of the whole agency
	Page           int     // 1-based page of the value
	X0, Y0, X1, Y1 float64 // box of the value's glyphs, in points
}

// formKeys are the labels of a performance form's fields. A key matches
// when the label, normalized (no spaces, no closing colon), equals one or
// is one followed by a bracketed note or 及代码 (项目资金(万元),
// 主管部门及代码).
var formKeys = []string{
	"项目名称", "项目编码", "项目代码", "主管部门", "实施单位", "部门名称", "部门(单位)名称", "单位名称",
	"转移支付名称", "市级主管部门", "专项资金情况", "项目资金", "资金金额", "资金情况", "预算情况",
	"年度履职目标", "年度主要任务", "总体目标", "年度目标", "整体绩效目标", "当年整体绩效目标",
	"项目实施期目标", "年度总体目标", "总体绩效目标", "实施期限", "项目期", "备注", "总分",
}

// openingKeys name what a form is about; a lattice that starts with one
// starts a new form (and table), even under a title repeated from the page
// before.
var openingKeys = []string{"项目名称", "部门名称", "部门(单位)名称", "单位名称", "转移支付名称"}

// listHeadingWords mark a column heading of a list of projects: a first
// row where one follows a key is a list's header, not a form's field.
var listHeadingWords = []string{"名称", "编码", "代码", "金额", "总额", "预算数", "绩效目标", "指标", "合计", "总计"}

// formKeySuffixRE is what may follow a form key: a bracketed note (万元),
// 及代码, 完成情况 (a self-evaluation's 年度总体目标完成情况).
var formKeySuffixRE = regexp.MustCompile(`^(?:\([^()]*\)|及代码|完成情况)?$`)

// formKey returns the form key a cell's text is, or "".
func formKey(text string) string {
	t := strings.TrimRight(squashSpaces(NormalizeText(text)), ":")
	for _, k := range formKeys {
		if rest, ok := strings.CutPrefix(t, k); ok && formKeySuffixRE.MatchString(rest) {
			return k
		}
	}
	return ""
}

// startsForm reports a lattice whose first row after its title rows is a
// form's field: a form key, then nothing or a value that is no column
// heading (项目名称 | 外伤医疗费用结算审核服务费, not 单位名称 | 项目名称 |
// 金额). It returns the key.
func startsForm(l *lattice, start int) string {
	rows := l.byRow()
	if start >= len(rows) {
		return ""
	}
	var texts []string
	section := false
	for _, c := range rows[start] {
		if c.text != "" {
			texts = append(texts, c.text)
			section = section || len(texts) == 1 && c.rowSpan > 1
		}
	}
	if len(texts) == 0 {
		return ""
	}
	if first := rows[start][0]; start+1 < len(rows) && (first.col > 0 || first.text == "") && formKey(texts[0]) == "" {
		// The end of a value cut by the page break (…补助资 | 金) before
		// the form's next field.
		return startsForm(l, start+1)
	}
	k := formKey(texts[0])
	if k == "" || k == "备注" || k == "总分" || len(texts) > 1 && isListHeading(texts[1]) {
		return ""
	}
	// Pairs (主管部门 | X | 实施单位 | Y), or a key, its line and an amount
	// (专项资金情况(万元) | 资金总额 | 85.50): not a row of many headings.
	switch len(texts) {
	case 1, 2:
	case 3:
		// 专项资金情况(万元) | 资金总额 | 85.50, or a section over two
		// sub-headings (年度总体目标完成情况 | 预期目标 | 实际完成情况).
		if !LooksLikeAmount(texts[2]) && !section {
			return ""
		}
	case 4:
		if formKey(texts[2]) == "" || isListHeading(texts[3]) {
			return ""
		}
	default:
		return ""
	}
	return k
}

// isListHeading reports text that heads a column of a list of projects or
// indicators.
func isListHeading(t string) bool {
	c := squashSpaces(NormalizeText(t))
	if formKey(c) != "" || indicatorHeading(c) != roleNoIndicator {
		return true
	}
	return headerWords(c) && slices.ContainsFunc(listHeadingWords, func(w string) bool { return strings.Contains(c, w) })
}

// formState is where the fields being read stand in their form.
type formState struct {
	section    string    // a label merged down beside the fields (专项资金情况(万元)); "" if none
	sectionCol int       // the column of the section's label
	subHeads   []heading // headings over a block of fields printed as a grid (任务名称 | 主要内容)
	headRow    bool      // the last row read was a row of sub-headings
	pending    string    // a key printed alone on the last row read, its value on the next
}

// enter places a form row under its section: a first cell merged down over
// the rows (ruled forms) starts a section, a row that prints in the
// section's column ends it. It returns the row's cells after the section's
// label.
func (fs *formState) enter(row *Row) []Cell {
	cells := row.Cells
	first := cells[0]
	if fs.section != "" && first.Column <= fs.sectionCol {
		fs.section, fs.subHeads = "", nil
	}
	if formKey(first.Text) != "" && len(cells) > 1 && first.rowSpan <= 1 {
		fs.subHeads = nil // a field of its own: 年度目标 | …
	}
	if first.rowSpan > 1 && first.Amount == nil && len(cells) > 1 {
		fs.section, fs.sectionCol, fs.subHeads = headingKey(first.Text), first.Column, nil
		cells = cells[1:]
	}
	return cells
}

// isSubHeadRow reports a row of headings over a block of fields: two or
// more words that head columns, no amount, no field key.
func isSubHeadRow(cells []Cell) bool {
	if len(cells) < 2 {
		return false
	}
	for _, c := range cells {
		if c.Amount != nil || !headerWords(c.Text) || formKey(c.Text) != "" || looksLikeData(c.Text) {
			return false
		}
	}
	return true
}

// formRow reads a row of a form's fields.
func (r *indReader) formRow(row *Row) {
	if len(row.Cells) == 0 {
		return
	}
	cells := r.fs.enter(row)
	stacked, pending := r.fs.headRow, r.fs.pending
	r.fs.headRow, r.fs.pending = false, ""
	switch {
	case len(cells) == 1 && formKey(cells[0].Text) != "" && cells[0].rowSpan <= 1:
		r.fs.pending = headingKey(cells[0].Text) // 当年整体绩效目标, its value on the next row
	case len(cells) == 1 && pending != "":
		r.noteField(row, &cells[0], joinKey(r.fs.section, pending))
	case isSubHeadRow(cells) && r.fs.section != "":
		var heads []heading
		for _, c := range cells {
			heads = append(heads, heading{col: c.Column, text: headingKey(c.Text)})
		}
		if stacked {
			heads = stackHeads(r.fs.subHeads, heads)
		}
		r.fs.subHeads, r.fs.headRow = heads, true
	case len(r.fs.subHeads) > 0 && cells[len(cells)-1].Column >= r.fs.subHeads[0].col:
		r.subHeadFields(row, cells)
	default:
		r.pairFields(row, cells)
	}
}

// stackHeads puts a row of sub-headings under the row above it: each
// lower heading's path starts with the upper heading over its column (the
// one at or left of it), and upper headings without a lower one stay
// (全年预算数(万元) over 总额 | 财政拨款 | 其他资金, then 分值).
func stackHeads(upper, lower []heading) []heading {
	over := func(col int) string {
		t := ""
		for _, h := range upper {
			if h.col <= col {
				t = h.text
			}
		}
		return t
	}
	var out []heading
	for _, h := range upper {
		if !slices.ContainsFunc(lower, func(l heading) bool { return l.col == h.col }) &&
			!slices.ContainsFunc(lower, func(l heading) bool { return l.col > h.col && over(l.col) == h.text }) {
			out = append(out, h)
		}
	}
	for _, l := range lower {
		out = append(out, heading{col: l.col, text: joinKey(over(l.col), l.text)})
	}
	slices.SortStableFunc(out, func(a, b heading) int { return a.col - b.col })
	return out
}

// subHeadFields reads a row under sub-headings: a cell left of them labels
// the row, each other is keyed by the heading over it.
func (r *indReader) subHeadFields(row *Row, cells []Cell) {
	label := ""
	pairs := labelledAmounts(cells)
	for i := range cells {
		c := &cells[i]
		var head string
		for _, h := range r.fs.subHeads {
			if h.col <= c.Column {
				head = h.text
			}
		}
		if head == "" {
			label = headingKey(c.Text)
			continue
		}
		if pairs && c.Amount != nil && i > 0 {
			// 基本支出 | 58,118.59 | 财政拨款 | 92,008.68: each amount
			// is the line named left of it.
			r.noteField(row, c, joinKey(r.fs.section, label, headingKey(cells[i-1].Text), head))
			continue
		}
		r.noteField(row, c, joinKey(r.fs.section, label, head))
	}
}

// labelledAmounts reports a row of lines side by side, each a name and its
// amount: two amounts or more, each right after a text.
func labelledAmounts(cells []Cell) bool {
	n := 0
	for i, c := range cells {
		if c.Amount == nil {
			continue
		}
		if i == 0 || cells[i-1].Amount != nil {
			return false
		}
		n++
	}
	return n >= 2
}

// pairFields reads a row of keys, each followed by its value (主管部门 |
// 福州市医疗保障局 | 实施单位 | 福州市医疗保障局). A cell after a value
// starts the next pair when it is a field key or has a value after it;
// else it is another value of the same key.
func (r *indReader) pairFields(row *Row, cells []Cell) {
	key := ""
	for i := range cells {
		c := &cells[i]
		if key == "" || formKey(c.Text) != "" && c.Amount == nil {
			// A key; one printed where a value would stand is the next
			// key (主管部门 | | 实施期限 | …): the one before has none.
			if c.Amount != nil && r.fs.section != "" {
				r.noteField(row, c, r.fs.section)
				continue
			}
			key = headingKey(c.Text)
			continue
		}
		r.noteField(row, c, joinKey(r.fs.section, key))
		if next := i + 1; next < len(cells) && (formKey(cells[next].Text) != "" || next+1 < len(cells) ||
			c.Amount != nil && cells[next].Amount == nil) {
			key = ""
		}
	}
}

// amountKeyRE is the key of a form's field that gives the project's amount:
// 资金总额, 年度资金总额, 年度金额, 项目资金; not a part of it (其中,
// 财政拨款, 其他资金).
var amountKeyRE = regexp.MustCompile(`总额|年度金额|项目资金|资金金额|预算金额`)

// noteField files a field and takes what it says of the form's project:
// its name and code, its amount, its agency.
func (r *indReader) noteField(row *Row, c *Cell, key string) {
	label := key
	if i := strings.LastIndexByte(key, '/'); i >= 0 {
		label = key[i+1:]
	}
	value := c.Text
	switch formKey(label) {
	case "项目名称", "转移支付名称":
		if r.proj.named {
			r.endProject()
			r.proj = project{}
			r.first, r.ffirst = len(r.out), len(r.fields)
		}
		r.proj.code, r.proj.name = splitProjectCode(value)
		r.proj.named = true
	case "项目编码", "项目代码":
		r.proj.code = value
	case "实施单位":
		r.proj.agency = cleanAgency(value)
	case "主管部门", "市级主管部门":
		if r.proj.agency == "" {
			r.proj.agency = cleanAgency(value)
		}
	case "部门名称", "部门(单位)名称", "单位名称":
		r.agency = cleanAgency(value)
		if !r.proj.named {
			r.form = FormOverall
		}
	}
	if c.Amount != nil && r.proj.amount == nil && amountKeyRE.MatchString(key) && !strings.ContainsAny(label, "其") &&
		!strings.Contains(label, "财政拨款") && !strings.Contains(label, "其他资金") {
		r.proj.amount = c.Amount
	}
	r.field(row, c, key)
}

// indicatorHeadingRow reports a lattice row of indicator grid headings: an
// indicator's name (or 二级指标) and its value, headed so.
func indicatorHeadingRow(cells []*latCell) bool {
	return headsNamesAndValues(len(cells), func(i int) string { return cells[i].text })
}

// headsNamesAndValues reports n texts (text(i)) among which one heads
// indicators' names (or their levels) and one their values.
func headsNamesAndValues(n int, text func(int) string) bool {
	var name, value bool
	for i := range n {
		switch indicatorHeading(text(i)) {
		case indName, indLevel2:
			name = true
		case indValue, indPeriodValue:
			value = true
		}
	}
	return name && value
}
