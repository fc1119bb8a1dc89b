package workbook_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/budgetpdf/budgetpdf/workbook"
)

const (
	seedPDF   = "../fixtures/seed-yindu-hrss-2024-ruled.pdf"
	failedPDF = "testdata/xian-sasac-2022-budget-p29.pdf" // a corpus page with failed checks on cells (testdata/README.md)
)

// corpusDir is the shared corpus, when present.
const corpusDir = "../../shared/corpus"

// read reads a PDF through the pipeline.
func read(t testing.TB, file string) *pipeline.Result {
	t.Helper()
	res, err := pipeline.ReadDocument(context.Background(), file, nil)
	if res.Normalized == nil {
		t.Fatalf("%s: %v", file, err)
	}
	return res
}

// source is the workbook's Source of a pipeline result.
func source(res *pipeline.Result) workbook.Source {
	d := res.Document
	return workbook.Source{File: d.SourceFile, DocumentID: d.DocumentID, Pages: int(d.Pages), Status: d.Status}
}

// write returns the workbook of res.
func write(t testing.TB, res *pipeline.Result) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := workbook.Write(&buf, res.Normalized, res.NormalizedChecks, source(res)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sheetLayout is where the test expects a table on its sheet, stated
// independently of the package: three title rows, one header row per
// heading level, the hidden measure row, then one row per printed row
// (Row.Index in order of appearance); key columns where no printed row
// holds two rows, each where some row has it; amounts grouped by
// thousands where the table prints a separator in any.
type sheetLayout struct {
	keys  []string // headings of the key columns
	group bool     // some amount of the table is printed with a thousands separator
	depth int      // header rows
	first int      // 1-based sheet row of the first body row
	at    map[int]int
	rows  int // printed rows
}

func expect(tb *normalize.Table) sheetLayout {
	l := sheetLayout{depth: 1, at: map[int]int{}}
	multi := false
	for _, r := range tb.Rows {
		for _, c := range r.Cells {
			l.group = l.group || c.Amount != nil && strings.ContainsAny(c.Raw, ",，")
		}
		if _, ok := l.at[r.Index]; ok {
			multi = true
			continue
		}
		l.at[r.Index] = l.rows
		l.rows++
	}
	for _, c := range tb.Columns {
		l.depth = max(l.depth, len(c.Path))
	}
	l.first = 3 + l.depth + 2
	if multi {
		return l
	}
	for _, k := range []struct {
		h string
		v func(normalize.Row) string
	}{{"编码", func(r normalize.Row) string { return r.Code }}, {"名称", func(r normalize.Row) string { return r.Label }},
		{"编码2", func(r normalize.Row) string { return r.Code2 }}, {"名称2", func(r normalize.Row) string { return r.Label2 }}} {
		if slices.ContainsFunc(tb.Rows, func(r normalize.Row) bool { return k.v(r) != "" }) {
			l.keys = append(l.keys, k.h)
		}
	}
	return l
}

// name is the cell name of 1-based (col, row).
func name(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// xmlCell is a cell as stored in a worksheet's XML: its type attribute and
// its <v>, if any.
type xmlCell struct {
	T, V string
	HasV bool
}

// storedCells reads every worksheet's cells straight from the package's
// XML: sheet name -> cell name -> cell.
func storedCells(t testing.TB, data []byte) map[string]map[string]xmlCell {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	part := func(name string, v any) {
		f, err := zr.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := xml.NewDecoder(f).Decode(v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	part("xl/workbook.xml", &wb)
	part("xl/_rels/workbook.xml.rels", &rels)
	out := map[string]map[string]xmlCell{}
	for _, s := range wb.Sheets {
		target := ""
		for _, r := range rels.Rel {
			if r.ID == s.RID {
				target = r.Target
			}
		}
		var ws struct {
			Cells []struct {
				R string  `xml:"r,attr"`
				T string  `xml:"t,attr"`
				V *string `xml:"v"`
			} `xml:"sheetData>row>c"`
		}
		part(path.Join("xl", strings.TrimPrefix(target, "/xl/")), &ws)
		cells := map[string]xmlCell{}
		for _, c := range ws.Cells {
			x := xmlCell{T: c.T}
			if c.V != nil {
				x.V, x.HasV = *c.V, true
			}
			cells[c.R] = x
		}
		out[s.Name] = cells
	}
	return out
}

func TestWorkbookSeed(t *testing.T) {
	res := read(t, seedPDF)
	data := write(t, res)
	if n := verify(t, res, data); n != 430 {
		t.Errorf("%d amounts compared, want the seed's 430", n)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantSheets := "概况|预算01表|预算02表|预算03表|预算04表|预算05表|预算06表|预算07表|预算08表|预算09表|预算10表|2024年部门预算表|上年结转资金表|本级部门(单位)整体绩效目标表(2024年度)|预算2表"
	if got := strings.Join(f.GetSheetList(), "|"); got != wantSheets {
		t.Errorf("sheets\n%s\nwant\n%s", got, wantSheets)
	}
	// The header of 预算03表 as printed: 科目编码 over 类 款 项, 基本支出
	// over 小计 and the 人员经费 and 公用经费 groups, each over two leaves.
	wantMerges := `A1:P1 预算03表 2024年部门支出预算表
A4:A6 编码
B4:B6 名称
C4:E4 科目编码
C5:C6 类
D5:D6 款
E5:E6 项
F4:F6 单位代码
G4:G6 单位(科目名称)
H4:H6 合计
I4:M4 基本支出
I5:I6 小计
J5:K5 人员经费
L5:M5 公用经费
N4:P4 项目支出
N5:N6 小计
O5:O6 其他运转类
P5:P6 特定目标类`
	if got := merges(t, f, "预算03表"); got != wantMerges {
		t.Errorf("merged cells of 预算03表:\n%s\nwant\n%s", got, wantMerges)
	}
	if got := sheetText(t, f, "预算03表", 4, 8); got != seedSheet03 {
		t.Errorf("预算03表, rows 4-8:\n%s\nwant\n%s", got, seedSheet03)
	}
	if got := sheetText(t, f, "概况", 1, 40); got != seedSummary {
		t.Errorf("概况:\n%s\nwant\n%s", got, seedSummary)
	}
}

// seedSheet03 is the start of 预算03表's sheet: the three header rows,
// the hidden measure row, the 合计 row (raw values).
const seedSheet03 = `编码|名称|科目编码|||单位代码|单位(科目名称)|合计|基本支出|||||项目支出
||类|款|项||||小计|人员经费||公用经费||小计|其他运转类|特定目标类
|||||||||工资福利支出|对个人和家庭的补助|商品和服务支出|资本性支出
|||||||total|basic|basic.personnel.wages|basic.personnel.household|basic.public.goods_services|basic.public.capital|project|project.operation|project.specific
|合计|合计|||||6192.14|1389.08|1315.52|22.94|50.62||4803.06|11.51|4791.55`

// seedSummary is the seed's summary sheet.
const seedSummary = `文件|../fixtures/seed-yindu-hrss-2024-ruled.pdf
文档编号|45897bbd9b0a4682fdd12ae697951b490237568469e5bbb5e2107348b8a4ebf8
年度|2024
阶段|预算
单位|安阳市殷都区人力资源和社会保障局
金额单位|万元
页数|32
状态|ok
表数|14

序号|工作表|表号|标题|类别|阶段|页|金额单位|行数|列数|通过|未通过|跳过|未通过的规则|说明
1|预算01表|预算01表|2024年部门收支预算表|收支总表|预算|1|万元|33|4|3|0|0
2|预算02表|预算02表|2024年部门收入预算表|收入总表|预算|2|万元|2|20|5|0|4
3|预算03表|预算03表|2024年部门支出预算表|支出总表|预算|3-4|万元|21|14|18|0|44
4|预算04表|预算04表|2024年财政拨款收支预算表|财政拨款收支总表|预算|5-6|万元|33|8|2|0|0
5|预算05表|预算05表|2024年一般公共预算支出预算表|一般公共预算支出表|预算|7-8|万元|21|14|17|0|44
6|预算06表|预算06表|2024年一般公共预算基本支出预算表|一般公共预算基本支出表|预算|9|万元|19|7|3|0|20
7|预算07表|预算07表|2024年支出经济分类汇总表|支出经济分类汇总表|预算|10-11|万元|26|18|7|0|27
8|预算08表|预算08表|2024年一般公共预算“三公”经费预算表|三公经费表|预算|12|万元|1|6|0|0|2
9|预算09表|预算09表|2024年政府性基金支出预算表|政府性基金预算支出表|预算|13|万元|1|14|0|0|0
10|预算10表|预算10表|2024年项目支出预算表|项目支出表|预算|14-17|万元|24|12|4|0|24
11|2024年部门预算表||2024年部门预算表|other|预算|18|万元|0|29|0|0|0
12|上年结转资金表||上年结转资金表|上年结转|预算|19|万元|5|9|0|0|0
13|本级部门(单位)整体绩效目标表(2024年度)||本级部门(单位)整体绩效目标表(2024年度)|绩效目标表|预算|20-21|万元|35|5|0|0|0
14|预算2表|预算2表|2024年单位预算项目绩效目标汇总表|绩效目标表|预算|22-32|万元|78|14|0|0|0`

// sheetText renders rows from..to (1-based) of a sheet, raw values, one
// line per row, cells joined by "|" up to the row's last value.
func sheetText(t *testing.T, f *excelize.File, sheet string, from, to int) string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := from - 1; i < min(to, len(rows)); i++ {
		out = append(out, strings.Join(rows[i], "|"))
	}
	return strings.Join(out, "\n")
}

// TestWorkbookFailedChecks reads a corpus page whose checks fail on cells
// (column.top-level on two columns, structure.code-name on a name) and on
// the table (structure.no-agency).
func TestWorkbookFailedChecks(t *testing.T) {
	res := read(t, failedPDF)
	data := write(t, res)
	verify(t, res, data)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cs, err := f.GetComments("表6")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range cs {
		got[c.Cell] = c.Author + ": " + c.Text
	}
	for cell, want := range map[string]string{
		"A1":  "budgetpdf: structure.no-agency failed: a table of amounts without an agency, in its title block or the document",
		"J6":  "budgetpdf: column.top-level failed (this cell: total): printed total 25180591.33, sum of parts 23101284.02, difference -2079307.31",
		"K7":  "budgetpdf: column.top-level failed (this cell: part): printed total 13593324.02, sum of parts 26436948.04, difference 12843624.02",
		"I34": `budgetpdf: structure.code-name failed: econ_gov 50999 printed "其他对个人和家庭补助", standard name "其他对个人和家庭的补助"`,
	} {
		if got[cell] != want {
			t.Errorf("comment on %s:\n%s\nwant\n%s", cell, got[cell], want)
		}
	}
	if len(cs) != 12 {
		t.Errorf("%d comments, want 12 (the title, 5 cells of each of 2 column checks, 1 name)", len(cs))
	}
	wantLine := "1|表6|表6|2022年部门综合预算一般公共预算支出明细表(按经济分类科目分)|一般公共预算支出表|预算|1|元|31|10|2|4|31|column.top-level structure.code-name structure.no-agency"
	if got := sheetText(t, f, "概况", 11, 11); got != wantLine {
		t.Errorf("summary line\n%s\nwant\n%s", got, wantLine)
	}
}

// TestWorkbookCorpus writes the workbooks of corpus documents and checks
// every cell: a 决算 with blocks printed side by side and a budget with
// failed checks; with BUDGETPDF_CORPUS set (make corpus), every document
// of that directory.
func TestWorkbookCorpus(t *testing.T) {
	files := []string{corpusDir + "/national-petition-bureau-2024-final.pdf", corpusDir + "/xian-sasac-2022-budget.pdf"}
	if dir := os.Getenv("BUDGETPDF_CORPUS"); dir != "" {
		files, _ = filepath.Glob(filepath.Join(dir, "*.pdf"))
	}
	for _, file := range files {
		if _, err := os.Stat(file); err != nil {
			t.Skipf("no corpus: %v", err)
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			res, _ := pipeline.ReadDocument(context.Background(), file, nil)
			if res.Normalized == nil || len(res.Normalized.Tables) == 0 {
				t.Skipf("no tables: %s", res.Document.Error)
			}
			n := verify(t, res, write(t, res))
			t.Logf("%d tables, %d amounts read back exactly", len(res.Normalized.Tables), n)
		})
	}
}

// TestWorkbookDeterministic writes a workbook twice: the same bytes.
func TestWorkbookDeterministic(t *testing.T) {
	res := read(t, failedPDF)
	a, b := write(t, res), write(t, res)
	if !bytes.Equal(a, b) {
		t.Error("two writes of one document differ")
	}
}

// TestWriteFile writes a workbook to a path: complete, readable by
// others, no temporary file left.
func TestWriteFile(t *testing.T) {
	res := read(t, failedPDF)
	dir := t.TempDir()
	file := filepath.Join(dir, "x.xlsx")
	if err := workbook.WriteFile(file, res.Normalized, res.NormalizedChecks, source(res)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, write(t, res)) {
		t.Error("the file differs from what Write writes")
	}
	entries, _ := os.ReadDir(dir)
	if fi, _ := os.Stat(file); len(entries) != 1 || fi.Mode().Perm() != 0o644 {
		t.Errorf("%d entries in the directory, mode %v; want the workbook alone, 0644", len(entries), fi.Mode().Perm())
	}
	if err := workbook.WriteFile(filepath.Join(dir, "no", "x.xlsx"), res.Normalized, res.NormalizedChecks, source(res)); err == nil {
		t.Error("no error writing into a missing directory")
	}
}

// TestExactValues writes amounts a float64 cannot hold or sums with drift:
// the stored <v> is the decimal's own string, never a float formatted
// back ("0.30000000000000004", "12345678901234568").
func TestExactValues(t *testing.T) {
	d := decimal.RequireFromString
	amounts := []normalize.Amount{
		{Value: d("0.1").Add(d("0.2")), Scale: 2},    // 0.30 printed; 0.1+0.2 in float64 is 0.30000000000000004
		{Value: d("12345678901234567.89"), Scale: 2}, // 19 digits: a float64 keeps 17
		{Value: d("1234.50"), Scale: 2},
		{Value: d("-12.50"), Scale: 2},
		{Value: d("0.000001"), Scale: 6},
		{Value: d("0"), Scale: 2},
		{Value: d("16726725"), Scale: 0},
	}
	want := []string{"0.3", "12345678901234567.89", "1234.5", "-12.5", "0.000001", "0", "16726725"}
	tb := &normalize.Table{Code: "表1", Columns: []normalize.Column{{Path: []string{"金额"}}}}
	for i := range amounts {
		tb.Rows = append(tb.Rows, normalize.Row{Index: i, Label: fmt.Sprint("项", i), Cells: []normalize.Cell{{Column: 0, Text: amounts[i].String(), Raw: amounts[i].String(), Amount: &amounts[i]}}})
	}
	var buf bytes.Buffer
	if err := workbook.Write(&buf, &normalize.Document{Tables: []*normalize.Table{tb}}, nil, workbook.Source{}); err != nil {
		t.Fatal(err)
	}
	stored := storedCells(t, buf.Bytes())["表1"]
	for i, w := range want {
		// three title rows, one header row, the measure row: the body from row 6, after 名称
		if x := stored[name(2, 6+i)]; x.T != "" || x.V != w {
			t.Errorf("%s: stored t=%q <v>%s</v>, want <v>%s</v>", name(2, 6+i), x.T, x.V, w)
		}
	}
}
