// Package extract reads the positioned glyphs and the ruling lines of each
// page of a PDF: what a reader sees, not how the file happens to store it.
//
// github.com/ledongthuc/pdf is the object layer (file structure, cross-
// reference tables and streams, filters, RC4 and AES-128 decryption). Above
// it, extract owns its content-stream interpreter: text state and
// transformation matrices (PDF 32000-1, 8.3 and 9.3-9.4), form XObjects,
// fonts (ToUnicode CMaps first, then simple encodings with Differences and
// glyph names, predefined Chinese CMaps such as UniGB-UCS2-H and GBK-EUC-H,
// and the embedded TrueType cmap for Identity-H fonts without ToUnicode) and
// widths from /Widths, /W and /DW.
//
// # Coordinates
//
// Everything is in points (1/72 inch) with the origin at the top-left
// corner of the visible page (the CropBox, clipped to the MediaBox, with
// /Rotate applied), x growing rightward and y growing downward: the
// convention of `pdftotext -bbox`. A glyph's box runs from its origin to
// its origin plus its advance (character and word spacing included, as in
// poppler) and from baseline minus the font's ascent to baseline minus its
// descent (from the FontDescriptor, defaults 0.95 and -0.35 em).
//
// # Ruling lines
//
// Lines are the horizontal and vertical segments that are actually visible:
// straight segments of stroked paths and filled rectangles no thicker than
// Options.RuleThickness. Marks painted white, of zero length or area, or
// off the page are dropped; diagonal segments and curves are not lines.
//
// # Failure
//
// Open classifies files it cannot read (ErrNotPDF, ErrDamaged, ErrPassword,
// ErrEncryption). A panic inside the object layer while a page is read
// becomes a *PageError for that page, and the other pages still come out.
// Options bound the work a hostile file can cause: form nesting, decoded
// content size, operators and time per page.
//
// # Text normalization
//
// BUG(extract): a file whose object streams /Extends one another in a
// cycle makes the object layer loop forever while resolving an object;
// only a deadline around the whole document (the batch runner's) ends it.
//
// Kangxi radicals, CJK radical supplement characters and CJK compatibility
// ideographs that some producers emit are mapped to the unified ideographs
// they stand for (⻔ to 门), so that text compares equal. Nothing else is
// normalized here: full-width digits stay full-width (see package
// normalize).
package extract
