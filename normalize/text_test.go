package normalize

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

var textTests = []struct {
	name, in, want string
}{
	{"spaced ideographs", "本 年 收 入 合 计", "本年收入合计"},
	{"double space", "Budget  2024", "Budget 2024"},
	{"split label", "一般公共 预算", "一般公共预算"},
	{"ideographic spaces between ideographs", "合　　计", "合计"},
	{"ideographic space elsewhere", "万元　2024年", "万元 2024年"},
	{"full-width colon", "单位：万元", "单位:万元"},
	{"full-width parentheses", "（一）", "(一)"},
	{"space before full-width parenthesis", "合计 （万元）", "合计(万元)"},
	{"space before ASCII parenthesis", "合计 (万元)", "合计 (万元)"},
	{"CJK punctuation", "一、 基本支出", "一、基本支出"},
	{"full-width letters and digits", "ＡＢＣ１２３", "ABC123"},
	{"full-width letters keep their space", "ＡＢ ＣＤ", "AB CD"},
	{"digits and ideographs", "2024 年", "2024 年"},
	{"tabs and newlines", "a\t\n b", "a b"},
	{"trim", "  预算  ", "预算"},
	{"nbsp", "a\u00a0\u00a0b", "a b"},
	{"trim ideographic", "\u3000\u3000项目", "项目"},
	{"already normal", "行政运行", "行政运行"},
	{"ascii", "Total", "Total"},
	{"empty", "", ""},
	{"spaces only", " \u3000 ", ""},
	{"compatibility ideograph", "\uf900", "\u8c48"},
	{"kangxi radical", "\u2f00", "一"},
	{"circled digit", "①", "1"},
	{"invalid utf-8", "a\xffb", "a\ufffdb"},
	{"spacing diaeresis", "a ¨", "a \u0308"},
}

func TestNormalizeText(t *testing.T) {
	for _, tt := range textTests {
		t.Run(tt.name, func(t *testing.T) {
			got := NormalizeText(tt.in)
			if got != tt.want {
				t.Errorf("NormalizeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := NormalizeText(got); again != got {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func FuzzNormalizeText(f *testing.F) {
	for _, tt := range textTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := NormalizeText(s)
		if again := NormalizeText(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, got, again)
		}
		if !utf8.ValidString(got) {
			t.Errorf("NormalizeText(%q) = %q: invalid UTF-8", s, got)
		}
		if !norm.NFKC.IsNormalString(got) {
			t.Errorf("NormalizeText(%q) = %q: not NFKC", s, got)
		}
		// The fast paths give what the tables give.
		want := squeezeSpace(norm.NFKC.String(squeezeSpace(strings.ToValidUTF8(s, "\uFFFD"))))
		if got != want {
			t.Errorf("NormalizeText(%q) = %q, the NFKC tables give %q", s, got, want)
		}
	})
}

func BenchmarkNormalizeText(b *testing.B) {
	inputs := []string{"本 年 收 入 合 计", "一般公共预算财政拨款支出", "单位：万元", "Budget 2024", "（一）基本支出　　人员经费"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		NormalizeText(inputs[i%len(inputs)])
	}
}
