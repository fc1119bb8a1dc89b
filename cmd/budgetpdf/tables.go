package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/budgetpdf/budgetpdf/workbook"
)

func cmdTables(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tables", flag.ContinueOnError)
	pages := fs.String("pages", "", "pages to read, e.g. 3-5,7 (default all)")
	format := fs.String("format", "text", "text, md, tsv, json, xlsx or csv")
	out := fs.String("o", "", "xlsx: the workbook (default FILE's name with .xlsx); csv: the directory of CSV files (default FILE's name)")
	password := passwordFlag(fs)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fmt.Errorf("%w: want one FILE", errUsage)
	}
	switch *format {
	case "text", "md", "tsv", "json":
		if *out != "" {
			return fmt.Errorf("%w: -o goes with -format xlsx or csv (format %s writes to standard output)", errUsage, *format)
		}
	case "xlsx", "csv":
	default:
		return fmt.Errorf("%w: unknown format %q (text, md, tsv, json, xlsx, csv)", errUsage, *format)
	}
	res, err := readFile(files[0], *pages, *password, false, stderr)
	if res == nil {
		return err
	}
	switch *format {
	case "xlsx":
		return errors.Join(err, writeWorkbook(res, orDefault(*out, files[0], ".xlsx"), stderr))
	case "csv":
		return errors.Join(err, writeCSVs(res, orDefault(*out, files[0], ""), stderr))
	}
	w := bufio.NewWriter(stdout)
	d := res.Normalized
	for _, t := range d.Tables {
		pf := performanceOf(d, t)
		switch *format {
		case "json":
			writeTableJSON(w, t, pf)
		case "tsv":
			writeTableTSV(w, t, pf)
		case "md":
			writeTableMD(w, t, pf)
		default:
			writeTableText(w, t, pf)
		}
	}
	return errors.Join(err, w.Flush())
}

// orDefault returns out, or else the name of file without its extension,
// with ext, in the current directory.
func orDefault(out, file, ext string) string {
	if out != "" {
		return out
	}
	base := filepath.Base(file)
	return strings.TrimSuffix(base, filepath.Ext(base)) + ext
}

// writeWorkbook writes the workbook of res to path.
func writeWorkbook(res *pipeline.Result, path string, stderr io.Writer) error {
	d := res.Document
	src := workbook.Source{File: d.SourceFile, DocumentID: d.DocumentID, Pages: int(d.Pages), Status: d.Status}
	if err := workbook.WriteFile(path, res.Normalized, res.NormalizedChecks, src); err != nil {
		return fmt.Errorf("%w: %v", errOutput, err)
	}
	fmt.Fprintf(stderr, "budgetpdf: wrote %s: %s\n", path, plural(len(res.Normalized.Tables), "table"))
	return nil
}

// writeCSVs writes one CSV per table of res into dir (made if missing),
// named by workbook.CSVName.
func writeCSVs(res *pipeline.Result, dir string, stderr io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%w: %v", errOutput, err)
	}
	for i, name := range workbook.SheetNames(res.Normalized) {
		if err := writeCSV(filepath.Join(dir, workbook.CSVName(i, name)), res.Normalized.Tables[i]); err != nil {
			return fmt.Errorf("%w: %v", errOutput, err)
		}
	}
	fmt.Fprintf(stderr, "budgetpdf: wrote %s to %s\n", plural(len(res.Normalized.Tables), "CSV file"), dir)
	return nil
}

// plural says n things: "1 table", "14 tables".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// writeCSV writes one table's CSV to path.
func writeCSV(path string, t *normalize.Table) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := workbook.WriteCSV(f, t); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

func tableHeading(t *normalize.Table) string {
	return fmt.Sprintf("table %d %s %s [%s %s] pages %d-%d unit %s year %d agency %s",
		t.Index, t.Code, t.Title, t.Kind, orDash(string(t.Phase)), t.PageFirst, t.PageLast, orDash(t.Unit), t.FiscalYear, orDash(t.Agency))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// grid lays a table out as strings: a header row of column paths, then one
// row per body row with code, label, side and level first.
func grid(t *normalize.Table) [][]string {
	head := []string{"side", "level", "code", "label"}
	for _, c := range t.Columns {
		head = append(head, c.PathString())
	}
	out := [][]string{head}
	for _, r := range t.Rows {
		code := r.Code
		if r.Code2 != "" {
			code += "," + r.Code2
		}
		label := r.Label
		if r.Label2 != "" {
			label += "," + r.Label2
		}
		row := []string{string(r.Side), fmt.Sprint(r.Level), code, label}
		vals := make([]string, len(t.Columns))
		for _, c := range r.Cells {
			vals[c.Column] = c.Text
		}
		out = append(out, append(row, vals...))
	}
	return out
}

func writeTableText(w io.Writer, t *normalize.Table, pf performance) {
	fmt.Fprintf(w, "== %s\n", tableHeading(t))
	if pf.any() {
		writePerformanceText(w, pf)
		for _, m := range t.Warnings {
			fmt.Fprintf(w, "   warning: %s\n", m)
		}
		return
	}
	for _, c := range t.Columns {
		fmt.Fprintf(w, "   col %d: %s", c.Index, c.PathString())
		switch {
		case c.Measure != "" && c.Fund != "":
			fmt.Fprintf(w, " [%s; fund %s]", c.Measure, c.Fund)
		case c.Measure != "":
			fmt.Fprintf(w, " [%s]", c.Measure)
		}
		fmt.Fprintln(w)
	}
	for _, r := range t.Rows {
		fmt.Fprintf(w, "   %s\n", r)
	}
	for _, m := range t.Warnings {
		fmt.Fprintf(w, "   warning: %s\n", m)
	}
}

func writeTableTSV(w io.Writer, t *normalize.Table, pf performance) {
	fmt.Fprintf(w, "# %s\n", tableHeading(t))
	rows := grid(t)
	if pf.any() {
		rows = pf.grids()
	}
	for _, row := range rows {
		for i, v := range row {
			row[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(v)
		}
		fmt.Fprintln(w, strings.Join(row, "\t"))
	}
	fmt.Fprintln(w)
}

func writeTableMD(w io.Writer, t *normalize.Table, pf performance) {
	fmt.Fprintf(w, "### %s\n\n", tableHeading(t))
	if pf.any() {
		for _, g := range [][][]string{pf.fieldGrid(), pf.indicatorGrid()} {
			if len(g) > 1 {
				writeMDGrid(w, g)
			}
		}
		return
	}
	writeMDGrid(w, grid(t))
}

// writeMDGrid writes rows as a Markdown table, the first row its header.
func writeMDGrid(w io.Writer, rows [][]string) {
	for i, row := range rows {
		for k, v := range row {
			row[k] = strings.ReplaceAll(v, "|", "\\|")
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
		if i == 0 {
			fmt.Fprintf(w, "|%s\n", strings.Repeat(" --- |", len(row)))
		}
	}
	fmt.Fprintln(w)
}

func writeTableJSON(w io.Writer, t *normalize.Table, pf performance) {
	type cell struct {
		Column int        `json:"column"`
		Text   string     `json:"text"`
		Amount *string    `json:"amount"`
		Page   int        `json:"page"`
		Box    [4]float64 `json:"box"`
	}
	type row struct {
		Index  int            `json:"index"`
		Side   normalize.Side `json:"side,omitempty"`
		Code   string         `json:"code,omitempty"`
		Code2  string         `json:"code2,omitempty"`
		Label  string         `json:"label"`
		Label2 string         `json:"label2,omitempty"`
		Level  int            `json:"level"`
		Cells  []cell         `json:"cells"`
	}
	out := struct {
		Index      int             `json:"index"`
		Code       string          `json:"code"`
		Title      string          `json:"title"`
		Kind       normalize.Kind  `json:"kind"`
		Phase      normalize.Phase `json:"phase"`
		Year       int             `json:"fiscal_year"`
		Agency     string          `json:"agency"`
		Unit       string          `json:"unit"`
		Pages      [2]int          `json:"pages"`
		Columns    []string        `json:"columns"`
		Measures   []string        `json:"measures"` // per column, "" where none
		Funds      []string        `json:"funds"`    // per column, "" where none
		Rows       []row           `json:"rows"`
		Fields     []jsonField     `json:"fields,omitempty"`
		Indicators []jsonIndicator `json:"indicators,omitempty"`
		Warnings   []string        `json:"warnings,omitempty"`
	}{Index: t.Index, Code: t.Code, Title: t.Title, Kind: t.Kind, Phase: t.Phase, Year: t.FiscalYear, Agency: t.Agency, Unit: t.Unit, Pages: [2]int{t.PageFirst, t.PageLast}, Warnings: t.Warnings,
		Fields: pf.jsonFields(), Indicators: pf.jsonIndicators()}
	for _, c := range t.Columns {
		out.Columns = append(out.Columns, c.PathString())
		out.Measures = append(out.Measures, c.Measure)
		out.Funds = append(out.Funds, c.Fund)
	}
	for _, r := range t.Rows {
		jr := row{Index: r.Index, Side: r.Side, Code: r.Code, Code2: r.Code2, Label: r.Label, Label2: r.Label2, Level: r.Level}
		for _, c := range r.Cells {
			jc := cell{Column: c.Column, Text: c.Text, Page: c.Page, Box: [4]float64{round2(c.X0), round2(c.Y0), round2(c.X1), round2(c.Y1)}}
			if c.Amount != nil {
				s := c.Amount.String()
				jc.Amount = &s
			}
			jr.Cells = append(jr.Cells, jc)
		}
		out.Rows = append(out.Rows, jr)
	}
	b, _ := json.Marshal(out)
	w.Write(append(b, '\n'))
}

// round2 rounds to 1/100 pt, half away from zero; a negative value that
// rounds to zero is 0, not -0.
func round2(v float64) float64 {
	if r := math.Round(v*100) / 100; r != 0 {
		return r
	}
	return 0
}
