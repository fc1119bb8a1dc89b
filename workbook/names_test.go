package workbook

import (
	"strings"
	"testing"

	"github.com/budgetpdf/budgetpdf/normalize"
)

func TestSheetNames(t *testing.T) {
	tables := func(codeTitles ...string) *normalize.Document {
		d := &normalize.Document{}
		for _, ct := range codeTitles {
			code, title, _ := strings.Cut(ct, "|")
			d.Tables = append(d.Tables, &normalize.Table{Code: code, Title: title})
		}
		return d
	}
	tests := []struct {
		name string
		doc  *normalize.Document
		want string
	}{
		{"codes", tables("预算01表|2024年部门收支预算表", "预算02表|x"), "预算01表|预算02表"},
		{"title when no code, position when neither", tables("|上年结转资金表", "|"), "上年结转资金表|表2"},
		{"taken names get a number", tables("公开01表|a", "公开01表|b", "公开01表|c"), "公开01表|公开01表 (2)|公开01表 (3)"},
		{"the summary's name and case are taken", tables("概况|", "Table|", "TABLE|"), "概况 (2)|Table|TABLE (2)"},
		{"forbidden characters, apostrophes at the ends, spaces", tables("'a[1]:b*c?d/e\\f'|", "| x \n y "), "a_1__b_c_d_e_f|x y"},
		{"cut at 31 characters, the number inside them",
			tables("|一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三", "|一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四"),
			"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一|一二三四五六七八九十一二三四五六七八九十一二三四五六七 (2)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(SheetNames(tc.doc), "|"); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestCSVName(t *testing.T) {
	for _, tc := range []struct {
		i     int
		sheet string
		want  string
	}{{2, "预算03表", "03-预算03表.csv"}, {11, `a<b>"c|d`, "12-a_b__c_d.csv"}} {
		if got := CSVName(tc.i, tc.sheet); got != tc.want {
			t.Errorf("CSVName(%d, %q) = %q, want %q", tc.i, tc.sheet, got, tc.want)
		}
	}
}
