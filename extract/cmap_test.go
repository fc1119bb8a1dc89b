package extract

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// cmapDoc wraps CMap body lines in the usual ToUnicode boilerplate.
func cmapDoc(body string) []byte {
	return []byte(`/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
` + body + `
endcmap
CMapName currentdict /CMap defineresource pop
end
end
`)
}

const twoByteSpace = "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"

func mustParseCMap(t testing.TB, data []byte) *cmap {
	t.Helper()
	c, err := parseCMap(data)
	if err != nil {
		t.Fatalf("parseCMap: %v", err)
	}
	return c
}

// utf16Hex decodes a UTF-16BE hex string into text, independently of the
// code under test.
func utf16Hex(t testing.TB, h string) string {
	t.Helper()
	b, err := hex.DecodeString(h)
	if err != nil {
		t.Fatalf("bad hex %q", h)
	}
	if len(b) == 1 {
		return string(rune(b[0]))
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}

type goldenMapping struct {
	n    int
	code uint32
	text string
}

func readCMapGolden(t *testing.T, path string) []goldenMapping {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []goldenMapping
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) != 3 {
			t.Fatalf("%s: bad line %q", path, line)
		}
		n, _ := strconv.Atoi(fs[0])
		code, err := strconv.ParseUint(fs[1], 16, 32)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, goldenMapping{n, uint32(code), utf16Hex(t, fs[2])})
	}
	return out
}

// TestParseCMapCorpus checks ToUnicode CMaps taken from the corpus against
// mappings listed by an independent regex-based parser (the .golden files):
// every listed code maps to the listed text and no other code of the
// lengths used maps to anything.
func TestParseCMapCorpus(t *testing.T) {
	files, _ := filepath.Glob("testdata/cmap/*.cmap")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			c := mustParseCMap(t, data)
			golden := readCMapGolden(t, strings.TrimSuffix(path, ".cmap")+".golden")
			want := map[[2]uint32]string{}
			lens := map[int]bool{}
			for _, g := range golden {
				if g.text == "\x00" || g.text == "\ufffe" || g.text == "\uffff" {
					g.text = "" // not text: see cmapDecodeDst
				}
				want[[2]uint32{uint32(g.n), g.code}] = g.text
				lens[g.n] = true
				got, ok := c.unicode(g.code, g.n)
				if ok != (g.text != "") || got != g.text {
					t.Errorf("unicode(%#x, %d) = %q, %v; want %q", g.code, g.n, got, ok, g.text)
				}
			}
			for n := range lens {
				for code := uint32(0); code < 1<<(8*n); code++ {
					got, ok := c.unicode(code, n)
					if w, listed := want[[2]uint32{uint32(n), code}]; !ok || listed && w != "" {
						continue
					}
					// Allowed only as the value fallback to another
					// length, in CMaps that mix <20> and <0020>.
					fallback := false
					for m := 1; m <= 4; m++ {
						if w, ok := want[[2]uint32{uint32(m), code}]; ok && m != n && w == got {
							fallback = true
						}
					}
					if !fallback {
						t.Errorf("unicode(%#x, %d) = %q, want unmapped", code, n, got)
					}
				}
			}
		})
	}
}

// TestCMapCorpusDetails checks properties of particular corpus CMaps.
func TestCMapCorpusDetails(t *testing.T) {
	read := func(name string) *cmap {
		data, err := os.ReadFile(filepath.Join("testdata/cmap", name))
		if err != nil {
			t.Fatal(err)
		}
		return mustParseCMap(t, data)
	}
	tests := []struct {
		name  string
		file  string
		code  uint32
		n     int
		want  string
		ok    bool
		split string // hex input for nextCode
		codes []uint32
	}{
		// LibreOffice writes a 1-byte code space for its subset fonts.
		{name: "libreoffice 1-byte", file: "putuo-libreoffice-1byte.cmap", code: 0x01, n: 1, want: "预", ok: true, split: "0102", codes: []uint32{1, 2}},
		// Distiller writes a code space <0003> <5044> and lowercase hex.
		{name: "distiller lowercase", file: "jiangsu-npc-distiller.cmap", code: 0x01c3, n: 2, want: "、", ok: true, split: "01c30003", codes: []uint32{0x01c3, 3}},
		// A 2-byte code space, but the simple font's code is written <20>.
		{name: "1-byte code in 2-byte space", file: "xian-commerce-1byte-code.cmap", code: 0x20, n: 1, want: " ", ok: true},
		{name: "1-byte code looked up as 2", file: "xian-commerce-1byte-code.cmap", code: 0x20, n: 2, want: " ", ok: true},
		// A simple font's CMap mixing <2C> and <0020> entries.
		{name: "mixed lengths, 1-byte entry", file: "xian-commerce-mixed-lengths.cmap", code: 0x2C, n: 1, want: ",", ok: true},
		{name: "mixed lengths, 2-byte entry", file: "xian-commerce-mixed-lengths.cmap", code: 0x20, n: 1, want: " ", ok: true},
		// Identity fonts written by WPS map CID 0 to U+FFFF.
		// WPS maps CID 0 (.notdef) to U+FFFF: not text.
		{name: "wps notdef", file: "hangzhou-police-simsun.cmap", code: 0, n: 2, want: "", ok: false},
		{name: "wps simple font lookup", file: "hangzhou-police-simsun.cmap", code: 0x01, n: 1, want: "A", ok: true},
		{name: "word array range", file: "jiangsu-court-word2007.cmap", code: 0x0421, n: 2, want: "关", ok: true},
		{name: "word incr range", file: "jiangsu-court-word2007.cmap", code: 0x06F2, n: 2, want: "基", ok: true},
		{name: "word unmapped", file: "jiangsu-court-word2007.cmap", code: 0x06F3, n: 2},
		{name: "foxit typo still parses", file: "fuzhou-foxit.cmap", code: 1, n: 2, want: " ", ok: true},
		{name: "single line", file: "shanghai-welfare-oneline.cmap", code: 0x4EBA, n: 2, want: "预", ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := read(tt.file)
			got, ok := c.unicode(tt.code, tt.n)
			if got != tt.want || ok != tt.ok {
				t.Errorf("unicode(%#x, %d) = %q, %v; want %q, %v", tt.code, tt.n, got, ok, tt.want, tt.ok)
			}
			if tt.split != "" {
				s, _ := hex.DecodeString(tt.split)
				var codes []uint32
				for len(s) > 0 {
					code, n := c.nextCode(s)
					codes = append(codes, code)
					s = s[n:]
				}
				if fmt.Sprint(codes) != fmt.Sprint(tt.codes) {
					t.Errorf("nextCode split %s into %x, want %x", tt.split, codes, tt.codes)
				}
			}
		})
	}
}

func TestCMapNextCode(t *testing.T) {
	tests := []struct {
		name  string
		space string // codespacerange body
		in    string // hex
		want  string // codes as hex/length, space separated
	}{
		{"two-byte", "<0000> <FFFF>", "00410042", "0041/2 0042/2"},
		{"two-byte odd tail", "<0000> <FFFF>", "004142", "0041/2 42/1"},
		{"one-byte", "<00> <FF>", "414243", "41/1 42/1 43/1"},
		{"gbk-euc", "<00> <80> <8140> <FEFE>", "41d6d042", "41/1 d6d0/2 42/1"},
		{"gbk-euc bad byte ff", "<00> <80> <8140> <FEFE>", "ff41", "ff/1 41/1"},
		// 0x81 0x20 is outside <8140> <FEFE> but 0x81 starts a 2-byte
		// range: partial match consumes two bytes.
		{"gbk-euc partial match", "<00> <80> <8140> <FEFE>", "812041", "8120/2 41/1"},
		{"gbk-euc partial at end", "<00> <80> <8140> <FEFE>", "4181", "41/1 81/1"},
		// No range starts with 0x90: the shortest range (1 byte) is used.
		{"no partial match", "<00> <7F> <A1A1> <FEFE>", "9041", "90/1 41/1"},
		{"shortest is two", "<8140> <FEFE> <81308130> <FE39FE39>", "0102", "0102/2"},
		{"four-byte", "<00> <80> <8140> <FEFE> <81308130> <FE39FE39>", "8130813041", "81308130/4 41/1"},
		{"value range not per byte", "<0003> <5044>", "01c3", "01c3/2"},
		{"three-byte", "<000000> <FFFFFF>", "01020304", "010203/3 04/1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParseCMap(t, cmapDoc("1 begincodespacerange\n"+tt.space+"\nendcodespacerange"))
			s, _ := hex.DecodeString(tt.in)
			var got []string
			for len(s) > 0 {
				code, n := c.nextCode(s)
				if n < 1 || n > len(s) || n > 4 {
					t.Fatalf("nextCode returned n=%d for %d bytes", n, len(s))
				}
				got = append(got, fmt.Sprintf("%0*x/%d", 2*n, code, n))
				s = s[n:]
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("got %s, want %s", g, tt.want)
			}
		})
	}
	t.Run("empty", func(t *testing.T) {
		c := mustParseCMap(t, cmapDoc(twoByteSpace))
		if code, n := c.nextCode(nil); code != 0 || n != 0 {
			t.Errorf("nextCode(nil) = %d, %d", code, n)
		}
	})
	t.Run("no codespace", func(t *testing.T) {
		c := mustParseCMap(t, cmapDoc("1 beginbfchar <0041> <0041> endbfchar"))
		if c.hasCodespace() {
			t.Error("hasCodespace = true")
		}
		if code, n := c.nextCode([]byte{0, 0x41, 0}); code != 0x41 || n != 2 {
			t.Errorf("nextCode = %#x, %d; want 0x41, 2 (length of the mappings)", code, n)
		}
		c = mustParseCMap(t, cmapDoc("1 beginbfchar <41> <0041> endbfchar"))
		if code, n := c.nextCode([]byte{0x41, 0}); code != 0x41 || n != 1 {
			t.Errorf("nextCode = %#x, %d; want 0x41, 1", code, n)
		}
	})
}

func TestCMapUnicode(t *testing.T) {
	type lookup struct {
		code uint32
		n    int
		want string
		ok   bool
	}
	tests := []struct {
		name    string
		body    string
		lookups []lookup
	}{
		{"bfchar", twoByteSpace + "2 beginbfchar\n<0001> <4E2D>\n<0002><6587>\nendbfchar", []lookup{
			{1, 2, "中", true}, {2, 2, "文", true}, {3, 2, "", false}, {0, 2, "", false},
		}},
		{"bfrange increment", twoByteSpace + "1 beginbfrange <0010> <0019> <0030> endbfrange", []lookup{
			{0x10, 2, "0", true}, {0x19, 2, "9", true}, {0x1A, 2, "", false}, {0x0F, 2, "", false},
		}},
		{"bfrange carry", twoByteSpace + "1 beginbfrange <0001> <0003> <00FF> endbfrange", []lookup{
			{1, 2, "\u00ff", true}, {2, 2, "\u0100", true}, {3, 2, "\u0101", true},
		}},
		{"bfrange carry across characters", twoByteSpace + "1 beginbfrange <0001> <0002> <0041FFFF> endbfrange", []lookup{
			{1, 2, "A\uffff", true}, {2, 2, "B\u0000", true},
		}},
		{"bfrange surrogate pair", twoByteSpace + "1 beginbfrange <0001> <0003> <D840DC00> endbfrange", []lookup{
			{1, 2, "\U00020000", true}, {3, 2, "\U00020002", true},
		}},
		{"bfrange past U+10FFFF", twoByteSpace + "1 beginbfrange <0001> <0002> <DBFFDFFF> endbfrange", []lookup{
			{1, 2, "\U0010FFFF", true}, {2, 2, "", false},
		}},
		{"bfrange surrogate pair crossing DFFF", twoByteSpace + "1 beginbfrange <0001> <0002> <D840DFFF> endbfrange", []lookup{
			{1, 2, "\U000203FF", true}, {2, 2, "\U00020400", true},
		}},
		{"bfrange into surrogates", twoByteSpace + "1 beginbfrange <0001> <0002> <D7FF> endbfrange", []lookup{
			{1, 2, "\ud7ff", true}, {2, 2, "", false},
		}},
		{"bfrange array", twoByteSpace + "1 beginbfrange <0005> <0008> [<0041> <00660069> /space /uni4E2D] endbfrange", []lookup{
			{5, 2, "A", true}, {6, 2, "fi", true}, {7, 2, "", false}, {8, 2, "中", true},
		}},
		{"bfrange short array", twoByteSpace + "1 beginbfrange <0005> <0008> [<0041>] endbfrange", []lookup{
			{5, 2, "A", true}, {6, 2, "", false},
		}},
		{"bfrange long array", twoByteSpace + "1 beginbfrange <0005> <0006> [<0041> <0042> <0043>] endbfrange", []lookup{
			{6, 2, "B", true}, {7, 2, "", false},
		}},
		{"bfrange multi-byte low and high", twoByteSpace + "1 beginbfrange <00FE> <0102> <4E00> endbfrange", []lookup{
			{0xFE, 2, "一", true}, {0x100, 2, "丂", true}, {0x102, 2, "丄", true},
		}},
		{"glyph names", twoByteSpace + "5 beginbfchar <0001> /space <0002> /uni4E2D <0003> /uni00660069 <0004> /u1F600 <0005> /uniD800 endbfchar", []lookup{
			{1, 2, "", false}, {2, 2, "中", true}, {3, 2, "fi", true}, {4, 2, "\U0001F600", true}, {5, 2, "", false},
		}},
		{"multi-character destination", twoByteSpace + "1 beginbfchar <0001> <00660066006C> endbfchar", []lookup{
			{1, 2, "ffl", true},
		}},
		{"surrogate destination", twoByteSpace + "2 beginbfchar <0001> <D83DDE00> <0002> <DC00> endbfchar", []lookup{
			{1, 2, "\U0001F600", true}, {2, 2, "\ufffd", true},
		}},
		{"one-byte destination", twoByteSpace + "1 beginbfchar <0001> <41> endbfchar", []lookup{
			{1, 2, "A", true},
		}},
		{"empty destination", twoByteSpace + "1 beginbfchar <0001> <> endbfchar", []lookup{
			{1, 2, "", false},
		}},
		{"null and noncharacter destinations", twoByteSpace + "3 beginbfchar <0001> <0000> <0002> <FFFF> <0003> <FFFE> endbfchar 1 beginbfrange <0010> <0012> <FFFE> endbfrange", []lookup{
			{1, 2, "", false}, {2, 2, "", false}, {3, 2, "", false},
			{0x10, 2, "", false}, {0x11, 2, "", false}, {0x12, 2, "", false},
		}},
		{"later definition wins", twoByteSpace + `1 beginbfrange <0001> <0005> <0061> endbfrange
2 beginbfchar <0003> <0058> <0001> <0059> endbfchar`, []lookup{
			{1, 2, "Y", true}, {2, 2, "b", true}, {3, 2, "X", true}, {4, 2, "d", true}, {5, 2, "e", true},
		}},
		{"simple font, 2-byte CMap", "1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfchar <0041> <0061> endbfchar", []lookup{
			{0x41, 1, "a", true}, {0x41, 2, "a", true},
		}},
		{"two-byte font, 1-byte entries", twoByteSpace + "1 beginbfchar <20> <0020> endbfchar 1 beginbfchar <0041> <0061> endbfchar", []lookup{
			{0x20, 2, " ", true}, {0x41, 2, "a", true}, {0x41, 1, "a", true},
		}},
		{"declared 1- and 2-byte codes stay apart", "2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange 1 beginbfchar <41> <0061> endbfchar 1 beginbfchar <8141> <4E2D> endbfchar", []lookup{
			{0x41, 1, "a", true}, {0x41, 2, "", false}, {0x8141, 2, "中", true}, {0x8141, 1, "", false},
		}},
		{"code does not fit length", "1 beginbfchar <41> <0061> endbfchar", []lookup{
			{0x141, 2, "", false}, {0x41, 4, "a", true}, {0x41, 0, "a", true}, {0x41, 9, "a", true},
		}},
		{"four-byte codes", "1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange 1 beginbfrange <FFFFFFF0> <FFFFFFFF> <0041> endbfrange", []lookup{
			{0xFFFFFFF0, 4, "A", true}, {0xFFFFFFFF, 4, "P", true},
		}},
		{"whole 4-byte space", "1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange", []lookup{
			{0, 4, "A", true}, {1, 4, "B", true}, {0xFFFFFFFF, 4, "@", true},
		}},
		{"comments, odd layout", "% comment <0001> <0041>\n1 begincodespacerange\n<00 00>\n<FF FF> % range\nendcodespacerange\n2\nbeginbfchar\n<0001>\n% between\n<0041>\n<0002>\t<0\n042>\nendbfchar", []lookup{
			{1, 2, "A", true}, {2, 2, "B", true},
		}},
		{"literal string codes", twoByteSpace + `2 beginbfchar (\000A) <0061> (\000\102) (b) endbfchar`, []lookup{
			{0x41, 2, "a", true}, {0x42, 2, "b", true},
		}},
		{"missing end keyword", twoByteSpace + "2 beginbfchar <0001> <0041>\n1 beginbfrange <0002> <0003> <0061> endbfrange", []lookup{
			{1, 2, "A", true}, {2, 2, "a", true}, {3, 2, "b", true},
		}},
		{"junk entries skipped", twoByteSpace + "4 beginbfchar <0001> 12 <0002> <0042> /x <0003> <0043> <0000000000> <0044> endbfchar", []lookup{
			{2, 2, "B", true}, {3, 2, "C", true}, {1, 2, "", false},
		}},
		{"reversed range skipped", twoByteSpace + "2 beginbfrange <0005> <0001> <0041> <0006> <0006> <0046> endbfrange", []lookup{
			{1, 2, "", false}, {6, 2, "F", true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParseCMap(t, cmapDoc(tt.body))
			for _, l := range tt.lookups {
				got, ok := c.unicode(l.code, l.n)
				if got != l.want || ok != l.ok {
					t.Errorf("unicode(%#x, %d) = %q, %v; want %q, %v", l.code, l.n, got, ok, l.want, l.ok)
				}
			}
		})
	}
}

func TestCMapCID(t *testing.T) {
	body := `/CIDSystemInfo 3 dict dup begin /Registry (Adobe) def /Ordering (GB1) def /Supplement 2 def end def
/CMapName /Test-H def
/WMode 1 def
/GBK-EUC-H usecmap
2 begincodespacerange
<00> <80>
<8140> <FEFE>
endcodespacerange
1 begincidchar
<20> 7716
endcidchar
2 begincidrange
<21> <7E> 814
<8140> <817E> 10000
endcidrange
1 begincidrange
<FE00> <FEFF> 4294967290
endcidrange
1 beginnotdefrange
<00> <1F> 1
endnotdefrange`
	c := mustParseCMap(t, []byte(body))
	if !c.vertical() {
		t.Error("vertical() = false, want true")
	}
	if c.useCMap != "GBK-EUC-H" || c.name != "Test-H" {
		t.Errorf("useCMap, name = %q, %q", c.useCMap, c.name)
	}
	tests := []struct {
		code uint32
		n    int
		want uint32
		ok   bool
	}{
		{0x20, 1, 7716, true},
		{0x21, 1, 814, true},
		{0x7E, 1, 907, true},
		{0x7F, 1, 0, false},
		{0x05, 1, 0, false}, // notdef ranges are ignored
		{0x8140, 2, 10000, true},
		{0x817E, 2, 10062, true},
		{0x21, 2, 0, false}, // both lengths are declared: no fallback
		{0xFE00, 2, 4294967290, true},
		{0xFE05, 2, 4294967295, true},
		{0xFE06, 2, 0, false}, // clipped: would wrap
	}
	for _, tt := range tests {
		got, ok := c.cid(tt.code, tt.n)
		if got != tt.want || ok != tt.ok {
			t.Errorf("cid(%#x, %d) = %d, %v; want %d, %v", tt.code, tt.n, got, ok, tt.want, tt.ok)
		}
	}
	if h := mustParseCMap(t, cmapDoc(twoByteSpace)); h.vertical() {
		t.Error("horizontal CMap reports vertical")
	}
}

func TestParseCMapErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		ok   bool
	}{
		{"empty", "", false},
		{"no mappings", "/CIDInit /ProcSet findresource begin 12 dict begin begincmap endcmap end end", false},
		{"binary junk", "\x00\xff\x13<<>>[[]]", false},
		{"only codespace", twoByteSpace, true},
		{"only usecmap", "/UniGB-UCS2-H usecmap", true},
		{"truncated inside bfchar", twoByteSpace + "1 beginbfchar <0001> <00", true},
		{"truncated hex", "1 begincodespacerange <00", false},
		{"huge count", "4294967295 beginbfchar <0001> <0041> endbfchar", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseCMap([]byte(tt.data))
			if (err == nil) != tt.ok || (c != nil) != tt.ok {
				t.Errorf("parseCMap = %v, %v; want ok=%v", c, err, tt.ok)
			}
		})
	}
}

// TestParseCMapHostile feeds inputs built to cost time or memory and checks
// that parsing stays fast and lookups stay correct.
func TestParseCMapHostile(t *testing.T) {
	rep := func(s string, n int) string { return strings.Repeat(s, n) }
	tests := []struct {
		name string
		data string
	}{
		{"2^32 span bfrange", "1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange"},
		{"2^32 span cidrange", "1 begincidrange <00000000> <FFFFFFFF> 0 endcidrange"},
		{"many full-space ranges", "beginbfrange " + rep("<0000> <FFFF> <0041>\n", 20000) + "endbfrange"},
		{"many overlapping ranges", "beginbfrange " + overlappingRanges(20000) + "endbfrange"},
		{"many codespace ranges", "begincodespacerange " + rep("<00> <FF>\n", 100000) + "endcodespacerange beginbfchar <01> <41> endbfchar"},
		{"deep arrays", "beginbfrange <00> <FF> " + rep("[", 200000) + rep("]", 200000) + " endbfrange"},
		{"deep dicts", rep("<<", 200000) + rep(">>", 200000)},
		{"repeated keywords", rep("beginbfchar ", 200000)},
		{"repeated begin/end", rep("beginbfrange endbfrange ", 100000)},
		{"unterminated literal", "beginbfchar " + rep("(", 100000)},
		{"long hex", "beginbfchar <" + rep("41", 500000) + "> <0041> endbfchar"},
		{"long destination", "beginbfchar <01> <" + rep("0041", 100000) + "> endbfchar"},
		{"huge numbers", "begincidrange <00> <FF> " + rep("9", 10000) + " endcidrange /WMode " + rep("9", 1000) + " def"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			c, err := parseCMap([]byte(tt.data))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("parse took %v", d)
			}
			if err != nil {
				return
			}
			for _, code := range []uint32{0, 1, 0x41, 0xFF, 0xFFFF, 0x10000, 0xFFFFFFFF} {
				for n := 0; n <= 5; n++ {
					c.unicode(code, n)
					c.cid(code, n)
				}
			}
			s := []byte(tt.data)
			for i := 0; len(s) > 0 && i < 100000; i++ {
				_, n := c.nextCode(s)
				if n < 1 || n > 4 || n > len(s) {
					t.Fatalf("nextCode n = %d", n)
				}
				s = s[n:]
			}
		})
	}
	c := mustParseCMap(t, []byte("1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange"))
	if got, _ := c.unicode(0x10000, 4); got != "A" { // 0x41 + 0x10000 wraps in 16 bits
		t.Errorf("2^32 span: unicode(0x10000) = %q", got)
	}
	if n := len(c.bf[3]); n != 1 {
		t.Errorf("2^32 span stored as %d entries, want 1", n)
	}
}

func overlappingRanges(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<%04X> <FFFF> <%04X>\n", i, i)
	}
	return b.String()
}

// TestCMapOverlapRandom compares lookups after random overlapping
// definitions with a direct emulation of "the last definition wins".
func TestCMapOverlapRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		const space = 64
		var want [space]string
		var ok [space]bool
		var body strings.Builder
		body.WriteString(twoByteSpace)
		for k := rng.IntN(12); k >= 0; k-- {
			lo := rng.IntN(space)
			hi := lo + rng.IntN(space-lo)
			switch rng.IntN(3) {
			case 0:
				dst := 0x4E00 + rng.IntN(1000)
				fmt.Fprintf(&body, "1 beginbfchar <%04X> <%04X> endbfchar\n", lo, dst)
				want[lo], ok[lo] = string(rune(dst)), true
			case 1:
				dst := 0x4E00 + rng.IntN(1000)
				fmt.Fprintf(&body, "1 beginbfrange <%04X> <%04X> <%04X> endbfrange\n", lo, hi, dst)
				for c := lo; c <= hi; c++ {
					want[c], ok[c] = string(rune(dst+c-lo)), true
				}
			case 2:
				fmt.Fprintf(&body, "1 beginbfrange <%04X> <%04X> [", lo, hi)
				for c := lo; c <= hi; c++ {
					dst := 0x4E00 + rng.IntN(1000)
					fmt.Fprintf(&body, "<%04X>", dst)
					want[c], ok[c] = string(rune(dst)), true
				}
				body.WriteString("] endbfrange\n")
			}
		}
		c := mustParseCMap(t, cmapDoc(body.String()))
		for code := 0; code < space; code++ {
			got, gotOK := c.unicode(uint32(code), 2)
			if got != want[code] || gotOK != ok[code] {
				t.Fatalf("round %d: unicode(%d) = %q, %v; want %q, %v\n%s", round, code, got, gotOK, want[code], ok[code], body.String())
			}
		}
		tab := c.bf[1]
		for i := 1; i < len(tab); i++ {
			if tab[i].lo <= tab[i-1].hi {
				t.Fatalf("round %d: table not disjoint: %+v", round, tab)
			}
		}
	}
}

func TestBMPText(t *testing.T) {
	for _, r := range []rune{0, 'A', 0x7F, 0x80, 0x7FF, 0x800, 0x4E2D, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF} {
		if got := bmpText(r); got != string(r) {
			t.Errorf("bmpText(%#x) = %q, want %q", r, got, string(r))
		}
	}
	for _, r := range []rune{-1, 0xD800, 0xDFFF, 0x10000, 0x7FFFFFFF} {
		if got := bmpText(r); got != "\uFFFD" {
			t.Errorf("bmpText(%#x) = %q, want U+FFFD", r, got)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = bmpText(0x4E2D) }); n != 0 {
		t.Errorf("bmpText allocates %v times", n)
	}
}

func TestCMapUnicodeAllocs(t *testing.T) {
	c := mustParseCMap(t, cmapDoc(twoByteSpace+`1 beginbfchar <0001> <4E2D> endbfchar
1 beginbfrange <0100> <01FF> <4E00> endbfrange
1 beginbfrange <0200> <0201> [<0041> <0042>] endbfrange`))
	for _, code := range []uint32{1, 0x150, 0x201} {
		if n := testing.AllocsPerRun(100, func() { c.unicode(code, 2) }); n != 0 {
			t.Errorf("unicode(%#x) allocates %v times", code, n)
		}
	}
	s := []byte{0, 1, 1, 0x50}
	if n := testing.AllocsPerRun(100, func() { c.nextCode(s) }); n != 0 {
		t.Errorf("nextCode allocates %v times", n)
	}
}

func FuzzParseCMap(f *testing.F) {
	files, _ := filepath.Glob("testdata/cmap/*.cmap")
	for _, path := range files {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Add(cmapDoc("2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange 1 begincidrange <8140> <FEFE> 100 endcidrange"))
	f.Add(cmapDoc(twoByteSpace + "1 beginbfrange <0001> <0003> [<0041> /space <D840DC00>] endbfrange"))
	f.Add([]byte("1 beginbfrange <00000000> <FFFFFFFF> <D840DFFF> endbfrange"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<14 { // larger inputs only slow minimization
			return
		}
		c, err := parseCMap(data)
		if err != nil {
			if c != nil {
				t.Fatal("non-nil cmap with error")
			}
			return
		}
		s := data
		for len(s) > 0 {
			code, n := c.nextCode(s)
			if n < 1 || n > 4 || n > len(s) {
				t.Fatalf("nextCode(%x) n = %d", s[:min(len(s), 4)], n)
			}
			c.unicode(code, n)
			c.cid(code, n)
			s = s[n:]
		}
		for _, code := range []uint32{0, 0x20, 0xFFFF, 0xFFFFFFFF} {
			c.unicode(code, 1)
			c.unicode(code, 2)
		}
	})
}

func BenchmarkCMapUnicode(b *testing.B) {
	data, err := os.ReadFile("testdata/cmap/jiangsu-npc-distiller.cmap")
	if err != nil {
		b.Fatal(err)
	}
	c := mustParseCMap(b, data)
	var text []byte // codes spread over the CMap's code space
	for code := uint32(3); code < 0x5044; code += 97 {
		text = append(text, byte(code>>8), byte(code))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := text
		for len(s) > 0 {
			code, n := c.nextCode(s)
			c.unicode(code, n)
			s = s[n:]
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(text)/2), "ns/glyph")
}

func BenchmarkParseCMap(b *testing.B) {
	data, err := os.ReadFile("testdata/cmap/jiangsu-npc-distiller.cmap")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		if _, err := parseCMap(data); err != nil {
			b.Fatal(err)
		}
	}
}
