package extract

import (
	"errors"
	"sync"
)

// This file reads the 'cmap' table of an embedded TrueType or OpenType font
// program (PDF 32000-1, 9.9 Embedded Font Programs: FontFile2, and FontFile3
// with /Subtype /OpenType) so that text can be recovered where the PDF gives
// no ToUnicode CMap: an Identity-H CIDFontType2 font is read through the
// font's Unicode cmap backwards, from glyph to character, as poppler does;
// and a symbolic simple TrueType font maps its codes to glyphs through the
// (3,0) or (1,0) subtable (9.6.6.4). Table layouts are those of the OpenType
// specification ('cmap', 'maxp', the table directory and TTC header). All
// reads are bounds-checked: the input is untrusted.

var (
	errSfntShort  = errors.New("sfnt: font program too short")
	errSfntNoCmap = errors.New("sfnt: no usable cmap subtable")
)

// sfntRevBudget bounds the (code, glyph) pairs visited when building the
// reverse map, so that hostile subtables claiming huge ranges cost little.
// It is more than the 1.1 million Unicode code points.
const sfntRevBudget = 1 << 21

// sfntCmap is the cmap of an embedded font program: its best Unicode
// subtable and, if present, its (3,0) Windows symbol and (1,0) Mac Roman
// subtables. It is safe for concurrent use.
type sfntCmap struct {
	uni sfntSub // (3,10), (3,1) or (0,*): Unicode code points
	sym sfntSub // (3,0): symbol codes, usually 0xF000 + byte
	mac sfntSub // (1,0): Mac Roman bytes

	numGlyphs int // from 'maxp'; 0 if absent

	revOnce sync.Once
	rev     []rune // glyph id → Unicode, built on first use; 0 = none
}

// sfntSub is one cmap subtable. data runs from the subtable's first byte to
// the end of the cmap table (subtable lengths are not trusted: format 4
// lengths overflow 16 bits in large fonts); its arrays were checked to fit.
type sfntSub struct {
	format uint16
	data   []byte
	n      int    // format 4: segments; 6: entries; 12, 13: groups
	first  uint32 // format 6: first code
}

// sfntU16 reads a big-endian uint16 at off, or 0 if it lies outside b.
func sfntU16(b []byte, off int) uint32 {
	if off < 0 || off+2 > len(b) {
		return 0
	}
	return uint32(b[off])<<8 | uint32(b[off+1])
}

// sfntU32 reads a big-endian uint32 at off, or 0 if it lies outside b.
func sfntU32(b []byte, off int) uint32 {
	if off < 0 || off+4 > len(b) {
		return 0
	}
	return uint32(b[off])<<24 | uint32(b[off+1])<<16 | uint32(b[off+2])<<8 | uint32(b[off+3])
}

// parseSfntCmap reads the table directory of a TrueType (FontFile2) or
// OpenType (FontFile3 /OpenType, 'OTTO') font program, its 'maxp' glyph
// count and its 'cmap' table. A TrueType collection ('ttcf') is read for
// its first font.
//
// For Unicode it prefers (3,10) format 12 or 13, then (3,1) format 4, then
// any other (3,10) or (3,1) subtable, then (0,*) subtables (format 12 or 13
// first, then the highest encoding ID). It also keeps the (3,0) symbol and
// (1,0) Mac Roman subtables for glyphForCode. Formats 0, 4, 6, 12 and 13 are
// read; others are ignored. The cmap table is copied, so the font program
// may be discarded afterwards.
func parseSfntCmap(font []byte) (*sfntCmap, error) {
	if len(font) < 12 {
		return nil, errSfntShort
	}
	base := 0
	if string(font[:4]) == "ttcf" {
		if sfntU32(font, 8) == 0 {
			return nil, errSfntShort
		}
		off := sfntU32(font, 12)
		if uint64(off)+12 > uint64(len(font)) {
			return nil, errSfntShort
		}
		base = int(off)
	}
	numTables := int(sfntU16(font, base+4))
	dir := base + 12
	numTables = min(numTables, (len(font)-dir)/16)
	var cmapTab, maxpTab []byte
	for i := 0; i < numTables; i++ {
		rec := dir + 16*i
		tag := string(font[rec : rec+4])
		if tag != "cmap" && tag != "maxp" {
			continue
		}
		// Table offsets are from the start of the file, also in a TTC.
		off, length := uint64(sfntU32(font, rec+8)), uint64(sfntU32(font, rec+12))
		if off >= uint64(len(font)) {
			continue
		}
		end := min(off+length, uint64(len(font)))
		if tag == "cmap" && cmapTab == nil {
			// A wrong length is common; the subtables are bounded below.
			if length < 4 {
				end = uint64(len(font))
			}
			cmapTab = font[off:end]
		} else if tag == "maxp" && maxpTab == nil {
			maxpTab = font[off:end]
		}
	}
	c := &sfntCmap{numGlyphs: int(sfntU16(maxpTab, 4))}
	if len(cmapTab) < 4 {
		return nil, errSfntNoCmap
	}
	cmapTab = append([]byte(nil), cmapTab...)
	n := int(sfntU16(cmapTab, 2))
	n = min(n, (len(cmapTab)-4)/8)
	best := -1
	for i := 0; i < n; i++ {
		rec := 4 + 8*i
		pid, eid := sfntU16(cmapTab, rec), sfntU16(cmapTab, rec+2)
		off := sfntU32(cmapTab, rec+4)
		if uint64(off) >= uint64(len(cmapTab)) {
			continue
		}
		sub, ok := newSfntSub(cmapTab[off:])
		if !ok {
			continue
		}
		switch {
		case pid == 3 && eid == 0:
			if c.sym.data == nil {
				c.sym = sub
			}
			continue
		case pid == 1 && eid == 0:
			if c.mac.data == nil {
				c.mac = sub
			}
			continue
		}
		if p := sfntUnicodePriority(pid, eid, sub.format); p > best {
			best, c.uni = p, sub
		}
	}
	if c.uni.data == nil && c.sym.data == nil && c.mac.data == nil {
		return nil, errSfntNoCmap
	}
	return c, nil
}

// sfntUnicodePriority ranks a Unicode subtable; -1 means not Unicode.
func sfntUnicodePriority(pid, eid uint32, format uint16) int {
	full := format == 12 || format == 13
	switch {
	case pid == 3 && eid == 10 && full:
		return 100
	case pid == 3 && eid == 1 && format == 4:
		return 90
	case pid == 3 && (eid == 10 || eid == 1):
		return 80
	case pid == 0 && full:
		return 70 + int(min(eid, 9))
	case pid == 0:
		return 60 + int(min(eid, 9))
	}
	return -1
}

// newSfntSub checks the header and array bounds of the subtable at the
// start of d and returns it. Counts that claim more entries than d holds
// are cut down to what it holds.
func newSfntSub(d []byte) (sfntSub, bool) {
	s := sfntSub{format: uint16(sfntU16(d, 0)), data: d}
	switch s.format {
	case 0:
		return s, len(d) >= 6+256
	case 4:
		if len(d) < 14 {
			return s, false
		}
		s.n = int(sfntU16(d, 6) / 2)
		return s, s.n > 0 && 16+8*s.n <= len(d)
	case 6:
		if len(d) < 10 {
			return s, false
		}
		s.first = sfntU16(d, 6)
		s.n = min(int(sfntU16(d, 8)), (len(d)-10)/2)
		return s, true
	case 12, 13:
		if len(d) < 16 {
			return s, false
		}
		s.n = int(min(uint64(sfntU32(d, 12)), uint64(len(d)-16)/12))
		return s, true
	}
	return s, false
}

// glyph returns the glyph of code c in the subtable, 0 if none.
func (s *sfntSub) glyph(c uint32) uint16 {
	d := s.data
	switch s.format {
	case 0:
		if c < 256 {
			return uint16(d[6+c])
		}
	case 4:
		if c > 0xFFFF {
			return 0
		}
		seg := s.n
		// First segment whose end code is >= c (end codes ascend).
		i, j := 0, seg
		for i < j {
			h := int(uint(i+j) >> 1)
			if sfntU16(d, 14+2*h) < c {
				i = h + 1
			} else {
				j = h
			}
		}
		if i >= seg {
			return 0
		}
		start := sfntU16(d, 16+2*seg+2*i)
		if start > c {
			return 0
		}
		return s.seg4(i, c, start)
	case 6:
		if c >= s.first && c-s.first < uint32(s.n) {
			return uint16(sfntU16(d, 10+2*int(c-s.first)))
		}
	case 12, 13:
		i, j := 0, s.n
		for i < j {
			h := int(uint(i+j) >> 1)
			if sfntU32(d, 16+12*h+4) < c {
				i = h + 1
			} else {
				j = h
			}
		}
		if i >= s.n {
			return 0
		}
		g := 16 + 12*i
		start := sfntU32(d, g)
		if start > c {
			return 0
		}
		gid := uint64(sfntU32(d, g+8))
		if s.format == 12 {
			gid += uint64(c - start)
		}
		if gid <= 0xFFFF {
			return uint16(gid)
		}
	}
	return 0
}

// seg4 returns the glyph of code c in segment i (starting at start) of a
// format 4 subtable.
func (s *sfntSub) seg4(i int, c, start uint32) uint16 {
	d, seg := s.data, s.n
	delta := sfntU16(d, 16+4*seg+2*i)
	roPos := 16 + 6*seg + 2*i
	ro := sfntU16(d, roPos)
	if ro == 0 {
		return uint16(c + delta)
	}
	g := sfntU16(d, roPos+int(ro)+2*int(c-start))
	if g == 0 {
		return 0
	}
	return uint16(g + delta)
}

// each calls fn for the (code, glyph) pairs of the subtable with a nonzero
// glyph, while *budget lasts; each pair visited costs 1. Format 13 groups,
// which map all their codes to one glyph, give their first code only.
func (s *sfntSub) each(budget *int, fn func(c uint32, gid uint16)) {
	d := s.data
	switch s.format {
	case 0:
		for c := uint32(0); c < 256 && *budget > 0; c++ {
			*budget--
			if g := uint16(d[6+c]); g != 0 {
				fn(c, g)
			}
		}
	case 4:
		for i := 0; i < s.n && *budget > 0; i++ {
			end := sfntU16(d, 14+2*i)
			start := sfntU16(d, 16+2*s.n+2*i)
			for c := start; c <= end && *budget > 0; c++ {
				*budget--
				if g := s.seg4(i, c, start); g != 0 {
					fn(c, g)
				}
			}
		}
	case 6:
		for k := 0; k < s.n && *budget > 0; k++ {
			*budget--
			if g := uint16(sfntU16(d, 10+2*k)); g != 0 {
				fn(s.first+uint32(k), g)
			}
		}
	case 12, 13:
		for i := 0; i < s.n && *budget > 0; i++ {
			g := 16 + 12*i
			start, end, gid := sfntU32(d, g), sfntU32(d, g+4), sfntU32(d, g+8)
			if end < start || start > 0x10FFFF || gid > 0xFFFF {
				*budget--
				continue
			}
			if s.format == 13 {
				*budget--
				if gid != 0 {
					fn(start, uint16(gid))
				}
				continue
			}
			// Glyphs beyond 0xFFFF and codes beyond U+10FFFF do not exist.
			last := min(uint64(end-start), uint64(0xFFFF-gid), uint64(0x10FFFF-start))
			for k := uint64(0); k <= last && *budget > 0; k++ {
				*budget--
				if gid+uint32(k) != 0 {
					fn(start+uint32(k), uint16(gid+uint32(k)))
				}
			}
		}
	}
}

// runeClass orders the code points that map to one glyph for
// runeForGlyph: ordinary characters first, then CJK radicals and
// compatibility ideographs (fonts give them the glyph of the unified
// ideograph), then private-use code points, then controls.
func runeClass(r rune) int {
	switch {
	case r < 0x20 || r >= 0x7F && r < 0xA0:
		return 3
	case r >= 0xE000 && r <= 0xF8FF, r >= 0xF0000:
		return 2
	case r >= 0x2E80 && r <= 0x2FDF, r >= 0xF900 && r <= 0xFAFF, r >= 0x2F800 && r <= 0x2FA1F:
		return 1
	}
	return 0
}

// runeForGlyph returns the Unicode character of glyph gid according to the
// font's Unicode subtable: of the code points mapping to the glyph, the
// smallest of the best class (see runeClass), so that a glyph mapped from
// both a private-use and a standard code point gives the standard one. The
// reverse map is built on first use.
func (c *sfntCmap) runeForGlyph(gid uint16) (rune, bool) {
	c.revOnce.Do(c.buildReverse)
	if int(gid) < len(c.rev) {
		if r := c.rev[gid]; r != 0 {
			return r, true
		}
	}
	return 0, false
}

// buildReverse fills c.rev from the Unicode subtable; see runeForGlyph.
func (c *sfntCmap) buildReverse() {
	if c.uni.data == nil {
		return
	}
	var rev []rune
	if c.numGlyphs > 0 {
		rev = make([]rune, c.numGlyphs)
	}
	budget := sfntRevBudget
	c.uni.each(&budget, func(code uint32, gid uint16) {
		r := rune(code)
		if r == 0 || r > 0x10FFFF || r >= 0xD800 && r <= 0xDFFF {
			return
		}
		if int(gid) >= len(rev) {
			rev = append(rev, make([]rune, int(gid)+1-len(rev))...)
		}
		if cur := rev[gid]; cur == 0 || runeClass(r) < runeClass(cur) ||
			runeClass(r) == runeClass(cur) && r < cur {
			rev[gid] = r
		}
	})
	c.rev = rev
}

// glyphForCode returns the glyph of a single-byte code of a symbolic
// TrueType font (9.6.6.4): through the (3,0) subtable, trying code and then
// 0xF000, 0xF100 and 0xF200 plus code, or else through the (1,0) subtable.
func (c *sfntCmap) glyphForCode(code byte) (uint16, bool) {
	if c.sym.data != nil {
		for _, hi := range [...]uint32{0, 0xF000, 0xF100, 0xF200} {
			if g := c.sym.glyph(hi | uint32(code)); g != 0 {
				return g, true
			}
		}
	}
	if c.mac.data != nil {
		if g := c.mac.glyph(uint32(code)); g != 0 {
			return g, true
		}
	}
	return 0, false
}

// glyphForRune returns the glyph of the character r through the Unicode
// subtable, as for a non-symbolic TrueType font (9.6.6.4).
func (c *sfntCmap) glyphForRune(r rune) (uint16, bool) {
	if c.uni.data == nil || r < 0 {
		return 0, false
	}
	g := c.uni.glyph(uint32(r))
	return g, g != 0
}
