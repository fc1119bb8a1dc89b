package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/budgetpdf/budgetpdf/schema"
)

// progress reports a run's advance: a progress line rewritten in place on
// a terminal (documents done, pages per second, failures, time left),
// otherwise one line per document (text or JSON) for logs and schedulers.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	total    int
	quiet    bool
	json     bool
	tty      bool
	start    time.Time
	docs     int
	pages    int
	failures int
}

func newProgress(w io.Writer, total int, quiet bool, logFormat string) *progress {
	p := &progress{w: w, total: total, quiet: quiet, json: logFormat == "json", start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) done(file string, r result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.docs++
	p.pages += r.pages
	if r.doc.Status == schema.StatusFailed || r.doc.Status == schema.StatusPartial {
		p.failures++
	}
	switch {
	case p.quiet:
	case p.tty:
		el := time.Since(p.start).Seconds()
		left := el / float64(p.docs) * float64(p.total-p.docs)
		fmt.Fprintf(p.w, "\r%d/%d documents, %.0f pages/s, %d failed, %s left   ", p.docs, p.total, float64(p.pages)/max(el, 1e-9), p.failures, time.Duration(left*float64(time.Second)).Round(time.Second))
	case p.json:
		b, _ := json.Marshal(struct {
			File         string  `json:"file"`
			Status       string  `json:"status"`
			Pages        int     `json:"pages"`
			Tables       int     `json:"tables"`
			Cells        int     `json:"cells"`
			ChecksFailed int32   `json:"checks_failed"`
			Seconds      float64 `json:"seconds"`
			Error        string  `json:"error,omitempty"`
		}{file, r.doc.Status, r.pages, len(r.tables), len(r.cells), r.doc.ChecksFailed, r.seconds, r.doc.Error})
		p.w.Write(append(b, '\n'))
	default:
		line := fmt.Sprintf("budgetpdf: %s %s: %d pages, %d tables, %d failed checks, %.2fs", r.doc.Status, file, r.pages, len(r.tables), r.doc.ChecksFailed, r.seconds)
		if r.doc.Error != "" {
			line += ": " + r.doc.Error
		}
		fmt.Fprintln(p.w, line)
	}
}

func (p *progress) finish() {
	if p.tty && !p.quiet {
		fmt.Fprintln(p.w)
	}
}
