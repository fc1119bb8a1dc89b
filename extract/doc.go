// Package extract reads the positioned glyphs and the ruling lines of each
// page of a PDF: what a reader sees, not how the file happens to store it.
//
// github.com/ledongthuc/pdf, forked into third_party/pdf, is the object
// layer (file structure, cross-reference tables and streams and their
// repair, filters, decryption: RC4 of 40 to 128 bits, AES-128, AES-256).
// Above it, extract owns its content-stream interpreter: text state and
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
// ErrEncryption, ErrLimit for a page tree over Options.MaxPages). Damage
// that poppler repairs is repaired too, and Info.Repaired says so: bytes
// before the %PDF- header, a cross-reference table that does not match
// the file (rebuilt from the objects found in it), an incremental update
// cut short after the last %%EOF (the file is read as it was before it,
// as poppler reads it, and the warning says so). Loops in the object
// layer (an object stream inside itself, /Extends or /Prev cycles, page
// trees that come back to an ancestor or share nodes without end) end
// with an error or a warning, never with a stack overflow or a spinning
// goroutine.
//
// A panic inside the object layer while a page is read becomes a
// *PageError for that page, and the other pages still come out. A page
// that lost content (a damaged content stream, form, font or resource; a
// /Contents that is not a stream; a page's content, or a form's, that
// holds more than 8 operators PDF does not define) is marked Page.Lost
// with a warning saying what. Error and warning texts
// are one printable line: bytes from the file are escaped and cut short.
//
// Options bound the work a hostile file can cause: pages, form nesting,
// decoded content, operators and time per page. Content is streamed
// through the interpreter, so the memory a page takes is that of what it
// draws, not of its decoded size.
//
// # Text normalization
//
// Kangxi radicals, CJK radical supplement characters and CJK compatibility
// ideographs that some producers emit are mapped to the unified ideographs
// they stand for (⻔ to 门), so that text compares equal. Nothing else is
// normalized here: full-width digits stay full-width (see package
// normalize).
package extract
