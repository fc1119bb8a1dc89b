package normalize

import (
	"fmt"
	"slices"
	"strings"

	"github.com/budgetpdf/budgetpdf/reference"
)

// This file checks a table's structure, the way the accounting checks
// check its sums: signs that a header, a row key or a fact was read wrong.
// They need no truth, so a user of thousands of documents finds what went
// wrong by querying the checks record set (scope structure, status fail).
// On a table read right they are silent. Each flag is a Check with status
// fail and the cells concerned; 绩效 forms, which are not tables of
// amounts, are not checked.

// The structure rules, in the catalogue (Rules) after the accounting ones.
var structureRules = []*Rule{
	{"structure.unheaded-amount", ScopeStructure, "an amount in a column without a heading: the header was not read", unheadedAmounts, nil},
	{"structure.duplicate-path", ScopeStructure, "two columns of one block with the same column path: a heading was lost", duplicatePaths, nil},
	{"structure.header-row", ScopeStructure, "a body row made only of the table's own headings: a header read as a body row", headerBodyRows, nil},
	{"structure.amount-label", ScopeStructure, "a row label that is itself an amount: the label column was not found", amountLabels, nil},
	{"structure.bare-segment", ScopeStructure, "a row code of two digits in a table of classification codes: a 款 or 项 segment not completed into a code", bareSegments, nil},
	{"structure.code-parent", ScopeStructure, "a 款 or 项 code that does not start with the code of the 类 or 款 row above it", codeParents, nil},
	{"structure.malformed-amount", ScopeStructure, "an amount printed malformed (120258,600): read as a reader takes it, or left unread", malformedAmounts, nil},
	{"structure.no-kind", ScopeStructure, "a table of amounts whose title names no kind (or that has no title)", missingFact(func(t *Table) bool { return t.Kind == KindOther }), nil},
	{"structure.no-year", ScopeStructure, "a table of amounts without a fiscal year, in its title or the document", missingFact(func(t *Table) bool { return t.FiscalYear == 0 }), nil},
	{"structure.no-agency", ScopeStructure, "a table of amounts without an agency, in its title block or the document", missingFact(func(t *Table) bool { return t.Agency == "" }), nil},
	{"structure.no-unit", ScopeStructure, "a table of amounts without a unit: amount_yuan stays empty", missingFact(func(t *Table) bool { return t.Unit == "" }), nil},
	{"structure.code-name", ScopeStructure, "a row label that is not the standard name of its function or economic code (package reference): a label misread, or a document printing its own name", codeNames, nil},
	{"structure.code-unknown", ScopeStructure, "a function or economic code that the classification does not hold for the table's year (package reference)", unknownCodes, nil},
	sharedCellRule,
}

// sharedCellRule is the one rule that checks 绩效 forms too (see Checks).
var sharedCellRule = &Rule{"structure.shared-cell", ScopeStructure, "two texts of one row in one column (绩效 forms included): a column boundary was not found, and the cells' records hold two values at one place", sharedCells, nil}

// sharedCells flags a row with two cells in one column.
func sharedCells(r *Rule, t *Table) []Check {
	var out []Check
	for _, row := range t.Rows {
		at := make(map[int]Cell, len(row.Cells))
		for _, c := range row.Cells {
			if prev, ok := at[c.Column]; ok {
				out = append(out, flagged(r, t, row.Index, prev, c))
			}
			at[c.Column] = c
		}
	}
	return out
}

// flagged returns a failed structure check of rule r on a row (-1: the table)
// with the cells concerned.
func flagged(r *Rule, t *Table, row int, cells ...Cell) Check {
	c := r.newCheck(t.Index, row)
	c.Status = CheckFail
	for _, cell := range cells {
		c.Cells = append(c.Cells, CellRef{t.Index, row, cell.Column, cell.Page, cell.X0, cell.Y0, cell.X1, cell.Y1})
	}
	return c
}

// unheadedAmounts flags amount cells in columns without a path.
func unheadedAmounts(r *Rule, t *Table) []Check {
	var out []Check
	for _, row := range t.Rows {
		for _, c := range row.Cells {
			if c.Amount != nil && len(t.Columns[c.Column].Path) == 0 {
				out = append(out, flagged(r, t, row.Index, c))
			}
		}
	}
	return out
}

// duplicatePaths flags a column path printed twice in one block (blocks
// side by side repeat their paths by design: 科目代码, 科目名称, 决算数).
func duplicatePaths(r *Rule, t *Table) []Check {
	var out []Check
	for _, b := range blocksOf(t, t.roles()) {
		seen := make(map[string]bool)
		for _, i := range b.cols {
			p := t.Columns[i].PathString()
			if p != "" && seen[p] && t.roles()[i] == roleAmount {
				c := r.newCheck(t.Index, -1)
				c.Status = CheckFail
				c.Cells = append(c.Cells, CellRef{Table: t.Index, Row: -1, Column: i})
				out = append(out, c)
			}
			seen[p] = true
		}
	}
	return out
}

// headerBodyRows flags body rows whose every cell is a heading of the
// table's own columns (or a column number).
func headerBodyRows(r *Rule, t *Table) []Check {
	known := make(map[string]bool)
	for _, c := range t.Columns {
		for _, p := range c.Path {
			known[squashSpaces(p)] = true
		}
	}
	var out []Check
	for _, row := range t.Rows {
		words, all := 0, true
		for _, c := range row.Cells {
			s := squashSpaces(c.Text)
			switch {
			case len(s) <= 2 && isDigits(s):
				// a column or line number
			case c.Amount == nil && known[s]:
				words++
			default:
				all = false
			}
		}
		// Two headings at least: one label may name a column too
		// (政府性基金预算财政拨款).
		if all && words >= 2 {
			out = append(out, flagged(r, t, row.Index, row.Cells...))
		}
	}
	return out
}

// amountLabels flags rows labelled with an amount.
func amountLabels(r *Rule, t *Table) []Check {
	var out []Check
	for _, row := range t.Rows {
		if row.Label != "" && LooksLikeAmount(row.Label) && strings.ContainsAny(row.Label, ".,") {
			out = append(out, flagged(r, t, row.Index, labelCells(row)...))
		}
	}
	return out
}

// labelCells returns the cells holding a row's label.
func labelCells(row Row) []Cell {
	for _, c := range row.Cells {
		if c.Text == row.Label || strings.HasSuffix(c.Text, row.Label) {
			return []Cell{c}
		}
	}
	return nil
}

// bareSegments flags rows whose code is two digits in a table of
// classification codes: a 款 or 项 segment left uncompleted. (A code
// column may print a category's number, 1 全额: one digit is no segment.)
func bareSegments(r *Rule, t *Table) []Check {
	if !slices.ContainsFunc(t.Rows, func(row Row) bool { return isClassification(row.Code) }) {
		return nil
	}
	var out []Check
	for _, row := range t.Rows {
		for _, code := range []string{row.Code, row.Code2} {
			if len(code) == 2 && isDigits(code) {
				out = append(out, flagged(r, t, row.Index, labelCells(row)...))
				break
			}
		}
	}
	return out
}

// codeParents flags a classification code of a 款 or 项 (5 or 7 digits)
// outside the 类 of the nearest shorter code of its classification above
// it in its block: a code assembled from another row's segments (201 + 06
// under 208).
func codeParents(r *Rule, t *Table) []Check {
	var out []Check
	blockOf := make([]int, len(t.Columns))
	for k, b := range blocksOf(t, t.roles()) {
		for _, c := range b.cols {
			blockOf[c] = k
		}
	}
	type key struct {
		block int
		kind  CodeKind
	}
	above := make(map[key]string) // the last shorter code seen
	for _, row := range t.Rows {
		if !isClassification(row.Code) || len(row.Cells) == 0 {
			continue
		}
		k := key{blockOf[row.Cells[0].Column], ClassifyCode(row.Code)}
		if p := above[k]; p != "" && len(p) < len(row.Code) && p[:3] != row.Code[:3] {
			out = append(out, flagged(r, t, row.Index, labelCells(row)...))
		}
		if len(row.Code) < 7 {
			above[k] = row.Code
		}
	}
	return out
}

// malformedAmounts flags cells printed as malformed amounts.
func malformedAmounts(r *Rule, t *Table) []Check {
	var out []Check
	for _, row := range t.Rows {
		for _, c := range row.Cells {
			if c.Malformed || c.Err != nil {
				out = append(out, flagged(r, t, row.Index, c))
			}
		}
	}
	return out
}

// missingFact flags a table of amounts that lacks a fact.
func missingFact(lacks func(*Table) bool) func(*Rule, *Table) []Check {
	return func(r *Rule, t *Table) []Check {
		if !lacks(t) || !slices.ContainsFunc(t.Rows, hasAmount) {
			return nil
		}
		return []Check{flagged(r, t, -1)}
	}
}

// classifiedRows are the rows whose codes name classification entries,
// in tables that list a classification: not the forms, nor lists of
// projects, purchases or carried-over funds, whose labels name the item
// rather than its code.
func classifiedRows(t *Table) bool {
	return !t.Kind.Listed() && !t.Kind.Forms() && t.Kind != KindProject && t.Kind != KindCarryover
}

// referenceSystem is the reference classification of a code kind, "" for
// codes that are not a classification's.
func referenceSystem(k CodeKind) reference.CodeSystem {
	switch k {
	case CodeFunction:
		return reference.SystemFunction
	case CodeEconomicDept:
		return reference.SystemEconDept
	case CodeEconomicGov:
		return reference.SystemEconGov
	}
	return ""
}

// rowCodes calls f with each classified code of a row and its label.
func rowCodes(row Row, f func(code, label string, sys reference.CodeSystem)) {
	if sys := referenceSystem(row.CodeKind); sys != "" && row.Code != "" {
		f(row.Code, row.Label, sys)
	}
	if sys := referenceSystem(row.Code2Kind); sys != "" && row.Code2 != "" {
		f(row.Code2, row.Label2, sys)
	}
}

// textCells returns the cells of a row that print text holding s.
func textCells(row Row, s string) []Cell {
	var out []Cell
	for _, c := range row.Cells {
		if c.Amount == nil && strings.Contains(c.Text, s) {
			out = append(out, c)
		}
	}
	return out
}

// codeNames flags a label that is not its code's standard name.
func codeNames(r *Rule, t *Table) []Check {
	if !classifiedRows(t) {
		return nil
	}
	var out []Check
	for _, row := range t.Rows {
		rowCodes(row, func(code, label string, sys reference.CodeSystem) {
			e, ok := reference.Name(sys, code, t.FiscalYear)
			if ok && label != "" && !reference.SameName(label, e.Name) {
				c := flagged(r, t, row.Index, textCells(row, label)...)
				c.Note = fmt.Sprintf("%s %s printed %q, standard name %q", sys, code, label, e.Name)
				out = append(out, c)
			}
		})
	}
	return out
}

// unknownCodes flags a code the classification does not hold. The
// reference transcribes the 类 and 款 levels and takes 项 names from what
// documents print, so a 项 code is flagged only when its 款 is unknown: a
// 项 no document of ours prints may well be right.
func unknownCodes(r *Rule, t *Table) []Check {
	if !classifiedRows(t) {
		return nil
	}
	var out []Check
	for _, row := range t.Rows {
		rowCodes(row, func(code, label string, sys reference.CodeSystem) {
			known := code
			if len(known) > 5 {
				known = known[:5] // its 款
			}
			if _, ok := reference.Name(sys, known, t.FiscalYear); !ok {
				c := flagged(r, t, row.Index, textCells(row, code)...)
				c.Note = fmt.Sprintf("%s %s not in the classification for %d", sys, known, t.FiscalYear)
				out = append(out, c)
			}
		})
	}
	return out
}
