package pipeline

import (
	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/reference"
	"github.com/budgetpdf/budgetpdf/schema"
)

// This file joins the vocabulary into the records: a document's agency
// without decorations and its region, each code's system and standard
// name, and the facts record set.

// placeDocument sets the agency of doc without decorations (the printed
// one kept in AgencyPrinted) and its region, from the agency's name and
// the document's own words: its tables' titles and agencies.
func placeDocument(doc *schema.Document, nd *normalize.Document) {
	doc.AgencyPrinted = nd.Agency
	doc.Agency = reference.Agency(nd.Agency)
	words := make([]string, 0, 2*len(nd.Tables))
	for _, t := range nd.Tables {
		words = append(words, t.Agency, t.Title)
	}
	if r, ok := reference.Place(doc.Agency, words...); ok {
		doc.RegionCode, doc.Province, doc.City, doc.County = r.Code, r.Province, r.City, r.County
	}
}

// codeSystems are the reference's code systems of normalize's code kinds.
var codeSystems = map[normalize.CodeKind]reference.CodeSystem{
	normalize.CodeFunction:     reference.SystemFunction,
	normalize.CodeEconomicDept: reference.SystemEconDept,
	normalize.CodeEconomicGov:  reference.SystemEconGov,
	normalize.CodeAgency:       reference.SystemAgency,
	normalize.CodeProject:      reference.SystemProject,
}

// codeName returns a code's system and, where the classification holds
// the code for the year, its standard name.
func codeName(code string, kind normalize.CodeKind, year int) (system, name string) {
	sys := codeSystems[kind]
	if code == "" || sys == "" {
		return "", ""
	}
	if sys.Classified() {
		if e, ok := reference.Name(sys, code, year); ok {
			name = e.Name
		}
	}
	return string(sys), name
}

// factRecords makes one fact per amount cell, with its document's facts.
func factRecords(doc *schema.Document, tables []schema.Table, cells []schema.Cell) []schema.Fact {
	byIndex := make(map[int32]*schema.Table, len(tables))
	for i := range tables {
		byIndex[tables[i].TableIndex] = &tables[i]
	}
	n := 0
	for i := range cells {
		if cells[i].Amount != nil {
			n++
		}
	}
	out := make([]schema.Fact, 0, n)
	for i := range cells {
		c := &cells[i]
		if c.Amount == nil {
			continue
		}
		year := doc.FiscalYear
		if t := byIndex[c.TableIndex]; t != nil && t.FiscalYear != 0 {
			year = t.FiscalYear
		}
		out = append(out, schema.Fact{
			DocumentID: c.DocumentID, SourceFile: c.SourceFile, FiscalYear: year, Phase: c.Phase,
			Agency: doc.Agency, RegionCode: doc.RegionCode, Province: doc.Province, City: doc.City, County: doc.County,
			TableIndex: c.TableIndex, TableCode: c.TableCode, TableKind: c.TableKind,
			Measure: c.Measure, Fund: c.Fund, Side: c.Side,
			Code: c.RowCode, CodeSystem: c.CodeSystem, CodeName: c.CodeName, Label: c.RowLabel, Level: c.RowLevel,
			Amount: *c.Amount, AmountYuan: c.AmountYuan, Unit: c.Unit, Page: c.Page,
			RowIndex: c.RowIndex, ColumnIndex: c.ColumnIndex,
		})
	}
	return out
}
