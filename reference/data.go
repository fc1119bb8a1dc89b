package reference

import (
	"bufio"
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// files holds the reference data (see data/README.md for its provenance).
//
//go:embed data/classification.tsv data/sources.tsv data/consensus.tsv
//go:embed data/provinces.csv data/cities.csv data/areas.csv
var files embed.FS

// The data files.
const (
	classificationFile = "data/classification.tsv" // transcribed by hand
	sourcesFile        = "data/sources.tsv"        // citations of the transcribed entries
	consensusFile      = "data/consensus.tsv"      // generated from the corpus
)

// tables is the reference data, parsed once.
type tables struct {
	entries map[string][]Entry // by code
	all     []Entry            // sorted by system, code, From
	places  *divisions
}

var (
	loadOnce sync.Once
	loaded   *tables
)

// data returns the parsed reference data. The data is part of the program:
// a malformed file is a bug, caught by TestData, and panics here.
func data() *tables {
	loadOnce.Do(func() {
		t, err := load()
		if err != nil {
			panic("reference: " + err.Error())
		}
		loaded = t
	})
	return loaded
}

func load() (*tables, error) {
	sources, err := readSources()
	if err != nil {
		return nil, err
	}
	t := &tables{entries: map[string][]Entry{}}
	for _, f := range []string{classificationFile, consensusFile} {
		es, err := readEntries(f, sources)
		if err != nil {
			return nil, err
		}
		t.all = append(t.all, es...)
	}
	slices.SortStableFunc(t.all, compareEntries)
	for _, e := range t.all {
		t.entries[e.Code] = append(t.entries[e.Code], e)
	}
	if t.places, err = readDivisions(); err != nil {
		return nil, err
	}
	return t, nil
}

func compareEntries(a, b Entry) int {
	if c := strings.Compare(string(a.System), string(b.System)); c != 0 {
		return c
	}
	if c := strings.Compare(a.Code, b.Code); c != 0 {
		return c
	}
	return a.From - b.From
}

// readSources reads sources.tsv: id, citation.
func readSources() (map[string]string, error) {
	m := map[string]string{}
	err := eachRecord(sourcesFile, 2, func(f []string) error {
		m[f[0]] = f[1]
		return nil
	})
	return m, err
}

// readEntries reads a classification file: system, code, name, from, to,
// source. In classification.tsv the source is an id of sources.tsv; in
// consensus.tsv it is the text itself.
func readEntries(file string, sources map[string]string) ([]Entry, error) {
	var es []Entry
	err := eachRecord(file, 6, func(f []string) error {
		e := Entry{System: CodeSystem(f[0]), Code: f[1], Level: Level(f[1]), Name: f[2], Source: f[5]}
		if file == classificationFile {
			if e.Source = sources[f[5]]; e.Source == "" {
				return fmt.Errorf("unknown source %q", f[5])
			}
		}
		var err error
		if e.From, err = year(f[3]); err != nil {
			return err
		}
		if e.To, err = year(f[4]); err != nil {
			return err
		}
		if err := e.valid(); err != nil {
			return err
		}
		es = append(es, e)
		return nil
	})
	return es, err
}

// valid checks an entry read from the data.
func (e Entry) valid() error {
	switch {
	case !e.System.Classified() || System(e.Code) != e.System:
		return fmt.Errorf("code %q is not of system %q", e.Code, e.System)
	case e.Level == 0:
		return fmt.Errorf("code %q: not 3, 5 or 7 digits", e.Code)
	case e.Name == "" || e.Name != strings.TrimSpace(e.Name):
		return fmt.Errorf("code %s: bad name %q", e.Code, e.Name)
	case e.From != 0 && e.To != 0 && e.From > e.To:
		return fmt.Errorf("code %s: years %d-%d", e.Code, e.From, e.To)
	}
	return nil
}

// year reads a fiscal year column: empty for unbounded.
func year(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 1949 || y > 2999 {
		return 0, fmt.Errorf("bad year %q", s)
	}
	return y, nil
}

// eachRecord calls fn with the tab-separated fields of each line of a data
// file, skipping blank lines and those starting with #. Every line must
// have n fields. Errors name the file and line.
func eachRecord(file string, n int, fn func([]string) error) error {
	f, err := files.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		t := sc.Text()
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		fields := strings.Split(t, "\t")
		if len(fields) != n {
			return fmt.Errorf("%s:%d: %d fields, want %d", file, line, len(fields), n)
		}
		if err := fn(fields); err != nil {
			return fmt.Errorf("%s:%d: %w", file, line, err)
		}
	}
	return sc.Err()
}
