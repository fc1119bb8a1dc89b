package reference_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/budgetpdf/budgetpdf/reference"
)

func TestSystem(t *testing.T) {
	tests := []struct {
		code string
		want reference.CodeSystem
	}{
		{"201", reference.SystemFunction},
		{"20101", reference.SystemFunction},
		{"2010101", reference.SystemFunction},
		{"234", reference.SystemFunction},
		{"235", reference.SystemUnknown},
		{"200", reference.SystemUnknown},
		{"2010", reference.SystemUnknown},
		{"301", reference.SystemEconDept},
		{"30101", reference.SystemEconDept},
		{"3021101", reference.SystemEconDept},
		{"399", reference.SystemEconDept},
		{"501", reference.SystemEconGov},
		{"50101", reference.SystemEconGov},
		{"5010101", reference.SystemUnknown}, // 政府 economic codes stop at 款
		{"307001", reference.SystemAgency},
		{"117001", reference.SystemAgency},
		{"11000022T00000043", reference.SystemProject},
		{"41050524000000003120", reference.SystemProject},
		{"11000022T0000004 34658", reference.SystemProject},
		{"A1234567", reference.SystemProject},
		{"A12345", reference.SystemUnknown},
		{"101", reference.SystemUnknown}, // revenue
		{"117", reference.SystemUnknown},
		{"", reference.SystemUnknown},
		{"201-01", reference.SystemUnknown},
		{"２０１", reference.SystemUnknown}, // full-width digits are read by normalize first
		{"201 01", reference.SystemFunction},
	}
	for _, tt := range tests {
		if got := reference.System(tt.code); got != tt.want {
			t.Errorf("System(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

// TestName covers each kind of entry: transcribed 类 and 款 of the three
// classifications, their year variants, consensus 项, and codes the
// reference does not have.
func TestName(t *testing.T) {
	tests := []struct {
		name   string
		system reference.CodeSystem
		code   string
		year   int
		want   string // "" = not found
		source string // a word of the source
	}{
		{"function 类", reference.SystemFunction, "201", 2026, "一般公共服务支出", "2025年政府收支分类科目"},
		{"function 类 renamed, new name", reference.SystemFunction, "207", 2019, "文化旅游体育与传媒支出", "2025年"},
		{"function 类 renamed, old name", reference.SystemFunction, "207", 2018, "文化体育与传媒支出", "2018年"},
		{"function 类 renamed 210 old", reference.SystemFunction, "210", 2016, "医疗卫生与计划生育支出", "2018年"},
		{"function 类 renamed 220 new", reference.SystemFunction, "220", 2022, "自然资源海洋气象等支出", "2025年"},
		{"function 类 unknown year", reference.SystemFunction, "207", 0, "文化旅游体育与传媒支出", "2025年"},
		{"function 类 not yet created", reference.SystemFunction, "224", 2018, "", ""},
		{"function 款", reference.SystemFunction, "20805", 2026, "行政事业单位养老支出", "2025年"},
		{"function 款 old name", reference.SystemFunction, "20805", 2019, "行政事业单位离退休", "2019年"},
		{"function 款 brackets", reference.SystemFunction, "20103", 2026, "政府办公厅（室）及相关机构事务", "2025年"},
		{"function 项 consensus", reference.SystemFunction, "2080505", 2026, "机关事业单位基本养老保险缴费支出", "corpus consensus"},
		{"function 项 consensus other year", reference.SystemFunction, "2010101", 2024, "行政运行", "corpus consensus"},
		{"econ_dept 类", reference.SystemEconDept, "309", 2026, "资本性支出（基本建设）", "2025年"},
		{"econ_dept 款", reference.SystemEconDept, "30213", 2022, "维修（护）费", "2025年"},
		{"econ_dept 款 consensus", reference.SystemEconDept, "30311", 2026, "代缴社会保险费", "corpus consensus"},
		{"econ_dept 7 digits consensus", reference.SystemEconDept, "3021101", 2026, "差旅费", "corpus consensus"},
		{"econ_gov 类", reference.SystemEconGov, "503", 2026, "机关资本性支出（一）", "2025年"},
		{"econ_gov 款", reference.SystemEconGov, "50101", 2019, "工资奖金津补贴", "2025年"},
		{"wrong system", reference.SystemEconGov, "30101", 2026, "", ""},
		{"agency code", reference.SystemAgency, "307001", 2026, "", ""},
		{"unknown 款", reference.SystemFunction, "20198", 2026, "", ""},
		{"unknown 项", reference.SystemFunction, "2019898", 2026, "", ""},
		{"not a code", reference.SystemFunction, "x", 2026, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := reference.Name(tt.system, tt.code, tt.year)
			if tt.want == "" {
				if ok {
					t.Fatalf("Name(%s, %s, %d) = %+v, want none", tt.system, tt.code, tt.year, e)
				}
				return
			}
			if !ok || e.Name != tt.want || !strings.Contains(e.Source, tt.source) || e.Code != tt.code || e.System != tt.system {
				t.Fatalf("Name(%s, %s, %d) = %+v, %v; want %s from %s", tt.system, tt.code, tt.year, e, ok, tt.want, tt.source)
			}
			if e.Level != reference.Level(tt.code) || !e.Holds(tt.year) {
				t.Errorf("entry %+v: level or years wrong for %d", e, tt.year)
			}
		})
	}
}

func TestSameName(t *testing.T) {
	tests := []struct {
		printed, standard string
		want              bool
	}{
		{"一般公共服务支出", "一般公共服务支出", true},
		{"一、一般公共服务支出", "一般公共服务支出", true},
		{"(1)工资福利支出", "工资福利支出", true},
		{"（一）工资福利支出", "工资福利支出", true},
		{"1.基本工资", "基本工资", true},
		{"1、基本工资", "基本工资", true},
		{"①基本工资", "基本工资", true},
		{"维修 (护)费", "维修（护）费", true},
		{"维修【护】费", "维修（护）费", true},
		{"政府办公厅(室)及相关机构事务", "政府办公厅（室）及相关机构事务", true},
		{"行政 运行", "行政运行", true},
		{"资本性支出(一)", "资本性支出（一）", true},
		{"资本性支出", "资本性支出（一）", false},
		{"资本性支出(基本建设)", "资本性支出（二）", false},
		{"对个人和家庭补助", "对个人和家庭的补助", false},
		{"一般公共服务", "一般公共服务支出", false},
		{"维护(护)费", "维修（护）费", false},
		{"机关事业单位基本养老保险缴", "机关事业单位基本养老保险缴费", false},
		{"", "", false},
		{"(1)", "(1)", true}, // an enumeration alone is kept
		{"1.5万元", "5万元", false},
	}
	for _, tt := range tests {
		if got := reference.SameName(tt.printed, tt.standard); got != tt.want {
			t.Errorf("SameName(%q, %q) = %v, want %v (%q, %q)", tt.printed, tt.standard, got, tt.want,
				reference.NormalizeName(tt.printed), reference.NormalizeName(tt.standard))
		}
	}
}

func TestAgency(t *testing.T) {
	tests := []struct{ printed, want string }{
		{"长春市信访局（本级）", "长春市信访局"},
		{"长春市信访局(本级)", "长春市信访局"},
		{"西安市审计局（汇总）", "西安市审计局"},
		{"苏州市自然资源和规划局 （本级）", "苏州市自然资源和规划局"},
		{"福州市民政局本级", "福州市民政局"},
		{"某某局（机关本级）", "某某局"},
		{"某某局(本级)(汇总)", "某某局"},
		{"上海市统计和大数据研究院（上海市统计数据管理中心）", "上海市统计和大数据研究院(上海市统计数据管理中心)"},
		{"北京市 统计局", "北京市统计局"},
		{"（本级）", "(本级)"},
		{"本级", "本级"},
	}
	for _, tt := range tests {
		if got := reference.Agency(tt.printed); got != tt.want {
			t.Errorf("Agency(%q) = %q, want %q", tt.printed, got, tt.want)
		}
	}
}

// TestPlace places the agencies of the corpus documents as budgetpdf reads
// them (checked by hand against the regions ../shared/corpus/MANIFEST.tsv
// names), and the ambiguous cases.
func TestPlace(t *testing.T) {
	tests := []struct {
		agency string
		words  []string
		want   string // "code province/city/county", "" = not placed
	}{
		{"北京市文化和旅游局", nil, "110000 北京市/北京市/"},
		{"北京市交通委员会", nil, "110000 北京市/北京市/"},
		{"长春市信访局(本级)", nil, "220100 吉林省/长春市/"},
		{"长沙市信访局", nil, "430100 湖南省/长沙市/"},
		{"重庆市气象局", nil, "500000 重庆市/重庆市/"},
		{"佛山市轨道交通局", nil, "440600 广东省/佛山市/"},
		{"福州市公安局文职人员管理中心", nil, "350100 福建省/福州市/"},
		{"广州市卫生健康委员会", nil, "440100 广东省/广州市/"},
		{"杭州市公安局", nil, "330100 浙江省/杭州市/"},
		{"湖州市交通运输局", nil, "330500 浙江省/湖州市/"},
		{"江苏省高级人民法院", nil, "320000 江苏省//"},
		{"江苏省人大常委会办公厅", nil, "320000 江苏省//"},
		{"泉州市人民政府办公室(本级)", nil, "350500 福建省/泉州市/"},
		{"上海市刑事科学技术研究院", nil, "310000 上海市/上海市/"},
		{"上海市统计和大数据研究院(上海市统计数据管理中心)", nil, "310000 上海市/上海市/"},
		{"上海市普陀区司法局", nil, "310107 上海市/上海市/普陀区"},
		{"中共上海市普陀区委社会工作部", nil, "310107 上海市/上海市/普陀区"},
		{"上海市普陀区人民政府万里街道办事处", nil, "310107 上海市/上海市/普陀区"},
		{"深圳市人民政府办公厅", nil, "440300 广东省/深圳市/"},
		{"苏州市自然资源和规划局", nil, "320500 江苏省/苏州市/"},
		{"无锡市教育局", nil, "320200 江苏省/无锡市/"},
		{"西安市人民政府国有资产监督管理委员会", nil, "610100 陕西省/西安市/"}, // not 辽源市西安区
		{"西安市卫生健康委员会(汇总)", nil, "610100 陕西省/西安市/"},
		{"烟台市住房和城乡建设局", nil, "370600 山东省/烟台市/"},
		{"安阳市殷都区人力资源和社会保障局", nil, "410505 河南省/安阳市/殷都区"},
		{"义乌市教育局", nil, "330782 浙江省/金华市/义乌市"},
		{"仙桃市财政局", nil, "429004 湖北省//仙桃市"},
		{"国家税务总局北京市税务局", nil, "110000 北京市/北京市/"},
		// central agencies have no region, whatever their words say
		{"国家信访局", nil, ""},
		{"国家信访局", []string{"北京市西城区"}, ""},
		// a county name shared by two cities: the words decide, or nothing
		{"普陀区司法局", nil, ""},
		{"普陀区司法局", []string{"上海市普陀区司法局2026年部门预算"}, "310107 上海市/上海市/普陀区"},
		{"普陀区司法局", []string{"舟山市普陀区"}, "330903 浙江省/舟山市/普陀区"},
		{"普陀区司法局", []string{"2026年部门预算"}, ""},
		{"朝阳区财政局", []string{"北京市"}, "110105 北京市/北京市/朝阳区"},
		{"鼓楼区教育局", []string{"江苏省"}, ""}, // 南京 and 徐州 both have one
		// no place in the name: the words' common region, or nothing
		{"市公安局", nil, ""},
		{"市公安局", []string{"2026年度杭州市公安局部门预算"}, "330100 浙江省/杭州市/"},
		{"市公安局", []string{"杭州市公安局", "湖州市"}, "330000 浙江省//"},
		{"市公安局", []string{"杭州市公安局", "上海市"}, ""},
		{"城区财政局", nil, ""}, // 城区 is a word before it is a place
		{"", nil, ""},
	}
	for _, tt := range tests {
		r, ok := reference.Place(tt.agency, tt.words...)
		got := ""
		if ok {
			got = fmt.Sprintf("%s %s/%s/%s", r.Code, r.Province, r.City, r.County)
		}
		if got != tt.want {
			t.Errorf("Place(%q, %q) = %q, want %q", tt.agency, tt.words, got, tt.want)
		}
	}
}

// TestData checks the embedded data: every entry valid (Entries would
// have panicked otherwise), no two entries of a code that hold for the
// same years with the same span (Name could not choose), every 款 and 项
// under a known parent, every entry with a source.
func TestData(t *testing.T) {
	es := reference.Entries()
	if len(es) < 600 {
		t.Fatalf("%d entries", len(es))
	}
	known := map[string]bool{}
	for _, e := range es {
		known[e.Code] = true
	}
	for i, e := range es {
		if e.Source == "" || e.Name == "" {
			t.Errorf("%+v: no source or name", e)
		}
		if e.Level > reference.LevelClass && !known[e.Code[:len(e.Code)-2]] {
			t.Errorf("%s %s: parent %s unknown", e.System, e.Code, e.Code[:len(e.Code)-2])
		}
		for _, o := range es[i+1:] {
			if o.Code == e.Code && o.From == e.From && o.To == e.To {
				t.Errorf("%s: two entries for the same years: %q, %q", e.Code, e.Name, o.Name)
			}
		}
	}
}

// FuzzSameName: NormalizeName is idempotent, a name is the same as itself,
// and SameName is symmetric.
func FuzzSameName(f *testing.F) {
	for _, s := range []string{"一、一般公共服务支出", "(1)工资福利支出", "维修 (护)费", "①", "1.5", "（一）", "資本性支出（一）"} {
		f.Add(s, "工资福利支出")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		n := reference.NormalizeName(a)
		if reference.NormalizeName(n) != n && utf8.ValidString(a) {
			t.Errorf("NormalizeName not idempotent: %q -> %q -> %q", a, n, reference.NormalizeName(n))
		}
		if n != "" && !reference.SameName(a, a) {
			t.Errorf("SameName(%q, itself) = false", a)
		}
		if reference.SameName(a, b) != reference.SameName(b, a) {
			t.Errorf("SameName(%q, %q) not symmetric", a, b)
		}
	})
}

// FuzzAgency: Agency is idempotent and Place never panics; what Place
// returns is a region of the data.
func FuzzAgency(f *testing.F) {
	for _, s := range []string{"长春市信访局（本级）", "中共上海市普陀区委社会工作部", "普陀区司法局", "市公安局", "(本级)本级", "国家信访局"} {
		f.Add(s, "上海市普陀区")
	}
	f.Fuzz(func(t *testing.T, agency, words string) {
		a := reference.Agency(agency)
		if reference.Agency(a) != a && utf8.ValidString(agency) {
			t.Errorf("Agency not idempotent: %q -> %q -> %q", agency, a, reference.Agency(a))
		}
		r, ok := reference.Place(agency, words)
		if ok && (len(r.Code) != 6 || r.Province == "") {
			t.Errorf("Place(%q, %q) = %+v", agency, words, r)
		}
	})
}

func ExampleName() {
	e, _ := reference.Name(reference.SystemFunction, "207", 2018)
	fmt.Println(e.Name)
	e, _ = reference.Name(reference.SystemFunction, "207", 2026)
	fmt.Println(e.Name)
	fmt.Println(reference.SameName("七、文化旅游体育与传媒支出", e.Name))
	// Output:
	// 文化体育与传媒支出
	// 文化旅游体育与传媒支出
	// true
}

func ExamplePlace() {
	r, ok := reference.Place("中共上海市普陀区委社会工作部")
	fmt.Println(r.Code, r.Province, r.County, ok)
	_, ok = reference.Place("普陀区司法局")
	fmt.Println(ok)
	// Output:
	// 310107 上海市 普陀区 true
	// false
}
