package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTablesPerformance shows the seed's performance tables as a reader
// reads them: the overall form as its fields, then its indicators; the
// 预算2表 as rows of indicators under each project.
func TestTablesPerformance(t *testing.T) {
	code, out, stderr := runCLI("tables", "../../fixtures/seed-yindu-hrss-2024-ruled.pdf", "-pages", "20-23")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"   部门(单位)名称 = 安阳市殷都区人力资源和社会保障局\n",
		"   预算情况/部门预算总额(万元) = 6192.14\n",
		"   overall (安阳市殷都区人力资源和社会保障局):\n     投入管理指标 | 工作目标管理 | 年度履职目标相关性 | 相关 -> qualitative\n",
		"     投入管理指标 | 预算和财务管理 | 预算调整率 | ≤30% -> ≤ 30 %\n",
		"   project 410505240000000058056 2024工伤认定调查勘验费 amount 1.00 (安阳市殷都区人力资源和社会保障局):\n" +
			"     成本指标 | - | 调查案件需要成本 | 100元 -> = 100 元\n" +
			"     产出指标 | - | 受理案件量 | ≥300件 -> ≥ 300 件\n",
		"     产出指标 | - | 专科人才人数 | 0-100人 -> 0..100 人\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("tables output lacks:\n%s", want)
		}
	}
	if strings.Contains(out, "col 0: 部门(单位)名称") {
		t.Error("a form's fields shown as column headings")
	}

	code, out, stderr = runCLI("tables", "../../fixtures/seed-yindu-hrss-2024-ruled.pdf", "-pages", "20-21", "-format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var tb struct {
		Fields     []jsonField     `json:"fields"`
		Indicators []jsonIndicator `json:"indicators"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &tb); err != nil {
		t.Fatal(err)
	}
	if len(tb.Fields) != 9 || len(tb.Indicators) != 24 {
		t.Fatalf("%d fields, %d indicators; want 9 and 24", len(tb.Fields), len(tb.Indicators))
	}
	want := jsonIndicator{Form: "overall", Agency: "安阳市殷都区人力资源和社会保障局", Level1: "投入管理指标", Level2: "预算和财务管理",
		Indicator: "专项资金细化率", Value: "≥90%", Target: "≥ 90 %", Page: 21}
	if got := tb.Indicators[4]; got != want {
		t.Errorf("indicator 4: %+v, want %+v", got, want)
	}
}
