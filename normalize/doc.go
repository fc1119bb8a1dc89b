// Package normalize rebuilds text lines and tables from the positioned glyphs
// and ruling lines of package extract.
//
// Coordinates are those of extract: points, origin at the top-left corner of
// the visible page, y growing downward.
//
// This first part groups glyphs into text lines in reading order, for
// reading a page in a terminal. Table reconstruction builds on it.
package normalize
