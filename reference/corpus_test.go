package reference_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/budgetpdf/budgetpdf/reference"
	"github.com/budgetpdf/budgetpdf/schema"
)

// The figures TestCorpusReference requires.
const (
	minCodesFound = 0.99 // share of classification-code rows whose code is in the reference
	minPlaced     = 0.95 // share of documents with a text layer that get a province
)

// unclassified are the table kinds whose row codes are no classification
// codes (projects, indicators, amounts read as codes in forms).
var unclassified = map[string]bool{"": true, "other": true, "绩效目标表": true, "政府采购表": true, "政府购买服务表": true}

// corpusDoc is what the corpus report needs of one document.
type corpusDoc struct {
	file   string
	res    *pipeline.Result
	agency string
	region reference.Region
	placed bool
}

// codedRow is a row's code and label, once per table row.
type codedRow struct {
	file, kind  string
	year        int
	code, label string
}

// TestCorpusReference reads every PDF of $BUDGETPDF_CORPUS and reports,
// on the records budgetpdf makes: the classification codes not in the
// reference (with counts), the documents without a province, and every
// label that is not the standard name of its code. Run with -v to read
// the report:
//
//	BUDGETPDF_CORPUS=$PWD/../shared/corpus go test ./reference -run CorpusReference -v
func TestCorpusReference(t *testing.T) {
	dir := os.Getenv("BUDGETPDF_CORPUS")
	if dir == "" {
		t.Skip("BUDGETPDF_CORPUS not set")
	}
	docs := readCorpus(t, dir)
	var rows []codedRow
	for _, d := range docs {
		rows = append(rows, codedRows(d)...)
	}
	inTables := func(r codedRow) bool { return !unclassified[r.kind] }
	share := reportCodes(t, "classification tables", rows, inTables)
	reportCodes(t, "all tables", rows, func(codedRow) bool { return true })
	placed := reportDocuments(t, docs)
	reportLabels(t, rows, inTables)
	if share < minCodesFound {
		t.Errorf("%.2f%% of codes found, want %.0f%%", 100*share, 100*minCodesFound)
	}
	if placed < minPlaced {
		t.Errorf("%.2f%% of documents placed, want %.0f%%", 100*placed, 100*minPlaced)
	}
}

// readCorpus reads every PDF of dir through the pipeline and places its
// agency with the words of its tables' titles and agencies.
func readCorpus(t *testing.T, dir string) []corpusDoc {
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	slices.Sort(files)
	if len(files) == 0 {
		t.Fatalf("no PDF in %s", dir)
	}
	var docs []corpusDoc
	for _, f := range files {
		res, _ := pipeline.ReadDocument(context.Background(), f, nil)
		d := corpusDoc{file: filepath.Base(f), res: res, agency: reference.Agency(res.Document.Agency)}
		var words []string
		for _, tb := range res.Tables {
			words = append(words, tb.Title, tb.Agency)
		}
		d.region, d.placed = reference.Place(res.Document.Agency, words...)
		docs = append(docs, d)
	}
	return docs
}

// codedRows returns the coded rows of a document, each table row once.
func codedRows(d corpusDoc) []codedRow {
	seen := map[[2]int32]bool{}
	var out []codedRow
	for _, c := range d.res.Cells {
		k := [2]int32{c.TableIndex, c.RowIndex}
		if seen[k] {
			continue
		}
		seen[k] = true
		for _, p := range [][2]string{{c.RowCode, c.RowLabel}, {c.RowCode2, c.RowLabel2}} {
			if p[0] != "" {
				out = append(out, codedRow{file: d.file, kind: c.TableKind, year: int(d.res.Document.FiscalYear), code: p[0], label: p[1]})
			}
		}
	}
	return out
}

// reportCodes logs how many rows with a function or economic code have
// their code in the reference, and the codes that are not; it returns the
// share found.
func reportCodes(t *testing.T, what string, rows []codedRow, keep func(codedRow) bool) float64 {
	type miss struct {
		rows  int
		files map[string]bool
		label string
	}
	missing := map[string]*miss{}
	total, found := 0, 0
	for _, r := range rows {
		sys := reference.System(r.code)
		if !keep(r) || !sys.Classified() {
			continue
		}
		total++
		if _, ok := reference.Name(sys, r.code, r.year); ok {
			found++
			continue
		}
		m := missing[r.code]
		if m == nil {
			m = &miss{files: map[string]bool{}, label: r.label}
			missing[r.code] = m
		}
		m.rows++
		m.files[r.file+" ("+r.kind+")"] = true
	}
	share := float64(found) / float64(max(total, 1))
	t.Logf("codes in %s: %d of %d rows with a function or economic code have it in the reference (%.2f%%); %d codes not found:",
		what, found, total, 100*share, len(missing))
	for _, c := range sortedKeys(missing) {
		m := missing[c]
		t.Logf("  %s %q: %d rows in %s", c, m.label, m.rows, strings.Join(sortedKeys(m.files), ", "))
	}
	return share
}

// reportDocuments logs the documents' years, agencies and regions, and
// returns the share of documents with a text layer that got a province.
func reportDocuments(t *testing.T, docs []corpusDoc) float64 {
	text, year, agency, placed := 0, 0, 0, 0
	var rest []string
	for _, d := range docs {
		if d.res.Document.Status == schema.StatusNoTextLayer {
			rest = append(rest, fmt.Sprintf("%s: no text layer", d.file))
			continue
		}
		text++
		if d.res.Document.FiscalYear != 0 {
			year++
		}
		if d.agency != "" {
			agency++
		}
		if d.placed {
			placed++
			t.Logf("  %s: %d %s -> %s %s/%s/%s", d.file, d.res.Document.FiscalYear, d.agency, d.region.Code, d.region.Province, d.region.City, d.region.County)
		} else {
			rest = append(rest, fmt.Sprintf("%s: %q, no province", d.file, d.agency))
		}
	}
	t.Logf("documents: %d, %d with a text layer: %d with a year, %d with an agency, %d with a province (%.2f%%); the rest:",
		len(docs), text, year, agency, placed, 100*float64(placed)/float64(max(text, 1)))
	for _, r := range rest {
		t.Logf("  %s", r)
	}
	return float64(placed) / float64(max(text, 1))
}

// reportLabels logs every printed label of the rows keep takes that is not
// the standard name of its code for the document's year, with the
// documents printing it.
func reportLabels(t *testing.T, rows []codedRow, keep func(codedRow) bool) {
	type key struct{ code, label, standard string }
	seen := map[key]map[string]int{}
	for _, r := range rows {
		sys := reference.System(r.code)
		e, ok := reference.Name(sys, r.code, r.year)
		if !keep(r) || !sys.Classified() || !ok || reference.SameName(r.label, e.Name) {
			continue
		}
		k := key{r.code, r.label, e.Name}
		if seen[k] == nil {
			seen[k] = map[string]int{}
		}
		seen[k][fmt.Sprintf("%s (%s)", r.file, r.kind)]++
	}
	keys := make([]key, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].code != keys[j].code {
			return keys[i].code < keys[j].code
		}
		return keys[i].label < keys[j].label
	})
	t.Logf("label disagreements in classification tables: %d (code, printed label, standard name, where):", len(keys))
	for _, k := range keys {
		t.Logf("  %s %q != %q: %s", k.code, k.label, k.standard, strings.Join(sortedKeys(seen[k]), ", "))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
