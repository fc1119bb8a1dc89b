package extract

import (
	"fmt"
	"io"
	"math"
	"time"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// This file is the content-stream interpreter (PDF 32000-1, 8 and 9): the
// graphics state, the text state and the operators that place glyphs and
// draw lines. It is lenient like a viewer: an operator with missing or
// mistyped operands is skipped, Q without q is ignored.

// matrix is an affine transform [a b c d e f] (8.3.4): x' = a x + c y + e,
// y' = b x + d y + f.
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m followed by n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

// gstate is the part of the graphics state (8.4) that extraction needs.
type gstate struct {
	ctm       matrix // user space to page space (top-left, y down)
	lineWidth float64
	strokeCS  colorSpace
	fillCS    colorSpace
	strokeOff bool // stroking colour is white: strokes are invisible
	fillOff   bool // non-stroking colour is white
	font      *font
	fontSize  float64
	charSpace float64
	wordSpace float64
	hScale    float64 // Tz / 100
	leading   float64
	rise      float64
}

// colorSpace is the family of a colour space, enough to tell white.
type colorSpace uint8

const (
	csGray colorSpace = iota
	csRGB
	csCMYK
	csSeparation // tint 0 is no ink
	csOther      // patterns, indexed, unknown: assumed visible
)

// operand is one operand on the stack. Strings live in interp.strs so that
// the lexer's buffers can be reused; arrays are ranges of interp.elems.
type operand struct {
	kind       tokenKind // tokNumber, tokName, tokString, tokArrayOpen (an array), tokDictOpen (a skipped dict), tokOperator (true/false/null)
	num        float64
	start, end int // string/name bytes in strs, or array elements in elems
}

// resources caches the lookups of one resource dictionary.
type resources struct {
	v         pdf.Value
	fonts     map[string]*font
	xobject   pdf.Value
	colors    pdf.Value
	extGState pdf.Value
	lineWidth map[string]float64 // ExtGState name to /LW, -1 if none
}

type interp struct {
	doc  *Document
	page *Page
	opts *Options

	gs    gstate
	saved []gstate
	base  matrix // default user space to top-left page space

	tm, tlm matrix

	ops   []operand
	elems []operand
	strs  []byte

	path    []float64 // flat segments x0 y0 x1 y1 in page space
	polys   [][2]int  // closed straight-sided subpaths: their range in path
	cur     [2]float64
	start   [2]float64
	hasCur  bool
	subpath int // index in path where the current subpath starts

	res          *resources
	deadline     time.Time
	nops         int
	undefinedOps int // operators PDF does not define, outside BX/EX
	compat       int // BX sections open
	contentBytes int64
	limitErr     error
	stopped      bool
	warned       map[string]bool
	dups         dupTable // glyph index by first rune and grid cell
}

func newInterp(d *Document, p *Page) *interp {
	return &interp{
		doc:      d,
		page:     p,
		opts:     &d.opts,
		deadline: time.Now().Add(d.opts.PageTimeout),
	}
}

// warn records a warning once per message, as one printable line.
func (in *interp) warn(format string, args ...any) {
	msg := detail(fmt.Sprintf(format, args...))
	if in.warned == nil {
		in.warned = make(map[string]bool)
	}
	if in.warned[msg] || len(in.warned) > 100 {
		return
	}
	in.warned[msg] = true
	in.page.Warnings = append(in.page.Warnings, msg)
}

// lose records that some of the page's content could not be read, and
// why.
func (in *interp) lose(format string, args ...any) {
	in.page.Lost = true
	in.warn(format, args...)
}

// setupPage computes the page geometry and the base transform.
func (in *interp) setupPage(ref pageRef) {
	media, ok := box(ref.mediaBox)
	if !ok {
		media = [4]float64{0, 0, 612, 792}
	}
	crop, ok := box(ref.cropBox)
	if ok { // the crop box is clipped to the media box
		crop[0], crop[1] = max(crop[0], media[0]), max(crop[1], media[1])
		crop[2], crop[3] = min(crop[2], media[2]), min(crop[3], media[3])
		ok = crop[2] > crop[0] && crop[3] > crop[1]
	}
	if !ok {
		crop = media
	}
	rot := int(num(ref.rotate)) % 360
	if rot < 0 {
		rot += 360
	}
	rot = rot / 90 * 90
	x0, y0, x1, y1 := crop[0], crop[1], crop[2], crop[3]
	p := in.page
	p.Rotate = rot
	switch rot {
	case 90:
		in.base = matrix{0, 1, 1, 0, -y0, -x0}
		p.Width, p.Height = y1-y0, x1-x0
	case 180:
		in.base = matrix{-1, 0, 0, 1, x1, -y0}
		p.Width, p.Height = x1-x0, y1-y0
	case 270:
		in.base = matrix{0, -1, -1, 0, y1, x1}
		p.Width, p.Height = y1-y0, x1-x0
	default:
		in.base = matrix{1, 0, 0, -1, -x0, y1}
		p.Width, p.Height = x1-x0, y1-y0
	}
	in.gs = gstate{ctm: in.base, lineWidth: 1, hScale: 1}
}

// contentSource streams decoded content to the lexer: the streams of a
// page joined by white space (7.8.2), or a form's stream, within the
// page's content budget. A stream that fails contributes what was decoded
// before the failure; its error is kept and the next stream is read.
type contentSource struct {
	in      *interp
	streams []pdf.Value
	next    int           // index of the next stream to open
	cur     io.ReadCloser // the stream being read, nil between streams
	sep     bool          // a newline is due after the stream just read
	err     error         // the first stream error
}

func (c *contentSource) Read(p []byte) (n int, err error) {
	in := c.in
	for empty := 0; ; empty++ {
		if empty > 100 { // a stream that returns nothing, and no error
			c.close()
			c.fail(damaged("content stream: %s", io.ErrNoProgress))
			empty = 0
		}
		if in.limitErr != nil || in.stopped || len(p) == 0 {
			return 0, io.EOF
		}
		if c.sep {
			c.sep = false
			p[0] = '\n'
			return 1, nil
		}
		if c.cur == nil {
			if c.next >= len(c.streams) {
				return 0, io.EOF
			}
			s := c.streams[c.next]
			c.next++
			if err := c.open(s); err != nil {
				c.fail(err)
				c.sep = true
			}
			continue
		}
		budget := in.opts.MaxContentBytes - in.contentBytes
		n, err = c.read(p[:min(int64(len(p)), budget+1)])
		if int64(n) > budget {
			n = int(budget)
			in.limitErr = fmt.Errorf("%w: decoded content over %d bytes", ErrLimit, in.opts.MaxContentBytes)
			c.close()
		}
		in.contentBytes += int64(n)
		if time.Now().After(in.deadline) {
			in.limitErr = fmt.Errorf("%w: page took longer than %v", ErrLimit, in.opts.PageTimeout)
			in.stopped = true
		}
		if err != nil && in.limitErr == nil {
			c.close()
			c.sep = true
			if err != io.EOF {
				c.fail(damaged("content stream: %s", err))
			}
		}
		if n > 0 {
			return n, nil
		}
	}
}

// open starts reading stream s; the object layer panics on a filter it
// does not know.
func (c *contentSource) open(s pdf.Value) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = damaged("content stream: %s", x)
		}
	}()
	c.cur = s.Reader()
	return nil
}

func (c *contentSource) read(p []byte) (n int, err error) {
	defer func() {
		if x := recover(); x != nil {
			n, err = 0, fmt.Errorf("%v", x)
		}
	}()
	return c.cur.Read(p)
}

func (c *contentSource) close() {
	if c.cur != nil {
		c.cur.Close()
		c.cur = nil
	}
}

func (c *contentSource) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// lexBuf returns the lexer window for form nesting depth depth, kept by
// the document so that pages and forms reuse it.
func (in *interp) lexBuf(depth int) []byte {
	d := in.doc
	if depth < len(d.lexBufs) {
		return d.lexBufs[depth]
	}
	return nil
}

// putLexBuf keeps the window of lx for reuse, unless a long token grew it.
func (in *interp) putLexBuf(depth int, lx *lexer) {
	d := in.doc
	if len(lx.buf) > 1<<20 {
		return
	}
	for len(d.lexBufs) <= depth {
		d.lexBufs = append(d.lexBufs, nil)
	}
	d.lexBufs[depth] = lx.buf
}

// runContent interprets the content that src streams, with resources resv.
func (in *interp) runContent(src *contentSource, resv pdf.Value, depth int) {
	lx := newStreamLexer(src, in.lexBuf(depth))
	in.run(lx, resv, depth)
	src.close()
	in.putLexBuf(depth, lx)
	if lx.err != nil && in.limitErr == nil {
		in.limitErr = fmt.Errorf("%w: %v", ErrLimit, lx.err)
	}
}

// run interprets the content lx reads with the given resources.
func (in *interp) run(lx *lexer, resv pdf.Value, depth int) {
	saveRes := in.res
	in.res = &resources{v: resv}
	defer func() { in.res = saveRes }()
	in.ops = in.ops[:0]
	in.elems = in.elems[:0]
	in.strs = in.strs[:0]
	arrayStart := -1 // index in elems where the open array starts
	for !in.stopped {
		if len(in.ops)+len(in.elems) > maxOperands || len(in.strs) > maxOperandBytes {
			// Garbage, or a bomb: operands that no operator takes.
			in.lose("more than %d operands or %d bytes of strings before an operator: discarded", maxOperands, maxOperandBytes)
			in.ops, in.elems, in.strs = in.ops[:0], in.elems[:0], in.strs[:0]
			arrayStart = -1
		}
		t := lx.next()
		switch t.kind {
		case tokEOF:
			return
		case tokNumber:
			in.push(operand{kind: tokNumber, num: t.num}, arrayStart)
		case tokName, tokString:
			s := len(in.strs)
			in.strs = append(in.strs, t.text...)
			in.push(operand{kind: t.kind, start: s, end: len(in.strs)}, arrayStart)
		case tokArrayOpen:
			if arrayStart < 0 {
				arrayStart = len(in.elems)
			}
		case tokArrayClose:
			if arrayStart >= 0 {
				in.ops = append(in.ops, operand{kind: tokArrayOpen, start: arrayStart, end: len(in.elems)})
				arrayStart = -1
			}
		case tokDictOpen:
			skipDict(lx)
			in.push(operand{kind: tokDictOpen}, arrayStart)
		case tokDictClose:
		case tokOperator:
			if arrayStart >= 0 { // true/false/null inside an array
				in.elems = append(in.elems, operand{kind: tokOperator})
				continue
			}
			switch string(t.text) {
			case "true", "false", "null":
				in.ops = append(in.ops, operand{kind: tokOperator})
				continue
			case "ID":
				lx.skipInlineImage()
				in.page.Images++
			case "BX":
				in.compat++
			case "EX":
				in.compat = max(in.compat-1, 0)
			default:
				in.do(string(t.text), depth)
			}
			in.ops = in.ops[:0]
			in.elems = in.elems[:0]
			in.strs = in.strs[:0]
			in.nops++
			if in.nops&0xfff == 0 {
				in.checkLimits()
			}
		}
	}
}

const (
	// maxOperands and maxOperandBytes bound the operand stack between
	// two operators (array elements included), so that content without
	// operators cannot grow it without bound.
	maxOperands     = 1 << 17
	maxOperandBytes = 32 << 20
)

func (in *interp) checkLimits() {
	if in.nops > in.opts.MaxOperators {
		in.limitErr = fmt.Errorf("%w: more than %d operators", ErrLimit, in.opts.MaxOperators)
		in.stopped = true
	} else if time.Now().After(in.deadline) {
		in.limitErr = fmt.Errorf("%w: page took longer than %v", ErrLimit, in.opts.PageTimeout)
		in.stopped = true
	}
}

func (in *interp) push(o operand, arrayStart int) {
	if arrayStart >= 0 {
		in.elems = append(in.elems, o)
		return
	}
	in.ops = append(in.ops, o)
}

// skipDict moves past a dictionary whose "<<" was just read.
func skipDict(lx *lexer) {
	depth := 1
	for depth > 0 {
		switch lx.next().kind {
		case tokEOF:
			return
		case tokDictOpen:
			depth++
		case tokDictClose:
			depth--
		}
	}
}

// nums returns the last n operands as numbers; ok is false if there are
// fewer than n or one is not a number.
func (in *interp) nums(n int) (v [6]float64, ok bool) {
	if len(in.ops) < n || n > 6 {
		return v, false
	}
	base := len(in.ops) - n
	for i := 0; i < n; i++ {
		o := in.ops[base+i]
		if o.kind != tokNumber {
			return v, false
		}
		v[i] = o.num
	}
	return v, true
}

// lastOp returns the last operand if it has kind k.
func (in *interp) lastOp(k tokenKind) (operand, bool) {
	if len(in.ops) == 0 {
		return operand{}, false
	}
	o := in.ops[len(in.ops)-1]
	return o, o.kind == k
}

func (in *interp) bytesOf(o operand) []byte { return in.strs[o.start:o.end] }

func (in *interp) do(op string, depth int) {
	gs := &in.gs
	switch op {
	// Graphics state.
	case "q":
		if len(in.saved) < 512 {
			in.saved = append(in.saved, *gs)
		}
	case "Q":
		if n := len(in.saved); n > 0 {
			*gs = in.saved[n-1]
			in.saved = in.saved[:n-1]
		}
	case "cm":
		if v, ok := in.nums(6); ok {
			gs.ctm = matrix{v[0], v[1], v[2], v[3], v[4], v[5]}.mul(gs.ctm)
		}
	case "w":
		if v, ok := in.nums(1); ok {
			gs.lineWidth = math.Abs(v[0])
		}
	case "gs":
		in.extGState()

	// Colour.
	case "G":
		gs.strokeCS = csGray
		gs.strokeOff = in.white(csGray)
	case "g":
		gs.fillCS = csGray
		gs.fillOff = in.white(csGray)
	case "RG":
		gs.strokeCS = csRGB
		gs.strokeOff = in.white(csRGB)
	case "rg":
		gs.fillCS = csRGB
		gs.fillOff = in.white(csRGB)
	case "K":
		gs.strokeCS = csCMYK
		gs.strokeOff = in.white(csCMYK)
	case "k":
		gs.fillCS = csCMYK
		gs.fillOff = in.white(csCMYK)
	case "CS":
		gs.strokeCS = in.colorSpace()
		gs.strokeOff = false
	case "cs":
		gs.fillCS = in.colorSpace()
		gs.fillOff = false
	case "SC", "SCN":
		gs.strokeOff = in.white(gs.strokeCS)
	case "sc", "scn":
		gs.fillOff = in.white(gs.fillCS)

	// Paths.
	case "m":
		if v, ok := in.nums(2); ok {
			in.moveTo(v[0], v[1])
		}
	case "l":
		if v, ok := in.nums(2); ok {
			in.lineTo(v[0], v[1])
		}
	case "c":
		if v, ok := in.nums(6); ok {
			in.curveTo(v[4], v[5])
		}
	case "v", "y":
		if v, ok := in.nums(4); ok {
			in.curveTo(v[2], v[3])
		}
	case "h":
		in.closePath()
	case "re":
		if v, ok := in.nums(4); ok {
			in.rect(v[0], v[1], v[2], v[3])
		}
	case "S":
		in.paint(true, false)
	case "s":
		in.closePath()
		in.paint(true, false)
	case "f", "F", "f*":
		in.paint(false, true)
	case "B", "B*":
		in.paint(true, true)
	case "b", "b*":
		in.closePath()
		in.paint(true, true)
	case "n":
		in.clearPath()
	case "W", "W*", "sh":

	// XObjects.
	case "Do":
		if o, ok := in.lastOp(tokName); ok {
			in.xobject(string(in.bytesOf(o)), depth)
		}

	// Text.
	case "BT":
		in.tm, in.tlm = identity, identity
	case "ET":
	case "Tf":
		if len(in.ops) >= 2 && in.ops[len(in.ops)-2].kind == tokName && in.ops[len(in.ops)-1].kind == tokNumber {
			gs.font = in.font(string(in.bytesOf(in.ops[len(in.ops)-2])))
			gs.fontSize = in.ops[len(in.ops)-1].num
		}
	case "Tc":
		if v, ok := in.nums(1); ok {
			gs.charSpace = v[0]
		}
	case "Tw":
		if v, ok := in.nums(1); ok {
			gs.wordSpace = v[0]
		}
	case "Tz":
		if v, ok := in.nums(1); ok {
			gs.hScale = v[0] / 100
		}
	case "TL":
		if v, ok := in.nums(1); ok {
			gs.leading = v[0]
		}
	case "Ts":
		if v, ok := in.nums(1); ok {
			gs.rise = v[0]
		}
	case "Td":
		if v, ok := in.nums(2); ok {
			in.moveText(v[0], v[1])
		}
	case "TD":
		if v, ok := in.nums(2); ok {
			gs.leading = -v[1]
			in.moveText(v[0], v[1])
		}
	case "Tm":
		if v, ok := in.nums(6); ok {
			in.tm = matrix{v[0], v[1], v[2], v[3], v[4], v[5]}
			in.tlm = in.tm
		}
	case "T*":
		in.moveText(0, -gs.leading)
	case "Tj":
		if o, ok := in.lastOp(tokString); ok {
			in.show(in.bytesOf(o))
		}
	case "'":
		if o, ok := in.lastOp(tokString); ok {
			in.moveText(0, -gs.leading)
			in.show(in.bytesOf(o))
		}
	case "\"":
		if len(in.ops) >= 3 && in.ops[len(in.ops)-1].kind == tokString {
			a, b := in.ops[len(in.ops)-3], in.ops[len(in.ops)-2]
			if a.kind == tokNumber && b.kind == tokNumber {
				gs.wordSpace, gs.charSpace = a.num, b.num
			}
			in.moveText(0, -gs.leading)
			in.show(in.bytesOf(in.ops[len(in.ops)-1]))
		}
	case "TJ":
		if o, ok := in.lastOp(tokArrayOpen); ok {
			for _, e := range in.elems[o.start:o.end] {
				switch e.kind {
				case tokString:
					in.show(in.bytesOf(e))
				case tokNumber:
					in.adjust(e.num)
				}
			}
		}
	case "Tr":
	case "BDC", "BI", "BMC", "d", "d0", "d1", "DP", "EI", "EMC", "i", "j", "J", "M", "MP", "ri":
		// Defined, and nothing to do for text and rules.
	default:
		// Not an operator of PDF (ISO 32000-1, Annex A): an error of the
		// content outside BX/EX (see maxUndefinedOperators).
		if in.compat == 0 {
			in.undefinedOps++
		}
	}
}

func (in *interp) moveText(tx, ty float64) {
	in.tlm = matrix{1, 0, 0, 1, tx, ty}.mul(in.tlm)
	in.tm = in.tlm
}

// adjust applies a TJ number: a displacement of -n/1000 text space units.
func (in *interp) adjust(n float64) {
	gs := &in.gs
	d := -n / 1000 * gs.fontSize
	if gs.font != nil && gs.font.vertical {
		in.tm[4] += d * in.tm[2]
		in.tm[5] += d * in.tm[3]
		return
	}
	d *= gs.hScale
	in.tm[4] += d * in.tm[0]
	in.tm[5] += d * in.tm[1]
}

// show places the glyphs of one string operand (9.4.4).
func (in *interp) show(s []byte) {
	gs := &in.gs
	f := gs.font
	if f == nil {
		if len(s) > 0 {
			in.lose("text shown with no font selected")
		}
		return
	}
	fs, th := gs.fontSize, gs.hScale
	for len(s) > 0 {
		code, n := f.next(s)
		if n <= 0 {
			break
		}
		s = s[n:]
		g := f.glyph(code, n)
		// Text space to page space for this glyph.
		m := in.tm.mul(gs.ctm)
		if g.text != "" {
			in.emit(g, m, fs, th)
		} else if !g.blank {
			in.page.Unmapped++
			if f.damaged {
				in.lose("font %s could not be read: its text is lost", detailN(f.name, maxName))
			}
		}
		if f.vertical {
			ty := -g.vadvance*fs + gs.charSpace
			if g.space {
				ty += gs.wordSpace
			}
			in.tm[4] += ty * in.tm[2]
			in.tm[5] += ty * in.tm[3]
			continue
		}
		tx := g.width*fs + gs.charSpace
		if g.space {
			tx += gs.wordSpace
		}
		tx *= th
		in.tm[4] += tx * in.tm[0]
		in.tm[5] += tx * in.tm[1]
	}
}

// emit adds a glyph with its box to the page.
func (in *interp) emit(g *glyphInfo, m matrix, fs, th float64) {
	gs := &in.gs
	f := gs.font
	var x0, y0, x1, y1 float64
	if f.vertical {
		// Vertical writing: the origin is the top centre of the glyph (9.7.4.3).
		half := g.width * fs * th / 2
		adv := g.vadvance*fs - gs.charSpace
		x0, y0, x1, y1 = -half, -adv, half, 0
	} else {
		adv := (g.width*fs + gs.charSpace) * th
		if g.space {
			adv += gs.wordSpace * th
		}
		x0, x1 = 0, adv
		y0, y1 = gs.rise+f.descent*fs, gs.rise+f.ascent*fs
	}
	// Like poppler, drop glyphs whose origin lies off the visible page:
	// text that overflows a clipped cell or the page is not seen.
	ox, oy := m.apply(0, 0)
	ax, ay := m[0]*x1, m[1]*x1
	if !f.vertical && (ox+max(ax, 0) < 0 || ox+min(ax, 0) > in.page.Width || oy+max(ay, 0) < 0 || oy+min(ay, 0) > in.page.Height) {
		in.page.Offpage++
		return
	}
	var bx0, by0, bx1, by1 float64
	if m[1] == 0 && m[2] == 0 { // upright or mirrored: two corners suffice
		bx0, by0 = m.apply(x0, y0)
		bx1, by1 = m.apply(x1, y1)
	} else {
		ax, ay := m.apply(x0, y0)
		bx, by := m.apply(x1, y0)
		cx, cy := m.apply(x1, y1)
		dx, dy := m.apply(x0, y1)
		bx0, bx1 = min(ax, bx, cx, dx), max(ax, bx, cx, dx)
		by0, by1 = min(ay, by, cy, dy), max(ay, by, cy, dy)
	}
	if bx0 > bx1 {
		bx0, bx1 = bx1, bx0
	}
	if by0 > by1 {
		by0, by1 = by1, by0
	}
	size := math.Hypot(m[2], m[3]) * math.Abs(fs)
	if in.duplicate(g.text, bx0, by0, size) {
		in.page.Duplicates++
		return
	}
	in.page.Glyphs = append(in.page.Glyphs, Glyph{
		Text: g.text, Font: f.name, Size: size,
		X0: bx0, Y0: by0, X1: bx1, Y1: by1,
	})
}

// dupCell is the grid, in points, of the duplicate index.
const dupCell = 2.0

// dupTable indexes the page's glyphs by first rune and grid cell: an
// open-addressing hash table of packed keys (a Go map costs a fifth of the
// page's time here).
type dupTable struct {
	keys []uint64 // 0 = empty
	vals []int32
	n    int
}

func dupKey(r rune, cx, cy int32) uint64 {
	return uint64(r)<<42 | uint64(uint32(cx+1<<20)&(1<<21-1))<<21 | uint64(uint32(cy+1<<20)&(1<<21-1)) | 1<<63
}

func (t *dupTable) slot(k uint64) int {
	h := k * 0x9E3779B97F4A7C15
	mask := len(t.keys) - 1
	for i := int(h>>32) & mask; ; i = (i + 1) & mask {
		if t.keys[i] == 0 || t.keys[i] == k {
			return i
		}
	}
}

func (t *dupTable) get(k uint64) (int32, bool) {
	if len(t.keys) == 0 {
		return 0, false
	}
	i := t.slot(k)
	return t.vals[i], t.keys[i] == k
}

func (t *dupTable) put(k uint64, v int32) {
	if 2*(t.n+1) > len(t.keys) {
		old, oldv := t.keys, t.vals
		t.keys = make([]uint64, max(1024, 2*len(old)))
		t.vals = make([]int32, len(t.keys))
		t.n = 0
		for i, ok := range old {
			if ok != 0 {
				t.put(ok, oldv[i])
			}
		}
	}
	i := t.slot(k)
	if t.keys[i] == 0 {
		t.n++
	}
	t.keys[i], t.vals[i] = k, v
}

// duplicate reports whether the same text was already placed at nearly the
// same spot (within 0.1 of the font size across, 0.2 along y, as poppler's
// duplicate-word rule): producers overprint text several times to fake
// bold, and a reader sees it once. Otherwise it indexes the glyph that is
// about to be appended.
func (in *interp) duplicate(text string, x, y, size float64) bool {
	gx, gy := x/dupCell, y/dupCell
	cx, cy := int32(math.Floor(gx)), int32(math.Floor(gy))
	nx, ny := cx-1, cy-1 // the neighbouring cells nearest to the point
	if gx-math.Floor(gx) >= 0.5 {
		nx = cx + 1
	}
	if gy-math.Floor(gy) >= 0.5 {
		ny = cy + 1
	}
	r, _ := utf8.DecodeRuneInString(text)
	for _, k := range [4]uint64{dupKey(r, cx, cy), dupKey(r, nx, cy), dupKey(r, cx, ny), dupKey(r, nx, ny)} {
		if i, ok := in.dups.get(k); ok {
			o := in.page.Glyphs[i]
			if o.Text == text && math.Abs(o.X0-x) < 0.1*size && math.Abs(o.Y0-y) < 0.2*size && math.Abs(o.Size-size) < 0.05*size {
				return true
			}
		}
	}
	in.dups.put(dupKey(r, cx, cy), int32(len(in.page.Glyphs)))
	return false
}

// font returns the font resource name, loading it on first use.
func (in *interp) font(name string) *font {
	r := in.res
	if f, ok := r.fonts[name]; ok {
		return f
	}
	if r.fonts == nil {
		r.fonts = make(map[string]*font)
	}
	var f *font
	var err error
	if cerr := catch(func() { f, err = in.doc.loadFont(r.v, name) }); cerr != nil {
		f, err = fallbackFont(name), cerr
		f.damaged = true
	}
	if err != nil {
		in.warn("font %s: %v", detailN(name, maxName), err)
	}
	r.fonts[name] = f
	return f
}

// extGState applies the line width of an ExtGState resource (8.4.5); a
// damaged one is lost content.
func (in *interp) extGState() {
	if err := catch(in.applyExtGState); err != nil {
		in.lose("graphics state: %v", err)
	}
}

func (in *interp) applyExtGState() {
	o, ok := in.lastOp(tokName)
	if !ok {
		return
	}
	r := in.res
	name := string(in.bytesOf(o))
	w, ok := r.lineWidth[name]
	if !ok {
		if r.extGState.IsNull() {
			r.extGState = in.doc.get(r.v, "ExtGState")
		}
		w = -1
		g := in.doc.get(r.extGState, name)
		if lw := g.Key("LW"); lw.Kind() == pdf.Integer || lw.Kind() == pdf.Real {
			w = math.Abs(num(lw))
		}
		if r.lineWidth == nil {
			r.lineWidth = make(map[string]float64)
		}
		r.lineWidth[name] = w
	}
	if w >= 0 {
		in.gs.lineWidth = w
	}
}

// colorSpace classifies the colour space named by the last operand; a
// damaged one is lost content (and taken as visible).
func (in *interp) colorSpace() (cs colorSpace) {
	if err := catch(func() { cs = in.lookupColorSpace() }); err != nil {
		in.lose("colour space: %v", err)
		return csOther
	}
	return cs
}

func (in *interp) lookupColorSpace() colorSpace {
	o, ok := in.lastOp(tokName)
	if !ok {
		return csOther
	}
	name := string(in.bytesOf(o))
	switch name {
	case "DeviceGray", "G", "CalGray":
		return csGray
	case "DeviceRGB", "RGB", "CalRGB":
		return csRGB
	case "DeviceCMYK", "CMYK":
		return csCMYK
	case "Pattern":
		return csOther
	}
	if in.res.colors.IsNull() {
		in.res.colors = in.doc.get(in.res.v, "ColorSpace")
	}
	v := in.doc.get(in.res.colors, name)
	if v.Kind() == pdf.Array {
		switch v.Index(0).Name() {
		case "ICCBased":
			switch v.Index(1).Key("N").Int64() {
			case 1:
				return csGray
			case 3:
				return csRGB
			case 4:
				return csCMYK
			}
		case "CalGray":
			return csGray
		case "CalRGB", "Lab":
			return csRGB
		case "Separation", "DeviceN":
			return csSeparation
		}
	}
	return csOther
}

// white reports whether the numeric operands set white in colour space cs.
func (in *interp) white(cs colorSpace) bool {
	var n int
	switch cs {
	case csGray, csSeparation:
		n = 1
	case csRGB:
		n = 3
	case csCMYK:
		n = 4
	default:
		return false
	}
	v, ok := in.nums(n)
	if !ok {
		return false
	}
	const hi, lo = 0.97, 0.03
	switch cs {
	case csGray:
		return v[0] >= hi
	case csSeparation:
		return v[0] <= lo
	case csRGB:
		return v[0] >= hi && v[1] >= hi && v[2] >= hi
	default:
		return v[0] <= lo && v[1] <= lo && v[2] <= lo && v[3] <= lo
	}
}

// xobject draws a form XObject or counts an image. A damaged or missing
// XObject is lost content.
func (in *interp) xobject(name string, depth int) {
	var x pdf.Value
	if err := catch(func() {
		if in.res.xobject.IsNull() {
			in.res.xobject = in.doc.get(in.res.v, "XObject")
		}
		x = in.doc.get(in.res.xobject, name)
		x.Key("Subtype") // may need the object layer too
	}); err != nil {
		in.lose("XObject %s: %v", detailN(name, maxName), err)
		return
	}
	switch x.Key("Subtype").Name() {
	case "Image":
		in.page.Images++
		return
	case "Form":
	default:
		if x.IsNull() {
			in.lose("XObject %s: not in the resources", detailN(name, maxName))
		}
		return
	}
	if depth+1 > in.opts.MaxFormDepth {
		in.lose("form XObject %s nested deeper than %d: skipped", detailN(name, maxName), in.opts.MaxFormDepth)
		return
	}
	var res pdf.Value
	var fm matrix
	hasMatrix := false
	if err := catch(func() {
		res = in.doc.get(x, "Resources")
		if m := x.Key("Matrix"); m.Kind() == pdf.Array && m.Len() == 6 {
			for i := range fm {
				fm[i] = num(m.Index(i))
			}
			hasMatrix = true
		}
	}); err != nil {
		in.lose("form XObject %s: %v", detailN(name, maxName), err)
		return
	}
	if res.IsNull() {
		res = in.res.v // a form without resources uses its parent's (7.8.3)
	}
	saved := in.gs
	savedStack := append([]gstate(nil), in.saved...)
	savedTM, savedTLM := in.tm, in.tlm
	if hasMatrix {
		in.gs.ctm = fm.mul(in.gs.ctm)
	}
	// The form's own operand stack: run resets it, so keep ours.
	ops, elems, strs := in.ops, in.elems, in.strs
	in.ops, in.elems, in.strs = nil, nil, nil
	// Operators PDF does not define are counted per content stream, so
	// that a form drawn many times counts once.
	undefined, compat := in.undefinedOps, in.compat
	in.undefinedOps, in.compat = 0, 0
	src := &contentSource{in: in, streams: []pdf.Value{x}}
	in.runContent(src, res, depth+1)
	if src.err != nil {
		in.lose("form XObject %s: %v", detailN(name, maxName), src.err)
	}
	in.noteUndefined("form XObject " + detailN(name, maxName) + "'s content")
	in.undefinedOps, in.compat = undefined, compat
	in.ops, in.elems, in.strs = ops, elems, strs
	in.gs = saved
	in.saved = savedStack
	in.tm, in.tlm = savedTM, savedTLM
}

// catch runs f, turning a panic of the object layer into an error.
func catch(f func()) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = damaged("%s", x)
		}
	}()
	f()
	return nil
}

// noteUndefined says what operators PDF does not define the content just
// run (of what) held: more than maxUndefinedOperators lose it.
func (in *interp) noteUndefined(what string) {
	switch n := in.undefinedOps; {
	case n > maxUndefinedOperators:
		in.lose("%d operators that PDF does not define in %s: it is damaged, or not content", n, what)
	case n > 0:
		in.warn("%d operator(s) that PDF does not define in %s: skipped", n, what)
	}
}

// maxUndefinedOperators is how many operators PDF does not define a
// content stream (a page's, a form's) may hold before the page is taken
// to have lost content: a stream read without its filter (its /Filter key
// damaged) or garbage decodes to dozens; a producer's stray operator is
// one or two, and is only said.
const maxUndefinedOperators = 8
