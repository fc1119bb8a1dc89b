// Package workbook writes the tables of a budget disclosure the way the
// people who check them work: as an Excel workbook (.xlsx) with one sheet
// per table, and as CSV files. Its input is what package normalize rebuilt
// (a normalize.Document and its checks); it knows nothing of the PDF.
//
// # The workbook
//
// Write (WriteFile for a path) makes one workbook per document:
//
//   - The first sheet, 概况, lists the document's facts (文件 file, 文档编号
//     document id, 年度 year, 阶段 phase, 单位 agency, 金额单位 unit, 页数
//     pages, 状态 status), then every table: its sheet (a link), code,
//     title, kind, pages, unit, rows, and its checks (通过 passed, rounding
//     included; 未通过 failed; 跳过 skipped; the ids of the rules that
//     failed), counted on the table a check belongs to (Check.Table), as
//     the dataset counts them.
//   - Then one sheet per table (see SheetNames). At its top the title
//     block: code and title, 单位名称 (agency) and 单位 (unit), the pages
//     and kind. Below it the header as printed: one row per heading level,
//     a heading shared by neighbouring columns at the same depth merged
//     across them, a column's last heading merged down to the last header
//     row. Under the header a hidden row holds each printed column's
//     measure and fund ("basic.personnel", "income; fund general_budget"):
//     unhide it to filter by vocabulary rather than by printed heading.
//     Then the body: one sheet row per printed row (Row.Index), the cells
//     in their printed columns. Where a printed row holds two cells in one
//     column (normalize joins a few continued pages so), the position shows
//     both texts on two lines, as text.
//   - Row keys first. A table that prints one row per row of the dataset
//     gets its row key columns left of the printed ones: 编码 (Row.Code),
//     名称 (Row.Label), 编码2 (Row.Code2) and 名称2 (Row.Label2), each where
//     some row has one; names are indented by their level below the
//     table's top level (a 项 under a 款 one step). A table that prints
//     several rows of the dataset side by side (the 收入 and 支出 sides of a
//     收支总表, the 人员经费 and 公用经费 blocks of a 基本支出决算表) already
//     prints each block's codes and names in the block: its sheet keeps the
//     printed layout and adds no key columns.
//
// # Exact amounts
//
// An amount is a numeric cell whose stored value is the decimal's own
// string (decimal.Decimal.String: "1234.5" for a printed 1,234.50, "0.3"
// for 0.3), never a float64 formatted back: the file holds exactly what
// the PDF printed, and a reader that parses the XML gets the decimal back.
// The printed number of decimals (Amount.Scale) is the cell's number
// format: "#,##0.00" where the table groups thousands in its amounts,
// "0.00" where it does not. Excel and LibreOffice compute with binary
// doubles: a value of more than 15 significant digits is shown rounded by
// them, but stays exact in the file (one beyond a double's range, over
// 1.8e308, would be stored as text). Text cells (codes included) are
// strings, so 010101 keeps its zero. A blank printed cell is an empty
// cell, never a zero, and so is an empty key (a 合计 row has no code).
//
// # Checks in the workbook
//
// The cells of a failed check (Check.Cells) are filled light red and carry
// a comment naming each failed rule with its figures (printed total, sum
// of the parts, difference) and note. A failed check on a column (a
// heading: Row -1) marks the column's lowest heading; one on the table as
// a whole (no cells) marks the title.
//
// # CSV
//
// WriteCSV writes one table as CSV: UTF-8 with a byte order mark (so that
// Excel on Windows reads the Chinese right), one header row of column
// paths ("本年收入/一般公共预算/小计") after the key columns of the sheet,
// then the body rows as on the sheet. Amounts are written with their
// printed decimals and without thousands separators ("1234.50").
//
// Output is deterministic: the same document gives the same bytes.
package workbook
