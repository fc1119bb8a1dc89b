package reference

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

var (
	update  = flag.Bool("update", false, "rewrite data/consensus.tsv from -dataset")
	dataset = flag.String("dataset", "", "a budgetpdf run's output directory (with jsonl/) to build data/consensus.tsv from")
)

// unclassifiedKinds are the table kinds whose rows are not a
// classification: their codes are project lines, indicators or amounts
// read as codes, and their labels are not the codes' names.
var unclassifiedKinds = map[string]bool{"": true, "other": true, "绩效目标表": true, "政府采购表": true, "政府购买服务表": true}

// printedRow is a row's code and label as a document prints them.
type printedRow struct {
	doc, kind   string
	year        int
	code, label string
}

// TestGenerateConsensus builds the consensus entries from a budgetpdf run
// over the corpus and compares them with data/consensus.tsv, or rewrites
// it with -update:
//
//	go build -o /tmp/bp ./cmd/budgetpdf && /tmp/bp run -o /tmp/refout ../shared/corpus
//	go test ./reference -run TestGenerateConsensus -dataset /tmp/refout -update
//
// It never reads ../shared/truth.
func TestGenerateConsensus(t *testing.T) {
	if *dataset == "" {
		t.Skip("no -dataset")
	}
	rows, docs, err := readDataset(*dataset)
	if err != nil {
		t.Fatal(err)
	}
	got := formatConsensus(consensus(rows), docs)
	const file = "data/consensus.tsv"
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		os.WriteFile(file+".got", []byte(got), 0o644)
		t.Errorf("%s differs from what %s gives (written to %s.got); rerun with -update after review", file, *dataset, file)
	}
}

// readDataset reads the printed codes and labels of every row of a
// dataset's JSON Lines cells, each row once, with its document's year; and
// the number of documents.
func readDataset(dir string) ([]printedRow, int, error) {
	years := map[string]int{}
	err := eachJSONL(filepath.Join(dir, "jsonl", "documents", "*.jsonl"), func(b []byte) error {
		var d struct {
			ID   string `json:"document_id"`
			Year *int   `json:"fiscal_year"`
		}
		err := json.Unmarshal(b, &d)
		if d.Year != nil {
			years[d.ID] = *d.Year
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	seen := map[string]bool{}
	var rows []printedRow
	err = eachJSONL(filepath.Join(dir, "jsonl", "cells", "*", "*.jsonl"), func(b []byte) error {
		var c struct {
			Doc    string `json:"document_id"`
			Table  int    `json:"table_index"`
			Row    int    `json:"row_index"`
			Kind   string `json:"table_kind"`
			Code   string `json:"row_code"`
			Label  string `json:"row_label"`
			Code2  string `json:"row_code2"`
			Label2 string `json:"row_label2"`
		}
		if err := json.Unmarshal(b, &c); err != nil {
			return err
		}
		key := fmt.Sprint(c.Doc, c.Table, c.Row)
		if seen[key] {
			return nil
		}
		seen[key] = true
		for _, p := range [][2]string{{c.Code, c.Label}, {c.Code2, c.Label2}} {
			if p[0] != "" {
				rows = append(rows, printedRow{doc: c.Doc, kind: c.Kind, year: years[c.Doc], code: p[0], label: p[1]})
			}
		}
		return nil
	})
	return rows, len(years), err
}

// eachJSONL calls fn with each line of the files pattern matches, in
// sorted order.
func eachJSONL(pattern string, fn func([]byte) error) error {
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		return fmt.Errorf("%s: no files (%v)", pattern, err)
	}
	slices.Sort(files)
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			if err := fn(sc.Bytes()); err != nil {
				f.Close()
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return err
		}
	}
	return nil
}

// printing is what the documents print for one code under one name.
type printing struct {
	name  string // NormalizeName of the label
	docs  map[string]bool
	years map[int]bool
	rows  int
}

// consensus returns the entries the corpus gives for the classification
// codes the transcription leaves out (款 not transcribed, 项): for each
// code, the name printed by the most documents, for every year (a name
// that changed over the years is transcribed, never guessed from a few
// documents). A code enters
// only under a parent the reference knows (its 类 for a 款, its 款 for a
// 项), and only from tables of classification codes; a label that is a
// strict prefix of another printed for the code (cut by a cell) is no name.
func consensus(rows []printedRow) []Entry {
	byCode := map[string]map[string]*printing{}
	for _, r := range rows {
		name := NormalizeName(r.label)
		if unclassifiedKinds[r.kind] || !System(r.code).Classified() || !nameLike(name) || transcribed(r.code) {
			continue
		}
		if byCode[r.code] == nil {
			byCode[r.code] = map[string]*printing{}
		}
		p := byCode[r.code][name]
		if p == nil {
			p = &printing{name: name, docs: map[string]bool{}, years: map[int]bool{}}
			byCode[r.code][name] = p
		}
		p.docs[r.doc] = true
		if r.year != 0 {
			p.years[r.year] = true
		}
		p.rows++
	}
	codes := make([]string, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	slices.SortFunc(codes, func(a, b string) int { return cmpInts(len(a), len(b), strings.Compare(a, b)) })
	known := map[string]bool{}
	var out []Entry
	for _, code := range codes {
		parent := code[:len(code)-2]
		if len(code) == 3 || !transcribed(parent) && !known[parent] {
			continue
		}
		es := codeConsensus(code, byCode[code])
		if len(es) > 0 {
			known[code] = true
			out = append(out, es...)
		}
	}
	return out
}

// codeConsensus returns a code's entry from what the documents print: the
// name printed by the most documents (on a tie, the one printed in the
// latest year, the current edition's; then in the most rows; then the
// first in code-point order). The other names are not standard: the corpus
// report lists them as disagreements.
func codeConsensus(code string, by map[string]*printing) []Entry {
	var ps []*printing
	all := map[string]bool{}
	for _, p := range by {
		if !cutShort(p.name, by) {
			ps = append(ps, p)
		}
		for d := range p.docs {
			all[d] = true
		}
	}
	if len(ps) == 0 {
		return nil
	}
	slices.SortFunc(ps, func(a, b *printing) int {
		_, la := bounds(a.years)
		_, lb := bounds(b.years)
		return cmpInts(len(b.docs), len(a.docs), cmpInts(lb, la, cmpInts(b.rows, a.rows, strings.Compare(a.name, b.name))))
	})
	return []Entry{entryOf(code, ps[0], len(all))}
}

// entryOf is the entry for a printed name.
func entryOf(code string, p *printing, printers int) Entry {
	years := make([]int, 0, len(p.years))
	for y := range p.years {
		years = append(years, y)
	}
	slices.Sort(years)
	ys := make([]string, len(years))
	for i, y := range years {
		ys[i] = strconv.Itoa(y)
	}
	docs := fmt.Sprintf("%d documents", len(p.docs))
	switch {
	case printers > len(p.docs):
		docs = fmt.Sprintf("%d of %d documents printing the code", len(p.docs), printers)
	case printers == 1:
		docs = "1 document"
	}
	src := fmt.Sprintf("corpus consensus: %s, years %s", docs, strings.Join(ys, ", "))
	name := strings.NewReplacer("(", "（", ")", "）").Replace(p.name)
	return Entry{System: System(code), Code: code, Level: Level(code), Name: name, Source: src}
}

// cutShort reports a name that is a strict prefix of another name printed
// for the code: a label cut at its cell's edge.
func cutShort(name string, by map[string]*printing) bool {
	for other := range by {
		if other != name && strings.HasPrefix(other, name) {
			return true
		}
	}
	return false
}

// nameLike reports a label that can be a classification name: some Han
// characters, no ASCII digits (an indicator, a count).
func nameLike(s string) bool {
	han := false
	for _, r := range s {
		if r >= '0' && r <= '9' {
			return false
		}
		han = han || unicode.Is(unicode.Han, r)
	}
	return han
}

// transcribed reports a code with an entry in classification.tsv.
func transcribed(code string) bool {
	for _, e := range data().entries[code] {
		if !strings.HasPrefix(e.Source, "corpus consensus") {
			return true
		}
	}
	return false
}

// bounds returns the first and last of a set of years (0, 0 when empty).
func bounds(ys map[int]bool) (lo, hi int) {
	for y := range ys {
		if lo == 0 || y < lo {
			lo = y
		}
		hi = max(hi, y)
	}
	return lo, hi
}

// cmpInts compares a with b, then falls back to then.
func cmpInts(a, b, then int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return then
}

// formatConsensus writes the entries as data/consensus.tsv.
func formatConsensus(es []Entry, docs int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Generated by TestGenerateConsensus -update from a budgetpdf run over the corpus (%d documents); do not edit.\n", docs)
	b.WriteString("# system\tcode\tname\tfrom\tto\tsource. from/to: fiscal years, inclusive; empty = unbounded.\n")
	slices.SortStableFunc(es, compareEntries)
	for _, e := range es {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%s\n", e.System, e.Code, e.Name, yearText(e.From), yearText(e.To), e.Source)
	}
	return b.String()
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}
