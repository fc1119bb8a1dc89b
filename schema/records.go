package schema

import (
	"time"

	"github.com/shopspring/decimal"
)

// Version is the version of the record sets this package writes. It is
// stored in every Parquet file's key-value metadata under
// "budgetpdf.schema_version". Version 2 added the checks record set and
// the checks_* counts of documents and tables; version 4 added phase to
// tables and cells (table_kind no longer carries "(决算)") and row_label2;
// version 5 added the indicators and form_fields record sets; version 6
// the vocabulary: measure, fund, code_system, code_name, code2_system and
// code2_name on cells, agency_printed and the region on documents (agency
// is now the name without decorations), note on checks, and the facts
// record set; version 7 added repaired and warnings to documents; version
// 8 what a crawl knows of a document: source_url, final_url, fetched_at,
// etag, last_modified and metadata (a map of the crawl manifest's other
// columns), and the workbooks (xlsx/<document_id>.xlsx) a batch may hold.
const Version = 8

// Document.Status values.
const (
	StatusOK          = "ok"            // every page read, tables found
	StatusPartial     = "partial"       // some pages or cells failed; the rest is there
	StatusFailed      = "failed"        // nothing could be read; see Error
	StatusNoTextLayer = "no_text_layer" // a scan: pages without text
)

// Document.Phase values; "" when the document does not say.
const (
	PhaseBudget = "预算" // a budget (部门预算, 单位预算)
	PhaseFinal  = "决算" // a final account (部门决算)
)

// Record is the constraint satisfied by the record types of the documents
// (files has its own, FileRef).
type Record interface {
	Document | Table | Cell | Check | Indicator | FormField | Fact
}

// Document is one input file: the documents record set.
type Document struct {
	DocumentID string // hex SHA-256 of the file's bytes, 64 lowercase digits; PathID(SourceFile) when the file could not be read
	SourceFile string // the file's path as given to the command
	// DuplicateFiles are the other paths of the run with the same bytes
	// (sorted; nil when none): a file is read and recorded once.
	DuplicateFiles []string
	Pages          int32  // number of pages; 0 if the file could not be opened
	Producer       string // the PDF's /Producer, "" if none
	FiscalYear     int32  // 预算年度, e.g. 2024; 0 = unknown, written as null
	Agency         string // 部门 or 单位 name without decorations (本级, (单位)); "" if unknown
	AgencyPrinted  string // the name as the document prints it
	// The region of the agency (GB/T 2260), from its name and the
	// document's own words (package reference); "" where they do not
	// settle it. City is the municipality itself for 北京, 天津, 上海, 重庆.
	RegionCode, Province, City, County string
	Phase                              string // PhaseBudget, PhaseFinal, or "" if unknown
	Status                             string // StatusOK, StatusPartial, StatusFailed or StatusNoTextLayer
	Error                              string // what went wrong, "" when Status is StatusOK
	// Repaired reports that the file was damaged and read after a repair
	// (bytes before the %PDF- header, a cross-reference table rebuilt
	// from the objects found in the file); Warnings say what.
	Repaired bool
	// Warnings are the problems met that lost nothing: repairs, loops in
	// the page tree that were cut, fonts read with a fallback; one
	// printable line each, in the order met ("page 3: ..." for a page's),
	// nil when none.
	Warnings []string

	ChecksPassed  int32 // accounting checks of the document that passed (rounding included)
	ChecksFailed  int32 // checks that failed
	ChecksSkipped int32 // checks skipped because an operand is blank

	// What a crawl knows of the file (version 8); "" and zero for a file
	// given by its path alone.
	SourceURL string // where the file comes from: the URL downloaded, or a crawl manifest's url or source_url
	FinalURL  string // the URL the download ended at, after redirects; "" when budgetpdf did not download it
	// FetchedAt is when the file was fetched: the time of budgetpdf's
	// download, else a crawl manifest's fetched_at; UTC, to the
	// microsecond; zero when unknown (written as null).
	FetchedAt    time.Time
	ETag         string // the ETag header of budgetpdf's download, sent back as If-None-Match by the next run
	LastModified string // the Last-Modified header of budgetpdf's download, sent back as If-Modified-Since
	// Metadata are the other columns of the crawl manifest's row (site,
	// region, ...), by column name; a column left empty is not in it; nil
	// when none.
	Metadata map[string]string
}

// Table is one table of a document, possibly spanning pages: the tables
// record set.
type Table struct {
	DocumentID string   // Document.DocumentID
	TableIndex int32    // 0-based, in document order
	TableCode  string   // the printed label, e.g. "预算03表"; "" if none
	TableKind  string   // what the table is (a kind name set by normalize); "" if unknown
	Phase      string   // PhaseBudget or PhaseFinal, from the title, else the document's; "" if unknown
	Title      string   // the printed title, normalized text
	FiscalYear int32    // year the table states; 0 = unknown, written as null
	Agency     string   // agency the table states; "" if none
	Unit       string   // amount unit as printed: "元", "万元", ...; "" if none
	PageFirst  int32    // first page, 1-based
	PageLast   int32    // last page, 1-based, >= PageFirst
	Columns    []string // column paths, header levels joined by "/": "基本支出/人员经费"
	RowCount   int32    // number of body rows

	ChecksPassed  int32 // accounting checks of the table that passed (rounding included)
	ChecksFailed  int32 // checks that failed
	ChecksSkipped int32 // checks skipped because an operand is blank
}

// Cell is one body cell of a table: the cells record set. A cell repeats
// its table's identification so that the record set is usable alone.
type Cell struct {
	DocumentID string // Document.DocumentID
	SourceFile string // Document.SourceFile
	TableIndex int32  // Table.TableIndex
	TableCode  string // Table.TableCode
	TableKind  string // Table.TableKind
	Phase      string // Table.Phase
	RowIndex   int32  // 0-based body row within the table
	RowCode    string // the row's classification code as digits (2080101), "" if none
	RowCode2   string // a second code on the row (e.g. an economic code), "" if none
	RowLabel   string // the row's label (科目名称), normalized text
	RowLabel2  string // the name belonging to RowCode2 (政府 economic classification), "" if none
	RowLevel   int32  // 1 类, 2 款, 3 项 for function codes; 0 if unknown
	// CodeSystem is RowCode's classification (function, econ_dept,
	// econ_gov, agency or project; "" when none) and CodeName its standard
	// name where the classification holds it for the year; Code2System and
	// Code2Name the same for RowCode2.
	CodeSystem, CodeName, Code2System, Code2Name string
	Side                                         string           // half of a side-by-side table (收支总表) the cell is in; "" for one-sided tables
	ColumnIndex                                  int32            // 0-based index into Table.Columns
	ColumnPath                                   string           // Table.Columns[ColumnIndex]
	Measure                                      string           // what the column measures (basic.personnel, sangong.total, ...); "" where unknown
	Fund                                         string           // where the column's money comes from (general_budget, ...); "" where its headings do not say
	Text                                         string           // the cell's text, normalized
	RawText                                      string           // the cell's text as extracted
	Amount                                       *decimal.Decimal // exact amount in Unit; nil if the cell holds none. At most 6 decimals, 18 digits
	Unit                                         string           // the table's unit, as Table.Unit
	AmountYuan                                   *decimal.Decimal // Amount in 元; nil if Amount is nil or Unit unknown. At most 2 decimals, 18 digits
	Page                                         int32            // page of the cell, 1-based
	X0, Y0                                       float64          // top-left corner of the cell's text, in points, origin top-left, y down
	X1, Y1                                       float64          // bottom-right corner, in points; written rounded to 1/100 pt
}

// Check statuses.
const (
	CheckPass     = "pass"     // the total equals the sum of its parts
	CheckRounding = "rounding" // within half a unit of each operand's last printed decimal
	CheckFail     = "fail"     // a difference beyond rounding
	CheckSkipped  = "skipped"  // an operand is blank: the rule does not apply
)

// Check is the outcome of one accounting identity: the checks record set.
type Check struct {
	DocumentID string           // Document.DocumentID
	SourceFile string           // Document.SourceFile
	TableIndex int32            // the (first) table checked
	Rule       string           // rule id, e.g. "row.group-total" (README lists the catalogue)
	Scope      string           // row, column, hierarchy, two-sided, cross-table or structure
	RowIndex   int32            // body row checked; -1 when the check spans rows (written as null)
	Expected   *decimal.Decimal // the printed total; nil when skipped
	Actual     *decimal.Decimal // the sum of the printed parts; nil when skipped
	Difference *decimal.Decimal // Actual - Expected; nil when skipped
	Status     string           // CheckPass, CheckRounding, CheckFail or CheckSkipped
	Cells      []CheckCell      // the printed cells involved: the total first, then the parts
	Note       string           // what a structure check found (printed and standard name), "" if nothing more
}

// CheckCell locates a cell a check involves.
type CheckCell struct {
	TableIndex     int32   // table of the cell
	RowIndex       int32   // body row
	ColumnIndex    int32   // column
	Page           int32   // 1-based page
	X0, Y0, X1, Y1 float64 // the cell's box, in points, top-left origin
}

// Indicator.Form values.
const (
	FormOverall = "overall" // the agency's targets as a whole (部门整体绩效目标)
	FormProject = "project" // a project's (or a transfer payment's)
)

// Indicator is one performance indicator (绩效指标) of a 绩效目标表 or
// 绩效自评表: the indicators record set.
type Indicator struct {
	DocumentID     string           // Document.DocumentID
	SourceFile     string           // Document.SourceFile
	TableIndex     int32            // Table.TableIndex
	Phase          string           // Table.Phase: 预算 (targets) or 决算 (a self-evaluation)
	IndicatorIndex int32            // 0-based, in document order
	RowIndex       int32            // the body row of its name (or value)
	Form           string           // FormOverall or FormProject
	ProjectCode    string           // the project's code as printed, "" if none
	ProjectName    string           // the project's name; "" for an overall form
	ProjectAmount  *decimal.Decimal // the project's amount in Unit; nil if none printed. At most 6 decimals, 18 digits
	Unit           string           // the table's unit, of ProjectAmount
	Agency         string           // the agency that carries it out
	Level1         string           // 一级指标: 产出指标, 效益指标, 满意度指标, 成本指标; "" if none printed
	Level2         string           // 二级指标, "" if none printed
	Name           string           // 三级指标: the indicator
	ValueText      string           // 指标值 as printed, normalized
	Note           string           // 指标值说明, 指标解释; "" if none
	Comparator     string           // ≥ ≤ > < = ~ or range; "" when ValueText reads as no number
	ValueLow       *decimal.Decimal // the lower bound (≥, >, =, ~, range); nil if open or none. At most 6 decimals, 18 digits
	ValueHigh      *decimal.Decimal // the upper bound (≤, <, =, ~, range); nil if open or none
	ValueUnit      string           // the target's unit: %, 人, 件, 万元 ...; "" if none
	Qualitative    bool             // the target is words without a number (合规, 按时、足额)
	ActualText     string           // 实际完成值 of a self-evaluation, "" if none
	Weight         *decimal.Decimal // 分值 or 权重; nil if none
	Score          *decimal.Decimal // 得分; nil if none
	Page           int32            // 1-based page
	X0, Y0, X1, Y1 float64          // box of its name and value, in points, top-left origin
}

// FormField is one field of a performance form (项目名称, 主管部门, 资金总额,
// 年度目标, ...), or a project's goal in a list: the form_fields record set.
type FormField struct {
	DocumentID     string           // Document.DocumentID
	SourceFile     string           // Document.SourceFile
	TableIndex     int32            // Table.TableIndex
	FieldIndex     int32            // 0-based, in document order
	RowIndex       int32            // the body row of its value
	ProjectCode    string           // the project it belongs to, "" if none or an overall form
	ProjectName    string           // "" for an overall form
	Key            string           // the field's key path: 专项资金情况(万元)/资金总额
	Value          string           // the value as printed, normalized
	Amount         *decimal.Decimal // the value as an amount in Unit; nil for text. At most 6 decimals, 18 digits
	Unit           string           // the table's unit
	Page           int32            // 1-based page
	X0, Y0, X1, Y1 float64          // box of the value, in points, top-left origin
}
