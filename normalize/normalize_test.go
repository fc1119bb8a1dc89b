package normalize

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/budgetpdf/budgetpdf/extract"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGoldenTables rebuilds the tables of each fixture and compares them
// with testdata/NAME.golden (go test -update rewrites; a mismatch leaves
// the actual output beside the golden as .actual).
func TestGoldenTables(t *testing.T) {
	files, _ := filepath.Glob("../fixtures/*.pdf")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".pdf")
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			for _, tb := range buildFixture(t, file) {
				b.WriteString(tb.debugString())
			}
			path := filepath.Join("testdata", name+".golden")
			if *update {
				os.MkdirAll("testdata", 0o755)
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test -update creates it)", err)
			}
			if b.String() != string(want) {
				os.WriteFile(path+".actual", []byte(b.String()), 0o644)
				got, wl := strings.Split(b.String(), "\n"), strings.Split(string(want), "\n")
				for i := range max(len(got), len(wl)) {
					g, w := "", ""
					if i < len(got) {
						g = got[i]
					}
					if i < len(wl) {
						w = wl[i]
					}
					if g != w {
						t.Fatalf("%s line %d:\n got %s\nwant %s", path, i+1, g, w)
					}
				}
			}
		})
	}
}

// synthPage builds a synthetic page: a ruled grid with the given column and row
// rule positions and one glyph string per cell ("" for none).
func synthPage(xs, ys []float64, cells [][]string) *extract.Page {
	p := &extract.Page{Number: 1, Width: 600, Height: 800}
	for _, y := range ys {
		p.Lines = append(p.Lines, extract.Line{X0: xs[0], Y0: y, X1: xs[len(xs)-1], Y1: y, Width: 0.5})
	}
	for _, x := range xs {
		p.Lines = append(p.Lines, extract.Line{X0: x, Y0: ys[0], X1: x, Y1: ys[len(ys)-1], Width: 0.5})
	}
	for r, row := range cells {
		for c, text := range row {
			x := xs[c] + 2
			for _, ch := range text {
				p.Glyphs = append(p.Glyphs, extract.Glyph{Text: string(ch), Size: 8, X0: x, Y0: ys[r] + 2, X1: x + 5, Y1: ys[r] + 10})
				x += 5
			}
		}
	}
	return p
}

func TestRuledTableFromSyntheticPage(t *testing.T) {
	p := synthPage([]float64{50, 110, 250, 330, 410}, []float64{100, 114, 128, 142, 156, 170}, [][]string{
		{"科目编码", "科目名称", "基本支出", "项目支出"},
		{"", "合计", "1,048.78", "2.44"},
		{"208", "社会保障和就业支出", "1,048.78", ""},
		{"20801", "人力资源事务", "1,048.78", "-"},
		{"2080101", "行政运行", "991.18", "2.44"},
	})
	// A title block above the grid.
	for i, ch := range "2024年部门支出预算表" {
		p.Glyphs = append(p.Glyphs, extract.Glyph{Text: string(ch), Size: 12, X0: 150 + float64(i)*12, Y0: 60, X1: 162 + float64(i)*12, Y1: 72})
	}
	for i, ch := range "单位：万元" {
		p.Glyphs = append(p.Glyphs, extract.Glyph{Text: string(ch), Size: 8, X0: 360 + float64(i)*8, Y0: 85, X1: 368 + float64(i)*8, Y1: 93})
	}
	b := NewBuilder(nil)
	b.AddPage(p)
	tables := b.Finish().Tables
	if len(tables) != 1 {
		t.Fatalf("%d tables", len(tables))
	}
	got := tables[0].debugString()
	want := `table 0 "" "2024年部门支出预算表" kind=支出总表 year=2024 unit=万元 pages=1-1 agency=""
  col 0 科目编码
  col 1 科目名称
  col 2 基本支出 [basic]
  col 3 项目支出 [project]
  r0 L0 [|合计|1:合计|2:1,048.78|3:2.44]
  r1 L1 [208|社会保障和就业支出|0:208|1:社会保障和就业支出|2:1,048.78]
  r2 L2 [20801|人力资源事务|0:20801|1:人力资源事务|2:1,048.78|3:-]
  r3 L3 [2080101|行政运行|0:2080101|1:行政运行|2:991.18|3:2.44]
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// Blank is not zero; a dash is text without an amount.
	r := tables[0].Rows[2]
	if c := r.Cells[len(r.Cells)-1]; c.Text != "-" || c.Amount != nil || c.Err != nil {
		t.Errorf("dash cell: %+v", c)
	}
	if len(tables[0].Rows[1].Cells) != 3 {
		t.Errorf("the blank 项目支出 cell of row 1 must not be a cell")
	}
}

func TestIsEnumerated(t *testing.T) {
	for s, want := range map[string]bool{"一、一般公共服务": true, "(十五)资源勘探": true, "（一）教育": true, "1.培训": true, "十二、城乡社区": true, "2024年": false, "1.5": false, "合计": false, "其中:财政拨款": false} {
		if got := isEnumerated(s); got != want {
			t.Errorf("isEnumerated(%q) = %v", s, got)
		}
	}
}

func TestKindOf(t *testing.T) {
	for title, want := range map[string]Kind{
		"2024年部门收支预算表":         "收支总表",
		"2024年部门收入预算表":         "收入总表",
		"2024年部门支出预算表":         "支出总表",
		"2024年财政拨款收支预算表":       "财政拨款收支总表",
		"2024年一般公共预算支出预算表":     "一般公共预算支出表",
		"2024年一般公共预算基本支出预算表":   "一般公共预算基本支出表",
		"2024年支出经济分类汇总表":       "支出经济分类汇总表",
		"2024年一般公共预算“三公”经费预算表": "三公经费表",
		"2024年政府性基金支出预算表":      "政府性基金预算支出表",
		"国有资本经营预算支出表":          "国有资本经营预算支出表",
		"2024年项目支出预算表":         "项目支出表",
		"上年结转资金表":              "上年结转",
		"2024年单位预算项目绩效目标汇总表":   "绩效目标表",
		"收入支出决算总表":             "收支总表",
		"部门基本情况表":              "other",
	} {
		if got := kindOf(title); got != want {
			t.Errorf("kindOf(%q) = %q, want %q", title, got, want)
		}
		if got, want := phaseOf(title), map[bool]Phase{true: PhaseFinal, false: PhaseBudget}[strings.Contains(title, "决算")]; got != want && strings.Contains(title, "算") {
			t.Errorf("phaseOf(%q) = %q, want %q", title, got, want)
		}
	}
}

// FuzzGridAssembly builds grids from random rules and glyphs: no panic, and
// every glyph inside a grid lands in exactly one of its cells.
func FuzzGridAssembly(f *testing.F) {
	f.Add(uint64(1), uint8(5), uint8(4), uint8(30))
	f.Add(uint64(42), uint8(2), uint8(2), uint8(0))
	f.Fuzz(func(t *testing.T, seed uint64, nx, ny, ng uint8) {
		rng := rand.New(rand.NewPCG(seed, seed>>7))
		p := &extract.Page{Number: 1, Width: 600, Height: 800}
		var xs, ys []float64
		for range int(nx%12) + 2 {
			xs = append(xs, rng.Float64()*600)
		}
		for range int(ny%12) + 2 {
			ys = append(ys, rng.Float64()*800)
		}
		for _, y := range ys {
			a, b := rng.Float64()*600, rng.Float64()*600
			p.Lines = append(p.Lines, extract.Line{X0: min(a, b), Y0: y, X1: max(a, b), Y1: y})
		}
		for _, x := range xs {
			a, b := rng.Float64()*800, rng.Float64()*800
			p.Lines = append(p.Lines, extract.Line{X0: x, Y0: min(a, b), X1: x, Y1: max(a, b)})
		}
		for range int(ng) {
			x, y := rng.Float64()*590, rng.Float64()*790
			p.Glyphs = append(p.Glyphs, extract.Glyph{Text: fmt.Sprint(rng.IntN(10)), Size: 8, X0: x, Y0: y, X1: x + 5, Y1: y + 8})
		}
		for _, g := range Grids(p.Lines, nil) {
			var idx []int
			x0, y0, x1, y1 := g.Bounds()
			for i, gl := range p.Glyphs {
				cx, cy := (gl.X0+gl.X1)/2, (gl.Y0+gl.Y1)/2
				if cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1 {
					idx = append(idx, i)
				}
			}
			def := (*Settings)(nil).withDefaults()
			reg := gridLattice(p, g, idx, &def)
			seen := make(map[int]int)
			for _, c := range reg.cells {
				for _, i := range c.glyphs {
					seen[i]++
				}
			}
			for _, i := range idx {
				if seen[i] != 1 {
					t.Fatalf("glyph %d in %d cells", i, seen[i])
				}
			}
		}
		b := NewBuilder(nil)
		b.AddPage(p)
		b.Finish()
	})
}

func BenchmarkBuilder(b *testing.B) {
	d, err := extract.OpenFile("../fixtures/seed-yindu-hrss-2024-ruled.pdf", nil)
	if err != nil {
		b.Fatal(err)
	}
	var pages []*extract.Page
	for p := range d.Pages() {
		pages = append(pages, p)
	}
	d.Close()
	b.ReportAllocs()
	for b.Loop() {
		bl := NewBuilder(nil)
		for _, p := range pages {
			bl.AddPage(p)
		}
		bl.Finish()
	}
	b.ReportMetric(float64(len(pages)*b.N)/b.Elapsed().Seconds(), "pages/s")
}

// TestContinuationAndCutRow: a table runs onto a second page that repeats
// its header; the row cut by the page break (its name runs on at the top
// of page 2) is joined, the repeated header dropped.
func TestContinuationAndCutRow(t *testing.T) {
	xs := []float64{50, 110, 250, 330}
	p1 := synthPage(xs, []float64{100, 114, 128, 142}, [][]string{
		{"科目编码", "科目名称", "合计"},
		{"2080101", "行政运行", "991.18"},
		{"2080199", "其他社会保障管理", "707.68"},
	})
	for i, ch := range "2024年部门支出预算表" {
		p1.Glyphs = append(p1.Glyphs, extract.Glyph{Text: string(ch), Size: 12, X0: 150 + float64(i)*12, Y0: 60, X1: 162 + float64(i)*12, Y1: 72})
	}
	p2 := synthPage(xs, []float64{40, 54, 68, 82}, [][]string{
		{"科目编码", "科目名称", "合计"},
		{"", "事务支出", ""},
		{"2101101", "行政单位医疗", "27.32"},
	})
	p2.Number = 2
	b := NewBuilder(nil)
	b.AddPage(p1)
	b.AddPage(p2)
	tables := b.Finish().Tables
	if len(tables) != 1 {
		t.Fatalf("%d tables, want 1", len(tables))
	}
	want := `table 0 "" "2024年部门支出预算表" kind=支出总表 year=2024 unit= pages=1-2 agency=""
  col 0 科目编码
  col 1 科目名称
  col 2 合计 [total]
  r0 L3 [2080101|行政运行|0:2080101|1:行政运行|2:991.18]
  r1 L3 [2080199|其他社会保障管理事务支出|0:2080199|1:其他社会保障管理事务支出|2:707.68]
  r2 L3 [2101101|行政单位医疗|0:2101101|1:行政单位医疗|2:27.32]
`
	if got := tables[0].debugString(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if w := tables[0].Warnings; len(w) != 1 || !strings.Contains(w[0], "no unit") {
		t.Errorf("warnings %q, want the missing unit", w)
	}
}

// TestCodeLayouts: the subject code of a row in each printed layout.
func TestCodeLayouts(t *testing.T) {
	tests := []struct {
		name  string
		cells [][]string
		want  []string // code|label|level per row
	}{
		{"类款项 columns, segments only", [][]string{
			{"类", "款", "项", "科目名称", "合计"},
			{"208", "", "", "社会保障和就业支出", "1,048.78"},
			{"", "05", "", "行政事业单位养老支出", "120.17"},
			{"", "", "05", "机关事业单位基本养老保险缴费支出", "71.12"},
			{"", "", "06", "机关事业单位职业年金缴费支出", "35.56"},
		}, []string{"208|社会保障和就业支出|1", "20805|行政事业单位养老支出|2", "2080505|机关事业单位基本养老保险缴费支出|3", "2080506|机关事业单位职业年金缴费支出|3"}},
		{"one column, two-digit segments", [][]string{
			{"科目编码", "科目名称", "合计"},
			{"208", "社会保障和就业支出", "1,048.78"},
			{"05", "行政事业单位养老支出", "120.17"},
			{"05", "机关事业单位基本养老保险缴费支出", "71.12"},
		}, []string{"208|社会保障和就业支出|1", "20805|行政事业单位养老支出|2", "2080505|机关事业单位基本养老保险缴费支出|3"}},
		{"code inside the name", [][]string{
			{"项目", "合计"},
			{"[2010401]行政运行", "12.50"},
			{"2010501-行政运行", "3.00"},
			{"201-39-99其他支出", "1.00"},
		}, []string{"2010401|行政运行|3", "2010501|行政运行|3", "2013999|其他支出|3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			xs := []float64{20}
			for i := range tt.cells[0] {
				w := 40.0
				if strings.ContainsAny(tt.cells[0][i], "名项") {
					w = 200
				}
				xs = append(xs, xs[i]+w)
			}
			var ys []float64
			for i := range len(tt.cells) + 1 {
				ys = append(ys, 100+14*float64(i))
			}
			b := NewBuilder(nil)
			b.AddPage(synthPage(xs, ys, tt.cells))
			tables := b.Finish().Tables
			if len(tables) != 1 {
				t.Fatalf("%d tables", len(tables))
			}
			var got []string
			for _, r := range tables[0].Rows {
				got = append(got, fmt.Sprintf("%s|%s|%d", r.Code, r.Label, r.Level))
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestHeadingAcrossRules: a heading wider than its cell, drawn across the
// column rules on both sides, stays whole in its cell; amounts set close
// to a rule stay where they are.
func TestHeadingAcrossRules(t *testing.T) {
	p := synthPage([]float64{50, 110, 170, 260}, []float64{100, 114, 128, 142}, [][]string{
		{"项目", "", ""},
		{"一般公共服务", "12.00", "12.00"},
		{"教育", "3.00", "3.00"},
	})
	// 政府预算支出数 centred on the middle column, 70 pt wide in a 60 pt
	// cell: its first and last glyphs cross the rules at 110 and 170.
	line := func(text string, x0 float64) {
		for i, ch := range []rune(text) {
			x := x0 + float64(i)*10
			p.Glyphs = append(p.Glyphs, extract.Glyph{Text: string(ch), Size: 10, X0: x, Y0: 102, X1: x + 10, Y1: 112})
		}
	}
	line("政府预算支出数", 105)
	line("合计", 205)
	b := NewBuilder(nil)
	b.AddPage(p)
	tables := b.Finish().Tables
	if len(tables) != 1 {
		t.Fatalf("%d tables", len(tables))
	}
	want := `table 0 "" "" kind=other year=0 unit= pages=1-1 agency=""
  col 0 项目
  col 1 政府预算支出数
  col 2 合计
  r0 L0 [|一般公共服务|0:一般公共服务|1:12.00|2:12.00]
  r1 L0 [|教育|0:教育|1:3.00|2:3.00]
`
	if got := tables[0].debugString(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestOverflowAcrossRowRule: the last line of a wrapped label, drawn across
// the rule below its row and into the next row's own label, goes back to
// its row; under a label that did not fill its cell, a line drawn the same
// way stays where it is.
func TestOverflowAcrossRowRule(t *testing.T) {
	p := synthPage([]float64{50, 158, 200}, []float64{100, 114, 128, 142, 156, 170}, [][]string{
		{"科目名称", "金额"},
		{"", "1.00"},
		{"", "2.00"},
		{"", "3.00"},
		{"", "4.00"},
	})
	line := func(text string, y0 float64) {
		for i, ch := range []rune(text) {
			x := 52 + float64(i)*8
			p.Glyphs = append(p.Glyphs, extract.Glyph{Text: string(ch), Size: 8, X0: x, Y0: y0, X1: x + 8, Y1: y0 + 8})
		}
	}
	line("机关事业单位基本养老保险缴", 115) // 13 glyphs to x 156: the cell is full
	line("费", 126.5)           // across the rule at 128, into the next label
	line("职业年金缴费", 130.5)
	line("短名", 143)
	line("其他", 154.5) // across the rule at 156 too, but 短名 did not wrap
	line("支出项目", 158.5)
	b := NewBuilder(nil)
	b.AddPage(p)
	tables := b.Finish().Tables
	if len(tables) != 1 {
		t.Fatalf("%d tables", len(tables))
	}
	var got []string
	for _, r := range tables[0].Rows {
		got = append(got, r.Label)
	}
	want := []string{"机关事业单位基本养老保险缴费", "职业年金缴费", "短名", "其他支出项目"}
	if !slices.Equal(got, want) {
		t.Errorf("labels %q, want %q", got, want)
	}
}

// FuzzSortByPos: the rank sort of rule segments orders them by position
// as a sort by position does, keeps the order of segments of one
// position, and loses or adds none.
func FuzzSortByPos(f *testing.F) {
	f.Add([]byte{3, 1, 2, 3, 1, 0, 9, 9})
	f.Add([]byte{0, 0, 0, 1, 1, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		segs := make([][3]float64, len(b))
		for i, v := range b {
			segs[i] = [3]float64{float64(v%6) * 0.5, float64(i), float64(v)}
		}
		want := slices.Clone(segs)
		slices.SortStableFunc(want, func(a, b [3]float64) int { return cmpFloat(a[0], b[0]) })
		sortByPos(segs)
		if !slices.Equal(segs, want) {
			t.Fatalf("sortByPos %v, want %v", segs, want)
		}
	})
}

// TestSearchFrom: a search that tries an answer first gives sortSearch's
// answer, whatever the hint.
func TestSearchFrom(t *testing.T) {
	xs := []float64{10, 20, 20, 30, 45}
	for _, v := range []float64{-1, 10, 15, 20, 25, 30, 44.9, 45, 99, math.NaN()} {
		want := sortSearch(xs, v)
		for hint := -1; hint <= len(xs)+1; hint++ {
			if got := searchFrom(xs, v, hint); got != want {
				t.Errorf("searchFrom(%v, hint %d) = %d, want %d", v, hint, got, want)
			}
		}
		if n := len(slices.DeleteFunc(slices.Clone(xs), func(x float64) bool { return !(x <= v) })); n != want {
			t.Errorf("sortSearch(%v) = %d, want %d (the xs <= v)", v, want, n)
		}
	}
}
