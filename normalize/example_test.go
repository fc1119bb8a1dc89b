package normalize_test

import (
	"errors"
	"fmt"

	"github.com/budgetpdf/budgetpdf/normalize"
)

func ExampleParseAmount() {
	for _, s := range []string{"1,234.50", "（12.50）", "19,756.656053", "—", "1,2.3"} {
		a, err := normalize.ParseAmount(s)
		switch {
		case errors.Is(err, normalize.ErrNoAmount):
			fmt.Printf("%s: no amount\n", s)
		case err != nil:
			fmt.Println(err)
		default:
			fmt.Printf("%s: %s (scale %d)\n", s, a, a.Scale)
		}
	}
	// Output:
	// 1,234.50: 1234.50 (scale 2)
	// （12.50）: -12.50 (scale 2)
	// 19,756.656053: 19756.656053 (scale 6)
	// —: no amount
	// amount "1,2.3": malformed
}

func ExampleNormalizeText() {
	for _, s := range []string{"本 年 收 入 合 计", "Budget  2024", "一般公共 预算", "单位：万元", "合　　计"} {
		fmt.Println(normalize.NormalizeText(s))
	}
	// Output:
	// 本年收入合计
	// Budget 2024
	// 一般公共预算
	// 单位:万元
	// 合计
}

func ExampleParseFunctionCode() {
	code, level, rest, ok := normalize.ParseFunctionCode("[2010401]行政运行")
	fmt.Println(code, level, rest, ok)
	fmt.Println(normalize.ClassifyCode(code), normalize.ClassifyCode("30101"))
	// Output:
	// 2010401 3 行政运行 true
	// function economic_dept
}

func ExampleParseTarget() {
	for _, s := range []string{"≥300件", "0-100人", "95%以上", "按时、足额", "≥20场/≥50人"} {
		t, err := normalize.ParseTarget(s)
		switch {
		case err != nil:
			fmt.Println(err)
		case t.Qualitative:
			fmt.Printf("%s: qualitative\n", s)
		default:
			fmt.Printf("%s: %s low %v high %v unit %s\n", s, t.Comparator, t.Low, t.High, t.Unit)
		}
	}
	// Output:
	// ≥300件: ≥ low 300 high <nil> unit 件
	// 0-100人: range low 0 high 100 unit 人
	// 95%以上: ≥ low 95 high <nil> unit %
	// 按时、足额: qualitative
	// target "≥20场/≥50人": target not read
}
