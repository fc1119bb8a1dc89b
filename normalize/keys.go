package normalize

import (
	"math"
	"slices"
	"strings"
)

// This file gives each body row its key: the code (or two codes, where a
// row carries two classifications), the name that belongs to each code,
// the side and the level. It works on what the table's columns hold:
//
//   - Column roles. Each column is amounts, text, a full code, a 类/款/项
//     segment of a code, or line numbers (序号, 行次), decided from its
//     header words and from what its body cells hold.
//   - Blocks. A table prints one or more blocks side by side, each made of
//     key columns (codes, names) followed by its own amount columns: the
//     two halves of a 收支总表, the three (code, name, 决算数) triples of a
//     基本支出决算表. Each block of a printed row is a row of its own; its
//     side is 收入 or 支出 where its top heading says so.
//   - Keys. Within a block, codes come from segment runs (a 类 column after
//     a 款 starts the second classification's code), full-code columns and
//     cells that print a code with its name ("30101-基本工资"). A segment
//     left blank is the one of the rows above. The name of a code is the
//     text column that follows it. Of two classifications, Code is the
//     function or 部门 economic code and Code2 the 政府 economic one. A row
//     without a code is named by its name column: not a column that groups
//     rows (单位名称 repeated down the rows, 类型, 项目单位), and of nested
//     name columns (一级项目, 二级项目) the innermost that is printed.

// columnRole is what a column holds in the body.
type columnRole uint8

const (
	roleText    columnRole = iota // names and other text
	roleAmount                    // amounts (or nothing at all)
	roleCode                      // a full code: function, economic, agency or project
	roleSegment                   // a 类, 款 or 项 segment of a code
	roleLineNo                    // line numbers: 序号, 行次, 栏次
)

// Column roles and levels are decided by shares of a column's cells.
const (
	// roleShare is the share of a column's filled cells that must be
	// codes (or amounts) for it to be a code (or amount) column.
	roleShare = 0.6
	// headedRoleShare is roleShare for a column whose heading names codes
	// (编码, 代码).
	headedRoleShare = 0.5
	// indentCodedShare is the largest share of coded rows in a table whose
	// levels are read from its labels' indents: where codes are printed,
	// they give the levels.
	indentCodedShare = 0.2
)

// atLeast reports n >= share*total, and atMost n <= share*total, exactly
// for the shares above (a float's rounding never flips an equality).
func atLeast(n, total int, share float64) bool {
	return float64(n) >= share*float64(total)-1e-9
}

func atMost(n, total int, share float64) bool { return float64(n) <= share*float64(total)+1e-9 }

var (
	codeHeaderWords   = []string{"编码", "代码", "科目代码", "科目编码", "编号"}
	lineNoHeaderWords = []string{"行次", "栏次", "序号"}
	// nameHeaderWords and amountHeaderWords tell an empty column's role
	// from its heading.
	nameHeaderWords   = []string{"项目", "名称", "科目"}
	amountHeaderWords = []string{"数", "额", "合计", "小计", "总计", "金"}
	// attributeHeaderWords name a text column that qualifies rows rather
	// than naming them: who holds a project, what type it is.
	attributeHeaderWords = []string{"单位名称", "项目单位", "实施单位", "预算单位", "主管部门", "类型", "性质", "备注", "说明"}
)

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// isProjectCode reports a project code: 16 or more characters of digits
// with at most a few capital letters (11000022T0000004 34658).
func isProjectCode(s string) bool {
	if len(s) < 16 {
		return false
	}
	letters := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r >= 'A' && r <= 'Z':
			letters++
		default:
			return false
		}
	}
	return letters <= 3
}

// isCodeText reports a cell that reads as a code, or a segment of one:
// two to seven digits (or a long project code) without thousands
// separators, not all zeros. A lone 0 is an amount.
func isCodeText(c Cell) bool {
	if isProjectCode(c.Text) {
		return true
	}
	n := len(c.Text)
	return isDigits(c.Text) && (n >= 2 && n <= 7 || n > 15) && strings.Trim(c.Text, "0") != "" && !strings.ContainsAny(c.Raw, ",，")
}

// columnRoles classifies each column by its header and what most of its
// body cells hold.
func columnRoles(t *Table) []columnRole {
	n := len(t.Columns)
	total, amounts, codes := make([]int, n), make([]int, n), make([]int, n)
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			total[c.Column]++
			switch {
			case isCodeText(c):
				codes[c.Column]++
			case c.Amount != nil || c.Err != nil:
				amounts[c.Column]++
			}
		}
	}
	roles := make([]columnRole, n)
	// The first column of text and the first column of amounts: codes
	// without a heading that says so stand before both (a column of small
	// integers after the amounts is amounts).
	firstText, firstAmount := n, n
	for i := n - 1; i >= 0; i-- {
		if total[i] > 0 && codes[i]+amounts[i] < total[i]/2+1 {
			firstText = i
		}
		if total[i] > 0 && atLeast(amounts[i], total[i], roleShare) {
			firstAmount = i
		}
	}
	for i := 0; i < n; i++ {
		col := t.Columns[i]
		switch {
		case pathHas(col, lineNoHeaderWords):
			roles[i] = roleLineNo // line numbers, not amounts
		case total[i] == 0 && namesItems(col) && !pathHas(col, amountHeaderWords):
			roles[i] = roleText // an empty column of names (an empty table)
		case total[i] == 0:
			roles[i] = roleAmount // an empty column is a value column
		case segmentOf(col) != 0 && atLeast(codes[i], total[i], roleShare):
			roles[i] = roleSegment
		case atLeast(codes[i], total[i], roleShare) && (i < firstText || pathIsSegment(col)) && i < firstAmount,
			atLeast(codes[i], total[i], headedRoleShare) && pathHas(col, codeHeaderWords):
			roles[i] = roleCode
		case atLeast(codes[i]+amounts[i], total[i], roleShare):
			roles[i] = roleAmount
		}
	}
	return roles
}

func pathHas(c Column, words []string) bool {
	for _, p := range c.Path {
		for _, w := range words {
			if strings.Contains(p, w) {
				return true
			}
		}
	}
	return false
}

// namesItems reports a heading of names (项目, 科目名称): its words name
// items, where 项目支出 (spending on projects) heads amounts.
func namesItems(c Column) bool {
	for _, p := range c.Path {
		p = strings.ReplaceAll(p, "项目支出", "")
		for _, w := range nameHeaderWords {
			if strings.Contains(p, w) {
				return true
			}
		}
	}
	return false
}

// pathIsSegment reports a 类/款/项 column.
func pathIsSegment(c Column) bool { return segmentOf(c) != 0 }

// segmentOf returns 1, 2 or 3 for a 类, 款 or 项 column, 0 otherwise.
func segmentOf(c Column) int {
	if n := len(c.Path); n > 0 {
		switch c.Path[n-1] {
		case "类":
			return 1
		case "款":
			return 2
		case "项":
			return 3
		}
	}
	return 0
}

// block is a run of columns printed side by side with others: its key
// columns, then its own amount columns.
type block struct {
	side Side
	cols []int // the block's columns, left to right (key columns first)
}

// blocksOf splits a table's columns into blocks: a key column (text, code
// or segment) that follows an amount column starts a new block when
// amount columns follow it in turn. Line-number columns belong to the
// block they sit in. A table with one block has no sides.
func blocksOf(t *Table, roles []columnRole) []block {
	var out []block
	var cur block
	seenAmount := false
	isKey := func(r columnRole) bool { return r == roleText || r == roleCode || r == roleSegment }
	for i, r := range roles {
		if isKey(r) && seenAmount && amountsAfter(roles, i) && !t.Kind.Forms() {
			out = append(out, cur)
			cur, seenAmount = block{}, false
		}
		if r == roleAmount {
			seenAmount = true
		}
		cur.cols = append(cur.cols, i)
	}
	out = append(out, cur)
	// A boundary stands where the blocks are blocks to a reader: each has
	// a heading of its own over all its columns (收入 | 支出, 人员经费 |
	// 公用经费), or the new block repeats the amount headings of the one
	// before (科目代码 科目名称 决算数, three times). Else a count among a
	// row's attributes (数量) does not end the row.
	merged := out[:1]
	for _, b := range out[1:] {
		prev := &merged[len(merged)-1]
		if blockBoundary(t, roles, *prev, b) {
			merged = append(merged, b)
			continue
		}
		prev.cols = append(prev.cols, b.cols...)
	}
	out = merged
	if len(out) < 2 {
		return out
	}
	// Sides: the blocks' top headings say 收入 and 支出.
	var in, ex bool
	for k := range out {
		out[k].side = blockSide(t, out[k])
		in = in || out[k].side == SideIncome
		ex = ex || out[k].side == SideExpenditure
	}
	if !in || !ex {
		for k := range out {
			out[k].side = SideNone
		}
	}
	return out
}

// blockBoundary reports whether block b stands beside block a as a block
// of its own.
func blockBoundary(t *Table, roles []columnRole, a, b block) bool {
	pa, pb := commonPrefix(t, a.cols), commonPrefix(t, b.cols)
	if len(pa) > 0 && len(pb) > 0 && !slices.Equal(pa, pb) {
		return true
	}
	leaves := func(bl block) []string {
		var out []string
		for _, c := range bl.cols {
			if p := t.Columns[c].Path; roles[c] == roleAmount && len(p) > 0 {
				out = append(out, p[len(p)-1])
			}
		}
		return out
	}
	la, lb := leaves(a), leaves(b)
	return len(la) > 0 && len(lb) > 0 && la[0] == lb[0]
}

// commonPrefix is the path prefix all the columns share (line-number
// columns aside).
func commonPrefix(t *Table, cols []int) []string {
	var p []string
	first := true
	for _, c := range cols {
		path := t.Columns[c].Path
		if pathHas(t.Columns[c], lineNoHeaderWords) {
			continue
		}
		if first {
			p, first = slices.Clone(path[:max(0, len(path)-1)]), false
			continue
		}
		n := 0
		for n < len(p) && n < len(path)-1 && p[n] == path[n] {
			n++
		}
		p = p[:n]
	}
	return p
}

// amountsAfter reports an amount column to the right of column i.
func amountsAfter(roles []columnRole, i int) bool {
	for _, r := range roles[i+1:] {
		if r == roleAmount {
			return true
		}
	}
	return false
}

// blockSide reads a block's side from the top heading of its columns: a
// heading that names 收入 (收入, 本年收入, 财政拨款收入) or 支出.
func blockSide(t *Table, b block) Side {
	var side Side
	for _, i := range b.cols {
		p := t.Columns[i].Path
		if len(p) < 2 {
			continue
		}
		var s Side
		switch top := p[0]; {
		case strings.Contains(top, "收入") && !strings.Contains(top, "支出"):
			s = SideIncome
		case strings.Contains(top, "支出") && !strings.Contains(top, "收入"):
			s = SideExpenditure
		default:
			continue
		}
		if side != SideNone && side != s {
			return SideNone
		}
		side = s
	}
	return side
}

// labelRows fills each row's side, codes, labels and level.
func labelRows(t *Table, s *Settings) {
	roles := t.roles()
	// A code is not an amount, whatever digits it has.
	for i := range t.Rows {
		for k := range t.Rows[i].Cells {
			if c := &t.Rows[i].Cells[k]; roles[c.Column] == roleCode || roles[c.Column] == roleSegment || roles[c.Column] == roleLineNo {
				c.Amount, c.Err = nil, nil
			}
		}
	}
	blocks := blocksOf(t, roles)
	if len(blocks) > 1 {
		t.Rows = splitBlocks(t, blocks)
	}
	keyers := make([]*keyer, len(blocks))
	for k, b := range blocks {
		keyers[k] = newKeyer(t, roles, b)
	}
	blockOf := make([]int, len(t.Columns))
	for k, b := range blocks {
		for _, c := range b.cols {
			blockOf[c] = k
		}
	}
	for i := range t.Rows {
		r := &t.Rows[i]
		k := 0
		if len(r.Cells) > 0 {
			k = blockOf[r.Cells[0].Column]
		}
		keyers[k].key(r)
		// Nor is a code printed alone in a text column (an agency's
		// 307001 under 类型), once it keys its row.
		for j := range r.Cells {
			if c := &r.Cells[j]; roles[c.Column] == roleText && c.Amount != nil && (c.Text == r.Code || c.Text == r.Code2) {
				c.Amount, c.Err = nil, nil
			}
		}
	}
	levelsFromIndent(t, s)
}

// splitBlocks gives each block of a printed row a row of its own. A block
// with amounts but no key of its own takes the label of the block before
// it on the same printed row when that one has a key but no amounts (a
// label cell merged across both blocks' name columns: 公用经费合计).
func splitBlocks(t *Table, blocks []block) []Row {
	blockOf := make([]int, len(t.Columns))
	for k, b := range blocks {
		for _, c := range b.cols {
			blockOf[c] = k
		}
	}
	roles := t.roles()
	var rows []Row
	for _, r := range t.Rows {
		parts := make([]Row, len(blocks))
		for _, c := range r.Cells {
			k := blockOf[c.Column]
			parts[k].Cells = append(parts[k].Cells, c)
		}
		for k := 1; k < len(parts); k++ {
			if hasKey(parts[k], roles) || !hasAmount(parts[k]) || !hasKey(parts[k-1], roles) || hasAmount(parts[k-1]) {
				continue
			}
			parts[k].Cells = append(parts[k-1].Cells, parts[k].Cells...)
			parts[k-1].Cells = nil
		}
		for k, p := range parts {
			if len(p.Cells) == 0 {
				continue
			}
			p.Index, p.Side = r.Index, blocks[k].side
			rows = append(rows, p)
		}
	}
	return rows
}

func hasAmount(r Row) bool {
	return slices.ContainsFunc(r.Cells, func(c Cell) bool { return c.Amount != nil })
}

func hasKey(r Row, roles []columnRole) bool {
	return slices.ContainsFunc(r.Cells, func(c Cell) bool { return roles[c.Column] != roleAmount && roles[c.Column] != roleLineNo })
}

// codeSource is where a block's rows get a code: a run of segment columns
// (类, 款, 项 of one classification), a full-code column, or a text column
// whose cells print a code with its name.
type codeSource struct {
	cols   []int     // segment columns of a run, or the one code/text column
	levels []int     // 1, 2, 3 for each segment column
	named  bool      // a text column of code-name cells
	name   int       // the text column that names this source's codes, -1 if none
	last   [3]string // the segments last printed, for segments left blank
}

// keyer reads the keys of one block's rows, top to bottom.
type keyer struct {
	t         *Table
	roles     []columnRole
	sources   []*codeSource
	texts     []int        // the block's text columns, left to right
	attribute map[int]bool // text columns that name an attribute of the row
	nest      map[int]int  // text column -> its group of nested name columns, -1 if none
	lastCode  string
}

func newKeyer(t *Table, roles []columnRole, b block) *keyer {
	k := &keyer{t: t, roles: roles}
	var texts []int
	for i, c := range b.cols {
		switch roles[c] {
		case roleSegment:
			lv := segmentOf(t.Columns[c])
			// A 类 after a 款 or 项, or a segment under another heading,
			// starts the next classification's code.
			if n := len(k.sources); n > 0 && i > 0 && roles[b.cols[i-1]] == roleSegment {
				s := k.sources[n-1]
				if lv > s.levels[len(s.levels)-1] && sameParent(t.Columns[s.cols[0]], t.Columns[c]) {
					s.cols, s.levels = append(s.cols, c), append(s.levels, lv)
					continue
				}
			}
			k.sources = append(k.sources, &codeSource{cols: []int{c}, levels: []int{lv}, name: -1})
		case roleCode:
			k.sources = append(k.sources, &codeSource{cols: []int{c}, name: -1})
		case roleText:
			texts = append(texts, c)
		}
	}
	pairNames(t, k.sources, texts)
	// Text columns whose cells print codes with their names.
	for _, c := range texts {
		if !slices.ContainsFunc(k.sources, func(s *codeSource) bool { return s.name == c }) && codeNameColumn(t, c) {
			k.sources = append(k.sources, &codeSource{cols: []int{c}, named: true, name: c})
		}
	}
	k.texts = texts
	k.attribute, k.nest = nameColumns(t, texts)
	return k
}

// pairNames gives each code source the text column that names its codes:
// first by heading (功能分类编码 with 功能分类名称, 经济分类编码 with
// 政府经济科目: the longest stretch of words the two headings share, two
// characters at least, beyond 编码, 代码, 名称, 科目), then the first free
// text column after the source.
func pairNames(t *Table, sources []*codeSource, texts []int) {
	taken := make(map[int]bool)
	type pair struct{ s, col, score int }
	var pairs []pair
	for si, s := range sources {
		head := codeHeading(t.Columns[s.cols[0]])
		for _, c := range texts {
			if n := commonRun(head, nameHeading(t.Columns[c])); n >= 2 {
				pairs = append(pairs, pair{si, c, n})
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return b.score - a.score })
	for _, p := range pairs {
		if sources[p.s].name < 0 && !taken[p.col] {
			sources[p.s].name, taken[p.col] = p.col, true
		}
	}
	for _, s := range sources {
		if s.name >= 0 {
			continue
		}
		end := s.cols[len(s.cols)-1]
		for _, c := range texts {
			if c > end && !taken[c] {
				s.name, taken[c] = c, true
				break
			}
		}
	}
}

// codeHeading is what a code column's heading says the codes are: its
// path without the words that only say "code" (a segment column's parent
// heading: 部门预算经济分类).
func codeHeading(c Column) string {
	p := c.Path
	if segmentOf(c) != 0 {
		p = p[:len(p)-1]
	}
	return codeWords.Replace(strings.Join(p, ""))
}

// codeWords and nameWords are the words of a heading that only say
// "code" or "name"; brackets drops the round brackets.
var (
	codeWords = strings.NewReplacer("编码", "", "代码", "", "科目", "", "编号", "")
	nameWords = strings.NewReplacer("名称", "", "科目", "")
	brackets  = strings.NewReplacer("(", "", ")", "")
)

// nameHeading is what a text column's heading says the names are.
func nameHeading(c Column) string {
	return nameWords.Replace(strings.Join(c.Path, ""))
}

// commonRun is the length, in characters, of the longest run two strings
// share.
func commonRun(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	best := 0
	for i := range ra {
		for j := range rb {
			n := 0
			for i+n < len(ra) && j+n < len(rb) && ra[i+n] == rb[j+n] {
				n++
			}
			best = max(best, n)
		}
	}
	return best
}

// sameParent reports two columns under the same heading (or both under
// none).
func sameParent(a, b Column) bool {
	pa, pb := a.Path[:len(a.Path)-1], b.Path[:len(b.Path)-1]
	return slices.Equal(pa, pb)
}

// codeNameColumn reports a text column most of whose cells (totals aside)
// print a code with the name: [30101]基本工资, 50101-工资奖金津补贴.
func codeNameColumn(t *Table, col int) bool {
	n, coded := 0, 0
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			if c.Column != col || isTotalLabel(c.Text) {
				continue
			}
			n++
			if _, _, _, _, ok := ParseCode(c.Text); ok {
				coded++
			}
		}
	}
	return n > 0 && coded*2 >= n
}

// nameColumns marks, among a block's text columns, those whose header
// names an attribute of the row rather than the row (a holder: 单位名称,
// 项目单位; a type: 类型), and groups the nested ones: consecutive columns
// under one heading (项目名称/一级项目, 项目名称/二级项目) are levels of one
// name. nest[i] is the index of column texts[i]'s group of nested columns
// (-1 when it is not nested).
func nameColumns(t *Table, texts []int) (attribute map[int]bool, nest map[int]int) {
	attribute, nest = make(map[int]bool), make(map[int]int)
	for i, col := range texts {
		c := t.Columns[col]
		attribute[col] = pathHas(c, attributeHeaderWords) && !pathHas(c, []string{"项目名称", "科目名称"})
		nest[col] = -1
		if i > 0 && len(c.Path) > 1 {
			prev := t.Columns[texts[i-1]]
			if texts[i-1] == col-1 && len(prev.Path) > 1 && prev.Path[0] == c.Path[0] {
				if nest[texts[i-1]] < 0 {
					nest[texts[i-1]] = texts[i-1]
				}
				nest[col] = nest[texts[i-1]]
			}
		}
	}
	return attribute, nest
}

// isTotalLabel reports a total's label: 合计, 总计, 小计, 本年收入合计.
func isTotalLabel(s string) bool {
	return isTotalName(s) || strings.HasSuffix(s, "总计") || strings.HasSuffix(s, "小计")
}

// key fills one row's codes, labels and level.
func (k *keyer) key(r *Row) {
	codes := k.codes(r)
	// The row's code is its function or 部门 economic code before others;
	// the second is another classification's (the 政府 economic code)
	// before an agency's or a project's.
	if len(codes) > 0 {
		slices.SortStableFunc(codes, func(a, b foundCode) int { return primaryRank[a.kind] - primaryRank[b.kind] })
		r.Code, r.Label, r.CodeKind = codes[0].code, codes[0].name, codes[0].kind
		k.lastCode = r.Code
		rest := codes[1:]
		slices.SortStableFunc(rest, func(a, b foundCode) int { return secondaryRank[a.kind] - secondaryRank[b.kind] })
		if len(rest) > 0 {
			r.Code2, r.Label2, r.Code2Kind = rest[0].code, rest[0].name, rest[0].kind
		}
	}
	if r.Code == "" {
		// A code alone in a text column (an agency row's 307001 in the
		// 类型 column): the row's code, not its name.
		for _, c := range r.Cells {
			if slices.Contains(k.texts, c.Column) && isCodeText(c) && ClassifyCode(c.Text) != CodeUnknown {
				r.Code, r.Label, r.CodeKind = c.Text, "", ClassifyCode(c.Text)
				break
			}
		}
	}
	if r.Label == "" {
		r.Label = k.label(r)
		if r.Code == "" {
			// A code printed with the name in a column not read as
			// code-name cells: 2010501-行政运行 here and there.
			if c, _, rest, ok := ParseFunctionCode(r.Label); ok {
				r.Code, r.Label, r.CodeKind = c, rest, CodeFunction
				k.lastCode = c
			}
		}
	}
	if isClassification(r.Code) {
		r.Level = (len(r.Code) - 1) / 2
	}
}

// headsAgencyCodes reports a column headed as agency codes: 单位代码,
// 部门(单位)编码, 预算单位编码.
func headsAgencyCodes(c Column) bool {
	p := brackets.Replace(strings.Join(c.Path, ""))
	for _, w := range []string{"单位代码", "单位编码", "部门代码", "部门编码"} {
		if strings.Contains(p, w) {
			return true
		}
	}
	return false
}

// foundCode is a code a row prints, with the name that belongs to it.
type foundCode struct {
	code, name string
	kind       CodeKind
}

// codes reads the codes of a row from the block's code sources; a code
// printed as a 2-digit segment alone, under its parent's row, is completed
// from the code above.
func (k *keyer) codes(r *Row) []foundCode {
	text := func(col int) string {
		for _, c := range r.Cells {
			if c.Column == col {
				return c.Text
			}
		}
		return ""
	}
	var codes []foundCode
	for _, s := range k.sources {
		var code, name string
		switch {
		case s.named:
			c, _, _, rest, ok := ParseCode(text(s.name))
			if !ok {
				continue
			}
			code, name = c, rest
		case len(s.levels) > 0:
			code = s.segments(text)
		default:
			code = text(s.cols[0])
			if !isDigits(code) && !isProjectCode(code) {
				continue // 合计 written in the code column
			}
		}
		if code == "" {
			continue
		}
		if !s.named && s.name >= 0 {
			name = text(s.name)
		}
		kind := ClassifyCode(code)
		if !s.named && len(s.levels) == 0 && headsAgencyCodes(k.t.Columns[s.cols[0]]) {
			kind = CodeAgency // 单位代码 305: an agency, whatever its digits say
		}
		codes = append(codes, foundCode{code, name, kind})
	}
	if len(codes) == 1 && len(codes[0].code) == 2 {
		switch len(k.lastCode) {
		case 3, 5:
			codes[0].code = k.lastCode + codes[0].code
		case 7:
			codes[0].code = k.lastCode[:5] + codes[0].code
		}
		codes[0].kind = ClassifyCode(codes[0].code)
	}
	return codes
}

// primaryRank and secondaryRank order the classifications of a row's
// codes: which is its code, which its second code.
var (
	primaryRank   = map[CodeKind]int{CodeFunction: 0, CodeEconomicDept: 1, CodeEconomicGov: 2, CodeAgency: 3, CodeProject: 4, CodeUnknown: 5}
	secondaryRank = map[CodeKind]int{CodeEconomicGov: 0, CodeEconomicDept: 1, CodeFunction: 2, CodeAgency: 3, CodeProject: 4, CodeUnknown: 5}
)

// label names a row without a code: the first text the row prints in its
// block's text columns, passing over attributes (单位名称, 类型) and cells
// merged over several rows (a group: 一般公共预算资金 over its 小计 and
// parts) while anything else is printed; of nested name columns, the
// innermost printed.
func (k *keyer) label(r *Row) string {
	// Preferred: text cells that are neither attributes nor merged groups;
	// failing those, any text cell.
	pick := func(pref bool) (Cell, bool) {
		var first Cell
		found := false
		for _, c := range r.Cells {
			if !slices.Contains(k.texts, c.Column) || c.Text == r.Code {
				continue
			}
			if pref && (k.attribute[c.Column] || c.rowSpan > 1) {
				continue
			}
			if !found {
				first, found = c, true
				continue
			}
			// Of nested name columns, the innermost printed.
			if g := k.nest[first.Column]; g >= 0 && k.nest[c.Column] == g {
				first = c
			}
		}
		return first, found
	}
	if c, ok := pick(true); ok {
		return c.Text
	}
	if c, ok := pick(false); ok {
		return c.Text
	}
	// A label written across the code columns: 人员经费合计.
	for _, c := range r.Cells {
		if role := k.roles[c.Column]; (role == roleCode || role == roleSegment) && !isCodeText(c) {
			return c.Text
		}
	}
	return ""
}

// segments assembles a run's code on one row: a blank higher segment is
// the one printed above it (208 / 05 / 01 printed as segments, 05 and 01
// alone on the rows below), and the code ends at the deepest segment the
// row prints; no segment printed, no code. A code longer than a segment in
// a segment column (a 6-digit agency code in the 类 column) is the code
// itself.
func (s *codeSource) segments(text func(int) string) string {
	var segs [3]string
	high, deep := 3, -1
	for i, c := range s.cols {
		v := text(c)
		if v == "" {
			continue
		}
		if !isDigits(v) && !isProjectCode(v) {
			return "" // 合计 written across the segment columns
		}
		lv := s.levels[i] - 1
		if len(v) > 3 && lv == 0 || len(v) > 2 && lv > 0 {
			return v // a whole code in a segment column: an agency, a project
		}
		segs[lv] = v
		high, deep = min(high, lv), max(deep, lv)
	}
	if deep < 0 {
		return ""
	}
	for i := high; i < 3; i++ {
		s.last[i] = segs[i]
	}
	return strings.Join(s.last[:deep+1], "")
}

// levelsFromIndent gives rows without a code the level of their label's
// indentation, where labels are indented at all and codes do not give the
// hierarchy. Each label column ranks on its own (the two sides of a
// 收支总表). Totals (centred) and forms (indentation is layout) get none.
func levelsFromIndent(t *Table, s *Settings) {
	coded := 0
	for _, r := range t.Rows {
		if r.Code != "" {
			coded++
		}
	}
	if !atMost(coded, len(t.Rows), indentCodedShare) || t.Kind.Forms() {
		return
	}
	type at struct{ column, index int }
	indents := make(map[int][]float64)
	where := make([]at, len(t.Rows))
	for i, r := range t.Rows {
		where[i] = at{-1, 0}
		if r.Label == "" || isTotalName(r.Label) || strings.HasSuffix(r.Label, "总计") {
			continue
		}
		for _, c := range r.Cells {
			if c.Text == r.Label || strings.HasSuffix(c.Text, r.Label) {
				where[i] = at{c.Column, len(indents[c.Column])}
				indents[c.Column] = append(indents[c.Column], c.X0)
				break
			}
		}
	}
	levels := make(map[int][]int, len(indents))
	for col, xs := range indents {
		levels[col] = indentLevels(xs, s)
	}
	for i := range t.Rows {
		w := where[i]
		if lv := levels[w.column]; w.column >= 0 && lv != nil && t.Rows[i].Level == 0 {
			t.Rows[i].Level = lv[w.index]
		}
	}
}

// indentLevels ranks left edges into levels 1, 2, ... (IndentStep); nil if
// every label starts at the same place or the edges make more than
// MaxIndentLevels.
func indentLevels(xs []float64, s *Settings) []int {
	var distinct []float64
	for _, x := range xs {
		r := math.Round(x/s.IndentStep) * s.IndentStep
		if !slices.Contains(distinct, r) {
			distinct = append(distinct, r)
		}
	}
	if len(distinct) < 2 || len(distinct) > s.MaxIndentLevels {
		return nil
	}
	slices.Sort(distinct)
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = slices.Index(distinct, math.Round(x/2)*2) + 1
	}
	return out
}
