package main

import (
	"fmt"
	"io"

	"github.com/budgetpdf/budgetpdf/pipeline"
)

// cmdWorker is the hidden command "budgetpdf worker": a worker process of
// budgetpdf run (pipeline.ServeWorker on standard input and output). Run
// starts it; it is not for people.
func cmdWorker(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: worker takes no arguments (budgetpdf run starts it)", errUsage)
	}
	if err := pipeline.ServeWorker(stdin, stdout); err != nil {
		return fmt.Errorf("%w: %v", errOutput, err)
	}
	return nil
}
