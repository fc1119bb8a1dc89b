// Command budgetpdf turns Chinese government budget disclosures (部门预算,
// 部门决算, 单位预算 PDFs) into exact datasets.
//
// Usage:
//
//	budgetpdf run [-o DIR] [-format parquet,jsonl,xlsx] [-manifest FILE] [-workers N] [-shard K/N] [-force] ... INPUT...
//	budgetpdf check DIR [-all]
//	budgetpdf compact DIR
//	budgetpdf debug FILE [-pages 3-5] [-o DIR]
//	budgetpdf text FILE [-pages 3-5]
//	budgetpdf glyphs FILE [-pages N] [-json]
//	budgetpdf tables FILE [-pages ..] [-format text|md|tsv|json|xlsx|csv] [-o OUT]
//
// Run "budgetpdf help" for the details of each command.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
)

func main() {
	// The stages allocate many short-lived values and little live data
	// (tens of MB): collect less often. GOGC in the environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	stop := startCPUProfile(os.Getenv("BUDGETPDF_CPUPROFILE"))
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// startCPUProfile writes this process's CPU profile to prefix.<pid> until
// the returned function is called; nothing when prefix is "". Set in the
// environment (BUDGETPDF_CPUPROFILE), it profiles a run and each of its
// worker processes apart, for go tool pprof.
func startCPUProfile(prefix string) (stop func()) {
	if prefix == "" {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s.%d", prefix, os.Getpid()))
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "budgetpdf: BUDGETPDF_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// errUsage marks a command-line mistake (exit status 2).
var errUsage = errors.New("usage")

// errOutput marks a failure to write the output (exit status 2): nothing
// about the input, everything about where it was to go.
var errOutput = errors.New("output")

// exitError carries an exit status for a run that did its work but found
// failures (exit status 1).
type exitError struct{ err error }

func (e exitError) Error() string { return e.err.Error() }

const usage = `budgetpdf: exact datasets from Chinese government budget PDFs

usage:
  budgetpdf run [-o DIR] [-format parquet,jsonl,xlsx] [-manifest FILE]
                [-debug DIR] [-workers N] [-timeout D] [-fetch-timeout D]
                [-max-pages N] [-max-size MiB] [-max-memory MiB]
                [-memory-limit MiB] [-password P] [-in-process]
                [-worker-processes]
                [-quiet] [-log-format text|json] [-shard K/N] [-force]
                [-part-size N] INPUT...
        read PDF files, directories (recursively), glob patterns, URLs
        (http, https) or - (a list of paths or URLs on standard input)
        into the dataset in DIR (default ./out): documents, tables, cells
        and checks as Parquet and JSON Lines part files, and with xlsx a
        workbook per document (DIR/xlsx/<document_id>.xlsx); -manifest
        reads the files of a crawl manifest (CSV with a header, or JSON
        Lines: a path or url column, any other columns kept as each
        document's metadata); documents already in DIR are skipped, URLs
        asked with the validators of the dataset's copy (a 304 downloads
        nothing); the run reads in a process of its own, watched: started
        again when it crashes or goes over its memory ceiling (the
        documents it was reading are then read each alone in a worker
        process, which records the culprit as failed) or over -timeout
        on a document (recorded as failed); -worker-processes reads every
        document so; exit status 1 when a document failed
  budgetpdf debug FILE [-pages 3-5] [-o DIR]
        a report of what was seen: an SVG per page (glyphs, ruling lines,
        grids, tables, cells, failed checks) and DIR/index.html with every
        table beside its pages (default DIR ./debug)
  budgetpdf check DIR [-all]
        the failed accounting checks of an output directory, with file,
        page and the cells involved; exit status 1 when any failed
  budgetpdf compact DIR
        merge the part files of a dataset directory, one per record set
        and partition
  budgetpdf text FILE [-pages 3-5]
        the text of each page in reading order, one line per text line
  budgetpdf glyphs FILE [-pages N] [-json]
        every glyph (text, box, font, size) and ruling line of each page;
        -json writes one JSON object per line
  budgetpdf tables FILE [-pages ..] [-format text|md|tsv|json|xlsx|csv] [-o OUT]
        the tables rebuilt from the pages: column paths, rows with their
        code, label and level, every cell; xlsx writes an Excel workbook
        (OUT, default FILE's name with .xlsx: a sheet per table, exact
        amounts, failed checks marked), csv one CSV file per table into
        the directory OUT (default FILE's name; UTF-8 with a BOM)

debug, text, glyphs and tables take -password P for a file encrypted with
a user password.
`

// run executes one command and returns the process exit status: 0 on
// success, 1 when some input failed, 2 on a usage or output error.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "text":
		err = cmdText(args[1:], stdout, stderr)
	case "glyphs":
		err = cmdGlyphs(args[1:], stdout, stderr)
	case "tables":
		err = cmdTables(args[1:], stdout, stderr)
	case "run":
		err = cmdRun(args[1:], stdin, stdout, stderr)
	case "check":
		err = cmdCheck(args[1:], stdout, stderr)
	case "compact":
		err = cmdCompact(args[1:], stdout, stderr)
	case "debug":
		err = cmdDebug(args[1:], stdout, stderr)
	case "worker":
		err = cmdWorker(args[1:], stdin, stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "budgetpdf: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	var ee exitError
	var ec exitCode
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ec):
		return int(ec)
	case errors.Is(err, errUsage), errors.Is(err, errOutput):
		fmt.Fprintf(stderr, "budgetpdf %s: %v\n", args[0], err)
		return 2
	case errors.As(err, &ee):
		fmt.Fprintf(stderr, "budgetpdf %s: %v\n", args[0], err)
		return 1
	default:
		fmt.Fprintf(stderr, "budgetpdf %s: %v\n", args[0], err)
		return 1
	}
}
