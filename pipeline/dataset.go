package pipeline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/budgetpdf/budgetpdf/schema"
)

// dataset is a dataset directory opened by a batch: the run that holds it
// (schema.Run).
type dataset struct {
	run *schema.Run
}

// openDataset starts a run in dir (see schema.OpenRun).
func openDataset(dir string, force bool) (*dataset, error) {
	run, err := schema.OpenRun(dir, force)
	if err != nil {
		return nil, err
	}
	return &dataset{run: run}, nil
}

// plan claims the documents of the shard that the dataset does not hold
// yet and no other live run reads (todo, see schema.Run.Claim), and
// returns them with all the shard's documents (mine, whose paths go to
// files); it counts the others in sum. A document recorded as failed is
// read again.
func (ds *dataset) plan(all []job, sh Shard, sum *Summary) (todo, mine []job, err error) {
	for _, j := range all {
		if sh.takes(j) {
			mine = append(mine, j)
		}
	}
	docs := make([]schema.Document, len(mine))
	for i, j := range mine {
		docs[i] = schema.Document{DocumentID: j.id, SourceFile: j.file, DuplicateFiles: j.duplicates}
	}
	claims, err := ds.run.Claim(docs)
	if err != nil {
		return nil, nil, err
	}
	for i, c := range claims {
		switch c {
		case schema.Committed:
			sum.Skipped++
		case schema.Busy:
			sum.Busy++
		default:
			todo = append(todo, mine[i])
		}
	}
	return todo, mine, nil
}

// addFiles records every path of jobs with its document in the files
// record set, those it does not hold yet.
func (ds *dataset) addFiles(formats []string, jobs []job) error {
	var refs []schema.FileRef
	for _, j := range jobs {
		for _, path := range append([]string{j.file}, j.duplicates...) {
			refs = append(refs, schema.FileRef{SourceFile: path, DocumentID: j.id})
		}
	}
	return ds.run.AddFiles(formats, refs)
}

func (ds *dataset) close() { ds.run.Close() }

// batches writes a run's records into the dataset directory, size
// documents a batch, each batch committed when it is full; with
// workbooks, the workbook of each document read too.
type batches struct {
	run       *schema.Run
	formats   []string
	size      int
	workbooks bool
	w         *schema.PartWriter // the batch in hand; nil when none
	inBatch   int                // documents in it
	committed int                // documents in committed batches
}

// write adds one document's records to the batch in hand.
func (b *batches) write(r *Result) error {
	if b.w == nil {
		w, err := b.run.NewPartWriter(b.formats)
		if err != nil {
			return err
		}
		b.w = w
	}
	ds := schema.Dataset{Documents: []schema.Document{r.Document}, Tables: r.Tables, Cells: r.Cells, Checks: r.Checks,
		Indicators: r.Indicators, FormFields: r.FormFields, Facts: r.Facts}
	if err := b.w.Write(ds); err != nil {
		return fmt.Errorf("writing %s: %s: %w", b.run.Dir(), r.Document.SourceFile, err)
	}
	if b.workbooks && r.Workbook != nil {
		if err := b.w.WriteWorkbook(r.Document.DocumentID, r.Workbook); err != nil {
			return fmt.Errorf("writing %s: %s: %w", b.run.Dir(), r.Document.SourceFile, err)
		}
	}
	if b.inBatch++; b.inBatch == b.size {
		return b.commit()
	}
	return nil
}

// commit completes the batch in hand, if any.
func (b *batches) commit() error {
	if b.w == nil {
		return nil
	}
	err := b.w.Close()
	if err == nil {
		b.committed += b.inBatch
	}
	b.w, b.inBatch = nil, 0
	if err != nil {
		return fmt.Errorf("writing %s: %w", b.run.Dir(), err)
	}
	return nil
}

// abort drops the batch in hand.
func (b *batches) abort() {
	if b.w != nil {
		b.w.Abort()
	}
	b.w, b.inBatch = nil, 0
}

// Summary is what a batch did, gathered document by document in the
// files' order.
type Summary struct {
	Files      int            // paths given
	Skipped    int            // documents already in the dataset, not read again
	Busy       int            // documents another live run had claimed: left to it
	Documents  int            // documents read and written
	Committed  int            // of those, the documents in committed batches: all unless Run failed
	Duplicates int            // paths recorded as copies of a document written
	Status     map[string]int // documents written by status (schema.StatusOK, ...)
	Tables     int            // tables written
	Cells      int            // cells written
	Checks     map[string]int // checks written by status (schema.CheckPass, ...)
	Indicators int            // performance indicators written
	FormFields int            // form fields written
	Workbooks  int            // workbooks written (schema.FormatXLSX)
	// The URLs: downloaded (with their bytes), not modified since the
	// dataset's copy (304: neither downloaded nor read), failed.
	Downloaded, NotModified, DownloadsFailed int
	DownloadedBytes                          int64
	// Worst are the tables with the most failed checks, most first, ties
	// in the files' order; at most maxWorst.
	Worst []FailedTable
}

// FailedTable is a table with failed checks.
type FailedTable struct {
	SourceFile string       // the document's file
	Table      schema.Table // its record; Table.ChecksFailed > 0
}

// maxWorst is how many tables Summary.Worst lists.
const maxWorst = 5

func (s *Summary) add(r *Result) {
	s.Documents++
	s.Duplicates += len(r.Document.DuplicateFiles)
	s.Status[r.Document.Status]++
	s.Tables += len(r.Tables)
	s.Cells += len(r.Cells)
	s.Indicators += len(r.Indicators)
	s.FormFields += len(r.FormFields)
	if r.Workbook != nil {
		s.Workbooks++
	}
	for _, c := range r.Checks {
		if _, ok := s.Checks[c.Status]; !ok {
			s.Checks[strings.Clone(c.Status)] = 0 // (not a string that shares a worker's answer: see decoder)
		}
		s.Checks[c.Status]++
	}
	for _, t := range r.Tables {
		if t.ChecksFailed == 0 {
			continue
		}
		// after the tables with as many failures or more
		k := len(s.Worst)
		for k > 0 && s.Worst[k-1].Table.ChecksFailed < t.ChecksFailed {
			k--
		}
		if k < maxWorst {
			s.Worst = slices.Insert(s.Worst, k, FailedTable{r.Document.SourceFile, t})
			s.Worst = s.Worst[:min(len(s.Worst), maxWorst)]
		}
	}
}
