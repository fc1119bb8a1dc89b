package schema

import (
	"github.com/parquet-go/parquet-go"
	"github.com/shopspring/decimal"
)

// Fact is one amount with the facts of its document and table joined in:
// the facts record set (version 6), the one analysts query first. There is
// one fact per amount cell; Measure, the codes' systems and names, and the
// region are "" where they are unknown, never guessed. TableIndex,
// RowIndex and ColumnIndex find the cell in the cells record set.
type Fact struct {
	DocumentID  string // Document.DocumentID
	SourceFile  string // Document.SourceFile
	FiscalYear  int32  // the table's fiscal year; 0 = unknown, written as null
	Phase       string // the table's phase
	Agency      string // Document.Agency
	RegionCode  string // Document.RegionCode
	Province    string // Document.Province
	City        string // Document.City
	County      string // Document.County
	TableIndex  int32  // Table.TableIndex
	TableCode   string // Table.TableCode
	TableKind   string // Table.TableKind
	Measure     string // Cell.Measure
	Fund        string // Cell.Fund
	Side        string // Cell.Side
	Code        string // Cell.RowCode
	CodeSystem  string // Cell.CodeSystem
	CodeName    string // Cell.CodeName
	Label       string // Cell.RowLabel
	Level       int32  // Cell.RowLevel
	Amount      decimal.Decimal
	AmountYuan  *decimal.Decimal // nil where the unit is unknown
	Unit        string
	Page        int32
	RowIndex    int32 // Cell.RowIndex
	ColumnIndex int32 // Cell.ColumnIndex
}

type factRow struct {
	DocumentID  string `parquet:"document_id,dict"`
	SourceFile  string `parquet:"source_file,dict"`
	FiscalYear  *int32 `parquet:"fiscal_year,optional"`
	Phase       string `parquet:"phase,dict"`
	Agency      string `parquet:"agency,dict"`
	RegionCode  string `parquet:"region_code,dict"`
	Province    string `parquet:"province,dict"`
	City        string `parquet:"city,dict"`
	County      string `parquet:"county,dict"`
	TableIndex  int32  `parquet:"table_index"`
	TableCode   string `parquet:"table_code,dict"`
	TableKind   string `parquet:"table_kind,dict"`
	Measure     string `parquet:"measure,dict"`
	Fund        string `parquet:"fund,dict"`
	Side        string `parquet:"side,dict"`
	Code        string `parquet:"code,dict"`
	CodeSystem  string `parquet:"code_system,dict"`
	CodeName    string `parquet:"code_name,dict"`
	Label       string `parquet:"label,dict"`
	Level       int32  `parquet:"level"`
	Amount      int64  `parquet:"amount,decimal(6:18)"`
	AmountYuan  *int64 `parquet:"amount_yuan,decimal(2:18)"`
	Unit        string `parquet:"unit,dict"`
	Page        int32  `parquet:"page"`
	RowIndex    int32  `parquet:"row_index"`
	ColumnIndex int32  `parquet:"column_index"`
}

type factJSON struct {
	DocumentID  string  `json:"document_id"`
	SourceFile  string  `json:"source_file"`
	FiscalYear  *int32  `json:"fiscal_year"`
	Phase       string  `json:"phase"`
	Agency      string  `json:"agency"`
	RegionCode  string  `json:"region_code"`
	Province    string  `json:"province"`
	City        string  `json:"city"`
	County      string  `json:"county"`
	TableIndex  int32   `json:"table_index"`
	TableCode   string  `json:"table_code"`
	TableKind   string  `json:"table_kind"`
	Measure     string  `json:"measure"`
	Fund        string  `json:"fund"`
	Side        string  `json:"side"`
	Code        string  `json:"code"`
	CodeSystem  string  `json:"code_system"`
	CodeName    string  `json:"code_name"`
	Label       string  `json:"label"`
	Level       int32   `json:"level"`
	Amount      string  `json:"amount"`
	AmountYuan  *string `json:"amount_yuan"`
	Unit        string  `json:"unit"`
	Page        int32   `json:"page"`
	RowIndex    int32   `json:"row_index"`
	ColumnIndex int32   `json:"column_index"`
}

var factSchema = parquet.SchemaOf(factRow{})

// factRows converts facts, collecting every amount that cannot be written
// exactly.
func factRows(facts []Fact) ([]factRow, ErrorList) {
	rows := make([]factRow, len(facts))
	yuan := make([]int64, len(facts)) // (one allocation for the batch's: see cellRows)
	var errs ErrorList
	for i := range facts {
		f := &facts[i]
		r := factRow{
			DocumentID: f.DocumentID, SourceFile: f.SourceFile, FiscalYear: year(f.FiscalYear), Phase: f.Phase,
			Agency: f.Agency, RegionCode: f.RegionCode, Province: f.Province, City: f.City, County: f.County,
			TableIndex: f.TableIndex, TableCode: f.TableCode, TableKind: f.TableKind,
			Measure: f.Measure, Fund: f.Fund, Side: f.Side,
			Code: f.Code, CodeSystem: f.CodeSystem, CodeName: f.CodeName, Label: f.Label, Level: f.Level,
			Unit: f.Unit, Page: f.Page, RowIndex: f.RowIndex, ColumnIndex: f.ColumnIndex,
		}
		var err error
		if r.Amount, err = unscaledValue(&f.Amount, amountScale); err != nil {
			errs = append(errs, &RecordError{Set: "facts", Row: i, Column: "amount", Value: f.Amount.String(), Err: err})
		}
		if r.AmountYuan, err = unscaledInto(f.AmountYuan, amountYuanScale, &yuan[i]); err != nil {
			errs = append(errs, &RecordError{Set: "facts", Row: i, Column: "amount_yuan", Value: f.AmountYuan.String(), Err: err})
		}
		rows[i] = r
	}
	return rows, errs
}

func (r *factRow) json() factJSON {
	return factJSON{
		DocumentID: r.DocumentID, SourceFile: r.SourceFile, FiscalYear: r.FiscalYear, Phase: r.Phase,
		Agency: r.Agency, RegionCode: r.RegionCode, Province: r.Province, City: r.City, County: r.County,
		TableIndex: r.TableIndex, TableCode: r.TableCode, TableKind: r.TableKind,
		Measure: r.Measure, Fund: r.Fund, Side: r.Side,
		Code: r.Code, CodeSystem: r.CodeSystem, CodeName: r.CodeName, Label: r.Label, Level: r.Level,
		Amount: *decimalText(&r.Amount, amountScale), AmountYuan: decimalText(r.AmountYuan, amountYuanScale),
		Unit: r.Unit, Page: r.Page, RowIndex: r.RowIndex, ColumnIndex: r.ColumnIndex,
	}
}

func (r *factRow) record() Fact {
	return Fact{
		DocumentID: r.DocumentID, SourceFile: r.SourceFile, FiscalYear: unyear(r.FiscalYear), Phase: r.Phase,
		Agency: r.Agency, RegionCode: r.RegionCode, Province: r.Province, City: r.City, County: r.County,
		TableIndex: r.TableIndex, TableCode: r.TableCode, TableKind: r.TableKind,
		Measure: r.Measure, Fund: r.Fund, Side: r.Side,
		Code: r.Code, CodeSystem: r.CodeSystem, CodeName: r.CodeName, Label: r.Label, Level: r.Level,
		Amount: *scaled(&r.Amount, amountScale), AmountYuan: scaled(r.AmountYuan, amountYuanScale),
		Unit: r.Unit, Page: r.Page, RowIndex: r.RowIndex, ColumnIndex: r.ColumnIndex,
	}
}

func (r *factRow) docID() string { return r.DocumentID }
