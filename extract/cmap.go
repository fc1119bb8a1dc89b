package extract

import (
	"container/heap"
	"errors"
	"slices"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// This file parses CMap streams (PDF 32000-1, 9.7.5 CMaps): the ToUnicode
// CMaps of 9.10.3, which map character codes to Unicode text with
// bfchar/bfrange, and embedded encoding CMaps of Type 0 fonts, which map
// character codes to CIDs with cidchar/cidrange. The syntax is the PostScript
// subset described in Adobe Technical Note #5014 and #5099. Input is
// untrusted: parsing is a single linear pass over the tokens, the space used
// is proportional to the input size (a range is stored as one entry however
// many codes it spans), and lookups never allocate except for bfrange
// destinations that decode to more than one BMP character.

// Limits on what a CMap may declare. They are far above what real CMaps use.
const (
	cmapMaxCodespaces = 64  // code space ranges kept (nextCode scans them per code)
	cmapMaxDst        = 512 // bytes in a bfchar/bfrange destination (9.10.3)
)

// cmap is a parsed CMap: its code space ranges, its code→Unicode mappings
// (bfchar, bfrange) and its code→CID mappings (cidchar, cidrange). The
// notdefchar and notdefrange mappings are ignored. A usecmap reference is
// recorded in useCMap but not resolved.
//
// Mappings are kept per code length (1 to 4 bytes), because the codes <41>
// and <0041> are different codes of a CMap (9.7.6.2). Each table is sorted
// by code and free of overlaps, so a lookup is a binary search.
//
// A cmap is immutable after parseCMap returns and is safe for concurrent use.
type cmap struct {
	name    string // /CMapName, if any
	useCMap string // name given to usecmap, if any
	wmode   int    // /WMode: 0 horizontal, 1 vertical

	space      [4][]cmapSpan // code space ranges by byte length - 1
	spaceLens  uint8         // bit n-1 set when a code space range of n bytes exists
	defaultLen int           // code length used by nextCode when no code space was declared

	bf    [4][]cmapEntry // code→text, by code length - 1
	cids  [4][]cmapEntry // code→CID, by code length - 1
	texts []string       // destinations of cmapEntryText entries
	raw   []byte         // destinations of cmapEntryIncr entries, as written (UTF-16BE)
}

// cmapSpan is one code space range of a given byte length, compared by
// value as pdf.js and MuPDF do (not byte by byte as 9.7.6.2 describes:
// real CMaps write ranges such as <0003> <5044> that only work by value).
type cmapSpan struct{ lo, hi uint32 }

// Kinds of cmapEntry.
const (
	cmapEntryCID  uint8 = iota // CID val + (code - base)
	cmapEntryText              // text texts[val + (code - base)]
	cmapEntryIncr              // raw[val:val+n] incremented by code - base (bfrange, 9.10.3)
)

// cmapEntry maps the codes lo..hi of one byte length. base is the first
// code of the definition the entry came from; it differs from lo only when a
// later definition overrode the start of the range.
type cmapEntry struct {
	lo, hi uint32
	base   uint32
	val    uint32
	n      uint16
	kind   uint8
}

var errCMapEmpty = errors.New("cmap: no code space ranges or mappings")

// parseCMap parses the decoded bytes of a CMap stream (9.7.5.4, 9.10.3):
// begincodespacerange/endcodespacerange, beginbfchar/endbfchar,
// beginbfrange/endbfrange, begincidchar/endcidchar,
// begincidrange/endcidrange, /WMode, /CMapName and usecmap (which is only
// recorded). The entry counts before each begin keyword are ignored, as
// writers often get them wrong. Parsing is lenient: a malformed entry is
// skipped and a missing end keyword ends the block at the next keyword. It
// returns an error only when nothing usable was found.
//
// When a code is defined more than once, the last definition wins, as in
// pdf.js and poppler.
func parseCMap(data []byte) (*cmap, error) {
	p := cmapParser{lx: cmapLexer{data: data}}
	c := &p.c
	for {
		t := p.next()
		switch t.kind {
		case ctEOF:
			return p.finish()
		case ctName:
			switch string(t.b) {
			case "WMode":
				if v := p.next(); v.kind == ctNumber {
					if v.num == 1 {
						c.wmode = 1
					}
				} else {
					p.unread(v)
				}
			case "CMapName":
				if v := p.next(); v.kind == ctName {
					c.name = string(v.b)
				} else {
					p.unread(v)
				}
			default:
				p.lastName = t.b
			}
		case ctKeyword:
			switch string(t.b) {
			case "usecmap":
				if p.lastName != nil {
					c.useCMap = string(p.lastName)
				}
			case "begincodespacerange":
				p.codespace()
			case "beginbfchar":
				p.bfchar()
			case "beginbfrange":
				p.bfrange()
			case "begincidchar":
				p.cidchar()
			case "begincidrange":
				p.cidrange()
			case "beginnotdefchar":
				p.skipBlock("endnotdefchar")
			case "beginnotdefrange":
				p.skipBlock("endnotdefrange")
			}
			p.lastName = nil
		default:
			p.lastName = nil
		}
	}
}

// nextCode splits the next character code off s using the code space
// ranges (9.7.6.2): it tries the first 1, 2, 3 and 4 bytes of s in turn
// and returns the first that lies in a code space range of that length. It
// returns the code as a big-endian value and its length n; n is 0 only when
// s is empty, and 1 <= n <= min(4, len(s)) otherwise.
//
// When no range matches (9.7.6.3), it consumes as many bytes as the
// shortest code space range whose first byte matches s[0] (a partial
// match), or else as the shortest code space range, but never more than s
// holds; the returned code is then those bytes, which no range contains.
// pdf.js and MuPDF consume one byte instead; the partial-match rule keeps
// two-byte fonts in step after a bad byte pair, as Acrobat does.
//
// A CMap without code space ranges (allowed for ToUnicode CMaps, though
// rare) splits codes by the shortest source code length among its mappings.
// Callers that know the font's code length should prefer it in that case;
// see hasCodespace.
func (c *cmap) nextCode(s []byte) (code uint32, n int) {
	if len(s) == 0 {
		return 0, 0
	}
	if c.spaceLens == 0 {
		return cmapBytes(s, c.defaultLen)
	}
	var v uint32
	for l := 0; l < 4 && l < len(s); l++ {
		v = v<<8 | uint32(s[l])
		for _, r := range c.space[l] {
			if v >= r.lo && v <= r.hi {
				return v, l + 1
			}
		}
	}
	// No match: partial match on the first byte, else the shortest range.
	shortest := 0
	for l := 0; l < 4; l++ {
		shift := 8 * uint(l)
		for _, r := range c.space[l] {
			if uint32(s[0]) >= r.lo>>shift && uint32(s[0]) <= r.hi>>shift {
				return cmapBytes(s, l+1)
			}
			if shortest == 0 {
				shortest = l + 1
			}
		}
	}
	return cmapBytes(s, shortest)
}

// cmapBytes returns the first n bytes of the non-empty s (fewer if s is
// shorter, at least one) as a big-endian code.
func cmapBytes(s []byte, n int) (uint32, int) {
	n = max(1, min(n, len(s), 4))
	var v uint32
	for _, b := range s[:n] {
		v = v<<8 | uint32(b)
	}
	return v, n
}

// hasCodespace reports whether the CMap declared any code space range.
func (c *cmap) hasCodespace() bool { return c.spaceLens != 0 }

// vertical reports whether the CMap declares /WMode 1 (vertical writing,
// 9.7.4.3).
func (c *cmap) vertical() bool { return c.wmode == 1 }

// unicode returns the text that bfchar/bfrange map the code of n bytes to
// (9.10.3). ok is false when the code is unmapped or maps to nothing usable:
// an empty string, U+0000, U+FFFE or U+FFFF alone, or a glyph name other
// than uniXXXX or uXXXX[XX].
//
// Lookup is by code value and length. When the code is not found, the
// mappings of the other lengths are tried by value, shortest first, unless
// both n and that length are lengths of declared code space ranges. So a
// simple font (1-byte codes) whose ToUnicode CMap writes <0041>, or a
// two-byte font whose CMap writes <20>, still finds its text, while a CMap
// that declares both 1- and 2-byte codes (such as GBK-EUC) keeps <41> and
// <0041> apart.
func (c *cmap) unicode(code uint32, n int) (string, bool) {
	e := c.lookup(&c.bf, code, n)
	if e == nil {
		return "", false
	}
	off := code - e.base
	if e.kind == cmapEntryIncr {
		return c.incrText(e, off)
	}
	s := c.texts[e.val+off]
	return s, s != ""
}

// cid returns the CID that cidchar/cidrange map the code of n bytes to
// (9.7.6.2), with the same length fallback as unicode.
func (c *cmap) cid(code uint32, n int) (uint32, bool) {
	e := c.lookup(&c.cids, code, n)
	if e == nil {
		return 0, false
	}
	return e.val + (code - e.base), true
}

// lookup finds the entry for a code of n bytes in tables, applying the
// length fallback described at unicode. It returns nil if there is none.
func (c *cmap) lookup(tables *[4][]cmapEntry, code uint32, n int) *cmapEntry {
	declared := func(l int) bool { return l >= 1 && l <= 4 && c.spaceLens&(1<<(l-1)) != 0 }
	if n >= 1 && n <= 4 {
		if e := cmapFind(tables[n-1], code); e != nil {
			return e
		}
	}
	for l := 1; l <= 4; l++ {
		if l == n || len(tables[l-1]) == 0 || (l < 4 && code>>(8*uint(l)) != 0) {
			continue
		}
		if declared(n) && declared(l) {
			continue
		}
		if e := cmapFind(tables[l-1], code); e != nil {
			return e
		}
	}
	return nil
}

// cmapFind returns the entry of the sorted, disjoint t that contains code,
// or nil.
func cmapFind(t []cmapEntry, code uint32) *cmapEntry {
	i, j := 0, len(t)
	for i < j {
		h := int(uint(i+j) >> 1)
		if t[h].hi < code {
			i = h + 1
		} else {
			j = h
		}
	}
	if i < len(t) && t[i].lo <= code {
		return &t[i]
	}
	return nil
}

// incrText returns the destination of a bfrange entry for the code off
// places after the range start (9.10.3). The destination's last up to four
// bytes are read as a big-endian integer and off is added, with carry across
// bytes (<00FF> + 1 is <0100>); when the destination ends in a UTF-16
// surrogate pair, the code point it encodes is incremented instead, so that
// <D840DFFF> + 1 is U+20400 and not an invalid pair.
func (c *cmap) incrText(e *cmapEntry, off uint32) (string, bool) {
	d := c.raw[e.val : e.val+uint32(e.n)]
	if len(d) == 2 { // the common case: one BMP character
		r := rune((uint32(d[0])<<8 | uint32(d[1]) + off) & 0xFFFF)
		if utf16.IsSurrogate(r) {
			return "", false
		}
		t := cmapBMPDst(r)
		return t, t != ""
	}
	var buf [16]byte
	b := append(buf[:0], d...)
	k := len(b)
	if k >= 4 && cmapHighSurr(b[k-4:]) && cmapLowSurr(b[k-2:]) {
		if off > utf8.MaxRune {
			return "", false
		}
		r := utf16.DecodeRune(rune(cmapBE16(b[k-4:])), rune(cmapBE16(b[k-2:]))) + rune(off)
		if r > utf8.MaxRune {
			return "", false
		}
		r1, r2 := utf16.EncodeRune(r) // r >= 0x10000: always a valid pair
		b[k-4], b[k-3], b[k-2], b[k-1] = byte(r1>>8), byte(r1), byte(r2>>8), byte(r2)
	} else {
		w := min(k, 4)
		var v uint32
		for _, x := range b[k-w:] {
			v = v<<8 | uint32(x)
		}
		v += off
		for i := k - 1; i >= k-w; i-- {
			b[i] = byte(v)
			v >>= 8
		}
	}
	s := cmapDecodeDst(b)
	return s, s != ""
}

// cmapBE16 reads a big-endian uint16 from the first two bytes of b.
func cmapBE16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

// cmapHighSurr reports whether b starts with a UTF-16BE high surrogate.
func cmapHighSurr(b []byte) bool { return b[0] >= 0xD8 && b[0] <= 0xDB }

// cmapLowSurr reports whether b starts with a UTF-16BE low surrogate.
func cmapLowSurr(b []byte) bool { return b[0] >= 0xDC && b[0] <= 0xDF }

// cmapDecodeDst decodes a bfchar/bfrange destination string: UTF-16BE with
// surrogate pairs (9.10.3). A one-byte destination such as <41> is taken as
// the code point U+0041, as poppler does; an odd trailing byte is dropped;
// unpaired surrogates become U+FFFD. A destination that is U+0000, U+FFFE or
// U+FFFF alone gives "": producers write these for .notdef and null glyphs
// (WPS maps CID 0 to <FFFF>), and they are not text.
func cmapDecodeDst(b []byte) string {
	switch {
	case len(b) == 0:
		return ""
	case len(b) == 1:
		return cmapBMPDst(rune(b[0]))
	case len(b) <= 3 && !utf16.IsSurrogate(rune(cmapBE16(b))):
		return cmapBMPDst(rune(cmapBE16(b)))
	}
	var out []byte
	for i := 0; i+1 < len(b); i += 2 {
		r := rune(cmapBE16(b[i:]))
		if utf16.IsSurrogate(r) {
			r = utf8.RuneError
			if i+3 < len(b) && cmapHighSurr(b[i:]) && cmapLowSurr(b[i+2:]) {
				r = utf16.DecodeRune(rune(cmapBE16(b[i:])), rune(cmapBE16(b[i+2:])))
				i += 2
			}
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out)
}

// cmapBMPDst returns the text of a one-character BMP destination r, which
// is not a surrogate: "" for U+0000, U+FFFE and U+FFFF (see cmapDecodeDst).
func cmapBMPDst(r rune) string {
	if r == 0 || r == 0xFFFE || r == 0xFFFF {
		return ""
	}
	return bmpText(r)
}

// bmpUTF8 holds the UTF-8 encoding of every code point U+0000..U+FFFF in
// order, with surrogates encoded as U+FFFD, so that bmpText can return
// one-character strings without allocating. It is built on first use.
var (
	bmpOnce sync.Once
	bmpUTF8 string
)

// bmpText returns the one-character string for the BMP code point r, or
// U+FFFD for a surrogate or an r outside the BMP. It does not allocate.
func bmpText(r rune) string {
	bmpOnce.Do(func() {
		b := make([]byte, 0, 0x80+0x780*2+0xF800*3)
		for r := rune(0); r <= 0xFFFF; r++ {
			if utf16.IsSurrogate(r) {
				b = append(b, "\uFFFD"...)
			} else {
				b = utf8.AppendRune(b, r)
			}
		}
		bmpUTF8 = string(b)
	})
	switch {
	case r < 0:
		r = utf8.RuneError
	case r < 0x80:
		return bmpUTF8[r : r+1]
	case r < 0x800:
		o := 0x80 + (r-0x80)*2
		return bmpUTF8[o : o+2]
	case r > 0xFFFF:
		r = utf8.RuneError
	}
	o := 0x80 + 0x780*2 + (r-0x800)*3
	return bmpUTF8[o : o+3]
}

// cmapGlyphNameText returns the text of a glyph name used as a ToUnicode
// destination: the Adobe Glyph List conventions uniXXXX[XXXX...] (BMP code
// points, four hex digits each) and uXXXX[XX]. Other names give "".
func cmapGlyphNameText(name []byte) string {
	hexv := func(s []byte) (rune, bool) {
		var v rune
		for _, c := range s {
			d, ok := cmapHexDigit(c)
			if !ok {
				return 0, false
			}
			v = v<<4 | rune(d)
		}
		return v, true
	}
	switch {
	case len(name) >= 7 && len(name)%4 == 3 && string(name[:3]) == "uni":
		var out []byte
		for s := name[3:]; len(s) > 0; s = s[4:] {
			r, ok := hexv(s[:4])
			if !ok || utf16.IsSurrogate(r) {
				return ""
			}
			out = utf8.AppendRune(out, r)
		}
		return string(out)
	case len(name) >= 5 && len(name) <= 7 && name[0] == 'u':
		r, ok := hexv(name[1:])
		if !ok || utf16.IsSurrogate(r) || r > utf8.MaxRune {
			return ""
		}
		return string(r)
	}
	return ""
}

// cmapParser holds the state of parseCMap.
type cmapParser struct {
	lx       cmapLexer
	c        cmap
	pending  cmapTok
	havePend bool
	lastName []byte         // name operand before the current keyword (for usecmap)
	bfAll    [4][]cmapEntry // bf definitions by code length - 1, in order
	cidAll   [4][]cmapEntry // cid definitions by code length - 1, in order
}

// next returns the pushed-back token, if any, or the next token.
func (p *cmapParser) next() cmapTok {
	if p.havePend {
		p.havePend = false
		return p.pending
	}
	return p.lx.next()
}

// unread pushes back one token. Only keyword, name, number and EOF tokens
// are pushed back: their bytes alias the input, not the lexer's scratch.
func (p *cmapParser) unread(t cmapTok) {
	p.pending, p.havePend = t, true
}

// endOf handles a keyword met inside a block: it reports whether the block
// ends, pushing back any keyword other than end so that the main loop sees
// it (a block whose end keyword is missing).
func (p *cmapParser) endOf(t cmapTok, end string) bool {
	switch t.kind {
	case ctEOF:
		return true
	case ctKeyword:
		if string(t.b) != end {
			p.unread(t)
		}
		return true
	}
	return false
}

// cmapSrcCode returns the code value and length of a source code string.
func cmapSrcCode(b []byte) (uint32, int, bool) {
	if len(b) < 1 || len(b) > 4 {
		return 0, 0, false
	}
	var v uint32
	for _, x := range b {
		v = v<<8 | uint32(x)
	}
	return v, len(b), true
}

// cmapSrcRange returns the codes of a range whose bounds are written lo and hi.
// The length is lo's; a longer hi is clamped to the largest code of that
// length.
func cmapSrcRange(lo, hi []byte) (l, h uint32, n int, ok bool) {
	l, n, ok = cmapSrcCode(lo)
	if !ok || len(hi) < 1 {
		return 0, 0, 0, false
	}
	maxv := uint32(1)<<(8*uint(n)) - 1
	if n == 4 {
		maxv = 0xFFFFFFFF
	}
	if len(hi) > n {
		h = maxv
		var v uint64
		for _, x := range hi[:min(len(hi), 8)] {
			v = v<<8 | uint64(x)
		}
		if v <= uint64(maxv) {
			h = uint32(v)
		}
	} else {
		h, _, _ = cmapSrcCode(hi)
	}
	if h < l {
		return 0, 0, 0, false
	}
	return l, h, n, true
}

// codespace reads the body of a begincodespacerange block.
func (p *cmapParser) codespace() {
	c := &p.c
	for {
		t := p.next()
		if p.endOf(t, "endcodespacerange") {
			return
		}
		if t.kind != ctString {
			continue
		}
		lo := t.b
		var lobuf [4]byte
		if len(lo) <= 4 {
			lo = lobuf[:copy(lobuf[:], lo)]
		}
		u := p.next()
		if p.endOf(u, "endcodespacerange") {
			return
		}
		if u.kind != ctString {
			continue
		}
		l, h, n, ok := cmapSrcRange(lo, u.b)
		if !ok {
			continue
		}
		total := 0
		for _, s := range c.space {
			total += len(s)
		}
		if total >= cmapMaxCodespaces {
			continue
		}
		c.space[n-1] = append(c.space[n-1], cmapSpan{l, h})
		c.spaceLens |= 1 << (n - 1)
	}
}

// addText records a code range whose codes map to consecutive elements of
// texts starting at first.
func (p *cmapParser) addText(lo, hi uint32, n int, first int) {
	p.bfAll[n-1] = append(p.bfAll[n-1], cmapEntry{lo: lo, hi: hi, base: lo, val: uint32(first), kind: cmapEntryText})
}

// bfchar reads the body of a beginbfchar block: pairs of a source code and
// a destination string or glyph name.
func (p *cmapParser) bfchar() {
	c := &p.c
	for {
		t := p.next()
		if p.endOf(t, "endbfchar") {
			return
		}
		if t.kind != ctString {
			continue
		}
		code, n, ok := cmapSrcCode(t.b)
		d := p.next()
		if p.endOf(d, "endbfchar") {
			return
		}
		if !ok {
			continue
		}
		switch d.kind {
		case ctString:
			if len(d.b) > cmapMaxDst {
				continue
			}
			c.texts = append(c.texts, cmapDecodeDst(d.b))
		case ctName:
			c.texts = append(c.texts, cmapGlyphNameText(d.b))
		default:
			continue
		}
		p.addText(code, code, n, len(c.texts)-1)
	}
}

// bfrange reads the body of a beginbfrange block: a low and a high source
// code and either a destination string, incremented for each code, or an
// array holding one destination per code (9.10.3). A glyph name as the
// destination of a whole range (seen in broken files) maps the low code
// only.
func (p *cmapParser) bfrange() {
	c := &p.c
	var lobuf [4]byte
	for {
		t := p.next()
		if p.endOf(t, "endbfrange") {
			return
		}
		if t.kind != ctString {
			continue
		}
		lo := t.b
		if len(lo) <= 4 {
			lo = lobuf[:copy(lobuf[:], lo)]
		}
		u := p.next()
		if p.endOf(u, "endbfrange") {
			return
		}
		if u.kind != ctString {
			continue
		}
		l, h, n, ok := cmapSrcRange(lo, u.b)
		d := p.next()
		if p.endOf(d, "endbfrange") {
			return
		}
		switch d.kind {
		case ctString:
			if !ok || len(d.b) == 0 || len(d.b) > cmapMaxDst {
				continue
			}
			if l == h {
				c.texts = append(c.texts, cmapDecodeDst(d.b))
				p.addText(l, l, n, len(c.texts)-1)
				continue
			}
			off := len(c.raw)
			c.raw = append(c.raw, d.b...)
			p.bfAll[n-1] = append(p.bfAll[n-1], cmapEntry{lo: l, hi: h, base: l, val: uint32(off), n: uint16(len(d.b)), kind: cmapEntryIncr})
		case ctName:
			if ok {
				c.texts = append(c.texts, cmapGlyphNameText(d.b))
				p.addText(l, l, n, len(c.texts)-1)
			}
		case ctArrayOpen:
			first := len(c.texts)
			count := uint64(0)
			span := uint64(h) - uint64(l) + 1
			for {
				e := p.next()
				if e.kind == ctArrayClose {
					break
				}
				if e.kind == ctEOF || e.kind == ctKeyword {
					p.unread(e)
					break
				}
				if !ok || count >= span {
					continue
				}
				s := ""
				switch e.kind {
				case ctString:
					if len(e.b) <= cmapMaxDst {
						s = cmapDecodeDst(e.b)
					}
				case ctName:
					s = cmapGlyphNameText(e.b)
				}
				c.texts = append(c.texts, s)
				count++
			}
			if ok && count > 0 {
				p.addText(l, l+uint32(count-1), n, first)
			}
		}
	}
}

// cidchar reads the body of a begincidchar block: pairs of a source code
// and a CID.
func (p *cmapParser) cidchar() {
	for {
		t := p.next()
		if p.endOf(t, "endcidchar") {
			return
		}
		if t.kind != ctString {
			continue
		}
		code, n, ok := cmapSrcCode(t.b)
		d := p.next()
		if p.endOf(d, "endcidchar") {
			return
		}
		if !ok || d.kind != ctNumber || d.num < 0 || d.num > 0xFFFFFFFF {
			continue
		}
		p.cidAll[n-1] = append(p.cidAll[n-1], cmapEntry{lo: code, hi: code, base: code, val: uint32(d.num), kind: cmapEntryCID})
	}
}

// cidrange reads the body of a begincidrange block: a low and a high
// source code and the CID of the low code.
func (p *cmapParser) cidrange() {
	var lobuf [4]byte
	for {
		t := p.next()
		if p.endOf(t, "endcidrange") {
			return
		}
		if t.kind != ctString {
			continue
		}
		lo := t.b
		if len(lo) <= 4 {
			lo = lobuf[:copy(lobuf[:], lo)]
		}
		u := p.next()
		if p.endOf(u, "endcidrange") {
			return
		}
		if u.kind != ctString {
			continue
		}
		l, h, n, ok := cmapSrcRange(lo, u.b)
		d := p.next()
		if p.endOf(d, "endcidrange") {
			return
		}
		if !ok || d.kind != ctNumber || d.num < 0 || d.num > 0xFFFFFFFF {
			continue
		}
		// Clip the range so that CIDs do not wrap past 0xFFFFFFFF.
		v := uint32(d.num)
		if uint64(h-l) > uint64(0xFFFFFFFF-v) {
			h = l + (0xFFFFFFFF - v)
		}
		p.cidAll[n-1] = append(p.cidAll[n-1], cmapEntry{lo: l, hi: h, base: l, val: v, kind: cmapEntryCID})
	}
}

// skipBlock skips the body of a block that is not used, up to its end
// keyword.
func (p *cmapParser) skipBlock(end string) {
	for {
		if t := p.next(); p.endOf(t, end) {
			return
		}
	}
}

// finish resolves overlapping definitions and checks that something usable
// was found.
func (p *cmapParser) finish() (*cmap, error) {
	c := &p.c
	found := c.spaceLens != 0 || c.useCMap != ""
	c.defaultLen = 0
	for l := 0; l < 4; l++ {
		c.bf[l] = cmapResolve(p.bfAll[l])
		c.cids[l] = cmapResolve(p.cidAll[l])
		if len(c.bf[l])+len(c.cids[l]) > 0 {
			found = true
			if c.defaultLen == 0 {
				c.defaultLen = l + 1
			}
		}
	}
	if c.defaultLen == 0 {
		c.defaultLen = 2
	}
	if !found {
		return nil, errCMapEmpty
	}
	out := new(cmap)
	*out = *c
	return out, nil
}

// cmapResolve turns definitions, in the order they were written, into a
// sorted table of disjoint entries in which a later definition overrides an
// earlier one where they overlap. Without overlaps (the usual case) it only
// sorts; otherwise it sweeps the range boundaries keeping the latest
// definition active at each point, in O(n log n).
func cmapResolve(defs []cmapEntry) []cmapEntry {
	if len(defs) == 0 {
		return nil
	}
	order := make([]int32, len(defs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		switch x, y := defs[a].lo, defs[b].lo; {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	overlap := false
	for k := 1; k < len(order); k++ {
		if defs[order[k]].lo <= defs[order[k-1]].hi {
			overlap = true
			break
		}
	}
	if !overlap {
		out := make([]cmapEntry, len(defs))
		for k, i := range order {
			out[k] = defs[i]
		}
		return out
	}
	bounds := make([]uint64, 0, 2*len(defs))
	for _, d := range defs {
		bounds = append(bounds, uint64(d.lo), uint64(d.hi)+1)
	}
	slices.Sort(bounds)
	bounds = slices.Compact(bounds)
	var active cmapSeqHeap
	var out []cmapEntry
	k := 0
	for bi := 0; bi+1 < len(bounds); bi++ {
		b := bounds[bi]
		for k < len(order) && uint64(defs[order[k]].lo) == b {
			heap.Push(&active, order[k])
			k++
		}
		for len(active) > 0 && uint64(defs[active[0]].hi) < b {
			heap.Pop(&active)
		}
		if len(active) == 0 {
			continue
		}
		owner := defs[active[0]]
		lo, hi := uint32(b), uint32(bounds[bi+1]-1)
		if n := len(out); n > 0 && out[n-1].hi+1 == lo && out[n-1].base == owner.base &&
			out[n-1].val == owner.val && out[n-1].kind == owner.kind && out[n-1].n == owner.n {
			out[n-1].hi = hi
			continue
		}
		owner.lo, owner.hi = lo, hi
		out = append(out, owner)
	}
	return out
}

// cmapSeqHeap is a max-heap of definition indices: the latest definition is on
// top.
type cmapSeqHeap []int32

// Len, Less, Swap, Push and Pop implement heap.Interface.
func (h cmapSeqHeap) Len() int           { return len(h) }
func (h cmapSeqHeap) Less(i, j int) bool { return h[i] > h[j] }
func (h cmapSeqHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *cmapSeqHeap) Push(x any)        { *h = append(*h, x.(int32)) }
func (h *cmapSeqHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// cmapTokKind is the kind of a CMap token.
type cmapTokKind uint8

const (
	ctEOF        cmapTokKind = iota
	ctString                 // <hex> or (literal); b is the decoded bytes
	ctName                   // /Name; b is the name without the slash
	ctNumber                 // integer (a real is truncated); num
	ctArrayOpen              // [
	ctArrayClose             // ]
	ctKeyword                // anything else: begincmap, def, usecmap, ...
)

// cmapTok is one CMap token. For ctString, b aliases the lexer's scratch
// buffer and is valid only until the next call to next; otherwise it
// aliases the input.
type cmapTok struct {
	kind cmapTokKind
	b    []byte
	num  int64
}

// cmapLexer splits a CMap into tokens (PDF 32000-1, 7.2; the CMap syntax is
// PostScript, which shares these lexical rules). Dictionaries and
// procedures are not parsed: their delimiters are skipped and their
// contents read as ordinary tokens.
type cmapLexer struct {
	data    []byte
	pos     int
	scratch []byte
}

// cmapIsSpace reports whether c is a white-space character (7.2.2).
func cmapIsSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

// cmapIsDelim reports whether c is a delimiter character (7.2.2).
func cmapIsDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// cmapHexDigit returns the value of the hexadecimal digit c.
func cmapHexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// next returns the next token, or a ctEOF token at the end of the data.
// Every call consumes at least one byte unless the data is exhausted.
func (l *cmapLexer) next() cmapTok {
	d := l.data
	for l.pos < len(d) {
		c := d[l.pos]
		switch {
		case cmapIsSpace(c):
			l.pos++
			continue
		case c == '%':
			for l.pos < len(d) && d[l.pos] != '\n' && d[l.pos] != '\r' {
				l.pos++
			}
			continue
		case c == '<':
			if l.pos+1 < len(d) && d[l.pos+1] == '<' {
				l.pos += 2 // dictionary open: skipped
				continue
			}
			return l.hex()
		case c == '>' || c == '{' || c == '}' || c == ')':
			l.pos++ // dictionary close, procedure braces, stray ')'
			continue
		case c == '(':
			return l.literal()
		case c == '[':
			l.pos++
			return cmapTok{kind: ctArrayOpen}
		case c == ']':
			l.pos++
			return cmapTok{kind: ctArrayClose}
		case c == '/':
			l.pos++
			start := l.pos
			for l.pos < len(d) && !cmapIsSpace(d[l.pos]) && !cmapIsDelim(d[l.pos]) {
				l.pos++
			}
			return cmapTok{kind: ctName, b: d[start:l.pos]}
		}
		start := l.pos
		for l.pos < len(d) && !cmapIsSpace(d[l.pos]) && !cmapIsDelim(d[l.pos]) {
			l.pos++
		}
		w := d[start:l.pos]
		if v, ok := cmapNumber(w); ok {
			return cmapTok{kind: ctNumber, num: v}
		}
		return cmapTok{kind: ctKeyword, b: w}
	}
	return cmapTok{kind: ctEOF}
}

// cmapNumber parses an integer or real, truncating the fraction and
// saturating at ±2^40 so that no value overflows.
func cmapNumber(w []byte) (int64, bool) {
	i := 0
	neg := false
	if i < len(w) && (w[i] == '+' || w[i] == '-') {
		neg = w[i] == '-'
		i++
	}
	var v int64
	digits := 0
	for ; i < len(w) && w[i] >= '0' && w[i] <= '9'; i++ {
		if v < 1<<40 {
			v = v*10 + int64(w[i]-'0')
		}
		digits++
	}
	if i < len(w) && w[i] == '.' {
		i++
		for ; i < len(w) && w[i] >= '0' && w[i] <= '9'; i++ {
			digits++
		}
	}
	if i != len(w) || digits == 0 {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// hex reads a hexadecimal string (7.3.4.3). Characters other than hex
// digits are ignored; an odd final digit is followed by 0.
func (l *cmapLexer) hex() cmapTok {
	d := l.data
	l.pos++ // '<'
	l.scratch = l.scratch[:0]
	var hi byte
	half := false
	for l.pos < len(d) && d[l.pos] != '>' {
		v, ok := cmapHexDigit(d[l.pos])
		l.pos++
		if !ok {
			continue
		}
		if half {
			l.scratch = append(l.scratch, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		l.scratch = append(l.scratch, hi<<4)
	}
	if l.pos < len(d) {
		l.pos++ // '>'
	}
	return cmapTok{kind: ctString, b: l.scratch}
}

// literal reads a literal string (7.3.4.2) with its escapes.
func (l *cmapLexer) literal() cmapTok {
	d := l.data
	l.pos++ // '('
	l.scratch = l.scratch[:0]
	depth := 1
	for l.pos < len(d) {
		c := d[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return cmapTok{kind: ctString, b: l.scratch}
			}
		case '\\':
			if l.pos >= len(d) {
				continue
			}
			c = d[l.pos]
			l.pos++
			switch c {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(d) && d[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			case '0', '1', '2', '3', '4', '5', '6', '7':
				v := int(c - '0')
				for k := 0; k < 2 && l.pos < len(d) && d[l.pos] >= '0' && d[l.pos] <= '7'; k++ {
					v = v*8 + int(d[l.pos]-'0')
					l.pos++
				}
				c = byte(v)
			}
		}
		l.scratch = append(l.scratch, c)
	}
	return cmapTok{kind: ctString, b: l.scratch}
}
