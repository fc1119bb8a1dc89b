// Package normalize rebuilds the tables of a budget disclosure from the
// positioned glyphs and ruling lines of package extract, gives each row its
// key, and normalizes what the cells say: text, exact amounts,
// classification codes. It checks what it read: the accounting identities
// the tables carry, and the signs of a misread structure.
//
// Coordinates are those of extract: points, origin at the top-left corner of
// the visible page, y growing downward. Every threshold is a named field of
// Settings, with its unit.
//
// # One table model
//
// A Builder takes a document's pages in order (AddPage) and returns its
// tables (Finish). Every table, ruled or not, goes one way:
//
//   - Regions. Ruling lines are snapped into rules; each drawn stretch of a
//     rule connects on its own, and rules that cross form a grid (two
//     tables stacked on a page are two grids). A border clipped at the page
//     edge is closed where the row rules end. Text outside every grid,
//     under a title no grid claims (or at the top of a page that continues
//     an unruled table), is an unruled table; its header is the band
//     between its first two horizontal rules (three-line tables) or the
//     lines above its first line with data. A page that starts with a
//     title of its own starts a table, even after an unruled one; a line of
//     prose (a sentence set from the table's left edge) ends one.
//   - Lattice (lattice.go). A region becomes rows and columns of cells: from
//     the grid (cells merged across sides no rule draws), or from text
//     alignment (textable.go): columns are the header's leaves and the data
//     under them, group headings span the columns they are centred over,
//     wrapped lines chain into cells, vertically overlapping cells make a
//     row. A performance form printed without rules (textform.go) has no
//     header: its columns start where its text does, and a cell spans the
//     rows it is set against, as in a ruled form.
//   - Header (header.go). Rows at the top that hold a title or statements
//     join the title block (title.go); the header is the rows above the
//     first row holding data, extended over the rows its cells span; each
//     column's path is the headings over it.
//   - Continuation (builder.go). A table without a title of its own
//     continues the last one on the page before when its columns, header or
//     width match; repeated headers and totals and rows cut by the page
//     break are joined back.
//   - Row keys (keys.go). Column roles (amounts, text, codes, 类/款/项
//     segments, line numbers), blocks printed side by side (收入 | 支出),
//     codes paired with the names that belong to them, two classifications
//     on one row (Code and Code2), a label for rows without a code, levels
//     from the codes or the labels' indentation.
//   - Document facts (facts.go): year, agency and phase from title blocks,
//     covers, set headings and form fields.
//
// The rules are general: each is what a reader of any such table does, and
// none names a document. Their limits: headings set at the bottom of their
// cells give no vertical cue for a heading spanning several header rows; a
// table whose columns stand closer than their text's own gaps (under 2 pt)
// may run two cells into one.
//
// # Values
//
// ParseAmount reads printed amounts exactly (shopspring/decimal, never
// float64): thousands separators, negatives as -12.50 or (12.50),
// full-width digits, any number of decimals. A dash alone is text with no
// amount (ErrNoAmount). A token that looks numeric but does not parse is
// read as a reader reads it when only its thousands grouping is off
// ("120258,600"), and flagged (Cell.Malformed); otherwise it is an error
// on that cell (ErrMalformedAmount), never a zero. ToYuan converts exactly
// from the table's unit. NormalizeText applies NFKC and removes the spaces
// a layout puts between CJK characters. ParseCode, ParseFunctionCode and
// ClassifyCode read the classification codes.
//
// # Performance tables
//
// The 绩效目标表 and 绩效自评表 tables (Kind KindPerformance) are read once
// more, into Document.Indicators and Document.FormFields (indicators.go,
// indreader.go, forms.go). A form (项目名称 | …, 部门名称 | …) is known by
// its first row, a field's key followed by its value, while its table is
// built: its fields are body rows, not column headings, and a form that
// starts again under a title repeated from the page before is a new table.
// Its rows are then read top to bottom: fields as keys (with the section
// merged down beside them and the sub-headings over them) and values; an
// indicator grid from its headings, the table's column headings (a list of
// projects: the wide 汇总表 with 三级指标 | 指标值 pairs under each 一级指标,
// or 一级 | 二级 | 三级 | 指标值 columns) or a row of headings inside the
// form, each heading covering the columns up to the next. Levels merged
// down the rows carry down; a list row naming a project starts it, a name
// cut by the page break continues it; a packed cell (1-产出指标,11-数量指标,
// …;年度指标值:…;) is split into its indicators. ParseTarget reads each
// value: comparator, exact bounds, unit, or words. In an unruled list
// whose project names stand in the middle of their lines (centred.go), a
// name takes the block of lines around it (from the top of its first
// row), and a row is cut at its lines of indicators, which print no
// amounts (lineRows). A form printed without rules is read into the same
// rows as a ruled one (textform.go). Limits: values printed several to a
// cell (≥20场/≥50人) stay one indicator, unread; dates stay text; a
// project a page break cuts in an unruled list with centred names may
// give its last lines to the next; in an unruled form set so tight that
// its rows stand at its line pitch, a value that fills its column runs
// into the next row's.
//
// # Checks
//
// Checks applies the catalogue Rules to a document's tables: accounting
// identities (a total equals the sum of its parts, within a row, down a
// column, through the code hierarchy, between the two sides of a summary
// table and between tables) and structure rules (structure.go), which flag
// a misread header, row key or fact without any truth to compare with.
package normalize
