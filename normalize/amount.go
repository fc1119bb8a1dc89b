package normalize

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Amount is a printed amount: its exact value and how it was printed.
type Amount struct {
	Value decimal.Decimal // exact value; negative for "-12.50" and "(12.50)"
	Scale int32           // decimals printed: "1,234.50" -> 2, "16726725" -> 0
}

// String returns the exact value with the printed number of decimals, without
// thousands separators, a negative value with a leading '-': "1,234.50" ->
// "1234.50", "(12.50)" -> "-12.50". If Value has more decimals than Scale
// (an Amount not made by ParseAmount), all of them are printed: String never
// rounds.
func (a Amount) String() string {
	exact := a.Value.String() // exact, trailing zeros trimmed
	n := 0
	if i := strings.IndexByte(exact, '.'); i >= 0 {
		n = len(exact) - i - 1
	}
	if int64(n) >= int64(a.Scale) {
		return exact
	}
	return a.Value.StringFixed(a.Scale) // pads with zeros: exact
}

// ParseAmount parses a printed amount. It accepts, after trimming spaces:
//
//   - digits, optionally grouped by thousands with ',' or '，' ("1,234.50");
//     groups after the first have exactly three digits;
//   - optional decimals after '.' or '．', at least one digit ("19,756.656053");
//   - a leading minus ('-', '－' U+FF0D or '−' U+2212), or parentheses '()'
//     or '（）' around the number, for a negative amount;
//   - full-width digits ("１２３．４５").
//
// A cell that is empty or holds only a printed dash ("-", "—", "——", "－")
// or a slash ("/") means "nothing here": ParseAmount returns ErrNoAmount
// itself. Anything else, such as "1,23", "12.3.4", "--5", "12a", "+5" or
// "12%", is an error wrapping ErrMalformedAmount that quotes s:
// `amount "1,2.3": malformed`.
func ParseAmount(s string) (Amount, error) {
	t := strings.TrimSpace(s)
	if t == "" || isPlaceholder(t) {
		return Amount{}, ErrNoAmount
	}
	a, ok := parseAmount(t)
	if !ok {
		return Amount{}, fmt.Errorf("amount %q: %w", s, ErrMalformedAmount)
	}
	return a, nil
}

// readMisgrouped reads an amount printed with its thousands separators out
// of place, the way a reader takes it: digits grouped by commas anywhere
// but a last group of exactly three digits, then optional decimals
// ("120258,600" is 120258600, "12,34,567.50" is 1234567.50). ok is false
// for anything else ("1,2.3" stays malformed: its grouping says nothing).
func readMisgrouped(s string) (a Amount, ok bool) {
	t := strings.TrimSpace(s)
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	intPart, dec, _ := strings.Cut(t, ".")
	groups := strings.Split(intPart, ",")
	if len(groups) < 2 || len(groups[len(groups)-1]) != 3 {
		return a, false
	}
	for _, g := range groups {
		if g == "" || !isDigits(g) {
			return a, false
		}
	}
	if strings.Contains(t, ".") && (dec == "" || !isDigits(dec)) {
		return a, false
	}
	v := strings.Join(groups, "")
	if dec != "" {
		v += "." + dec
	}
	if neg {
		v = "-" + v
	}
	d, err := decimal.NewFromString(v)
	if err != nil {
		return a, false
	}
	return Amount{Value: d, Scale: int32(len(dec))}, true
}

// LooksLikeAmount reports whether s, trimmed, is made only of the characters
// of a printed amount and has at least one digit: an optional '(', minus
// signs, digits with ',' and '.', an optional ')', in half or full width. It
// is true for malformed amounts such as "1,2.3" or "--5", so that a table
// treats them as number cells and ParseAmount reports them, and false for
// text ("12a", "2024年", "12%", "201-39-99") and for dashes. A bare code
// such as "2080101" looks like an amount: the column decides what it is.
func LooksLikeAmount(s string) bool {
	t := strings.TrimSpace(s)
	state := 0 // 0: before '(', 1: signs, 2: body, 3: after ')'
	digit := false
	for _, r := range t {
		c := fold(r)
		switch {
		case c == '(' && state == 0:
			state = 1
		case c == '-' && state <= 1:
			state = 1
		case c >= '0' && c <= '9' && state <= 2:
			digit = true
			state = 2
		case (c == ',' || c == '.') && state <= 2:
			state = 2
		case c == ')' && state == 2:
			state = 3
		default:
			return false
		}
	}
	return digit
}

// fold maps the full-width forms of the characters of an amount to ASCII.
func fold(r rune) rune {
	switch {
	case r >= '０' && r <= '９':
		return r - '０' + '0'
	case r == '，':
		return ','
	case r == '．':
		return '.'
	case r == '－' || r == '−':
		return '-'
	case r == '（':
		return '('
	case r == '）':
		return ')'
	}
	return r
}

// isPlaceholder reports whether t is a printed "nothing": one or more dashes
// (possibly spaced), or a single slash.
func isPlaceholder(t string) bool {
	if t == "/" || t == "／" {
		return true
	}
	dash := false
	for _, r := range t {
		switch r {
		case '-', '‐', '‑', '‒', '–', '—', '―', '－', '−', '─', '━':
			dash = true
		case ' ', '\t', '\u3000':
		default:
			return false
		}
	}
	return dash
}

// parseAmount parses a trimmed, non-empty t; ok is false if t is malformed.
func parseAmount(t string) (a Amount, ok bool) {
	var bbuf, dbuf [48]byte
	b := bbuf[:0] // t folded to ASCII
	for _, r := range t {
		c := fold(r)
		if c >= 0x80 {
			return Amount{}, false
		}
		b = append(b, byte(c))
	}
	neg := false
	if b[0] == '(' {
		if len(b) < 3 || b[len(b)-1] != ')' {
			return Amount{}, false
		}
		b, neg = b[1:len(b)-1], true
	}
	if len(b) > 0 && b[0] == '-' {
		if neg {
			return Amount{}, false // "(-12)"
		}
		b, neg = b[1:], true
	}
	digits := dbuf[:0]
	i := 0
	for i < len(b) && isDigit(b[i]) {
		digits = append(digits, b[i])
		i++
	}
	if i == 0 || i > 3 && i < len(b) && b[i] == ',' {
		return Amount{}, false
	}
	for i < len(b) && b[i] == ',' {
		i++
		g := 0
		for i < len(b) && isDigit(b[i]) {
			digits = append(digits, b[i])
			i++
			g++
		}
		if g != 3 {
			return Amount{}, false
		}
	}
	scale := 0
	if i < len(b) && b[i] == '.' {
		i++
		for i < len(b) && isDigit(b[i]) {
			digits = append(digits, b[i])
			i++
			scale++
		}
		if scale == 0 {
			return Amount{}, false
		}
	}
	if i != len(b) || scale > math.MaxInt32 {
		return Amount{}, false
	}
	exp := -int32(scale)
	if len(digits) <= 18 {
		v, err := strconv.ParseInt(string(digits), 10, 64)
		if err != nil {
			return Amount{}, false
		}
		if neg {
			v = -v
		}
		return Amount{Value: decimal.New(v, exp), Scale: int32(scale)}, true
	}
	v, okInt := new(big.Int).SetString(string(digits), 10)
	if !okInt {
		return Amount{}, false
	}
	if neg {
		v.Neg(v)
	}
	return Amount{Value: decimal.NewFromBigInt(v, exp), Scale: int32(scale)}, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// ToYuan converts an amount in the given table unit to 元, exactly: "元" x1,
// "千元" x1000, "万元" x10000, "百万元" x1000000, "亿元" x100000000. Spaces
// around the unit are ignored. For an empty or unknown unit it returns
// false.
func ToYuan(a decimal.Decimal, unit string) (decimal.Decimal, bool) {
	var shift int32
	switch strings.TrimSpace(unit) {
	case "元":
		shift = 0
	case "千元":
		shift = 3
	case "万元":
		shift = 4
	case "百万元":
		shift = 6
	case "亿元":
		shift = 8
	default:
		return decimal.Decimal{}, false
	}
	return a.Shift(shift), true
}
