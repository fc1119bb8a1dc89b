package workbook

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

// style is a cell style of the workbook, made once per workbook.
type style struct {
	kind   styleKind
	scale  int32 // decimals of an amount's number format
	group  bool  // an amount's number format groups thousands
	indent int   // a name's indent, in levels
	failed bool  // the cell is in a failed check: filled light red
}

// styleKind is what a cell is.
type styleKind int

const (
	styleTitle   styleKind = iota // a table's title: large, bold, centred
	styleNote                     // the lines under a title; the summary's labels
	styleNoteEnd                  // the unit, right-aligned at the end of the title block
	styleHead                     // a heading: bold, centred, wrapped, bordered
	styleMeasure                  // the hidden measure row: small grey
	styleText                     // a body text cell, bordered
	styleWrap                     // a long text of the summary, bordered, wrapped
	styleAmount                   // a body amount cell, bordered, with its number format
	styleLink                     // a link on the summary sheet
)

// failedFill is the colour of the cells of failed checks.
const failedFill = "FFC7CE"

// style returns the id of style s, made on first use.
func (b *book) style(s style) int {
	if id, ok := b.styles[s]; ok {
		return id
	}
	id, err := b.f.NewStyle(s.excelize())
	b.do(err)
	b.styles[s] = id
	return id
}

// thin is a thin border on every side.
var thin = []excelize.Border{
	{Type: "left", Color: "000000", Style: 1},
	{Type: "right", Color: "000000", Style: 1},
	{Type: "top", Color: "000000", Style: 1},
	{Type: "bottom", Color: "000000", Style: 1},
}

// excelize returns the library's description of s.
func (s style) excelize() *excelize.Style {
	x := &excelize.Style{Alignment: &excelize.Alignment{Vertical: "center"}}
	switch s.kind {
	case styleTitle:
		x.Font = &excelize.Font{Bold: true, Size: 14}
		x.Alignment.Horizontal = "center"
	case styleNoteEnd:
		x.Alignment.Horizontal = "right"
	case styleHead:
		x.Font = &excelize.Font{Bold: true}
		x.Alignment.Horizontal, x.Alignment.WrapText = "center", true
		x.Border = thin
	case styleMeasure:
		x.Font = &excelize.Font{Italic: true, Size: 8, Color: "808080"}
		x.Border = thin
	case styleText:
		if s.indent > 0 {
			x.Alignment.Horizontal, x.Alignment.Indent = "left", s.indent // (an indent needs an alignment)
		}
		x.Border = thin
	case styleWrap:
		x.Alignment.WrapText = true
		x.Border = thin
	case styleAmount:
		x.Border = thin
		x.CustomNumFmt = numFmt(s.scale, s.group)
	case styleLink:
		x.Font = &excelize.Font{Color: "0563C1", Underline: "single"}
		x.Border = thin
	}
	if s.failed {
		x.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{failedFill}}
	}
	return x
}

// numFmt is the number format of an amount printed with scale decimals,
// grouped by thousands or not: "#,##0.00", "0".
func numFmt(scale int32, group bool) *string {
	f := "0"
	if group {
		f = "#,##0"
	}
	if scale > 0 {
		f += "." + strings.Repeat("0", int(scale))
	}
	return &f
}
