package schema

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Run is one writer's hold on a dataset directory. While it lives it
// holds a lock on runs/<run>.lock, so that other runs leave its batches
// alone, and it names its batches <run>-<sequence> (see parts.go). The
// documents it is to read it claims first (Claim), in runs/<run>.claims,
// so that two runs never read one document. Whatever changes what is
// committed other than by adding a batch (recovery, claims, superseding a
// failed record, recording files, compaction, -force) holds the dataset
// lock, runs/dataset.lock, meanwhile. A Run is not safe for concurrent
// use.
type Run struct {
	dir     string
	name    string // <time in base 36>.<pid>: unique per process and moment
	lock    *os.File
	batches int
	locked  bool // the run holds the dataset lock
	// claimed are the documents the run claimed; supersedes, by document
	// claimed, the failed records its new record replaces.
	claimed    []string
	supersedes map[string][]superseded
}

// datasetLock is the file in runs/ of the dataset lock.
const datasetLock = "dataset.lock"

// deadLockAge is how old a dead run's lock file must be before it is
// removed: older than a run between creating its lock file and locking it.
const deadLockAge = time.Minute

// OpenRun starts a run in dir, creating dir if needed: it takes the run's
// lock, then, holding the dataset lock, removes what runs no longer alive
// left uncommitted, publishes what they committed but did not publish,
// brings batches of an older budgetpdf up to date, and removes the lock
// files of runs dead for a minute. With force it first removes the record
// sets, files included, unless another run is writing into dir (the error
// then wraps ErrInUse). The caller must Close the run.
func OpenRun(dir string, force bool) (*Run, error) {
	runs := filepath.Join(dir, "runs")
	if err := os.MkdirAll(runs, 0o755); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	r := &Run{dir: dir, name: strconv.FormatInt(time.Now().UnixNano(), 36) + "." + strconv.Itoa(os.Getpid()), supersedes: make(map[string][]superseded)}
	f, err := os.OpenFile(filepath.Join(runs, r.name+".lock"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	// (the file is this run's alone: another run only probes it, for a
	// moment (live), so the lock is waited for, not tried once)
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("schema: locking %s: %w", f.Name(), err)
	}
	r.lock = f
	if err := r.withLock(func() error { return r.prepare(force) }); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// prepare makes the directory ready for the run: emptied with force, then
// recovered from dead runs.
func (r *Run) prepare(force bool) error {
	if force {
		if other := r.otherLiveRun(); other != "" {
			return fmt.Errorf("schema: %w: run %s is writing into %s", ErrInUse, other, r.dir)
		}
		if err := removeSets(r.dir); err != nil {
			return err
		}
	}
	if _, err := recoverDir(r.dir, r.live); err != nil {
		return err
	}
	r.otherLiveRun() // removes the locks of dead runs
	return nil
}

// withLock runs fn holding the dataset lock, waiting for it if need be.
func (r *Run) withLock(fn func() error) error {
	if r.locked {
		return fn()
	}
	f, err := os.OpenFile(filepath.Join(r.dir, "runs", datasetLock), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	defer f.Close()
	for {
		if err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("schema: locking %s: %w", f.Name(), err)
	}
	r.locked = true
	defer func() {
		r.locked = false
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	}()
	return fn()
}

// Dir is the dataset directory of the run.
func (r *Run) Dir() string { return r.dir }

// NextBatch names the run's next batch: <run>-<sequence>, the sequence
// from 000001, so that a run's batches sort in the order it wrote them.
func (r *Run) NextBatch() string {
	r.batches++
	return fmt.Sprintf("%s-%06d", r.name, r.batches)
}

// NewPartWriter starts the run's next batch in each of formats. Its
// records of documents the run claimed supersede the failed records of
// the same documents (see Claim).
func (r *Run) NewPartWriter(formats []string) (*PartWriter, error) {
	w, err := NewPartWriter(r.dir, formats, r.NextBatch())
	if err != nil {
		return nil, err
	}
	w.run = r
	return w, nil
}

// ClaimResult says what became of a document a run offered to read
// (Run.Claim).
type ClaimResult int

const (
	Claimed   ClaimResult = iota // the run is to read it
	Committed                    // the dataset holds it already, with a status other than failed
	Busy                         // another live run claimed it
)

// Claim decides, for each document a run has been given, whether the run
// reads it, and claims those it reads, so that no other run reads them
// while it lives. Only the id and the paths of each document are looked at
// (DocumentID, SourceFile, DuplicateFiles). A document is
//
//   - Committed when a committed batch holds it with a status other than
//     failed: the skip set;
//   - Busy when another live run claimed it: that run reads it;
//   - Claimed otherwise. Its record then supersedes the failed records of
//     the same id, and those of its paths recorded with PathID (a file
//     that could not be read then): when its batch is committed, they are
//     removed from their batches.
//
// The claims of other runs are read before the manifests: a run that
// stops being alive meanwhile has committed what it will ever commit.
func (r *Run) Claim(docs []Document) ([]ClaimResult, error) {
	out := make([]ClaimResult, len(docs))
	err := r.withLock(func() error {
		busy, err := r.othersClaims()
		if err != nil {
			return err
		}
		v, err := readView(r.dir)
		if err != nil {
			return err
		}
		held := v.held()
		n := len(r.claimed)
		for i, d := range docs {
			ids := claimIDs(d)
			h, ok := held[d.DocumentID]
			switch {
			case ok && h.status != StatusFailed:
				out[i] = Committed
			case slices.ContainsFunc(ids, func(id string) bool { return busy[id] }):
				out[i] = Busy
			default:
				out[i] = Claimed
				r.claim(d.DocumentID, ids, held)
			}
		}
		if len(r.claimed) == n {
			return nil
		}
		_, err = writeFileAtomic(r.claimsPath(), []byte(strings.Join(r.claimed, "\n")+"\n"))
		return err
	})
	return out, err
}

// claimIDs are the ids a document's record may supersede: its own, then
// the path ids of its paths.
func claimIDs(d Document) []string {
	ids := []string{d.DocumentID}
	for _, p := range append([]string{d.SourceFile}, d.DuplicateFiles...) {
		if id := PathID(p); !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// claim takes a document with the path ids of its paths, whether or not
// the dataset holds a record under them (another run at the same time
// that cannot read one of the paths would record it failed under its
// path id: the path twice), and the failed records it supersedes.
func (r *Run) claim(id string, ids []string, held map[string]holding) {
	r.claimed = append(r.claimed, id)
	for _, c := range ids {
		if c != id {
			r.claimed = append(r.claimed, c)
		}
		if h, ok := held[c]; ok && h.status == StatusFailed {
			r.supersedes[id] = append(r.supersedes[id], superseded{ID: c, Batch: h.batch})
		}
	}
}

// superseded are the failed records that the records of docs replace.
func (r *Run) superseded(docs []docEntry) []superseded {
	var out []superseded
	for _, d := range docs {
		out = append(out, r.supersedes[d.ID]...)
	}
	slices.SortFunc(out, func(a, b superseded) int { return cmp.Or(cmp.Compare(a.Batch, b.Batch), cmp.Compare(a.ID, b.ID)) })
	return slices.Compact(out)
}

func (r *Run) claimsPath() string { return filepath.Join(r.dir, "runs", r.name+".claims") }

// othersClaims are the documents claimed by the other live runs. The
// claims of dead runs are removed.
func (r *Run) othersClaims() (map[string]bool, error) {
	busy := make(map[string]bool)
	entries, err := os.ReadDir(filepath.Join(r.dir, "runs"))
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	for _, e := range entries {
		if tmp, ok := strings.CutPrefix(e.Name(), "."); ok && strings.HasSuffix(tmp, ".tmp") {
			if run, _, _ := strings.Cut(tmp, ".claims."); !r.live(run) {
				os.Remove(filepath.Join(r.dir, "runs", e.Name())) // a dead run's claims being written
			}
			continue
		}
		run, ok := strings.CutSuffix(e.Name(), ".claims")
		if !ok || run == r.name {
			continue
		}
		p := filepath.Join(r.dir, "runs", e.Name())
		if !r.live(run) {
			os.Remove(p)
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			continue // (the run ended meanwhile)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			busy[sc.Text()] = true
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("schema: %s: %w", p, err)
		}
	}
	return busy, nil
}

// AddFiles records, as a batch of the run, the paths of refs that the
// files record set of the directory does not hold yet (a path with its
// document).
func (r *Run) AddFiles(formats []string, refs []FileRef) error {
	return r.withLock(func() error {
		known, err := ReadFileRefs(r.dir)
		if err != nil {
			return err
		}
		seen := make(map[FileRef]bool, len(known))
		for _, k := range known {
			seen[k] = true
		}
		var add []FileRef
		for _, ref := range refs {
			if !seen[ref] {
				seen[ref] = true
				add = append(add, ref)
			}
		}
		if len(add) == 0 {
			return nil
		}
		w, err := r.NewPartWriter(formats)
		if err != nil {
			return err
		}
		if err := w.Write(Dataset{Files: add}); err != nil {
			w.Abort()
			return err
		}
		return w.Close()
	})
}

// Compact merges the committed parts of the directory (see the function
// compact) into one batch of the run, holding the dataset lock: a run
// started meanwhile waits for it. It refuses, with an error wrapping
// ErrInUse, while another run is writing into the directory.
func (r *Run) Compact() (int, error) {
	var n int
	err := r.withLock(func() error {
		if other := r.otherLiveRun(); other != "" {
			return fmt.Errorf("schema: %w: run %s is writing into %s", ErrInUse, other, r.dir)
		}
		var err error
		n, err = compact(r.dir, r)
		return err
	})
	return n, err
}

// downloadDir holds the downloads of each live run: .downloads/<run>/.
const downloadDir = ".downloads"

// DownloadDir returns the run's own directory for downloads
// (DIR/.downloads/<run>/), created if need be: files the run reads and
// does not keep. Close removes it; if the run dies, the next run's
// recovery does.
func (r *Run) DownloadDir() (string, error) {
	d := filepath.Join(r.dir, downloadDir, r.name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return "", fmt.Errorf("schema: %w", err)
	}
	return d, nil
}

// removeDeadDownloads removes the download directories of the runs no
// longer alive.
func removeDeadDownloads(dir string, live func(string) bool) (int, error) {
	entries, err := os.ReadDir(filepath.Join(dir, downloadDir))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("schema: %w", err)
	}
	removed := 0
	for _, e := range entries {
		if live(e.Name()) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, downloadDir, e.Name())); err != nil {
			return removed, fmt.Errorf("schema: %w", err)
		}
		removed++
	}
	return removed, nil
}

// Close ends the run: its claims, its downloads and its lock file are
// removed. Its uncommitted batches, if any, are then removed by the next
// run.
func (r *Run) Close() error {
	if r.lock == nil {
		return nil
	}
	cerr := os.Remove(r.claimsPath())
	if errors.Is(cerr, os.ErrNotExist) {
		cerr = nil
	}
	cerr = errors.Join(cerr, os.RemoveAll(filepath.Join(r.dir, downloadDir, r.name)))
	err := errors.Join(cerr, os.Remove(r.lock.Name()), r.lock.Close())
	r.lock = nil
	if err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	return nil
}

// live reports whether run still holds its lock. A run whose lock file is
// gone has ended.
func (r *Run) live(run string) bool {
	if run == r.name {
		return true
	}
	f, err := os.Open(filepath.Join(r.dir, "runs", run+".lock"))
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return true
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	if st, err := f.Stat(); err == nil && time.Since(st.ModTime()) > deadLockAge {
		os.Remove(f.Name())
	}
	return false
}

// otherLiveRun names another run alive in the directory, "" if none.
func (r *Run) otherLiveRun() string {
	entries, _ := os.ReadDir(filepath.Join(r.dir, "runs"))
	for _, e := range entries {
		run, ok := strings.CutSuffix(e.Name(), ".lock")
		if ok && e.Name() != datasetLock && run != r.name && r.live(run) {
			return run
		}
	}
	return ""
}
