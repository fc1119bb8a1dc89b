package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Run is one writer's hold on a dataset directory: while it lives it holds
// a lock on runs/<run>.lock, so that other runs (shards writing into the
// same directory) leave its unfinished batches alone, and it names its
// batches <run>-<sequence> (see parts.go). A Run is not safe for
// concurrent use.
type Run struct {
	dir     string
	name    string // <time in base 36>.<pid>: unique per process and moment
	lock    *os.File
	batches int
}

// OpenRun starts a run in dir, creating dir if needed: it takes the run's
// lock, then removes what runs no longer alive left unfinished (temporary
// files, uncommitted parts, compactions stopped half way) and, a minute
// after they died, their lock files. With force it first removes the
// record sets, files included, unless another run is writing into dir
// (the error then wraps ErrInUse). The caller must Close the run.
func OpenRun(dir string, force bool) (*Run, error) {
	runs := filepath.Join(dir, "runs")
	if err := os.MkdirAll(runs, 0o755); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	r := &Run{dir: dir, name: strconv.FormatInt(time.Now().UnixNano(), 36) + "." + strconv.Itoa(os.Getpid())}
	f, err := os.OpenFile(filepath.Join(runs, r.name+".lock"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("schema: locking %s: %w", f.Name(), err)
	}
	r.lock = f
	if err := r.prepare(force); err != nil {
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

// Dir is the dataset directory of the run.
func (r *Run) Dir() string { return r.dir }

// NextBatch names the run's next batch: <run>-<sequence>, the sequence
// from 000001, so that a run's batches sort in the order it wrote them.
func (r *Run) NextBatch() string {
	r.batches++
	return fmt.Sprintf("%s-%06d", r.name, r.batches)
}

// Compact merges the committed parts of the directory (see the function
// compact) into one batch of the run. It refuses, with an error wrapping
// ErrInUse, while another run is writing into the directory.
func (r *Run) Compact() (int, error) {
	if other := r.otherLiveRun(); other != "" {
		return 0, fmt.Errorf("schema: %w: run %s is writing into %s", ErrInUse, other, r.dir)
	}
	return compact(r.dir, r.NextBatch())
}

// Close ends the run: its lock file is removed. Its uncommitted batches,
// if any, are then removed by the next run.
func (r *Run) Close() error {
	if r.lock == nil {
		return nil
	}
	err := errors.Join(os.Remove(r.lock.Name()), r.lock.Close())
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
	// A dead run's lock goes, once it is old enough not to be a run
	// between creating its lock file and locking it.
	if st, err := f.Stat(); err == nil && time.Since(st.ModTime()) > time.Minute {
		os.Remove(f.Name())
	}
	return false
}

// otherLiveRun names another run alive in the directory, "" if none.
func (r *Run) otherLiveRun() string {
	entries, _ := os.ReadDir(filepath.Join(r.dir, "runs"))
	for _, e := range entries {
		if run, ok := strings.CutSuffix(e.Name(), ".lock"); ok && run != r.name && r.live(run) {
			return run
		}
	}
	return ""
}

// DocumentIDs returns the ids of the documents a dataset directory holds:
// those of its committed Parquet documents parts, or, in a directory
// written as JSON Lines only, those of its JSON Lines documents parts.
func DocumentIDs(dir string) (map[string]bool, error) {
	ids := make(map[string]bool)
	if _, err := os.Stat(filepath.Join(dir, "documents")); err == nil {
		docs, err := ReadDataset[Document](dir)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			ids[d.DocumentID] = true
		}
		return ids, nil
	}
	parts, _ := filepath.Glob(filepath.Join(dir, JSONLDir, "documents", "part-*.jsonl"))
	for _, p := range parts {
		if err := readJSONLIDs(p, ids); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// readJSONLIDs adds the document ids of one JSON Lines documents part.
func readJSONLIDs(path string, ids map[string]bool) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	for {
		var d struct {
			DocumentID string `json:"document_id"`
		}
		if err := dec.Decode(&d); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("schema: %s: %w", path, err)
		}
		ids[d.DocumentID] = true
	}
}
