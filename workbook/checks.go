package workbook

import (
	"fmt"
	"slices"
	"strings"

	"github.com/budgetpdf/budgetpdf/normalize"
)

// tally is what the summary sheet says of one table's checks: counted on
// the table a check belongs to (Check.Table), rounding as passed, as the
// dataset counts them.
type tally struct {
	passed, failed, skipped int
	rules                   []string // ids of the rules that failed, sorted, once each
}

// marks are the failed checks drawn on one table's sheet, as comment
// lines: on body cells by (Row.Index, column), on headings by column (a
// check on Row -1), and on the table as a whole (a check without cells).
type marks struct {
	cells  map[[2]int][]string
	header map[int][]string
	table  []string
}

// tallies counts the checks of each of n tables.
func tallies(n int, checks []normalize.Check) []tally {
	out := make([]tally, n)
	for _, c := range checks {
		if c.Table < 0 || c.Table >= n {
			continue
		}
		t := &out[c.Table]
		switch c.Status {
		case normalize.CheckPass, normalize.CheckRounding:
			t.passed++
		case normalize.CheckFail:
			t.failed++
			if !slices.Contains(t.rules, c.Rule) {
				t.rules = append(t.rules, c.Rule)
			}
		case normalize.CheckSkipped:
			t.skipped++
		}
	}
	for i := range out {
		slices.Sort(out[i].rules)
	}
	return out
}

// markings places the failed checks on the sheets of n tables: each cell
// of a check on the sheet of its own table (a cross-table check marks
// both tables).
func markings(n int, checks []normalize.Check) []marks {
	out := make([]marks, n)
	for i := range out {
		out[i] = marks{cells: make(map[[2]int][]string), header: make(map[int][]string)}
	}
	for _, c := range checks {
		if c.Status != normalize.CheckFail {
			continue
		}
		if len(c.Cells) == 0 {
			if c.Table >= 0 && c.Table < n {
				out[c.Table].table = append(out[c.Table].table, checkText(c, -1))
			}
			continue
		}
		for k, ref := range c.Cells {
			if ref.Table < 0 || ref.Table >= n {
				continue
			}
			m := &out[ref.Table]
			if ref.Row < 0 {
				m.header[ref.Column] = append(m.header[ref.Column], checkText(c, k))
				continue
			}
			key := [2]int{ref.Row, ref.Column}
			m.cells[key] = append(m.cells[key], checkText(c, k))
		}
	}
	return out
}

// checkText is the comment line of a failed check on its k-th cell (-1:
// the table): the rule, the cell's part in it, the figures, the note; a
// structure rule without a note says what the rule flags.
func checkText(c normalize.Check, k int) string {
	var b strings.Builder
	b.WriteString(c.Rule)
	if c.Expected != nil && c.Actual != nil {
		role := "part"
		if k == 0 {
			role = "total"
		}
		fmt.Fprintf(&b, " failed (this cell: %s): printed total %s, sum of parts %s", role, c.Expected.String(), c.Actual.String())
		if c.Difference != nil {
			fmt.Fprintf(&b, ", difference %s", c.Difference.String())
		}
	} else {
		b.WriteString(" failed")
	}
	switch {
	case c.Note != "":
		b.WriteString(": " + c.Note)
	case c.Expected == nil:
		if r := ruleDoc(c.Rule); r != "" {
			b.WriteString(": " + r)
		}
	}
	return b.String()
}

// ruleDoc returns what the rule of that id checks, "" if unknown.
func ruleDoc(id string) string {
	for _, r := range normalize.Rules {
		if r.ID == id {
			return r.Doc
		}
	}
	return ""
}
