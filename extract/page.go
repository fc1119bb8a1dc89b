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
	// it, e.g. a font that could not be loaded. Each names its cause, in
	// one printable line of at most a few hundred bytes.
	Warnings []string
	// Lost reports that some of what the page draws could not be read, so
	// Glyphs or Lines miss something: a content stream or form XObject
	// that failed to decode or was cut short by a limit, a damaged font
	// whose codes gave no text, a missing or damaged resource, text shown
	// with no font, or character codes shown of which none gave a glyph.
	// Warnings (or the page's error) say what. A document with a Lost page
	// is partial.
	Lost bool
}

// HasText reports whether the page has a text layer: at least one glyph
// with text. A scanned page (images only) has none; a page without text
// that is Lost is not a scan (see Document.CheckTextLayer).
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
