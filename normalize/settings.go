package normalize

// Settings holds every threshold of table building, each with its unit.
// The zero value of a field means its default; a nil *Settings means all
// defaults. Distances are in points unless a field says "em" (a fraction of
// the glyph's font size) or "share" (a fraction of a length or count).
type Settings struct {
	// Lines: glyphs into text lines.

	// SameLine is the vertical overlap, as a share of the smaller glyph's
	// height, for two glyphs to share a line. Default 0.5.
	SameLine float64
	// CellSameLine is SameLine inside a cell, stricter: the lines of a
	// cell are set tight, and an overflowing line may overlap the next by
	// half a glyph. Default 0.7.
	CellSameLine float64
	// SpaceGap is the horizontal gap, in em, above which a space is
	// written between two glyphs. Default 0.2.
	SpaceGap float64
	// ColumnGap is the gap, in em, shown as a column gap (four spaces) in
	// a line's text. Default 2.
	ColumnGap float64
	// NoiseSize is the size, as a share of the largest font size in a
	// cell, under which a glyph of the cell is print debris and dropped
	// (specks overprinted on a heading). Default 0.6.
	NoiseSize float64

	// Grids: ruling lines into grids.

	// Snap is the largest distance between two parallel segments read as
	// one rule. Default 2.
	Snap float64
	// Join is the largest gap along a rule between two segments read as
	// one drawn stretch. Default 2.
	Join float64
	// Coverage is the share of a cell side a rule must draw for the side
	// to be a boundary. Default 0.5.
	Coverage float64
	// Touch is the slack, in points, of a contact: a rule touches a
	// crossing rule within Snap+Touch, and two extents that overlap by no
	// more than Touch stand side by side. Default 0.5.
	Touch float64
	// ClippedBorder is the least distance by which the row rules of a grid
	// must run past its outermost column rule, at a common end, for that
	// end to be read as the grid's border (a border clipped at the page
	// edge). Default 8.
	ClippedBorder float64

	// Tables: regions, titles, continuation.

	// TitleGap is how far above a table its title block may start.
	// Default 120.
	TitleGap float64
	// ColumnMatch is the largest difference between the column rules of a
	// table and of its continuation on the next page. Default 4.
	ColumnMatch float64
	// WidthMatch is the largest difference between the left (or right)
	// edges of a table and of a continuation whose rules differ. Default 20.
	WidthMatch float64
	// TitleWrapGap is the largest gap, in line heights, between a title's
	// first line and a line above it that it continues. Default 0.6.
	TitleWrapGap float64
	// TitleSizeMatch is the least ratio of the two lines' heights for a
	// title line to continue the line above. Default 0.85.
	TitleSizeMatch float64
	// TitleCentre is how far apart, in line heights, the centres of the two
	// lines of a wrapped title may lie. Default 2.
	TitleCentre float64

	// Unruled tables: text alignment into columns and rows.

	// ChunkGap is the gap, in em, that separates the cells of a body line.
	// Default 1.
	ChunkGap float64
	// HeaderChunkGap is ChunkGap for header lines, whose words have no
	// inner gaps and whose narrow columns stand closer, and for the lines
	// of an unruled form, whose keys stand no more than a cell's padding
	// from their values. Default 0.3.
	HeaderChunkGap float64
	// DigitGap is the gap, in em, that separates a number from text next
	// to it in one line (an amount right-aligned against the next column).
	// Default 0.3.
	DigitGap float64
	// RowGap is the largest distance, in line heights, between the centres
	// of two lines of one wrapped cell. Default 1.3.
	RowGap float64
	// FillSlack is how far, in line heights, a line may end short of its
	// column's right edge and still fill it (its text wraps on). Default
	// 1.5.
	FillSlack float64
	// GroupCentre is how far, as a share of the mean width of the columns
	// under it, a group heading's centre may lie from the centre of those
	// columns. Default 0.3.
	GroupCentre float64
	// MaxHeaderLines bounds the header of an unruled table. Default 14.
	MaxHeaderLines int
	// BandLines is how many lines from a table's first line give the width
	// of its text, which a rule must span to bound it. Default 20.
	BandLines int
	// RuleReach is how far above a table's first line, in line heights, a
	// horizontal rule still belongs to the table. Default 2.
	RuleReach float64
	// RuleSpan is the share of a table's text width that a horizontal rule
	// must span to be one of its rules. Default 0.5.
	RuleSpan float64
	// WrapGap is how far below a header line, in line heights, the next
	// line of its cell may start. Default 0.5.
	WrapGap float64
	// WrapRise is how far into a header line, in line heights, the next
	// line of its cell may reach up (lines set tight). Default 0.3.
	WrapRise float64
	// WrapCentre is how far apart, in line heights, the centres of a
	// header line and of the line that continues it may lie. Default 0.6.
	WrapCentre float64
	// WrapEdge is how far apart, in line heights, the left edges of a
	// header line and of the line that continues it may lie, and how much
	// wider the continuation may be. Default 0.5.
	WrapEdge float64
	// Rise is how far, as a share of its height, a box may reach up into
	// another and still lie below it. Default 0.2.
	Rise float64
	// LevelOverlap is the vertical overlap, as a share of the smaller
	// height (of a line), for two header blocks to stand on one level, and
	// for two cells of an unruled form or of a performance list's lines of
	// indicators to share a row. Default 0.5.
	LevelOverlap float64
	// EdgeAlign is how far apart, in line heights, the tops (or centres,
	// or bottoms) of header blocks may lie and still count as aligned, when
	// deciding whether a header is set centred, and how far apart the left
	// edges of an unruled form's runs may lie and start one column.
	// Default 0.15.
	EdgeAlign float64
	// CentreSlack is how far, in line heights, a block of a centred header
	// may sit above a group heading's centre and still lie under it.
	// Default 0.25.
	CentreSlack float64
	// AnchorBand is how far, as a share of its height, a cell's centre may
	// lie from a row's anchor line and still be on that row, and from the
	// middle of the rows an unruled form's merged cell spans. Default 0.5.
	AnchorBand float64
	// MinPitch is the least distance, in line heights, between the lines
	// of a wrapped cell. Default 0.8.
	MinPitch float64
	// PitchStep is the step, in points, to which line distances are
	// rounded; two distances within it are one pitch. Default 0.5.
	PitchStep float64
	// PitchSlack is the share by which a wrapped cell's next line may
	// exceed the line pitch (plus PitchStep). Default 0.08.
	PitchSlack float64
	// CutReach is how far, in em, from a column boundary a run of text
	// drawn across it may be cut. Default 1.5.
	CutReach float64
	// IndentStep is the step, in points, to which the left edges of
	// labels are rounded to read their levels from their indents.
	// Default 2.
	IndentStep float64
	// MaxIndentLevels is the most levels read from indents; labels whose
	// edges make more are ragged, not indented. Default 6.
	MaxIndentLevels int
	// ProseIndent is how far right of a text table's left edge, in line
	// heights, a line of prose under the table may start (a paragraph's
	// indent); a sentence set further in is a wrapped cell's. Default 3.
	ProseIndent float64
	// CutTie is how much wider, in em, a gap must be than another to be
	// the better cut. Default 0.05.
	CutTie float64
}

func (s *Settings) withDefaults() Settings {
	var v Settings
	if s != nil {
		v = *s
	}
	def := func(f *float64, d float64) {
		if *f <= 0 {
			*f = d
		}
	}
	def(&v.SameLine, 0.5)
	def(&v.CellSameLine, 0.7)
	def(&v.SpaceGap, 0.2)
	def(&v.ColumnGap, 2)
	def(&v.NoiseSize, 0.6)
	def(&v.Snap, 2)
	def(&v.Join, 2)
	def(&v.Coverage, 0.5)
	def(&v.ClippedBorder, 8)
	def(&v.TitleGap, 120)
	def(&v.ColumnMatch, 4)
	def(&v.WidthMatch, 20)
	def(&v.ChunkGap, 1)
	def(&v.HeaderChunkGap, 0.3)
	def(&v.DigitGap, 0.3)
	def(&v.RowGap, 1.3)
	def(&v.FillSlack, 1.5)
	def(&v.GroupCentre, 0.3)
	def(&v.Touch, 0.5)
	def(&v.TitleWrapGap, 0.6)
	def(&v.TitleSizeMatch, 0.85)
	def(&v.TitleCentre, 2)
	def(&v.RuleReach, 2)
	def(&v.RuleSpan, 0.5)
	def(&v.WrapGap, 0.5)
	def(&v.WrapRise, 0.3)
	def(&v.WrapCentre, 0.6)
	def(&v.WrapEdge, 0.5)
	def(&v.Rise, 0.2)
	def(&v.LevelOverlap, 0.5)
	def(&v.EdgeAlign, 0.15)
	def(&v.CentreSlack, 0.25)
	def(&v.AnchorBand, 0.5)
	def(&v.MinPitch, 0.8)
	def(&v.PitchStep, 0.5)
	def(&v.PitchSlack, 0.08)
	def(&v.CutReach, 1.5)
	def(&v.CutTie, 0.05)
	def(&v.ProseIndent, 3)
	if v.MaxHeaderLines <= 0 {
		v.MaxHeaderLines = 14
	}
	def(&v.IndentStep, 2)
	if v.MaxIndentLevels <= 0 {
		v.MaxIndentLevels = 6
	}
	if v.BandLines <= 0 {
		v.BandLines = 20
	}
	return v
}
