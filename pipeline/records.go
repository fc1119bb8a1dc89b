package pipeline

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"

	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/schema"
)

// source describes the file the tables come from.
type source struct {
	id       string // hex SHA-256 of the file's bytes
	file     string // the path as given
	pages    int    // page count
	producer string // /Producer (or /Creator when there is none)
}

// records turns one document's tables into records: the document takes
// its fiscal year, agency and phase from nd (normalize decides them), each
// table and cell its own. Problems that do not stop the document (an
// amount that does not fit the schema, a cell that looks numeric but does
// not parse) are returned as messages naming table, page, row and column;
// the cell is kept with a null amount and its text.
func records(src source, nd *normalize.Document) (schema.Document, []schema.Table, []schema.Cell, []string) {
	doc := schema.Document{
		DocumentID: src.id, SourceFile: src.file, Pages: int32(src.pages),
		Producer: src.producer, FiscalYear: int32(nd.FiscalYear), Agency: nd.Agency,
		Phase: string(nd.Phase), Status: schema.StatusOK,
	}
	placeDocument(&doc, nd)
	var problems []string
	tables := make([]schema.Table, 0, len(nd.Tables))
	n := 0
	for _, t := range nd.Tables {
		for _, r := range t.Rows {
			n += len(r.Cells)
		}
	}
	cells := make([]schema.Cell, 0, n)
	for _, t := range nd.Tables {
		tr := schema.Table{
			DocumentID: src.id, TableIndex: int32(t.Index), TableCode: t.Code, TableKind: string(t.Kind), Phase: string(t.Phase),
			Title: t.Title, FiscalYear: int32(t.FiscalYear), Agency: t.Agency, Unit: t.Unit,
			PageFirst: int32(t.PageFirst), PageLast: int32(t.PageLast),
		}
		if len(t.Columns) > 0 {
			tr.Columns = make([]string, 0, len(t.Columns))
		}
		for _, c := range t.Columns {
			tr.Columns = append(tr.Columns, c.PathString())
		}
		rows := make(map[int]bool)
		for _, r := range t.Rows {
			rows[r.Index] = true
			for _, c := range r.Cells {
				cell, cellProblems := cellRecord(src, t, tr.Columns, r, c)
				problems = append(problems, cellProblems...)
				cells = append(cells, cell)
			}
		}
		tr.RowCount = int32(len(rows))
		tables = append(tables, tr)
	}
	return doc, tables, cells, problems
}

// cellRecord is one body cell's record, with its amounts where they fit
// the schema, and the problems of the cell.
func cellRecord(src source, t *normalize.Table, columns []string, r normalize.Row, c normalize.Cell) (schema.Cell, []string) {
	cell := schema.Cell{
		DocumentID: src.id, SourceFile: src.file, TableIndex: int32(t.Index),
		TableCode: t.Code, TableKind: string(t.Kind), Phase: string(t.Phase), RowIndex: int32(r.Index),
		RowCode: r.Code, RowCode2: r.Code2, RowLabel: r.Label, RowLabel2: r.Label2, RowLevel: int32(r.Level),
		Side: string(r.Side), ColumnIndex: int32(c.Column), ColumnPath: columns[c.Column],
		Measure: t.Measure(&r, c.Column), Fund: t.Columns[c.Column].Fund,
		Text: c.Text, RawText: c.Raw, Unit: t.Unit, Page: int32(c.Page),
		X0: finite(c.X0), Y0: finite(c.Y0), X1: finite(c.X1), Y1: finite(c.Y1),
	}
	cell.CodeSystem, cell.CodeName = codeName(r.Code, r.CodeKind, t.FiscalYear)
	cell.Code2System, cell.Code2Name = codeName(r.Code2, r.Code2Kind, t.FiscalYear)
	var problems []string
	at := func() string {
		return fmt.Sprintf("table %d (%s) page %d row %d column %q", t.Index, t.Title, c.Page, r.Index, cell.ColumnPath)
	}
	if c.Err != nil {
		problems = append(problems, at()+": "+c.Err.Error())
	}
	if c.Amount == nil {
		return cell, problems
	}
	v := c.Amount.Value
	if !schema.AmountFits(v) {
		return cell, append(problems, at()+": amount "+v.String()+" does not fit DECIMAL(18,6)")
	}
	cell.Amount = &v
	if y, ok := normalize.ToYuan(v, t.Unit); ok {
		if schema.AmountYuanFits(y) {
			cell.AmountYuan = &y
		} else {
			problems = append(problems, at()+": amount_yuan "+y.String()+" does not fit DECIMAL(18,2)")
		}
	}
	return cell, problems
}

// finite is v, or 0 for NaN and the infinities, which the schema refuses,
// and for -0 (a coordinate has no sign of zero).
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 { // (and -0 is 0)
		return 0
	}
	return v
}

// checkRecords turns one document's checks into records and counts them
// into the document's and its tables' checks_* fields. A value that does
// not fit the schema (DECIMAL(18,6)) is left null, and returned as a
// problem naming the check.
func checkRecords(doc *schema.Document, tables []schema.Table, checks []normalize.Check) ([]schema.Check, []string) {
	out := make([]schema.Check, 0, len(checks))
	var problems []string
	for _, c := range checks {
		r := schema.Check{
			DocumentID: doc.DocumentID, SourceFile: doc.SourceFile, TableIndex: int32(c.Table),
			Rule: c.Rule, Scope: string(c.Scope), RowIndex: int32(c.Row), Status: string(c.Status),
			Note: c.Note,
		}
		for _, v := range []struct {
			name string
			in   *decimal.Decimal
			out  **decimal.Decimal
		}{{"expected", c.Expected, &r.Expected}, {"actual", c.Actual, &r.Actual}, {"difference", c.Difference, &r.Difference}} {
			if v.in != nil && !schema.AmountFits(*v.in) {
				problems = append(problems, fmt.Sprintf("table %d: check %s row %d: %s %s does not fit DECIMAL(18,6)", c.Table, c.Rule, c.Row, v.name, v.in))
				continue
			}
			*v.out = v.in
		}
		for _, ref := range c.Cells {
			r.Cells = append(r.Cells, schema.CheckCell{TableIndex: int32(ref.Table), RowIndex: int32(ref.Row),
				ColumnIndex: int32(ref.Column), Page: int32(ref.Page),
				X0: finite(ref.X0), Y0: finite(ref.Y0), X1: finite(ref.X1), Y1: finite(ref.Y1)})
		}
		count(c.Status, &doc.ChecksPassed, &doc.ChecksFailed, &doc.ChecksSkipped)
		for i := range tables {
			if tables[i].TableIndex == int32(c.Table) {
				count(c.Status, &tables[i].ChecksPassed, &tables[i].ChecksFailed, &tables[i].ChecksSkipped)
			}
		}
		out = append(out, r)
	}
	return out, problems
}

// count adds a check's status to the counts of a document or table.
func count(s normalize.CheckStatus, passed, failed, skipped *int32) {
	switch s {
	case normalize.CheckPass, normalize.CheckRounding:
		*passed++
	case normalize.CheckFail:
		*failed++
	default:
		*skipped++
	}
}

// performanceRecords turns the performance indicators and form fields of
// one document into records. A number that does not fit the schema's
// DECIMAL(18,6) is left null (the text stays): a target or a field is no
// amount of the accounts, and never makes the document partial.
func performanceRecords(doc *schema.Document, nd *normalize.Document) ([]schema.Indicator, []schema.FormField) {
	inds := make([]schema.Indicator, 0, len(nd.Indicators))
	for i, ind := range nd.Indicators {
		t := nd.Tables[ind.Table]
		r := schema.Indicator{
			DocumentID: doc.DocumentID, SourceFile: doc.SourceFile, TableIndex: int32(ind.Table), Phase: string(t.Phase),
			IndicatorIndex: int32(i), RowIndex: int32(ind.Row), Form: string(ind.Form),
			ProjectCode: ind.ProjectCode, ProjectName: ind.ProjectName, ProjectAmount: fitting(ind.ProjectAmount),
			Unit: t.Unit, Agency: ind.Agency, Level1: ind.Level1, Level2: ind.Level2, Name: ind.Name,
			ValueText: ind.ValueText, Note: ind.Note, Comparator: string(ind.Target.Comparator),
			ValueUnit: ind.Target.Unit, Qualitative: ind.Target.Qualitative, ActualText: ind.Actual,
			Weight: fitting(ind.Weight), Score: fitting(ind.Score), Page: int32(ind.Page),
			X0: finite(ind.X0), Y0: finite(ind.Y0), X1: finite(ind.X1), Y1: finite(ind.Y1),
		}
		lo, hi := fits(ind.Target.Low), fits(ind.Target.High)
		if lo != nil || ind.Target.Low == nil {
			if hi != nil || ind.Target.High == nil {
				r.ValueLow, r.ValueHigh = lo, hi // both bounds, or neither
			}
		}
		inds = append(inds, r)
	}
	fields := make([]schema.FormField, 0, len(nd.FormFields))
	for i, f := range nd.FormFields {
		fields = append(fields, schema.FormField{
			DocumentID: doc.DocumentID, SourceFile: doc.SourceFile, TableIndex: int32(f.Table),
			FieldIndex: int32(i), RowIndex: int32(f.Row), ProjectCode: f.ProjectCode, ProjectName: f.ProjectName,
			Key: f.Key, Value: f.Value, Amount: fitting(f.Amount), Unit: nd.Tables[f.Table].Unit, Page: int32(f.Page),
			X0: finite(f.X0), Y0: finite(f.Y0), X1: finite(f.X1), Y1: finite(f.Y1),
		})
	}
	return inds, fields
}

// fitting is an amount's exact value where it fits DECIMAL(18,6), else nil.
func fitting(a *normalize.Amount) *decimal.Decimal {
	if a == nil {
		return nil
	}
	return fits(&a.Value)
}

// fits is d where it fits DECIMAL(18,6), else nil.
func fits(d *decimal.Decimal) *decimal.Decimal {
	if d == nil || !schema.AmountFits(*d) {
		return nil
	}
	v := *d
	return &v
}
