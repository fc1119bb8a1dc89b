package reference

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// SameName reports whether a printed label is the standard name: equal
// once both are read as a reader reads them (NormalizeName). Any other
// difference counts, however small: a dropped 的, 支出 or bracketed
// qualifier is a different name.
func SameName(printed, standard string) bool {
	p := NormalizeName(printed)
	return p != "" && p == NormalizeName(standard)
}

// NormalizeName is a name as SameName compares it: NFKC (full-width
// letters, digits and brackets to their ASCII forms), every bracket style
// (（ 【 〔 [ 〖) as ( ), no whitespace, and without a leading enumeration
// (一、 (一) (1) 1. 1、 ①) or the separators that follow it. It keeps
// everything else, trailing qualifiers such as (一) or (基本建设) included.
func NormalizeName(s string) string {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if r, n := utf8.DecodeRuneInString(s); isCircled(r) && strings.TrimSpace(s[n:]) != "" {
		s = s[n:] // before NFKC makes ① a 1
	}
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case isOpen(r):
			r = '('
		case isClose(r):
			r = ')'
		}
		b.WriteRune(r)
	}
	return stripEnumeration(b.String())
}

func isOpen(r rune) bool {
	switch r {
	case '(', '[', '【', '〔', '〖', '「':
		return true
	}
	return false
}

func isClose(r rune) bool {
	switch r {
	case ')', ']', '】', '〕', '〗', '」':
		return true
	}
	return false
}

// stripEnumeration removes a leading list number from a label already
// normalised: "一、", "(一)", "(1)", "1.", "1、", with the separators
// after it, provided a name follows.
func stripEnumeration(s string) string {
	rest, ok := cutEnumeration(s)
	if !ok {
		return s
	}
	rest = strings.TrimLeft(rest, "、.．:：")
	if rest == "" {
		return s
	}
	return rest
}

// cutEnumeration returns s after its leading enumeration, if it has one.
func cutEnumeration(s string) (string, bool) {
	r, _ := utf8.DecodeRuneInString(s)
	switch {
	case r == '(':
		end := strings.IndexByte(s, ')')
		if end > 1 && isNumeral(s[1:end]) {
			return s[end+1:], true
		}
	case isNumeralRune(r):
		i := 0
		for i < len(s) {
			c, w := utf8.DecodeRuneInString(s[i:])
			if !isNumeralRune(c) {
				break
			}
			i += w
		}
		if strings.HasPrefix(s[i:], "、") || strings.HasPrefix(s[i:], ".") && !isDigitAt(s, i+1) {
			return s[i:], true
		}
	}
	return s, false
}

// isCircled reports a circled number: ① to ⑳.
func isCircled(r rune) bool { return r >= '①' && r <= '⑳' }

// isNumeral reports a run of digits or Chinese numerals.
func isNumeral(s string) bool {
	for _, r := range s {
		if !isNumeralRune(r) {
			return false
		}
	}
	return s != ""
}

func isNumeralRune(r rune) bool {
	return r >= '0' && r <= '9' || strings.ContainsRune("一二三四五六七八九十", r)
}

func isDigitAt(s string, i int) bool {
	return i < len(s) && s[i] >= '0' && s[i] <= '9'
}
