package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"strconv"
	"sync"

	"github.com/budgetpdf/budgetpdf/schema"
)

// job is one document to read: a file, its hash, and the other paths of
// the batch with the same bytes.
type job struct {
	file       string
	id         string // the document id: hex SHA-256 of the bytes, schema.PathID when the file could not be read
	err        error  // why it could not, or why it is not to be parsed
	duplicates []string
}

// uniqueDocuments hashes the files (workers at a time) and keeps the first
// path of each content: a file copied under other names is read once, and
// its record lists the other names. A file over maxSize bytes is hashed
// but not parsed.
func uniqueDocuments(files []string, workers int, maxSize int64) []job {
	all := make([]job, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(files), 1)) {
		wg.Go(func() {
			for i := range next {
				all[i].file = files[i]
				all[i].id, all[i].err = fileID(files[i])
				if st, err := os.Stat(files[i]); all[i].err == nil && err == nil && st.Size() > maxSize {
					all[i].err = fmt.Errorf("%s: %d bytes, over the limit of %d MiB (-max-size)", files[i], st.Size(), maxSize>>20)
				}
			}
		})
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	first := make(map[string]int) // hash -> index in jobs
	var jobs []job
	for _, j := range all {
		if k, ok := first[j.id]; ok && j.id != "" {
			jobs[k].duplicates = append(jobs[k].duplicates, j.file)
			continue
		}
		if j.id != "" {
			first[j.id] = len(jobs)
		}
		jobs = append(jobs, j)
	}
	return jobs
}

// fileID is the document id of a file: the hex SHA-256 of its bytes, or,
// when it cannot be read, schema.PathID of its path, with the error. A
// failed document has an id of its own either way.
func fileID(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return schema.PathID(path), err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return schema.PathID(path), errors.Join(fmt.Errorf("%s: reading", path), err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
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
// has the id of its path).
func (s Shard) takes(j job) bool {
	if s.N == 0 {
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
	return h%uint64(s.N) == uint64(s.K-1)
}
