// Copyright 2014 The Go Authors.  All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pdf

// Stream filters (PDF 32000-1, 7.4): FlateDecode with the PNG and TIFF
// predictors, ASCII85Decode, ASCIIHexDecode and RunLengthDecode. Every
// filter decodes as it is read, so a stream is never held whole in memory.

import (
	"bufio"
	"compress/zlib"
	"encoding/ascii85"
	"fmt"
	"io"
)

// maxPredictorRow bounds the row of a predictor, in bytes: /Columns comes
// from the file, and a row is allocated.
const maxPredictorRow = 1 << 20

// applyFilter wraps rd in the filter name. A Flate stream whose Adler-32
// checksum is wrong adds one to *badChecksums (when not nil).
func applyFilter(rd io.Reader, name string, param Value, badChecksums *int) io.Reader {
	switch name {
	default:
		panic("unknown filter " + name)
	case "FlateDecode", "Fl":
		zr, err := zlib.NewReader(rd)
		if err != nil {
			panic(err)
		}
		return predictor(&flateReader{r: zr, bad: badChecksums}, param)
	case "ASCII85Decode", "A85":
		return ascii85.NewDecoder(newAlphaReader(rd))
	case "ASCIIHexDecode", "AHx":
		return &asciiHexReader{r: bufio.NewReader(rd)}
	case "RunLengthDecode", "RL":
		return &runLengthReader{r: bufio.NewReader(rd)}
	}
}

// flateReader ignores a wrong Adler-32 checksum at the end of Flate
// data, as poppler does: the data before it is all there, though it may
// not be what was compressed. It counts the stream in *bad, once.
type flateReader struct {
	r       io.Reader
	bad     *int // nil: not counted
	counted bool
}

func (f *flateReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == zlib.ErrChecksum {
		if f.bad != nil && !f.counted {
			*f.bad++
			f.counted = true
		}
		err = io.EOF
	}
	return n, err
}

// predictor wraps rd in the predictor that param asks for (7.4.4.4).
func predictor(rd io.Reader, param Value) io.Reader {
	pred := param.Key("Predictor").Int64()
	if pred <= 1 {
		return rd
	}
	colors, bpc, columns := int64(1), int64(8), int64(1)
	if v := param.Key("Colors"); v.Kind() == Integer {
		colors = v.Int64()
	}
	if v := param.Key("BitsPerComponent"); v.Kind() == Integer {
		bpc = v.Int64()
	}
	if v := param.Key("Columns"); v.Kind() == Integer {
		columns = v.Int64()
	}
	if colors < 1 || colors > 32 || bpc < 1 || bpc > 16 || columns < 1 || columns > maxPredictorRow {
		panic(fmt.Errorf("malformed predictor parameters: Colors %d, BitsPerComponent %d, Columns %d", colors, bpc, columns))
	}
	row := (colors*bpc*columns + 7) / 8
	if row > maxPredictorRow {
		panic(fmt.Errorf("predictor row of %d bytes is too long", row))
	}
	bpp := int(max((colors*bpc)/8, 1))
	switch {
	case pred == 2:
		if bpc != 8 {
			panic(fmt.Errorf("TIFF predictor with %d bits per component is not supported", bpc))
		}
		return &tiffReader{r: rd, bpp: bpp, row: make([]byte, row)}
	case pred >= 10 && pred <= 15:
		return &pngReader{r: rd, bpp: bpp, prev: make([]byte, row), cur: make([]byte, 1+row)}
	}
	panic(fmt.Errorf("unknown predictor %d", pred))
}

// pngReader undoes the PNG predictors: each row starts with the type of
// the filter applied to it (None, Sub, Up, Average, Paeth).
type pngReader struct {
	r    io.Reader
	bpp  int    // bytes per pixel, at least 1
	prev []byte // the previous decoded row
	cur  []byte // the filter type and the current row
	pend []byte // decoded bytes not yet returned
	err  error
}

func (r *pngReader) Read(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		if len(r.pend) > 0 {
			m := copy(b, r.pend)
			n += m
			b = b[m:]
			r.pend = r.pend[m:]
			continue
		}
		if r.err != nil {
			return n, r.err
		}
		got, err := io.ReadFull(r.r, r.cur)
		if err != nil {
			if err == io.ErrUnexpectedEOF {
				err = io.EOF // a last, short row is decoded as far as it goes
			}
			r.err = err
			if got <= 1 {
				continue
			}
		}
		row := r.cur[1:got]
		prev := r.prev
		switch r.cur[0] {
		case 0:
		case 1:
			for i := r.bpp; i < len(row); i++ {
				row[i] += row[i-r.bpp]
			}
		case 2:
			for i := range row {
				row[i] += prev[i]
			}
		case 3:
			for i := range row {
				var left byte
				if i >= r.bpp {
					left = row[i-r.bpp]
				}
				row[i] += byte((int(left) + int(prev[i])) / 2)
			}
		case 4:
			for i := range row {
				var a, c byte
				if i >= r.bpp {
					a, c = row[i-r.bpp], prev[i-r.bpp]
				}
				row[i] += paeth(a, prev[i], c)
			}
		default:
			r.err = fmt.Errorf("malformed PNG predictor: row filter type %d", r.cur[0])
			continue
		}
		copy(r.prev, row)
		r.pend = r.prev[:len(row)]
	}
	return n, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// tiffReader undoes TIFF predictor 2 for 8-bit components: each byte is
// the difference from the same component of the pixel to its left.
type tiffReader struct {
	r    io.Reader
	bpp  int
	row  []byte
	pend []byte
	err  error
}

func (r *tiffReader) Read(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		if len(r.pend) > 0 {
			m := copy(b, r.pend)
			n += m
			b = b[m:]
			r.pend = r.pend[m:]
			continue
		}
		if r.err != nil {
			return n, r.err
		}
		got, err := io.ReadFull(r.r, r.row)
		if err != nil {
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			r.err = err
		}
		row := r.row[:got]
		for i := r.bpp; i < len(row); i++ {
			row[i] += row[i-r.bpp]
		}
		r.pend = row
	}
	return n, nil
}

// asciiHexReader decodes ASCIIHexDecode (7.4.2): pairs of hexadecimal
// digits up to '>', white space ignored, a final odd digit followed by 0.
type asciiHexReader struct {
	r   *bufio.Reader
	eof bool
}

func (r *asciiHexReader) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) && !r.eof {
		var v [2]int
		k := 0
		for k < 2 {
			c, err := r.r.ReadByte()
			if err != nil || c == '>' {
				r.eof = true
				break
			}
			if d := unhex(c); d >= 0 {
				v[k] = d
				k++
			} else if !isSpace(c) {
				r.eof = true
				return n, fmt.Errorf("malformed ASCIIHexDecode data: byte %#x", c)
			}
		}
		if k == 0 {
			break
		}
		b[n] = byte(v[0]<<4 | v[1])
		n++
	}
	if n == 0 && r.eof {
		return 0, io.EOF
	}
	return n, nil
}

// runLengthReader decodes RunLengthDecode (7.4.5).
type runLengthReader struct {
	r      *bufio.Reader
	copyN  int  // literal bytes still to copy
	repeat int  // times rep is still to be repeated
	rep    byte // the repeated byte
	eof    bool
}

func (r *runLengthReader) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		switch {
		case r.copyN > 0:
			c, err := r.r.ReadByte()
			if err != nil {
				r.eof, r.copyN = true, 0
				continue
			}
			b[n] = c
			n++
			r.copyN--
		case r.repeat > 0:
			b[n] = r.rep
			n++
			r.repeat--
		case r.eof:
			if n == 0 {
				return 0, io.EOF
			}
			return n, nil
		default:
			l, err := r.r.ReadByte()
			switch {
			case err != nil || l == 128:
				r.eof = true
			case l < 128:
				r.copyN = int(l) + 1
			default:
				c, err := r.r.ReadByte()
				if err != nil {
					r.eof = true
					continue
				}
				r.rep, r.repeat = c, 257-int(l)
			}
		}
	}
	return n, nil
}
