package schema

import (
	"fmt"
	"math"

	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/shopspring/decimal"
)

// Source describes the document the tables come from.
type Source struct {
	DocumentID string // hex SHA-256 of the file's bytes
	File       string // the path as given
	Pages      int    // page count
	Producer   string // /Producer (or /Creator when there is none)
}

// fits reports whether d can be written exactly at the given scale: the
// check WriteFiles makes, asked per cell so that one bad amount costs only
// that cell's amount, not the document.
func fits(d decimal.Decimal, scale int32) bool {
	_, err := unscaled(&d, scale)
	return err == nil
}

// FromTables turns one document's tables into records. Problems that do
// not stop the document (an amount that does not fit the schema, a cell
// that looks numeric but does not parse) are returned as messages naming
// table, row and column; the cell is kept with a null amount and its text.
func FromTables(src Source, nd *normalize.Document) (Document, []Table, []Cell, []string) {
	doc := Document{
		DocumentID: src.DocumentID, SourceFile: src.File, Pages: int32(src.Pages),
		Producer: src.Producer, FiscalYear: int32(nd.FiscalYear), Agency: nd.Agency,
		Phase: string(nd.Phase), Status: StatusOK,
	}
	var problems []string
	var outT []Table
	var outC []Cell
	for _, t := range nd.Tables {
		tr := Table{
			DocumentID: src.DocumentID, TableIndex: int32(t.Index), TableCode: t.Code, TableKind: string(t.Kind), Phase: string(t.Phase),
			Title: t.Title, FiscalYear: int32(t.FiscalYear), Agency: t.Agency, Unit: t.Unit,
			PageFirst: int32(t.PageFirst), PageLast: int32(t.PageLast),
		}
		for _, c := range t.Columns {
			tr.Columns = append(tr.Columns, c.PathString())
		}
		rows := make(map[int]bool)
		for _, r := range t.Rows {
			rows[r.Index] = true
			for _, c := range r.Cells {
				cell := Cell{
					DocumentID: src.DocumentID, SourceFile: src.File, TableIndex: int32(t.Index),
					TableCode: t.Code, TableKind: string(t.Kind), Phase: string(t.Phase), RowIndex: int32(r.Index),
					RowCode: r.Code, RowCode2: r.Code2, RowLabel: r.Label, RowLabel2: r.Label2, RowLevel: int32(r.Level),
					Side: string(r.Side), ColumnIndex: int32(c.Column), ColumnPath: tr.Columns[c.Column],
					Text: c.Text, RawText: c.Raw, Unit: t.Unit, Page: int32(c.Page),
					X0: finite(c.X0), Y0: finite(c.Y0), X1: finite(c.X1), Y1: finite(c.Y1),
				}
				at := fmt.Sprintf("table %d (%s) page %d row %d column %q", t.Index, t.Title, c.Page, r.Index, cell.ColumnPath)
				if c.Err != nil {
					problems = append(problems, at+": "+c.Err.Error())
				}
				if c.Amount != nil {
					v := c.Amount.Value
					if fits(v, amountScale) {
						cell.Amount = &v
						if y, ok := normalize.ToYuan(v, t.Unit); ok {
							if fits(y, amountYuanScale) {
								cell.AmountYuan = &y
							} else {
								problems = append(problems, at+": amount_yuan "+y.String()+" does not fit DECIMAL(18,2)")
							}
						}
					} else {
						problems = append(problems, at+": amount "+v.String()+" does not fit DECIMAL(18,6)")
					}
				}
				outC = append(outC, cell)
			}
		}
		tr.RowCount = int32(len(rows))
		outT = append(outT, tr)
	}
	return doc, outT, outC, problems
}

func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// FromChecks turns one document's checks into records and counts them
// into the document's and its tables' checks_* fields.
func FromChecks(doc *Document, tables []Table, checks []normalize.Check) []Check {
	out := make([]Check, 0, len(checks))
	for _, c := range checks {
		r := Check{
			DocumentID: doc.DocumentID, SourceFile: doc.SourceFile, TableIndex: int32(c.Table),
			Rule: c.Rule, Scope: string(c.Scope), RowIndex: int32(c.Row), Status: string(c.Status),
			Expected: c.Expected, Actual: c.Actual, Difference: c.Difference,
		}
		for _, ref := range c.Cells {
			r.Cells = append(r.Cells, CheckCell{int32(ref.Table), int32(ref.Row), int32(ref.Column), int32(ref.Page),
				finite(ref.X0), finite(ref.Y0), finite(ref.X1), finite(ref.Y1)})
		}
		count := func(passed, failed, skipped *int32) {
			switch c.Status {
			case normalize.CheckPass, normalize.CheckRounding:
				*passed++
			case normalize.CheckFail:
				*failed++
			default:
				*skipped++
			}
		}
		count(&doc.ChecksPassed, &doc.ChecksFailed, &doc.ChecksSkipped)
		for i := range tables {
			if tables[i].TableIndex == int32(c.Table) {
				count(&tables[i].ChecksPassed, &tables[i].ChecksFailed, &tables[i].ChecksSkipped)
			}
		}
		out = append(out, r)
	}
	return out
}
