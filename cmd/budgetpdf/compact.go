package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/budgetpdf/budgetpdf/schema"
)

// cmdCompact merges a dataset directory's part files.
func cmdCompact(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("compact", flag.ContinueOnError)
	dirs, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) != 1 {
		return fmt.Errorf("%w: want one DIR", errUsage)
	}
	run, err := schema.OpenRun(dirs[0], false)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", errOutput, dirs[0], err)
	}
	defer run.Close()
	n, err := run.Compact()
	if errors.Is(err, schema.ErrInUse) {
		return fmt.Errorf("%w: %v; compact when it is done", errOutput, err)
	}
	if err != nil {
		return fmt.Errorf("%w: %v", errOutput, err)
	}
	fmt.Fprintf(stdout, "%d part files merged into one per record set and partition\n", n)
	return nil
}
