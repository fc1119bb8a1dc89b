// Package normalize rebuilds the tables of a budget disclosure from the
// positioned glyphs and ruling lines of package extract, and normalizes
// what the cells say: text, exact amounts, classification codes.
//
// Coordinates are those of extract: points, origin at the top-left corner of
// the visible page, y growing downward.
//
// # Tables
//
// A Builder takes a document's pages in order (AddPage) and returns its
// tables (Tables). On each page:
//
//   - Ruling lines are snapped into rules (segments within GridOptions.Snap
//     of each other are one rule, gaps up to Join are bridged); rules that
//     cross form a grid, one per ruled table. A cell is the smallest closed
//     rectangle; cells merge across a side no segment draws over half its
//     length (merged header and body cells). A ruled grid decides the rows:
//     a row is never split because its text has several lines.
//   - The text lines above a grid (up to Options.TitleGap) are its title
//     block: number label (预算03表, 表一, 附表1, 表1-3), title (matched by
//     keywords such as 预算表, 总表, 情况表; never by number), agency
//     (单位名称：, 部门：, 编制单位：) and unit (单位：万元). The kind
//     (收支总表, 支出总表, 三公经费表, ...) comes from the title's words.
//   - Header rows are the rows above the first row that holds data (an
//     amount with a separator or decimals, a code, a total or an item
//     number in its first columns). Each leaf column's path is the header
//     texts above it, top to bottom: 基本支出/人员经费.
//   - Unruled tables (and three-line tables, whose rules are horizontal
//     only) are read from text alignment: a line splits into chunks at wide
//     gaps, columns are the overlapping extents of the data lines' chunks,
//     and rows start at anchors (lines with data, or an item number); a line
//     without data continues the row above when that row's text fills its
//     column (the text wrapped), or the row below when it fills its column
//     itself (a name above vertically centred amounts). This is a heuristic:
//     it reads the seed's three-line rendering at 31% of cells (the ruled
//     one at 100%).
//   - A grid without a title whose rules or header match the table before
//     it continues that table: a repeated header is dropped, and a first
//     row that only continues the text of the row above the page break is
//     joined to it.
//
// Each row gets its code (类/款/项 segments joined, a 款 or 项 printed as
// segments completed from the rows above, codes inside labels such as
// [2010401]行政运行 or 2010501-行政运行), its label and its level (from the
// code, else from indentation). Two-sided summary tables (收入 on the left,
// 支出 on the right) give one row per side. Blank cells are not cells:
// blank is not zero.
//
// # Values
//
// ParseAmount reads printed amounts exactly (shopspring/decimal, never
// float64): thousands separators, negatives as -12.50 or (12.50),
// full-width digits, any number of decimals. A dash alone is text with no
// amount (ErrNoAmount); a token that looks numeric but does not parse is an
// error on that cell (ErrMalformedAmount), never a zero. ToYuan converts
// exactly from the table's unit. NormalizeText applies NFKC and removes the
// spaces a layout puts between CJK characters. ParseFunctionCode and
// ClassifyCode read the classification codes.
package normalize
