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

	// Unruled tables: text alignment into columns and rows.

	// ChunkGap is the gap, in em, that separates the cells of a body line.
	// Default 1.
	ChunkGap float64
	// HeaderChunkGap is ChunkGap for header lines, whose words have no
	// inner gaps and whose narrow columns stand closer. Default 0.3.
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
	if v.MaxHeaderLines <= 0 {
		v.MaxHeaderLines = 14
	}
	return v
}
