package normalize

import (
	"regexp"
	"slices"
	"strings"
)

// This file holds the words of performance tables: the headings of their
// columns and what each column holds, the names of the indicator levels,
// and the packed form some producers print all of a project's indicators
// in one cell.

// indRole is what a column of an indicator grid, or of a list of projects,
// holds.
type indRole uint8

const (
	roleNoIndicator indRole = iota
	indLevel1               // 一级指标: 产出指标, 效益指标, 满意度指标, 成本指标
	indLevel2               // 二级指标: 数量指标, 社会效益指标, ...
	indName                 // 三级指标, 指标名称, 指标内容
	indValue                // 指标值, 年度指标值, 目标值
	indPeriodValue          // 实施周期指标值: the value when no 年度 value is printed
	indComparator           // 指标性质: ≥, =, 定性
	indUnit                 // 度量单位, 计量单位
	indNote                 // 指标值说明, 指标解释, 备注
	indActual               // 实际完成值 (绩效自评)
	indWeight               // 分值, 权重
	indScore                // 得分
	indPacked               // 绩效指标 printed as one text of several indicators
	projCode                // 项目编码, 单位编码(项目编码)
	projAgencyCode          // 单位编码
	projName                // 项目名称, 单位(项目)名称
	projAgency              // 单位名称
	projAmount              // 资金总额, 项目总额, 金额
	projGoal                // 绩效目标, 年度绩效目标
	indRoleCount
)

// indicatorHeadings maps a column heading, normalized (see headingKey),
// to what its column holds. A heading is looked up whole, then without a
// closing bracketed note (指标权重(%), 年度资金总额(万元)).
var indicatorHeadings = map[string]indRole{
	"一级指标": indLevel1, "二级指标": indLevel2,
	"三级指标": indName, "指标名称": indName, "指标内容": indName, "绩效指标名称": indName, "具体指标": indName,
	"绩效指标": indName, "指标": indName,
	"指标值": indValue, "年度指标值": indValue, "本年绩效指标值": indValue, "本年指标值": indValue, "目标值": indValue,
	"年度目标值": indValue, "绩效指标值": indValue, "指标目标值": indValue, "预期目标值": indValue, "预期指标值": indValue,
	"实施周期指标值": indPeriodValue, "实施期指标值": indPeriodValue,
	"绩效指标性质": indComparator, "指标性质": indComparator, "指标值类型": indComparator,
	"绩效度量单位": indUnit, "度量单位": indUnit, "计量单位": indUnit, "指标单位": indUnit,
	"指标值说明": indNote, "指标解释": indNote, "指标值内容": indNote, "指标说明": indNote, "备注": indNote,
	"实际完成值": indActual, "实际完成情况": indActual, "全年实际值": indActual, "实际值": indActual, "完成值": indActual,
	"分值": indWeight, "权重": indWeight, "指标权重": indWeight,
	"得分": indScore, "自评得分": indScore,
	"项目编码": projCode, "项目代码": projCode, "项目编号": projCode, "单位编码(项目编码)": projCode,
	"单位编码": projAgencyCode, "单位代码": projAgencyCode, "预算单位编码": projAgencyCode,
	"项目名称": projName, "单位(项目)名称": projName, "项目单位(项目名称)": projName, "一级项目名称": projName,
	"二级项目名称": projName, "项目名称(资金使用单位)": projName,
	"单位名称": projAgency, "二级预算单位名称": projAgency, "预算单位名称": projAgency, "预算单位": projAgency,
	"资金总额": projAmount, "项目总额": projAmount, "年度资金总额": projAmount, "项目金额": projAmount,
	"金额": projAmount, "预算数": projAmount, "当年财政拨款预算金额": projAmount, "总计": projAmount,
	"预算金额": projAmount,
	"绩效目标": projGoal, "年度绩效目标": projGoal, "项目总体绩效目标": projGoal, "当年绩效目标": projGoal,
	"整体绩效目标": projGoal, "项目绩效目标": projGoal,
}

// level1Names are the first-level indicator names (一级指标), budgets' and
// final accounts' alike.
var level1Names = []string{"满意度指标", "产出指标", "效益指标", "成本指标", "效果指标", "影响力指标"}

// level2Names are the second-level names (二级指标), longest first where one
// ends another.
var level2Names = []string{
	"服务对象满意度指标", "可持续影响指标", "生态环境成本指标", "经济成本指标", "社会成本指标",
	"经济效益指标", "社会效益指标", "生态效益指标", "数量指标", "质量指标", "时效指标", "成本指标",
	"服务对象满意度", "可持续影响", "经济效益", "社会效益", "生态效益", "经济成本", "社会成本",
}

// headingKey normalizes a heading for lookup: NFKC, no spaces, no closing
// colon.
func headingKey(t string) string {
	return strings.TrimRight(squashSpaces(NormalizeText(t)), ":")
}

// bracketNoteRE is a closing bracketed note of a heading: (万元), (%).
var bracketNoteRE = regexp.MustCompile(`\([^()]*\)$`)

// indicatorHeading returns what the column under a heading holds.
func indicatorHeading(t string) indRole {
	k := headingKey(t)
	if r, ok := indicatorHeadings[k]; ok {
		return r
	}
	if !strings.HasSuffix(k, ")") {
		return roleNoIndicator
	}
	if s := bracketNoteRE.ReplaceAllString(k, ""); s != k {
		return indicatorHeadings[s]
	}
	return roleNoIndicator
}

// scoreNoteRE is a level's score in brackets: 产出指标(50分).
var scoreNoteRE = regexp.MustCompile(`\(\d+(?:\.\d+)?分\)$|\d+(?:\.\d+)?分$`)

// levelCodeRE is a level's number before its name: 1-产出指标, 11-数量指标.
var levelCodeRE = regexp.MustCompile(`^\d{1,3}-`)

// cleanLevel returns a level's name without its score or number:
// 产出指标(50分) and 1-产出指标 are 产出指标.
func cleanLevel(t string) string {
	t = squashSpaces(t)
	if t != "" && isDigit(t[0]) {
		t = levelCodeRE.ReplaceAllString(t, "")
	}
	if strings.HasSuffix(t, "分") || strings.HasSuffix(t, "分)") {
		t = scoreNoteRE.ReplaceAllString(t, "")
	}
	return t
}

// isLevel1 reports a first-level indicator name (scores and numbers
// aside).
func isLevel1(t string) bool { return slices.Contains(level1Names, cleanLevel(t)) }

// splitLevels takes the level names off the front of an indicator printed
// with them (产出指标数量指标丰富各类图书资源).
func splitLevels(t string) (l1, l2, name string) {
	name = t
	for _, w := range level1Names {
		if rest, ok := strings.CutPrefix(name, w); ok && rest != "" {
			l1, name = w, rest
			break
		}
	}
	if l1 == "" {
		return "", "", t
	}
	for _, w := range level2Names {
		if rest, ok := strings.CutPrefix(name, w); ok && rest != "" {
			return l1, w, rest
		}
	}
	return l1, "", name
}

// packedLevelsRE finds where each indicator of a packed cell starts: its
// two levels, each with its number (广州: 1-产出指标,11-数量指标,应急演练和
// 培训次数;实施周期指标值:至少一次,年度指标值:至少一次;2、2-效益指标,…).
var packedLevelsRE = regexp.MustCompile(`\d{1,3}-([^\d,;:]{2,12}?),\d{1,3}-([^\d,;:]{2,12}?),`)

// itemNumberRE is the number of the next item at the end of a packed
// indicator's text: 2、 or 1.
var itemNumberRE = regexp.MustCompile(`\d{1,3}[、.]$`)

// packedIndicator is one indicator read from a packed cell.
type packedIndicator struct{ level1, level2, name, value, periodValue string }

// unpack reads the indicators of a packed cell; nil when the text is not
// packed so. Each indicator's value is its 年度指标值, else its
// 实施周期指标值.
func unpack(text string) []packedIndicator {
	t := NormalizeText(text)
	locs := packedLevelsRE.FindAllStringSubmatchIndex(t, -1)
	var out []packedIndicator
	for k, m := range locs {
		end := len(t)
		if k+1 < len(locs) {
			end = locs[k+1][0]
		}
		item := itemNumberRE.ReplaceAllString(strings.TrimSpace(t[m[1]:end]), "")
		p := packedIndicator{level1: t[m[2]:m[3]], level2: t[m[4]:m[5]]}
		p.name, p.periodValue, p.value = packedValues(item)
		out = append(out, p)
	}
	return out
}

// packedValues splits a packed indicator's text after its levels into its
// name, 实施周期指标值 and 年度指标值.
func packedValues(item string) (name, period, value string) {
	trim := func(s string) string { return strings.Trim(strings.TrimSpace(s), ",;。") }
	name = item
	if i := strings.Index(item, "实施周期指标值:"); i >= 0 {
		name, period = item[:i], item[i+len("实施周期指标值:"):]
	}
	if i := strings.Index(period, "年度指标值:"); i >= 0 {
		period, value = period[:i], period[i+len("年度指标值:"):]
	} else if i := strings.Index(name, "年度指标值:"); i >= 0 {
		name, value = name[:i], name[i+len("年度指标值:"):]
	}
	if value == "" {
		value = period
	}
	return trim(name), trim(period), trim(value)
}
