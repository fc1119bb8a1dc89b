package extract

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readTestFont reads a testdata font, gunzipping .gz files.
func readTestFont(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return data
}

// fontGolden is what fontTools (ttx) reports for a font: its glyph count
// and, per cmap subtable, the code → glyph id pairs with nonzero glyphs.
type fontGolden struct {
	numGlyphs int
	subs      map[[3]int]map[uint32]uint16 // (platform, encoding, format)
}

func readFontGolden(t *testing.T, path string) fontGolden {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g := fontGolden{subs: map[[3]int]map[uint32]uint16{}}
	var cur map[uint32]uint16
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		switch {
		case len(fs) == 0 || fs[0] == "#":
		case fs[0] == "numGlyphs":
			g.numGlyphs, _ = strconv.Atoi(fs[1])
		case fs[0] == "sub":
			var k [3]int
			for i := range k {
				k[i], _ = strconv.Atoi(fs[1+i])
			}
			cur = map[uint32]uint16{}
			g.subs[k] = cur
		default:
			code, err1 := strconv.ParseUint(fs[0], 16, 32)
			gid, err2 := strconv.Atoi(fs[1])
			if err1 != nil || err2 != nil || cur == nil {
				t.Fatalf("%s: bad line %q", path, sc.Text())
			}
			if gid != 0 {
				cur[uint32(code)] = uint16(gid)
			}
		}
	}
	return g
}

// expectedReverse computes runeForGlyph's documented choice from a
// code → glyph map: the smallest code point of the best class.
func expectedReverse(m map[uint32]uint16) map[uint16]rune {
	class := func(r rune) int {
		switch {
		case r < 0x20 || r >= 0x7F && r < 0xA0:
			return 3
		case r >= 0xE000 && r <= 0xF8FF || r >= 0xF0000:
			return 2
		case r >= 0x2E80 && r <= 0x2FDF || r >= 0xF900 && r <= 0xFAFF || r >= 0x2F800 && r <= 0x2FA1F:
			return 1
		}
		return 0
	}
	rev := map[uint16]rune{}
	for code, gid := range m {
		r := rune(code)
		if r == 0 {
			continue
		}
		cur, ok := rev[gid]
		if !ok || class(r) < class(cur) || class(r) == class(cur) && r < cur {
			rev[gid] = r
		}
	}
	return rev
}

// TestParseSfntCmapCorpus checks fonts embedded in corpus PDFs against
// fontTools' reading of them (the .golden files).
func TestParseSfntCmapCorpus(t *testing.T) {
	files, _ := filepath.Glob("testdata/truetype/*.golden")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, golden := range files {
		base := strings.TrimSuffix(golden, ".golden")
		fontPath := base + ".ttf"
		if _, err := os.Stat(fontPath); err != nil {
			fontPath += ".gz"
		}
		t.Run(filepath.Base(base), func(t *testing.T) {
			g := readFontGolden(t, golden)
			c, err := parseSfntCmap(readTestFont(t, fontPath))
			if err != nil {
				t.Fatal(err)
			}
			if c.numGlyphs != g.numGlyphs {
				t.Errorf("numGlyphs = %d, want %d", c.numGlyphs, g.numGlyphs)
			}
			// The Unicode subtable expected to be chosen.
			var uni map[uint32]uint16
			var uniKey [3]int
			for _, k := range [][3]int{{3, 10, 12}, {3, 1, 4}, {0, 3, 4}} {
				if m, ok := g.subs[k]; ok {
					uni, uniKey = m, k
					break
				}
			}
			if uni != nil {
				if c.uni.format != uint16(uniKey[2]) {
					t.Errorf("chose format %d, want %v", c.uni.format, uniKey)
				}
				for code := rune(0); code <= 0x1FFFF; code++ {
					gid, ok := c.glyphForRune(code)
					if want := uni[uint32(code)]; gid != want || ok != (want != 0) {
						t.Fatalf("glyphForRune(%U) = %d, %v; want %d", code, gid, ok, want)
					}
				}
				rev := expectedReverse(uni)
				for gid := 0; gid <= 0xFFFF; gid++ {
					r, ok := c.runeForGlyph(uint16(gid))
					if want, wok := rev[uint16(gid)]; r != want || ok != wok {
						t.Fatalf("runeForGlyph(%d) = %U, %v; want %U, %v", gid, r, ok, want, wok)
					}
				}
			}
			var mac map[uint32]uint16
			for k, m := range g.subs {
				if k[0] == 1 && k[1] == 0 {
					mac = m
				}
			}
			for code := 0; code < 256; code++ {
				gid, ok := c.glyphForCode(byte(code))
				if want := mac[uint32(code)]; gid != want || ok != (want != 0) {
					t.Errorf("glyphForCode(%#x) = %d, %v; want %d", code, gid, ok, want)
				}
			}
		})
	}
}

// TestSfntCmapMatchesToUnicode reads the SimSun subset of an Identity-H
// CIDFontType2 font (CIDToGIDMap /Identity) backwards and compares with the
// ToUnicode CMap of the same PDF font, as poppler would use it if the
// ToUnicode CMap were missing.
func TestSfntCmapMatchesToUnicode(t *testing.T) {
	c, err := parseSfntCmap(readTestFont(t, "testdata/truetype/hangzhou-police-simsun.ttf"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/cmap/hangzhou-police-simsun.cmap")
	if err != nil {
		t.Fatal(err)
	}
	tu := mustParseCMap(t, data)
	for gid := uint32(1); gid < uint32(c.numGlyphs); gid++ {
		want, ok := tu.unicode(gid, 2)
		if !ok {
			t.Fatalf("ToUnicode has no text for %d", gid)
		}
		r, ok := c.runeForGlyph(uint16(gid))
		if !ok || string(r) != want {
			t.Errorf("runeForGlyph(%d) = %q, %v; ToUnicode says %q", gid, r, ok, want)
		}
	}
	if _, ok := c.runeForGlyph(0); ok {
		t.Error("runeForGlyph(0) found text for .notdef")
	}
}

// Builders of synthetic fonts.

type sfntTestTable struct {
	tag  string
	data []byte
}

func sfntBE(vs ...any) []byte {
	var b bytes.Buffer
	for _, v := range vs {
		binary.Write(&b, binary.BigEndian, v)
	}
	return b.Bytes()
}

// buildSfnt lays out a font with the given version tag and tables.
func buildSfnt(version string, tables ...sfntTestTable) []byte {
	return buildSfntAt(0, version, tables...)
}

// buildSfntAt builds a font whose table offsets are counted from a file
// position base (for TrueType collections).
func buildSfntAt(base int, version string, tables ...sfntTestTable) []byte {
	head := []byte(version)
	head = append(head, sfntBE(uint16(len(tables)), uint16(0), uint16(0), uint16(0))...)
	off := base + 12 + 16*len(tables)
	var body []byte
	for _, t := range tables {
		head = append(head, t.tag...)
		head = append(head, sfntBE(uint32(0), uint32(off+len(body)), uint32(len(t.data)))...)
		body = append(body, t.data...)
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
	}
	return append(head, body...)
}

type testSubRec struct {
	pid, eid uint16
	data     []byte
}

func cmapTableOf(subs ...testSubRec) []byte {
	head := sfntBE(uint16(0), uint16(len(subs)))
	off := 4 + 8*len(subs)
	var body []byte
	for _, s := range subs {
		head = append(head, sfntBE(s.pid, s.eid, uint32(off+len(body)))...)
		body = append(body, s.data...)
	}
	return append(head, body...)
}

func maxpOf(n uint16) []byte { return sfntBE(uint32(0x5000), n) }

func cmapFormat0(m map[byte]byte) []byte {
	b := sfntBE(uint16(0), uint16(262), uint16(0))
	var arr [256]byte
	for k, v := range m {
		arr[k] = v
	}
	return append(b, arr[:]...)
}

// testSeg4 is a format 4 segment: with gids, it uses the glyph array
// (idRangeOffset != 0); otherwise idDelta alone.
type testSeg4 struct {
	start, end uint16
	delta      int16
	gids       []uint16
}

func cmapFormat4(segs ...testSeg4) []byte {
	segs = append(segs, testSeg4{start: 0xFFFF, end: 0xFFFF, delta: 1})
	n := len(segs)
	var ends, starts, deltas, ros, arr []byte
	pos := 0
	for i, s := range segs {
		ends = append(ends, sfntBE(s.end)...)
		starts = append(starts, sfntBE(s.start)...)
		deltas = append(deltas, sfntBE(s.delta)...)
		if s.gids != nil {
			ros = append(ros, sfntBE(uint16(2*(n-i)+2*pos))...)
			for _, g := range s.gids {
				arr = append(arr, sfntBE(g)...)
			}
			pos += len(s.gids)
		} else {
			ros = append(ros, sfntBE(uint16(0))...)
		}
	}
	length := 16 + 8*n + len(arr)
	b := sfntBE(uint16(4), uint16(length), uint16(0), uint16(2*n), uint16(0), uint16(0), uint16(0))
	b = append(b, ends...)
	b = append(b, 0, 0)
	b = append(b, starts...)
	b = append(b, deltas...)
	b = append(b, ros...)
	return append(b, arr...)
}

func cmapFormat6(first uint16, gids ...uint16) []byte {
	b := sfntBE(uint16(6), uint16(10+2*len(gids)), uint16(0), first, uint16(len(gids)))
	for _, g := range gids {
		b = append(b, sfntBE(g)...)
	}
	return b
}

func cmapFormat12(format uint16, groups ...[3]uint32) []byte {
	b := sfntBE(format, uint16(0), uint32(16+12*len(groups)), uint32(0), uint32(len(groups)))
	for _, g := range groups {
		b = append(b, sfntBE(g[0], g[1], g[2])...)
	}
	return b
}

func testSfnt(subs ...testSubRec) []byte {
	return buildSfnt("\x00\x01\x00\x00", sfntTestTable{"cmap", cmapTableOf(subs...)}, sfntTestTable{"maxp", maxpOf(100)})
}

func TestParseSfntCmapFormats(t *testing.T) {
	type probe struct {
		r   rune
		gid uint16
	}
	type rev struct {
		gid uint16
		r   rune
	}
	tests := []struct {
		name   string
		font   []byte
		probes []probe // glyphForRune
		revs   []rev   // runeForGlyph; r 0 means none
	}{
		{"format 0", testSfnt(testSubRec{3, 1, cmapFormat0(map[byte]byte{0x41: 5, 0x42: 6, 0xFF: 7})}),
			[]probe{{0x41, 5}, {0xFF, 7}, {0x43, 0}, {0x100, 0}},
			[]rev{{5, 'A'}, {7, 0xFF}, {8, 0}}},
		{"format 4 delta", testSfnt(testSubRec{3, 1, cmapFormat4(testSeg4{start: 0x20, end: 0x7E, delta: -0x1D}, testSeg4{start: 0x4E00, end: 0x4E05, delta: int16(-0x4E00 + 200)})}),
			[]probe{{0x20, 3}, {0x7E, 0x61}, {0x7F, 0}, {0x4E00, 200}, {0x4E05, 205}, {0x4E06, 0}, {0xFFFF, 0}, {0x10000, 0}},
			[]rev{{3, ' '}, {200, 0x4E00}, {99, 0}}},
		{"format 4 delta wraps", testSfnt(testSubRec{3, 1, cmapFormat4(testSeg4{start: 0xFFF0, end: 0xFFF2, delta: 0x20})}),
			[]probe{{0xFFF0, 0x10}, {0xFFF2, 0x12}},
			[]rev{{0x10, 0xFFF0}}},
		{"format 4 glyph array", testSfnt(testSubRec{3, 1, cmapFormat4(
			testSeg4{start: 0x30, end: 0x33, gids: []uint16{10, 0, 12, 13}},
			testSeg4{start: 0x41, end: 0x42, delta: 5, gids: []uint16{20, 0xFFFF}})}),
			[]probe{{0x30, 10}, {0x31, 0}, {0x33, 13}, {0x41, 25}, {0x42, 4}, {0x40, 0}},
			[]rev{{10, '0'}, {25, 'A'}, {4, 'B'}, {11, 0}}},
		{"format 6", testSfnt(testSubRec{3, 1, cmapFormat6(0x4E00, 7, 0, 9)}),
			[]probe{{0x4E00, 7}, {0x4E01, 0}, {0x4E02, 9}, {0x4E03, 0}, {0x4DFF, 0}},
			[]rev{{7, 0x4E00}, {9, 0x4E02}}},
		{"format 12", testSfnt(testSubRec{3, 10, cmapFormat12(12, [3]uint32{0x20, 0x22, 1}, [3]uint32{0x20000, 0x20002, 50})}),
			[]probe{{0x20, 1}, {0x22, 3}, {0x23, 0}, {0x20001, 51}, {0x20003, 0}},
			[]rev{{3, '"'}, {52, 0x20002}}},
		{"format 13", testSfnt(testSubRec{3, 10, cmapFormat12(13, [3]uint32{0x4E00, 0x4EFF, 9})}),
			[]probe{{0x4E00, 9}, {0x4EFF, 9}, {0x4F00, 0}},
			[]rev{{9, 0x4E00}, {10, 0}}},
		{"prefers non-PUA and unified ideographs", testSfnt(testSubRec{3, 10, cmapFormat12(12,
			[3]uint32{0x0D, 0x0D, 4}, [3]uint32{0x20, 0x20, 4},
			[3]uint32{0x2F00, 0x2F00, 5}, [3]uint32{0x4E00, 0x4E00, 5},
			[3]uint32{0x9FA6, 0x9FA6, 7}, [3]uint32{0xE000, 0xE000, 6},
			[3]uint32{0xE001, 0xE001, 7}, [3]uint32{0xF900, 0xF900, 6})}),
			[]probe{{0x2F00, 5}},
			[]rev{{4, ' '}, {5, 0x4E00}, {6, 0xF900}, {7, 0x9FA6}}},
		{"prefers (3,10) format 12 over (3,1)", testSfnt(
			testSubRec{3, 1, cmapFormat4(testSeg4{start: 0x41, end: 0x41, delta: 1})},
			testSubRec{3, 10, cmapFormat12(12, [3]uint32{0x41, 0x41, 9})}),
			[]probe{{0x41, 9}}, nil},
		{"prefers (3,1) over (0,3)", testSfnt(
			testSubRec{0, 3, cmapFormat4(testSeg4{start: 0x41, end: 0x41, delta: 1})},
			testSubRec{3, 1, cmapFormat4(testSeg4{start: 0x41, end: 0x41, delta: 2})}),
			[]probe{{0x41, 0x43}}, nil},
		{"(0,4) format 12 over (0,3)", testSfnt(
			testSubRec{0, 3, cmapFormat4(testSeg4{start: 0x41, end: 0x41, delta: 1})},
			testSubRec{0, 4, cmapFormat12(12, [3]uint32{0x41, 0x41, 9})}),
			[]probe{{0x41, 9}}, nil},
		{"unsupported format skipped", testSfnt(
			testSubRec{3, 1, sfntBE(uint16(2), uint16(6), uint16(0))},
			testSubRec{0, 3, cmapFormat6(0x41, 3)}),
			[]probe{{0x41, 3}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseSfntCmap(tt.font)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range tt.probes {
				gid, ok := c.glyphForRune(p.r)
				if gid != p.gid || ok != (p.gid != 0) {
					t.Errorf("glyphForRune(%U) = %d, %v; want %d", p.r, gid, ok, p.gid)
				}
			}
			for _, r := range tt.revs {
				got, ok := c.runeForGlyph(r.gid)
				if got != r.r || ok != (r.r != 0) {
					t.Errorf("runeForGlyph(%d) = %U, %v; want %U", r.gid, got, ok, r.r)
				}
			}
		})
	}
}

func TestSfntGlyphForCode(t *testing.T) {
	tests := []struct {
		name  string
		font  []byte
		codes map[byte]uint16
	}{
		{"symbol F0xx", testSfnt(testSubRec{3, 0, cmapFormat4(testSeg4{start: 0xF020, end: 0xF07E, delta: 0x10000 - 0xF020 + 3})}),
			map[byte]uint16{0x20: 3, 0x41: 0x24, 0x7F: 0, 0x00: 0}},
		{"symbol plain codes", testSfnt(testSubRec{3, 0, cmapFormat4(testSeg4{start: 0x20, end: 0x21, delta: 10})}),
			map[byte]uint16{0x20: 0x2A, 0x22: 0}},
		{"symbol F1xx", testSfnt(testSubRec{3, 0, cmapFormat6(0xF141, 8)}),
			map[byte]uint16{0x41: 8}},
		{"symbol F2xx", testSfnt(testSubRec{3, 0, cmapFormat6(0xF241, 8)}),
			map[byte]uint16{0x41: 8}},
		{"mac roman", testSfnt(testSubRec{1, 0, cmapFormat0(map[byte]byte{0x41: 3, 0xCA: 4})}),
			map[byte]uint16{0x41: 3, 0xCA: 4, 0x42: 0}},
		{"symbol before mac", testSfnt(
			testSubRec{1, 0, cmapFormat0(map[byte]byte{0x41: 3, 0x42: 4})},
			testSubRec{3, 0, cmapFormat6(0xF041, 9)}),
			map[byte]uint16{0x41: 9, 0x42: 4}},
		{"unicode only", testSfnt(testSubRec{3, 1, cmapFormat6(0x41, 9)}),
			map[byte]uint16{0x41: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseSfntCmap(tt.font)
			if err != nil {
				t.Fatal(err)
			}
			for code, want := range tt.codes {
				gid, ok := c.glyphForCode(code)
				if gid != want || ok != (want != 0) {
					t.Errorf("glyphForCode(%#x) = %d, %v; want %d", code, gid, ok, want)
				}
			}
		})
	}
	c, _ := parseSfntCmap(testSfnt(testSubRec{3, 0, cmapFormat6(0xF041, 9)}))
	if _, ok := c.runeForGlyph(9); ok {
		t.Error("runeForGlyph found text through a symbol subtable")
	}
}

func TestParseSfntCmapContainers(t *testing.T) {
	cm := sfntTestTable{"cmap", cmapTableOf(testSubRec{3, 1, cmapFormat6(0x41, 7)})}
	mx := sfntTestTable{"maxp", maxpOf(8)}
	otto := buildSfnt("OTTO", sfntTestTable{"CFF ", []byte{1, 0, 4, 2}}, mx, cm)
	// A collection of two fonts: the first one's glyph 7 is 'A', the
	// second's 'B'; table offsets count from the start of the file.
	ttcHead := 12 + 8
	font1 := buildSfntAt(ttcHead, "\x00\x01\x00\x00", cm, mx)
	font2 := buildSfntAt(ttcHead+len(font1), "\x00\x01\x00\x00", sfntTestTable{"cmap", cmapTableOf(testSubRec{3, 1, cmapFormat6(0x42, 7)})})
	ttc := append(sfntBE([]byte("ttcf"), uint32(0x10000), uint32(2), uint32(ttcHead), uint32(ttcHead+len(font1))), font1...)
	ttc = append(ttc, font2...)
	tests := []struct {
		name string
		font []byte
		want rune
	}{
		{"truetype", buildSfnt("\x00\x01\x00\x00", cm, mx), 'A'},
		{"true tag", buildSfnt("true", cm, mx), 'A'},
		{"OpenType CFF", otto, 'A'},
		{"collection first font", ttc, 'A'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseSfntCmap(tt.font)
			if err != nil {
				t.Fatal(err)
			}
			if r, ok := c.runeForGlyph(7); !ok || r != tt.want {
				t.Errorf("runeForGlyph(7) = %q, %v; want %q", r, ok, tt.want)
			}
		})
	}
}

func TestParseSfntCmapErrors(t *testing.T) {
	good := cmapTableOf(testSubRec{3, 1, cmapFormat6(0x41, 7)})
	tests := []struct {
		name string
		font []byte
	}{
		{"empty", nil},
		{"short", []byte("\x00\x01\x00\x00\x00")},
		{"no cmap", buildSfnt("\x00\x01\x00\x00", sfntTestTable{"maxp", maxpOf(3)})},
		{"cmap past end", func() []byte {
			b := buildSfnt("\x00\x01\x00\x00", sfntTestTable{"cmap", good})
			binary.BigEndian.PutUint32(b[12+8:], 1<<30)
			return b
		}()},
		{"subtable offset past end", buildSfnt("\x00\x01\x00\x00", sfntTestTable{"cmap", sfntBE(uint16(0), uint16(1), uint16(3), uint16(1), uint32(1<<31))})},
		{"format 4 segments past end", testSfnt(testSubRec{3, 1, sfntBE(uint16(4), uint16(100), uint16(0), uint16(0xFFFE), uint16(0), uint16(0), uint16(0))})},
		{"format 0 truncated", testSfnt(testSubRec{3, 1, sfntBE(uint16(0), uint16(262), uint16(0), uint16(0))})},
		{"ttc past end", sfntBE([]byte("ttcf"), uint32(0x10000), uint32(1), uint32(1<<30))},
		{"ttc no fonts", sfntBE([]byte("ttcf"), uint32(0x10000), uint32(0), uint32(12))},
		{"CFF program", []byte{1, 0, 4, 2, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0}},
		{"zero tables", sfntBE(uint32(0x10000), uint16(0), uint16(0), uint16(0), uint16(0))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c, err := parseSfntCmap(tt.font); err == nil {
				t.Errorf("parseSfntCmap succeeded: %+v", c)
			}
		})
	}
}

// TestParseSfntCmapHostile checks truncated real fonts and subtables that
// claim huge ranges: no panic, bounded time.
func TestParseSfntCmapHostile(t *testing.T) {
	probe := func(c *sfntCmap) {
		for gid := 0; gid < 70; gid++ {
			c.runeForGlyph(uint16(gid))
		}
		c.runeForGlyph(0xFFFF)
		for code := 0; code < 256; code++ {
			c.glyphForCode(byte(code))
		}
		for _, r := range []rune{-1, 0, 0x41, 0xFFFF, 0x10000, 0x10FFFF, 0x7FFFFFFF} {
			c.glyphForRune(r)
		}
	}
	t.Run("truncated corpus fonts", func(t *testing.T) {
		files, _ := filepath.Glob("testdata/truetype/*.ttf*")
		for _, path := range files {
			data := readTestFont(t, path)
			step := max(1, len(data)/2000)
			for n := 0; n <= len(data); n += step {
				if c, err := parseSfntCmap(data[:n:n]); err == nil {
					probe(c)
				}
			}
		}
	})
	tests := []struct {
		name string
		font []byte
	}{
		{"format 12 whole code space", testSfnt(testSubRec{3, 10, cmapFormat12(12, [3]uint32{0, 0xFFFFFFFF, 0})})},
		{"format 12 many full groups", testSfnt(testSubRec{3, 10, cmapFormat12(12, func() [][3]uint32 {
			g := make([][3]uint32, 5000)
			for i := range g {
				g[i] = [3]uint32{0, 0x10FFFF, 1}
			}
			return g
		}()...)})},
		{"format 12 huge count", testSfnt(testSubRec{3, 10, sfntBE(uint16(12), uint16(0), uint32(16), uint32(0), uint32(0xFFFFFFFF), uint32(0x41), uint32(0x41), uint32(3))})},
		{"format 12 unsorted", testSfnt(testSubRec{3, 10, cmapFormat12(12, [3]uint32{0x50, 0x60, 1}, [3]uint32{0x10, 0x20, 2}, [3]uint32{0x30, 0x10, 3})})},
		{"format 13 huge", testSfnt(testSubRec{3, 10, cmapFormat12(13, [3]uint32{0, 0xFFFFFFFF, 0xFFFFFFFF})})},
		{"format 4 many full segments", testSfnt(testSubRec{3, 1, cmapFormat4(func() []testSeg4 {
			s := make([]testSeg4, 8000)
			for i := range s {
				s[i] = testSeg4{start: 0, end: 0xFFFE, delta: 1}
			}
			return s
		}()...)})},
		{"format 4 range offset past end", testSfnt(testSubRec{3, 1, func() []byte {
			b := cmapFormat4(testSeg4{start: 0, end: 0xFFFE, gids: []uint16{1}})
			return b
		}()})},
		{"format 6 huge count", testSfnt(testSubRec{3, 1, sfntBE(uint16(6), uint16(10), uint16(0), uint16(0xFFF0), uint16(0xFFFF), uint16(3))})},
		{"many tables", func() []byte {
			b := sfntBE(uint32(0x10000), uint16(0xFFFF), uint16(0), uint16(0), uint16(0))
			return append(b, bytes.Repeat([]byte("cmap\x00\x00\x00\x00\x00\x00\x00\x0c\xff\xff\xff\xff"), 4096)...)
		}()},
		{"many subtables", buildSfnt("\x00\x01\x00\x00", sfntTestTable{"cmap", append(sfntBE(uint16(0), uint16(0xFFFF)), bytes.Repeat(sfntBE(uint16(3), uint16(1), uint32(4)), 8191)...)})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			c, err := parseSfntCmap(tt.font)
			if err == nil {
				probe(c)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func FuzzParseSfntCmap(f *testing.F) {
	files, _ := filepath.Glob("testdata/truetype/*.ttf*")
	for _, path := range files {
		data := readTestFont(f, path)
		if len(data) <= 20000 {
			f.Add(data)
		}
	}
	f.Add(testSfnt(testSubRec{3, 1, cmapFormat4(testSeg4{start: 0x30, end: 0x33, gids: []uint16{10, 0, 12, 13}}, testSeg4{start: 0x41, end: 0x5A, delta: 3})},
		testSubRec{3, 0, cmapFormat6(0xF020, 1, 2, 3)}, testSubRec{1, 0, cmapFormat0(map[byte]byte{1: 2})}))
	f.Add(testSfnt(testSubRec{3, 10, cmapFormat12(12, [3]uint32{0x20, 0x7E, 1}, [3]uint32{0x20000, 0x2FFFF, 100})}, testSubRec{0, 3, cmapFormat12(13, [3]uint32{0, 10, 1})}))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseSfntCmap(data)
		if err != nil {
			if c != nil {
				t.Fatal("non-nil result with error")
			}
			return
		}
		for gid := 0; gid < 300; gid++ {
			c.runeForGlyph(uint16(gid))
		}
		for code := 0; code < 256; code++ {
			c.glyphForCode(byte(code))
		}
		for _, r := range []rune{0, 0x41, 0x4E00, 0xFFFF, 0x20000} {
			c.glyphForRune(r)
		}
	})
}

func BenchmarkSfntRuneForGlyph(b *testing.B) {
	c, err := parseSfntCmap(readTestFont(b, "testdata/truetype/xian-commerce-calibri-bold.ttf.gz"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c.runeForGlyph(uint16(i % 3874))
	}
}

// TestSfntCmapConcurrent builds the reverse map from several goroutines at
// once (run with -race).
func TestSfntCmapConcurrent(t *testing.T) {
	c, err := parseSfntCmap(readTestFont(t, "testdata/truetype/hangzhou-police-simsun.ttf"))
	if err != nil {
		t.Fatal(err)
	}
	gbk := predefinedCMap("GBK2K-H")
	done := make(chan rune)
	for i := 0; i < 4; i++ {
		go func() {
			r, _ := c.runeForGlyph(3)
			gbk.unicode(0x95328236, 4)
			gbk.unicode(0xd6d0, 2)
			done <- r
		}()
	}
	for i := 0; i < 4; i++ {
		if r := <-done; r != '杭' {
			t.Errorf("runeForGlyph(3) = %q, want 杭", r)
		}
	}
}
