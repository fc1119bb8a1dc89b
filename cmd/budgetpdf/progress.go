package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
	"unicode"

	"github.com/budgetpdf/budgetpdf/pipeline"
	"github.com/budgetpdf/budgetpdf/schema"
)

// progress reports a run's advance: a progress line rewritten in place on
// a terminal (documents done, pages per second, failures, time left),
// otherwise one line per document (text or JSON) for logs and schedulers.
// Its methods may be called from several goroutines.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	quiet    bool
	json     bool
	tty      bool
	start    time.Time
	docs     int
	pages    int
	failures int
	workers  map[int]bool // the worker processes seen, by pid
	peak     int64        // the most resident memory of a worker reading a document, in bytes
	peakFile string       // that document
}

func newProgress(w io.Writer, quiet bool, logFormat string) *progress {
	p := &progress{w: w, quiet: quiet, json: logFormat == "json", start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

// done reports one document of the total read.
func (p *progress) done(total int, r *pipeline.Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := r.Document
	p.docs++
	p.pages += int(d.Pages)
	if r.Worker.PID != 0 {
		if p.workers == nil {
			p.workers = make(map[int]bool)
		}
		p.workers[r.Worker.PID] = true
		if r.Worker.Peak > p.peak {
			p.peak, p.peakFile = r.Worker.Peak, d.SourceFile
		}
	}
	if d.Status == schema.StatusFailed || d.Status == schema.StatusPartial {
		p.failures++
	}
	switch {
	case p.quiet:
	case p.tty:
		el := time.Since(p.start).Seconds()
		left := el / float64(p.docs) * float64(total-p.docs)
		fmt.Fprintf(p.w, "\r%d/%d documents, %.0f pages/s, %d failed, %s left   ", p.docs, total, float64(p.pages)/max(el, 1e-9), p.failures, time.Duration(left*float64(time.Second)).Round(time.Second))
	case p.json:
		b, _ := json.Marshal(struct {
			File         string   `json:"file"`
			Status       string   `json:"status"`
			Pages        int32    `json:"pages"`
			Tables       int      `json:"tables"`
			Cells        int      `json:"cells"`
			ChecksFailed int32    `json:"checks_failed"`
			Seconds      float64  `json:"seconds"`
			Error        string   `json:"error,omitempty"`
			Warnings     []string `json:"warnings,omitempty"`
		}{d.SourceFile, d.Status, d.Pages, len(r.Tables), len(r.Cells), d.ChecksFailed, r.Seconds, d.Error, d.Warnings})
		p.w.Write(append(b, '\n'))
	default:
		line := fmt.Sprintf("budgetpdf: %s %s: %d pages, %d tables, %d failed checks, %.2fs", d.Status, logName(d.SourceFile), d.Pages, len(r.Tables), d.ChecksFailed, r.Seconds)
		if d.Error != "" {
			line += ": " + d.Error
		}
		if len(d.Warnings) > 0 {
			line += fmt.Sprintf(" (%d warning(s): %s)", len(d.Warnings), d.Warnings[0])
		}
		fmt.Fprintln(p.w, line)
	}
}

func (p *progress) finish() {
	if p.tty && !p.quiet {
		fmt.Fprintln(p.w)
	}
}

// printWorkers writes how many worker processes read the run's documents
// and the most memory one held, against the ceiling (in bytes), and the
// most this process held.
func (p *progress) printWorkers(w io.Writer, ceiling int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.workers) == 0 {
		return
	}
	var self syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	fmt.Fprintf(w, "worker processes: %d; the most memory one held: %d MiB (ceiling %d MiB, -max-memory), reading %s; this process: %d MiB\n",
		len(p.workers), p.peak>>20, ceiling>>20, p.peakFile, self.Maxrss>>10)
}

// logName is a file's name as a log line shows it: quoted, with its
// control characters escaped, when it has any (a crawled name holding a
// newline would split the line), else as it is.
func logName(name string) string {
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return strconv.Quote(name)
		}
	}
	return name
}
