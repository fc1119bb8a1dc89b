package normalize

import (
	"regexp"
	"strconv"
	"strings"
)

// This file reads the title block of a table (the lines above it, and rows
// at the top of its grid that hold a title or statements): its number
// label, title, agency, unit and fiscal year; and names the table's kind
// from the title's words (never from its number: numbering differs between
// regions).

var (
	// labelRE matches printed table numbers: 预算03表, 预算表12, 公开表一,
	// 公开01表, 表一, 表1-3, 附表1, 表11, 1.4 (alone on its line).
	labelRE = regexp.MustCompile(`^(?:(?:预算|决算|公开|部门|单位)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})表(?:[-－]\d{1,2})?|(?:附|预算|决算|公开)?表\s*(?:\d{1,2}(?:[-－.]\d{1,2})?|[一二三四五六七八九十]{1,3})|\d{1,2}\.\d{1,2})$`)
	// labelPrefixRE finds a label at the start of a title line, set apart
	// by a space or a colon, or run into the title when the label ends in
	// 表 (预算02表收入总表).
	labelPrefixRE = regexp.MustCompile(`^((?:预算|决算|公开)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})表|(?:附|预算|决算|公开)?表\s*\d{1,2}(?:[-－]\d{1,2})?)(?:\s+|\s*[:：]\s*)(\S.*)$`)
	gluedLabelRE  = regexp.MustCompile(`^((?:预算|决算|公开)?\d{1,2}表)(\D.*)$`)
	// labelSuffixRE finds a label in brackets after a title: 收支总表（预算表 1）.
	labelSuffixRE = regexp.MustCompile(`^(.+?)\s*[(（]\s*((?:预算|决算|公开)?表\s*\d{1,2}|(?:预算|决算|公开)?\d{1,2}表)\s*[)）]$`)
	unitRE        = regexp.MustCompile(`单位\s*[:：]\s*(万元|元|亿元|千元)`)
	agencyRE      = regexp.MustCompile(`^(?:.*?\s)?(?:单位名称|部门名称|部门（单位）|部门\(单位\)|部门|编制单位|编制部门|预算单位|填报单位|单位)\s*[:：]\s*(\S.*?)\s*(?:(?:金额)?单位\s*[:：].*)?$`)
	// agencyCodeRE matches an agency printed with its number alone on a
	// line of the title block: 606-湖州市交通运输局.
	agencyCodeRE = regexp.MustCompile(`^\d{3,6}\s*[-－]\s*(\S+)$`)
	yearRE       = regexp.MustCompile(`(20\d\d)\s*年`)
	bracketsRE   = regexp.MustCompile(`[(（][^()（）]*[)）]`)
)

// titleKeywords mark a line as a table title.
var titleKeywords = []string{"预算表", "决算表", "总表", "明细表", "情况表", "汇总表", "目标表", "经费表", "支出表", "收入表", "预算", "决算", "表"}

// titleBlock is what the lines above a table say.
type titleBlock struct {
	code, title, agency, unit string
	year                      int
}

// columnGapText is how Lines writes a column gap: a line's text splits
// there into the fields printed side by side (部门：… and 单位：万元).
const columnGapText = "    "

// parseTitleBlock reads the lines of a title block, top to bottom. The
// title is the title line nearest the table: title-like lines above it
// (第二部分 2026年部门预算表, the set's heading) are section headings. A
// title wrapped over two lines is joined; a number label before it, after
// it in brackets, or on a line of its own is the code.
func parseTitleBlock(lines []TextLine, s *Settings) titleBlock {
	var tb titleBlock
	titleAt := -1
	for i, l := range lines {
		for _, field := range fields(l.Text) {
			f := strings.TrimSpace(NormalizeText(field))
			if f == "" {
				continue
			}
			compact := squashSpaces(f)
			if strings.Contains(compact, "单位") && strings.ContainsAny(compact, ":：") {
				if m := unitRE.FindStringSubmatch(compact); m != nil {
					tb.unit = m[1]
				}
			}
			if strings.ContainsAny(compact, ":：") {
				if m := agencyRE.FindStringSubmatch(f); m != nil {
					if a := squashSpaces(m[1]); !strings.HasPrefix(a, "万元") && a != "元" && !unitRE.MatchString("单位:"+a) {
						tb.agency = strings.TrimSuffix(a, "金额")
					}
					continue
				}
			}
			if m := matchIfDigit(agencyCodeRE, compact); m != nil && agencySuffixRE.MatchString(m[1]) {
				tb.agency = m[1]
				continue
			}
			if tb.unit != "" && len([]rune(compact)) <= 12 && strings.Contains(compact, "单位") {
				continue // a field that only states the unit
			}
			if (strings.Contains(compact, "表") || strings.Contains(compact, ".")) && labelRE.MatchString(compact) {
				tb.code = compact
				continue
			}
			if !strings.Contains(compact, "表") {
				if strings.HasPrefix(compact, "(") && titleAt == i-1 && !isStatement(compact) && tb.title != "" {
					tb.title += compact // the title's second line: (按经济分类科目)
					titleAt = i
				}
				continue // every title names a 表
			}
			title, code := splitLabel(f)
			if !isTitle(title) {
				continue
			}
			if code != "" {
				tb.code = code
			}
			if i > 0 && titleAt != i-1 {
				title = wrappedTitle(lines[i-1], l, title, s)
			}
			tb.title, titleAt = title, i
		}
	}
	if m := yearRE.FindStringSubmatch(tb.title); m != nil {
		tb.year, _ = strconv.Atoi(m[1])
	}
	if tb.year == 0 {
		for _, l := range lines {
			t := squashSpaces(NormalizeText(l.Text))
			if m := yearRE.FindStringSubmatch(t); m != nil && (isStatement(t) || strings.Contains(t, "年度")) {
				tb.year, _ = strconv.Atoi(m[1])
				break
			}
		}
	}
	return tb
}

// matchIfDigit is re.FindStringSubmatch(s) for a pattern that starts with
// a digit, without running it on text that does not.
func matchIfDigit(re *regexp.Regexp, s string) []string {
	if s == "" || !isDigit(s[0]) {
		return nil
	}
	return re.FindStringSubmatch(s)
}

// fields splits a title-block line at its column gaps into the fields
// printed side by side; a label whose value stands after a gap
// (部门：    江苏省人大常委会办公厅) keeps its value.
func fields(line string) []string {
	fs := strings.Split(line, columnGapText)
	out := fs[:0]
	for i := 0; i < len(fs); i++ {
		f := strings.TrimSpace(fs[i])
		if (strings.HasSuffix(f, ":") || strings.HasSuffix(f, "：")) && i+1 < len(fs) && strings.TrimSpace(fs[i+1]) != "" {
			f += strings.TrimSpace(fs[i+1])
			i++
		}
		out = append(out, f)
	}
	return out
}

// splitLabel takes a number label off a title: before it (预算03表 部门支出
// 总表, 预算02表收入总表) or after it in brackets (收支总表（预算表 1）).
func splitLabel(f string) (title, code string) {
	if m := labelPrefixRE.FindStringSubmatch(f); m != nil && isTitle(squashSpaces(m[2])) {
		return squashSpaces(m[2]), squashSpaces(m[1])
	}
	compact := squashSpaces(f)
	if m := gluedLabelRE.FindStringSubmatch(compact); m != nil && isTitle(m[2]) {
		return m[2], m[1]
	}
	if m := labelSuffixRE.FindStringSubmatch(compact); m != nil && isTitle(m[1]) {
		return m[1], m[2]
	}
	return compact, ""
}

// wrappedTitle joins a title's first line to it: the line right above, set
// in the same size and centred on the same axis, that is no title, label,
// statement or numbered heading of its own.
func wrappedTitle(above, line TextLine, title string, s *Settings) string {
	a, b := above.Box(), line.Box()
	h := max(a.Height(), b.Height())
	first := squashSpaces(NormalizeText(above.Text))
	switch {
	case first == "" || strings.Contains(above.Text, columnGapText):
		return title
	case b.Y0-a.Y1 > s.TitleWrapGap*h || a.Height() < s.TitleSizeMatch*b.Height() || b.Height() < s.TitleSizeMatch*a.Height():
		return title
	case absf(a.CX()-b.CX()) > s.TitleCentre*h:
		return title
	case isStatement(first) || labelRE.MatchString(first) || isEnumerated(first) || strings.HasPrefix(first, "第") || strings.Contains(first, "表"):
		return title
	}
	return first + title
}

func absf(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// isTitle reports whether a line reads as a table title: it names a table
// and is not a sentence of prose.
func isTitle(s string) bool {
	if len([]rune(s)) > 60 || len([]rune(s)) < 4 || strings.ContainsAny(s, "。；，,") || !strings.Contains(s, "表") {
		return false
	}
	if i := strings.Index(s, "、"); i > 0 && strings.Trim(s[:i], "一二三四五六七八九十百0123456789()（） ") == "" {
		return false // an enumerated item: 二十三、... (not 白内障、血友病…表)
	}
	// A heading of the narrative that names a table is not one: (四)财政
	// 拨款收支预算情况的总体说明(详见表4).
	for _, w := range []string{"详见", "见表", "说明"} {
		if strings.Contains(s, w) {
			return false
		}
	}
	for _, k := range titleKeywords {
		if strings.HasSuffix(s, k) || strings.Contains(s, k+"(") || strings.Contains(s, k+"（") {
			return true
		}
	}
	return strings.Contains(s, "预算") || strings.Contains(s, "决算") || strings.Contains(s, "经费")
}

// doubleQuotes drops the double quotation marks of a title.
var doubleQuotes = strings.NewReplacer("\"", "", "“", "", "”", "")

// kindOf names a table's kind from its title. The phase (预算 or 决算) is
// not part of the kind: see phaseOf.
func kindOf(title string) Kind {
	t := doubleQuotes.Replace(title)
	// A qualifier in brackets says what the table leaves out or how it
	// is cut (不含上年结转, 按功能分类), not what it is.
	t = bracketsRE.ReplaceAllString(t, "")
	switch {
	case strings.Contains(t, "绩效"):
		return KindPerformance
	case strings.Contains(t, "三公"):
		return KindThreePublic
	case strings.Contains(t, "机关运行经费"):
		return KindOperating
	case strings.Contains(t, "政府购买服务"):
		return KindPurchase
	case strings.Contains(t, "政府采购"):
		return KindProcurement
	case strings.Contains(t, "上年结转") || strings.Contains(t, "结转资金"):
		return KindCarryover
	case strings.Contains(t, "政府性基金"):
		return KindGovFund
	case strings.Contains(t, "国有资本经营"):
		return KindStateCapital
	case strings.Contains(t, "项目支出"):
		return KindProject
	case strings.Contains(t, "基本支出"):
		return KindGeneralBasic
	case strings.Contains(t, "经济分类"):
		return KindEconomic
	case strings.Contains(t, "财政拨款收支") || strings.Contains(t, "财政拨款收入支出"):
		return KindFiscalSummary
	case strings.Contains(t, "一般公共预算"):
		return KindGeneralPublic
	case strings.Contains(t, "收支") || strings.Contains(t, "收入支出"):
		return KindSummary
	case strings.Contains(t, "收入"):
		return KindIncome
	case strings.Contains(t, "支出"):
		return KindExpenditure
	}
	return KindOther
}
