package normalize

import (
	"errors"
	"testing"
	"time"
)

var targetCases = []struct {
	in, want string
	bad      bool // a numeric-looking text that does not read
}{
	// the seed's 预算2表
	{in: "≥300件", want: "≥ 300..* 件"},
	{in: "0-100人", want: "range 0..100 人"},
	{in: "95-100%", want: "range 95..100 %"},
	{in: "按时、足额", want: "qualitative"},
	{in: "28920元", want: "= 28920..28920 元"},
	{in: "≤60日", want: "≤ *..60 日"},
	{in: "0-0.8万元", want: "range 0..0.8 万元"},
	{in: "200-5000元/人", want: "range 200..5000 元/人"},
	{in: "240元/月", want: "= 240..240 元/月"},
	{in: "≤4.5%", want: "≤ *..4.5 %"},
	{in: "0件", want: "= 0..0 件"},
	{in: "≤1500万", want: "≤ *..1500 万"},
	{in: "100%", want: "= 100..100 %"},
	{in: "=100%", want: "= 100..100 %"},
	{in: "1年", want: "= 1..1 年"},
	{in: "第一时间", want: "qualitative"},
	{in: "合规", want: "qualitative"},
	{in: "按时结算", want: "qualitative"},
	// other printings
	{in: "≥ 110 人", want: "≥ 110..* 人"},
	{in: "＞９０％", want: "> 90..* %"},
	{in: ">=100百分比", want: "≥ 100..* %"},
	{in: "<=17万元", want: "≤ *..17 万元"},
	{in: "≧400家次", want: "≥ 400..* 家次"},
	{in: "95%以上", want: "≥ 95..* %"},
	{in: "≥95%以上", want: "≥ 95..* %"},
	{in: "30日以内", want: "≤ *..30 日"},
	{in: "日均500人左右", want: "-"},
	{in: "500人左右", want: "~ 500..500 人"},
	{in: "大于90%", want: "> 90..* %"},
	{in: "不低于95%", want: "≥ 95..* %"},
	{in: "小于 0.5%", want: "< *..0.5 %"},
	{in: "不超过1,500.50万元", want: "≤ *..1500.5 万元"},
	{in: "90%-100%", want: "range 90..100 %"},
	{in: "1-12月", want: "range 1..12 月"},
	{in: "12月底前", want: "≤ *..12 月底"},
	{in: "全市数量≥1.6万场", want: "≥ 1.6..* 万场"},
	{in: "满意度>90%", want: "> 90..* %"},
	{in: "≥330 台套", want: "≥ 330..* 台套"},
	{in: "1", want: "= 1..1"},
	{in: "34.55", want: "= 34.55..34.55"},
	{in: "(人)100", want: "-"},
	{in: "100(人)", want: "= 100..100 人"},
	{in: "-", want: "-"},
	{in: "", want: "-"},
	{in: "无", want: "-"},
	{in: "每月1次", want: "-"},
	{in: "复检准确率95%", want: "-"},
	{in: "≥325人、户", want: "≥ 325..* 人、户"},
	{in: "=10010.89m2", want: "= 10010.89..10010.89 m2"},
	{in: "≤14元/m2/月", want: "≤ *..14 元/m2/月"},
	// dates are no numbers
	{in: "2022年12月底前", want: "-"},
	{in: "2022.1.1-2022.12.31", want: "-"},
	{in: "1月1日-12月31日", want: "-"},
	{in: "12个(土壤污染状况初步调查监测质量监督抽查)", want: "= 12..12 个"},
	{in: "28台(套)", want: "= 28..28 台"},
	{in: "数据捕获率(传输率)≥95%(扣除停电、自然灾害等因不可抗力因素)", want: "≥ 95..* %"},
	// numeric-looking, not read
	{in: "≥16个≥1个", want: "-", bad: true},
	{in: "1- 12月执行率≥95%", want: "-", bad: true},
	{in: "≤资金下达后30日", want: "-"},
	{in: "100%落实事业编制,全部人员按期完成考核", want: "-", bad: true},
	{in: "≥", want: "qualitative"},
	{in: "5-", want: "-", bad: true},
}

func TestParseTarget(t *testing.T) {
	for _, c := range targetCases {
		got, err := ParseTarget(c.in)
		if c.bad != (err != nil) {
			t.Errorf("ParseTarget(%q): error %v, want error %v", c.in, err, c.bad)
		}
		if err != nil && !errors.Is(err, ErrMalformedTarget) {
			t.Errorf("ParseTarget(%q): %v does not wrap ErrMalformedTarget", c.in, err)
		}
		if s := targetString(got); s != c.want {
			t.Errorf("ParseTarget(%q) = %s, want %s", c.in, s, c.want)
		}
	}
}

// FuzzParseTarget checks that any text reads in bounded time without a
// panic, that a read target is consistent (bounds where its comparator
// says, low ≤ high for a range, a short unit), and that reading is stable
// under the folding it applies (full-width text reads as its ASCII form).
func FuzzParseTarget(f *testing.F) {
	for _, c := range targetCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start := time.Now()
		tg, err := ParseTarget(s)
		if d := time.Since(start); d > time.Second {
			t.Fatalf("ParseTarget(%q) took %v", s, d)
		}
		if err != nil {
			if !errors.Is(err, ErrMalformedTarget) || tg.Comparator != CompNone || tg.Low != nil || tg.High != nil {
				t.Fatalf("ParseTarget(%q) = %+v, %v", s, tg, err)
			}
			return
		}
		if tg.Qualitative && (tg.Comparator != CompNone || tg.Low != nil) {
			t.Fatalf("ParseTarget(%q): qualitative with numbers: %+v", s, tg)
		}
		switch tg.Comparator {
		case CompAtLeast, CompMore:
			if tg.Low == nil || tg.High != nil {
				t.Fatalf("ParseTarget(%q): %+v", s, tg)
			}
		case CompAtMost, CompLess:
			if tg.Low != nil || tg.High == nil {
				t.Fatalf("ParseTarget(%q): %+v", s, tg)
			}
		case CompEqual, CompAbout, CompRange:
			if tg.Low == nil || tg.High == nil || tg.Comparator != CompRange && !tg.Low.Equal(*tg.High) {
				t.Fatalf("ParseTarget(%q): %+v", s, tg)
			}
		}
		if !validUnit(tg.Unit) {
			t.Fatalf("ParseTarget(%q): unit %q", s, tg.Unit)
		}
		again, err2 := ParseTarget(compactTarget(s))
		if (err2 != nil) != (err != nil) || targetString(again) != targetString(tg) {
			t.Fatalf("ParseTarget(%q) = %s, of its folded form %s", s, targetString(tg), targetString(again))
		}
	})
}
