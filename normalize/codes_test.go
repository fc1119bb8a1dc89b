package normalize

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseFunctionCode(t *testing.T) {
	tests := []struct {
		name, in, want string // want: "code level rest" or "no"
	}{
		{"bare", "2080101", "2080101 3 "},
		{"class", "208", "208 1 "},
		{"item", "20801", "20801 2 "},
		{"spaces", "208 01 01", "2080101 3 "},
		{"wide spaces", "208  01  01", "2080101 3 "},
		{"hyphens", "201-39-99", "2013999 3 "},
		{"full-width hyphens", "201－39－99", "2013999 3 "},
		{"two groups", "208 01", "20801 2 "},
		{"brackets", "[2010401]行政运行", "2010401 3 行政运行"},
		{"lenticular brackets", "【2010401】 行政运行", "2010401 3 行政运行"},
		{"code hyphen label", "2010501-行政运行", "2010501 3 行政运行"},
		{"code space label", "2080101 行政运行", "2080101 3 行政运行"},
		{"code then label", "2080101行政运行", "2080101 3 行政运行"},
		{"spaced code then label", "208 01 01 行政运行", "2080101 3 行政运行"},
		{"class with label", "201 一般公共服务支出", "201 1 一般公共服务支出"},
		{"trailing full-width parentheses", "行政运行（2010801）", "2010801 3 行政运行"},
		{"trailing ASCII parentheses", "行政运行 (2010801)", "2010801 3 行政运行"},
		{"trailing spaced code", "行政运行（201 08 01）", "2010801 3 行政运行"},
		{"full-width digits", "２０８０１０１", "2080101 3 "},
		{"surrounding spaces", "  2080101  ", "2080101 3 "},
		{"last class", "234", "234 1 "},

		{"not a function class", "235", "no"},
		{"economic code", "30101", "no"},
		{"year", "2024年", "no"},
		{"six digits", "208010", "no"},
		{"eight digits", "20801011", "no"},
		{"amount", "234.50", "no"},
		{"thousands", "234,567", "no"},
		{"percent", "201%", "no"},
		{"letter after", "2080101a", "no"},
		{"unclosed bracket", "[2010401行政运行", "no"},
		{"label only", "行政运行", "no"},
		{"empty", "", "no"},
		{"trailing text in parentheses", "行政运行（单位）", "no"},
		{"bad group", "208 1 01", "208 1 1 01"},
		{"class then year", "201 2024年", "201 1 2024年"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, level, rest, ok := ParseFunctionCode(tt.in)
			got := "no"
			if ok {
				got = fmt.Sprintf("%s %d %s", code, level, rest)
			} else if code != "" || level != 0 || rest != tt.in {
				t.Errorf("not ok, but got %q %d %q", code, level, rest)
			}
			if got != tt.want {
				t.Errorf("ParseFunctionCode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestClassifyCode(t *testing.T) {
	tests := []struct {
		in   string
		want CodeKind
	}{
		{"2080101", CodeFunction},
		{"20801", CodeFunction},
		{"201", CodeFunction},
		{"234", CodeFunction},
		{"235", CodeUnknown},
		{"301", CodeEconomicDept},
		{"30101", CodeEconomicDept},
		{"39999", CodeEconomicDept},
		{"3010101", CodeEconomicDept},
		{"501", CodeEconomicGov},
		{"50101", CodeEconomicGov},
		{"307001", CodeAgency},
		{"208001", CodeAgency},
		{"41050524000000003120", CodeProject},
		{"11000022T0000004 34658", CodeProject},
		{"11000022T000000434658", CodeProject},
		{"12345678", CodeProject},
		{"T123", CodeUnknown},
		{"1030101", CodeUnknown}, // revenue
		{"101", CodeUnknown},
		{"", CodeUnknown},
		{"30-101", CodeUnknown},
		{"行政运行", CodeUnknown},
	}
	for _, tt := range tests {
		if got := ClassifyCode(tt.in); got != tt.want {
			t.Errorf("ClassifyCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseFunctionCode(f *testing.F) {
	for _, s := range []string{"2080101", "208 01 01", "201-39-99", "[2010401]行政运行", "2010501-行政运行",
		"行政运行（2010801）", "234.50", "２０８", "201 2024年", "【208】"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, level, rest, ok := ParseFunctionCode(s)
		if !ok {
			if code != "" || level != 0 || rest != s {
				t.Fatalf("%q: not ok but %q %d %q", s, code, level, rest)
			}
			return
		}
		if ClassifyCode(code) != CodeFunction || level != (len(code)-1)/2 || level < 1 || level > 3 {
			t.Fatalf("%q: code %q level %d", s, code, level)
		}
		if !strings.Contains(s, rest) {
			t.Fatalf("%q: rest %q is not part of the input", s, rest)
		}
	})
}

func TestParseCode(t *testing.T) {
	tests := []struct {
		in, want string // want: "code kind level rest" or "no"
	}{
		{"[30101]基本工资", "30101 economic_dept 2 基本工资"},
		{"50101-工资奖金津补贴", "50101 economic_gov 2 工资奖金津补贴"},
		{"301 工资福利支出", "301 economic_dept 1 工资福利支出"},
		{"3021101-差旅费", "3021101 economic_dept 3 差旅费"},
		{"基本工资（30101）", "30101 economic_dept 2 基本工资"},
		{"2010501-行政运行", "2010501 function 3 行政运行"},
		{"2080101行政运行", "2080101 function 3 行政运行"},
		{"606-湖州市交通运输局", "no"},
		{"307001-安阳市殷都区人力资源和社会保障局", "307001 agency 0 安阳市殷都区人力资源和社会保障局"},
		{"30101", "30101 economic_dept 2 "},
		{"312国道改造", "no"},
		{"30101基本工资", "no"},
		{"2024年项目", "no"},
		{"307001安阳", "no"},
		{"99", "no"},
	}
	for _, tt := range tests {
		code, kind, level, rest, ok := ParseCode(tt.in)
		got := "no"
		if ok {
			got = fmt.Sprintf("%s %s %d %s", code, kind, level, rest)
		}
		if got != tt.want {
			t.Errorf("ParseCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
