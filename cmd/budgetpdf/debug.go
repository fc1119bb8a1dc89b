package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/budgetpdf/budgetpdf/cmd/budgetpdf/internal/report"
	"github.com/budgetpdf/budgetpdf/extract"
	"github.com/budgetpdf/budgetpdf/normalize"
)

func cmdDebug(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("debug", flag.ContinueOnError)
	pages := fs.String("pages", "", "pages to draw and read tables from, e.g. 3-5 (default all)")
	out := fs.String("o", "debug", "output directory")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fmt.Errorf("%w: want one FILE", errUsage)
	}
	d := &report.Document{File: files[0]}
	b := normalize.NewBuilder(nil)
	err = openPages(files[0], *pages, stderr, func(p *extract.Page) error {
		d.Pages = append(d.Pages, p)
		b.AddPage(p)
		return nil
	})
	if err != nil && len(d.Pages) == 0 {
		return err
	}
	nd := b.Finish()
	d.Tables = nd.Tables
	d.Checks = normalize.Checks(d.Tables)
	d.Year, d.Agency, d.Unit = nd.FiscalYear, nd.Agency, nd.Unit
	if doc, oerr := extract.OpenFile(files[0], nil); oerr == nil {
		d.Info = doc.Info
		doc.Close()
	}
	if werr := d.Write(*out); werr != nil {
		return werr
	}
	fmt.Fprintf(stdout, "%d pages, %d tables, %d failed checks: open %s\n", len(d.Pages), len(d.Tables), d.Failed(), filepath.Join(*out, "index.html"))
	return err
}

// reportDir names a document's report directory inside a batch report:
// the file's base name, made safe, with its position to keep names unique.
func reportDir(i int, file string) string {
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	base = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < 0x20 {
			return '_'
		}
		return r
	}, base)
	return fmt.Sprintf("%04d-%s", i, base)
}
