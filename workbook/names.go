package workbook

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/budgetpdf/budgetpdf/normalize"
)

// summarySheet is the name of the first sheet, the document's summary.
const summarySheet = "概况"

// maxSheetName is the longest sheet name Excel takes, in characters.
const maxSheetName = 31

// SheetNames returns the sheet name of each table of d, in order: the
// table's code (预算03表), else its title, else 表 and its 1-based
// position; the characters a sheet name cannot hold ([]:*?/\) become _,
// apostrophes are trimmed from the ends, and the name is cut to 31
// characters. A name already taken (by an earlier table, or 概况; compared
// without case, as Excel does) gets " (2)", " (3)", ... The CSV files of
// the tables are named after them (CSVName).
func SheetNames(d *normalize.Document) []string {
	taken := map[string]bool{strings.ToLower(summarySheet): true}
	out := make([]string, len(d.Tables))
	for i, t := range d.Tables {
		base := cleanName(t.Code)
		if base == "" {
			base = cleanName(t.Title)
		}
		if base == "" {
			base = fmt.Sprintf("表%d", i+1)
		}
		name := base
		for n := 2; taken[strings.ToLower(name)]; n++ {
			suffix := fmt.Sprintf(" (%d)", n)
			name = cut(base, maxSheetName-utf8.RuneCountInString(suffix)) + suffix
		}
		taken[strings.ToLower(name)] = true
		out[i] = name
	}
	return out
}

// cleanName makes s a sheet name: forbidden characters and those XML
// cannot hold replaced, control characters made spaces, spaces collapsed,
// apostrophes trimmed from the ends, at most 31 characters.
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune("[]:*?/\\", r), r == utf8.RuneError, r == 0xFFFE, r == 0xFFFF:
			return '_'
		case r < ' ', r == 0x7F:
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimSpace(strings.Trim(cut(strings.Trim(s, "'"), maxSheetName), "'"))
}

// cut returns the first n characters of s.
func cut(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}

// CSVName is the file name of table i's CSV, given its sheet name:
// "03-预算03表.csv", the 1-based position first so that the files sort in
// the document's order; characters that file systems refuse (<>:"|?*/\
// and control characters) become _.
func CSVName(i int, sheet string) string {
	s := strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(`<>:"|?*/\`, r) {
			return '_'
		}
		return r
	}, sheet)
	return fmt.Sprintf("%02d-%s.csv", i+1, s)
}
