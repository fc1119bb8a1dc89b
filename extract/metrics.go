package extract

import "strings"

// Widths of the standard 14 fonts (9.6.2.2) for printable ASCII, from the
// Adobe Core14 AFM files, used when a simple font has no /Widths. Only the
// faces seen drawing digits in budget files are kept; anything else gets
// the Helvetica widths.
var (
	helveticaWidths = [95]int{
		278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
		556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
		1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
		667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
		333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
		556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
	}
	timesWidths = [95]int{
		250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
		500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
		921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
		556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
		333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
		500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
	}
)

// standardWidths returns the width function of a standard 14 font name (or
// a common alias), nil if name is not one.
func standardWidths(name string) func(c int) int {
	n := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	var table *[95]int
	switch {
	case strings.HasPrefix(n, "courier"):
		return func(int) int { return 600 }
	case strings.HasPrefix(n, "times"):
		table = &timesWidths
	case strings.HasPrefix(n, "helvetica"), strings.HasPrefix(n, "arial"):
		table = &helveticaWidths
	case n == "symbol" || n == "zapfdingbats":
		return func(int) int { return 600 }
	default:
		return nil
	}
	return func(c int) int {
		if c >= 32 && c < 127 {
			return table[c-32]
		}
		return 556
	}
}

// builtinMetrics returns the ascent and descent (per unit of font size) of
// a standard 14 font or one of the names poppler substitutes for them
// (Arial, Times New Roman, Courier New, with ",Bold" style suffixes). For
// such fonts when not embedded, poppler ignores the FontDescriptor's values
// and uses these; so do we, to keep glyph boxes comparable.
func builtinMetrics(name string) (ascent, descent float64, ok bool) {
	n := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	n, _, _ = strings.Cut(n, ",")
	n = strings.TrimSuffix(n, "mt")
	n = strings.TrimSuffix(n, "psmt")
	n = strings.TrimSuffix(n, "ps")
	bold := strings.Contains(name, "Bold")
	italic := strings.Contains(name, "Italic") || strings.Contains(name, "Oblique")
	switch {
	case strings.HasPrefix(n, "courier"):
		return 0.629, -0.157, true
	case strings.HasPrefix(n, "helvetica"), strings.HasPrefix(n, "arial"):
		return 0.718, -0.207, true
	case strings.HasPrefix(n, "times"):
		switch {
		case bold:
			if italic {
				return 0.683, -0.205, true
			}
			return 0.676, -0.205, true
		case italic:
			return 0.683, -0.205, true
		}
		return 0.683, -0.217, true
	case n == "symbol":
		return 1.010, -0.293, true
	case n == "zapfdingbats":
		return 0.820, -0.143, true
	}
	return 0, 0, false
}
