package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/budgetpdf/budgetpdf/cmd/budgetpdf/internal/hugeheap"
	"github.com/budgetpdf/budgetpdf/pipeline"
)

// cmdWorker is the hidden command "budgetpdf worker": a worker process of
// budgetpdf run (pipeline.ServeWorker on standard input and output). Run
// starts it; it is not for people.
func cmdWorker(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: worker takes no arguments (budgetpdf run starts it)", errUsage)
	}
	// The heap's soft limit, GOMEMLIMIT, is set by the run that started
	// the worker: its heap grows up to it (see hugeheap).
	hugeheap.Reserve(debug.SetMemoryLimit(-1))
	if err := pipeline.ServeWorker(stdin, stdout); err != nil {
		return fmt.Errorf("%w: %v", errOutput, err)
	}
	return nil
}
