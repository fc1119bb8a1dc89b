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
// TextLayer), and a document with some unreadable pages, lost content or
// cells one with status partial; the Result and the error say which (see
// ReadDocument).
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
// # Crawls: manifests, URLs, workbooks
//
// RunInputs is Run over Inputs: local files and URLs, each with what a
// crawl knows of it. ReadManifest reads a crawl manifest (CSV or JSON
// Lines, a row per file, with a path or url column and any other columns)
// into Inputs; a row that does not read is an input that fails, recorded
// as a failed document named by the manifest's line. A document keeps its
// row's facts: source_url, fetched_at, and the other columns as metadata
// (schema.Document). URLs are downloaded by the batch's own process (the
// supervisor), never by a worker, with package fetch, into the run's
// download directory (schema.Run.DownloadDir), removed when the run ends;
// each with the validators of what the dataset holds from the URL, so
// that an unchanged file is neither downloaded nor read again (a 304).
//
// With schema.FormatXLSX among RunOptions.Formats, each document read gets
// a workbook (package workbook), made where the document is read (in its
// worker process, which holds what normalize rebuilt: the records alone do
// not carry the header as printed), sent back with the records and
// committed with them, in their batch (schema.PartWriter.WriteWorkbook).
//
// With RunOptions.Isolate, each of Run's workers reads its documents in a
// worker process of its own, a child running ServeWorker (budgetpdf's
// hidden "worker" command), as Apache Tika's forked parser does: the
// child sends back the records and Run writes them. A child that crashes,
// goes over its memory ceiling (Isolation.MaxMemory: resident memory read
// every 20 ms, and on Linux RLIMIT_DATA) or over the timeout is killed and
// replaced; its document is recorded as failed, with "crashed", "out of
// memory" or "timed out" and how the process ended. The records are the
// same, byte for byte, as those read in Run's process.
//
// A Watcher runs a whole batch in one child process and watches it, as
// Apache Tika's spawn-child mode does (budgetpdf run's default): the
// child runs Run with RunOptions.Watched (WatchedRun), reading in its
// own process and noting each document to the watcher; when it crashes
// or goes over its ceiling, the watcher starts it again, and the
// documents it was reading are read each alone in a worker process
// (Isolate), which records the culprit; one read past the timeout has
// the child killed and is recorded as timed out. The isolation costs a
// process start on the normal path, not the records crossing a pipe.
//
// Concurrency lives here and only here: the stages are plain functions
// over one document; Run runs many at once, one goroutine each (and with
// Isolate, one worker process each).
//
// Error texts name the budgetpdf flags that set a limit, as in "gave up
// after 10m0s (-timeout)": RunOptions.Timeout, MaxPages, MaxSize and
// Isolation.MaxMemory are those flags. A Document.Error is one printable
// line of at most 1,024 bytes (control characters and bytes that are not
// UTF-8 escaped, a longer text cut in the middle); each of
// Document.Warnings one of at most 256.
//
// Nothing is lost silently: a page that lost content (extract.Page.Lost:
// a damaged content stream, form, font or resource, text that gave no
// glyph) makes its document partial, and is never taken for a scan (see
// TextLayer); damage that lost nothing (a repaired cross-reference table,
// a loop in the page tree cut) is in Document.Repaired and
// Document.Warnings.
package pipeline
