package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/budgetpdf/budgetpdf/extract"
	"github.com/budgetpdf/budgetpdf/normalize"
)

// openPages opens FILE and calls fn for each selected page. Page errors are
// reported on stderr and counted; the page is still passed on with what
// could be read.
func openPages(file, pagesFlag string, stderr io.Writer, fn func(p *extract.Page) error) error {
	ps, err := parsePages(pagesFlag)
	if err != nil {
		return err
	}
	doc, err := extract.OpenFile(file, nil)
	if err != nil {
		return exitError{err}
	}
	defer doc.Close()
	failed, withText := 0, 0
	selected := ps.pages(doc.NumPages())
	for _, n := range selected {
		p, err := doc.Page(n)
		if err != nil {
			failed++
			fmt.Fprintf(stderr, "budgetpdf: %v\n", err)
		}
		if p == nil {
			continue
		}
		for _, w := range p.Warnings {
			fmt.Fprintf(stderr, "budgetpdf: %s: page %d: warning: %s\n", file, n, w)
		}
		if p.HasText() {
			withText++
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	if withText == 0 && len(selected) > 0 && failed == 0 {
		return exitError{fmt.Errorf("%s: %w: %d page(s) of images only", file, extract.ErrNoTextLayer, len(selected))}
	}
	if failed > 0 {
		return exitError{fmt.Errorf("%s: %d page(s) could not be read completely", file, failed)}
	}
	return nil
}

func cmdText(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("text", flag.ContinueOnError)
	pages := fs.String("pages", "", "pages to show, e.g. 3-5,7 (default all)")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fmt.Errorf("%w: want one FILE", errUsage)
	}
	w := bufio.NewWriter(stdout)
	err = openPages(files[0], *pages, stderr, func(p *extract.Page) error {
		fmt.Fprintf(w, "--- page %d (%.0fx%.0f pt) ---\n", p.Number, p.Width, p.Height)
		for _, l := range normalize.Lines(p.Glyphs, nil) {
			w.WriteString(l.Text)
			w.WriteByte('\n')
		}
		return nil
	})
	return errors.Join(err, w.Flush())
}

func cmdGlyphs(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("glyphs", flag.ContinueOnError)
	pages := fs.String("pages", "", "pages to show, e.g. 3-5,7 (default all)")
	asJSON := fs.Bool("json", false, "one JSON object per glyph and per line")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fmt.Errorf("%w: want one FILE", errUsage)
	}
	w := bufio.NewWriterSize(stdout, 1<<16)
	var buf []byte
	err = openPages(files[0], *pages, stderr, func(p *extract.Page) error {
		for _, g := range p.Glyphs {
			if *asJSON {
				buf = appendGlyphJSON(buf[:0], p.Number, g)
			} else {
				buf = fmt.Appendf(buf[:0], "%d\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%.2f\n", p.Number, g.Text, g.X0, g.Y0, g.X1, g.Y1, g.Font, g.Size)
			}
			w.Write(buf)
		}
		for _, l := range p.Lines {
			if *asJSON {
				buf = appendLineJSON(buf[:0], p.Number, l)
			} else {
				buf = fmt.Appendf(buf[:0], "%d\tline\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\n", p.Number, l.X0, l.Y0, l.X1, l.Y1, l.Width)
			}
			w.Write(buf)
		}
		return nil
	})
	return errors.Join(err, w.Flush())
}

// appendGlyphJSON writes {"page":1,"text":"x","x0":...,"font":...,"size":...}.
func appendGlyphJSON(b []byte, page int, g extract.Glyph) []byte {
	b = append(b, `{"page":`...)
	b = strconv.AppendInt(b, int64(page), 10)
	b = append(b, `,"text":`...)
	b = appendJSONString(b, g.Text)
	b = appendCoords(b, g.X0, g.Y0, g.X1, g.Y1)
	b = append(b, `,"font":`...)
	b = appendJSONString(b, g.Font)
	b = append(b, `,"size":`...)
	b = appendFixed2(b, g.Size)
	return append(b, "}\n"...)
}

// appendLineJSON writes {"page":1,"kind":"line","x0":...,"width":...}.
func appendLineJSON(b []byte, page int, l extract.Line) []byte {
	b = append(b, `{"page":`...)
	b = strconv.AppendInt(b, int64(page), 10)
	b = append(b, `,"kind":"line"`...)
	b = appendCoords(b, l.X0, l.Y0, l.X1, l.Y1)
	b = append(b, `,"width":`...)
	b = appendFixed2(b, l.Width)
	return append(b, "}\n"...)
}

func appendCoords(b []byte, x0, y0, x1, y1 float64) []byte {
	for i, v := range [4]float64{x0, y0, x1, y1} {
		b = append(b, `,"`...)
		b = append(b, "x0y0x1y1"[2*i:2*i+2]...)
		b = append(b, `":`...)
		b = appendFixed2(b, v)
	}
	return b
}

// appendFixed2 appends v rounded to 1/100 pt (plenty for layout), without
// trailing zeros: 12.5, 3, -0.25. It is much faster than AppendFloat.
func appendFixed2(b []byte, v float64) []byte {
	if v != v || v > 1e15 || v < -1e15 { // NaN or absurd: keep JSON valid
		return append(b, '0')
	}
	n := int64(v*100 + 0.5)
	if v < 0 {
		n = int64(v*100 - 0.5)
	}
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/100, 10)
	if frac := n % 100; frac != 0 {
		b = append(b, '.', byte('0'+frac/10))
		if frac%10 != 0 {
			b = append(b, byte('0'+frac%10))
		}
	}
	return b
}

// appendJSONString appends s as a JSON string (RFC 8259), UTF-8 kept as is.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
