package extract

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// This file loads fonts (PDF 32000-1, 9.5-9.10): how a string operand splits
// into character codes, each code's advance width and its Unicode text.
//
// Text comes, in order of priority, from the ToUnicode CMap (9.10.2), then
// from the encoding: glyph names of a simple font's /Encoding and
// /Differences, the Unicode of a predefined CJK CMap (UniGB-UCS2-H, GBK-EUC-H,
// ...), or, for an Identity-H TrueType font without ToUnicode, the embedded
// font's own cmap read backwards from glyph to Unicode, as poppler does.

// maxFontStream bounds the decoded size of a ToUnicode CMap, an embedded
// CMap or a font program read for its cmap.
const maxFontStream = 32 << 20

// fontKey identifies a font object within a document.
type fontKey struct {
	obj  uint64 // object number and generation of the font or its container
	name string // resource name
}

// glyphInfo is what a character code shows.
type glyphInfo struct {
	text     string  // Unicode text, "" if unknown or white space
	width    float64 // horizontal advance per unit of font size (w0/1000)
	vadvance float64 // vertical advance per unit of font size, positive
	space    bool    // a single-byte code 32: word spacing applies (9.3.3)
	blank    bool    // the text is white space
}

type fontKind uint8

const (
	simpleFont fontKind = iota
	type0Font
	type3Font
)

// font is a loaded font, shared by all pages of a document.
type font struct {
	name     string
	kind     fontKind
	vertical bool
	damaged  bool    // loading it failed in part or whole: codes without text are lost
	ascent   float64 // per unit of font size, > 0
	descent  float64 // per unit of font size, < 0

	toUnicode *cmap

	// simple and Type 3 fonts
	simple [256]*glyphInfo

	// Type 0 fonts
	encCMap  *cmap       // embedded encoding CMap
	pre      *predefined // predefined encoding CMap
	widths   []cidWidth  // /W, sorted by first
	dw       float64     // /DW per unit of font size
	cidToGID []byte      // /CIDToGIDMap stream, nil for Identity
	sfnt     *sfntCmap   // embedded TrueType cmap, for text without ToUnicode
	cache    map[uint64]*glyphInfo
}

// cidWidth is one /W entry: CIDs first..last have widths w[cid-first], or
// all have w[0] when len(w) == 1 and last > first.
type cidWidth struct {
	first, last uint32
	w           []float64
}

// next splits the next character code from s.
func (f *font) next(s []byte) (code uint32, n int) {
	if f.kind != type0Font {
		return uint32(s[0]), 1
	}
	if f.encCMap != nil && f.encCMap.hasCodespace() {
		return f.encCMap.nextCode(s)
	}
	if f.pre != nil {
		return f.pre.nextCode(s)
	}
	if len(s) < 2 {
		return uint32(s[0]), 1
	}
	return uint32(s[0])<<8 | uint32(s[1]), 2
}

// glyph returns what code (of n bytes) shows.
func (f *font) glyph(code uint32, n int) *glyphInfo {
	if f.kind != type0Font {
		if g := f.simple[code&0xff]; g != nil {
			return g
		}
		return &glyphInfo{}
	}
	key := uint64(code) | uint64(n)<<32
	if g, ok := f.cache[key]; ok {
		return g
	}
	g := f.cidGlyph(code, n)
	if len(f.cache) < 1<<16 {
		f.cache[key] = g
	}
	return g
}

func (f *font) cidGlyph(code uint32, n int) *glyphInfo {
	g := &glyphInfo{space: n == 1 && code == 32, vadvance: 1}
	cid, cidKnown := code, true
	var text string
	var textOK bool
	if f.toUnicode != nil {
		text, textOK = f.toUnicode.unicode(code, n)
	}
	switch {
	case f.encCMap != nil:
		cid, cidKnown = f.encCMap.cid(code, n)
	case f.pre != nil && !f.pre.identity():
		// Without the Adobe CMap files the CID is unknown; what matters
		// is the width, and the half-width Latin range is the one that
		// differs from /DW in practice.
		cidKnown = false
		t, ok := f.pre.unicode(code, n)
		if !textOK {
			text, textOK = t, ok
		}
		if r, size := utf8.DecodeRuneInString(t); ok && size == len(t) {
			cid, cidKnown = adobeGB1HalfWidthCID(r)
		}
	}
	if !textOK && f.sfnt != nil && cidKnown {
		gid := cid
		if f.cidToGID != nil {
			if int(2*cid+1) < len(f.cidToGID) {
				gid = uint32(f.cidToGID[2*cid])<<8 | uint32(f.cidToGID[2*cid+1])
			} else {
				gid = 0
			}
		}
		if r, ok := f.sfnt.runeForGlyph(uint16(gid)); ok && gid != 0 {
			text, textOK = string(r), true
		}
	}
	g.width = f.dw
	if cidKnown {
		if w, ok := f.cidWidth(cid); ok {
			g.width = w
		}
	}
	g.text, g.blank = cleanText(text)
	return g
}

func (f *font) cidWidth(cid uint32) (float64, bool) {
	i := sort.Search(len(f.widths), func(i int) bool { return f.widths[i].last >= cid })
	for ; i < len(f.widths) && f.widths[i].first <= cid; i++ {
		e := f.widths[i]
		if cid > e.last {
			continue
		}
		if len(e.w) == 1 {
			return e.w[0], true
		}
		if k := int(cid - e.first); k < len(e.w) {
			return e.w[k], true
		}
	}
	return 0, false
}

// cleanText maps compatibility radicals to unified ideographs and reports
// white space. Control characters are dropped.
func cleanText(s string) (text string, blank bool) {
	if s == "" {
		return "", false
	}
	blank = true
	needs := false
	for _, r := range s {
		if !unicode.IsSpace(r) && r != 0 {
			blank = false
		}
		if mapRadical(r) != r || r < 0x20 || r == 0x7f || r == utf8.RuneError {
			needs = true
		}
	}
	if blank {
		return "", true
	}
	if !needs {
		return s, false
	}
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			continue
		}
		b.WriteRune(mapRadical(r))
	}
	return b.String(), b.Len() == 0
}

// objectID returns the object number and generation of the object v was
// resolved from (or of its container, for a direct object).
func objectID(v pdf.Value) uint64 {
	return refKey(v.Ptr())
}

// loadFont returns the font named in a resource dictionary, parsing it once
// per document. A font that cannot be read gives a fallback font that shows
// no text, and an error saying why.
func (d *Document) loadFont(res pdf.Value, name string) (f *font, err error) {
	fonts := d.get(res, "Font")
	key := fontKey{name: name}
	if id, gen, ok := fonts.KeyRef(name); ok {
		key = fontKey{obj: refKey(id, gen)} // an indirect font: its number identifies it
		if f, ok := d.fonts[key]; ok {
			return f, nil
		}
	}
	fv := fonts.Key(name)
	if fv.Kind() != pdf.Dict {
		f := fallbackFont(name)
		f.damaged = true
		return f, fmt.Errorf("no font resource")
	}
	if key.obj == 0 {
		key.obj = objectID(fv) | 1<<63 // a direct font: its container's number
		if f, ok := d.fonts[key]; ok {
			return f, nil
		}
	}
	defer func() {
		if x := recover(); x != nil {
			f, err = fallbackFont(name), damaged("%s", x)
		}
		if err != nil {
			f.damaged = true
		}
		d.fonts[key] = f
	}()
	return buildFont(fv)
}

func fallbackFont(name string) *font {
	f := &font{name: name, ascent: 0.95, descent: -0.35}
	for c := range f.simple {
		f.simple[c] = &glyphInfo{width: 0.5, space: c == 32}
	}
	return f
}

func buildFont(fv pdf.Value) (*font, error) {
	f := &font{name: fontName(fv.Key("BaseFont")), ascent: 0.95, descent: -0.35}
	var errs []error
	if tu := fv.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		// A stream that fails part way is used as far as it decoded, as
		// poppler does; the font still counts as damaged.
		data, err := readAll(tu)
		if len(data) > 0 {
			cm, perr := parseCMap(data)
			if perr == nil {
				f.toUnicode = cm
			} else if err == nil {
				err = perr
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("ToUnicode: %w", err))
		}
	}
	switch fv.Key("Subtype").Name() {
	case "Type0":
		errs = append(errs, f.loadType0(fv))
	case "Type3":
		f.kind = type3Font
		f.loadSimple(fv, fv.Key("FontDescriptor"))
	default:
		f.loadSimple(fv, fv.Key("FontDescriptor"))
	}
	return f, joinErrors(errs)
}

// errorList is several errors as one line, "; " between them.
type errorList []error

func (l errorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

func (l errorList) Unwrap() []error { return l }

// joinErrors returns the non-nil errors of errs as one, or nil.
func joinErrors(errs []error) error {
	var l errorList
	for _, e := range errs {
		if l2, ok := e.(errorList); ok {
			l = append(l, l2...)
		} else if e != nil {
			l = append(l, e)
		}
	}
	if len(l) == 0 {
		return nil
	}
	return l
}

// fontName returns a BaseFont without its subset tag, decoding the GBK or
// UTF-8 bytes some producers write into names.
func fontName(v pdf.Value) string {
	s := v.Name()
	if i := strings.IndexByte(s, '+'); i == 6 {
		s = s[7:]
	}
	if !utf8.ValidString(s) {
		if t, err := simplifiedchinese.GBK.NewDecoder().String(s); err == nil {
			s = t
		}
	}
	return strings.ToValidUTF8(s, "?")
}

// readAll reads a whole stream within maxFontStream.
func readAll(v pdf.Value) (data []byte, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("%v", x)
		}
	}()
	rc := v.Reader()
	defer rc.Close()
	data, err = io.ReadAll(io.LimitReader(rc, maxFontStream+1))
	if len(data) > maxFontStream {
		return nil, fmt.Errorf("%w: stream over %d bytes", ErrLimit, maxFontStream)
	}
	return data, err
}

// descriptor reads ascent and descent the way poppler does, so that glyph
// boxes agree with pdftotext: values of 0 or of absurd size are ignored.
func (f *font) descriptor(desc pdf.Value) (missingWidth float64, flags int64) {
	if desc.Kind() != pdf.Dict {
		return 0, 0
	}
	if a := desc.Key("Ascent"); a.Kind() == pdf.Integer || a.Kind() == pdf.Real {
		t := abs(num(a) / 1000)
		if t != 0 && t < 3 {
			f.ascent = t
		}
	}
	if a := desc.Key("Descent"); a.Kind() == pdf.Integer || a.Kind() == pdf.Real {
		t := -abs(num(a) / 1000)
		if t != 0 && t > -3 {
			f.descent = t
		}
	}
	return num(desc.Key("MissingWidth")), desc.Key("Flags").Int64()
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// loadSimple builds the 256-entry table of a simple or Type 3 font.
func (f *font) loadSimple(fv, desc pdf.Value) {
	missing, flags := f.descriptor(desc)
	embedded := !desc.Key("FontFile").IsNull() || !desc.Key("FontFile2").IsNull() || !desc.Key("FontFile3").IsNull()
	if !embedded && f.kind == simpleFont {
		if a, d, ok := builtinMetrics(fontName(fv.Key("BaseFont"))); ok {
			f.ascent, f.descent = a, d
		}
	}
	symbolic := flags&4 != 0 && flags&32 == 0
	scale := 0.001 // glyph space to text space
	if f.kind == type3Font {
		scale = 0.001
		if m := fv.Key("FontMatrix"); m.Kind() == pdf.Array && m.Len() == 6 {
			if a := num(m.Index(0)); a != 0 {
				scale = abs(a)
			}
			if bb, ok := box(fv.Key("FontBBox")); ok {
				d := abs(num(m.Index(3)))
				if asc := bb[3] * d; asc > 0 && asc < 3 {
					f.ascent = asc
				}
				if dsc := bb[1] * d; dsc < 0 && dsc > -3 {
					f.descent = dsc
				}
			}
		}
	}
	// Base encoding and differences (9.6.6).
	subtype := fv.Key("Subtype").Name()
	base := &standardEncoding
	if subtype == "TrueType" {
		base = &winAnsiEncoding
	}
	var diffs [256]string
	enc := fv.Key("Encoding")
	baseName := enc.Name()
	if enc.Kind() == pdf.Dict {
		baseName = enc.Key("BaseEncoding").Name()
		d := enc.Key("Differences")
		code := 0
		for i := 0; i < d.Len() && i < 4096; i++ {
			e := d.Index(i)
			switch e.Kind() {
			case pdf.Integer:
				code = int(e.Int64())
			case pdf.Name:
				if code >= 0 && code < 256 {
					diffs[code] = e.Name()
				}
				code++
			}
		}
	}
	switch baseName {
	case "WinAnsiEncoding":
		base = &winAnsiEncoding
	case "MacRomanEncoding":
		base = &macRomanEncoding
	case "StandardEncoding":
		base = &standardEncoding
	case "PDFDocEncoding":
		base = &pdfDocEncoding
	}
	if symbolic && enc.IsNull() && f.kind != type3Font {
		base = nil // the font's built-in encoding: codes are not Unicode
		if ff := desc.Key("FontFile2"); ff.Kind() == pdf.Stream {
			if data, err := readAll(ff); err == nil {
				f.sfnt, _ = parseSfntCmap(data)
			}
		}
	}
	// Widths (9.6.2.1); a standard 14 font may have none (9.6.2.2).
	first := int(fv.Key("FirstChar").Int64())
	wv := fv.Key("Widths")
	var widths []float64
	for i := 0; i < wv.Len() && i < 256; i++ {
		widths = append(widths, num(wv.Index(i)))
	}
	std := standardWidths(fontName(fv.Key("BaseFont")))
	for c := 0; c < 256; c++ {
		g := &glyphInfo{space: c == 32, vadvance: 1}
		switch k := c - first; {
		case k >= 0 && k < len(widths):
			g.width = widths[k] * scale
		case std != nil:
			g.width = float64(std(c)) / 1000
		default:
			g.width = missing * scale
		}
		text, ok := "", false
		if f.toUnicode != nil {
			text, ok = f.toUnicode.unicode(uint32(c), 1)
		}
		if !ok && diffs[c] != "" {
			text, ok = glyphNameText(diffs[c])
		}
		if !ok && base != nil {
			if r := base[c]; r != 0 && r != noRune {
				text, ok = string(r), true
			}
		}
		if !ok && base == nil && c >= 0x20 && c < 0x7f {
			// A symbolic font with no encoding: poppler shows the code
			// as if it were Latin-1; do the same so that text matches.
			text = string(rune(c))
		}
		g.text, g.blank = cleanText(text)
		f.simple[c] = g
	}
}

// glyphNameText returns the Unicode text of a glyph name (Adobe Glyph List
// conventions: known names, uniXXXX[XXXX...], uXXXX[XX], name.suffix).
func glyphNameText(name string) (string, bool) {
	if i := strings.IndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	if r, ok := glyphNameRunes[name]; ok {
		return string(r), true
	}
	if len(name) >= 7 && strings.HasPrefix(name, "uni") && (len(name)-3)%4 == 0 {
		var b strings.Builder
		for i := 3; i+4 <= len(name); i += 4 {
			v, err := strconv.ParseUint(name[i:i+4], 16, 16)
			if err != nil {
				return "", false
			}
			b.WriteRune(rune(v))
		}
		return b.String(), true
	}
	if len(name) >= 5 && len(name) <= 7 && name[0] == 'u' {
		if v, err := strconv.ParseUint(name[1:], 16, 32); err == nil && v <= unicode.MaxRune {
			return string(rune(v)), true
		}
	}
	if utf8.RuneCountInString(name) == 1 && name[0] >= 0x21 && name[0] < 0x7f {
		return name, true // a bare character used as its own name
	}
	return "", false
}

// loadType0 reads a composite font (9.7).
func (f *font) loadType0(fv pdf.Value) error {
	f.kind = type0Font
	f.cache = make(map[uint64]*glyphInfo)
	var errs []error
	enc := fv.Key("Encoding")
	switch enc.Kind() {
	case pdf.Name:
		f.pre = predefinedCMap(enc.Name())
		if f.pre == nil {
			errs = append(errs, fmt.Errorf("unknown CMap %s: read as Identity-H", enc.Name()))
			f.pre = predefinedCMap("Identity-H")
		}
		f.vertical = f.pre.vertical()
	case pdf.Stream:
		data, err := readAll(enc)
		if err == nil {
			f.encCMap, err = parseCMap(data)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("encoding CMap: %w", err))
			f.encCMap = nil
			f.pre = predefinedCMap("Identity-H")
		} else {
			f.vertical = f.encCMap.vertical()
		}
	default:
		f.pre = predefinedCMap("Identity-H")
	}
	cidFont := fv.Key("DescendantFonts").Index(0)
	desc := cidFont.Key("FontDescriptor")
	f.descriptor(desc)
	f.dw = 1
	if dw := cidFont.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
		f.dw = num(dw) / 1000
	}
	f.widths = parseW(cidFont.Key("W"))
	if f.toUnicode == nil && (f.pre == nil || f.pre.identity()) {
		// Text can only come from the embedded TrueType font's cmap.
		if ff := desc.Key("FontFile2"); ff.Kind() == pdf.Stream {
			data, err := readAll(ff)
			if err == nil {
				f.sfnt, err = parseSfntCmap(data)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("embedded font cmap: %w", err))
			}
		}
		if m := cidFont.Key("CIDToGIDMap"); m.Kind() == pdf.Stream {
			f.cidToGID, _ = readAll(m)
		}
	}
	return joinErrors(errs)
}

// parseW reads a /W array (9.7.4.3): c [w1 w2 ...] and cfirst clast w.
func parseW(w pdf.Value) []cidWidth {
	var out []cidWidth
	n := w.Len()
	for i := 0; i < n; {
		first := w.Index(i)
		if first.Kind() != pdf.Integer {
			break
		}
		if i+1 >= n {
			break
		}
		second := w.Index(i + 1)
		if second.Kind() == pdf.Array {
			e := cidWidth{first: uint32(first.Int64())}
			for k := 0; k < second.Len(); k++ {
				e.w = append(e.w, num(second.Index(k))/1000)
			}
			if len(e.w) > 0 {
				e.last = e.first + uint32(len(e.w)) - 1
				if len(e.w) == 1 {
					e.last = e.first
				}
				out = append(out, e)
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		last := second.Int64()
		out = append(out, cidWidth{first: uint32(first.Int64()), last: uint32(last), w: []float64{num(w.Index(i+2)) / 1000}})
		i += 3
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].first < out[b].first })
	return out
}
