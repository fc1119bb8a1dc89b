package normalize

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"golang.org/x/text/unicode/norm"
)

// This file reads a performance indicator's target value (指标值) the way a
// reader reads it: a comparator, one number or a range, and a unit
// (≥300件, 0-100人, 95-100%, ≤1500万); or words (合规, 按时、足额).

// Comparator is how a target bounds its indicator.
type Comparator string

// The comparators. A value printed without one (100%, 28920元) reads as
// CompEqual.
const (
	CompNone    Comparator = ""      // the text gives no number (words, or unparsed)
	CompAtLeast Comparator = "≥"     // ≥, >=, 不低于, 不少于, 至少, 以上
	CompAtMost  Comparator = "≤"     // ≤, <=, 不超过, 不高于, 以内, 以下, 前
	CompMore    Comparator = ">"     // >, 大于, 高于, 超过
	CompLess    Comparator = "<"     // <, 小于, 低于, 少于
	CompEqual   Comparator = "="     // =, 等于, or no comparator printed
	CompAbout   Comparator = "~"     // 约, 左右: about the value
	CompRange   Comparator = "range" // low-high (0-100人, 95-100%)
)

// Target is an indicator's target as a reader reads it. Low and High are
// exact: for ≥ and > only Low is set, for ≤ and < only High, for =, ~
// both to the one value, for a range each to its bound.
type Target struct {
	Comparator  Comparator
	Low, High   *decimal.Decimal // nil where the target leaves the side open, or nothing parsed
	Unit        string           // %, 人, 件, 万元, 元/人, 次/年 ...; "" when none is printed
	Qualitative bool             // the target is words without a number: 合规, 良好, 按时、足额
}

// dateRE matches a target that starts with a date: a year (2022年,
// 2022.6.1) or a day (12月31日).
var dateRE = regexp.MustCompile(`^(?:约|≤|<=|<|≦)?(?:(?:19|20)\d\d(?:年|[.\-/]\d)|\d{1,2}月\d{1,2}日)`)

// maxUnitRunes bounds a unit after a number (万千瓦时, 元/人/月): a longer
// text is a sentence, not a unit.
const maxUnitRunes = 6

// comparatorWords are the printed forms of the comparators before a
// number, longest first where one starts another.
var comparatorWords = []struct {
	word string
	c    Comparator
}{
	{">=", CompAtLeast}, {"≥", CompAtLeast}, {"≧", CompAtLeast}, {"大于等于", CompAtLeast}, {"大于或等于", CompAtLeast},
	{"不低于", CompAtLeast}, {"不少于", CompAtLeast}, {"不小于", CompAtLeast}, {"至少", CompAtLeast},
	{"<=", CompAtMost}, {"≤", CompAtMost}, {"≦", CompAtMost}, {"小于等于", CompAtMost}, {"小于或等于", CompAtMost},
	{"不超过", CompAtMost}, {"不高于", CompAtMost}, {"不多于", CompAtMost}, {"不大于", CompAtMost},
	{">", CompMore}, {"大于", CompMore}, {"高于", CompMore}, {"超过", CompMore}, {"多于", CompMore},
	{"<", CompLess}, {"小于", CompLess}, {"低于", CompLess}, {"少于", CompLess},
	{"==", CompEqual}, {"=", CompEqual}, {"等于", CompEqual},
	{"约", CompAbout},
}

// comparatorSuffixes bound a value from after it: 95%以上, 30日以内.
var comparatorSuffixes = []struct {
	word string
	c    Comparator
}{
	{"及以上", CompAtLeast}, {"以上", CompAtLeast}, {"及以下", CompAtMost}, {"以下", CompAtMost},
	{"以内", CompAtMost}, {"之内", CompAtMost}, {"之前", CompAtMost}, {"以前", CompAtMost}, {"前", CompAtMost},
	{"左右", CompAbout},
}

// ParseTarget reads a printed target. Empty text and a printed "nothing"
// (a dash, /, 无) give the zero Target. Text without a digit is
// qualitative. Text that looks numeric (see LooksNumericTarget) reads as
// comparator, number or range, and unit: "≥300件" is ≥ 300 件, "0-100人"
// the range 0..100 人, "95%以上" ≥ 95 %, "≤资金下达后30日" not; a text
// before an explicit sign is a qualifier and is passed over
// ("全市数量≥1.6万场" is ≥ 1.6 万场), and so is a note in brackets after
// the target ("12个(土壤污染状况调查)" is = 12 个). A numeric-looking text that does
// not read so is an error wrapping ErrMalformedTarget, with the zero
// Target: the caller keeps the text and leaves the numbers empty. Text
// with digits that does not look numeric (复检准确率95%, 2个工作日内完成
// reads; 每月1次 does not) gives the zero Target and no error.
func ParseTarget(s string) (Target, error) {
	t := compactTarget(s)
	switch {
	case t == "" || isPlaceholder(t) || t == "无":
		return Target{}, nil
	case !strings.ContainsFunc(t, isASCIIDigit):
		return Target{Qualitative: true}, nil
	}
	if tg, ok := readTarget(t); ok {
		return tg, nil
	}
	if i := strings.LastIndex(t, "("); i > 0 && strings.HasSuffix(t, ")") {
		// A note in brackets after the target: 12个(土壤污染状况…),
		// ≥95%(扣除停电…), 28台(套).
		if tg, ok := readTarget(t[:i]); ok {
			return tg, nil
		}
	}
	if LooksNumericTarget(s) {
		return Target{}, fmt.Errorf("target %q: %w", s, ErrMalformedTarget)
	}
	return Target{}, nil
}

// LooksNumericTarget reports a target printed as a number: after an
// optional comparator (a sign or a word such as 不低于) it starts with a
// digit, or it holds a comparator sign followed by a digit
// (全市数量≥1.6万场). A date is no number: 2022年12月底前,
// 2022.1.1-2022.12.31, 1月1日-12月31日 keep their text.
func LooksNumericTarget(s string) bool {
	t := compactTarget(s)
	if dateRE.MatchString(t) {
		return false
	}
	_, rest := cutComparator(t)
	if rest != "" && isASCIIDigit(rune(rest[0])) {
		return true
	}
	for _, sign := range []string{"≥", "≤", "≧", "≦", ">", "<", "="} {
		if i := strings.Index(t, sign); i >= 0 {
			_, after := cutComparator(t[i:])
			if after != "" && isASCIIDigit(rune(after[0])) {
				return true
			}
		}
	}
	return false
}

// compactTarget folds a printed target for reading: NFKC (full-width
// digits and signs to ASCII), no spaces, no closing punctuation.
func compactTarget(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	noSpace := func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}
	t := strings.Map(noSpace, norm.NFKC.String(s))
	// Taking spaces out can leave a combining mark to compose (˚ is a
	// space and a ring): fold again until nothing changes.
	for range 3 {
		if norm.NFKC.IsNormalString(t) {
			break
		}
		t = strings.Map(noSpace, norm.NFKC.String(t))
	}
	return strings.TrimRight(t, "。.;;,，、")
}

// readTarget reads a compact numeric target: [qualifier sign] comparator
// number [unit] [-number [unit]] [suffix].
func readTarget(t string) (Target, bool) {
	cmp, rest := cutComparator(t)
	if rest == "" || !isASCIIDigit(rune(rest[0])) {
		// A qualifier before an explicit sign: 全市数量≥1.6万场.
		i := strings.IndexAny(t, "≥≤≧≦><=")
		if i <= 0 || strings.ContainsFunc(t[:i], isASCIIDigit) {
			return Target{}, false
		}
		if cmp, rest = cutComparator(t[i:]); cmp == CompNone || rest == "" || !isASCIIDigit(rune(rest[0])) {
			return Target{}, false
		}
	}
	low, rest, ok := cutNumber(rest)
	if !ok {
		return Target{}, false
	}
	unit1, rest := cutUnit(rest)
	tg := Target{Comparator: cmp, Unit: unit1}
	if sep, after := cutRangeSep(rest); sep && cmp == CompNone {
		high, r2, ok := cutNumber(after)
		if !ok {
			return Target{}, false
		}
		unit2, r2 := cutUnit(r2)
		if unit1 != "" && unit2 != "" && unit1 != unit2 || r2 != "" || !validUnit(unit1) || !validUnit(unit2) {
			return Target{}, false
		}
		tg.Comparator, tg.Low, tg.High = CompRange, &low, &high
		if unit2 != "" {
			tg.Unit = unit2
		}
		return tg, true
	}
	if rest != "" {
		return Target{}, false
	}
	tg.Unit, cmp = cutSuffix(tg.Unit, tg.Comparator)
	if !validUnit(tg.Unit) {
		return Target{}, false
	}
	tg.Comparator = cmp
	switch tg.Comparator {
	case CompAtLeast, CompMore:
		tg.Low = &low
	case CompAtMost, CompLess:
		tg.High = &low
	case CompNone:
		tg.Comparator = CompEqual
		fallthrough
	default:
		high := low
		tg.Low, tg.High = &low, &high
	}
	return tg, true
}

// cutComparator takes a leading comparator off t.
func cutComparator(t string) (Comparator, string) {
	for _, w := range comparatorWords {
		if rest, ok := strings.CutPrefix(t, w.word); ok {
			return w.c, rest
		}
	}
	return CompNone, t
}

// cutSuffix takes a bounding word off the end of a unit (95%以上): the
// comparator it gives, unless one is printed before the number.
func cutSuffix(unit string, cmp Comparator) (string, Comparator) {
	for _, w := range comparatorSuffixes {
		if u, ok := strings.CutSuffix(unit, w.word); ok {
			if cmp == CompNone {
				cmp = w.c
			}
			return u, cmp
		}
	}
	return unit, cmp
}

// cutNumber takes a leading decimal number off t: digits, thousands
// separators between groups of three, one decimal point.
func cutNumber(t string) (decimal.Decimal, string, bool) {
	i, dot := 0, false
	for ; i < len(t); i++ {
		c := t[i]
		if isDigit(c) {
			continue
		}
		next := i+1 < len(t) && isDigit(t[i+1])
		if c == ',' && i > 0 && !dot && i+3 < len(t) && isDigit(t[i+1]) && isDigit(t[i+2]) && isDigit(t[i+3]) {
			continue
		}
		if c == '.' && !dot && i > 0 && next {
			dot = true
			continue
		}
		break
	}
	if i == 0 {
		return decimal.Decimal{}, t, false
	}
	d, err := decimal.NewFromString(strings.ReplaceAll(t[:i], ",", ""))
	if err != nil {
		return decimal.Decimal{}, t, false
	}
	return d, t[i:], true
}

// cutUnit takes the unit after a number: everything up to a range
// separator or a digit, brackets around it removed; 百分比 is %.
func cutUnit(t string) (unit, rest string) {
	end := len(t)
	for i, r := range t {
		if isASCIIDigit(r) && i > 0 && isASCIILetter(rune(t[i-1])) {
			continue // m2, m3: a power of a unit
		}
		if isASCIIDigit(r) || isRangeSep(r) {
			end = i
			break
		}
	}
	unit, rest = t[:end], t[end:]
	if u, ok := strings.CutPrefix(unit, "("); ok {
		if u, ok = strings.CutSuffix(u, ")"); ok {
			unit = u
		}
	}
	if unit == "百分比" || unit == "百分点" {
		unit = "%"
	}
	return unit, rest
}

// cutRangeSep takes the separator of a range (0-100, 95~100, 1至12) off t.
func cutRangeSep(t string) (bool, string) {
	r, n := utf8.DecodeRuneInString(t)
	if n == 0 || !isRangeSep(r) {
		return false, t
	}
	return true, t[n:]
}

func isRangeSep(r rune) bool {
	switch r {
	case '-', '~', '至', '—', '–', '－', '〜', '～', '−':
		return true
	}
	return false
}

// validUnit reports a unit a reader takes as one: short, no digits but a
// unit's power (m2), no sentence punctuation, no comparator; 人、户 is two
// units in one.
func validUnit(u string) bool {
	if utf8.RuneCountInString(u) > maxUnitRunes {
		return false
	}
	for i := 0; i < len(u); i++ {
		if isDigit(u[i]) && (i == 0 || !isASCIILetter(rune(u[i-1]))) {
			return false
		}
	}
	return !strings.ContainsAny(u, ",，。;；:：≥≤≧≦<>=()（）")
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }
