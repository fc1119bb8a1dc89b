package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/budgetpdf/budgetpdf/extract"
	"github.com/budgetpdf/budgetpdf/normalize"
	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/budgetpdf/budgetpdf/schema"
)

// openPages opens FILE and calls fn for each selected page. Page errors
// and warnings are reported on stderr (see pageLog); the page is still
// passed on with what could be read.
func openPages(file, pagesFlag, password string, stderr io.Writer, fn func(p *extract.Page) error) error {
	ps, err := parsePages(pagesFlag)
	if err != nil {
		return err
	}
	doc, err := extract.OpenFile(file, &extract.Options{Password: password})
	if err != nil {
		return exitError{err}
	}
	defer doc.Close()
	log := pageLog{w: stderr, file: file}
	var layer pipeline.TextLayer
	for _, n := range ps.pages(doc.NumPages()) {
		p, err := doc.Page(n)
		log.page(p, err)
		if p == nil {
			continue
		}
		layer.Add(p)
		if err := fn(p); err != nil {
			return err
		}
	}
	return log.result(layer.Err())
}

// readFile reads FILE's tables for the commands on one file (tables,
// debug), with pipeline.ReadDocument: the pages selected, each page's
// error and warnings on stderr as it is read. It returns nil and the error
// when the file could not be read; otherwise the result, with an error
// when the document has no text layer or pages could not be read (exit
// status 1).
func readFile(file, pagesFlag, password string, keepPages bool, stderr io.Writer) (*pipeline.Result, error) {
	ps, err := parsePages(pagesFlag)
	if err != nil {
		return nil, err
	}
	log := pageLog{w: stderr, file: file}
	opts := &pipeline.Options{Pages: ps.pages, MaxPages: math.MaxInt32, Password: password, KeepPages: keepPages, OnPage: log.page}
	res, err := pipeline.ReadDocument(context.Background(), file, opts)
	switch res.Document.Status {
	case schema.StatusFailed:
		return nil, exitError{err}
	case schema.StatusNoTextLayer:
		return res, log.result(err)
	}
	return res, log.result(nil)
}

// passwordFlag defines -password for the commands on one file.
func passwordFlag(fs *flag.FlagSet) *string {
	return fs.String("password", "", "user or owner password of an encrypted file (the empty user password is always tried)")
}

// pageLog reports the pages of one file as they are read: each page's
// error and warnings go to w, and the pages that could not be read
// completely (an error, or content lost) are counted.
type pageLog struct {
	w      io.Writer
	file   string
	failed int
}

func (l *pageLog) page(p *extract.Page, err error) {
	if err != nil {
		l.failed++
		fmt.Fprintf(l.w, "budgetpdf: %v\n", err)
	}
	if p == nil {
		return
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(l.w, "budgetpdf: %s: page %d: warning: %s\n", l.file, p.Number, w)
	}
	if err == nil && p.Lost {
		l.failed++
		fmt.Fprintf(l.w, "budgetpdf: %s: page %d: content lost (see the warnings above)\n", l.file, p.Number)
	}
}

// result is the error of a command that read the pages, for its exit
// status: no text layer (noText, from pipeline.TextLayer) first, then
// pages not read completely.
func (l *pageLog) result(noText error) error {
	if noText != nil {
		return exitError{fmt.Errorf("%s: %w", l.file, noText)}
	}
	if l.failed > 0 {
		return exitError{fmt.Errorf("%s: %d page(s) could not be read completely", l.file, l.failed)}
	}
	return nil
}

func cmdText(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("text", flag.ContinueOnError)
	pages := fs.String("pages", "", "pages to show, e.g. 3-5,7 (default all)")
	password := passwordFlag(fs)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fmt.Errorf("%w: want one FILE", errUsage)
	}
	w := bufio.NewWriter(stdout)
	err = openPages(files[0], *pages, *password, stderr, func(p *extract.Page) error {
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
	password := passwordFlag(fs)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fmt.Errorf("%w: want one FILE", errUsage)
	}
	w := bufio.NewWriterSize(stdout, 1<<16)
	var buf []byte
	err = openPages(files[0], *pages, *password, stderr, func(p *extract.Page) error {
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
