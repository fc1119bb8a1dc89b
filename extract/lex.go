package extract

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// This file is the content-stream lexer (PDF 32000-1, 7.2 and 7.8.2). It
// reads decoded content from an io.Reader through a window (64 KiB, grown
// only for a longer token, up to maxToken), or from bytes in memory, and
// produces one token at a time without allocating for the common tokens:
// numbers are parsed in place, names and strings without escapes point
// into the window. Memory is bounded by the longest token, not by the
// size of the content.

// tokenKind is the kind of a content-stream token.
type tokenKind uint8

const (
	tokEOF        tokenKind = iota
	tokNumber               // 12, -3.5, .5
	tokName                 // /F1 (text is the name without the slash, #xx decoded)
	tokString               // (abc) or <616263> (text is the decoded bytes)
	tokArrayOpen            // [
	tokArrayClose           // ]
	tokDictOpen             // <<
	tokDictClose            // >>
	tokOperator             // Tj, re, BT, true, null ...
)

// token is one lexical token. text aliases the lexer's input or scratch
// buffer and is valid only until the next call to next.
type token struct {
	kind tokenKind
	num  float64
	text []byte
}

// lexer tokenizes a content stream.
type lexer struct {
	data    []byte // the window: data[pos:] is not consumed yet
	pos     int
	scratch []byte // decoded strings and names with escapes

	// Streaming (src not nil): fill reads src into buf, and data is a
	// window of buf. Without src, data is all the input.
	src     io.Reader
	buf     []byte // backing array of data
	eof     bool   // src is exhausted: data holds the rest of the input
	err     error  // why src ended, if not io.EOF
	short   bool   // the last scan ran out of data inside a token
	comment bool   // inside a comment when the window ran out
}

const (
	// lexWindow is the initial window of a streaming lexer.
	lexWindow = 64 << 10
	// maxToken bounds one token (a string, a name, a number) of streamed
	// content; a longer one ends the content with errTokenTooLong.
	maxToken = 16 << 20
)

var errTokenTooLong = fmt.Errorf("a content token over %d bytes", maxToken)

// newStreamLexer returns a lexer reading src through buf (which it may
// grow; pass nil for a new one).
func newStreamLexer(src io.Reader, buf []byte) *lexer {
	if cap(buf) < lexWindow {
		buf = make([]byte, lexWindow)
	}
	return &lexer{src: src, buf: buf[:cap(buf)], data: buf[:0]}
}

// more reports whether input may follow the window.
func (l *lexer) more() bool { return l.src != nil && !l.eof }

// fill keeps data[pos:], reads more input after it until the window is
// full and reports whether it read anything. A window full of one token is
// doubled up to maxToken.
func (l *lexer) fill() bool {
	if !l.more() {
		return false
	}
	keep := len(l.data) - l.pos
	if keep == len(l.buf) {
		if len(l.buf) >= maxToken {
			l.eof, l.err = true, errTokenTooLong
			return false
		}
		nb := make([]byte, min(2*len(l.buf), maxToken))
		copy(nb, l.data[l.pos:])
		l.buf = nb
	} else {
		copy(l.buf, l.data[l.pos:])
	}
	l.data, l.pos = l.buf[:keep], 0
	// Fill the window: a token is scanned again from its start after each
	// fill, so filling it whole keeps a long token's cost linear.
	got := 0
	for tries := 0; len(l.data) < len(l.buf); tries++ {
		n, err := l.src.Read(l.buf[len(l.data):])
		l.data = l.buf[:len(l.data)+n]
		got += n
		if err != nil {
			l.eof = true
			if err != io.EOF {
				l.err = err
			}
			break
		}
		if n == 0 && tries > 100 {
			l.eof, l.err = true, io.ErrNoProgress
			break
		}
	}
	return got > 0
}

func isWhite(c byte) bool {
	switch c {
	case ' ', '\n', '\r', '\t', '\f', 0:
		return true
	}
	return false
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// next returns the next token; tokEOF at the end of the input (or when
// the input failed: see err).
func (l *lexer) next() token {
again:
	d := l.data
	start := l.pos
	for start < len(d) && isWhite(d[start]) { // the common case, inline
		start++
	}
	l.pos = start
	if start == len(d) || d[start] == '%' || l.comment {
		if !l.skip() {
			return token{kind: tokEOF}
		}
		d = l.data
		start = l.pos
	}
	c := d[start]
	// Each scan returns its token unless it ran out of window inside it
	// (l.short), which falls through to reading more.
	switch {
	case c == '/':
		if t := l.name(); !l.short {
			return t
		}
	case c == '(':
		if t := l.literal(); !l.short {
			return t
		}
	case c == '<':
		if start+1 >= len(d) && l.more() {
			l.short = true
		} else if start+1 < len(d) && d[start+1] == '<' {
			l.pos += 2
			return token{kind: tokDictOpen}
		} else if t := l.hex(); !l.short {
			return t
		}
	case c == '>':
		if start+1 >= len(d) && l.more() {
			l.short = true
			break
		}
		l.pos++
		if l.pos < len(d) && d[l.pos] == '>' {
			l.pos++
			return token{kind: tokDictClose}
		}
		goto again // a stray '>'
	case c == '[':
		l.pos++
		return token{kind: tokArrayOpen}
	case c == ']':
		l.pos++
		return token{kind: tokArrayClose}
	case c == '{' || c == '}' || c == ')':
		l.pos++ // PostScript braces or a stray ')' mean nothing here
		goto again
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		if t := l.number(); !l.short {
			return t
		}
	default:
		i := start
		for i < len(d) && !isWhite(d[i]) && !isDelim(d[i]) {
			i++
		}
		l.pos = i
		if i < len(d) || !l.more() {
			return token{kind: tokOperator, text: d[start:i]}
		}
		l.short = true
	}
	if l.short {
		// The token may go on after the window: read more and scan it
		// again from its start.
		l.short = false
		l.pos = start
		if !l.fill() && !l.eof {
			return token{kind: tokEOF}
		}
		goto again
	}
	return token{kind: tokEOF} // not reached
}

// skip moves past white space and comments, reading more input as
// needed. It reports whether a token follows.
func (l *lexer) skip() bool {
	for {
		d := l.data
		i := l.pos
		if l.comment { // a comment that went on past the last window
			for i < len(d) && d[i] != '\n' && d[i] != '\r' {
				i++
			}
			if i < len(d) {
				l.comment = false
			}
		}
		for i < len(d) {
			c := d[i]
			if isWhite(c) {
				i++
				continue
			}
			if c != '%' {
				l.pos = i
				return true
			}
			for i < len(d) && d[i] != '\n' && d[i] != '\r' { // comment to end of line
				i++
			}
			if i == len(d) {
				l.comment = true
			}
		}
		l.pos = i
		if !l.fill() {
			return false
		}
	}
}

// end reports that a scan reached the end of the window inside a token;
// if more input may follow, the token is scanned again (see next).
func (l *lexer) end() {
	if l.more() {
		l.short = true
	}
}

func (l *lexer) number() token {
	d := l.data
	start := l.pos
	l.pos++
	for l.pos < len(d) {
		c := d[l.pos]
		if (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' {
			l.pos++
			continue
		}
		break
	}
	if l.pos == len(d) {
		l.end()
	}
	s := d[start:l.pos]
	if v, ok := parseSimpleNumber(s); ok {
		return token{kind: tokNumber, num: v}
	}
	// Malformed numbers such as "--5" or "1.2.3": read what parses, as
	// poppler does; pure garbage reads as 0.
	t := bytes.TrimLeft(s, "+-")
	neg := len(t) < len(s) && bytes.IndexByte(s[:len(s)-len(t)], '-') >= 0
	end := 0
	dot := false
	for end < len(t) && (t[end] >= '0' && t[end] <= '9' || t[end] == '.' && !dot) {
		dot = dot || t[end] == '.'
		end++
	}
	f, err := strconv.ParseFloat(string(t[:end]), 64)
	if err != nil {
		f = 0
	}
	if neg {
		f = -f
	}
	return token{kind: tokNumber, num: f}
}

// parseSimpleNumber parses [+-]digits[.digits] without allocating.
func parseSimpleNumber(s []byte) (float64, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	var v float64
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		v = v*10 + float64(s[i]-'0')
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		scale := 1.0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			scale /= 10
			v += float64(s[i]-'0') * scale
			digits++
		}
	}
	if i != len(s) || digits == 0 {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func (l *lexer) name() token {
	d := l.data
	l.pos++ // '/'
	start := l.pos
	escaped := false
	for l.pos < len(d) && !isWhite(d[l.pos]) && !isDelim(d[l.pos]) {
		if d[l.pos] == '#' {
			escaped = true
		}
		l.pos++
	}
	if l.pos == len(d) {
		l.end()
	}
	s := d[start:l.pos]
	if !escaped {
		return token{kind: tokName, text: s}
	}
	l.scratch = l.scratch[:0]
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && i+2 < len(s) {
			h, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				l.scratch = append(l.scratch, h<<4|lo)
				i += 2
				continue
			}
		}
		l.scratch = append(l.scratch, s[i])
	}
	return token{kind: tokName, text: l.scratch}
}

func (l *lexer) hex() token {
	d := l.data
	l.pos++ // '<'
	l.scratch = l.scratch[:0]
	var hi byte
	half := false
	for l.pos < len(d) && d[l.pos] != '>' {
		v, ok := unhex(d[l.pos])
		l.pos++
		if !ok {
			continue // white space and junk are ignored
		}
		if half {
			l.scratch = append(l.scratch, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if l.pos == len(d) {
		l.end()
	}
	if half { // odd digit count: last digit is followed by 0 (7.3.4.3)
		l.scratch = append(l.scratch, hi<<4)
	}
	if l.pos < len(d) {
		l.pos++ // '>'
	}
	return token{kind: tokString, text: l.scratch}
}

func (l *lexer) literal() token {
	d := l.data
	l.pos++ // '('
	start := l.pos
	depth := 1
	// Fast scan: no backslash, balanced parentheses.
	for i := l.pos; i < len(d); i++ {
		switch d[i] {
		case '\\':
			return l.literalSlow(start)
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				l.pos = i + 1
				return token{kind: tokString, text: d[start:i]}
			}
		case '\r':
			return l.literalSlow(start) // end-of-line normalization
		}
	}
	l.pos = len(d)
	l.end()
	return token{kind: tokString, text: d[start:]}
}

func (l *lexer) literalSlow(start int) token {
	d := l.data
	l.scratch = l.scratch[:0]
	depth := 1
	i := start
	for ; i < len(d); i++ {
		c := d[i]
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				l.pos = i + 1
				return token{kind: tokString, text: l.scratch}
			}
		case '\r':
			if i+1 < len(d) && d[i+1] == '\n' {
				i++
			}
			c = '\n'
		case '\\':
			i++
			if i >= len(d) {
				continue
			}
			c = d[i]
			switch c {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if i+1 < len(d) && d[i+1] == '\n' {
					i++
				}
				continue // line continuation
			case '\n':
				continue
			case '0', '1', '2', '3', '4', '5', '6', '7':
				v := int(c - '0')
				for k := 0; k < 2 && i+1 < len(d) && d[i+1] >= '0' && d[i+1] <= '7'; k++ {
					i++
					v = v*8 + int(d[i]-'0')
				}
				c = byte(v)
			}
		}
		l.scratch = append(l.scratch, c)
	}
	l.pos = len(d)
	l.end()
	return token{kind: tokString, text: l.scratch}
}

// skipInlineImage moves past the data of an inline image after its ID
// operator, to just after the closing EI (8.9.7). The data is binary, so EI is
// accepted only between white space (or at the end of the data). Streamed
// image data is not kept: the window slides over it.
func (l *lexer) skipInlineImage() {
	if l.pos >= len(l.data) {
		l.fill()
	}
	if l.pos < len(l.data) && isWhite(l.data[l.pos]) {
		l.pos++
	}
	// The last three bytes seen; the start of the data counts as white.
	b3, b2, b1 := byte(' '), byte(0), byte(0)
	for {
		d := l.data
		for i := l.pos; i < len(d); i++ {
			if b2 == 'E' && b1 == 'I' && isWhite(b3) && isWhite(d[i]) {
				l.pos = i
				return
			}
			b3, b2, b1 = b2, b1, d[i]
		}
		l.pos = len(d)
		if !l.fill() {
			return // EI at the very end, or no EI: the image ends the data
		}
	}
}
