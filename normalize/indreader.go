package normalize

import (
	"errors"
	"regexp"
	"strings"
)

// This file walks the rows of one performance table, top to bottom, and
// reads its indicators and its form's fields (see indicators.go and
// forms.go).

// project is the project the rows being read belong to.
type project struct {
	code, name string
	amount     *Amount
	agency     string // 实施单位, else 主管部门; "" for the table's
	indicators int    // indicators read for it so far
	// named is set once a field or a list row names the project (a form
	// without a 项目名称 takes its name from its title).
	named bool
}

// indReader reads one table.
type indReader struct {
	t      *Table
	form   FormKind
	layout *indLayout  // the grid's headings; nil outside a grid
	carry  [][2]string // per group: the 一级指标 and 二级指标 merged over the rows
	proj   project     // the current project
	agency string      // the current agency (a list's agency row), else the table's
	isForm bool        // the table has fields (a form), not only a list
	fs     formState   // sections and sub-headings of the form's fields
	out    []Indicator // the indicators read
	fields []FormField // the fields read
	first  int         // index in out of the current project's first indicator
	ffirst int         // index in fields of the current project's first field
	// anchors are the rows of an unruled list that name a project or an
	// agency (see centred.go).
	anchors []anchor
}

// readPerformance reads the indicators and form fields of a performance
// table.
func readPerformance(t *Table) ([]Indicator, []FormField) {
	r := &indReader{t: t, form: formOf(t), agency: t.Agency}
	r.out = make([]Indicator, 0, len(t.Rows)) // most rows of a list are indicators
	if r.layout = headerLayout(t); r.layout != nil {
		r.carry = make([][2]string, r.layout.groups)
	}
	for i := range t.Rows {
		r.row(&t.Rows[i])
	}
	r.endProject()
	r.recentre()
	return r.out, r.fields
}

// row reads one body row: a row of grid headings, a row of the grid, or a
// field row of the form.
func (r *indReader) row(row *Row) {
	if l := rowLayout(row); l != nil {
		if r.layout == nil || !r.layout.header {
			r.layout, r.carry = l, make([][2]string, l.groups)
		}
		return // a list's header printed again on the next page is no row
	}
	if r.layout != nil && r.layout.header && r.repeatsHeader(row) {
		return // the list's header printed again, over cut cells
	}
	if len(row.Cells) > 0 && r.layout != nil && !r.layout.header && opensForm(row) {
		r.layout = nil // the next form in the same table
	}
	if r.layout != nil {
		r.gridRow(row)
		return
	}
	r.isForm = true
	r.formRow(row)
}

// opensForm reports a row that starts a form's fields: 项目名称 | ….
func opensForm(row *Row) bool {
	k := formKey(row.Cells[0].Text)
	return k != "" && (k == "项目名称" || k == "转移支付名称" || k == "部门名称" || k == "部门(单位)名称")
}

// placed is a body cell with the heading over it.
type placed struct {
	c *Cell
	h *heading
}

// gridRow reads a row of the indicator grid: the project it starts (a list
// row naming one), then one indicator per group.
func (r *indReader) gridRow(row *Row) {
	cells := make([]placed, 0, len(row.Cells))
	for i := range row.Cells {
		if h := r.layout.headOf(&row.Cells[i]); h != nil {
			cells = append(cells, placed{&row.Cells[i], h})
		}
	}
	r.listProject(row, cells)
	read := false
	for g := 0; g < r.layout.groups; g++ {
		read = r.groupIndicators(row, cells, g) || read
	}
	if !read && r.isForm && len(cells) > 0 && formKey(cells[0].c.Text) != "" {
		r.gridFields(row, cells) // 总分 | 100 | 99.5
	}
}

// cellOf returns the cell under the heading with the role in group g (any
// group for project roles).
func cellOf(cells []placed, role indRole, g int) *Cell {
	for _, p := range cells {
		if p.h.role == role && (role >= projCode || p.h.group == g) {
			return p.c
		}
	}
	return nil
}

func textOf(c *Cell) string {
	if c == nil {
		return ""
	}
	return c.Text
}

// listProject reads the project columns of a list row: a row that names a
// project (by code or name) starts it, unless it repeats the current one
// (a page that prints the project again); a row with a short code is an
// agency's.
func (r *indReader) listProject(row *Row, cells []placed) {
	if a := textOf(cellOf(cells, projAgency, 0)); a != "" {
		r.agency = cleanAgency(a)
	}
	r.startProject(row, cells)
	g := cellOf(cells, projGoal, 0)
	if g == nil {
		return
	}
	key := headingKey(r.headText(cells, projGoal))
	if n := len(r.fields); n > r.ffirst && r.fields[n-1].Key == key && r.pageStart(row) {
		// The rest of the project's goal, cut by the page break.
		f := &r.fields[n-1]
		f.Value = joinOverlap(f.Value, g.Text)
		return
	}
	r.field(row, g, key)
}

// startProject starts the project a list row names, if any.
func (r *indReader) startProject(row *Row, cells []placed) {
	code, name := textOf(cellOf(cells, projCode, 0)), textOf(cellOf(cells, projName, 0))
	if code == "" && name == "" {
		return
	}
	if h := r.headText(cells, projName); h != "" && name != h {
		// The header printed again over a name cut by the page break
		// (11000024T00000285项目名称4244-…): the heading is no part of it.
		name = strings.ReplaceAll(name, h, "")
	}
	if code == "" {
		code, name = splitProjectCode(name)
	}
	if code != "" && isDigits(code) && len(code) <= maxAgencyCode {
		// 307001 | 安阳市殷都区人力资源和社会保障局: an agency, not a project.
		r.endProject()
		r.proj = project{}
		if name != "" {
			r.agency = cleanAgency(name)
		}
		r.noteAnchor(row, true)
		return
	}
	if code == r.proj.code && name == r.proj.name {
		return
	}
	if code == "" && r.proj.code != "" && amountOf(cellOf(cells, projAmount, 0)) == nil {
		// The rest of a name cut by the page break, or printed again
		// there, in a list whose projects print their codes and amounts:
		// the same project.
		r.renameProject(joinOverlap(r.proj.name, name))
		return
	}
	if code == r.proj.code && strings.HasPrefix(r.proj.name, name) {
		return // the name printed again at the top of the next page
	}
	r.endProject()
	r.proj = project{code: code, name: name, named: true}
	if a := cellOf(cells, projAmount, 0); a != nil {
		r.proj.amount = a.Amount
	}
	r.first, r.ffirst = len(r.out), len(r.fields)
	r.noteAnchor(row, false)
}

// repeatsHeader reports a row that prints two or more of the table's own
// column headings, each in its column: the header printed again.
func (r *indReader) repeatsHeader(row *Row) bool {
	n := 0
	for _, c := range row.Cells {
		if p := r.t.Columns[c.Column].Path; len(p) > 0 && c.Text == p[len(p)-1] {
			n++
		}
	}
	return n >= 2
}

// pageStart reports the first row of a page.
func (r *indReader) pageStart(row *Row) bool {
	page := row.Cells[0].Page
	for i := range r.t.Rows {
		if r.t.Rows[i].Index == row.Index {
			return i == 0 || r.t.Rows[i-1].Cells[0].Page != page
		}
	}
	return false
}

// renameProject gives the current project, and what was read of it, its
// whole name.
func (r *indReader) renameProject(name string) {
	for i := r.first; i < len(r.out); i++ {
		r.out[i].ProjectName = name
	}
	for i := r.ffirst; i < len(r.fields); i++ {
		r.fields[i].ProjectName = name
	}
	r.proj.name = name
}

// joinOverlap joins a text cut by a page break to its rest, where the
// rest repeats the cut line (…平台基础运 + 市级枢纽平台基础运维); a text
// printed again whole (…-统计人员岗位知识培训) is the text.
func joinOverlap(a, b string) string {
	if strings.Contains(b, a) || strings.Contains(a, b) {
		return a
	}
	ra, rb := []rune(a), []rune(b)
	for n := min(len(ra), len(rb)); n >= 2; n-- {
		if string(ra[len(ra)-n:]) == string(rb[:n]) {
			return a + string(rb[n:])
		}
	}
	return a + b
}

// maxAgencyCode is the longest code of an agency (单位编码: 307, 307001);
// a project's code is longer.
const maxAgencyCode = 9

func (r *indReader) headText(cells []placed, role indRole) string {
	for _, p := range cells {
		if p.h.role == role {
			return p.h.text
		}
	}
	return ""
}

// endProject closes the current project: one that read no indicator and
// names an agency (长沙市信访局, the agency's total row of a list) was the
// agency's row.
func (r *indReader) endProject() {
	p := r.proj
	if p.indicators == 0 && p.code == "" && agencySuffixRE.MatchString(p.name) {
		r.agency = p.name
	}
	if r.form == FormProject && !p.named && r.isForm {
		// A form without a 项目名称: its title names the project.
		if m := titleProjectRE.FindStringSubmatch(r.t.Title); m != nil {
			for i := r.first; i < len(r.out); i++ {
				r.out[i].ProjectName = m[1]
			}
			for i := r.ffirst; i < len(r.fields); i++ {
				r.fields[i].ProjectName = m[1]
			}
		}
	}
}

// groupIndicators reads the indicators of group g in a grid row: the
// levels merged over the rows are carried down.
func (r *indReader) groupIndicators(row *Row, cells []placed, g int) bool {
	if l1 := textOf(cellOf(cells, indLevel1, g)); l1 != "" {
		if joined := cleanLevel(r.carry[g][0] + l1); r.carry[g][0] != "" && !isLevel1(r.carry[g][0]) && isLevel1(joined) {
			// The rest of a level cut by the page break (效益指 | 标).
			r.relevel(g, r.carry[g][0], joined)
			r.carry[g][0] = joined
		} else {
			r.carry[g] = [2]string{cleanLevel(l1), ""}
		}
	}
	if l2 := textOf(cellOf(cells, indLevel2, g)); l2 != "" {
		r.carry[g][1] = cleanLevel(l2)
	}
	if p := cellOf(cells, indPacked, g); p != nil {
		return r.packed(row, p)
	}
	name, value := cellOf(cells, indName, g), cellOf(cells, indValue, g)
	if value == nil {
		value = cellOf(cells, indPeriodValue, g)
	}
	actual := cellOf(cells, indActual, g)
	if name == nil && value == nil && actual == nil {
		return false
	}
	ind := r.newIndicator(row, name, value)
	ind.Level1, ind.Level2 = r.carry[g][0], r.carry[g][1]
	if ind.Level1 == "" {
		ind.Level1 = r.groupLevel1(g)
	}
	if ind.Level1 == "" && cellOf(cells, indLevel1, g) == nil {
		ind.Level1, ind.Level2, ind.Name = splitLevels(ind.Name)
	}
	ind.Note, ind.Actual = textOf(cellOf(cells, indNote, g)), textOf(actual)
	ind.Weight, ind.Score = amountOf(cellOf(cells, indWeight, g)), amountOf(cellOf(cells, indScore, g))
	unit := textOf(cellOf(cells, indUnit, g))
	if unit == "" {
		unit = nameUnit(ind.Name) // 提交审计报告和信息(篇) | ≥150
	}
	ind.Target, ind.TargetErr = readValue(ind.ValueText, textOf(cellOf(cells, indComparator, g)), unit)
	r.add(ind)
	return true
}

// nameUnitRE is a unit in brackets at the end of an indicator's name:
// 提交审计报告和信息(篇), 人均培训成本(元).
var nameUnitRE = regexp.MustCompile(`\(([^()]{1,6})\)$`)

// nameUnit returns the unit an indicator's name states, or "".
func nameUnit(name string) string {
	m := nameUnitRE.FindStringSubmatch(name)
	if m == nil || !validUnit(m[1]) || strings.ContainsFunc(m[1], isASCIIDigit) {
		return ""
	}
	return m[1]
}

// relevel renames a level cut by a page break in the indicators of group
// g read so far in the table.
func (r *indReader) relevel(g int, cut, whole string) {
	for i := range r.out {
		if r.out[i].Level1 == cut {
			r.out[i].Level1 = whole
		}
	}
}

func amountOf(c *Cell) *Amount {
	if c == nil {
		return nil
	}
	return c.Amount
}

// groupLevel1 returns the 一级指标 a group heading names over group g.
func (r *indReader) groupLevel1(g int) string {
	for _, h := range r.layout.heads {
		if h.group == g && h.level1 != "" {
			return h.level1
		}
	}
	return ""
}

// newIndicator starts an indicator from its name and value cells.
func (r *indReader) newIndicator(row *Row, name, value *Cell) Indicator {
	ind := Indicator{Table: r.t.Index, Row: row.Index, Form: r.form, Name: textOf(name), ValueText: textOf(value)}
	box := emptyBox()
	for _, c := range []*Cell{name, value} {
		if c != nil {
			box = box.Union(Box{c.X0, c.Y0, c.X1, c.Y1})
			if ind.Page == 0 {
				ind.Page = c.Page
			}
		}
	}
	ind.X0, ind.Y0, ind.X1, ind.Y1 = box.X0, box.Y0, box.X1, box.Y1
	return ind
}

// add files an indicator under the current project.
func (r *indReader) add(ind Indicator) {
	ind.ProjectCode, ind.ProjectName, ind.ProjectAmount = r.proj.code, r.proj.name, r.proj.amount
	ind.Agency = r.agency
	if r.proj.agency != "" {
		ind.Agency = r.proj.agency
	}
	if ind.Form == FormOverall {
		ind.ProjectCode, ind.ProjectName, ind.ProjectAmount = "", "", nil
	}
	r.proj.indicators++
	r.out = append(r.out, ind)
}

// packed reads the indicators printed together in one cell.
func (r *indReader) packed(row *Row, c *Cell) bool {
	items := unpack(c.Text)
	for _, p := range items {
		ind := r.newIndicator(row, c, nil)
		ind.Level1, ind.Level2, ind.Name = cleanLevel(p.level1), cleanLevel(p.level2), p.name
		ind.ValueText = p.value
		ind.Target, ind.TargetErr = readValue(p.value, "", "")
		r.add(ind)
	}
	return len(items) > 0
}

// readValue reads a target from its printed value and, where the list
// prints them in columns of their own, its comparator (≥, 定性) and unit.
func readValue(value, cmp, unit string) (Target, error) {
	text := value
	if c, rest := cutComparator(compactTarget(cmp)); c != CompNone && rest == "" && value != "" && LooksNumericTarget(value) {
		if vc, _ := cutComparator(compactTarget(value)); vc == CompNone {
			text = cmp + value
		}
	}
	tg, err := ParseTarget(text)
	if err != nil && errors.Is(err, ErrMalformedTarget) {
		return Target{}, err
	}
	if tg.Comparator != CompNone && tg.Unit == "" && unit != "" {
		tg.Unit, _ = cutUnit(compactTarget(unit))
	}
	if squashSpaces(cmp) == "定性" && tg.Comparator == CompNone && value != "" && !isPlaceholder(value) && squashSpaces(value) != "无" {
		tg.Qualitative = true
	}
	return tg, nil
}

// gridFields reads a grid row that holds no indicator as fields of the
// form (总分 | 100 | 99.5): each value keyed by its label and heading.
func (r *indReader) gridFields(row *Row, cells []placed) {
	label := ""
	for _, p := range cells {
		if label == "" && p.c.Amount == nil {
			label = headingKey(p.c.Text)
			continue
		}
		r.field(row, p.c, joinKey(label, headingKey(p.h.text)))
	}
}

// field files a form field.
func (r *indReader) field(row *Row, c *Cell, key string) {
	if strings.TrimSpace(c.Text) == "" {
		return
	}
	f := FormField{Table: r.t.Index, Row: row.Index, Key: key, Value: c.Text, Amount: c.Amount,
		ProjectCode: r.proj.code, ProjectName: r.proj.name, Page: c.Page, X0: c.X0, Y0: c.Y0, X1: c.X1, Y1: c.Y1}
	if r.form == FormOverall {
		f.ProjectCode, f.ProjectName = "", ""
	}
	r.fields = append(r.fields, f)
}

// joinKey joins the parts of a field's key path that are printed.
func joinKey(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" && (len(out) == 0 || out[len(out)-1] != p) {
			out = append(out, p)
		}
	}
	return strings.Join(out, "/")
}
