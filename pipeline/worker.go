package pipeline

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/budgetpdf/budgetpdf/schema"
)

// The worker protocol, between Run (the supervisor) and a worker process
// (ServeWorker), is a stream of frames each way over the worker's standard
// input and output (see codec.go). The worker speaks first, a greeting
// with the protocol's version; then Run sends requests and the worker
// answers each in turn with the document's records. Run sends the next
// request as soon as an answer's bytes are in, and decodes the answer
// while the worker reads on: at most two are in hand. The encoding keeps
// every value exact (decimals with their exponent, floats bit for bit),
// so the records are those ReadDocument makes in Run's own process, byte
// for byte once written. When its input ends, the worker exits.

// workerProtocol is the protocol's version: a worker that says another is
// not used.
const workerProtocol = 6

// workerRequest asks a worker to read one document.
type workerRequest struct {
	File       string   // the name, as given to Run (a path or a URL)
	Path       string   // the local file to read, when not File (a download)
	ID         string   // the file's hash, hex SHA-256
	Duplicates []string // the other paths with the same bytes
	MaxPages   int      // Options.MaxPages
	Password   string   // Options.Password
	Workbook   bool     // Options.Workbook
	Crawl      crawl    // what a crawl knows of the file: its record's facts and first warnings
}

// workerAnswer is the records of the document asked for.
type workerAnswer struct {
	Document   schema.Document
	Tables     []schema.Table
	Cells      []schema.Cell
	Checks     []schema.Check
	Indicators []schema.Indicator
	FormFields []schema.FormField
	Workbook   []byte // with workerRequest.Workbook
	// (no facts: the run derives them from the records above)
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
	bw, br := bufio.NewWriterSize(out, 1<<16), bufio.NewReader(in)
	var e encoder
	e.hello()
	if err := writeFrame(bw, e.b); err != nil {
		return fmt.Errorf("pipeline: worker: writing its greeting: %w", err)
	}
	for {
		frame, err := readFrame(br)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("pipeline: worker: reading a request: %w", err)
		}
		req, err := decodeMessage(frame, msgRequest, (*decoder).request)
		if err != nil {
			return fmt.Errorf("pipeline: worker: reading a request: %w", err)
		}
		j := job{file: req.File, path: req.Path, id: req.ID, duplicates: req.Duplicates, crawl: req.Crawl}
		r, _ := read(context.Background(), j, &Options{MaxPages: req.MaxPages, Password: req.Password, Workbook: req.Workbook, noFacts: true})
		e.answer(&workerAnswer{Document: r.Document, Tables: r.Tables, Cells: r.Cells, Checks: r.Checks,
			Indicators: r.Indicators, FormFields: r.FormFields, Workbook: r.Workbook})
		if err := writeFrame(bw, e.b); err != nil {
			return fmt.Errorf("pipeline: worker: writing an answer: %w", err)
		}
	}
}
