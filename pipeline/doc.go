// Package pipeline reads budget PDFs into the records of package schema:
// the stages wired together, for one document (ReadDocument) or for a
// batch into a dataset directory (Run). It is the library behind the
// budgetpdf command; a Go program can run a batch without it.
//
// # One document
//
// ReadDocument opens a PDF (extract), gives its pages in order to a
// normalize.Builder, checks the accounting identities of the tables it
// rebuilt (normalize.Checks) and turns everything into records: one
// schema.Document, and the document's tables, cells and checks. It never
// loses a document: a file that cannot be read is a record with status
// failed and the reason, a scan one with status no_text_layer (see
// TextLayer), and a document with some unreadable pages or cells one with
// status partial; the Result and the error say which (see ReadDocument).
// The Result also holds what the records were made from (the
// normalize.Document, its checks and, with Options.KeepPages, the pages),
// for a caller that draws or prints them.
//
// # A batch
//
// Run is a batch: it hashes the files, claims the documents the dataset
// directory does not hold yet and no other live run reads (a document
// recorded as failed is read again, its new record superseding the old
// one), reads them with a pool of workers, each document within a
// timeout, and writes their records in the files' order, in batches of
// part files that are committed one by one, each by the rename of its
// manifest (the dataset directory's format is package schema's: part
// files, manifests, claims, the run lock, batch names, recovery). The
// records do not depend on the number of workers or on the timing: only
// the part files' names, which carry the run, do. Cancelling the context
// stops a batch: the committed batches stay and the next run reads the
// rest. A callback (RunOptions.OnDocument) sees each document as soon as
// it is read, for progress and reports.
//
// Concurrency lives here and only here: the stages are plain functions
// over one document; Run runs many at once, one goroutine each.
//
// Error texts name the budgetpdf flags that set a limit, as in "gave up
// after 10m0s (-timeout)": RunOptions.Timeout, MaxPages and MaxSize are
// those flags.
package pipeline
