package normalize

import (
	"math"
	"slices"
	"strings"
)

// This file gives each body row its code, label and level, and splits the
// rows of two-sided summary tables (收入 on the left, 支出 on the right)
// into one row per side.

// columnRole is what a column holds in the body.
type columnRole uint8

const (
	roleText columnRole = iota
	roleAmount
	roleCode
)

var codeHeaderWords = []string{"编码", "代码", "科目代码", "科目编码", "编号"}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// isProjectCode reports a project code: 16 or more characters of digits
// with at most a few capital letters (11000022T0000004 34658).
func isProjectCode(s string) bool {
	if len(s) < 16 {
		return false
	}
	letters := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r >= 'A' && r <= 'Z':
			letters++
		default:
			return false
		}
	}
	return letters <= 3
}

// columnRoles classifies each column by what most of its body cells hold.
func columnRoles(t *Table) []columnRole {
	n := len(t.Columns)
	total, amounts, codes := make([]int, n), make([]int, n), make([]int, n)
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			total[c.Column]++
			switch {
			case isDigits(c.Text) && (len(c.Text) <= 7 || len(c.Text) > 15) && !strings.ContainsAny(c.Raw, ",，"),
				isProjectCode(c.Text):
				codes[c.Column]++
			case c.Amount != nil || c.Err != nil:
				amounts[c.Column]++
			}
		}
	}
	roles := make([]columnRole, n)
	firstText := n
	for i := 0; i < n; i++ {
		if total[i] > 0 && codes[i]+amounts[i] < total[i]/2+1 {
			firstText = i
			break
		}
	}
	for i := 0; i < n; i++ {
		switch {
		case pathHas(t.Columns[i], []string{"行次", "栏次", "序号"}):
			roles[i] = roleCode // line numbers, not amounts
		case total[i] == 0:
			roles[i] = roleAmount // an empty column is a value column
		case codes[i]*10 >= total[i]*6 && (i < firstText || pathIsSegment(t.Columns[i])),
			codes[i]*2 >= total[i] && pathHas(t.Columns[i], codeHeaderWords):
			roles[i] = roleCode
		case (codes[i]+amounts[i])*10 >= total[i]*6:
			roles[i] = roleAmount
		}
	}
	return roles
}

func pathHas(c Column, words []string) bool {
	for _, p := range c.Path {
		for _, w := range words {
			if strings.Contains(p, w) {
				return true
			}
		}
	}
	return false
}

// pathIsSegment reports a 类/款/项 column.
func pathIsSegment(c Column) bool { return segmentOf(c) != "" }

// segmentOf returns 类, 款 or 项 for a segment column, "" otherwise.
func segmentOf(c Column) string {
	for i := len(c.Path) - 1; i >= 0; i-- {
		switch c.Path[i] {
		case "类", "款", "项":
			return c.Path[i]
		}
	}
	return ""
}

// sides returns, per column, 收入 or 支出 for a two-sided summary table
// (its top header cells say 收入 and 支出), else nil.
func sides(t *Table, roles []columnRole) []Side {
	out := make([]Side, len(t.Columns))
	var in, exp bool
	for i, c := range t.Columns {
		if len(c.Path) < 2 {
			continue
		}
		switch top := c.Path[0]; {
		case strings.HasPrefix(top, "收入"), strings.HasPrefix(top, "本年收入"):
			out[i], in = SideIncome, true
		case strings.HasPrefix(top, "支出"), strings.HasPrefix(top, "本年支出"):
			out[i], exp = SideExpenditure, true
		}
	}
	if !in || !exp {
		return nil
	}
	// Each side names its own items: a text column in each group, and no
	// column outside both groups (else 收入/支出 are just amount headings).
	var textIn, textExp bool
	for i, sd := range out {
		switch {
		case sd == SideNone:
			return nil
		case roles[i] == roleText && sd == SideIncome:
			textIn = true
		case roles[i] == roleText && sd == SideExpenditure:
			textExp = true
		}
	}
	if !textIn || !textExp {
		return nil
	}
	return out
}

// labelRows fills each row's side, code, label and level.
func labelRows(t *Table) {
	roles := t.roles()
	// A code is not an amount, whatever digits it has.
	for i := range t.Rows {
		for k := range t.Rows[i].Cells {
			if c := &t.Rows[i].Cells[k]; roles[c.Column] == roleCode {
				c.Amount, c.Err = nil, nil
			}
		}
	}
	if sd := sides(t, roles); sd != nil {
		var rows []Row
		for _, r := range t.Rows {
			for _, side := range []Side{SideIncome, SideExpenditure} {
				nr := Row{Index: r.Index, Side: side}
				for _, c := range r.Cells {
					if sd[c.Column] == side {
						nr.Cells = append(nr.Cells, c)
					}
				}
				if len(nr.Cells) > 0 {
					rows = append(rows, nr)
				}
			}
		}
		t.Rows = rows
	}
	var seg [3]string // last 类, 款, 项 segments seen, for segment-only codes
	var lastCode string
	indents := make(map[int][]float64) // label column -> x0 of each label
	type labelAt struct{ column, index int }
	labels := make([]labelAt, len(t.Rows)) // each row's place in indents
	for i := range t.Rows {
		labels[i] = labelAt{-1, 0}
		r := &t.Rows[i]
		var codes []string
		var segs [3]string
		nseg := 0
		labelCol := -1
		for _, c := range r.Cells {
			role := roles[c.Column]
			if role == roleCode && !isDigits(c.Text) && !isProjectCode(c.Text) {
				role = roleText // 合计 written in the code column
			}
			switch role {
			case roleCode:
				if pathIsSegment(t.Columns[c.Column]) && nseg < 3 {
					switch segmentOf(t.Columns[c.Column]) {
					case "类":
						segs[0] = c.Text
					case "款":
						segs[1] = c.Text
					case "项":
						segs[2] = c.Text
					}
					nseg++
					continue
				}
				codes = append(codes, c.Text)
			case roleText:
				if labelCol < 0 {
					labelCol = c.Column
					r.Label = c.Text
					if !isTotalName(c.Text) && !strings.HasSuffix(c.Text, "总计") {
						// a total is centred, not indented
						labels[i] = labelAt{c.Column, len(indents[c.Column])}
						indents[c.Column] = append(indents[c.Column], c.X0)
					}
				}
			}
		}
		if nseg > 0 {
			// 类/款/项 in separate columns; a blank higher segment is the
			// one of the rows above (208 / 05 / 01 printed as segments).
			switch {
			case segs[0] != "":
				seg = [3]string{segs[0], segs[1], segs[2]}
			case segs[1] != "":
				seg = [3]string{seg[0], segs[1], segs[2]}
			default:
				seg = [3]string{seg[0], seg[1], segs[2]}
			}
			r.Code = seg[0] + seg[1] + seg[2]
			if segs[2] == "" {
				seg[2] = ""
				if segs[1] == "" && segs[0] != "" {
					seg[1] = ""
				}
			}
		}
		if len(codes) > 0 {
			if r.Code == "" {
				r.Code = codes[0]
				codes = codes[1:]
			}
			if len(codes) > 0 {
				r.Code2 = codes[0]
			}
		}
		// A code printed as a 2-digit segment under its parent's row.
		if len(r.Code) == 2 && (len(lastCode) == 3 || len(lastCode) == 5) {
			r.Code = lastCode + r.Code
		} else if len(r.Code) == 2 && len(lastCode) == 7 {
			r.Code = lastCode[:5] + r.Code
		}
		if code, _, rest, ok := ParseFunctionCode(r.Label); ok && r.Code == "" {
			r.Code, r.Label = code, rest
		}
		if r.Code != "" {
			lastCode = r.Code
		}
		switch len(r.Code) {
		case 3:
			r.Level = 1
		case 5:
			r.Level = 2
		case 7:
			r.Level = 3
		}
	}
	// Rows without a code: the level from the label's indentation, where
	// the labels are indented at all and codes do not give the hierarchy.
	coded := 0
	for _, r := range t.Rows {
		if r.Code != "" {
			coded++
		}
	}
	if coded*5 > len(t.Rows) || t.Kind.Forms() {
		// Codes give the hierarchy, or the table is a form, where
		// indentation is layout, not level.
		return
	}
	// Each label column ranks on its own (the two sides of a 收支总表).
	levels := make(map[int][]int, len(indents))
	for col, xs := range indents {
		levels[col] = indentLevels(xs)
	}
	for i := range t.Rows {
		at := labels[i]
		if lv := levels[at.column]; at.column >= 0 && lv != nil && t.Rows[i].Level == 0 {
			t.Rows[i].Level = lv[at.index]
		}
	}
}

// indentLevels ranks left edges into levels 1, 2, ... (2 pt steps); nil if
// every label starts at the same place.
func indentLevels(xs []float64) []int {
	var distinct []float64
	for _, x := range xs {
		r := math.Round(x/2) * 2
		if !slices.Contains(distinct, r) {
			distinct = append(distinct, r)
		}
	}
	if len(distinct) < 2 || len(distinct) > 6 {
		return nil
	}
	slices.Sort(distinct)
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = slices.Index(distinct, math.Round(x/2)*2) + 1
	}
	return out
}
