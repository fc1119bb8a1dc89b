package reference_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/budgetpdf/budgetpdf/reference"
)

// truthDoc is the part of a hand-made truth file (../shared/truth) this
// measure reads.
type truthDoc struct {
	File   string `json:"file"`
	Year   int    `json:"year"`
	Tables []struct {
		TableCode string `json:"table_code"`
		Rows      []struct {
			Code   string `json:"code"`
			Code2  string `json:"code2"`
			Label  string `json:"label"`
			Label2 string `json:"label2"`
		} `json:"rows"`
	} `json:"tables"`
}

// TestTruthAgreement measures the reference on the hand-made truth of
// $BUDGETPDF_TRUTH: of the rows whose code is in the reference for the
// document's year, how many print the standard name, and every one that
// does not (a document printing a non-standard name, since the truth has
// no extraction errors). It measures only: the data is never made from
// the truth.
//
//	BUDGETPDF_TRUTH=$PWD/../shared/truth go test ./reference -run TruthAgreement -v
func TestTruthAgreement(t *testing.T) {
	dir := os.Getenv("BUDGETPDF_TRUTH")
	if dir == "" {
		t.Skip("BUDGETPDF_TRUTH not set")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	slices.Sort(files)
	coded, inRef, same := 0, 0, 0
	var missing, differ []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d truthDoc
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, tb := range d.Tables {
			for _, r := range tb.Rows {
				for _, p := range [][2]string{{r.Code, r.Label}, {r.Code2, r.Label2}} {
					sys := reference.System(p[0])
					if !sys.Classified() || p[1] == "" {
						continue
					}
					coded++
					e, ok := reference.Name(sys, p[0], d.Year)
					where := d.File + " " + tb.TableCode
					switch {
					case !ok:
						missing = append(missing, p[0]+" "+p[1]+": "+where)
					case reference.SameName(p[1], e.Name):
						inRef++
						same++
					default:
						inRef++
						differ = append(differ, p[0]+" "+p[1]+" != "+e.Name+": "+where)
					}
				}
			}
		}
	}
	t.Logf("truth: %d files, %d labelled rows with a function or economic code; %d with the code in the reference, %d of them with the standard name (%.2f%%)",
		len(files), coded, inRef, same, 100*float64(same)/float64(max(inRef, 1)))
	report := func(what string, list []string) {
		list = slices.Compact(slices.Sorted(slices.Values(list)))
		t.Logf("%s: %d", what, len(list))
		for _, s := range list {
			t.Logf("  %s", s)
		}
	}
	report("codes not in the reference", missing)
	report("labels that are not the standard name", differ)
}
