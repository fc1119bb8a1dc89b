package normalize

import (
	"regexp"
	"strconv"
	"strings"
)

// This file reads the title block above a table: its number label, title,
// agency, unit and fiscal year, and names the table's kind from the title's
// keywords (never from its number: numbering differs between regions).

var (
	// labelRE matches printed table numbers: 预算03表, 预算表12, 公开表一,
	// 公开01表, 表一, 表1-3, 附表1, 表11, 1.4 (alone on its line).
	labelRE = regexp.MustCompile(`^(?:(?:预算|决算|公开|部门|单位)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})表(?:[-－]\d{1,2})?|(?:附|预算|决算|公开)?表\s*(?:\d{1,2}(?:[-－.]\d{1,2})?|[一二三四五六七八九十]{1,3})|\d{1,2}\.\d{1,2})$`)
	// labelPrefixRE finds a label at the start of a title line.
	labelPrefixRE = regexp.MustCompile(`^((?:预算|决算|公开)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})表|(?:附|预算|决算|公开)?表\s*\d{1,2}(?:[-－]\d{1,2})?)(?:\s+|\s*[:：]\s*)(\S.*)$`)
	unitRE        = regexp.MustCompile(`单位\s*[:：]\s*(万元|元|亿元|千元)`)
	agencyRE      = regexp.MustCompile(`(?:单位名称|部门名称|部门|编制单位|预算单位|填报单位|单位)\s*[:：]\s*([^\s:：]+(?:\s+[^\s:：]+)*?)\s*(?:(?:金额)?单位\s*[:：]|$)`)
	yearRE        = regexp.MustCompile(`(20\d\d)\s*年`)
)

// titleKeywords mark a line as a table title.
var titleKeywords = []string{"预算表", "决算表", "总表", "明细表", "情况表", "汇总表", "目标表", "经费表", "支出表", "收入表", "预算", "决算", "表"}

// titleBlock is what the lines above a table say.
type titleBlock struct {
	code, title, agency, unit string
	year                      int
}

// parseTitleBlock reads the lines above a table, top to bottom.
func parseTitleBlock(lines []string) titleBlock {
	var tb titleBlock
	for _, raw := range lines {
		l := strings.TrimSpace(NormalizeText(raw))
		if l == "" {
			continue
		}
		compact := strings.ReplaceAll(l, " ", "")
		// Cheap tests first: the patterns need these characters.
		hasUnit := strings.Contains(compact, "单位")
		hasColon := strings.ContainsAny(compact, ":：")
		hasTable := strings.Contains(compact, "表")
		if hasUnit && hasColon {
			if m := unitRE.FindStringSubmatch(compact); m != nil {
				tb.unit = m[1]
			}
		}
		if hasColon {
			if m := agencyRE.FindStringSubmatch(l); m != nil && !strings.HasPrefix(m[1], "万元") && m[1] != "元" {
				tb.agency = strings.ReplaceAll(m[1], " ", "")
				continue
			}
		}
		if tb.unit != "" && len([]rune(compact)) <= 12 && hasUnit {
			continue // a line that only states the unit
		}
		if (hasTable || strings.Contains(compact, ".")) && labelRE.MatchString(compact) {
			tb.code = compact
			continue
		}
		if !hasTable {
			continue // every title names a 表
		}
		if m := labelPrefixRE.FindStringSubmatch(l); m != nil && isTitle(m[2]) {
			tb.code = strings.ReplaceAll(m[1], " ", "")
			l, compact = m[2], strings.ReplaceAll(m[2], " ", "")
		}
		if isTitle(compact) && tb.title == "" {
			tb.title = compact
			if m := yearRE.FindStringSubmatch(compact); m != nil {
				tb.year, _ = strconv.Atoi(m[1])
			}
		}
	}
	return tb
}

// isTitle reports whether a line reads as a table title: it names a table
// and is not a sentence of prose.
func isTitle(s string) bool {
	if len([]rune(s)) > 60 || len([]rune(s)) < 4 || strings.ContainsAny(s, "。；，,") || !strings.Contains(s, "表") {
		return false
	}
	if i := strings.Index(s, "、"); i > 0 && i <= 9 {
		return false // an enumerated item: 二十三、...
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

// kindOf names a table's kind from its title. The phase (预算 or 决算) is
// not part of the kind: see phaseOf.
func kindOf(title string) Kind {
	t := strings.ReplaceAll(title, "\"", "")
	t = strings.NewReplacer("“", "", "”", "").Replace(t)
	switch {
	case strings.Contains(t, "绩效"):
		return KindPerformance
	case strings.Contains(t, "三公"):
		return KindThreePublic
	case strings.Contains(t, "上年结转"):
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
