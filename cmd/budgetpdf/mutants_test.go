package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/budgetpdf/budgetpdf/schema"
)

// mutantSources are the corpus files TestMutants damages: three producers
// (Acrobat Distiller, Excel 2016, iText), 13 to 32 pages.
var mutantSources = []string{
	"jiangsu-npc-office-2019-budget-tables.pdf",
	"shanghai-stats-institute-2026-unit-budget.pdf",
	"changsha-petition-2026-budget.pdf",
}

// mutantSeed seeds the mutants: the same seed, the same mutants.
const mutantSeed = 11

// mutate returns the k-th mutant of data and what was done: a truncation
// (one mutant in four) or 1 to 8 bytes flipped (each XORed with a non-zero
// byte), at offsets drawn from a PCG seeded with mutantSeed and k.
func mutate(data []byte, k int) ([]byte, string) {
	rng := rand.New(rand.NewPCG(mutantSeed, uint64(k)))
	if rng.IntN(4) == 0 {
		n := rng.IntN(len(data))
		return data[:n], fmt.Sprintf("truncated to %d bytes", n)
	}
	out := slices.Clone(data)
	flips := 1 + rng.IntN(8)
	var at []string
	for range flips {
		i := rng.IntN(len(out))
		out[i] ^= byte(1 + rng.IntN(255))
		at = append(at, strconv.Itoa(i))
	}
	return out, "bytes flipped at " + strings.Join(at, ",")
}

// TestMutants (make mutants; not in make test) writes BUDGETPDF_MUTANTS
// mutants of three files of $BUDGETPDF_CORPUS (byte flips and
// truncations, see mutate), runs the budgetpdf binary over them with two
// worker processes, and checks that the run itself never crashes (exit
// status 0 or 1), that every mutant is a documents record and that every
// error is one printable line. It reports how many mutants we read (not
// failed) and with the original's cells, against how many pdftotext
// reads (exit status 0) and with the original's text, and why workers
// ended.
func TestMutants(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("BUDGETPDF_MUTANTS"))
	corpus := os.Getenv("BUDGETPDF_CORPUS")
	if err != nil || corpus == "" {
		t.Skip("BUDGETPDF_MUTANTS or BUDGETPDF_CORPUS not set (make mutants sets them)")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	bin := buildBinary(t)
	in, out := t.TempDir(), t.TempDir()
	mutants, whats := writeMutants(t, corpus, in, n)
	start := time.Now()
	cmd := exec.Command(bin, "run", "-quiet", "-workers", "2", "-timeout", "2m", "-o", out, in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	code := cmd.ProcessState.ExitCode()
	t.Logf("budgetpdf run over %d mutants and their 3 originals: %v, exit status %d\n%s", n, time.Since(start).Round(time.Millisecond), code, stdout.String())
	if code != 0 && code != 1 {
		t.Fatalf("the run crashed: %v (%s)\n%s", err, cmd.ProcessState, stderr.String())
	}
	ours := mutantRecords(t, out)
	poppler := popplerTexts(t, in, append(slices.Clone(mutants), mutantSources...))
	reportMutants(t, mutants, whats, ours, poppler)
}

// writeMutants writes the originals and n mutants of them into dir and
// returns the mutants' names, and what was done to each by name.
func writeMutants(t *testing.T, corpus, dir string, n int) (names []string, whats map[string]string) {
	t.Helper()
	whats = make(map[string]string)
	sources := make([][]byte, len(mutantSources))
	for i, name := range mutantSources {
		b, err := os.ReadFile(filepath.Join(corpus, name))
		if err != nil {
			t.Fatal(err)
		}
		sources[i] = b
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var log strings.Builder
	for k := range n {
		src := k % len(mutantSources)
		data, what := mutate(sources[src], k)
		name := fmt.Sprintf("m%04d-%s", k, mutantSources[src])
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&log, "%s: %s\n", name, what)
		names = append(names, name)
		whats[name] = what
	}
	if testing.Verbose() {
		t.Logf("the first mutants:\n%s", strings.Join(strings.SplitAfterN(log.String(), "\n", 7)[:6], ""))
	}
	return names, whats
}

// mutantRecord is what the dataset says of one file.
type mutantRecord struct {
	status, err string
	cells       string // digest of its cells, without document id and path
	warned      bool   // the document has warnings
}

// mutantRecords reads the documents of the dataset in dir, with a digest
// of each document's cells (from the JSON Lines parts, line by line), by
// file name.
func mutantRecords(t *testing.T, dir string) map[string]mutantRecord {
	t.Helper()
	docs, err := schema.ReadDataset[schema.Document](dir)
	if err != nil {
		t.Fatal(err)
	}
	hashes := make(map[string]*[32]byte)
	for _, f := range partFiles(t, dir, "cells", ".jsonl") {
		cellDigests(t, f, hashes)
	}
	recs := make(map[string]mutantRecord)
	for _, d := range docs {
		r := mutantRecord{status: d.Status, err: d.Error, warned: len(d.Warnings) > 0}
		if h := hashes[d.DocumentID]; h != nil {
			r.cells = fmt.Sprintf("%x", h[:8])
		}
		for _, f := range append([]string{d.SourceFile}, d.DuplicateFiles...) {
			recs[filepath.Base(f)] = r
		}
	}
	return recs
}

// cellDigests chains, per document, the hash of each cell line of a
// JSON Lines part without its document_id and source_file.
func cellDigests(t *testing.T, part string, hashes map[string]*[32]byte) {
	t.Helper()
	f, err := os.Open(part)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var c struct {
			DocumentID string `json:"document_id"`
			SourceFile string `json:"source_file"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		line := bytes.Replace(sc.Bytes(), []byte(strconv.Quote(c.SourceFile)), nil, 1)
		line = bytes.Replace(line, []byte(c.DocumentID), nil, 1)
		h := hashes[c.DocumentID]
		if h == nil {
			h = new([32]byte)
			hashes[c.DocumentID] = h
		}
		*h = sha256.Sum256(append(h[:], line...))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

// popplerText is what pdftotext made of a file: whether it exited 0, and
// a digest of its text.
type popplerText struct {
	ok   bool
	text [32]byte
}

// popplerTexts runs pdftotext over the files of dir, two at a time.
func popplerTexts(t *testing.T, dir string, names []string) map[string]popplerText {
	out := make(map[string]popplerText)
	var mu sync.Mutex
	next := make(chan string)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for name := range next {
				b, err := exec.Command("pdftotext", "-q", filepath.Join(dir, name), "-").Output()
				mu.Lock()
				out[name] = popplerText{ok: err == nil, text: sha256.Sum256(b)}
				mu.Unlock()
			}
		})
	}
	for _, name := range names {
		next <- name
	}
	close(next)
	wg.Wait()
	return out
}

// reportMutants checks that every mutant is recorded with a printable
// error and logs the counts.
func reportMutants(t *testing.T, mutants []string, whats map[string]string, ours map[string]mutantRecord, poppler map[string]popplerText) {
	var c struct {
		oursRead, oursSame, popplerRead, popplerSame, popplerOnly, oursOnly int
		changedOK, changedWarned                                            int // read ok with other cells; of those, with a warning
	}
	reasons := make(map[string]int)
	var silent []string // read ok with other cells, without a warning
	for _, name := range mutants {
		r, ok := ours[name]
		if !ok {
			t.Errorf("%s: no documents record", name)
			continue
		}
		if !printable(r.err) {
			t.Errorf("%s: error %q is not one printable line of at most 1024 bytes", name, r.err)
		}
		orig := mutantSources[slices.Index(mutants, name)%len(mutantSources)]
		p, po := poppler[name], poppler[orig]
		reasons[failureReason(r)]++
		oursRead, popplerRead := r.status != schema.StatusFailed, p.ok
		c.oursRead += b2i(oursRead)
		c.oursSame += b2i(r.cells == ours[orig].cells && r.status == ours[orig].status)
		changed := r.status == schema.StatusOK && r.cells != ours[orig].cells
		c.changedOK += b2i(changed)
		c.changedWarned += b2i(changed && r.warned)
		if changed && !r.warned {
			silent = append(silent, name+": "+whats[name])
		}
		c.popplerRead += b2i(popplerRead)
		c.popplerSame += b2i(p.ok && p.text == po.text)
		c.popplerOnly += b2i(popplerRead && !oursRead)
		c.oursOnly += b2i(oursRead && !popplerRead)
	}
	t.Logf("%d mutants: budgetpdf reads %d (%d with the original's cells and status); pdftotext reads %d (%d with the original's text); pdftotext only %d, budgetpdf only %d",
		len(mutants), c.oursRead, c.oursSame, c.popplerRead, c.popplerSame, c.popplerOnly, c.oursOnly)
	t.Logf("%d mutants read ok give other cells than their original; %d of them with a warning, %d without:\n%s",
		c.changedOK, c.changedWarned, c.changedOK-c.changedWarned, strings.Join(silent, "\n"))
	var lines []string
	for k, v := range reasons {
		lines = append(lines, fmt.Sprintf("%5d %s", v, k))
	}
	slices.Sort(lines)
	t.Logf("records by status and reason:\n%s", strings.Join(lines, "\n"))
}

// failureReason is a record's status, and for a failed one the kind of
// its error.
func failureReason(r mutantRecord) string {
	for _, w := range []string{": crashed: ", ": out of memory: ", ": timed out: ", "damaged PDF", "not a PDF file", "needs a password", "limit exceeded"} {
		if strings.Contains(r.err, w) {
			return r.status + ": " + strings.Trim(w, ": ")
		}
	}
	if r.status == schema.StatusFailed {
		return r.status + ": other"
	}
	return r.status
}

// printable reports whether s is one printable line of at most 1024 bytes.
func printable(s string) bool {
	if len(s) > 1024 || !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) })
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
