// Package report draws what budgetpdf saw on a document: an SVG of each page
// at its true size (glyph boxes, the ruling lines as read and as snapped into
// grids, table regions, cells coloured by role, wrapped cells and the cells
// of failed checks) and a static HTML page per document with every rebuilt
// table beside its pages, where clicking a cell highlights it on the page.
// Everything is plain files: no server, no network, no external renderer.
package report

import (
	"bufio"
	"cmp"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/budgetpdf/budgetpdf/extract"
	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/pipeline"
)

// Document is what one report shows.
type Document struct {
	File   string               // source file, as given
	Info   extract.Info         // producer, pages, ...
	Pages  []*extract.Page      // the pages drawn, in order
	Tables []*normalize.Table   // the tables rebuilt from the whole document
	Checks []normalize.Check    // their accounting checks
	Year   int                  // the document's fiscal year, 0 if unknown
	Agency string               // the document's agency
	Unit   string               // the document's unit
	Error  string               // a problem to show at the top, "" if none
	Facts  map[string]string    // extra facts, shown as given
	failed map[cellKey][]string // rules failed per cell
}

type cellKey struct{ table, row, col int }

// New is the report of a document read by pipeline.ReadDocument, with its
// pages kept (Options.KeepPages) to be drawn. A document that could not be
// read is its file and error.
func New(r *pipeline.Result) *Document {
	d := &Document{File: r.Document.SourceFile, Info: r.Info, Pages: r.Pages, Checks: r.NormalizedChecks, Error: r.Document.Error}
	if nd := r.Normalized; nd != nil {
		d.Tables, d.Year, d.Agency, d.Unit = nd.Tables, nd.FiscalYear, nd.Agency, nd.Unit
	}
	return d
}

// Failed returns how many checks failed.
func (d *Document) Failed() int {
	n := 0
	for _, c := range d.Checks {
		if c.Status == normalize.CheckFail {
			n++
		}
	}
	return n
}

func (d *Document) index() {
	d.failed = make(map[cellKey][]string)
	for _, c := range d.Checks {
		if c.Status != normalize.CheckFail {
			continue
		}
		for _, r := range c.Cells {
			k := cellKey{r.Table, r.Row, r.Column}
			if !slices.Contains(d.failed[k], c.Rule) {
				d.failed[k] = append(d.failed[k], c.Rule)
			}
		}
	}
}

// f1 prints a coordinate with one decimal, trimmed: short and plenty for
// drawing.
func f1(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		return "0"
	}
	return s
}

const svgStyle = `.g{fill:none;stroke:#abc;stroke-width:.25}.x{font-family:sans-serif;fill:#333}` +
	`.l{stroke:#000;stroke-width:.7;fill:none}.s{stroke:#e60;stroke-width:.5;stroke-dasharray:3 2;fill:none}` +
	`.t{fill:none;stroke:#06c;stroke-width:1.2}.h{fill:#fc6;fill-opacity:.25}.b{fill:#6af;fill-opacity:.12;stroke:#6af;stroke-width:.3}` +
	`.o{fill:#3b3;fill-opacity:.25;stroke:#3b3;stroke-width:.3}.w{fill:none;stroke:#a0a;stroke-width:.9;stroke-dasharray:1 1}` +
	`.f{fill:#f00;fill-opacity:.35;stroke:#f00;stroke-width:.8}.ti{fill:#f6c;fill-opacity:.15;stroke:#c39;stroke-width:.5}.n{font-family:sans-serif;font-size:4px;fill:#06c}`

// WritePageSVG draws one page, in layers from the bottom: table regions,
// body cells, glyphs and text, ruling lines and grids, failed checks.
func (d *Document) WritePageSVG(w io.Writer, p *extract.Page) error {
	if d.failed == nil {
		d.index()
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s">`+"\n",
		f1(p.Width), f1(p.Height), f1(p.Width), f1(p.Height))
	fmt.Fprintf(bw, "<style>%s</style>\n", svgStyle)
	fmt.Fprintf(bw, `<rect width="100%%" height="100%%" fill="#fff"/>`+"\n")
	d.drawRegions(bw, p)
	for _, t := range d.Tables {
		drawCells(bw, p, t)
	}
	drawGlyphs(bw, p)
	d.drawLines(bw, p)
	d.drawFailed(bw, p)
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

// drawRegions draws the table regions and their header areas, under
// everything else.
func (d *Document) drawRegions(bw *bufio.Writer, p *extract.Page) {
	for _, t := range d.Tables {
		for _, r := range t.Regions {
			if r.Page != p.Number {
				continue
			}
			fmt.Fprintf(bw, `<rect class="t" x="%s" y="%s" width="%s" height="%s"><title>table %d %s %s (%s)</title></rect>`+"\n",
				f1(r.X0), f1(r.Y0), f1(r.X1-r.X0), f1(r.Y1-r.Y0), t.Index, html.EscapeString(t.Code), html.EscapeString(t.Title), t.Kind)
			if tb := r.Title; tb[2] > tb[0] {
				fmt.Fprintf(bw, `<rect class="ti" x="%s" y="%s" width="%s" height="%s"><title>title block</title></rect>`+"\n", f1(tb[0]-1), f1(tb[1]-1), f1(tb[2]-tb[0]+2), f1(tb[3]-tb[1]+2))
			}
			if r.HeaderY1 > r.Y0 {
				fmt.Fprintf(bw, `<rect class="h" x="%s" y="%s" width="%s" height="%s"/>`+"\n", f1(r.X0), f1(r.Y0), f1(r.X1-r.X0), f1(r.HeaderY1-r.Y0))
			}
			fmt.Fprintf(bw, `<text class="n" x="%s" y="%s">table %d</text>`+"\n", f1(r.X0), f1(r.Y0-1.5), t.Index)
		}
	}
}

// drawCells draws a table's body cells on the page by role, with row
// numbers, and the column numbers above the first body row on the page.
func drawCells(bw *bufio.Writer, p *extract.Page, t *normalize.Table) {
	for _, r := range t.Rows {
		total := r.Label == "合计" || r.Label == "总计" || strings.HasSuffix(r.Label, "总计") || strings.HasSuffix(r.Label, "合计")
		first := true
		for _, c := range r.Cells {
			if c.Page != p.Number {
				continue
			}
			class := "b"
			if total {
				class = "o"
			}
			fmt.Fprintf(bw, `<rect class="%s" x="%s" y="%s" width="%s" height="%s"><title>t%d r%d c%d %s</title></rect>`+"\n",
				class, f1(c.X0), f1(c.Y0), f1(c.X1-c.X0), f1(c.Y1-c.Y0), t.Index, r.Index, c.Column, html.EscapeString(t.Columns[c.Column].PathString()))
			if c.Lines > 1 {
				fmt.Fprintf(bw, `<rect class="w" x="%s" y="%s" width="%s" height="%s"/>`+"\n", f1(c.X0-1), f1(c.Y0-1), f1(c.X1-c.X0+2), f1(c.Y1-c.Y0+2))
			}
			if first {
				fmt.Fprintf(bw, `<text class="n" x="%s" y="%s">r%d</text>`+"\n", f1(max(c.X0-9, 0)), f1(c.Y0+3), r.Index)
				first = false
			}
		}
	}
	for _, r := range t.Rows {
		if len(r.Cells) == 0 || r.Cells[0].Page != p.Number {
			continue
		}
		for _, c := range r.Cells {
			fmt.Fprintf(bw, `<text class="n" x="%s" y="%s">c%d</text>`+"\n", f1(c.X0), f1(max(c.Y0-1, 4)), c.Column)
		}
		break
	}
}

// drawGlyphs draws the glyph boxes as one path, then the text in runs of
// glyphs without a gap, each stretched to its printed width, so that it
// sits where it was printed.
func drawGlyphs(bw *bufio.Writer, p *extract.Page) {
	if len(p.Glyphs) == 0 {
		return
	}
	bw.WriteString(`<path class="g" d="`)
	for _, g := range p.Glyphs {
		fmt.Fprintf(bw, "M%s %sh%sv%sh%sz", f1(g.X0), f1(g.Y0), f1(g.X1-g.X0), f1(g.Y1-g.Y0), f1(g.X0-g.X1))
	}
	bw.WriteString("\"/>\n")
	for _, l := range normalize.Lines(p.Glyphs, nil) {
		var run strings.Builder
		var x0, x1, y1, size float64
		flush := func() {
			if run.Len() > 0 {
				fmt.Fprintf(bw, `<text class="x" x="%s" y="%s" font-size="%s" textLength="%s" lengthAdjust="spacingAndGlyphs">%s</text>`+"\n",
					f1(x0), f1(y1), f1(max(size*0.9, 1)), f1(max(x1-x0, 1)), html.EscapeString(run.String()))
				run.Reset()
			}
		}
		for _, i := range l.Glyphs {
			g := p.Glyphs[i]
			if run.Len() > 0 && g.X0-x1 > 0.3*max(g.Size, 1) {
				flush()
			}
			if run.Len() == 0 {
				x0, size = g.X0, g.Size
				y1 = g.Y1 - 0.25*(g.Y1-g.Y0)
			}
			run.WriteString(g.Text)
			x1 = max(x1, g.X1)
			if run.Len() == len(g.Text) {
				x1 = g.X1
			}
		}
		flush()
	}
}

// drawLines draws the ruling lines as read (solid) and as snapped into
// grids (dashed).
func (d *Document) drawLines(bw *bufio.Writer, p *extract.Page) {
	if len(p.Lines) > 0 {
		bw.WriteString(`<path class="l" d="`)
		for _, l := range p.Lines {
			fmt.Fprintf(bw, "M%s %sL%s %s", f1(l.X0), f1(l.Y0), f1(l.X1), f1(l.Y1))
		}
		bw.WriteString("\"/>\n")
	}
	for _, t := range d.Tables {
		for _, r := range t.Regions {
			if r.Page != p.Number || r.Grid == nil {
				continue
			}
			bw.WriteString(`<path class="s" d="`)
			x0, y0, x1, y1 := r.Grid.Bounds()
			for _, x := range r.Grid.Xs {
				fmt.Fprintf(bw, "M%s %sL%s %s", f1(x), f1(y0), f1(x), f1(y1))
			}
			for _, y := range r.Grid.Ys {
				fmt.Fprintf(bw, "M%s %sL%s %s", f1(x0), f1(y), f1(x1), f1(y))
			}
			bw.WriteString("\"/>\n")
		}
	}
}

// drawFailed draws the cells of failed checks, on top, with the rules as
// a tooltip.
func (d *Document) drawFailed(bw *bufio.Writer, p *extract.Page) {
	for _, t := range d.Tables {
		for _, r := range t.Rows {
			for _, c := range r.Cells {
				rules := d.failed[cellKey{t.Index, r.Index, c.Column}]
				if c.Page != p.Number || len(rules) == 0 {
					continue
				}
				fmt.Fprintf(bw, `<rect class="f" x="%s" y="%s" width="%s" height="%s"><title>%s</title></rect>`+"\n",
					f1(c.X0-0.5), f1(c.Y0-0.5), f1(c.X1-c.X0+1), f1(c.Y1-c.Y0+1), html.EscapeString(strings.Join(rules, " ")))
			}
		}
	}
}

// pageFile is the name of a page's SVG inside the report directory.
func pageFile(n int) string { return fmt.Sprintf("page-%03d.svg", n) }

// Write writes dir/index.html and one SVG per page into dir, each under a
// temporary name renamed into place.
func (d *Document) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	d.index()
	for _, p := range d.Pages {
		if err := writeFile(filepath.Join(dir, pageFile(p.Number)), func(w io.Writer) error { return d.WritePageSVG(w, p) }); err != nil {
			return err
		}
	}
	return writeFile(filepath.Join(dir, "index.html"), d.writeHTML)
}

func writeFile(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

const pageCSS = `body{font-family:sans-serif;margin:1em;color:#222}h1{font-size:1.3em}h2{font-size:1.1em;margin-top:2em}
.facts td{padding:0 1em 0 0}.sec{display:flex;gap:1em;align-items:flex-start}.tbl{flex:1 1 55%;overflow:auto;max-height:90vh}
.pages{flex:1 1 45%;max-height:90vh;overflow:auto}.page{position:relative;border:1px solid #ccc;margin-bottom:.5em}
.page img{width:100%;display:block}.hl{position:absolute;border:2px solid #f0f;background:rgba(255,0,255,.2);display:none;pointer-events:none}
table.t{border-collapse:collapse;font-size:12px}table.t th,table.t td{border:1px solid #bbb;padding:2px 4px;white-space:nowrap}
table.t th{background:#fff3d6}td.a{text-align:right}td.fail{background:#fcc}td.sel{outline:2px solid #f0f}
td[data-p]{cursor:pointer}.ok{color:#070}.bad{color:#c00}.warn{color:#a60}`

// The script: a click on a cell shows its box on its page.
const pageJS = `document.addEventListener('click',function(e){
var td=e.target.closest('td[data-p]');if(!td)return;
document.querySelectorAll('td.sel').forEach(function(x){x.classList.remove('sel')});td.classList.add('sel');
var sec=td.closest('.sec');var pg=sec.querySelector('.page[data-page="'+td.dataset.p+'"]');if(!pg)return;
var b=td.dataset.b.split(',').map(Number),w=+pg.dataset.w,h=+pg.dataset.h,hl=pg.querySelector('.hl');
sec.querySelectorAll('.hl').forEach(function(x){x.style.display='none'});
hl.style.left=(b[0]/w*100)+'%';hl.style.top=(b[1]/h*100)+'%';hl.style.width=((b[2]-b[0])/w*100)+'%';hl.style.height=((b[3]-b[1])/h*100)+'%';
hl.style.display='block';hl.dataset.cell=td.id;pg.scrollIntoView({block:'nearest'});});`

func (d *Document) writeHTML(w io.Writer) error {
	bw := bufio.NewWriter(w)
	e := html.EscapeString
	fmt.Fprintf(bw, "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>%s</title><style>%s</style></head><body>\n", e(filepath.Base(d.File)), pageCSS)
	fmt.Fprintf(bw, "<h1>%s</h1>\n<table class=\"facts\">", e(d.File))
	row := func(k, v string) { fmt.Fprintf(bw, "<tr><td>%s</td><td>%s</td></tr>", e(k), e(v)) }
	row("producer", cmp.Or(d.Info.Producer, d.Info.Creator, "-"))
	row("pages", strconv.Itoa(d.Info.Pages))
	row("fiscal year", cmp.Or(yearText(d.Year), "-"))
	row("agency", cmp.Or(d.Agency, "-"))
	row("unit", cmp.Or(d.Unit, "-"))
	row("tables", strconv.Itoa(len(d.Tables)))
	n := make(map[normalize.CheckStatus]int)
	for _, c := range d.Checks {
		n[c.Status]++
	}
	row("checks", fmt.Sprintf("%d passed (%d rounding), %d failed, %d skipped", n[normalize.CheckPass]+n[normalize.CheckRounding], n[normalize.CheckRounding], n[normalize.CheckFail], n[normalize.CheckSkipped]))
	keys := make([]string, 0, len(d.Facts))
	for k := range d.Facts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		row(k, d.Facts[k])
	}
	bw.WriteString("</table>\n")
	if d.Error != "" {
		fmt.Fprintf(bw, "<p class=\"bad\">%s</p>\n", e(d.Error))
	}
	drawn := make(map[int]*extract.Page)
	for _, p := range d.Pages {
		drawn[p.Number] = p
	}
	for _, t := range d.Tables {
		d.writeTable(bw, t, drawn)
	}
	fmt.Fprintf(bw, "<script>%s</script>\n</body></html>\n", pageJS)
	return bw.Flush()
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// headerRows lays the column paths out as header rows with colspans and
// rowspans: a path element spans the neighbouring columns that share the
// same prefix, and a short path's last element spans down.
func headerRows(cols []normalize.Column) [][]string {
	depth := 1
	for _, c := range cols {
		depth = max(depth, len(c.Path))
	}
	var out [][]string
	for lv := 0; lv < depth; lv++ {
		var cells []string
		for i := 0; i < len(cols); {
			p := cols[i].Path
			if lv >= len(p) && len(p) > 0 {
				i++ // covered by a rowspan from above
				continue
			}
			if len(p) == 0 {
				if lv == 0 {
					cells = append(cells, fmt.Sprintf(`<th rowspan="%d">c%d</th>`, depth, i))
				}
				i++
				continue
			}
			j := i + 1
			for j < len(cols) && len(cols[j].Path) > lv && slices.Equal(cols[j].Path[:lv+1], p[:lv+1]) {
				j++
			}
			rowspan := 1
			if lv == len(p)-1 && j == i+1 {
				rowspan = depth - lv
			}
			cells = append(cells, fmt.Sprintf(`<th colspan="%d" rowspan="%d">%s</th>`, j-i, rowspan, html.EscapeString(p[lv])))
			i = j
		}
		out = append(out, cells)
	}
	return out
}

func (d *Document) writeTable(bw *bufio.Writer, t *normalize.Table, drawn map[int]*extract.Page) {
	e := html.EscapeString
	n := make(map[normalize.CheckStatus]int)
	for _, c := range d.Checks {
		if c.Table == t.Index {
			n[c.Status]++
		}
	}
	class := "ok"
	if n[normalize.CheckFail] > 0 {
		class = "bad"
	}
	fmt.Fprintf(bw, "<h2 id=\"t%d\">table %d %s %s</h2>\n<p>%s, pages %d-%d, unit %s; <span class=\"%s\">checks: %d passed, %d failed, %d skipped</span></p>\n",
		t.Index, t.Index, e(t.Code), e(t.Title), e(string(t.Kind)), t.PageFirst, t.PageLast, e(cmp.Or(t.Unit, "-")), class,
		n[normalize.CheckPass]+n[normalize.CheckRounding], n[normalize.CheckFail], n[normalize.CheckSkipped])
	for _, w := range t.Warnings {
		fmt.Fprintf(bw, "<p class=\"warn\">%s</p>\n", e(w))
	}
	fmt.Fprintf(bw, "<div class=\"sec\"><div class=\"tbl\"><table class=\"t\">\n")
	hr := headerRows(t.Columns)
	for i, cells := range hr {
		bw.WriteString("<tr>")
		if i == 0 {
			fmt.Fprintf(bw, `<th rowspan="%d">row</th>`, len(hr))
		}
		bw.WriteString(strings.Join(cells, ""))
		bw.WriteString("</tr>\n")
	}
	for _, r := range t.Rows {
		byCol := make(map[int]normalize.Cell, len(r.Cells))
		for _, c := range r.Cells {
			byCol[c.Column] = c
		}
		label := strconv.Itoa(r.Index)
		if r.Side != normalize.SideNone {
			label += " " + string(r.Side)
		}
		fmt.Fprintf(bw, "<tr><th>%s</th>", e(label))
		for col := range t.Columns {
			c, ok := byCol[col]
			if !ok {
				bw.WriteString("<td></td>")
				continue
			}
			cls := ""
			if c.Amount != nil {
				cls = "a"
			}
			title := ""
			if rules := d.failed[cellKey{t.Index, r.Index, col}]; len(rules) > 0 {
				cls += " fail"
				title = fmt.Sprintf(` title="%s"`, e(strings.Join(rules, " ")))
			}
			fmt.Fprintf(bw, `<td id="c-%d-%d-%d" class="%s" data-p="%d" data-b="%s,%s,%s,%s"%s>%s</td>`,
				t.Index, r.Index, col, strings.TrimSpace(cls), c.Page, f1(c.X0), f1(c.Y0), f1(c.X1), f1(c.Y1), title, e(c.Text))
		}
		bw.WriteString("</tr>\n")
	}
	bw.WriteString("</table></div><div class=\"pages\">\n")
	for pn := t.PageFirst; pn <= t.PageLast; pn++ {
		p, ok := drawn[pn]
		if !ok {
			continue
		}
		fmt.Fprintf(bw, `<div class="page" data-page="%d" data-w="%s" data-h="%s"><img src="%s" loading="lazy" alt="page %d"><div class="hl"></div></div>`+"\n",
			pn, f1(p.Width), f1(p.Height), pageFile(pn), pn)
	}
	bw.WriteString("</div></div>\n")
}

// Entry is one document of a batch index.
type Entry struct {
	Dir    string // the document's report directory, relative to the index
	File   string // source file
	Status string // the document's status
	Tables int
	Failed int // failed checks
}

// WriteIndex writes dir/index.html listing the documents, the ones with
// the most failed checks first.
func WriteIndex(dir string, entries []Entry) error {
	es := slices.Clone(entries)
	slices.SortStableFunc(es, func(a, b Entry) int {
		if c := cmp.Compare(b.Failed, a.Failed); c != 0 {
			return c
		}
		return cmp.Compare(a.File, b.File)
	})
	return writeFile(filepath.Join(dir, "index.html"), func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		e := html.EscapeString
		fmt.Fprintf(bw, "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>budgetpdf report</title><style>%s</style></head><body>\n<h1>budgetpdf report: %d documents</h1>\n<table class=\"t\"><tr><th>failed checks</th><th>status</th><th>tables</th><th>document</th></tr>\n", pageCSS, len(es))
		for _, x := range es {
			cls := "ok"
			if x.Failed > 0 {
				cls = "bad"
			}
			link := e(x.File)
			if x.Dir != "" {
				link = fmt.Sprintf(`<a href="%s/index.html">%s</a>`, e(x.Dir), e(x.File))
			}
			fmt.Fprintf(bw, "<tr><td class=\"a %s\">%d</td><td>%s</td><td class=\"a\">%d</td><td>%s</td></tr>\n", cls, x.Failed, e(x.Status), x.Tables, link)
		}
		bw.WriteString("</table></body></html>\n")
		return bw.Flush()
	})
}
