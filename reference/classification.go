package reference

import "strings"

// CodeSystem is the classification a code belongs to, as written to the
// dataset's code_system column.
type CodeSystem string

// The code systems.
const (
	SystemUnknown  CodeSystem = ""          // not a code of any classification we know
	SystemFunction CodeSystem = "function"  // 支出功能分类科目: 201..234, 3/5/7 digits (类/款/项)
	SystemEconDept CodeSystem = "econ_dept" // 部门预算支出经济分类科目: 301..399, 3/5/7 digits
	SystemEconGov  CodeSystem = "econ_gov"  // 政府预算支出经济分类科目: 501..599, 3 or 5 digits
	SystemAgency   CodeSystem = "agency"    // 单位代码: 6 digits, e.g. 307001
	SystemProject  CodeSystem = "project"   // 项目代码: 8 or more ASCII letters and digits
)

// The levels of a classification code, from its digit count.
const (
	LevelClass   = 1 // 类: 3 digits
	LevelSection = 2 // 款: 5 digits
	LevelItem    = 3 // 项: 7 digits
)

// projectMinLen is the shortest project code, in characters.
const projectMinLen = 8

// System tells which classification code belongs to from its characters
// alone, with the rules of normalize.ClassifyCode:
//
//	201..234, 3, 5 or 7 digits     SystemFunction  (2080101)
//	301..399, 3, 5 or 7 digits     SystemEconDept  (30101, 3021101)
//	501..599, 3 or 5 digits        SystemEconGov   (50101)
//	6 digits                       SystemAgency    (307001)
//	8 or more letters and digits   SystemProject   (11000022T000000434658)
//
// Spaces are ignored. Anything else, revenue codes (1xx) included, is
// SystemUnknown.
func System(code string) CodeSystem {
	c := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u3000' {
			return -1
		}
		return r
	}, code)
	digits, alnum := true, true
	for i := 0; i < len(c); i++ {
		switch b := c[i]; {
		case b >= '0' && b <= '9':
		case b >= 'A' && b <= 'Z', b >= 'a' && b <= 'z':
			digits = false
		default:
			digits, alnum = false, false
		}
	}
	n := len(c)
	switch {
	case n == 0 || !alnum:
		return SystemUnknown
	case !digits:
		if n >= projectMinLen {
			return SystemProject
		}
		return SystemUnknown
	case (n == 3 || n == 5 || n == 7) && inRange(c, "201", "234"):
		return SystemFunction
	case (n == 3 || n == 5 || n == 7) && inRange(c, "301", "399"):
		return SystemEconDept
	case (n == 3 || n == 5) && inRange(c, "501", "599"):
		return SystemEconGov
	case n == 6:
		return SystemAgency
	case n >= projectMinLen:
		return SystemProject
	}
	return SystemUnknown
}

// inRange reports whether the first three digits of c lie in lo..hi.
func inRange(c, lo, hi string) bool {
	return len(c) >= 3 && c[:3] >= lo && c[:3] <= hi
}

// Classified reports a system whose codes have standard names in the
// reference: function, econ_dept and econ_gov.
func (s CodeSystem) Classified() bool {
	return s == SystemFunction || s == SystemEconDept || s == SystemEconGov
}

// Level is the level of a classification code from its digit count:
// LevelClass (3), LevelSection (5), LevelItem (7); 0 for any other length.
func Level(code string) int {
	switch len(code) {
	case 3:
		return LevelClass
	case 5:
		return LevelSection
	case 7:
		return LevelItem
	}
	return 0
}

// Entry is the standard name of a classification code for a span of fiscal
// years.
type Entry struct {
	System CodeSystem
	Code   string // the digits: 3 (类), 5 (款) or 7 (项)
	Level  int    // LevelClass, LevelSection or LevelItem
	Name   string // the standard name, as published (full-width brackets)
	From   int    // first fiscal year the name holds for; 0 = unbounded
	To     int    // last fiscal year, inclusive; 0 = unbounded
	// Source says where the entry came from: the publication it was
	// transcribed from, or "corpus consensus: N documents, years …".
	Source string
}

// Holds reports whether the entry holds for fiscal year y. Every entry
// holds for an unknown year (0).
func (e Entry) Holds(y int) bool {
	return y == 0 || (e.From == 0 || y >= e.From) && (e.To == 0 || y <= e.To)
}

// span is the number of years an entry holds for, for choosing the
// narrowest; an unbounded side counts as very wide.
func (e Entry) span() int {
	const wide = 1 << 20
	from, to := e.From, e.To
	if from == 0 {
		from = -wide
	}
	if to == 0 {
		to = wide
	}
	return to - from
}

// Name returns the standard name of code in system for fiscal year (0 when
// unknown: the name that holds last, the current edition's). ok is false when the reference has
// no entry for the code in that year, or code is not of system. Where
// several entries hold for the year, the one with the narrowest span wins.
func Name(system CodeSystem, code string, year int) (e Entry, ok bool) {
	if !system.Classified() || System(code) != system {
		return Entry{}, false
	}
	entries := data().entries[code]
	if year == 0 {
		return latest(entries)
	}
	best := -1
	for i, c := range entries {
		if c.Holds(year) && (best < 0 || c.span() < entries[best].span()) {
			best = i
		}
	}
	if best < 0 {
		return Entry{}, false
	}
	return entries[best], true
}

// latest returns the entry that holds last: one without an end, else the
// one ending last.
func latest(entries []Entry) (Entry, bool) {
	best := -1
	for i, c := range entries {
		if best < 0 || c.To == 0 || entries[best].To != 0 && c.To > entries[best].To {
			best = i
		}
	}
	if best < 0 {
		return Entry{}, false
	}
	return entries[best], true
}

// Entries returns every entry of the reference, sorted by system, code and
// first year.
func Entries() []Entry {
	return append([]Entry(nil), data().all...)
}
