package schema

import (
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/shopspring/decimal"
)

// The Parquet rows. Column names, order and types are the file format:
// change them only with Version. Amounts are scaled integers: amount holds
// the value times 10^6, amount_yuan times 10^2.

type documentRow struct {
	DocumentID string   `parquet:"document_id"`
	SourceFile string   `parquet:"source_file"`
	Duplicates []string `parquet:"duplicate_files,list"`
	Pages      int32    `parquet:"pages"`
	Producer   string   `parquet:"producer,dict"`
	FiscalYear *int32   `parquet:"fiscal_year,optional"`
	Agency     string   `parquet:"agency,dict"`
	Printed    string   `parquet:"agency_printed,dict"`
	RegionCode string   `parquet:"region_code,dict"`
	Province   string   `parquet:"province,dict"`
	City       string   `parquet:"city,dict"`
	County     string   `parquet:"county,dict"`
	Phase      string   `parquet:"phase,dict"`
	Status     string   `parquet:"status,dict"`
	Error      string   `parquet:"error"`
	Repaired   bool     `parquet:"repaired"`
	Warnings   []string `parquet:"warnings,list"`
	Passed     int32    `parquet:"checks_passed"`
	Failed     int32    `parquet:"checks_failed"`
	Skipped    int32    `parquet:"checks_skipped"`
	// version 8: what a crawl knows of the file
	SourceURL    string            `parquet:"source_url"`
	FinalURL     string            `parquet:"final_url"`
	FetchedAt    *int64            `parquet:"fetched_at,optional,timestamp(microsecond)"` // microseconds since 1970, UTC
	ETag         string            `parquet:"etag"`
	LastModified string            `parquet:"last_modified"`
	Metadata     map[string]string `parquet:"metadata"`
}

type tableRow struct {
	DocumentID string   `parquet:"document_id,dict"`
	TableIndex int32    `parquet:"table_index"`
	TableCode  string   `parquet:"table_code,dict"`
	TableKind  string   `parquet:"table_kind,dict"`
	Phase      string   `parquet:"phase,dict"`
	Title      string   `parquet:"title"`
	FiscalYear *int32   `parquet:"fiscal_year,optional"`
	Agency     string   `parquet:"agency,dict"`
	Unit       string   `parquet:"unit,dict"`
	PageFirst  int32    `parquet:"page_first"`
	PageLast   int32    `parquet:"page_last"`
	Columns    []string `parquet:"columns,list" parquet-element:",dict"`
	RowCount   int32    `parquet:"row_count"`
	Passed     int32    `parquet:"checks_passed"`
	Failed     int32    `parquet:"checks_failed"`
	Skipped    int32    `parquet:"checks_skipped"`
}

type cellRow struct {
	DocumentID  string  `parquet:"document_id,dict"`
	SourceFile  string  `parquet:"source_file,dict"`
	TableIndex  int32   `parquet:"table_index"`
	TableCode   string  `parquet:"table_code,dict"`
	TableKind   string  `parquet:"table_kind,dict"`
	Phase       string  `parquet:"phase,dict"`
	RowIndex    int32   `parquet:"row_index"`
	RowCode     string  `parquet:"row_code,dict"`
	RowCode2    string  `parquet:"row_code2,dict"`
	RowLabel    string  `parquet:"row_label,dict"`
	RowLabel2   string  `parquet:"row_label2,dict"`
	RowLevel    int32   `parquet:"row_level"`
	CodeSystem  string  `parquet:"code_system,dict"`
	CodeName    string  `parquet:"code_name,dict"`
	Code2System string  `parquet:"code2_system,dict"`
	Code2Name   string  `parquet:"code2_name,dict"`
	Side        string  `parquet:"side,dict"`
	ColumnIndex int32   `parquet:"column_index"`
	ColumnPath  string  `parquet:"column_path,dict"`
	Measure     string  `parquet:"measure,dict"`
	Fund        string  `parquet:"fund,dict"`
	Text        string  `parquet:"text"`
	RawText     string  `parquet:"raw_text"`
	Amount      *int64  `parquet:"amount,decimal(6:18)"`
	Unit        string  `parquet:"unit,dict"`
	AmountYuan  *int64  `parquet:"amount_yuan,decimal(2:18)"`
	Page        int32   `parquet:"page"`
	X0          float64 `parquet:"x0"`
	Y0          float64 `parquet:"y0"`
	X1          float64 `parquet:"x1"`
	Y1          float64 `parquet:"y1"`
}

type checkCellRow struct {
	TableIndex  int32   `parquet:"table_index" json:"table_index"`
	RowIndex    int32   `parquet:"row_index" json:"row_index"`
	ColumnIndex int32   `parquet:"column_index" json:"column_index"`
	Page        int32   `parquet:"page" json:"page"`
	X0          float64 `parquet:"x0" json:"x0"`
	Y0          float64 `parquet:"y0" json:"y0"`
	X1          float64 `parquet:"x1" json:"x1"`
	Y1          float64 `parquet:"y1" json:"y1"`
}

type checkRow struct {
	DocumentID string         `parquet:"document_id,dict"`
	SourceFile string         `parquet:"source_file,dict"`
	TableIndex int32          `parquet:"table_index"`
	Rule       string         `parquet:"rule,dict"`
	Scope      string         `parquet:"scope,dict"`
	RowIndex   *int32         `parquet:"row_index,optional"`
	Expected   *int64         `parquet:"expected,decimal(6:18)"`
	Actual     *int64         `parquet:"actual,decimal(6:18)"`
	Difference *int64         `parquet:"difference,decimal(6:18)"`
	Status     string         `parquet:"status,dict"`
	Cells      []checkCellRow `parquet:"cells,list"`
	Note       string         `parquet:"note"`
}

// Scales of the decimal columns.
const (
	amountScale     = 6
	amountYuanScale = 2
	maxUnscaled     = 999_999_999_999_999_999 // maxDigits digits
	maxDigits       = 18
)

// The schemas, built once: parquet.SchemaOf panics on a bad tag, so a bad
// tag fails every test at package initialization.
var (
	documentSchema = parquet.SchemaOf(documentRow{})
	tableSchema    = parquet.SchemaOf(tableRow{})
	cellSchema     = parquet.SchemaOf(cellRow{})
	checkSchema    = parquet.SchemaOf(checkRow{})
)

// The JSON Lines objects: the same names in the same order. Amounts are
// strings holding the exact decimal, coordinates numbers with at most two
// decimals, a missing value null.

type documentJSON struct {
	DocumentID string   `json:"document_id"`
	SourceFile string   `json:"source_file"`
	Duplicates []string `json:"duplicate_files"`
	Pages      int32    `json:"pages"`
	Producer   string   `json:"producer"`
	FiscalYear *int32   `json:"fiscal_year"`
	Agency     string   `json:"agency"`
	Printed    string   `json:"agency_printed"`
	RegionCode string   `json:"region_code"`
	Province   string   `json:"province"`
	City       string   `json:"city"`
	County     string   `json:"county"`
	Phase      string   `json:"phase"`
	Status     string   `json:"status"`
	Error      string   `json:"error"`
	Repaired   bool     `json:"repaired"`
	Warnings   []string `json:"warnings"`
	Passed     int32    `json:"checks_passed"`
	Failed     int32    `json:"checks_failed"`
	Skipped    int32    `json:"checks_skipped"`
	// version 8
	SourceURL    string            `json:"source_url"`
	FinalURL     string            `json:"final_url"`
	FetchedAt    *string           `json:"fetched_at"` // RFC 3339, UTC
	ETag         string            `json:"etag"`
	LastModified string            `json:"last_modified"`
	Metadata     map[string]string `json:"metadata"`
}

type tableJSON struct {
	DocumentID string   `json:"document_id"`
	TableIndex int32    `json:"table_index"`
	TableCode  string   `json:"table_code"`
	TableKind  string   `json:"table_kind"`
	Phase      string   `json:"phase"`
	Title      string   `json:"title"`
	FiscalYear *int32   `json:"fiscal_year"`
	Agency     string   `json:"agency"`
	Unit       string   `json:"unit"`
	PageFirst  int32    `json:"page_first"`
	PageLast   int32    `json:"page_last"`
	Columns    []string `json:"columns"`
	RowCount   int32    `json:"row_count"`
	Passed     int32    `json:"checks_passed"`
	Failed     int32    `json:"checks_failed"`
	Skipped    int32    `json:"checks_skipped"`
}

type checkJSON struct {
	DocumentID string         `json:"document_id"`
	SourceFile string         `json:"source_file"`
	TableIndex int32          `json:"table_index"`
	Rule       string         `json:"rule"`
	Scope      string         `json:"scope"`
	RowIndex   *int32         `json:"row_index"`
	Expected   *string        `json:"expected"`
	Actual     *string        `json:"actual"`
	Difference *string        `json:"difference"`
	Status     string         `json:"status"`
	Cells      []checkCellRow `json:"cells"`
	Note       string         `json:"note"`
}

type cellJSON struct {
	DocumentID  string      `json:"document_id"`
	SourceFile  string      `json:"source_file"`
	TableIndex  int32       `json:"table_index"`
	TableCode   string      `json:"table_code"`
	TableKind   string      `json:"table_kind"`
	Phase       string      `json:"phase"`
	RowIndex    int32       `json:"row_index"`
	RowCode     string      `json:"row_code"`
	RowCode2    string      `json:"row_code2"`
	RowLabel    string      `json:"row_label"`
	RowLabel2   string      `json:"row_label2"`
	RowLevel    int32       `json:"row_level"`
	CodeSystem  string      `json:"code_system"`
	CodeName    string      `json:"code_name"`
	Code2System string      `json:"code2_system"`
	Code2Name   string      `json:"code2_name"`
	Side        string      `json:"side"`
	ColumnIndex int32       `json:"column_index"`
	ColumnPath  string      `json:"column_path"`
	Measure     string      `json:"measure"`
	Fund        string      `json:"fund"`
	Text        string      `json:"text"`
	RawText     string      `json:"raw_text"`
	Amount      *string     `json:"amount"`
	Unit        string      `json:"unit"`
	AmountYuan  *string     `json:"amount_yuan"`
	Page        int32       `json:"page"`
	X0          json.Number `json:"x0"`
	Y0          json.Number `json:"y0"`
	X1          json.Number `json:"x1"`
	Y1          json.Number `json:"y1"`
}

// year returns nil for 0 (unknown).
func year(y int32) *int32 {
	if y == 0 {
		return nil
	}
	return &y
}

func unyear(y *int32) int32 {
	if y == nil {
		return 0
	}
	return *y
}

// AmountFits reports whether d can be written exactly as an amount,
// DECIMAL(18,6); AmountYuanFits, as an amount_yuan, DECIMAL(18,2). Writing
// a cell whose amount does not fit fails (ErrScale, ErrRange); a caller
// that asks first can keep the cell, with a null amount, instead.
func AmountFits(d decimal.Decimal) bool {
	_, err := unscaled(&d, amountScale)
	return err == nil
}

// AmountYuanFits: see AmountFits.
func AmountYuanFits(d decimal.Decimal) bool {
	_, err := unscaled(&d, amountYuanScale)
	return err == nil
}

// unscaled returns d times 10^scale as an integer, exactly, or ErrScale or
// ErrRange; nil for nil.
func unscaled(d *decimal.Decimal, scale int32) (*int64, error) {
	if d == nil {
		return nil, nil
	}
	return unscaledInto(d, scale, new(int64))
}

// unscaledInto is unscaled with the integer stored in *into (a batch's
// amounts are allocated together: see cellRows).
func unscaledInto(d *decimal.Decimal, scale int32, into *int64) (*int64, error) {
	if d == nil {
		return nil, nil
	}
	v, err := unscaledValue(d, scale)
	if err != nil {
		return nil, err
	}
	*into = v
	return into, nil
}

// unscaledValue is d times 10^scale as an integer (see unscaled). A
// coefficient of at most maxDigits digits is scaled in int64 arithmetic,
// without the decimal package's big integers (an allocation or more for
// each step); any other through them. FuzzUnscaled holds the two to the
// same results.
func unscaledValue(d *decimal.Decimal, scale int32) (int64, error) {
	if n := d.NumDigits(); n <= maxDigits {
		c, e := d.CoefficientInt64(), int64(d.Exponent())+int64(scale)
		switch {
		case e >= 0 && int64(n)+e <= maxDigits:
			return c * pow10[e], nil // (under 10^18 in magnitude)
		case e < 0 && -e <= maxDigits:
			p := pow10[-e]
			if c%p != 0 {
				return 0, ErrScale
			}
			return c / p, nil
		}
	}
	return unscaledBig(d, scale)
}

// unscaledBig is unscaledValue through the decimal package.
func unscaledBig(d *decimal.Decimal, scale int32) (int64, error) {
	s := d.Shift(scale)
	if !s.IsInteger() {
		return 0, ErrScale
	}
	if s.Abs().GreaterThan(decimal.New(maxUnscaled, 0)) {
		return 0, ErrRange
	}
	return s.IntPart(), nil
}

// pow10 holds the powers of ten up to 10^maxDigits.
var pow10 = func() (p [maxDigits + 1]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// scaled is the inverse of unscaled.
func scaled(v *int64, scale int32) *decimal.Decimal {
	if v == nil {
		return nil
	}
	d := decimal.New(*v, -scale)
	return &d
}

// decimalText is the exact canonical text of a scaled value: no exponent,
// no trailing zeros after the point ("4920.44", "12", "-0.5").
func decimalText(v *int64, scale int32) *string {
	if v == nil {
		return nil
	}
	s := decimal.New(*v, -scale).String()
	return &s
}

// round2 rounds x to 1/100: the float64 nearest to its two-decimal text.
func round2(x float64) (float64, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, ErrNotFinite
	}
	// The text rounds x's exact value to hundredths. c, x×100 rounded,
	// is that number of hundredths when the exact x×100 - c (one rounding
	// by FMA) is clearly less than a half; c/100 (one rounding) is then
	// the float64 nearest to the text. Nearer a half, or beyond shortMax,
	// the text itself decides.
	if c := math.Round(x * 100); math.Abs(x) < shortMax && math.Abs(math.FMA(x, 100, -c)) < roundMargin {
		if c == 0 {
			return 0, nil // also turns -0 into 0
		}
		return c / 100, nil
	}
	v, err := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64)
	if err != nil || v == 0 {
		return 0, err // also turns -0 into 0
	}
	return v, nil
}

// number is the JSON text of a rounded coordinate: at most two decimals.
// It is strconv's shortest text of x; for a coordinate (round2's: the
// float64 nearest to a number of hundredths, below shortMax), that is the
// number of hundredths itself, written without strconv's search for the
// shortest digits (four coordinates per cell).
func number(x float64) json.Number {
	c := math.Round(x * 100)
	if math.Abs(x) >= shortMax || c/100 != x || x == 0 && math.Signbit(x) {
		return json.Number(strconv.FormatFloat(x, 'f', -1, 64))
	}
	// x is the float64 nearest to c/100, and below shortMax no text of
	// fewer digits than c/100's is nearer to x than to its neighbours: the
	// shortest text is c/100's.
	var b [24]byte
	t := b[:0]
	if c < 0 {
		t, c = append(t, '-'), -c
	}
	n := int64(c)
	t = strconv.AppendInt(t, n/100, 10)
	switch frac := n % 100; {
	case frac == 0:
	case frac%10 == 0:
		t = append(t, '.', byte('0'+frac/10))
	default:
		t = append(t, '.', byte('0'+frac/10), byte('0'+frac%10))
	}
	return json.Number(t)
}

// roundMargin is how far below a half x×100's distance to its nearest
// integer must be for round2 to take that integer without the text.
const roundMargin = 0.5 - 1e-6

// shortMax bounds the coordinates that number writes and round2 rounds
// without strconv: below it, float64s are less than 1e-6 apart, far closer
// than hundredths.
const shortMax = 1 << 30

func documentRows(docs []Document) []documentRow {
	rows := make([]documentRow, len(docs))
	for i, d := range docs {
		rows[i] = documentRow{
			DocumentID: d.DocumentID, SourceFile: d.SourceFile, Duplicates: d.DuplicateFiles, Pages: d.Pages,
			Producer: d.Producer, FiscalYear: year(d.FiscalYear), Agency: d.Agency, Printed: d.AgencyPrinted,
			RegionCode: d.RegionCode, Province: d.Province, City: d.City, County: d.County,
			Phase: d.Phase, Status: d.Status, Error: d.Error, Repaired: d.Repaired, Warnings: d.Warnings,
			Passed: d.ChecksPassed, Failed: d.ChecksFailed, Skipped: d.ChecksSkipped,
			SourceURL: d.SourceURL, FinalURL: d.FinalURL, FetchedAt: micros(d.FetchedAt),
			ETag: d.ETag, LastModified: d.LastModified, Metadata: d.Metadata,
		}
	}
	return rows
}

// micros is a time as microseconds since 1970 (UTC), the stored form of
// fetched_at; nil for the zero time. A time is stored to the microsecond:
// finer digits are dropped.
func micros(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	v := t.UnixMicro()
	return &v
}

// unmicros is the inverse of micros: a UTC time, zero for nil.
func unmicros(v *int64) time.Time {
	if v == nil {
		return time.Time{}
	}
	return time.UnixMicro(*v).UTC()
}

// timeText is fetched_at in JSON Lines: RFC 3339 in UTC, with as many
// fraction digits as it has (to the microsecond); nil for nil.
func timeText(v *int64) *string {
	if v == nil {
		return nil
	}
	s := unmicros(v).Format(time.RFC3339Nano)
	return &s
}

func tableRows(tables []Table) []tableRow {
	rows := make([]tableRow, len(tables))
	for i, t := range tables {
		cols := t.Columns
		if cols == nil {
			cols = []string{}
		}
		rows[i] = tableRow{
			DocumentID: t.DocumentID, TableIndex: t.TableIndex, TableCode: t.TableCode,
			TableKind: t.TableKind, Phase: t.Phase, Title: t.Title, FiscalYear: year(t.FiscalYear),
			Agency: t.Agency, Unit: t.Unit, PageFirst: t.PageFirst, PageLast: t.PageLast,
			Columns: cols, RowCount: t.RowCount,
			Passed: t.ChecksPassed, Failed: t.ChecksFailed, Skipped: t.ChecksSkipped,
		}
	}
	return rows
}

// checkRows converts checks, collecting every value that cannot be
// written exactly.
func checkRows(checks []Check) ([]checkRow, ErrorList) {
	rows := make([]checkRow, len(checks))
	var errs ErrorList
	for i := range checks {
		c := &checks[i]
		r := checkRow{
			DocumentID: c.DocumentID, SourceFile: c.SourceFile, TableIndex: c.TableIndex,
			Rule: c.Rule, Scope: c.Scope, Status: c.Status, Cells: []checkCellRow{}, Note: c.Note,
		}
		if c.RowIndex >= 0 {
			v := c.RowIndex
			r.RowIndex = &v
		}
		for _, f := range []struct {
			name string
			in   *decimal.Decimal
			out  **int64
		}{{"expected", c.Expected, &r.Expected}, {"actual", c.Actual, &r.Actual}, {"difference", c.Difference, &r.Difference}} {
			v, err := unscaled(f.in, amountScale)
			if err != nil {
				errs = append(errs, &RecordError{Set: "checks", Row: i, Column: f.name, Value: f.in.String(), Err: err})
			}
			*f.out = v
		}
		for _, cc := range c.Cells {
			x0, e0 := round2(cc.X0)
			y0, e1 := round2(cc.Y0)
			x1, e2 := round2(cc.X1)
			y1, e3 := round2(cc.Y1)
			if e0 != nil || e1 != nil || e2 != nil || e3 != nil {
				errs = append(errs, &RecordError{Set: "checks", Row: i, Column: "cells", Value: "coordinate", Err: ErrNotFinite})
			}
			r.Cells = append(r.Cells, checkCellRow{cc.TableIndex, cc.RowIndex, cc.ColumnIndex, cc.Page, x0, y0, x1, y1})
		}
		rows[i] = r
	}
	return rows, errs
}

// cellRows converts cells, collecting every value that cannot be written
// exactly.
func cellRows(cells []Cell) ([]cellRow, ErrorList) {
	rows := make([]cellRow, len(cells))
	amounts := make([]int64, 2*len(cells)) // (one allocation for the batch's, not one each)
	var errs ErrorList
	fail := func(i int, col, val string, err error) {
		errs = append(errs, &RecordError{Set: "cells", Row: i, Column: col, Value: val, Err: err})
	}
	for i := range cells {
		c, r := &cells[i], &rows[i]
		*r = cellRow{
			DocumentID: c.DocumentID, SourceFile: c.SourceFile, TableIndex: c.TableIndex,
			TableCode: c.TableCode, TableKind: c.TableKind, Phase: c.Phase, RowIndex: c.RowIndex,
			RowCode: c.RowCode, RowCode2: c.RowCode2, RowLabel: c.RowLabel, RowLabel2: c.RowLabel2,
			RowLevel: c.RowLevel, CodeSystem: c.CodeSystem, CodeName: c.CodeName,
			Code2System: c.Code2System, Code2Name: c.Code2Name, Side: c.Side, ColumnIndex: c.ColumnIndex,
			ColumnPath: c.ColumnPath, Measure: c.Measure, Fund: c.Fund, Text: c.Text, RawText: c.RawText,
			Unit: c.Unit, Page: c.Page,
		}
		var err error
		if r.Amount, err = unscaledInto(c.Amount, amountScale, &amounts[2*i]); err != nil {
			fail(i, "amount", c.Amount.String(), err)
		}
		if r.AmountYuan, err = unscaledInto(c.AmountYuan, amountYuanScale, &amounts[2*i+1]); err != nil {
			fail(i, "amount_yuan", c.AmountYuan.String(), err)
		}
		for _, f := range []struct {
			name string
			in   float64
			out  *float64
		}{{"x0", c.X0, &r.X0}, {"y0", c.Y0, &r.Y0}, {"x1", c.X1, &r.X1}, {"y1", c.Y1, &r.Y1}} {
			if *f.out, err = round2(f.in); err != nil {
				fail(i, f.name, strconv.FormatFloat(f.in, 'g', -1, 64), err)
			}
		}
	}
	return rows, errs
}

func (r *documentRow) json() documentJSON {
	dups, warnings, metadata := r.Duplicates, r.Warnings, r.Metadata
	if dups == nil {
		dups = []string{}
	}
	if warnings == nil {
		warnings = []string{}
	}
	if metadata == nil {
		metadata = map[string]string{}
	}
	return documentJSON{
		DocumentID: r.DocumentID, SourceFile: r.SourceFile, Duplicates: dups, Pages: r.Pages,
		Producer: r.Producer, FiscalYear: r.FiscalYear, Agency: r.Agency, Printed: r.Printed,
		RegionCode: r.RegionCode, Province: r.Province, City: r.City, County: r.County,
		Phase: r.Phase, Status: r.Status, Error: r.Error, Repaired: r.Repaired, Warnings: warnings,
		Passed: r.Passed, Failed: r.Failed, Skipped: r.Skipped,
		SourceURL: r.SourceURL, FinalURL: r.FinalURL, FetchedAt: timeText(r.FetchedAt),
		ETag: r.ETag, LastModified: r.LastModified, Metadata: metadata,
	}
}

func (r *checkRow) json() checkJSON {
	return checkJSON{
		DocumentID: r.DocumentID, SourceFile: r.SourceFile, TableIndex: r.TableIndex,
		Rule: r.Rule, Scope: r.Scope, RowIndex: r.RowIndex,
		Expected: decimalText(r.Expected, amountScale), Actual: decimalText(r.Actual, amountScale),
		Difference: decimalText(r.Difference, amountScale), Status: r.Status, Cells: r.Cells, Note: r.Note,
	}
}

func (r *checkRow) record() Check {
	c := Check{
		DocumentID: r.DocumentID, SourceFile: r.SourceFile, TableIndex: r.TableIndex,
		Rule: r.Rule, Scope: r.Scope, RowIndex: -1, Status: r.Status,
		Expected: scaled(r.Expected, amountScale), Actual: scaled(r.Actual, amountScale),
		Difference: scaled(r.Difference, amountScale), Note: r.Note,
	}
	if r.RowIndex != nil {
		c.RowIndex = *r.RowIndex
	}
	for _, cc := range r.Cells {
		c.Cells = append(c.Cells, CheckCell{cc.TableIndex, cc.RowIndex, cc.ColumnIndex, cc.Page, cc.X0, cc.Y0, cc.X1, cc.Y1})
	}
	return c
}

func (r *tableRow) json() tableJSON {
	return tableJSON{
		DocumentID: r.DocumentID, TableIndex: r.TableIndex, TableCode: r.TableCode,
		TableKind: r.TableKind, Phase: r.Phase, Title: r.Title, FiscalYear: r.FiscalYear,
		Agency: r.Agency, Unit: r.Unit, PageFirst: r.PageFirst, PageLast: r.PageLast,
		Columns: r.Columns, RowCount: r.RowCount,
		Passed: r.Passed, Failed: r.Failed, Skipped: r.Skipped,
	}
}

func (r *cellRow) json() cellJSON {
	return cellJSON{
		DocumentID: r.DocumentID, SourceFile: r.SourceFile, TableIndex: r.TableIndex,
		TableCode: r.TableCode, TableKind: r.TableKind, Phase: r.Phase, RowIndex: r.RowIndex,
		RowCode: r.RowCode, RowCode2: r.RowCode2, RowLabel: r.RowLabel, RowLabel2: r.RowLabel2,
		RowLevel: r.RowLevel, CodeSystem: r.CodeSystem, CodeName: r.CodeName,
		Code2System: r.Code2System, Code2Name: r.Code2Name, Side: r.Side, ColumnIndex: r.ColumnIndex,
		ColumnPath: r.ColumnPath, Measure: r.Measure, Fund: r.Fund, Text: r.Text, RawText: r.RawText,
		Amount: decimalText(r.Amount, amountScale), Unit: r.Unit,
		AmountYuan: decimalText(r.AmountYuan, amountYuanScale), Page: r.Page,
		X0: number(r.X0), Y0: number(r.Y0), X1: number(r.X1), Y1: number(r.Y1),
	}
}

func (r *documentRow) record() Document {
	var dups, warnings []string
	var metadata map[string]string
	if len(r.Duplicates) > 0 {
		dups = r.Duplicates
	}
	if len(r.Warnings) > 0 {
		warnings = r.Warnings
	}
	if len(r.Metadata) > 0 {
		metadata = r.Metadata
	}
	return Document{
		DocumentID: r.DocumentID, SourceFile: r.SourceFile, DuplicateFiles: dups, Pages: r.Pages,
		Producer: r.Producer, FiscalYear: unyear(r.FiscalYear), Agency: r.Agency, AgencyPrinted: r.Printed,
		RegionCode: r.RegionCode, Province: r.Province, City: r.City, County: r.County,
		Phase: r.Phase, Status: r.Status, Error: r.Error, Repaired: r.Repaired, Warnings: warnings,
		ChecksPassed: r.Passed, ChecksFailed: r.Failed, ChecksSkipped: r.Skipped,
		SourceURL: r.SourceURL, FinalURL: r.FinalURL, FetchedAt: unmicros(r.FetchedAt),
		ETag: r.ETag, LastModified: r.LastModified, Metadata: metadata,
	}
}

func (r *tableRow) record() Table {
	return Table{
		DocumentID: r.DocumentID, TableIndex: r.TableIndex, TableCode: r.TableCode,
		TableKind: r.TableKind, Phase: r.Phase, Title: r.Title, FiscalYear: unyear(r.FiscalYear),
		Agency: r.Agency, Unit: r.Unit, PageFirst: r.PageFirst, PageLast: r.PageLast,
		Columns: r.Columns, RowCount: r.RowCount,
		ChecksPassed: r.Passed, ChecksFailed: r.Failed, ChecksSkipped: r.Skipped,
	}
}

func (r *cellRow) record() Cell {
	return Cell{
		DocumentID: r.DocumentID, SourceFile: r.SourceFile, TableIndex: r.TableIndex,
		TableCode: r.TableCode, TableKind: r.TableKind, Phase: r.Phase, RowIndex: r.RowIndex,
		RowCode: r.RowCode, RowCode2: r.RowCode2, RowLabel: r.RowLabel, RowLabel2: r.RowLabel2,
		RowLevel: r.RowLevel, CodeSystem: r.CodeSystem, CodeName: r.CodeName,
		Code2System: r.Code2System, Code2Name: r.Code2Name, Side: r.Side, ColumnIndex: r.ColumnIndex,
		ColumnPath: r.ColumnPath, Measure: r.Measure, Fund: r.Fund, Text: r.Text, RawText: r.RawText,
		Amount: scaled(r.Amount, amountScale), Unit: r.Unit,
		AmountYuan: scaled(r.AmountYuan, amountYuanScale), Page: r.Page,
		X0: r.X0, Y0: r.Y0, X1: r.X1, Y1: r.Y1,
	}
}

// docID is the document a row belongs to, for the rows a reader drops
// (see view).
func (r *documentRow) docID() string  { return r.DocumentID }
func (r *tableRow) docID() string     { return r.DocumentID }
func (r *cellRow) docID() string      { return r.DocumentID }
func (r *checkRow) docID() string     { return r.DocumentID }
func (r *fileRow) docID() string      { return r.DocumentID }
func (r *indicatorRow) docID() string { return r.DocumentID }
func (r *formFieldRow) docID() string { return r.DocumentID }

// fixID gives a row of a failed document written by an older budgetpdf,
// with an empty id, the PathID of its source file.
func (r *documentRow) fixID() {
	if r.DocumentID == "" {
		r.DocumentID = PathID(r.SourceFile)
	}
}

func (r *documentJSON) fixID() {
	if r.DocumentID == "" {
		r.DocumentID = PathID(r.SourceFile)
	}
}

func (r *fileRow) fixID() {
	if r.DocumentID == "" {
		r.DocumentID = PathID(r.SourceFile)
	}
}
