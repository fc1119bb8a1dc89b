package normalize

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/budgetpdf/budgetpdf/extract"
)

// buildDocument rebuilds a fixture's document.
func buildDocument(t *testing.T, file string) *Document {
	t.Helper()
	d, err := extract.OpenFile(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	b := NewBuilder(nil)
	for p, err := range d.Pages() {
		if err != nil {
			t.Fatal(err)
		}
		b.AddPage(p)
	}
	return b.Finish()
}

// seedIndicators lists the indicators the seed's transcription prints, as
// "project code|一级指标|二级指标|三级指标|指标值": the 预算2表 (a project per
// coded row, its lines under it; pairs of 三级指标 | 指标值 under each
// 一级指标 from column 6) and the 整体绩效目标表 (一级 | 二级 | 三级 | 指标值
// under its heading row, levels merged down).
func seedIndicators(t *testing.T) (projects, overall []string) {
	for _, st := range loadSeed(t) {
		switch {
		case st.Code == "预算2表":
			level1 := []string{"成本指标", "产出指标", "效益指标", "满意度指标"}
			project := ""
			for _, r := range st.Rows {
				if len(r[0]) > maxAgencyCode {
					project = r[0]
				} else if r[0] != "" {
					project = "" // an agency's row
				}
				for g, l1 := range level1 {
					if name, value := squash(r[6+2*g]), squash(r[7+2*g]); name != "" || value != "" {
						projects = append(projects, strings.Join([]string{project, l1, "", name, value}, "|"))
					}
				}
			}
		case strings.Contains(st.Title, "整体绩效目标表"):
			var l1, l2 string
			grid := false
			for _, r := range st.Rows {
				if r[0] == "一级指标" {
					grid = true
					continue
				}
				if !grid {
					continue
				}
				if r[0] != "" {
					l1 = r[0]
				}
				if r[1] != "" {
					l2 = r[1]
				}
				overall = append(overall, strings.Join([]string{"", l1, l2, squash(r[2]), squash(r[3])}, "|"))
			}
		}
	}
	return projects, overall
}

// TestSeedIndicators reads the seed's two renderings, ruled and three-line
// (no rule between columns, none between rows but under the header), and
// finds every indicator of its transcription, in order, with its project,
// levels, name and value exactly as printed.
func TestSeedIndicators(t *testing.T) {
	wantProjects, wantOverall := seedIndicators(t)
	if len(wantProjects) < 100 || len(wantOverall) != 24 {
		t.Fatalf("transcription: %d project and %d overall indicators", len(wantProjects), len(wantOverall))
	}
	for _, file := range []string{"../fixtures/seed-yindu-hrss-2024-ruled.pdf", "../fixtures/seed-yindu-hrss-2024-threeline.pdf"} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			d := buildDocument(t, file)
			var gotProjects, gotOverall []string
			for _, ind := range d.Indicators {
				s := strings.Join([]string{ind.ProjectCode, ind.Level1, ind.Level2, squash(ind.Name), squash(ind.ValueText)}, "|")
				if ind.Form == FormOverall {
					gotOverall = append(gotOverall, s)
				} else {
					gotProjects = append(gotProjects, s)
				}
			}
			for _, c := range []struct {
				name      string
				got, want []string
			}{{"预算2表", gotProjects, wantProjects}, {"整体绩效目标表", gotOverall, wantOverall}} {
				if len(c.got) != len(c.want) {
					t.Errorf("%s: %d indicators, want %d", c.name, len(c.got), len(c.want))
				}
				for i := range min(len(c.got), len(c.want)) {
					if c.got[i] != c.want[i] {
						t.Errorf("%s indicator %d:\n got %s\nwant %s", c.name, i, c.got[i], c.want[i])
					}
				}
			}
		})
	}
}

// TestGoldenIndicators renders the indicators and form fields of each
// fixture with performance tables and compares them with
// testdata/NAME.indicators.golden (go test -update rewrites; a mismatch
// leaves the actual output beside the golden as .actual). The goldens were
// reviewed against the pages (the seed's against its transcription).
func TestGoldenIndicators(t *testing.T) {
	files, _ := filepath.Glob("../fixtures/*.pdf")
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".pdf")
		if strings.Contains(name, "scanned") {
			continue
		}
		d := buildDocument(t, file)
		if len(d.Indicators)+len(d.FormFields) == 0 {
			continue
		}
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			for _, f := range d.FormFields {
				fmt.Fprintf(&b, "field t%d %s\n", f.Table, f)
			}
			for _, ind := range d.Indicators {
				fmt.Fprintf(&b, "indicator t%d %s\n", ind.Table, ind)
			}
			compareGolden(t, filepath.Join("testdata", name+".indicators.golden"), b.String())
		})
	}
}

// compareGolden compares got with a golden file; -update rewrites it.
func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if got == string(want) {
		return
	}
	os.WriteFile(path+".actual", []byte(got), 0o644)
	g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("%s line %d:\n got %s\nwant %s", path, i+1, gl, wl)
		}
	}
}

// TestIndicatorTargets checks the targets read from the seed's 预算2表
// on whole indicators, as printed and as read.
func TestIndicatorTargets(t *testing.T) {
	d := buildDocument(t, "../fixtures/seed-yindu-hrss-2024-ruled.pdf")
	want := map[string]string{
		"受理案件量":       "p23 r16 project [410505240000000058056|2024工伤认定调查勘验费|1.00] (安阳市殷都区人力资源和社会保障局) 产出指标//受理案件量 = \"≥300件\" -> ≥ 300..* 件",
		"专科人才人数":      "p23 r8 project [410505240000000056403|2021年至2023年事业单位招聘岗前培训|1.88] (安阳市殷都区人力资源和社会保障局) 产出指标//专科人才人数 = \"0-100人\" -> range 0..100 人",
		"拓宽高技术人才就业渠道": "p23 r10 project [410505240000000056403|2021年至2023年事业单位招聘岗前培训|1.88] (安阳市殷都区人力资源和社会保障局) 产出指标//拓宽高技术人才就业渠道 = \"95-100%\" -> range 95..100 %",
		"养老待遇发放":      "p29 r57 project [410505240000000058050|2024协管员补贴|38.12] (安阳市殷都区人力资源和社会保障局) 产出指标//养老待遇发放 = \"按时、足额\" -> qualitative",
		"专项资金细化率":     "p21 r15 overall (安阳市殷都区人力资源和社会保障局) 投入管理指标/预算和财务管理/专项资金细化率 = \"≥90%\" -> ≥ 90..* %",
	}
	found := map[string]bool{}
	for _, ind := range d.Indicators {
		w, ok := want[ind.Name]
		if !ok || found[ind.Name] {
			continue
		}
		found[ind.Name] = true
		if got := ind.String(); got != w {
			t.Errorf("got  %s\nwant %s", got, w)
		}
	}
	for name := range want {
		if !found[name] {
			t.Errorf("indicator %s not read", name)
		}
	}
}
