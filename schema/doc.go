// Package schema defines the records budgetpdf produces and writes them as
// Parquet and JSON Lines. It is the only package that imports parquet-go.
//
// # Record sets, version 8
//
// Six record sets describe the documents: documents, tables, cells,
// checks, indicators and form_fields; another, files, maps every path a
// run was given to the document it holds (FileRef). They live in a dataset directory (see Dataset
// directories below). Records are written in the order given, so output
// is byte for byte the same for the same records. Column names are
// snake_case and identical in both formats; the Parquet files carry the
// key-value metadata budgetpdf.schema_version = "8" (Version). Version 2
// added the checks record set and the checks_passed, checks_failed and
// checks_skipped counts of documents and tables; version 3 added
// documents.duplicate_files; version 4 added phase to tables and cells
// (table_kind no longer carries "(决算)") and cells.row_label2; version 5
// added the indicators and form_fields record sets; version 6 the
// vocabulary (measures, funds, code systems, regions) and the facts record
// set; version 7 added documents.repaired and documents.warnings; version
// 8 what a crawl knows of each document (documents.source_url, final_url,
// fetched_at, etag, last_modified and metadata, the other columns of a
// crawl manifest as a MAP) and the workbooks of a dataset directory
// (xlsx/, FormatXLSX). Parts written by an earlier version stay as they
// are: a reader of every part takes the union of their columns by name
// (DuckDB's union_by_name), the columns a part lacks null; this package
// reads them with those fields empty.
//
// documents: one row per input file.
//
//	document_id  string        hex SHA-256 of the file's bytes (64 lowercase digits); the join key.
//	                           A file that could not be read: SHA-256 of "path:" + the path as given (PathID)
//	source_file  string        the path as given to the command
//	duplicate_files []string   other paths of the run with the same bytes, sorted; empty if none
//	pages        int32         number of pages; 0 if the file could not be opened
//	producer     string        the PDF's /Producer, "" if none
//	fiscal_year  int32, null   预算年度 the document states; null if unknown (0 in Document)
//	agency       string        部门 or 单位 as printed, "" if unknown
//	phase        string        "预算", "决算" or ""
//	status       string        "ok", "partial", "failed" or "no_text_layer"
//	error        string        what went wrong, "" for ok; one printable line
//	repaired     bool          the file was damaged and read after a repair (warnings say what)
//	warnings     []string      problems that lost nothing (repairs, page-tree loops cut, fonts read with a fallback), one printable line each; empty if none
//	checks_passed, checks_failed, checks_skipped  int32  the document's checks by outcome (passed includes rounding)
//	source_url   string        where the file comes from: the URL downloaded, or a crawl manifest's url or source_url; "" if none
//	final_url    string        the URL a download ended at, after redirects; "" when budgetpdf did not download the file
//	fetched_at   TIMESTAMP(µs, UTC), null  when the file was fetched: budgetpdf's download, else the manifest's fetched_at (RFC 3339)
//	etag, last_modified  string  the ETag and Last-Modified headers of budgetpdf's download, "" if none
//	metadata     map<string,string>  the crawl manifest's other columns of the document's row (site, region, ...); empty if none
//
// In JSON Lines fetched_at is an RFC 3339 string in UTC ("2024-05-01T08:30:15.123456Z") or
// null, and metadata an object. The manifests also keep each document's
// source_url, etag and last_modified (FetchedURLs), so that a run asks a
// server whether a URL changed (If-None-Match, If-Modified-Since) whatever
// the formats written.
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
//	document_id  string  documents.document_id of the document it held then (PathID when it could not be read)
//
// # Dataset directories
//
// A dataset directory grows run by run: each record set is a directory of
// part files, one per batch of documents; cells, checks, indicators and
// form_fields partitioned by fiscal year in the Hive style:
//
//	documents/part-<batch>.parquet
//	tables/part-<batch>.parquet
//	cells/fiscal_year=2024/part-<batch>.parquet        (fiscal_year=__HIVE_DEFAULT_PARTITION__ when unknown)
//	checks/fiscal_year=2024/part-<batch>.parquet
//	indicators/fiscal_year=2024/part-<batch>.parquet
//	form_fields/fiscal_year=2024/part-<batch>.parquet
//	files/part-<batch>.parquet
//	jsonl/documents/part-<batch>.jsonl, ...             the same parts in JSON Lines
//	xlsx/<document_id>.xlsx                             a workbook per document, with FormatXLSX
//	manifests/<batch>.json                              the commit of each batch
//	staging/<batch>/                                    a batch's parts before they are published
//	runs/<run>.lock, runs/<run>.claims, runs/dataset.lock
//	.downloads/<run>/                                   a live run's downloads (Run.DownloadDir)
//
// A batch is named <run>-<sequence>, the run <time in base 36>.<pid>.
//
// # Commit protocol
//
// A batch becomes part of the dataset at one atomic step, the rename of
// its manifest (PartWriter.Close):
//
//  1. stage: every part of the batch, in every format, its workbooks
//     included, is written and synced under staging/<batch>/ (one
//     directory, synced too), where no reader of the record set
//     directories looks;
//  2. commit: manifests/<batch>.json, one line of JSON (version 1) listing
//     the batch's parts, its documents with their status and rows, the
//     failed records it supersedes and, for a compaction, the batches it
//     replaces, is written under a temporary name, synced, and renamed into
//     place; the directory is synced. Before the rename the batch does not
//     exist; after it the whole batch does;
//  3. publish: the records the batch supersedes are removed from their
//     parts (each part rewritten and renamed over itself, then its
//     manifest; a batch left without documents is removed, its manifest
//     first), the batches it replaces are removed (parts, then manifest),
//     then its parts are renamed from staging/ into place, the workbooks
//     then the documents parts last, and its staging directory removed.
//
// Readers through this package (ReadDataset, ReadFileRefs, DocumentIDs),
// the skip set of a run (Run.Claim) and recovery read the manifests and
// nothing else; a part of a batch not yet published is read from
// staging/. Recovery, when a run opens (OpenRun), works on the batches of
// runs no longer alive (a run holds runs/<run>.lock while it lives): a
// batch without manifest is removed (its documents are read again), a
// committed one is published (roll forward), and a part or a workbook that
// no manifest lists is removed, as are the downloads of dead runs. So a process killed at any step leaves either nothing
// of the batch or all of it.
//
// A reader that globs the record set directories (DuckDB
// read_parquet('DIR/cells/*/*.parquet'), pandas, JSON Lines under
// DIR/jsonl/) sees only committed batches' parts, and no document's
// records twice: a superseded record is removed before the record that
// supersedes it is published. While a batch is being published, or after
// a process was killed during its publication and until the next run or
// compact, such a reader may see part of that batch (never more than once).
// Glob the record set directories only, never staging/.
//
// # Documents read once
//
// A run claims the documents it is to read before reading them (Run.Claim,
// runs/<run>.claims, under the dataset lock): a document committed with a
// status other than failed is skipped, one claimed by another live run is
// left to it, the others are claimed. So runs writing into one dataset at
// once, sharded or not, never read one document twice. Whatever changes
// what is committed other than by adding a batch (recovery, claims,
// superseding, recording files, compaction, -force) holds the dataset
// lock, runs/dataset.lock; a compaction holds it throughout, so a run
// started meanwhile waits for it, and it refuses while another run lives.
//
// A failed document is read again by the next run. Its new record
// supersedes the failed one: the manifest of the new batch names the old
// record (document id and batch) in supersedes, and the old record is
// removed from its batch's parts when the new batch is published. The same
// goes for a failed record under the PathID of one of the new document's
// paths (a file that could not be read then and can now). Readers through
// this package drop a superseded record even before its removal; and of a
// document that several batches hold (as older budgetpdf versions could
// leave), they read the newest batch's records only. Run.Compact merges the
// parts into one per record set and partition, leaving out those records,
// and the rows of files seen twice.
//
// A directory of an older budgetpdf (parts without manifests/) is brought
// up to date by the first run or compact on it: each whole batch gets a
// manifest (and its failed documents, recorded with the id "", their
// PathID); a batch whose renames were cut short is removed, its documents
// read again. From then on no older budgetpdf may write into it: its parts,
// listed by no manifest, would be removed. Parquet parts use zstd compression and dictionary encoding
// for the strings that repeat (ids, codes, kinds, units, column paths,
// labels).
package schema
