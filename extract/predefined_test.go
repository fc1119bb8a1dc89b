package extract

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestPredefinedCMapNames(t *testing.T) {
	tests := []struct {
		name     string
		known    bool
		vertical bool
		identity bool
	}{
		{"Identity-H", true, false, true},
		{"Identity-V", true, true, true},
		{"UniGB-UCS2-H", true, false, false},
		{"UniGB-UCS2-V", true, true, false},
		{"UniGB-UTF16-H", true, false, false},
		{"UniGB-UTF16-V", true, true, false},
		{"UniGB-UTF8-H", true, false, false},
		{"GBK-EUC-H", true, false, false},
		{"GBK-EUC-V", true, true, false},
		{"GBKp-EUC-H", true, false, false},
		{"GB-EUC-H", true, false, false},
		{"GB-EUC-V", true, true, false},
		{"GBpc-EUC-H", true, false, false},
		{"GBpc-EUC-V", true, true, false},
		{"GBK2K-H", true, false, false},
		{"GBK2K-V", true, true, false},
		{"UniCNS-UCS2-H", true, false, false},
		{"UniJIS-UTF16-V", true, true, false},
		{"", false, false, false},
		{"Identity", false, false, false},
		{"gbk-euc-h", false, false, false},
		{"Adobe-GB1-UCS2", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := predefinedCMap(tt.name)
			if (p != nil) != tt.known {
				t.Fatalf("predefinedCMap(%q) = %v, want known=%v", tt.name, p, tt.known)
			}
			if p == nil {
				return
			}
			if p.vertical() != tt.vertical || p.identity() != tt.identity {
				t.Errorf("vertical, identity = %v, %v; want %v, %v", p.vertical(), p.identity(), tt.vertical, tt.identity)
			}
		})
	}
	if predefinedCMap("GBK-EUC-H") != predefinedCMap("GBK-EUC-H") {
		t.Error("predefinedCMap allocates a new value per call")
	}
}

// predefSplitText splits hex input with p.nextCode and renders each code as its
// hex and text, e.g. "d6d0:中 41:A 80:?".
func predefSplitText(p *predefined, in string) string {
	s, _ := hex.DecodeString(in)
	var out []string
	for len(s) > 0 {
		code, n := p.nextCode(s)
		if n < 1 || n > len(s) {
			return fmt.Sprintf("bad n=%d", n)
		}
		text, ok := p.unicode(code, n)
		if !ok {
			text = "?"
		}
		out = append(out, fmt.Sprintf("%0*x:%s", 2*n, code, text))
		s = s[n:]
	}
	return strings.Join(out, " ")
}

// TestPredefinedDecode checks byte splitting and text. The GB byte
// sequences were produced independently with Python's gb18030 codec.
func TestPredefinedDecode(t *testing.T) {
	tests := []struct {
		cmap string
		in   string
		want string
	}{
		{"Identity-H", "00010002", "0001:? 0002:?"},
		{"Identity-V", "000100", "0001:? 00:?"},
		{"UniGB-UCS2-H", "4e2d65870041", "4e2d:中 6587:文 0041:A"},
		{"UniGB-UCS2-H", "d83dde00", "d83d:? de00:?"},
		{"UniGB-UCS2-H", "4e", "4e:?"},
		{"UniGB-UTF16-H", "d83dde004e2d", "d83dde00:😀 4e2d:中"},
		{"UniGB-UTF16-H", "d83d0041", "d83d:? 0041:A"},
		{"UniGB-UTF16-H", "dc00", "dc00:?"},
		{"UniGB-UTF16-H", "d840dc", "d840:? dc:?"},
		{"UniGB-UTF8-H", "41e4b8adf09f9880", "41:A e4b8ad:中 f09f9880:😀"},
		{"UniGB-UTF8-H", "e441ff", "e4:? 41:A ff:?"},
		{"UniGB-UTF8-H", "0a", "0a:?"},
		{"GBK-EUC-H", "d6d0cec441", "d6d0:中 cec4:文 41:A"},
		{"GBK-EUC-H", "d4a4cbe3", "d4a4:预 cbe3:算"},
		{"GBK-EUC-H", "8140", "8140:丂"},
		{"GBK-EUC-H", "a1a1a1a4a1aa", "a1a1:\u3000 a1a4:· a1aa:—"},
		{"GBK-EUC-H", "80ff0a7f", "80:? ff:? 0a:? 7f:?"},
		{"GBK-EUC-H", "817f", "817f:?"},
		{"GBK-EUC-H", "d6", "d6:?"},
		{"GBKp-EUC-H", "d6d024", "d6d0:中 24:$"},
		{"GB-EUC-H", "d6d0cec420", "d6d0:中 cec4:文 20: "},
		{"GB-EUC-H", "8140", "81:? 40:@"},
		{"GBpc-EUC-H", "d6d0fd41", "d6d0:中 fd:? 41:A"},
		{"GBpc-EUC-H", "fefe", "fe:? fe:?"},
		{"GBK2K-H", "d6d0", "d6d0:中"},
		{"GBK2K-H", "81308130", "81308130:\u0080"},
		{"GBK2K-H", "8135f437", "8135f437:ḿ"},
		{"GBK2K-H", "81308436", "81308436:¥"},
		{"GBK2K-H", "8431a439", "8431a439:\uffff"},
		{"GBK2K-H", "95328236", "95328236:𠀀"},
		{"GBK2K-H", "e3329a35", "e3329a35:\U0010FFFF"},
		{"GBK2K-H", "e3329a36", "e3329a36:?"},
		{"GBK2K-H", "85308130", "85308130:?"},
		{"GBK2K-H", "a2e3", "a2e3:€"},
		{"GBK2K-H", "813081", "813081:?"},
		{"GBK2K-H", "8130", "8130:?"},
	}
	for _, tt := range tests {
		t.Run(tt.cmap+"/"+tt.in, func(t *testing.T) {
			p := predefinedCMap(tt.cmap)
			if got := predefSplitText(p, tt.in); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestGBKTable compares every two-byte GBK code in the lookup table with
// x/text's decoder run on the code alone.
func TestGBKTable(t *testing.T) {
	dec := simplifiedchinese.GBK.NewDecoder()
	p := predefinedCMap("GBK-EUC-H")
	mapped := 0
	for b0 := 0; b0 < 256; b0++ {
		for b1 := 0; b1 < 256; b1++ {
			want := ""
			if b0 >= 0x81 && b0 <= 0xFE {
				out, err := dec.Bytes([]byte{byte(b0), byte(b1)})
				if r, size := utf8.DecodeRune(out); err == nil && size == len(out) && r != utf8.RuneError && b1 >= 0x40 {
					want = string(r)
				}
			}
			got, ok := p.unicode(uint32(b0)<<8|uint32(b1), 2)
			if got != want || ok != (want != "") {
				t.Fatalf("unicode(%02x%02x) = %q, %v; want %q", b0, b1, got, ok, want)
			}
			if ok {
				mapped++
			}
		}
	}
	if mapped < 21000 {
		t.Errorf("only %d GBK codes mapped", mapped)
	}
}

// TestGB18030FourByteTable compares the four-byte BMP table with x/text's
// GB18030 decoder.
func TestGB18030FourByteTable(t *testing.T) {
	dec := simplifiedchinese.GB18030.NewDecoder()
	for lin := 0; lin < gb18030BMPCount; lin += 7 {
		v := lin
		b := []byte{0, 0, 0, byte(0x30 + v%10)}
		v /= 10
		b[2] = byte(0x81 + v%126)
		v /= 126
		b[1] = byte(0x30 + v%10)
		b[0] = byte(0x81 + v/10)
		out, err := dec.Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		code := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		r := gb18030FourByte(code)
		want, _ := utf8.DecodeRune(out)
		if want == utf8.RuneError {
			want = 0
		}
		if r != want {
			t.Fatalf("gb18030FourByte(%x) = %U, want %U", code, r, want)
		}
	}
}

func TestAdobeGB1HalfWidthCID(t *testing.T) {
	tests := []struct {
		r    rune
		want uint32
		ok   bool
	}{
		{' ', 1, true},
		{'!', 2, true},
		{'0', 17, true},
		{'A', 34, true},
		{'~', 95, true},
		{0x1F, 0, false},
		{0x7F, 0, false},
		{'中', 0, false},
		{-1, 0, false},
	}
	for _, tt := range tests {
		got, ok := adobeGB1HalfWidthCID(tt.r)
		if got != tt.want || ok != tt.ok {
			t.Errorf("adobeGB1HalfWidthCID(%q) = %d, %v; want %d, %v", tt.r, got, ok, tt.want, tt.ok)
		}
	}
}

// TestPredefinedHostile runs every CMap over all byte pairs and some
// arbitrary bytes: n stays within bounds and nothing panics.
func TestPredefinedHostile(t *testing.T) {
	var all []byte
	for i := 0; i < 256; i++ {
		for j := 0; j < 256; j += 3 {
			all = append(all, byte(i), byte(j))
		}
	}
	for name, p := range predefinedCMaps {
		s := all
		for len(s) > 0 {
			code, n := p.nextCode(s)
			if n < 1 || n > 4 || n > len(s) {
				t.Fatalf("%s: nextCode(%x) n = %d", name, s[:min(4, len(s))], n)
			}
			p.unicode(code, n)
			s = s[n:]
		}
		if code, n := p.nextCode(nil); code != 0 || n != 0 {
			t.Errorf("%s: nextCode(nil) = %d, %d", name, code, n)
		}
		for _, n := range []int{-1, 0, 3, 5} {
			p.unicode(0xFFFFFFFF, n)
		}
	}
}

func TestPredefinedAllocs(t *testing.T) {
	gbk := predefinedCMap("GBK-EUC-H")
	ucs := predefinedCMap("UniGB-UCS2-H")
	gbk.unicode(0xd6d0, 2) // build the table
	if n := testing.AllocsPerRun(100, func() {
		gbk.nextCode([]byte{0xd6, 0xd0})
		gbk.unicode(0xd6d0, 2)
		ucs.unicode(0x4e2d, 2)
	}); n != 0 {
		t.Errorf("lookups allocate %v times", n)
	}
}

func BenchmarkGBKDecode(b *testing.B) {
	p := predefinedCMap("GBK-EUC-H")
	text, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("2026年部门预算一般公共预算财政拨款支出表（按功能分类）合计 12,345.67 万元"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s := text
		for len(s) > 0 {
			code, n := p.nextCode(s)
			p.unicode(code, n)
			s = s[n:]
		}
	}
}

// BenchmarkGBKDecoderBaseline decodes the same text with a reused x/text
// decoder one code at a time, the alternative to the lookup table.
func BenchmarkGBKDecoderBaseline(b *testing.B) {
	p := predefinedCMap("GBK-EUC-H")
	dec := simplifiedchinese.GBK.NewDecoder()
	text, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("2026年部门预算一般公共预算财政拨款支出表（按功能分类）合计 12,345.67 万元"))
	var dst [8]byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s := text
		for len(s) > 0 {
			_, n := p.nextCode(s)
			dec.Reset()
			nd, _, _ := dec.Transform(dst[:], s[:n], true)
			_ = string(dst[:nd])
			s = s[n:]
		}
	}
}

func BenchmarkGBKTableBuild(b *testing.B) {
	for i := 0; i < b.N; i++ {
		buildGBKTable()
	}
}
