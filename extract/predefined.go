package extract

import (
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// This file decodes the predefined CMaps of PDF 32000-1, 9.7.5.2 (Table 118)
// that matter for Chinese documents without carrying the Adobe CMap files:
// the code-to-CID tables are not needed to get text, because the character
// codes of these CMaps are themselves in a known character encoding (UCS-2,
// UTF-16, GBK, GB 2312 or GB 18030). Splitting strings into codes follows
// each CMap's code space ranges.

// predefKind is the character encoding behind a predefined CMap.
type predefKind uint8

const (
	predefIdentity predefKind = iota // Identity-H/V: 2-byte codes, CID = code
	predefUCS2                       // Uni*-UCS2-H/V: 2-byte UCS-2 codes
	predefUTF16                      // Uni*-UTF16-H/V: UTF-16BE, 2 or 4 bytes
	predefUTF8                       // Uni*-UTF8-H/V: UTF-8, 1 to 4 bytes
	predefGBK                        // GBK-EUC, GBKp-EUC: <00>-<80> one byte, <81>-<FE> lead two
	predefGB                         // GB-EUC: <00>-<80> one byte, <A1>-<FE> lead two
	predefGBpc                       // GBpc-EUC: like GB-EUC, and <FD>-<FF> one byte
	predefGB18030                    // GBK2K: GB 18030, 1, 2 or 4 bytes
)

// predefined is a predefined encoding CMap (9.7.5.2). Values are shared,
// immutable and safe for concurrent use.
type predefined struct {
	name string
	kind predefKind
	vert bool
}

// predefinedCMaps lists the supported names. The Unicode CMaps of the other
// CJK orderings (CNS1, Japan1, Korea1) are included: their codes are Unicode
// just the same.
var predefinedCMaps = func() map[string]*predefined {
	m := make(map[string]*predefined)
	add := func(base string, k predefKind) {
		m[base+"-H"] = &predefined{name: base + "-H", kind: k}
		m[base+"-V"] = &predefined{name: base + "-V", kind: k, vert: true}
	}
	add("Identity", predefIdentity)
	for _, o := range []string{"GB", "CNS", "JIS", "KS"} {
		add("Uni"+o+"-UCS2", predefUCS2)
		add("Uni"+o+"-UTF16", predefUTF16)
		add("Uni"+o+"-UTF8", predefUTF8)
	}
	add("UniJIS-UCS2-HW", predefUCS2)
	add("GBK-EUC", predefGBK)
	add("GBKp-EUC", predefGBK)
	add("GB-EUC", predefGB)
	add("GBpc-EUC", predefGBpc)
	add("GBK2K", predefGB18030)
	return m
}()

// predefinedCMap returns the decoder for a predefined CMap name (9.7.5.2,
// Table 118), or nil if the name is unknown. Supported: Identity-H/V;
// UniGB-UCS2-H/V, UniGB-UTF16-H/V and UniGB-UTF8-H/V (and the same for the
// CNS, JIS and KS orderings); GBK-EUC-H/V, GBKp-EUC-H/V, GB-EUC-H/V,
// GBpc-EUC-H/V and GBK2K-H/V.
func predefinedCMap(name string) *predefined {
	return predefinedCMaps[name]
}

// nextCode splits the next character code off s following the CMap's code
// space ranges, and returns it as a big-endian value with its length n. n is
// 0 only when s is empty. A code cut short by the end of s takes the bytes
// that are left.
func (p *predefined) nextCode(s []byte) (code uint32, n int) {
	if len(s) == 0 {
		return 0, 0
	}
	b := s[0]
	switch p.kind {
	case predefIdentity, predefUCS2:
		n = 2
	case predefUTF16:
		n = 2
		if b >= 0xD8 && b <= 0xDB && len(s) >= 4 && s[2] >= 0xDC && s[2] <= 0xDF {
			n = 4
		}
	case predefUTF8:
		switch {
		case b < 0xC2:
			n = 1
		case b < 0xE0:
			n = 2
		case b < 0xF0:
			n = 3
		case b < 0xF5:
			n = 4
		default:
			n = 1
		}
		for i := 1; i < n && i < len(s); i++ {
			if s[i]&0xC0 != 0x80 { // not a continuation byte: a bad code
				n = i
				break
			}
		}
	case predefGBK:
		n = 1
		if b >= 0x81 && b <= 0xFE {
			n = 2
		}
	case predefGB:
		n = 1
		if b >= 0xA1 && b <= 0xFE {
			n = 2
		}
	case predefGBpc:
		n = 1
		if b >= 0xA1 && b <= 0xFC {
			n = 2
		}
	case predefGB18030:
		n = 1
		if b >= 0x81 && b <= 0xFE {
			n = 2
			if len(s) >= 2 && s[1] >= 0x30 && s[1] <= 0x39 {
				n = 4
			}
		}
	}
	n = min(n, len(s))
	for _, x := range s[:n] {
		code = code<<8 | uint32(x)
	}
	return code, n
}

// unicode returns the text for a code of n bytes. ok is false for the
// Identity CMaps (whose codes are CIDs with no text of their own), for
// single-byte codes outside 0x20-0x7E (which map to ASCII), and for codes
// that are invalid or unassigned in the encoding. It does not allocate for
// BMP characters.
func (p *predefined) unicode(code uint32, n int) (string, bool) {
	switch p.kind {
	case predefIdentity:
		return "", false
	case predefUCS2:
		if n != 2 || utf16.IsSurrogate(rune(code)) {
			return "", false
		}
		return bmpText(rune(code)), true
	case predefUTF16:
		switch n {
		case 2:
			if utf16.IsSurrogate(rune(code)) {
				return "", false
			}
			return bmpText(rune(code)), true
		case 4:
			r := utf16.DecodeRune(rune(code>>16), rune(code&0xFFFF))
			if r == utf8.RuneError {
				return "", false
			}
			return string(r), true
		}
		return "", false
	case predefUTF8:
		if n < 1 || n > 4 {
			return "", false
		}
		var buf [4]byte
		for i := n - 1; i >= 0; i-- {
			buf[i] = byte(code)
			code >>= 8
		}
		r, size := utf8.DecodeRune(buf[:n])
		if size != n || r == utf8.RuneError {
			return "", false
		}
		if n == 1 && (r < 0x20 || r > 0x7E) {
			return "", false
		}
		if r <= 0xFFFF {
			return bmpText(r), true
		}
		return string(r), true
	}
	// The GB family.
	switch n {
	case 1:
		if code >= 0x20 && code <= 0x7E {
			return bmpText(rune(code)), true
		}
	case 2:
		if r := gbkRune(byte(code>>8), byte(code)); r != 0 {
			return bmpText(r), true
		}
	case 4:
		if p.kind == predefGB18030 {
			if r := gb18030FourByte(code); r != 0 {
				if r <= 0xFFFF {
					return bmpText(r), true
				}
				return string(r), true
			}
		}
	}
	return "", false
}

// vertical reports whether the CMap is a vertical (-V) one (9.7.4.3).
func (p *predefined) vertical() bool { return p.vert }

// identity reports whether the CMap is Identity-H or Identity-V: its 2-byte
// codes are CIDs and carry no text of their own.
func (p *predefined) identity() bool { return p.kind == predefIdentity }

// adobeGB1HalfWidthCID returns the Adobe-GB1 CID of the proportional Latin
// glyph for the ASCII character r (0x20..0x7E map to CIDs 1-95), for width
// lookups of non-embedded CID fonts.
func adobeGB1HalfWidthCID(r rune) (uint32, bool) {
	if r >= 0x20 && r <= 0x7E {
		return uint32(r - 0x1F), true
	}
	return 0, false
}

// The two-byte GBK table covers leads 0x81-0xFE and trails 0x40-0xFE
// (without 0x7F), the layout of golang.org/x/text's GBK decoder, which is
// decoded once into it on first use: a lookup is then an index, with no
// decoder state shared between goroutines. Zero means unassigned. GB 2312
// (GB-EUC) is the subset with both bytes in 0xA1-0xFE, and GB 18030 agrees
// with GBK on two-byte codes in x/text, so one table serves all three.
const (
	gbkLeads  = 0xFE - 0x81 + 1
	gbkTrails = 0xFE - 0x40 // 0x40-0xFE less 0x7F
)

var (
	gbkOnce  sync.Once
	gbkTable *[gbkLeads * gbkTrails]uint16
)

// gbkIndex returns the table index of the two-byte code b0 b1, or -1.
func gbkIndex(b0, b1 byte) int {
	if b0 < 0x81 || b0 > 0xFE || b1 < 0x40 || b1 > 0xFE || b1 == 0x7F {
		return -1
	}
	t := int(b1 - 0x40)
	if b1 > 0x7F {
		t--
	}
	return int(b0-0x81)*gbkTrails + t
}

// gbkRune returns the Unicode character of the two-byte GBK code b0 b1, or
// 0 if it is invalid or unassigned.
func gbkRune(b0, b1 byte) rune {
	i := gbkIndex(b0, b1)
	if i < 0 {
		return 0
	}
	gbkOnce.Do(buildGBKTable)
	return rune(gbkTable[i])
}

// buildGBKTable decodes every two-byte GBK code into gbkTable.
func buildGBKTable() {
	t := new([gbkLeads * gbkTrails]uint16)
	dec := simplifiedchinese.GBK.NewDecoder()
	var src [2]byte
	for b0 := 0x81; b0 <= 0xFE; b0++ {
		for b1 := 0x40; b1 <= 0xFE; b1++ {
			if b1 == 0x7F {
				continue
			}
			src[0], src[1] = byte(b0), byte(b1)
			if r := predefDecodeOne(dec, src[:]); r <= 0xFFFF {
				t[gbkIndex(byte(b0), byte(b1))] = uint16(r)
			}
		}
	}
	gbkTable = t
}

// predefDecodeOne decodes src, which must be exactly one character, and returns
// it, or 0 if the decoder rejects it or yields U+FFFD.
func predefDecodeOne(dec *encoding.Decoder, src []byte) rune {
	var dst [8]byte
	dec.Reset()
	nDst, nSrc, err := dec.Transform(dst[:], src, true)
	if err != nil || nSrc != len(src) {
		return 0
	}
	r, size := utf8.DecodeRune(dst[:nDst])
	if size != nDst || r == utf8.RuneError {
		return 0
	}
	return r
}

// GB 18030 four-byte codes b0 b1 b2 b3 (b0, b2 in 0x81-0xFE; b1, b3 in
// 0x30-0x39) have a linear index; indexes below 39420 map to BMP characters
// through a table decoded once from x/text on first use, and indexes from
// 189000 map to U+10000 onwards arithmetically.
const gb18030BMPCount = 39420

var (
	gb18030Once  sync.Once
	gb18030Table *[gb18030BMPCount]uint16
)

// gb18030FourByte returns the character of a four-byte GB 18030 code, or 0.
func gb18030FourByte(code uint32) rune {
	b0, b1, b2, b3 := byte(code>>24), byte(code>>16), byte(code>>8), byte(code)
	if b0 < 0x81 || b0 > 0xFE || b1 < 0x30 || b1 > 0x39 || b2 < 0x81 || b2 > 0xFE || b3 < 0x30 || b3 > 0x39 {
		return 0
	}
	lin := ((int(b0-0x81)*10+int(b1-0x30))*126+int(b2-0x81))*10 + int(b3-0x30)
	if lin < gb18030BMPCount {
		gb18030Once.Do(buildGB18030Table)
		return rune(gb18030Table[lin])
	}
	if r := rune(lin - 189000 + 0x10000); r >= 0x10000 && r <= utf8.MaxRune {
		return r
	}
	return 0
}

// buildGB18030Table decodes every four-byte GB 18030 code of the BMP into
// gb18030Table.
func buildGB18030Table() {
	t := new([gb18030BMPCount]uint16)
	dec := simplifiedchinese.GB18030.NewDecoder()
	var src [4]byte
	for lin := 0; lin < gb18030BMPCount; lin++ {
		v := lin
		src[3] = byte(0x30 + v%10)
		v /= 10
		src[2] = byte(0x81 + v%126)
		v /= 126
		src[1] = byte(0x30 + v%10)
		v /= 10
		src[0] = byte(0x81 + v)
		if r := predefDecodeOne(dec, src[:]); r <= 0xFFFF {
			t[lin] = uint16(r)
		}
	}
	gb18030Table = t
}
