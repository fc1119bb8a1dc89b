package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NormalizeText returns the text of a label or title in a canonical form,
// for matching and output:
//
//   - NFKC: full-width letters, digits and punctuation become ASCII where
//     NFKC maps them ("（" to "(", "：" to ":", "Ａ" to "A"); ideographs stay;
//   - whitespace between two CJK characters is removed ("本 年 收 入" to
//     "本年收入"), where CJK means a Han ideograph, kana, a CJK symbol or
//     punctuation mark (U+3001..U+303F) or a full-width punctuation mark
//     (in U+FF01..U+FFEF, not a letter or digit) as printed, before NFKC:
//     "合计 （万元）" becomes "合计(万元)" but "合计 (万元)" keeps its space;
//   - every other run of whitespace, including the ideographic space U+3000,
//     becomes one ASCII space; leading and trailing whitespace is removed.
//
// NormalizeText is idempotent: NormalizeText(NormalizeText(s)) equals
// NormalizeText(s) (FuzzNormalizeText checks this). Each run of invalid
// UTF-8 bytes becomes one U+FFFD.
func NormalizeText(raw string) string {
	if isPlainASCII(raw) {
		return raw
	}
	switch stable, fullWidth, space := isStable(raw); {
	case stable && !fullWidth && !space:
		return raw
	case stable && !fullWidth:
		return squeezeSpace(raw)
	case stable && !space:
		return asciiFromFullWidth(raw)
	}
	if !utf8.ValidString(raw) {
		raw = strings.ToValidUTF8(raw, "\uFFFD")
	}
	s := squeezeSpace(raw)
	if !norm.NFKC.IsNormalString(s) {
		s = squeezeSpace(norm.NFKC.String(s))
	}
	return s
}

// isStable reports whether s is normalized but for its white space and its
// full-width ASCII forms, without consulting the NFKC tables: it holds only
// white space, printable ASCII, unified ideographs (U+4E00-U+9FFF, which
// NFKC leaves alone), the punctuation and signs budget tables print that
// NFKC keeps (、。“”‘’《》【】〔〕—·≥≤≧≦×÷±‰), and full-width ASCII forms
// (U+FF01-U+FF5E, which NFKC maps to ASCII by subtracting 0xFEE0: "（一）"
// "其中：" "１２"). Most cell texts are such, and the fast path keeps the
// stage cheap; FuzzNormalizeText checks it against the tables. When s is
// stable, fullWidth and space report full-width forms and white space in
// it; otherwise they say nothing.
func isStable(s string) (stable, fullWidth, space bool) {
	for _, r := range s {
		switch {
		case r > 0x20 && r < 0x7f:
		case r >= 0x4e00 && r <= 0x9fff:
		case stablePunct(r):
		case r >= 0xff01 && r <= 0xff5e:
			fullWidth = true
		case unicode.IsSpace(r):
			space = true
		default:
			return false, fullWidth, space
		}
	}
	return true, fullWidth, space
}

// stablePunct reports whether r is one of the punctuation marks and signs
// of isStable.
func stablePunct(r rune) bool {
	switch r {
	case 0x3001, 0x3002, 0x3014, 0x3015, 0x201c, 0x201d, 0x2018, 0x2019, 0x2014, 0x00b7,
		0x2265, 0x2264, 0x2267, 0x2266, 0x00d7, 0x00f7, 0x00b1, 0x2030:
		return true
	}
	return r >= 0x300a && r <= 0x3011
}

// asciiFromFullWidth maps the full-width ASCII forms of s (U+FF01-U+FF5E,
// encoded EF BC 81 to EF BD 9E) to ASCII, byte by byte; s is valid UTF-8.
func asciiFromFullWidth(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == 0xef && i+2 < len(s) {
			switch c := s[i+2]; {
			case s[i+1] == 0xbc && c >= 0x81 && c <= 0xbf:
				b = append(b, c-0x60)
				i += 2
				continue
			case s[i+1] == 0xbd && c >= 0x80 && c <= 0x9e:
				b = append(b, c-0x20)
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	return string(b)
}

// isPlainASCII reports whether s is printable ASCII with no leading,
// trailing or doubled space: already normalized.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e {
			if c != ' ' || i == 0 || i == len(s)-1 || s[i+1] == ' ' {
				return false
			}
		}
	}
	return true
}

// squeezeSpace removes whitespace between two CJK characters, turns every
// other whitespace run into one space and trims.
func squeezeSpace(s string) string {
	if !hasSpace(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var prev rune = -1 // last rune written, -1 at the start
	pending := false   // a whitespace run since prev
	for _, r := range s {
		if unicode.IsSpace(r) {
			pending = prev >= 0
			continue
		}
		if pending && !(isCJK(prev) && isCJK(r)) {
			b.WriteByte(' ')
		}
		pending = false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

func hasSpace(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == ' ' || c >= '\t' && c <= '\r' {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return true
		}
		i += n
	}
	return false
}

// isCJK reports whether r is a character between which and another CJK
// character a space is layout, not text. Combining marks are excluded, so
// that removing a space never lets NFKC compose across it.
func isCJK(r rune) bool {
	switch {
	case r < 0x2e80:
		return false
	case r >= 0xff10 && r <= 0xff19, // full-width digits
		r >= 0xff21 && r <= 0xff3a, r >= 0xff41 && r <= 0xff5a, // letters
		r >= 0xffa0 && r <= 0xffdf: // half-width hangul
		return false
	case r >= 0x3001 && r <= 0x303f, // CJK symbols and punctuation
		r >= 0xff01 && r <= 0xffef, // full-width punctuation, half-width kana
		r >= 0x3040 && r <= 0x30ff, // kana
		r >= 0x2e80 && r <= 0x2fdf: // radicals
		return !unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me)
	}
	return unicode.Is(unicode.Han, r)
}
