package pipeline

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"

	"github.com/budgetpdf/budgetpdf/schema"
)

// The worker protocol, between Run (the supervisor) and a worker process
// (ServeWorker), is a gob stream each way over the worker's standard input
// and output. The worker speaks first, a workerAnswer with only Protocol
// set; then Run sends one workerRequest at a time and the worker answers
// each with the document's records. gob keeps every value exact (decimals
// with their exponent, floats bit for bit), so the records are those
// ReadDocument makes in Run's own process, byte for byte once written.
// When its input ends, the worker exits.

// workerProtocol is the protocol's version: a worker that says another is
// not used.
const workerProtocol = 1

// workerRequest asks a worker to read one document.
type workerRequest struct {
	File       string   // the path, as given to Run
	ID         string   // the file's hash, hex SHA-256
	Duplicates []string // the other paths with the same bytes
	MaxPages   int      // Options.MaxPages
	Password   string   // Options.Password
}

// workerAnswer is a worker's message: its greeting (Protocol set, the rest
// zero), then the records of each document asked for, in order.
type workerAnswer struct {
	Protocol int
	Document schema.Document
	Tables   []schema.Table
	Cells    []schema.Cell
	Checks   []schema.Check
}

// ServeWorker is the worker side of RunOptions.Isolate: it reads the
// documents Run asks for on in, one at a time, and writes their records to
// out, until in ends (it returns nil) or a message cannot be read or
// written (it returns the error). budgetpdf's hidden "worker" command is
// ServeWorker on its standard input and output; a program that runs
// batches with Isolate gives its workers a command that does the same.
// The protocol is private to one build of this package: Run and its
// workers must be the same program.
func ServeWorker(in io.Reader, out io.Writer) error {
	return serveWorker(in, out, readDocument)
}

// serveWorker is ServeWorker with the function that reads a document
// (tests give one that crashes on purpose).
func serveWorker(in io.Reader, out io.Writer, read func(context.Context, job, *Options) (*Result, error)) error {
	bw := bufio.NewWriter(out)
	enc := gob.NewEncoder(bw)
	send := func(a *workerAnswer) error {
		if err := enc.Encode(a); err != nil {
			return fmt.Errorf("pipeline: worker: writing an answer: %w", err)
		}
		return bw.Flush()
	}
	if err := send(&workerAnswer{Protocol: workerProtocol}); err != nil {
		return err
	}
	dec := gob.NewDecoder(bufio.NewReader(in))
	for {
		var req workerRequest
		if err := dec.Decode(&req); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("pipeline: worker: reading a request: %w", err)
		}
		j := job{file: req.File, id: req.ID, duplicates: req.Duplicates}
		r, _ := read(context.Background(), j, &Options{MaxPages: req.MaxPages, Password: req.Password})
		a := workerAnswer{Document: r.Document, Tables: r.Tables, Cells: r.Cells, Checks: r.Checks}
		if err := send(&a); err != nil {
			return err
		}
	}
}
