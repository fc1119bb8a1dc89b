package normalize

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// amountTests: want is "value/scale" as Amount.String() and Scale print
// them, "none" for ErrNoAmount, "malformed" for ErrMalformedAmount.
var amountTests = []struct {
	name, in, want string
}{
	{"integer", "16726725", "16726725/0"},
	{"two decimals", "4920.44", "4920.44/2"},
	{"trailing zero kept", "1,234.50", "1234.50/2"},
	{"thousands", "1,234,567.89", "1234567.89/2"},
	{"six decimals", "19,756.656053", "19756.656053/6"},
	{"zero", "0.00", "0.00/2"},
	{"leading zeros", "007", "7/0"},
	{"minus", "-12.50", "-12.50/2"},
	{"parentheses", "(12.50)", "-12.50/2"},
	{"full-width parentheses", "（12.50）", "-12.50/2"},
	{"full-width minus", "－12.50", "-12.50/2"},
	{"minus sign", "−12.50", "-12.50/2"},
	{"full-width digits", "１２３．４５", "123.45/2"},
	{"full-width comma", "1，234.50", "1234.50/2"},
	{"mixed commas", "1,234，567", "1234567/0"},
	{"spaces trimmed", "  1,234.50\t", "1234.50/2"},
	{"ideographic space trimmed", "\u300012\u3000", "12/0"},
	{"negative parenthesised thousands", "(1,234.00)", "-1234.00/2"},
	{"negative zero", "-0.00", "0.00/2"},
	{"one decimal", "12.5", "12.5/1"},
	{"beyond int64", "123456789012345678901234.5", "123456789012345678901234.5/1"},
	{"negative beyond int64", "-99999999999999999999", "-99999999999999999999/0"},
	{"18 digits", "999999999999999999", "999999999999999999/0"},
	{"19 digits", "9999999999999999999", "9999999999999999999/0"},

	{"hyphen", "-", "none"},
	{"em dash", "—", "none"},
	{"full-width hyphen", "－", "none"},
	{"double em dash", "——", "none"},
	{"slash", "/", "none"},
	{"spaced dash", " - ", "none"},
	{"empty", "", "none"},
	{"blank", "   ", "none"},

	{"bad grouping", "1,2.3", "malformed"},
	{"two points", "12.3.4", "malformed"},
	{"short group", "1,23", "malformed"},
	{"long group", "1,2345", "malformed"},
	{"long first group", "1234,567", "malformed"},
	{"double minus", "--5", "malformed"},
	{"letter", "12a", "malformed"},
	{"percent", "12%", "malformed"},
	{"full-width percent", "12％", "malformed"},
	{"plus", "+5", "malformed"},
	{"trailing point", "12.", "malformed"},
	{"leading point", ".5", "malformed"},
	{"comma in decimals", "1.234,5", "malformed"},
	{"leading comma", ",123", "malformed"},
	{"trailing comma", "123,", "malformed"},
	{"inner space", "1 234", "malformed"},
	{"minus in parentheses", "(-12)", "malformed"},
	{"open parenthesis only", "(12", "malformed"},
	{"empty parentheses", "()", "malformed"},
	{"minus alone in parentheses", "(-)", "malformed"},
	{"trailing minus", "12-", "malformed"},
	{"text", "合计", "malformed"},
	{"code with hyphens", "201-39-99", "malformed"},
}

func TestParseAmount(t *testing.T) {
	for _, tt := range amountTests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ParseAmount(tt.in)
			var got string
			switch {
			case err == ErrNoAmount:
				got = "none"
			case errors.Is(err, ErrMalformedAmount):
				got = "malformed"
				if want := fmt.Sprintf("amount %q: malformed", tt.in); err.Error() != want {
					t.Errorf("error %q, want %q", err, want)
				}
			case err != nil:
				t.Fatalf("unexpected error %v", err)
			default:
				got = fmt.Sprintf("%s/%d", a, a.Scale)
			}
			if got != tt.want {
				t.Errorf("ParseAmount(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseAmountExact(t *testing.T) {
	a, err := ParseAmount("19,756.656053")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Value.Equal(decimal.New(19756656053, -6)) {
		t.Errorf("value %s", a.Value)
	}
	// Many small amounts add up exactly.
	sum := decimal.Zero
	for range 1000 {
		a, _ := ParseAmount("0.10")
		sum = sum.Add(a.Value)
	}
	if sum.String() != "100" {
		t.Errorf("sum %s, want 100", sum)
	}
}

func TestLooksLikeAmount(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"16726725", true},
		{"1,234.50", true},
		{"(12.50)", true},
		{"（12.50）", true},
		{"－12.50", true},
		{"１２３．４５", true},
		{" 12 ", true},
		{"1,2.3", true}, // malformed, but a number cell
		{"12.3.4", true},
		{"--5", true},
		{".5", true},
		{"2080101", true}, // a code: the column decides
		{"", false},
		{"-", false},
		{"——", false},
		{"/", false},
		{"12a", false},
		{"12%", false},
		{"2024年", false},
		{"201-39-99", false},
		{"1 234", false},
		{"(12", true},
		{"12)", true},
		{"(,)", false},
		{"合计", false},
	}
	for _, tt := range tests {
		if got := LooksLikeAmount(tt.in); got != tt.want {
			t.Errorf("LooksLikeAmount(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestAmountString(t *testing.T) {
	tests := []struct {
		name string
		in   Amount
		want string
	}{
		{"pads to scale", Amount{decimal.New(1234, 0), 2}, "1234.00"},
		{"never rounds", Amount{decimal.New(12345, -3), 2}, "12.345"},
		{"zero value", Amount{}, "0"},
		{"negative", Amount{decimal.New(-5, -1), 2}, "-0.50"},
		{"negative scale", Amount{decimal.New(12, 0), -1}, "12"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestToYuan(t *testing.T) {
	tests := []struct {
		amount, unit, want string
	}{
		{"4920.44", "万元", "49204400"},
		{"19756.656053", "万元", "197566560.53"},
		{"1.5", "亿元", "150000000"},
		{"12.345", "千元", "12345"},
		{"-0.01", "元", "-0.01"},
		{"3", "百万元", "3000000"},
		{"3", " 万元 ", "30000"},
		{"3", "", "false"},
		{"3", "美元", "false"},
		{"3", "万", "false"},
	}
	for _, tt := range tests {
		got, ok := ToYuan(decimal.RequireFromString(tt.amount), tt.unit)
		s := "false"
		if ok {
			s = got.String()
		}
		if s != tt.want {
			t.Errorf("ToYuan(%s, %q) = %s, want %s", tt.amount, tt.unit, s, tt.want)
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, tt := range amountTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		looks := LooksLikeAmount(s)
		a, err := ParseAmount(s)
		if err != nil {
			if err != ErrNoAmount && !errors.Is(err, ErrMalformedAmount) {
				t.Fatalf("ParseAmount(%q): unexpected error %v", s, err)
			}
			return
		}
		if !looks {
			t.Errorf("ParseAmount(%q) accepted it, but LooksLikeAmount is false", s)
		}
		out := a.String()
		b, err := ParseAmount(out)
		if err != nil {
			t.Fatalf("ParseAmount(%q) = %s, which does not parse: %v", s, out, err)
		}
		if !b.Value.Equal(a.Value) || b.Scale != a.Scale {
			t.Fatalf("round trip %q -> %s/%d -> %s/%d", s, out, a.Scale, b, b.Scale)
		}
		if strings.ContainsAny(out, ",()") {
			t.Errorf("String() = %q has separators", out)
		}
	})
}

func BenchmarkParseAmount(b *testing.B) {
	inputs := []string{"16726725", "1,234.50", "(12.50)", "19,756.656053", "１２３．４５", "-"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ParseAmount(inputs[i%len(inputs)])
	}
}

func TestReadMisgrouped(t *testing.T) {
	for in, want := range map[string]string{
		"120258,600":   "120258600",
		"12,34,567.50": "1234567.50",
		"-1234,567":    "-1234567",
		"1,2.3":        "no",
		"12,34":        "no",
		",123":         "no",
		"1,,234":       "no",
		"1,234.":       "no",
		"12a,345":      "no",
	} {
		got := "no"
		if a, ok := readMisgrouped(in); ok {
			got = a.String()
		}
		if got != want {
			t.Errorf("readMisgrouped(%q) = %q, want %q", in, got, want)
		}
	}
}
