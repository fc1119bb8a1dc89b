package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/budgetpdf/budgetpdf/schema"
)

// cmdCheck prints the failed checks of an existing output directory, with
// the file, page, table and cells involved.
func cmdCheck(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	all := fs.Bool("all", false, "list every check, not only the failures")
	dirs, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) != 1 {
		return fmt.Errorf("%w: want one DIR (the output of budgetpdf run)", errUsage)
	}
	checks, err := schema.ReadDataset[schema.Check](dirs[0])
	if err != nil {
		return err
	}
	tables, err := schema.ReadDataset[schema.Table](dirs[0])
	if err != nil {
		return err
	}
	type key struct {
		doc   string
		index int32
	}
	byKey := make(map[key]schema.Table)
	for _, t := range tables {
		byKey[key{t.DocumentID, t.TableIndex}] = t
	}
	w := bufio.NewWriter(stdout)
	failed := 0
	for _, c := range checks {
		if c.Status == schema.CheckFail {
			failed++
		} else if !*all {
			continue
		}
		t := byKey[key{c.DocumentID, c.TableIndex}]
		page := t.PageFirst
		if len(c.Cells) > 0 {
			page = c.Cells[0].Page
		}
		fmt.Fprintf(w, "%s: page %d: table %d %s %s: %s %s", c.SourceFile, page, c.TableIndex, t.TableCode, t.Title, c.Rule, c.Status)
		if c.RowIndex >= 0 {
			fmt.Fprintf(w, " (row %d)", c.RowIndex)
		}
		if c.Expected != nil {
			fmt.Fprintf(w, ": printed %s, sum of parts %s, difference %s", c.Expected.String(), c.Actual.String(), c.Difference.String())
		}
		fmt.Fprintln(w)
		for i, cc := range c.Cells {
			role := "part"
			if i == 0 {
				role = "total"
			}
			col := ""
			if tt, ok := byKey[key{c.DocumentID, cc.TableIndex}]; ok && int(cc.ColumnIndex) < len(tt.Columns) {
				col = tt.Columns[cc.ColumnIndex]
			}
			fmt.Fprintf(w, "    %s: page %d table %d row %d column %q [%.2f %.2f %.2f %.2f]\n", role, cc.Page, cc.TableIndex, cc.RowIndex, col, cc.X0, cc.Y0, cc.X1, cc.Y1)
		}
	}
	fmt.Fprintf(w, "%d checks, %d failed\n", len(checks), failed)
	if err := w.Flush(); err != nil {
		return err
	}
	if failed > 0 {
		return exitError{errors.New("some checks failed")}
	}
	return nil
}
