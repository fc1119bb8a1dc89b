package normalize

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// This file reads the facts a document states once for all its tables:
// the fiscal year, the agency, the phase (预算 or 决算) and the unit. They
// come from the cover, the headings of the set of tables and the title
// blocks, wherever they are printed outside a table; a table whose own
// title block lacks them takes them from the document.

// maxFactPages is how many pages are read for the agency and the unit; the
// year and the phase are looked for on every page until found.
const maxFactPages = 12

// maxHeadingGlyphs is the longest line read as a heading, in glyphs: longer
// lines are prose.
const maxHeadingGlyphs = 40

var (
	// setHeadingRE matches the heading of a whole set of tables, on the
	// cover or above the first table: 西安市人民政府国有资产监督管理委员会
	// 2022年部门综合预算, 中共上海市普陀区委社会工作部2024年度部门决算表.
	setHeadingRE = regexp.MustCompile(`^(?:第[一二三四五六七八九十]+部分)?(.*?)(20\d\d)年度?(?:部门|单位)?(?:综合)?(预算|决算)`)
	// coverRE matches a cover's words run together: 2026年深圳市人民政府
	// 办公厅部门预算, 2026年度福州市医疗保障局部门预算, 2026年度泉州市人民
	// 政府办公室(本级)单位预算.
	coverRE = regexp.MustCompile(`^(20\d\d)年度?(.+?)(?:部门|单位)(?:综合)?(预算|决算)$`)
	// agencySuffixRE matches the end of an agency's name.
	agencySuffixRE = regexp.MustCompile(`(局|委员会|委|厅|办公室|办公厅|院|中心|部|所|站|队|会|处|室|馆|社|办事处|政府|法院|检察院|街道|监狱|学校|大学)(\(.*\)|（.*）)?$`)
)

// facts are the document-wide facts found so far.
type facts struct {
	unit, agency string
	year         int
	phase        Phase
	pages        int    // pages read for the agency and unit so far
	coverAgency  string // named on the cover or a set heading
	formAgency   string // named in a form's 部门名称 field
}

// note reads the free lines of one page (those outside every table).
func (f *facts) note(lines []TextLine, page int, s *Settings) {
	if f.year != 0 && f.phase != PhaseUnknown && (f.pages >= maxFactPages || f.unit != "" && f.agency != "") {
		return
	}
	var heads []TextLine
	var texts []string // the heads' texts, normalized and without spaces
	for _, l := range lines {
		if len(l.Glyphs) <= maxHeadingGlyphs {
			heads = append(heads, l)
			texts = append(texts, squashSpaces(NormalizeText(l.Text)))
		}
	}
	for i, t := range texts {
		if m := matchSetHeading(t); m != nil && !strings.ContainsAny(t, "。；，") {
			if f.year == 0 {
				f.year, _ = strconv.Atoi(m[2])
			}
			if f.phase == PhaseUnknown {
				f.phase = Phase(m[3])
			}
			// The agency: printed before the year, or on the line above.
			name := m[1]
			if name == "" && i > 0 {
				name = texts[i-1]
			}
			if f.coverAgency == "" && agencySuffixRE.MatchString(name) && len([]rune(name)) <= 40 {
				f.coverAgency = name
			}
		}
		if f.year == 0 {
			if m := yearRE.FindStringSubmatch(t); m != nil && strings.Contains(t, "年度") && len([]rune(t)) <= 30 {
				f.year, _ = strconv.Atoi(m[1])
			}
		}
	}
	if f.pages >= maxFactPages {
		return
	}
	f.pages++
	if f.coverAgency == "" || f.year == 0 || f.phase == PhaseUnknown {
		f.noteCover(texts) // (it sets only what is not known)
	}
	if f.unit != "" && f.agency != "" && f.year != 0 {
		return // (what the title block could give is known)
	}
	tb := parseTitleBlock(heads, s)
	if f.unit == "" {
		f.unit = tb.unit
	}
	if f.agency == "" {
		f.agency = tb.agency
	}
	if f.year == 0 {
		f.year = tb.year
	}
}

// matchSetHeading is setHeadingRE.FindStringSubmatch(t), without running
// the pattern on a line that names no 预算 or 决算.
func matchSetHeading(t string) []string {
	if !strings.Contains(t, "预算") && !strings.Contains(t, "决算") {
		return nil
	}
	return setHeadingRE.FindStringSubmatch(t)
}

// noteCover reads a cover whose words stand on several short lines
// (2026 年度 / 福州市医疗保障局 / 部门预算): runs of consecutive short lines
// read together.
// texts are the lines' texts, normalized and without spaces.
func (f *facts) noteCover(texts []string) {
	for i := range texts {
		run := ""
		for j := i; j < len(texts) && j < i+4; j++ {
			t := texts[j]
			if len([]rune(t)) > 30 || strings.ContainsAny(t, "。；，.…") {
				break
			}
			run += t
			if m := coverRE.FindStringSubmatch(run); m != nil && agencySuffixRE.MatchString(m[2]) {
				if f.coverAgency == "" {
					f.coverAgency = m[2]
				}
				if f.year == 0 {
					f.year, _ = strconv.Atoi(m[1])
				}
				if f.phase == PhaseUnknown {
					f.phase = Phase(m[3])
				}
				return
			}
		}
	}
}

// agencyLabels name the field of a form that holds the agency.
var agencyLabels = []string{"部门名称", "单位名称", "部门(单位)名称", "预算部门", "主管部门"}

// noteForm reads the agency from a form's field (部门名称 | 北京市统计局)
// in a lattice's rows.
func (f *facts) noteForm(l *lattice) {
	if f.formAgency != "" {
		return
	}
	for _, row := range l.byRow() {
		for k := 0; k+1 < len(row); k++ {
			if slices.Contains(agencyLabels, squashSpaces(row[k].text)) {
				if v := squashSpaces(row[k+1].text); agencySuffixRE.MatchString(v) && len([]rune(v)) <= 40 {
					f.formAgency = v
					return
				}
			}
		}
	}
}

// agencyName returns the document's agency: the one a title block names,
// else the one the cover names, else the one a form names.
func (f *facts) agencyName() string {
	switch {
	case f.agency != "":
		return f.agency
	case f.coverAgency != "":
		return f.coverAgency
	}
	return f.formAgency
}
