package pipeline

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Input is one file a batch is to read (RunInputs): a local file, or a URL
// to download, with what a crawl knows of it (a row of a crawl manifest:
// ReadManifest).
type Input struct {
	// Path is a local file. Default "": the file is downloaded from URL.
	Path string
	// URL is where the file is downloaded from when Path is "" (an
	// absolute http or https URL). With a Path nothing is downloaded.
	URL string
	// SourceURL is where the file comes from (schema.Document.SourceURL).
	// Default URL.
	SourceURL string
	// FetchedAt is when a crawl fetched the file
	// (schema.Document.FetchedAt); zero when unknown. A download sets its
	// own.
	FetchedAt time.Time
	// Metadata are what else a crawl knows of the file
	// (schema.Document.Metadata): a manifest row's other columns.
	Metadata map[string]string
	// Origin is where the input was listed: "crawl.csv:7" (manifest and
	// 1-based line); "" for an input given directly. Errors about the
	// input (a file missing, a download refused) start with it.
	Origin string
	// Err, when not nil, says why the input cannot be read (a manifest
	// row that does not read): it is recorded as a failed document with
	// this error, under the name Origin.
	Err error
	// Warnings are problems of the input that lost nothing (a file listed
	// twice), the first of its document's warnings.
	Warnings []string
}

// Name is the input's name, its document's source_file: Path, else URL;
// Origin for an input that does not read (Err).
func (in *Input) Name() string {
	switch {
	case in.Err != nil:
		return in.Origin
	case in.Path != "":
		return in.Path
	}
	return in.URL
}

// FileInputs are the inputs of local files, given by their paths.
func FileInputs(files []string) []Input {
	out := make([]Input, len(files))
	for i, f := range files {
		out[i] = Input{Path: f}
	}
	return out
}

// mergeInputs keeps one input per name listed in a manifest, in the order
// of the first: when a name is listed more than once, the last manifest
// row listing it wins (an input given directly, without Origin, only
// where no row lists it), and when the rows differ in what they say of
// the file, the winner says so in its warnings. Inputs given directly
// only stay as they are (a path given twice is a copy of itself, as Run
// has always recorded it).
func mergeInputs(ins []Input) []Input {
	rows := make(map[string]Input) // by name: the row kept
	for _, in := range ins {
		if in.Origin == "" {
			continue
		}
		name := in.Name()
		if prev, ok := rows[name]; ok && !sameFacts(&prev, &in) {
			in.Warnings = append(slices.Clone(in.Warnings), fmt.Sprintf("%s: %s listed again, with other columns than at %s: this row kept", in.Origin, name, prev.Origin))
		}
		rows[name] = in
	}
	done := make(map[string]bool)
	var out []Input
	for _, in := range ins {
		name := in.Name()
		row, listed := rows[name]
		switch {
		case !listed:
			out = append(out, in)
		case !done[name]:
			done[name] = true
			out = append(out, row)
		}
	}
	return out
}

// sameFacts reports whether two inputs say the same of a file.
func sameFacts(a, b *Input) bool {
	return a.Path == b.Path && a.URL == b.URL && a.SourceURL == b.SourceURL && a.FetchedAt.Equal(b.FetchedAt) &&
		maps.Equal(a.Metadata, b.Metadata)
}
