package schema

import (
	"encoding/json"
	"strconv"

	"github.com/parquet-go/parquet-go"
	"github.com/shopspring/decimal"
)

// The Parquet rows and JSON Lines objects of the indicators and
// form_fields record sets (version 5). Decimals are scaled like amount:
// the value times 10^6.

type indicatorRow struct {
	DocumentID     string  `parquet:"document_id,dict"`
	SourceFile     string  `parquet:"source_file,dict"`
	TableIndex     int32   `parquet:"table_index"`
	Phase          string  `parquet:"phase,dict"`
	IndicatorIndex int32   `parquet:"indicator_index"`
	RowIndex       int32   `parquet:"row_index"`
	Form           string  `parquet:"form,dict"`
	ProjectCode    string  `parquet:"project_code,dict"`
	ProjectName    string  `parquet:"project_name,dict"`
	ProjectAmount  *int64  `parquet:"project_amount,decimal(6:18)"`
	Unit           string  `parquet:"unit,dict"`
	Agency         string  `parquet:"agency,dict"`
	Level1         string  `parquet:"level1,dict"`
	Level2         string  `parquet:"level2,dict"`
	Name           string  `parquet:"indicator,dict"`
	ValueText      string  `parquet:"value_text,dict"`
	Note           string  `parquet:"note"`
	Comparator     string  `parquet:"comparator,dict"`
	ValueLow       *int64  `parquet:"value_low,decimal(6:18)"`
	ValueHigh      *int64  `parquet:"value_high,decimal(6:18)"`
	ValueUnit      string  `parquet:"value_unit,dict"`
	Qualitative    bool    `parquet:"qualitative"`
	ActualText     string  `parquet:"actual_text"`
	Weight         *int64  `parquet:"weight,decimal(6:18)"`
	Score          *int64  `parquet:"score,decimal(6:18)"`
	Page           int32   `parquet:"page"`
	X0             float64 `parquet:"x0"`
	Y0             float64 `parquet:"y0"`
	X1             float64 `parquet:"x1"`
	Y1             float64 `parquet:"y1"`
}

type indicatorJSON struct {
	DocumentID     string      `json:"document_id"`
	SourceFile     string      `json:"source_file"`
	TableIndex     int32       `json:"table_index"`
	Phase          string      `json:"phase"`
	IndicatorIndex int32       `json:"indicator_index"`
	RowIndex       int32       `json:"row_index"`
	Form           string      `json:"form"`
	ProjectCode    string      `json:"project_code"`
	ProjectName    string      `json:"project_name"`
	ProjectAmount  *string     `json:"project_amount"`
	Unit           string      `json:"unit"`
	Agency         string      `json:"agency"`
	Level1         string      `json:"level1"`
	Level2         string      `json:"level2"`
	Name           string      `json:"indicator"`
	ValueText      string      `json:"value_text"`
	Note           string      `json:"note"`
	Comparator     string      `json:"comparator"`
	ValueLow       *string     `json:"value_low"`
	ValueHigh      *string     `json:"value_high"`
	ValueUnit      string      `json:"value_unit"`
	Qualitative    bool        `json:"qualitative"`
	ActualText     string      `json:"actual_text"`
	Weight         *string     `json:"weight"`
	Score          *string     `json:"score"`
	Page           int32       `json:"page"`
	X0             json.Number `json:"x0"`
	Y0             json.Number `json:"y0"`
	X1             json.Number `json:"x1"`
	Y1             json.Number `json:"y1"`
}

type formFieldRow struct {
	DocumentID  string  `parquet:"document_id,dict"`
	SourceFile  string  `parquet:"source_file,dict"`
	TableIndex  int32   `parquet:"table_index"`
	FieldIndex  int32   `parquet:"field_index"`
	RowIndex    int32   `parquet:"row_index"`
	ProjectCode string  `parquet:"project_code,dict"`
	ProjectName string  `parquet:"project_name,dict"`
	Key         string  `parquet:"key,dict"`
	Value       string  `parquet:"value"`
	Amount      *int64  `parquet:"amount,decimal(6:18)"`
	Unit        string  `parquet:"unit,dict"`
	Page        int32   `parquet:"page"`
	X0          float64 `parquet:"x0"`
	Y0          float64 `parquet:"y0"`
	X1          float64 `parquet:"x1"`
	Y1          float64 `parquet:"y1"`
}

type formFieldJSON struct {
	DocumentID  string      `json:"document_id"`
	SourceFile  string      `json:"source_file"`
	TableIndex  int32       `json:"table_index"`
	FieldIndex  int32       `json:"field_index"`
	RowIndex    int32       `json:"row_index"`
	ProjectCode string      `json:"project_code"`
	ProjectName string      `json:"project_name"`
	Key         string      `json:"key"`
	Value       string      `json:"value"`
	Amount      *string     `json:"amount"`
	Unit        string      `json:"unit"`
	Page        int32       `json:"page"`
	X0          json.Number `json:"x0"`
	Y0          json.Number `json:"y0"`
	X1          json.Number `json:"x1"`
	Y1          json.Number `json:"y1"`
}

var (
	indicatorSchema = parquet.SchemaOf(indicatorRow{})
	formFieldSchema = parquet.SchemaOf(formFieldRow{})
)

// decimalField is one decimal of a record being converted: its column
// name, its value and where its scaled form goes.
type decimalField struct {
	name string
	in   *decimal.Decimal
	out  **int64
}

// coordField is one coordinate of a record being converted.
type coordField struct {
	name string
	in   float64
	out  *float64
}

// convert scales decimals and rounds coordinates, collecting into errs
// every value that cannot be written exactly.
func convert(set string, row int, decs []decimalField, coords []coordField, errs *ErrorList) {
	for _, f := range decs {
		v, err := unscaled(f.in, amountScale)
		if err != nil {
			*errs = append(*errs, &RecordError{Set: set, Row: row, Column: f.name, Value: f.in.String(), Err: err})
		}
		*f.out = v
	}
	for _, f := range coords {
		v, err := round2(f.in)
		if err != nil {
			*errs = append(*errs, &RecordError{Set: set, Row: row, Column: f.name, Value: strconv.FormatFloat(f.in, 'g', -1, 64), Err: err})
		}
		*f.out = v
	}
}

// indicatorRows converts indicators, collecting every value that cannot
// be written exactly.
func indicatorRows(inds []Indicator) ([]indicatorRow, ErrorList) {
	rows := make([]indicatorRow, len(inds))
	var errs ErrorList
	for i := range inds {
		d := &inds[i]
		r := indicatorRow{
			DocumentID: d.DocumentID, SourceFile: d.SourceFile, TableIndex: d.TableIndex, Phase: d.Phase,
			IndicatorIndex: d.IndicatorIndex, RowIndex: d.RowIndex, Form: d.Form,
			ProjectCode: d.ProjectCode, ProjectName: d.ProjectName, Unit: d.Unit, Agency: d.Agency,
			Level1: d.Level1, Level2: d.Level2, Name: d.Name, ValueText: d.ValueText, Note: d.Note,
			Comparator: d.Comparator, ValueUnit: d.ValueUnit, Qualitative: d.Qualitative,
			ActualText: d.ActualText, Page: d.Page,
		}
		convert("indicators", i, []decimalField{
			{"project_amount", d.ProjectAmount, &r.ProjectAmount}, {"value_low", d.ValueLow, &r.ValueLow},
			{"value_high", d.ValueHigh, &r.ValueHigh}, {"weight", d.Weight, &r.Weight}, {"score", d.Score, &r.Score},
		}, []coordField{{"x0", d.X0, &r.X0}, {"y0", d.Y0, &r.Y0}, {"x1", d.X1, &r.X1}, {"y1", d.Y1, &r.Y1}}, &errs)
		rows[i] = r
	}
	return rows, errs
}

// formFieldRows converts form fields, collecting every value that cannot
// be written exactly.
func formFieldRows(fields []FormField) ([]formFieldRow, ErrorList) {
	rows := make([]formFieldRow, len(fields))
	var errs ErrorList
	for i := range fields {
		f := &fields[i]
		r := formFieldRow{
			DocumentID: f.DocumentID, SourceFile: f.SourceFile, TableIndex: f.TableIndex,
			FieldIndex: f.FieldIndex, RowIndex: f.RowIndex, ProjectCode: f.ProjectCode, ProjectName: f.ProjectName,
			Key: f.Key, Value: f.Value, Unit: f.Unit, Page: f.Page,
		}
		convert("form_fields", i, []decimalField{{"amount", f.Amount, &r.Amount}},
			[]coordField{{"x0", f.X0, &r.X0}, {"y0", f.Y0, &r.Y0}, {"x1", f.X1, &r.X1}, {"y1", f.Y1, &r.Y1}}, &errs)
		rows[i] = r
	}
	return rows, errs
}

func (r *indicatorRow) json() indicatorJSON {
	return indicatorJSON{
		DocumentID: r.DocumentID, SourceFile: r.SourceFile, TableIndex: r.TableIndex, Phase: r.Phase,
		IndicatorIndex: r.IndicatorIndex, RowIndex: r.RowIndex, Form: r.Form,
		ProjectCode: r.ProjectCode, ProjectName: r.ProjectName,
		ProjectAmount: decimalText(r.ProjectAmount, amountScale), Unit: r.Unit, Agency: r.Agency,
		Level1: r.Level1, Level2: r.Level2, Name: r.Name, ValueText: r.ValueText, Note: r.Note,
		Comparator: r.Comparator, ValueLow: decimalText(r.ValueLow, amountScale),
		ValueHigh: decimalText(r.ValueHigh, amountScale), ValueUnit: r.ValueUnit, Qualitative: r.Qualitative,
		ActualText: r.ActualText, Weight: decimalText(r.Weight, amountScale), Score: decimalText(r.Score, amountScale),
		Page: r.Page, X0: number(r.X0), Y0: number(r.Y0), X1: number(r.X1), Y1: number(r.Y1),
	}
}

func (r *indicatorRow) record() Indicator {
	return Indicator{
		DocumentID: r.DocumentID, SourceFile: r.SourceFile, TableIndex: r.TableIndex, Phase: r.Phase,
		IndicatorIndex: r.IndicatorIndex, RowIndex: r.RowIndex, Form: r.Form,
		ProjectCode: r.ProjectCode, ProjectName: r.ProjectName,
		ProjectAmount: scaled(r.ProjectAmount, amountScale), Unit: r.Unit, Agency: r.Agency,
		Level1: r.Level1, Level2: r.Level2, Name: r.Name, ValueText: r.ValueText, Note: r.Note,
		Comparator: r.Comparator, ValueLow: scaled(r.ValueLow, amountScale),
		ValueHigh: scaled(r.ValueHigh, amountScale), ValueUnit: r.ValueUnit, Qualitative: r.Qualitative,
		ActualText: r.ActualText, Weight: scaled(r.Weight, amountScale), Score: scaled(r.Score, amountScale),
		Page: r.Page, X0: r.X0, Y0: r.Y0, X1: r.X1, Y1: r.Y1,
	}
}

func (r *formFieldRow) json() formFieldJSON {
	return formFieldJSON{
		DocumentID: r.DocumentID, SourceFile: r.SourceFile, TableIndex: r.TableIndex,
		FieldIndex: r.FieldIndex, RowIndex: r.RowIndex, ProjectCode: r.ProjectCode, ProjectName: r.ProjectName,
		Key: r.Key, Value: r.Value, Amount: decimalText(r.Amount, amountScale), Unit: r.Unit,
		Page: r.Page, X0: number(r.X0), Y0: number(r.Y0), X1: number(r.X1), Y1: number(r.Y1),
	}
}

func (r *formFieldRow) record() FormField {
	return FormField{
		DocumentID: r.DocumentID, SourceFile: r.SourceFile, TableIndex: r.TableIndex,
		FieldIndex: r.FieldIndex, RowIndex: r.RowIndex, ProjectCode: r.ProjectCode, ProjectName: r.ProjectName,
		Key: r.Key, Value: r.Value, Amount: scaled(r.Amount, amountScale), Unit: r.Unit,
		Page: r.Page, X0: r.X0, Y0: r.Y0, X1: r.X1, Y1: r.Y1,
	}
}
