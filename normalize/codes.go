package normalize

import (
	"strings"
	"unicode/utf8"

	"github.com/budgetpdf/budgetpdf/reference"
)

// CodeKind tells which classification a code belongs to.
type CodeKind string

// The kinds of code printed in Chinese budget tables.
const (
	CodeUnknown      CodeKind = ""
	CodeFunction     CodeKind = "function"      // 支出功能分类科目: 201..234, 3/5/7 digits (类/款/项)
	CodeEconomicDept CodeKind = "economic_dept" // 部门预算支出经济分类: 301..399, 3, 5 or 7 digits
	CodeEconomicGov  CodeKind = "economic_gov"  // 政府预算支出经济分类: 501..599, 3 or 5 digits
	CodeAgency       CodeKind = "agency"        // 单位代码: 6 digits, e.g. 307001
	CodeProject      CodeKind = "project"       // 项目代码: 8 or more ASCII letters and digits
)

// ParseFunctionCode extracts a 支出功能分类 subject code from a row label or
// a code cell, in any of the printed forms:
//
//	2080101            the code alone
//	208 01 01          类, 款 and 项 separated by spaces
//	201-39-99          or by hyphens
//	[2010401]行政运行   the code in brackets, then the label
//	2010501-行政运行    the code, a separator, the label
//	行政运行（2010801）  the label, then the code in parentheses
//
// The code comes back as one digit string with its level: 3 digits -> 1
// (类), 5 -> 2 (款), 7 -> 3 (项). A function code starts with 201..234.
// rest is the label without the code, its brackets and the separators
// around it, trimmed. Full-width digits, brackets and hyphens are read as
// their ASCII forms. A code followed by a letter, a thousands separator, a
// percent sign or decimals ("234.50") is no code. If ok is false, code is
// "", level 0 and rest is s.
func ParseFunctionCode(s string) (code string, level int, rest string, ok bool) {
	t := strings.TrimSpace(s)
	if c, r, ok := leadingCode(t); ok {
		return c, (len(c) - 1) / 2, r, true
	}
	if c, r, ok := trailingCode(t); ok {
		return c, (len(c) - 1) / 2, r, true
	}
	return "", 0, s, false
}

// ParseCode is ParseFunctionCode for every classification whose codes a
// label can carry: function codes (201..234), 部门 economic codes
// (301..399, 3, 5 or 7 digits), 政府 economic codes (501..599, 3 or 5
// digits) and 6-digit agency codes (307001). An economic or agency code
// must be set apart from its name by brackets, a hyphen, a colon or a space
// ("[30101]基本工资", "50101-工资奖金津补贴", "301 工资福利支出"); a function
// code may also run into it ("2080101行政运行"). level is 1, 2 or 3 from
// the digit count (0 for an agency code).
func ParseCode(s string) (code string, kind CodeKind, level int, rest string, ok bool) {
	t := strings.TrimSpace(s)
	accept := func(c string, separated bool) (CodeKind, bool) {
		switch k := ClassifyCode(c); {
		case k == CodeFunction:
			return k, true
		case (k == CodeEconomicDept || k == CodeEconomicGov) && separated:
			return k, true
		case k == CodeAgency && separated && inRange(c, "100", "999"):
			return k, true
		}
		return CodeUnknown, false
	}
	if c, r, sep, found := leadingAnyCode(t); found {
		if k, good := accept(c, sep); good {
			lv := 0
			if k != CodeAgency {
				lv = (len(c) - 1) / 2
			}
			return c, k, lv, r, true
		}
	}
	if c, r, found := trailingAnyCode(t); found {
		if k, good := accept(c, true); good && k != CodeAgency {
			return c, k, (len(c) - 1) / 2, r, true
		}
	}
	return "", CodeUnknown, 0, s, false
}

// ClassifyCode tells what a code is from its digits alone, by the rules
// of package reference (reference.System):
//
//	201..234, 3, 5 or 7 digits        CodeFunction      (2080101)
//	301..399, 3, 5 or 7 digits        CodeEconomicDept  (30101, 3021101)
//	501..599, 3 or 5 digits           CodeEconomicGov   (50101)
//	6 digits                          CodeAgency        (307001)
//	8 or more letters and digits      CodeProject       (41050524000000003120)
//
// Spaces inside the code are ignored, so a project code broken across a
// line ("11000022T0000004 34658") is read whole. Anything else, including
// revenue classification codes (1xx), is CodeUnknown.
func ClassifyCode(code string) CodeKind { return kindOfSystem[reference.System(code)] }

// kindOfSystem names reference's code systems in normalize's words.
var kindOfSystem = map[reference.CodeSystem]CodeKind{
	reference.SystemFunction: CodeFunction,
	reference.SystemEconDept: CodeEconomicDept,
	reference.SystemEconGov:  CodeEconomicGov,
	reference.SystemAgency:   CodeAgency,
	reference.SystemProject:  CodeProject,
}

// inRange reports whether the first three digits of c lie in lo..hi.
func inRange(c, lo, hi string) bool {
	return len(c) >= 3 && c[:3] >= lo && c[:3] <= hi
}

func isFunctionCode(c string) bool {
	n := len(c)
	return (n == 3 || n == 5 || n == 7) && inRange(c, "201", "234")
}

// leadingCode reads a function code at the start of t, optionally in
// brackets (leadingAnyCode's reading, for function codes only).
func leadingCode(t string) (code, rest string, ok bool) {
	code, rest, _, ok = leadingAnyCode(t)
	if !ok || !isFunctionCode(code) {
		return "", "", false
	}
	return code, rest, true
}

// trailingCode reads a function code in brackets at the end of t.
func trailingCode(t string) (code, rest string, ok bool) {
	return bracketedCode(t, isFunctionCode)
}

// bracketedCode reads a code in brackets at the end of t that accept
// takes: "一般公共服务支出(201)".
func bracketedCode(t string, accept func(string) bool) (code, rest string, ok bool) {
	r, n := utf8.DecodeLastRuneInString(t)
	if !isCloseBracket(r) {
		return "", "", false
	}
	body := t[:len(t)-n]
	o := strings.LastIndexFunc(body, isOpenBracket)
	if o < 0 {
		return "", "", false
	}
	_, on := utf8.DecodeRuneInString(body[o:])
	inner := strings.TrimSpace(body[o+on:])
	code, j := scanCode(inner)
	if j != len(inner) || !accept(code) {
		return "", "", false
	}
	return code, trimSeparators(body[:o]), true
}

// scanCode reads digit groups at the start of s: one run of digits, then,
// while the code has 3 or 5 digits, a separator run and exactly two more
// digits. It returns the digits and the bytes of s read; the last run read
// is maximal.
func scanCode(s string) (code string, n int) {
	var buf [16]byte
	d, i := digitRun(buf[:0], s, 0)
	if len(d) == 0 || len(d) > 7 {
		return "", 0
	}
	for len(d) == 3 || len(d) == 5 {
		k := i
		for k < len(s) {
			r, w := utf8.DecodeRuneInString(s[k:])
			if r != ' ' && r != '\u3000' && !isHyphen(r) {
				break
			}
			k += w
		}
		if k == i {
			break
		}
		d2, k2 := digitRun(d, s, k)
		if len(d2)-len(d) != 2 {
			break
		}
		d, i = d2, k2
	}
	return string(d), i
}

// digitRun appends the digits of the maximal run of (half- or full-width)
// digits at s[i:] to d, and returns it with the index after the run.
func digitRun(d []byte, s string, i int) ([]byte, int) {
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		c := fold(r)
		if c < '0' || c > '9' {
			break
		}
		d = append(d, byte(c))
		i += w
	}
	return d, i
}

// codeEnds reports whether what follows a code's digits lets it be a code:
// the end, or anything but a letter, a thousands separator, a percent sign
// or a decimal point followed by a digit.
func codeEnds(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	switch c := fold(r); {
	case s == "":
		return true
	case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c == ',', c == '%', c == '％':
		return false
	case c == '.':
		next, _ := utf8.DecodeRuneInString(s[n:])
		next = fold(next)
		return next < '0' || next > '9'
	}
	return true
}

func skipSpace(t string, i int) int {
	for i < len(t) {
		r, n := utf8.DecodeRuneInString(t[i:])
		if r != ' ' && r != '\u3000' && r != '\t' {
			break
		}
		i += n
	}
	return i
}

// trimSeparators trims spaces and the punctuation that separates a code
// from its label.
func trimSeparators(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		switch r {
		case ' ', '\t', '\u3000', ':', '：', '、', '.', '．', '_':
			return true
		}
		return isHyphen(r)
	})
}

func isHyphen(r rune) bool {
	switch r {
	case '-', '－', '‐', '‑', '–', '—', '−':
		return true
	}
	return false
}

func isOpenBracket(r rune) bool {
	switch r {
	case '[', '(', '（', '【', '〔', '［', '〖':
		return true
	}
	return false
}

func isCloseBracket(r rune) bool {
	switch r {
	case ']', ')', '）', '】', '〕', '］', '〗':
		return true
	}
	return false
}

// leadingAnyCode reads a code of 3 to 7 digits at the start of t,
// optionally in brackets; separated reports brackets or a separator
// (space, hyphen, colon, 、) between the code and what follows, or nothing
// following.
func leadingAnyCode(t string) (code, rest string, separated, ok bool) {
	i := 0
	var open rune
	if r, n := utf8.DecodeRuneInString(t); isOpenBracket(r) {
		open, i = r, n
		i = skipSpace(t, i)
	}
	code, j := scanCode(t[i:])
	if len(code) < 3 {
		return "", "", false, false
	}
	i += j
	if open != 0 {
		i = skipSpace(t, i)
		r, n := utf8.DecodeRuneInString(t[i:])
		if !isCloseBracket(r) {
			return "", "", false, false
		}
		i += n
		return code, trimSeparators(t[i:]), true, true
	}
	if !codeEnds(t[i:]) {
		return "", "", false, false
	}
	r, _ := utf8.DecodeRuneInString(t[i:])
	separated = i == len(t) || r == ' ' || r == '\u3000' || isHyphen(r) || r == ':' || r == '：' || r == '、' || r == '_'
	return code, trimSeparators(t[i:]), separated, true
}

// trailingAnyCode reads a code of 3 or more digits in brackets at the end
// of t.
func trailingAnyCode(t string) (code, rest string, ok bool) {
	return bracketedCode(t, func(c string) bool { return len(c) >= 3 })
}
