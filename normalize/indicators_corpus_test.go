package normalize

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/budgetpdf/budgetpdf/extract"
)

// TestCorpusIndicators reads the performance tables of every PDF under
// $BUDGETPDF_CORPUS (make corpus sets it) and reports, per file, the
// performance tables, projects and indicators found, and over the corpus
// the share of indicators attached to a project (project forms and lists)
// and of numeric-looking targets read (all indicators; dates are counted
// apart), listing those not read. It fails under 99% attached or 98% read.
func TestCorpusIndicators(t *testing.T) {
	dir := os.Getenv("BUDGETPDF_CORPUS")
	if dir == "" {
		t.Skip("BUDGETPDF_CORPUS not set (make corpus sets it)")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	var projectInds, attached, numeric, read, fields, dates int
	for _, file := range files {
		d, err := extract.OpenFile(file, nil)
		if err != nil {
			continue
		}
		b := NewBuilder(nil)
		for p := range d.Pages() {
			if p != nil {
				b.AddPage(p)
			}
		}
		d.Close()
		doc := b.Finish()
		tables := 0
		for _, tb := range doc.Tables {
			if tb.Kind == KindPerformance {
				tables++
			}
		}
		if tables == 0 {
			continue
		}
		projects, overall := map[string]bool{}, 0
		for _, ind := range doc.Indicators {
			switch {
			case ind.Form == FormOverall:
				overall++
			case ind.ProjectName != "" || ind.ProjectCode != "":
				projectInds++
				attached++
				projects[itoa(ind.Table)+"|"+ind.ProjectCode+"|"+ind.ProjectName] = true
			default:
				projectInds++
				t.Logf("    no project: %s %s", filepath.Base(file), ind)
			}
			if dateRE.MatchString(compactTarget(ind.ValueText)) {
				dates++
			}
			if LooksNumericTarget(ind.ValueText) {
				numeric++
				if ind.TargetErr == nil {
					read++
				} else {
					t.Logf("    not read: %s p%d %q", filepath.Base(file), ind.Page, ind.ValueText)
				}
			}
		}
		fields += len(doc.FormFields)
		t.Logf("%s\tperformance tables %d\tprojects %d\tproject indicators %d\toverall indicators %d\tfields %d",
			filepath.Base(file), tables, len(projects), len(doc.Indicators)-overall, overall, len(doc.FormFields))
	}
	att := float64(attached) / float64(max(projectInds, 1))
	rd := float64(read) / float64(max(numeric, 1))
	t.Logf("TOTAL %d project indicators, %d attached to a project (%.2f%%); %d numeric-looking targets, %d read (%.2f%%; dates apart: %d); %d fields",
		projectInds, attached, 100*att, numeric, read, 100*rd, dates, fields)
	if att < 0.99 {
		t.Errorf("%.2f%% of indicators attached to a project, want >= 99%%", 100*att)
	}
	if rd < 0.98 {
		t.Errorf("%.2f%% of numeric-looking targets read, want >= 98%%", 100*rd)
	}
}
