package pipeline

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Watcher runs a batch in one child process and watches it, as Apache
// Tika's spawn-child mode runs its server: the child (the run's process)
// reads its documents and writes and commits the dataset as Run does in
// one process, telling the watcher which documents it is reading; the
// watcher does nothing but watch. When the child crashes or goes over
// MaxMemory, the watcher kills it if need be and starts it again: the
// documents it was reading (the suspects) are then read again, each alone
// in a worker process of its own (RunOptions.Isolate), which records what
// ended it with the reason ("crashed", "out of memory"); the documents of
// the batch it had not committed are read again as before, and the
// committed ones are skipped as in any run. A document the child read for
// longer than Timeout is recorded as failed, "timed out", by the next
// child, without being read again (a timeout is the document's own), and
// the other documents the child was reading are read again as before.
//
// The normal path costs a process start and a short note per document,
// not the records crossing a pipe: the cost of reading in worker
// processes throughout (see Isolation), which on two cores was 12–25%
// over a run in one process, is paid only for the suspects. What a crash
// costs is the batch in hand, read again (at most RunOptions.PartSize
// documents).
//
// The child is told it is watched through its environment and two
// pipes (WatchedRun). A child that ends on its own (it said so) ends
// Run; one that dies while it was reading no document (a crash while
// writing, a kill from outside) ends Run with an error, so that a run
// that cannot go on never loops.
type Watcher struct {
	// Command returns the command of the run (it is started again after
	// a crash): a program that runs the batch with RunOptions.Watched set
	// from WatchedRun, and calls Watched.End when it is done. resumed
	// says that a process of the run before this one had begun to read
	// documents: it had opened the dataset and committed what it
	// committed (a run that removes the dataset's records first, as
	// RunOptions.Force does, is not to do it again). Its standard input,
	// output and error are the caller's to set; Run sets its extra
	// files, its process attributes and adds to its environment. It is
	// to be the program itself, not a wrapper (sh -c, nice): a kill
	// reaches the process started, not what it started. Required.
	Command func(resumed bool) *exec.Cmd
	// MaxMemory is the ceiling of the child's memory, in bytes: a child
	// whose resident memory goes over it is killed, and on Linux its data
	// segment is limited to it (RLIMIT_DATA). Default 2 GiB.
	MaxMemory int64
	// Timeout bounds the time the child spends on one document it reads
	// itself (RunOptions.Timeout; the suspects' worker processes have
	// their own). Default 10 minutes.
	Timeout time.Duration
	// Log, when not nil, gets a line each time the child is started
	// again, saying why.
	Log io.Writer
}

// WatchStats describe a run a Watcher watched.
type WatchStats struct {
	// Starts is how many times the child was started.
	Starts int
	// Peak is the most memory a child held resident, in bytes, as read
	// every 100 ms and when it says it ended (its own, not its worker
	// processes'; Linux, 0 elsewhere).
	Peak int64
	// Suspects are the documents the child was reading when it was
	// ended, by their id and quoted file ("<id> \"a.pdf\""), with what
	// the watcher saw: "" when a crash or the memory ceiling ended it
	// (the document is read again alone in a worker process), else the
	// reason recorded without reading it again (a timeout).
	Suspects map[string]string
}

// watchedEnv tells a child that a Watcher started it: its value is the
// file descriptors of the notes it writes and of the suspects it reads.
const watchedEnv = "BUDGETPDF_WATCHED"

// Default Watcher values.
const (
	defaultWatchedMemory = 2 << 30
	// watchPoll is how often the watcher reads the child's resident memory
	// and the clocks of the documents it reads: less often than a
	// worker's (memoryPoll), since the child's heap is limited by
	// RLIMIT_DATA already, and every wake of the watcher costs the cores
	// (its runtime's monitor and scheduler: at 20 ms, 0.5 s of CPU over
	// a 14-second run).
	watchPoll = 100 * time.Millisecond
)

// The notes a child writes, a line each: the document it starts reading,
// the one it has read, and its own end.
const (
	noteReading = 'R'
	noteRead    = 'D'
	noteEnd     = 'E'
)

// Run runs the child until it ends on its own and returns its exit status
// and what the watcher saw. An error means the run could not go on: the
// child could not be started, or it died while it read no document
// (what it committed stays; the next run reads the rest). When ctx is
// done, the child is sent SIGTERM (it keeps what it committed and ends);
// Run returns once it has ended.
func (w *Watcher) Run(ctx context.Context) (code int, stats WatchStats, err error) {
	if w.Command == nil {
		return 0, stats, errors.New("pipeline: Watcher.Command is required")
	}
	maxMemory, timeout := cmpOr(w.MaxMemory, defaultWatchedMemory), cmpOr(w.Timeout, defaultTimeout)
	stats.Suspects = make(map[string]string)
	for resumed := false; ; {
		a, err := w.attempt(ctx, w.Command(resumed), stats.Suspects, maxMemory, timeout)
		resumed = resumed || a.began
		stats.Starts++
		stats.Peak = max(stats.Peak, a.peak)
		if err != nil {
			return 0, stats, err
		}
		if a.ended {
			return a.code, stats, nil
		}
		inHand := slices.Sorted(maps.Keys(a.inHand))
		var why, then string
		switch {
		case ctx.Err() != nil:
			return 0, stats, fmt.Errorf("pipeline: the run's process ended (%s) when it was stopped, without saying so", a.state)
		case a.timedOut != "":
			stats.Suspects[a.timedOut] = fmt.Sprintf("%v: gave up after %v (-timeout); the run's process, reading it, was killed (%s)", errTimedOut, timeout, a.state)
			why = fmt.Sprintf("read %s for over %v (-timeout) and was killed (%s)", noteFile(a.timedOut), timeout, a.state)
			then = "records it as timed out"
		case len(inHand) == 0:
			return 0, stats, fmt.Errorf("pipeline: the run's process %s while it read no document; the batches it committed stay, and the next run reads the rest", a.died())
		default:
			for _, k := range inHand {
				stats.Suspects[k] = ""
			}
			names := make([]string, len(inHand))
			for i, k := range inHand {
				names[i] = noteFile(k)
			}
			why = fmt.Sprintf("%s while it read %s", a.died(), strings.Join(names, ", "))
			then = "reads each of them alone in a worker process"
		}
		if w.Log != nil {
			fmt.Fprintf(w.Log, "budgetpdf: the run's process %s; started again, it %s, and reads again what it had not committed\n", why, then)
		}
	}
}

// cmpOr is v, or def when v is not positive.
func cmpOr[T int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// attempt is one child's life, as the watcher saw it.
type attempt struct {
	ended    bool // it said it ended on its own
	began    bool // it noted a document it read
	code     int  // its exit status then
	state    string
	inHand   map[string]time.Time // the documents it was reading, by key (noteKey), since when
	overMem  int64                // its resident memory when it was killed over the ceiling; 0 if it was not
	maxMem   int64
	timedOut string // the key of the document it was killed for reading too long; "" if none
	peak     int64
}

// died says how a child that did not end on its own ended.
func (a *attempt) died() string {
	if a.overMem > 0 {
		return fmt.Sprintf("held %d MiB, over its ceiling of %d MiB, and was killed (%s)", a.overMem>>20, a.maxMem>>20, a.state)
	}
	return "ended (" + a.state + ")"
}

// attempt starts the child with the suspects and watches it until it
// has ended. An error means it could not be started.
func (w *Watcher) attempt(ctx context.Context, cmd *exec.Cmd, suspects map[string]string, maxMemory int64, timeout time.Duration) (a attempt, err error) {
	a.inHand, a.maxMem = make(map[string]time.Time), maxMemory
	notesR, notesW, err := os.Pipe()
	if err != nil {
		return a, fmt.Errorf("pipeline: starting the run's process: %w", err)
	}
	defer notesR.Close()
	suspR, suspW, err := os.Pipe()
	if err != nil {
		notesW.Close()
		return a, fmt.Errorf("pipeline: starting the run's process: %w", err)
	}
	cmd.ExtraFiles = []*os.File{notesW, suspR}
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	cmd.Env = append(env[:len(env):len(env)], watchedEnv+"=3,4")
	cmd.SysProcAttr = watchedAttr()
	cmd.WaitDelay = workerStop
	err = cmd.Start()
	notesW.Close()
	suspR.Close()
	if err != nil {
		suspW.Close()
		return a, fmt.Errorf("pipeline: starting the run's process: %w", err)
	}
	list, _ := json.Marshal(suspects) // (here: Run adds to them once the child is gone)
	go func() {
		// (in a goroutine: the child reads them when it is ready)
		suspW.Write(list)
		suspW.Close()
	}()
	if err := limitData(cmd.Process.Pid, maxMemory); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return a, fmt.Errorf("pipeline: limiting the run's memory: %w", err)
	}
	mem := watchMemory(cmd.Process.Pid)
	defer mem.close()
	notes, quit := make(chan string), make(chan struct{})
	defer close(quit) // (the reader of the notes ends with the attempt)
	go func() {
		defer close(notes)
		// A line over maxNote is dropped, and the lines after it read:
		// the notes are never left unread (the child would block on them).
		br := bufio.NewReaderSize(notesR, maxNote)
		for long := false; ; {
			line, err := br.ReadSlice('\n')
			if errors.Is(err, bufio.ErrBufferFull) {
				long = true
				continue
			}
			if !long && len(line) > 0 {
				select {
				case notes <- strings.TrimSuffix(string(line), "\n"):
				case <-quit:
					return
				}
			}
			long = false
			if err != nil {
				return
			}
		}
	}()
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	poll := time.NewTicker(watchPoll)
	defer poll.Stop()
	done := ctx.Done()
	var late <-chan time.Time    // once the child has ended: how long its notes may take to end
	var lingers <-chan time.Time // once its notes have ended: how long the child may take to end
	hung := false
	kill := func() { cmd.Process.Kill() }
	for notes != nil || exited != nil {
		select {
		case <-late:
			notes = nil // (a process it started holds them: it is not waited for)
		case <-lingers:
			// (it closed its notes, said it ended or not, and lives on)
			hung = true
			kill()
		case n, ok := <-notes:
			if !ok {
				notes = nil
				if exited != nil {
					lingers = time.After(workerStop)
				}
				continue
			}
			if a.note(n); a.ended {
				a.peak = max(a.peak, mem.peak()) // (a run of less than a poll)
			}
		case <-exited:
			exited = nil
			// (the notes end with the process: WatchedRun keeps them from
			// the processes it starts)
			late = time.After(workerStop)
		case <-poll.C:
			if exited == nil {
				continue
			}
			a.peak = max(a.peak, mem.peak())
			if a.overMem == 0 && a.timedOut == "" {
				if rss := mem.resident(); rss > maxMemory {
					a.overMem = rss
					kill()
				} else if k := a.overTime(timeout); k != "" {
					a.timedOut = k
					kill()
				}
			}
		case <-done:
			done = nil
			cmd.Process.Signal(syscall.SIGTERM)
		}
	}
	a.state = cmd.ProcessState.String()
	if a.ended && a.overMem == 0 && a.timedOut == "" {
		if hung || !cmd.ProcessState.Exited() {
			how := "ended (" + a.state + ")"
			if hung {
				how = fmt.Sprintf("did not end within %v and was killed (%s)", workerStop, a.state)
			}
			return a, fmt.Errorf("pipeline: the run's process said it ended, then %s; the batches it committed stay", how)
		}
		a.code = cmd.ProcessState.ExitCode()
	} else {
		a.ended = false
	}
	return a, nil
}

// maxNote bounds a line of a child's notes, in bytes: a longer one is
// dropped.
const maxNote = 1 << 20

// note takes in one line of the child's notes.
func (a *attempt) note(line string) {
	if line == string(noteEnd) {
		a.ended = true
		return
	}
	kind, key, ok := strings.Cut(line, "\t")
	if !ok || len(kind) != 1 {
		return
	}
	switch kind[0] {
	case noteReading:
		a.inHand[key] = time.Now()
		a.began = true
	case noteRead:
		delete(a.inHand, key)
	}
}

// overTime is the key of a document the child has read for longer than
// timeout, "" if none.
func (a *attempt) overTime(timeout time.Duration) string {
	for k, since := range a.inHand {
		if time.Since(since) > timeout {
			return k
		}
	}
	return ""
}

// noteKey is how a note names a document: its id and its file, quoted.
func noteKey(j *job) string { return j.id + " " + strconv.Quote(j.file) }

// noteFile is the file a note's key names, as a log line shows it.
func noteFile(key string) string {
	_, f, _ := strings.Cut(key, " ")
	return f
}

// Watched is what a run that a Watcher started gets from it: where it
// notes the documents it reads, and the suspects of the child before it,
// which it reads in worker processes (RunOptions.Isolate) or records
// with the watcher's reason. See RunOptions.Watched.
type Watched struct {
	mu       sync.Mutex
	notes    io.WriteCloser
	suspects map[string]string
	files    map[string]bool // the suspects' files (noteFile)
}

// WatchedRun returns what the Watcher that started this process gives
// it, or nil when no Watcher did. It takes the watcher's files (file
// descriptors 3 and 4), so that the processes this one starts do not
// hold them.
func WatchedRun() (*Watched, error) {
	v := os.Getenv(watchedEnv)
	if v == "" {
		return nil, nil
	}
	os.Unsetenv(watchedEnv)
	if v != "3,4" {
		return nil, fmt.Errorf("pipeline: %s=%q: want 3,4 (set by the run that watches this one)", watchedEnv, v)
	}
	for _, fd := range []int{3, 4} {
		var st syscall.Stat_t
		if err := syscall.Fstat(fd, &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFIFO {
			return nil, fmt.Errorf("pipeline: %s is set, but file descriptor %d is not a pipe from the run that watches this one", watchedEnv, fd)
		}
		syscall.CloseOnExec(fd)
	}
	notes, in := os.NewFile(3, "notes"), os.NewFile(4, "suspects")
	defer in.Close()
	wd := &Watched{notes: notes}
	if err := json.NewDecoder(in).Decode(&wd.suspects); err != nil {
		notes.Close()
		return nil, fmt.Errorf("pipeline: reading the suspects from the run that watches this one: %w", err)
	}
	// A file whose bytes changed since, a URL that answers other bytes,
	// has another id: it is read alone in a worker process (not given
	// the reason found for other bytes), or it would be read in this
	// process again, and the run started again for ever.
	wd.files = make(map[string]bool, len(wd.suspects))
	for k := range wd.suspects {
		wd.files[noteFile(k)] = true
	}
	return wd, nil
}

// note tells the watcher of a document.
func (wd *Watched) note(kind byte, key string) {
	wd.mu.Lock()
	defer wd.mu.Unlock()
	// (an error means the watcher is gone, and this process dies with it)
	wd.notes.Write([]byte(string(kind) + "\t" + key + "\n"))
}

// End tells the watcher that the run ended on its own: its exit status
// is the run's. A run that does not call it is taken to have died.
func (wd *Watched) End() {
	wd.mu.Lock()
	defer wd.mu.Unlock()
	wd.notes.Write([]byte{noteEnd, '\n'})
	wd.notes.Close()
}

// watchedRead reads a document the watched run reads itself (a test
// reads with faults instead).
var watchedRead = readDocument

// watchedReader reads the documents of one of readAll's goroutines in a
// watched run: in this process, noted, and the suspects in a worker
// process of their own (or recorded with the watcher's reason).
type watchedReader struct {
	o   *RunOptions
	iso *isolated // nil until a suspect comes
}

// noPeek takes no next job: a worker reads a suspect alone.
func noPeek() (job, bool) { return job{}, false }

func (r *watchedReader) read(ctx context.Context, j job, _ func() (job, bool)) (*Result, error) {
	wd, key := r.o.Watched, noteKey(&j)
	reason, ok := wd.suspects[key]
	if !ok && wd.files[noteFile(key)] {
		reason, ok = "", true
	}
	if ok && j.err == nil {
		if reason != "" {
			res := &Result{Document: j.record()}
			res.fail(fmt.Errorf("%s: %s", j.file, reason))
			return res, nil
		}
		if r.iso == nil {
			r.iso = &isolated{o: r.o, iso: r.o.Isolate}
		}
		return r.iso.read(ctx, j, noPeek)
	}
	if ctx.Err() != nil {
		return nil, nil
	}
	wd.note(noteReading, key)
	res, _ := watchedRead(ctx, j, r.o.options())
	wd.note(noteRead, key)
	if ctx.Err() != nil {
		return nil, nil
	}
	return res, nil
}

func (r *watchedReader) close() {
	if r.iso != nil {
		r.iso.close()
	}
}
