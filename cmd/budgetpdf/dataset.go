package main

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/budgetpdf/budgetpdf/schema"
)

// dataset is a dataset directory opened by a run: the run holds a lock on
// runs/<run>.lock while it writes, so that other runs (shards writing into
// the same directory) leave its unfinished batches alone.
type dataset struct {
	dir     string
	run     string
	lock    *os.File
	done    map[string]bool // document ids already recorded
	known   map[string]bool // path + "\x00" + document id, already in files
	batches int
}

// openDataset locks a new run in dir, removes what dead runs left
// unfinished, and reads the documents already recorded. With force, the
// record sets are removed first, unless another run is writing.
func openDataset(dir string, force bool) (*dataset, error) {
	runs := filepath.Join(dir, "runs")
	if err := os.MkdirAll(runs, 0o755); err != nil {
		return nil, err
	}
	ds := &dataset{dir: dir, run: strconv.FormatInt(time.Now().UnixNano(), 36) + "." + strconv.Itoa(os.Getpid())}
	f, err := os.OpenFile(filepath.Join(runs, ds.run+".lock"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", f.Name(), err)
	}
	ds.lock = f
	if force {
		if other := ds.otherLiveRun(); other != "" {
			ds.close()
			return nil, fmt.Errorf("-force: run %s is writing into %s", other, dir)
		}
		if err := schema.RemoveSets(dir); err != nil {
			ds.close()
			return nil, err
		}
	}
	if _, err := schema.Recover(dir, ds.live); err != nil {
		ds.close()
		return nil, err
	}
	ds.otherLiveRun() // removes the locks of dead runs
	refs, err := schema.ReadFileRefs(dir)
	if err != nil {
		ds.close()
		return nil, err
	}
	ds.known = make(map[string]bool, len(refs))
	for _, r := range refs {
		ds.known[r.SourceFile+"\x00"+r.DocumentID] = true
	}
	ds.done = make(map[string]bool)
	if _, err := os.Stat(filepath.Join(dir, "documents")); err == nil {
		docs, err := schema.ReadDataset[schema.Document](dir)
		if err != nil {
			ds.close()
			return nil, err
		}
		for _, d := range docs {
			ds.done[d.DocumentID] = true
		}
	} else if err := ds.readJSONLDone(); err != nil {
		ds.close()
		return nil, err
	}
	return ds, nil
}

// readJSONLDone reads the document ids of a dataset written as JSON Lines
// only.
func (ds *dataset) readJSONLDone() error {
	parts, _ := filepath.Glob(filepath.Join(ds.dir, schema.JSONLDir, "documents", "part-*.jsonl"))
	for _, p := range parts {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(f)
		for {
			var d struct {
				DocumentID string `json:"document_id"`
			}
			if err := dec.Decode(&d); err == io.EOF {
				break
			} else if err != nil {
				f.Close()
				return fmt.Errorf("%s: %w", p, err)
			}
			ds.done[d.DocumentID] = true
		}
		f.Close()
	}
	return nil
}

// live reports whether run still holds its lock. A run whose lock file is
// gone has ended.
func (ds *dataset) live(run string) bool {
	if run == ds.run {
		return true
	}
	f, err := os.Open(filepath.Join(ds.dir, "runs", run+".lock"))
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

func (ds *dataset) otherLiveRun() string {
	entries, _ := os.ReadDir(filepath.Join(ds.dir, "runs"))
	for _, e := range entries {
		if run, ok := strings.CutSuffix(e.Name(), ".lock"); ok && ds.live(run) && run != ds.run {
			return run
		}
	}
	return ""
}

// newRefs are the paths of jobs that files does not hold yet.
func (ds *dataset) newRefs(jobs []job) []schema.FileRef {
	var refs []schema.FileRef
	for _, j := range jobs {
		for _, path := range append([]string{j.file}, j.duplicates...) {
			if key := path + "\x00" + j.id; !ds.known[key] {
				ds.known[key] = true
				refs = append(refs, schema.FileRef{SourceFile: path, DocumentID: j.id})
			}
		}
	}
	return refs
}

// nextBatch names the run's next batch.
func (ds *dataset) nextBatch() string {
	ds.batches++
	return fmt.Sprintf("%s-%06d", ds.run, ds.batches)
}

// close ends the run: its lock file is removed.
func (ds *dataset) close() {
	if ds.lock != nil {
		os.Remove(ds.lock.Name())
		ds.lock.Close()
		ds.lock = nil
	}
}

// shard is K of N (1-based); the zero shard takes everything.
type shard struct{ k, n uint64 }

func parseShard(s string) (shard, error) {
	if s == "" {
		return shard{}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	k, err1 := strconv.ParseUint(a, 10, 32)
	n, err2 := strconv.ParseUint(b, 10, 32)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return shard{}, fmt.Errorf("%w: -shard %q: want K/N with 1 <= K <= N", errUsage, s)
	}
	return shard{k, n}, nil
}

// takes reports whether the shard holds a document: by its hash, so that
// copies of one file fall in the same shard; by its path when the file
// could not be hashed.
func (s shard) takes(j job) bool {
	if s.n == 0 {
		return true
	}
	var h uint64
	if v, err := strconv.ParseUint(j.id[:min(len(j.id), 16)], 16, 64); j.id != "" && err == nil {
		h = v
	} else {
		f := fnv.New64a()
		f.Write([]byte(j.file))
		h = f.Sum64()
	}
	return h%s.n == s.k-1
}
