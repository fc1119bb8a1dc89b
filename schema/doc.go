// Package schema defines the records budgetpdf produces and writes them as
// Parquet and JSON Lines. It is the only package that imports parquet-go.
//
// # Record sets, version 5
//
// Six record sets describe the documents: documents, tables, cells,
// checks, indicators and form_fields; another, files, maps every path a
// run was given to the document it holds (FileRef). They live in a dataset directory (see Dataset
// directories below). Records are written in the order given, so output
// is byte for byte the same for the same records. Column names are
// snake_case and identical in both formats; the Parquet files carry the
// key-value metadata budgetpdf.schema_version = "5" (Version). Version 2
// added the checks record set and the checks_passed, checks_failed and
// checks_skipped counts of documents and tables; version 3 added
// documents.duplicate_files; version 4 added phase to tables and cells
// (table_kind no longer carries "(决算)") and cells.row_label2; version 5
// added the indicators and form_fields record sets.
//
// documents: one row per input file.
//
//	document_id  string        hex SHA-256 of the file's bytes (64 lowercase digits); the join key
//	source_file  string        the path as given to the command
//	duplicate_files []string   other paths of the run with the same bytes, sorted; empty if none
//	pages        int32         number of pages; 0 if the file could not be opened
//	producer     string        the PDF's /Producer, "" if none
//	fiscal_year  int32, null   预算年度 the document states; null if unknown (0 in Document)
//	agency       string        部门 or 单位 as printed, "" if unknown
//	phase        string        "预算", "决算" or ""
//	status       string        "ok", "partial", "failed" or "no_text_layer"
//	error        string        what went wrong, "" for ok
//	checks_passed, checks_failed, checks_skipped  int32  the document's checks by outcome (passed includes rounding)
//
// tables: one row per table, which may span pages.
//
//	document_id  string        documents.document_id
//	table_index  int32         0-based, in document order; with document_id the key
//	table_code   string        printed label such as "预算03表", "" if none
//	table_kind   string        what the table is, named by normalize; "" if unknown
//	phase        string        预算 or 决算 (the kind does not say which); "" if unknown
//	title        string        printed title, normalized text
//	fiscal_year  int32, null   year the table states; null if unknown
//	agency       string        agency the table states, "" if none
//	unit         string        amount unit as printed: "元", "万元", ...; "" if none
//	page_first   int32         first page, 1-based
//	page_last    int32         last page, 1-based
//	columns      list<string>  column paths: header levels joined by "/", e.g. "基本支出/人员经费"; never null
//	row_count    int32         number of body rows
//	checks_passed, checks_failed, checks_skipped  int32  the table's checks by outcome
//
// cells: one row per body cell. Each cell repeats its table's identifiers
// so that the cells answer questions alone.
//
//	document_id, source_file, table_index, table_code, table_kind, phase   as above
//	row_index    int32          0-based body row within the table
//	row_code     string         row's classification code as digits ("2080101"), "" if none
//	row_code2    string         a second code on the row (an economic code beside a function code), "" if none
//	row_label    string         row label (科目名称), normalized text: the name of row_code
//	row_label2   string         the name of row_code2, "" if none
//	row_level    int32          1 类, 2 款, 3 项 of a function code, else the label's indentation rank; 0 if unknown
//	side         string         half of a side-by-side table (收支总表) the cell lies in; "" for other tables
//	column_index int32          0-based index into tables.columns
//	column_path  string         tables.columns[column_index]
//	text         string         cell text, normalized
//	raw_text     string         cell text as extracted
//	amount       DECIMAL(18,6)  exact amount in unit; null when the cell holds none (text, a dash, empty)
//	unit         string         tables.unit
//	amount_yuan  DECIMAL(18,2)  amount in 元; null when amount is null or the unit is unknown
//	page         int32          page of the cell, 1-based
//	x0, y0       double         top-left corner of the cell's text, in points
//	x1, y1       double         bottom-right corner, in points
//
// Coordinates are those of package extract: points (1/72 inch), origin at
// the top-left corner of the visible page, y growing downward. They are
// written rounded to 1/100 pt, in both formats alike, so that the two hold
// the same values.
//
// # Exact amounts
//
// In memory an amount is a *decimal.Decimal, nil for null. In Parquet it is
// a DECIMAL logical type on INT64: amount holds the value times 10^6,
// amount_yuan times 10^2, at most 18 digits. A value with more decimals
// than its column's scale, or more than 18 digits at that scale, is never
// rounded: writing fails with a RecordError naming the record set, the row
// and the column (ErrScale, ErrRange). In JSON Lines an amount is a string
// holding the value's exact decimal text without exponent and without
// trailing zeros ("4920.44", "49204400", "-0.01"), or null.
//
// checks: one row per accounting identity checked (normalize.Checks).
//
//	document_id, source_file  string  the document
//	table_index  int32                the (first) table checked
//	rule         string               the rule's id, e.g. "row.group-total"
//	scope        string               row, column, hierarchy, two-sided or cross-table
//	row_index    int32, null          the row checked; null when the check spans rows (-1 in Check)
//	expected     DECIMAL(18,6), null  the printed total; null when skipped
//	actual       DECIMAL(18,6), null  the sum of the printed parts
//	difference   DECIMAL(18,6), null  actual - expected
//	status       string               pass, rounding, fail or skipped
//	cells        list<struct>         the cells involved, the total first: table_index,
//	                                  row_index, column_index, page, x0, y0, x1, y1
//
// indicators: one row per performance indicator (绩效指标) of a 绩效目标表
// or 绩效自评表 (Indicator). Decimals are DECIMAL(18,6) like amount.
//
//	document_id, source_file, table_index, phase   as above
//	indicator_index int32       0-based, in document order
//	row_index    int32          the body row of its name (or value)
//	form         string         "overall" (部门整体) or "project"
//	project_code, project_name  string   the project, "" for an overall form
//	project_amount DECIMAL(18,6), null  the project's amount in unit
//	unit         string         the table's unit
//	agency       string         the agency that carries it out
//	level1, level2, indicator  string   一级指标, 二级指标, 三级指标
//	value_text   string         指标值 as printed, normalized
//	note         string         指标值说明
//	comparator   string         ≥ ≤ > < = ~ or range; "" when no number reads
//	value_low, value_high DECIMAL(18,6), null  the target's bounds
//	value_unit   string         the target's unit
//	qualitative  boolean        the target is words without a number
//	actual_text  string         实际完成值 (绩效自评)
//	weight, score DECIMAL(18,6), null   分值, 得分
//	page, x0, y0, x1, y1        as cells: the box of its name and value
//
// form_fields: one row per field of a performance form (FormField).
//
//	document_id, source_file, table_index   as above
//	field_index  int32          0-based, in document order
//	row_index    int32          the body row of the value
//	project_code, project_name  string   the project, "" for an overall form
//	key          string         key path: 专项资金情况(万元)/资金总额
//	value        string         the value as printed, normalized
//	amount       DECIMAL(18,6), null  the value as an amount in unit
//	unit         string         the table's unit
//	page, x0, y0, x1, y1        as cells
//
// files: one row per path given to a run, in every run.
//
//	source_file  string  the path as given
//	document_id  string  documents.document_id; "" when the file could not be read
//
// # Dataset directories
//
// A dataset directory grows run by run: each record set is a directory of
// part files, one per batch of documents, cells, checks, indicators and
// form_fields partitioned by fiscal year in the Hive style (see parts.go).
// PartWriter writes a batch and commits it by renaming its documents part
// last; readers (ReadDataset, DocumentIDs) see committed batches only. A writer holds a
// Run (OpenRun): a lock file under runs/ while it lives, its batches named
// after it, and on opening, the removal of what dead runs left unfinished.
// Run.Compact merges the parts. Parquet parts use zstd compression and
// dictionary encoding for the strings that repeat (ids, codes, kinds,
// units, column paths, labels).
package schema
