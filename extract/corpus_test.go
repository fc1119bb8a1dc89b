package extract

import (
	"fmt"
	"html"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// The corpus evaluation compares every page of every PDF under
// $BUDGETPDF_CORPUS (make corpus sets it to ../shared/corpus) with poppler:
// the non-space characters of a page as a multiset against `pdftotext`, and
// each `pdftotext -bbox` word's box against the union of our glyph boxes
// for its characters. It skips when the variable is unset or pdftotext is
// missing: it measures, the unit tests guard.

// boxTolerance is the largest difference, in points, on any side of a word
// box that counts as a match.
const boxTolerance = 1.5

func TestCorpusAgainstPoppler(t *testing.T) {
	dir := os.Getenv("BUDGETPDF_CORPUS")
	if dir == "" {
		t.Skip("BUDGETPDF_CORPUS not set (make corpus sets it)")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(files) == 0 {
		t.Skipf("no PDFs in %s", dir)
	}
	var pages, equalPages, words, matched int
	for _, file := range files {
		r := compareFile(t, file)
		pages += r.pages
		equalPages += r.equal
		words += r.words
		matched += r.matched
		t.Logf("%s\tchars %d/%d pages\tboxes %d/%d words (%.4f)\tdiffer %v",
			filepath.Base(file), r.equal, r.pages, r.matched, r.words, ratio(r.matched, r.words), head(r.differ, 10))
		for _, d := range head(r.details, 3) {
			t.Logf("    %s", d)
		}
	}
	t.Logf("TOTAL chars pages_equal=%.4f (%d/%d) boxes=%.4f (%d/%d words within %.1f pt)",
		ratio(equalPages, pages), equalPages, pages, ratio(matched, words), matched, words, boxTolerance)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func head[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}

type fileResult struct {
	pages, equal   int
	words, matched int
	differ         []int
	details        []string
}

var (
	pageRE = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	wordRE = regexp.MustCompile(`<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)</word>`)
)

type popplerWord struct {
	x0, y0, x1, y1 float64
	text           string
}

func compareFile(t *testing.T, file string) fileResult {
	var res fileResult
	out, err := exec.Command("pdftotext", "-bbox", file, "-").Output()
	if err != nil {
		t.Errorf("%s: pdftotext: %v", file, err)
		return res
	}
	// Split the bbox HTML by page.
	chunks := strings.Split(string(out), "<page ")[1:]
	theirs := make([][]popplerWord, len(chunks))
	for i, c := range chunks {
		for _, m := range wordRE.FindAllStringSubmatch(c, -1) {
			w := popplerWord{text: html.UnescapeString(m[5])}
			w.x0, _ = strconv.ParseFloat(m[1], 64)
			w.y0, _ = strconv.ParseFloat(m[2], 64)
			w.x1, _ = strconv.ParseFloat(m[3], 64)
			w.y1, _ = strconv.ParseFloat(m[4], 64)
			theirs[i] = append(theirs[i], w)
		}
	}
	doc, err := OpenFile(file, nil)
	if err != nil {
		t.Errorf("%s: %v", file, err)
		return res
	}
	defer doc.Close()
	for n := 1; n <= max(doc.NumPages(), len(theirs)); n++ {
		var mine []Glyph
		if n <= doc.NumPages() {
			p, err := doc.Page(n)
			if err != nil {
				t.Errorf("%v", err)
			}
			if p != nil {
				mine = p.Glyphs
			}
		}
		var tw []popplerWord
		if n <= len(theirs) {
			tw = theirs[n-1]
		}
		a, b := charCounts(mine), wordCounts(tw)
		if len(a) == 0 && len(b) == 0 {
			continue
		}
		res.pages++
		if mapsEqual(a, b) {
			res.equal++
		} else {
			res.differ = append(res.differ, n)
			res.details = append(res.details, fmt.Sprintf("page %d: ours-only %s theirs-only %s", n, diffCounts(a, b), diffCounts(b, a)))
		}
		w, m, bad := matchBoxes(mine, tw)
		res.words += w
		res.matched += m
		for _, d := range head(bad, 2) {
			res.details = append(res.details, fmt.Sprintf("page %d: %s", n, d))
		}
	}
	return res
}

func charCounts(gs []Glyph) map[rune]int {
	m := make(map[rune]int)
	for _, g := range gs {
		for _, r := range g.Text {
			if !unicode.IsSpace(r) {
				m[r]++
			}
		}
	}
	return m
}

func wordCounts(ws []popplerWord) map[rune]int {
	m := make(map[rune]int)
	for _, w := range ws {
		for _, r := range w.text {
			if !unicode.IsSpace(r) {
				m[r]++
			}
		}
	}
	return m
}

func mapsEqual(a, b map[rune]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// diffCounts lists what a has more of than b, compactly.
func diffCounts(a, b map[rune]int) string {
	var keys []rune
	for k, v := range a {
		if v > b[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var sb strings.Builder
	for i, k := range keys {
		if i == 12 {
			fmt.Fprintf(&sb, "…(%d more)", len(keys)-12)
			break
		}
		fmt.Fprintf(&sb, "%q×%d ", k, a[k]-b[k])
	}
	return sb.String()
}

// matchBoxes finds, for each poppler word, our glyphs for its characters
// (same text, centre inside the word box grown by the tolerance) and
// compares the union of their boxes with the word's box.
func matchBoxes(mine []Glyph, theirs []popplerWord) (words, matched int, bad []string) {
	// Bucket our glyphs by 10 pt bands of their centre's y.
	const band = 10.0
	buckets := make(map[int][]int)
	for i, g := range mine {
		k := int(math.Floor((g.Y0 + g.Y1) / 2 / band))
		buckets[k] = append(buckets[k], i)
	}
	used := make([]bool, len(mine))
	for _, w := range theirs {
		words++
		want := []rune(strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, w.text))
		// poppler takes a word's y extent from its first character's font
		// only (TextWord::setInitialBounds); compare likewise.
		var ux0, uy0, ux1, uy1 float64
		found := 0
		firstX := math.Inf(1)
		for _, r := range want {
			best, bestD := -1, math.Inf(1)
			lo := int(math.Floor((w.y0 - boxTolerance) / band))
			hi := int(math.Floor((w.y1 + boxTolerance) / band))
			for k := lo; k <= hi; k++ {
				for _, i := range buckets[k] {
					g := mine[i]
					if used[i] || !strings.ContainsRune(g.Text, r) {
						continue
					}
					cx, cy := (g.X0+g.X1)/2, (g.Y0+g.Y1)/2
					if cx < w.x0-boxTolerance || cx > w.x1+boxTolerance || cy < w.y0-boxTolerance || cy > w.y1+boxTolerance {
						continue
					}
					d := math.Abs(g.X0-w.x0) + math.Abs(g.Y0-w.y0)
					if d < bestD {
						best, bestD = i, d
					}
				}
			}
			if best < 0 {
				continue
			}
			used[best] = true
			g := mine[best]
			if found == 0 {
				ux0, ux1 = g.X0, g.X1
			} else {
				ux0, ux1 = min(ux0, g.X0), max(ux1, g.X1)
			}
			if g.X0 < firstX {
				firstX, uy0, uy1 = g.X0, g.Y0, g.Y1
			}
			found++
		}
		if found == len(want) && found > 0 &&
			math.Abs(ux0-w.x0) <= boxTolerance && math.Abs(uy0-w.y0) <= boxTolerance &&
			math.Abs(ux1-w.x1) <= boxTolerance && math.Abs(uy1-w.y1) <= boxTolerance {
			matched++
			continue
		}
		bad = append(bad, fmt.Sprintf("word %q poppler [%.1f %.1f %.1f %.1f] ours [%.1f %.1f %.1f %.1f] (%d/%d chars)",
			w.text, w.x0, w.y0, w.x1, w.y1, ux0, uy0, ux1, uy1, found, len(want)))
	}
	return words, matched, bad
}
