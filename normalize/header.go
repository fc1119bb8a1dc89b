package normalize

import (
	"regexp"
	"slices"
	"strings"
)

// This file splits a lattice into its parts, top to bottom: title rows
// drawn inside the grid, header rows, body rows; and reads the column
// paths from the header. The header is decided from the table's structure:
// it is the rows above the first row that holds data (an amount, a code, a
// numbered item, a total), and a header cell that spans down keeps the rows
// it spans in the header. A row of column numbers (栏次: 1 2 3 …) belongs to
// the header and names nothing.

// titleRows counts the leading rows of a lattice that belong to the title
// block: rows whose one cell spans (nearly) the whole width and reads as a
// title or a statement (单位：万元, 预算单位：…, （2026年度）), and rows that
// hold only such statements (预算单位：长春市信访局 | 单位：万元).
func titleRows(l *lattice) int {
	rows := l.byRow()
	n := 0
	for r := 0; r < l.nrow; r++ {
		var texts []string
		wide := false
		for _, c := range rows[r] {
			if c.text == "" {
				continue
			}
			texts = append(texts, c.text)
			wide = wide || c.colSpan*10 >= l.ncol*8 && l.ncol > 1
		}
		switch {
		case len(texts) == 0:
			if n == r {
				n++ // an empty top row
				continue
			}
		case len(texts) == 1 && wide && (isTitle(squashSpaces(texts[0])) || isStatement(texts[0])):
			n = r + 1
			continue
		case !slices.ContainsFunc(texts, func(t string) bool { return !isStatement(t) }):
			n = r + 1
			continue
		}
		break
	}
	return n
}

// isStatement reports a title-block statement: the unit, the agency, the
// year (单位：万元, 预算单位：长春市信访局, （2026年度）).
func isStatement(t string) bool {
	c := squashSpaces(t)
	if unitRE.MatchString(c) || agencyRE.MatchString(t) {
		return true
	}
	return yearOnlyRE.MatchString(c)
}

// yearOnlyRE matches a line that states only the year: （2026年度）.
var yearOnlyRE = regexp.MustCompile(`^[(（]?20\d\d年度?[)）]?$`)

func squashSpaces(s string) string { return strings.ReplaceAll(s, " ", "") }

// headerRows returns the number of rows, from row start on, that form the
// header: the rows above the first data row, and every row a header cell
// spans into.
func headerRows(l *lattice, start int) int {
	rows := l.byRow()
	h := l.nrow
	for r := start; r < l.nrow; r++ {
		if numberingRow(rows[r]) < 0 && holdsData(rows[r], r == start) {
			h = r
			break
		}
		if indicatorHeadingRow(rows[r]) {
			// The rows under an indicator grid's headings (一级指标 | 二级指标
			// | 三级指标 | 指标值) are its indicators, numbers or not.
			h = r + 1
			for h < l.nrow && numberingRow(rows[h]) >= 0 {
				h++
			}
			break
		}
	}
	noData := h == l.nrow && l.nrow > start+1
	if noData {
		// No row holds data: a table of words (or of blanks), headed by its
		// first row and the column numbers under it.
		h = start + 1
	}
	// A header cell spanning down holds its rows in the header, unless
	// they hold data: then the cell is a label of the body (a form's
	// item spanning its lines).
	for changed := true; changed; {
		changed = false
		for r := start; r < h; r++ {
			for _, c := range rows[r] {
				end := c.row + c.rowSpan
				if end <= h || c.text == "" || h >= l.nrow {
					continue
				}
				data := false
				for rr := h; rr < min(end, l.nrow); rr++ {
					data = data || numberingRow(rows[rr]) < 0 && holdsData(rows[rr], false)
				}
				if !data {
					h, changed = end, true
				}
			}
		}
	}
	if noData {
		for h < l.nrow && numberingRow(rows[h]) >= 0 {
			h++
		}
	}
	return h
}

// holdsData reports a row that holds data rather than column headings: an
// amount (with a thousands separator or decimals, or three digits or
// more), a code, a numbered item (一、 (一) 1.) or a total label that stands
// alone or with amounts, in its first cell.
func holdsData(cells []*latCell, first bool) bool {
	lead, n := "", 0 // the first text, and the number of texts
	for _, c := range cells {
		if c.text == "" {
			continue
		}
		if n == 0 {
			lead = c.text
		}
		n++
		if looksLikeData(c.text) || !headerWords(c.text) {
			return true
		}
	}
	if n == 0 {
		return false
	}
	if isEnumerated(lead) {
		return true
	}
	// 合计 alone on its row is the total row of a table with nothing in
	// it; beside other words it heads a column.
	return n == 1 && isTotalLabel(squashSpaces(lead)) && !first
}

// headerWords reports text that can head a column: words, not a sentence
// (。，；), not a comparison or a share (≥90%, 100.00%), not a long text.
func headerWords(t string) bool {
	if len([]rune(t)) > maxHeadingRunes || strings.ContainsAny(t, "。，；;≥≤＞＜>=<%％") {
		return false
	}
	return true
}

// maxHeadingRunes is the longest column heading, in characters; a longer
// text is a value (a target, a description).
const maxHeadingRunes = 40

// numberingRow reports a row of column numbers, the 栏次 row: its cells
// hold 栏次, 行次, "*" marks and the integers 1, 2, 3 … in order (at least
// three of them, or any with the word 栏次). It returns the first number,
// or -1 for another row.
func numberingRow(cells []*latCell) int {
	want, first := 0, -1
	marked := false
	for _, c := range cells {
		t := squashSpaces(c.text)
		switch {
		case t == "栏次" || t == "行次":
			marked = true
		case t == "" || strings.Trim(t, "*＊") == "" || t == "—" || t == "-":
		case isDigits(t) && len(t) <= 2:
			v := 0
			for _, r := range t {
				v = v*10 + int(r-'0')
			}
			if want > 0 && v != want {
				return -1
			}
			if first < 0 {
				first = v
			}
			want = v + 1
		default:
			return -1
		}
	}
	if first < 0 || want-first < 3 && !marked {
		return -1
	}
	return first
}

// isEnumerated reports an item label that starts with its number: 一、
// 十二、 (十五) （一） 1、 1. — the way body rows are numbered.
func isEnumerated(t string) bool {
	rs := []rune(t)
	i := 0
	paren := len(rs) > 0 && (rs[0] == '(' || rs[0] == '（')
	if paren {
		i++
	}
	start := i
	for i < len(rs) && i-start < 4 && (strings.ContainsRune("一二三四五六七八九十百", rs[i]) || rs[i] >= '0' && rs[i] <= '9') {
		i++
	}
	if i == start || i >= len(rs) {
		return false
	}
	if paren {
		return rs[i] == ')' || rs[i] == '）'
	}
	return rs[i] == '、' || (rs[i] == '.' && i+1 < len(rs) && (rs[i+1] < '0' || rs[i+1] > '9'))
}

// looksLikeData reports an amount with a separator or decimal point, or a
// run of three or more digits (codes, integer amounts in 元), or a code
// printed with its name.
func looksLikeData(t string) bool {
	if LooksLikeAmount(t) && (strings.ContainsAny(t, ",.") || len(t) >= 3) {
		return true
	}
	if _, _, _, _, ok := ParseCode(t); ok {
		return true
	}
	digits := 0
	for _, r := range t {
		if r >= '0' && r <= '9' {
			digits++
		} else {
			break
		}
	}
	// A year heading a column (2022年, 2022比2021) is no data.
	year := digits == 4 && len(t) > 4 && (t[:2] == "19" || t[:2] == "20")
	return digits >= 3 && !strings.Contains(t, "年") && !year
}

// headerPaths computes each lattice column's path from the header rows
// [start, h): every heading over it, top to bottom, a heading repeated in
// consecutive rows once; 栏次 rows and marks name nothing.
func headerPaths(l *lattice, start, h int) [][]string {
	paths := make([][]string, l.ncol)
	rows := l.byRow()
	for r := start; r < h; r++ {
		if numberingRow(rows[r]) >= 0 {
			continue
		}
		for _, c := range rows[r] {
			t := squashSpaces(c.text)
			if t == "" || t == "栏次" || (len(t) <= 2 && isDigits(t)) || strings.Trim(t, "*＊") == "" {
				continue
			}
			for col := c.col; col < c.col+c.colSpan && col < l.ncol; col++ {
				paths[col] = append(paths[col], c.text)
			}
		}
	}
	for i, p := range paths {
		paths[i] = p
	}
	return paths
}
