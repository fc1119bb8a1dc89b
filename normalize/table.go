package normalize

import (
	"fmt"
	"slices"
	"strings"
)

// Table is one table of a document, rebuilt from one or more pages.
type Table struct {
	Index      int      // 0-based position in the document
	Code       string   // printed number label: 预算03表, 表一, 附表1; "" if none
	Title      string   // printed title, e.g. 2024年部门支出预算表; "" if none
	Kind       Kind     // what the table is, from its title; KindOther when unknown
	Phase      Phase    // 预算 or 决算, from the title, else the document's
	FiscalYear int      // from the title, else the document; 0 if unknown
	Agency     string   // from 单位名称：/部门：/编制单位：, else the document's
	Unit       string   // 元, 万元, ...; "" when nothing states it
	PageFirst  int      // 1-based page where the table starts
	PageLast   int      // 1-based page where it ends
	Ruled      bool     // the cells come from ruling lines (else from text alignment)
	Columns    []Column // leaf columns, left to right
	Rows       []Row    // body rows, top to bottom (two-sided tables: 收入 then 支出 per printed row)
	Warnings   []string // problems that did not stop the table, e.g. no unit
	Regions    []Region // where the table lies on each of its pages

	roleOf []columnRole // what each column holds, once the rows are read (see roles)

	itemRows bool // the rows, not the columns, are the items measured (see Measure)

	colXs  []float64 // the last page's column boundaries, for continuations
	colMap []int     // the last page's lattice column -> table column (-1: none)

	textForm bool // a performance form read from text: an untitled next page goes on with it
}

// roles returns what each column holds, computed once.
func (t *Table) roles() []columnRole {
	if len(t.roleOf) != len(t.Columns) {
		t.roleOf = columnRoles(t)
	}
	return t.roleOf
}

// twoSided reports a two-sided summary table: its rows are on sides.
func (t *Table) twoSided() bool {
	return slices.ContainsFunc(t.Rows, func(r Row) bool { return r.Side != SideNone })
}

// Region is the part of one page a table covers, in points.
type Region struct {
	Page           int        // 1-based page
	X0, Y0, X1, Y1 float64    // the table's box (grid bounds, or the text's)
	HeaderY1       float64    // bottom of the header on this page; Y0 when none is printed
	Ruled          bool       // the box is a grid of ruling lines
	Grid           *Grid      // the snapped grid, nil for an unruled table
	Title          [4]float64 // box (x0 y0 x1 y1) of the title block above it; zero when none
}

// Column is a leaf column with the header path above it.
type Column struct {
	Index int      // 0-based
	Path  []string // header texts from the top to the leaf, e.g. [基本支出 人员经费]
	// Measure is what the column's amounts measure, in one vocabulary for
	// every document (basic.personnel, sangong.vehicle.purchase,
	// prior_year.total; see measures.tsv); "" where the vocabulary does
	// not read the path, or the table's kind has none (forms, other).
	Measure string
	// Fund is where the money the column counts comes from, where its
	// headings say so (general_budget, gov_fund, carryover, ...).
	Fund string
}

// PathString joins the path with "/".
func (c Column) PathString() string { return strings.Join(c.Path, "/") }

// Row is a body row.
type Row struct {
	Index  int    // 0-based printed row within the table (both sides of a two-sided row share it)
	Side   Side   // 收入 or 支出 for two-sided summary tables, else SideNone
	Code   string // the row's function / economic / agency / project code, "" if none
	Code2  string // a second code where the row prints two (e.g. 政府 beside 部门 economic code)
	Label  string // the row's name, normalized: the name that belongs to Code
	Label2 string // the name that belongs to Code2, "" if none
	// Item is what the row measures in a table whose rows are its items
	// (a 三公 table with a row per item: 因公出国(境)费, 公务接待费), ""
	// otherwise; see Table.Measure.
	Item string
	// CodeKind and Code2Kind are the classifications of Code and Code2:
	// by their digits, or agency where the column is headed 单位代码.
	CodeKind, Code2Kind CodeKind
	Level               int    // hierarchy level: 1 类, 2 款, 3 项 from the code, else the label's indentation rank (not totals, not forms); 0 unknown
	Cells               []Cell // non-empty cells, left to right
}

// Cell is one non-empty body cell.
type Cell struct {
	Column         int     // index into Table.Columns
	Text           string  // normalized text (NormalizeText)
	Raw            string  // the text as printed, lines joined
	Amount         *Amount // the parsed amount, nil when the cell is not a number
	Malformed      bool    // the amount was printed malformed and read as a reader takes it ("120258,600")
	Err            error   // a cell that looks numeric but does not parse, and that no reader could read
	Lines          int     // printed lines joined into the cell (2+ for a wrapped cell)
	Page           int     // 1-based page
	X0, Y0, X1, Y1 float64 // box of the cell's glyphs, in points

	rowSpan int // printed rows the cell spans (a merged cell); 0 or 1 for one
}

// debugString renders a table compactly for tests and the tables command.
func (t *Table) debugString() string {
	var b strings.Builder
	fmt.Fprintf(&b, "table %d %q %q kind=%s year=%d unit=%s pages=%d-%d agency=%q\n",
		t.Index, t.Code, t.Title, t.Kind, t.FiscalYear, t.Unit, t.PageFirst, t.PageLast, t.Agency)
	for _, c := range t.Columns {
		fmt.Fprintf(&b, "  col %d %s", c.Index, c.PathString())
		if c.Measure != "" {
			fmt.Fprintf(&b, " [%s]", c.Measure)
		}
		if c.Fund != "" {
			fmt.Fprintf(&b, " [fund %s]", c.Fund)
		}
		b.WriteByte('\n')
	}
	for _, r := range t.Rows {
		fmt.Fprintf(&b, "  %s\n", r.String())
	}
	return b.String()
}

// String renders a row as [code|label|cells...] with the side and level.
func (r Row) String() string {
	var b strings.Builder
	if r.Side != SideNone {
		b.WriteString(string(r.Side) + " ")
	}
	fmt.Fprintf(&b, "r%d L%d [%s", r.Index, r.Level, r.Code)
	if r.Code2 != "" {
		b.WriteString("," + r.Code2)
	}
	b.WriteString("|" + r.Label)
	if r.Label2 != "" {
		b.WriteString("," + r.Label2)
	}
	for _, c := range r.Cells {
		fmt.Fprintf(&b, "|%d:%s", c.Column, c.Text)
	}
	b.WriteString("]")
	return b.String()
}
