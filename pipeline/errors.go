package pipeline

import "errors"

// The reasons a worker process did not answer for a document (see
// Isolation); each starts the document's error text after its file name:
// "a.pdf: crashed: its worker process ended (exit status 2): panic: ...".
var (
	errCrashed     = errors.New("crashed")
	errOutOfMemory = errors.New("out of memory")
	errTimedOut    = errors.New("timed out")
)
