package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/budgetpdf/budgetpdf/normalize"
)

// performance is what the tables command shows of a performance table: its
// form's fields and its indicators, instead of its raw rows.
type performance struct {
	fields     []normalize.FormField
	indicators []normalize.Indicator
}

// performanceOf returns the fields and indicators of table t.
func performanceOf(d *normalize.Document, t *normalize.Table) performance {
	var pf performance
	for _, f := range d.FormFields {
		if f.Table == t.Index {
			pf.fields = append(pf.fields, f)
		}
	}
	for _, ind := range d.Indicators {
		if ind.Table == t.Index {
			pf.indicators = append(pf.indicators, ind)
		}
	}
	return pf
}

func (pf performance) any() bool { return len(pf.fields)+len(pf.indicators) > 0 }

// writePerformanceText writes a form as its fields (key = value), then its
// indicators, one per line under the project each belongs to.
func writePerformanceText(w io.Writer, pf performance) {
	for _, f := range pf.fields {
		fmt.Fprintf(w, "   %s = %s", f.Key, f.Value)
		if f.ProjectName != "" {
			fmt.Fprintf(w, "   [%s]", f.ProjectName)
		}
		fmt.Fprintln(w)
	}
	project := "\x00"
	for _, ind := range pf.indicators {
		if p := projectLine(ind); p != project {
			project = p
			fmt.Fprintf(w, "   %s\n", p)
		}
		fmt.Fprintf(w, "     %s | %s | %s | %s -> %s", orDash(ind.Level1), orDash(ind.Level2), ind.Name, orDash(ind.ValueText), target(ind))
		if ind.Actual != "" {
			fmt.Fprintf(w, " | actual %s", ind.Actual)
		}
		if ind.Score != nil {
			fmt.Fprintf(w, " | score %s", ind.Score)
		}
		fmt.Fprintln(w)
	}
}

// projectLine heads the indicators of one project.
func projectLine(ind normalize.Indicator) string {
	if ind.Form == normalize.FormOverall {
		return fmt.Sprintf("overall (%s):", orDash(ind.Agency))
	}
	amount := "-"
	if ind.ProjectAmount != nil {
		amount = ind.ProjectAmount.String()
	}
	return fmt.Sprintf("project %s %s amount %s (%s):", orDash(ind.ProjectCode), orDash(ind.ProjectName), amount, orDash(ind.Agency))
}

// target renders a read target: "≥ 300 件", "0..100 人", "qualitative",
// "not read" or "-".
func target(ind normalize.Indicator) string {
	t := ind.Target
	switch {
	case ind.TargetErr != nil:
		return "not read"
	case t.Qualitative:
		return "qualitative"
	case t.Comparator == normalize.CompNone:
		return "-"
	}
	lo, hi := "", ""
	if t.Low != nil {
		lo = t.Low.String()
	}
	if t.High != nil {
		hi = t.High.String()
	}
	var s string
	switch t.Comparator {
	case normalize.CompRange:
		s = lo + ".." + hi
	case normalize.CompAtLeast, normalize.CompMore:
		s = string(t.Comparator) + " " + lo
	default:
		s = string(t.Comparator) + " " + hi
	}
	return strings.TrimSpace(s + " " + t.Unit)
}

// fieldGrid lays the fields out as rows of key and value.
func (pf performance) fieldGrid() [][]string {
	out := [][]string{{"project", "key", "value"}}
	for _, f := range pf.fields {
		out = append(out, []string{f.ProjectName, f.Key, f.Value})
	}
	return out
}

// indicatorGrid lays the indicators out as rows.
func (pf performance) indicatorGrid() [][]string {
	out := [][]string{{"form", "project_code", "project", "level1", "level2", "indicator", "value", "target", "actual"}}
	for _, ind := range pf.indicators {
		out = append(out, []string{string(ind.Form), ind.ProjectCode, ind.ProjectName, ind.Level1, ind.Level2, ind.Name, ind.ValueText, target(ind), ind.Actual})
	}
	return out
}

// grids is the fields, then the indicators, as one run of rows.
func (pf performance) grids() [][]string {
	return append(pf.fieldGrid(), pf.indicatorGrid()...)
}

type jsonField struct {
	Key     string  `json:"key"`
	Value   string  `json:"value"`
	Amount  *string `json:"amount,omitempty"`
	Project string  `json:"project,omitempty"`
	Page    int     `json:"page"`
}

func (pf performance) jsonFields() []jsonField {
	var out []jsonField
	for _, f := range pf.fields {
		jf := jsonField{Key: f.Key, Value: f.Value, Project: f.ProjectName, Page: f.Page}
		if f.Amount != nil {
			s := f.Amount.String()
			jf.Amount = &s
		}
		out = append(out, jf)
	}
	return out
}

type jsonIndicator struct {
	Form        normalize.FormKind `json:"form"`
	ProjectCode string             `json:"project_code,omitempty"`
	Project     string             `json:"project,omitempty"`
	Agency      string             `json:"agency,omitempty"`
	Level1      string             `json:"level1"`
	Level2      string             `json:"level2"`
	Indicator   string             `json:"indicator"`
	Value       string             `json:"value_text"`
	Target      string             `json:"target"`
	Page        int                `json:"page"`
}

func (pf performance) jsonIndicators() []jsonIndicator {
	var out []jsonIndicator
	for _, ind := range pf.indicators {
		out = append(out, jsonIndicator{Form: ind.Form, ProjectCode: ind.ProjectCode, Project: ind.ProjectName, Agency: ind.Agency,
			Level1: ind.Level1, Level2: ind.Level2, Indicator: ind.Name, Value: ind.ValueText, Target: target(ind), Page: ind.Page})
	}
	return out
}
