package extract

// Page is what one page shows: its glyphs and its ruling lines, in points,
// origin at the top-left corner of the visible page (the CropBox after
// /Rotate), x growing rightward and y growing downward, the convention of
// `pdftotext -bbox`.
type Page struct {
	Number int     // 1-based page number
	Width  float64 // visible width, in points (CropBox, rotated)
	Height float64 // visible height, in points
	Rotate int     // the page's /Rotate, normalized to 0, 90, 180 or 270

	// Glyphs in content-stream order. White-space glyphs are not included:
	// their position is implied by the gap between the others.
	Glyphs []Glyph
	// Lines are the visible horizontal and vertical ruling segments, in
	// drawing order, as painted: not merged, not snapped.
	Lines []Line
	// Images counts image XObjects and inline images drawn on the page.
	Images int
	// Unmapped counts glyphs whose code has no known Unicode text (no
	// ToUnicode entry, no usable encoding); they are not in Glyphs.
	Unmapped int
	// Offpage counts glyphs drawn with their origin off the visible page
	// (text overflowing a clipped area); they are not in Glyphs.
	Offpage int
	// Duplicates counts glyphs drawn again over the same glyph (overprinted
	// to fake bold); only the first is in Glyphs.
	Duplicates int
	// Warnings are problems met while reading the page that did not stop
	// it, e.g. a font that could not be loaded. Each names its cause.
	Warnings []string
}

// HasText reports whether the page has a text layer: at least one glyph
// with text. A scanned page (images only) has none.
func (p *Page) HasText() bool { return len(p.Glyphs) > 0 }

// Glyph is one shown character (or ligature) with its box.
type Glyph struct {
	Text string  // Unicode text, usually one character; never white space only
	Font string  // base font name without the subset tag (ABCDEF+)
	Size float64 // font size as it appears on the page, in points
	// The box, in points, top-left origin, y downward: X0 is the glyph
	// origin, X1 the origin plus the advance (character spacing included,
	// as in pdftotext); Y0 and Y1 are the baseline minus the font's ascent
	// and descent.
	X0, Y0, X1, Y1 float64
}

// Line is a visible ruling segment, horizontal (Y0 == Y1) or vertical
// (X0 == X1), in points, top-left origin, with X0 <= X1 and Y0 <= Y1.
type Line struct {
	X0, Y0, X1, Y1 float64
	Width          float64 // stroke width or rectangle thickness, in points
}

// Horizontal reports whether l runs left to right.
func (l Line) Horizontal() bool { return l.Y0 == l.Y1 }
