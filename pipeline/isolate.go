package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Isolation reads a batch's documents in worker processes, as crawlers
// run their parsers (Apache Tika's forked parser): each of Run's workers
// hands its documents, one at a time, to a child process of its own, and
// writes the records the child sends back (the child is given its next
// document as soon as an answer has arrived, and reads it while the
// answer is decoded: it is not idle between documents). A child that
// crashes, goes over its memory ceiling or over RunOptions.Timeout is
// killed (SIGKILL) and replaced by a new one for the next document; its
// document is recorded as failed with the reason ("crashed", "out of
// memory", "timed out") and how the process ended ("signal: killed",
// "exit status 2"); the batch goes on. A document that a worker was
// given ahead, while the answer before it was read, is first read again
// alone by a new worker when that worker crashes or goes over its
// ceiling (what ended it may be the document before: a crash after its
// answer, memory it left behind): it is recorded as failed only for what
// it does alone, and a document that fails so is read twice. A timeout
// is the document's own: it is not read again. Run waits for every
// worker it started and every goroutine that reads one: none outlives
// it, whatever a document did (on Linux a worker also dies with Run's
// process).
//
// A worker's time is counted from the request to its answer, within
// RunOptions.Timeout. Its standard error is kept (the first 8 KiB of each
// document's), for the line that says why it ended.
type Isolation struct {
	// Command returns the command of a new worker process: a program that
	// calls ServeWorker with its standard input and output, the same build
	// as the caller's (budgetpdf's: exec.Command(itself, "worker")).
	// Required. Run sets the command's standard input, output and error,
	// its process attributes, and adds GOMEMLIMIT to its environment.
	Command func() *exec.Cmd
	// MaxMemory is the ceiling of a worker's memory, in bytes: a worker
	// whose resident memory goes over it is killed, and on Linux its data
	// segment is limited to it (RLIMIT_DATA), so that an allocation over
	// it fails in the worker. Default 1 GiB.
	MaxMemory int64
	// MemoryLimit is the Go heap's soft limit in each worker, in bytes
	// (GOMEMLIMIT in its environment, unless Command's environment or
	// Run's has one), at most three quarters of MaxMemory: the worker's
	// collector works harder before the ceiling. Default 128 MiB.
	MemoryLimit int64
}

// Defaults of Isolation, and the supervisor's timings.
const (
	defaultMaxMemory   = 1 << 30
	defaultMemoryLimit = 128 << 20
	// memoryPoll is how often the supervisor reads a busy worker's
	// resident memory.
	memoryPoll = 20 * time.Millisecond
	// workerStart bounds the time a new worker takes to greet.
	workerStart = 30 * time.Second
	// workerStop bounds the time a worker takes to exit once its input
	// is closed; it is killed after.
	workerStop = 5 * time.Second
	// maxStderr is how much of a worker's standard error is kept, in
	// bytes: enough for the first lines of a panic.
	maxStderr = 8 << 10
)

func (iso *Isolation) withDefaults() (*Isolation, error) {
	v := *iso
	if v.Command == nil {
		return nil, errors.New("pipeline: Isolation.Command is required")
	}
	if v.MaxMemory <= 0 {
		v.MaxMemory = defaultMaxMemory
	}
	if v.MemoryLimit <= 0 {
		v.MemoryLimit = defaultMemoryLimit
	}
	v.MemoryLimit = min(v.MemoryLimit, v.MaxMemory/4*3)
	return &v, nil
}

// WorkerStats describe the worker process that read a document.
type WorkerStats struct {
	PID int // the process id; 0 when the document was read in Run's process
	// Peak is the most memory the worker held resident while it read the
	// document, in bytes (Linux; 0 elsewhere).
	Peak int64
}

// docReader reads the documents of one of readAll's goroutines, one at a
// time: in Run's process (inProcess) or in a worker process (isolated).
type docReader interface {
	// read reads j's document; nil when ctx is done. An error is about
	// the batch, not the document (a worker cannot be started). peek,
	// called at most once, takes the goroutine's next job if one is
	// waiting (the job read next): a worker process starts on it while
	// j's answer is decoded.
	read(ctx context.Context, j job, peek func() (job, bool)) (*Result, error)
	close()
}

// inProcess reads documents in Run's process, each within o.Timeout.
type inProcess struct{ o *RunOptions }

func (p inProcess) read(ctx context.Context, j job, _ func() (job, bool)) (*Result, error) {
	return readWithin(ctx, j, p.o.Timeout, p.o.options()), nil
}

func (inProcess) close() {}

// isolated reads documents in a worker process, started when needed and
// replaced after one was killed or died.
type isolated struct {
	o     *RunOptions
	iso   *Isolation
	w     *worker // nil: none running
	ahead *sentAhead
}

// sentAhead is the request a worker was given while the answer before it
// was decoded: the next document, and when it was asked for.
type sentAhead struct {
	file, id string
	start    time.Time
}

func (s *isolated) read(ctx context.Context, j job, peek func() (job, bool)) (*Result, error) {
	if j.err != nil {
		// Nothing to parse: the failure is known.
		r, _ := readDocument(ctx, j, nil)
		return r, nil
	}
	if ctx.Err() != nil {
		return nil, nil // (no worker started for a document not wanted)
	}
	w, start, wasAhead := s.w, time.Now(), false
	if ah := s.ahead; ah != nil && w != nil && ah.file == j.file && ah.id == j.id {
		start, wasAhead = ah.start, true // its worker is on it already
	} else {
		var err error
		if w, err = s.send(ctx, s.request(j)); w == nil {
			return nil, err
		}
	}
	s.ahead = nil
	err := w.awaitFrame(ctx, s.iso.MaxMemory, s.o.Timeout, start)
	stats := WorkerStats{PID: w.pid(), Peak: w.peak}
	var a workerAnswer
	if err == nil {
		// The worker is idle: it starts on the next document while this
		// answer is decoded.
		if next, ok := peek(); ok && next.err == nil {
			s.sendAhead(w, next)
		}
		a, err = w.answer(s.iso.MaxMemory)
	}
	if err == nil && (a.Document.SourceFile != j.file || a.Document.DocumentID != j.id) {
		// (a worker out of step with its supervisor is not to be trusted)
		err = fmt.Errorf("%w: its worker process answered for %q and was killed (%s)", errCrashed, oneLine(a.Document.SourceFile, maxWorkerDetail), w.kill())
	}
	if err != nil {
		s.w, s.ahead = nil, nil // (killed or ended, and waited for; a request sent ahead goes to the next worker)
		if ctx.Err() != nil {
			return nil, nil
		}
		if wasAhead && !errors.Is(err, errTimedOut) {
			// The worker was given this document while the answer
			// before was read: what ended it may be the document before
			// (a crash after its answer, memory it left). Read alone by
			// a new worker, the document is blamed only for what it does
			// there. (Its clock starts again; a timeout is its own.)
			return s.read(ctx, j, peek)
		}
		r := &Result{Document: j.record(), Worker: stats}
		r.fail(fmt.Errorf("%s: %w", j.file, err))
		r.Seconds = time.Since(start).Seconds()
		return r, nil
	}
	// (the facts are derived here, while the worker reads the next
	// document: it does not send them)
	return &Result{Document: a.Document, Tables: a.Tables, Cells: a.Cells, Checks: a.Checks,
		Indicators: a.Indicators, FormFields: a.FormFields, Facts: factRecords(&a.Document, a.Tables, a.Cells),
		Workbook: a.Workbook, Seconds: time.Since(start).Seconds(), Worker: stats}, nil
}

// request is the request for j's document.
func (s *isolated) request(j job) *workerRequest {
	return &workerRequest{File: j.file, Path: j.path, ID: j.id, Duplicates: j.duplicates, MaxPages: s.o.MaxPages, Password: s.o.Password,
		Workbook: s.o.options().Workbook, Crawl: j.crawl}
}

// sendAhead gives w the request for j while the answer before it is
// decoded. When w cannot take it, nothing is sent ahead: read sends it
// again, to a new worker if need be.
func (s *isolated) sendAhead(w *worker, j job) {
	start := time.Now()
	if w.request(s.request(j)) == nil {
		s.ahead = &sentAhead{file: j.file, id: j.id, start: start}
		if sentAheadHook != nil {
			sentAheadHook(j.file)
		}
	}
}

// sentAheadHook, when not nil, is called with each file asked for ahead
// (for tests).
var sentAheadHook func(file string)

// send gives req to the worker, starting one if none runs, and returns
// it; nil when ctx is done or with an error. A worker that died while it
// waited (killed from outside) is replaced, once.
func (s *isolated) send(ctx context.Context, req *workerRequest) (*worker, error) {
	for attempt := 0; ; attempt++ {
		if s.w == nil {
			w, err := startWorker(ctx, s.iso)
			if err != nil {
				if ctx.Err() != nil {
					return nil, nil
				}
				return nil, err
			}
			s.w = w
		}
		err := s.w.send(req)
		if err == nil {
			return s.w, nil
		}
		s.w.stop()
		s.w = nil
		if ctx.Err() != nil {
			return nil, nil
		}
		if attempt > 0 {
			return nil, fmt.Errorf("pipeline: worker process: %w", err)
		}
	}
}

func (s *isolated) close() {
	switch {
	case s.w == nil:
	case s.ahead != nil:
		// (busy on a document asked for ahead that nobody wants now: it
		// would be waited for, up to workerStop)
		s.w.kill()
	default:
		s.w.stop()
	}
	s.w, s.ahead = nil, nil
}

// worker is a running worker process, as its supervisor sees it.
type worker struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	in      *bufio.Writer
	enc     encoder
	answers chan workerAnswer // closed when the worker's output ends
	arrived chan struct{}     // an answer's bytes are in, to be decoded and sent on answers
	over    chan struct{}     // closed when the worker's output ends, after answers
	garbled error             // what ended the output when it was not an answer; set before answers is closed
	stderr  *headWriter
	mem     *memWatch
	peak    int64 // resident memory, in bytes: the most seen while it read the current document
}

// startWorker starts a worker process and waits for its greeting, or
// until ctx is done (the worker is then killed).
func startWorker(ctx context.Context, iso *Isolation) (*worker, error) {
	cmd := iso.Command()
	cmd.Env = workerEnv(cmd.Env, iso.MemoryLimit)
	cmd.SysProcAttr = workerAttr()
	cmd.WaitDelay = workerStop
	w := &worker{cmd: cmd, answers: make(chan workerAnswer), arrived: make(chan struct{}, 1), over: make(chan struct{}), stderr: &headWriter{max: maxStderr}}
	cmd.Stderr = w.stderr
	var err error
	if w.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("pipeline: starting a worker process: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("pipeline: starting a worker process: %w", err)
	}
	growPipe(stdout)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("pipeline: starting a worker process: %w", err)
	}
	go w.receive(stdout)
	w.mem = watchMemory(cmd.Process.Pid)
	if err := limitData(cmd.Process.Pid, iso.MaxMemory); err != nil {
		w.kill()
		return nil, fmt.Errorf("pipeline: limiting a worker's memory: %w", err)
	}
	w.in = bufio.NewWriter(w.stdin)
	timer := time.NewTimer(workerStart)
	defer timer.Stop()
	select {
	case _, ok := <-w.answers: // (the greeting, once receive checked it)
		if ok {
			return w, nil
		}
		w.kill()
		return nil, fmt.Errorf("pipeline: %s is not a worker of this build: it %s", cmd.Path, w.greeting())
	case <-timer.C:
		w.kill()
		return nil, fmt.Errorf("pipeline: %s did not start as a worker within %v", cmd.Path, workerStart)
	case <-ctx.Done():
		w.kill()
		return nil, context.Cause(ctx)
	}
}

// greeting says what a worker that did not greet as expected did.
func (w *worker) greeting() string {
	if w.garbled != nil {
		return "said " + oneLine(w.garbled.Error(), maxWorkerDetail)
	}
	return "ended (" + w.cmd.ProcessState.String() + ")" + w.stderr.detail()
}

// workerEnv is env (nil: this process's) with GOMEMLIMIT set to limit
// bytes, unless it has one.
func workerEnv(env []string, limit int64) []string {
	if env == nil {
		env = os.Environ()
	}
	for _, kv := range env {
		if strings.HasPrefix(kv, "GOMEMLIMIT=") {
			return env
		}
	}
	return append(env[:len(env):len(env)], "GOMEMLIMIT="+strconv.FormatInt(limit, 10))
}

// receive reads the worker's greeting, then decodes its answers, until
// its output ends or holds what is not the message expected (garbled).
// The greeting goes to answers as a zero workerAnswer.
func (w *worker) receive(r io.Reader) {
	defer close(w.over)
	defer close(w.answers)
	br := bufio.NewReaderSize(r, 1<<16)
	for greeted := false; ; greeted = true {
		frame, err := readFrame(br)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, os.ErrClosed) {
			return
		}
		var a workerAnswer
		switch {
		case err != nil:
		case !greeted:
			var v uint64
			if v, err = decodeMessage(frame, msgHello, (*decoder).uint); err == nil && v != workerProtocol {
				err = fmt.Errorf("protocol %d, not %d", v, workerProtocol)
			}
		default:
			select {
			case w.arrived <- struct{}{}:
			default: // (one not taken yet: its worker is being stopped)
			}
			a, err = decodeMessage(frame, msgAnswer, (*decoder).answer)
		}
		if err != nil {
			w.garbled = err
			return
		}
		w.answers <- a
	}
}

func (w *worker) pid() int { return w.cmd.Process.Pid }

// send writes a request, after making sure that the worker did not end
// while it waited.
func (w *worker) send(req *workerRequest) error {
	select {
	case _, ok := <-w.answers:
		if !ok {
			return errors.New("ended while idle")
		}
		return errors.New("answered what was not asked")
	default:
	}
	return w.request(req)
}

// request writes a request, and starts counting the worker's memory and
// keeping its standard error for it.
func (w *worker) request(req *workerRequest) error {
	w.mem.reset()
	w.peak = 0
	w.stderr.reset()
	w.enc.request(req)
	return writeFrame(w.in, w.enc.b)
}

// awaitFrame waits for the answer to the request in hand to arrive (its
// bytes; answer decodes it), reading the worker's resident memory every
// memoryPoll. It kills the worker when its memory goes over maxMemory,
// when timeout has passed, or when ctx is done; an error says why the
// worker ended (and when it ended on its own, how), and the worker is then
// gone and waited for.
// The time counts from start, the request's.
func (w *worker) awaitFrame(ctx context.Context, maxMemory int64, timeout time.Duration, start time.Time) error {
	// An answer that arrived while the run was busy (a document asked for
	// ahead, while the answer before was decoded) is in time, whatever
	// the clock says now: the select below would pick at random.
	select {
	case <-w.arrived:
		w.peak = max(w.peak, w.mem.peak())
		return nil
	default:
	}
	timer := time.NewTimer(max(timeout-time.Since(start), 0))
	defer timer.Stop()
	poll := time.NewTicker(memoryPoll)
	defer poll.Stop()
	for {
		select {
		case <-w.arrived:
			w.peak = max(w.peak, w.mem.peak())
			return nil
		case <-w.over:
			w.peak = max(w.peak, w.mem.peak())
			return w.ended(maxMemory)
		case <-poll.C:
			if done, err := w.settled(maxMemory); done {
				return err
			}
			rss := w.mem.resident()
			w.peak = max(w.peak, rss)
			if rss > maxMemory {
				w.peak = max(w.peak, w.mem.peak())
				state := w.kill()
				return fmt.Errorf("%w: its worker process held %d MiB, over the ceiling of %d MiB (-max-memory), and was killed (%s)",
					errOutOfMemory, rss>>20, maxMemory>>20, state)
			}
		case <-timer.C:
			if done, err := w.settled(maxMemory); done {
				return err
			}
			state := w.kill()
			return fmt.Errorf("%w: gave up after %v (-timeout); its worker process was killed (%s)", errTimedOut, timeout, state)
		case <-ctx.Done():
			w.kill()
			return context.Cause(ctx)
		}
	}
}

// settled is awaitFrame's result when the answer has arrived or the
// output has ended: those win over a deadline or a poll that came with
// them (a select picks among ready cases at random).
func (w *worker) settled(maxMemory int64) (done bool, err error) {
	select {
	case <-w.arrived:
		w.peak = max(w.peak, w.mem.peak())
		return true, nil
	case <-w.over:
		w.peak = max(w.peak, w.mem.peak())
		return true, w.ended(maxMemory)
	default:
		return false, nil
	}
}

// answer is the decoded answer whose bytes awaitFrame saw arrive; an error
// when they were not an answer (the worker is then killed).
func (w *worker) answer(maxMemory int64) (workerAnswer, error) {
	a, ok := <-w.answers
	if !ok {
		return a, w.ended(maxMemory)
	}
	return a, nil
}

// ended waits for a worker whose output ended while it read a document,
// and says how it ended: out of memory when it says so (an allocation
// over its data limit), else crashed.
func (w *worker) ended(maxMemory int64) error {
	if w.garbled != nil {
		// (it may still run: its output is of no use any more)
		state := w.kill()
		return fmt.Errorf("%w: its worker process wrote what is not an answer (%s) and was killed (%s)", errCrashed, oneLine(w.garbled.Error(), maxWorkerDetail), state)
	}
	// (a worker that closed its output and lives on is killed)
	var stuck atomic.Bool
	t := time.AfterFunc(workerStop, func() {
		stuck.Store(true)
		w.cmd.Process.Kill()
	})
	w.wait()
	t.Stop()
	state, detail := w.cmd.ProcessState.String(), w.stderr.detail()
	if stuck.Load() {
		return fmt.Errorf("%w: its worker process closed its output, did not end within %v and was killed (%s)%s", errCrashed, workerStop, state, detail)
	}
	if outOfMemory(detail) {
		return fmt.Errorf("%w: its worker process reached the ceiling of %d MiB (-max-memory) and ended (%s)%s", errOutOfMemory, maxMemory>>20, state, detail)
	}
	return fmt.Errorf("%w: its worker process ended (%s)%s", errCrashed, state, detail)
}

// outOfMemory reports whether a worker's last words say that an
// allocation failed: the Go runtime's "fatal error: runtime: out of
// memory", the race detector's "failed to allocate".
func outOfMemory(detail string) bool {
	return strings.Contains(detail, "out of memory") || strings.Contains(detail, "failed to allocate")
}

// kill kills the worker and the processes it started (its process
// group), waits for it and returns how it ended. Its output is closed as
// soon as it has ended, not read to its end: a process it started and
// that escaped the kill could hold it open.
func (w *worker) kill() string {
	killGroup(w.cmd.Process)
	w.cmd.Wait() // (closes the output: receive ends)
	w.wait()
	return w.cmd.ProcessState.String()
}

// stop closes the worker's input, so that it exits; it is killed if it
// has not within workerStop.
func (w *worker) stop() {
	w.stdin.Close()
	timer := time.NewTimer(workerStop)
	defer timer.Stop()
	for {
		select {
		case _, ok := <-w.answers:
			if !ok {
				w.wait()
				return
			}
		case <-timer.C:
			w.kill()
			return
		}
	}
}

// wait reads what is left of the worker's output and waits for the
// process, so that neither a goroutine nor a zombie outlives it.
func (w *worker) wait() {
	for range w.answers {
	}
	w.cmd.Wait()
	w.mem.close()
}

// headWriter keeps the first max bytes written to it and drops the rest.
type headWriter struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (h *headWriter) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if n := h.max - h.buf.Len(); n > 0 {
		h.buf.Write(p[:min(n, len(p))])
	}
	return len(p), nil
}

// reset forgets what was written, so that detail is about what comes.
func (h *headWriter) reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.buf.Reset()
}

// detail is the line of a worker's standard error that says why it
// ended ("panic: ...", "fatal error: ..."), else its first line, as ": "
// and one printable line; "" when it wrote nothing.
func (h *headWriter) detail() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(h.buf.String()), "\n")
	line := lines[0]
	for _, l := range lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			line = l
			break
		}
	}
	if line == "" {
		return ""
	}
	return ": " + oneLine(line, maxWorkerDetail)
}

// maxWorkerDetail bounds, in bytes, what a failure record takes from a
// worker's standard error.
const maxWorkerDetail = 200
