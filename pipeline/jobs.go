package pipeline

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/budgetpdf/budgetpdf/schema"
)

// job is one document to read: a file, its hash, and the other paths of
// the batch with the same bytes.
type job struct {
	file       string // the name: the path as given, or the URL (the document's source_file)
	path       string // the local file to read when it is not file (a download); "" for file
	id         string // the document id: hex SHA-256 of the bytes, schema.PathID(file) when the file could not be read
	err        error  // why it could not, or why it is not to be parsed
	duplicates []string
	origin     string // the manifest line of its input ("crawl.csv:7"), "" if none
	crawl      crawl  // what a crawl knows of the file
	// pinned is a job the shard took already: a URL, sharded by its URL
	// before its download.
	pinned      bool
	notModified bool  // a URL the server said did not change (304): id is the document the dataset holds from it
	size        int64 // the file's bytes (a URL's as downloaded), once hashed; 0 when unknown
	// modTime is the file's modification time when it was hashed; zero
	// when it was not (see changed).
	modTime time.Time
}

// changed says how the file differs from the bytes hashed for its id
// (its size or its modification time is not what it was): the records
// read from it would be another file's under this id. "" when it is
// the same, or was not hashed here.
func (j *job) changed() string {
	if j.modTime.IsZero() {
		return ""
	}
	st, err := os.Stat(j.local())
	switch {
	case err != nil:
		return "gone while the run read it"
	case st.Size() != j.size || !st.ModTime().Equal(j.modTime):
		return "changed while the run read it (hashed at " + strconv.FormatInt(j.size, 10) + " bytes); it is read again on the next run"
	}
	return ""
}

// local is the file to read.
func (j *job) local() string { return cmp.Or(j.path, j.file) }

// record is the document record of the job before it is read: failed,
// with what the crawl knows of the file.
func (j *job) record() schema.Document {
	d := schema.Document{DocumentID: j.id, SourceFile: j.file, DuplicateFiles: j.duplicates, Status: schema.StatusFailed,
		Warnings: limitWarnings(j.crawl.Warnings)}
	j.crawl.apply(&d)
	return d
}

// crawl is what a crawl knows of a file: the facts of its document record
// (schema.Document's SourceURL, FinalURL, FetchedAt, ETag, LastModified,
// Metadata) and the warnings of its input, its document's first.
type crawl struct {
	SourceURL, FinalURL string
	FetchedAt           time.Time
	ETag, LastModified  string
	Metadata            map[string]string
	Warnings            []string
}

// crawlOf is what an input says of its file.
func crawlOf(in *Input) crawl {
	return crawl{SourceURL: cmp.Or(in.SourceURL, in.URL), FetchedAt: in.FetchedAt, Metadata: in.Metadata, Warnings: in.Warnings}
}

// apply sets the crawl's facts on a document record.
func (c *crawl) apply(d *schema.Document) {
	d.SourceURL, d.FinalURL, d.FetchedAt, d.ETag, d.LastModified = c.SourceURL, c.FinalURL, c.FetchedAt, c.ETag, c.LastModified
	d.Metadata = c.Metadata
}

// newJobs are the jobs of the inputs (mergeInputs): a local file's, to be
// hashed; a URL's, to be downloaded (those of other shards left out:
// URLs are sharded by URL, each downloaded by one shard); an input that
// does not read, failed with its error, under the id of its name.
func newJobs(inputs []Input, sh Shard) []job {
	jobs := make([]job, 0, len(inputs))
	for i := range inputs {
		in := &inputs[i]
		j := job{file: in.Name(), origin: in.Origin, crawl: crawlOf(in)}
		switch {
		case in.Err != nil:
			j.id, j.err = schema.PathID(j.file), in.Err
		case in.Path == "":
			if !sh.takesName(in.URL) {
				continue
			}
			j.pinned = true
		}
		jobs = append(jobs, j)
	}
	return jobs
}

// uniqueDocuments hashes the files of jobs (workers at a time) and keeps
// the first job of each content: a file copied under other names is read
// once, and its record lists the other names. A file over maxSize bytes
// is hashed but not parsed. A job whose id is known (one failed already,
// a URL not modified) is not hashed. An error reading a file listed in a
// manifest starts with the manifest's line (job.origin).
func uniqueDocuments(all []job, workers int, maxSize int64) []job {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(all), 1)) {
		wg.Go(func() {
			for i := range next {
				j := &all[i]
				j.id, j.size, j.modTime, j.err = fileID(j.local(), j.file)
				if j.err == nil && j.size > maxSize {
					j.err = fmt.Errorf("%s: %d bytes, over the limit of %d MiB (-max-size)", j.file, j.size, maxSize>>20)
				}
				if j.err != nil && j.origin != "" {
					j.err = fmt.Errorf("%s: %w", j.origin, j.err)
				}
			}
		})
	}
	for i := range all {
		if all[i].id == "" && all[i].err == nil {
			next <- i
		}
	}
	close(next)
	wg.Wait()
	first := make(map[string]int) // hash -> index in jobs
	var jobs []job
	for _, j := range all {
		if k, ok := first[j.id]; ok && j.id != "" {
			jobs[k].duplicates = append(jobs[k].duplicates, j.file)
			jobs[k].pinned = jobs[k].pinned || j.pinned
			continue
		}
		if j.id != "" {
			first[j.id] = len(jobs)
		}
		jobs = append(jobs, j)
	}
	return jobs
}

// fileID is the document id of the file at path, named name: the hex
// SHA-256 of its bytes, with their count and the file's modification
// time, or, when it cannot be read, schema.PathID of its name, with the
// error. A failed document has an id of its own either way. What is not
// a regular file (a FIFO, a device, named *.pdf) is not read: opening a
// FIFO would wait for a writer, and a device may not end.
func fileID(path, name string) (id string, size int64, modTime time.Time, err error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return schema.PathID(name), 0, time.Time{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = fmt.Errorf("%s: not a regular file (%v)", name, st.Mode().Type())
	}
	if err != nil {
		return schema.PathID(name), 0, time.Time{}, err
	}
	h := sha256.New()
	size, err = io.Copy(h, f)
	if err != nil {
		return schema.PathID(name), 0, time.Time{}, errors.Join(fmt.Errorf("%s: reading", name), err)
	}
	return hex.EncodeToString(h.Sum(nil)), size, st.ModTime(), nil
}

// Shard is the part K of N (1-based) of a batch's documents that one
// process reads: N processes, one per shard, writing into one dataset
// directory give the records of one unsharded batch. The zero Shard is
// the whole batch.
type Shard struct {
	K, N int // 1 <= K <= N
}

func (s Shard) valid() bool {
	return s == Shard{} || s.N >= 1 && s.K >= 1 && s.K <= s.N
}

// takes reports whether the shard holds a document: by its id, so that
// copies of one file fall in the same shard (a file that could not be read
// has the id of its path); a job pinned (a URL's) is taken.
func (s Shard) takes(j job) bool {
	if s.N == 0 || j.pinned {
		return true
	}
	if v, err := strconv.ParseUint(j.id[:min(len(j.id), 16)], 16, 64); j.id != "" && err == nil {
		return v%uint64(s.N) == uint64(s.K-1)
	}
	return s.takesName(j.file)
}

// takesName reports whether the shard holds what is known by its name
// alone: a URL before its download.
func (s Shard) takesName(name string) bool {
	if s.N == 0 {
		return true
	}
	f := fnv.New64a()
	f.Write([]byte(name))
	return f.Sum64()%uint64(s.N) == uint64(s.K-1)
}

// startOrder is the order in which readAll starts reading jobs: at each
// step the largest file (the longest to read, as far as can be told
// before reading it) of the lookahead jobs from the first not yet started.
// A batch in file order may end on its largest documents, read one per
// worker while the other workers wait; largest first within a few jobs,
// the last ones read are small. The results are still emitted in the
// jobs' order: the output does not change.
//
// lookahead must be at most the number of documents readAll holds at once
// (its window). Each job is started within lookahead of the first job not
// yet started, so while the first job not yet emitted waits to be
// started, fewer than lookahead jobs after it can have been: the window
// is never full of later jobs, and emitting never waits on a job that
// cannot start.
func startOrder(jobs []job, lookahead int) []int {
	order := make([]int, 0, len(jobs))
	started := make([]bool, len(jobs))
	for first := 0; first < len(jobs); {
		pick := first
		for k := first + 1; k < min(first+lookahead, len(jobs)); k++ {
			if !started[k] && jobs[k].size > jobs[pick].size {
				pick = k
			}
		}
		order = append(order, pick)
		started[pick] = true
		for first < len(jobs) && started[first] {
			first++
		}
	}
	return order
}
