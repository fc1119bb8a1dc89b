package reference

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Region is where an agency is, as GB/T 2260 divides China.
type Region struct {
	// Code is the 6-digit division code of the most specific level known:
	// 310107 (a county-level division), 610100 (a prefecture-level city),
	// 310000 (a province or municipality).
	Code     string
	Province string // 省级: 陕西省, 上海市, 广西壮族自治区
	// City is the prefecture-level city (西安市). For the four
	// municipalities it is the municipality itself (上海市); "" for a
	// county-level division directly under its province (仙桃市).
	City   string
	County string // 县级: 普陀区, 殷都区; "" for an agency of a province or city
}

// Agency returns a printed agency name normalised for comparison across
// documents: NFKC, no whitespace, and without the trailing decorations
// that say which part of the agency a document covers: （本级）, （汇总）,
// （单位）, （部门）, （机关）, （本部）, （合并）, and a bare 本级.
// 长春市信访局（本级） and 长春市信访局 are one agency. Other bracketed
// parts are kept: 上海市统计和大数据研究院（上海市统计数据管理中心） names
// the agency twice, it does not decorate it.
func Agency(printed string) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(printed))
	for {
		t := trimDecoration(s)
		if t == s || t == "" {
			return s
		}
		s = t
	}
}

// decorations are the words a document puts after an agency's name to say
// which part of it the document covers.
var decorations = []string{"本级", "汇总", "单位", "部门", "机关", "本部", "合并", "部门本级", "机关本级", "单位本级"}

// trimDecoration removes one trailing decoration from s.
func trimDecoration(s string) string {
	for _, d := range decorations {
		for _, b := range [][2]string{{"(", ")"}, {"[", "]"}, {"【", "】"}, {"〔", "〕"}} {
			if t, ok := strings.CutSuffix(s, b[0]+d+b[1]); ok {
				return t
			}
		}
	}
	if t, ok := strings.CutSuffix(s, "本级"); ok {
		return t
	}
	return s
}

// centralPrefixes start the names of central-government agencies, which
// have no region: the words of their documents (an address in Beijing) do
// not place them.
var centralPrefixes = []string{"国家", "中央", "全国", "中华人民共和国", "国务院", "最高人民", "中国"}

// localPrefixes may stand before the place in a local agency's name:
// 中共上海市普陀区委社会工作部.
var localPrefixes = []string{"中国共产党", "中共", "共青团", "中国共产主义青年团"}

// Place finds the region of an agency (as printed or as Agency returns it)
// from the divisions its name starts with, after a party prefix such as
// 中共. words are the document's own words (its cover, set heading, title
// blocks): where the name alone is ambiguous (普陀区司法局: 普陀区 is in
// Shanghai and in Zhoushan), the regions the words name choose among the
// candidates; where the name names no place (市公安局), the region every
// place the words name shares is the agency's. When nothing decides, or the
// agency is a central one (国家信访局), ok is false: Place never guesses.
func Place(agency string, words ...string) (r Region, ok bool) {
	name := Agency(agency)
	d := data().places
	cands := d.parseName(name)
	if len(cands) == 1 {
		return cands[0].region(d), true
	}
	var mentioned []chain
	for _, w := range words {
		mentioned = append(mentioned, d.mentions(Agency(w))...)
	}
	if len(cands) > 1 {
		return d.choose(cands, mentioned)
	}
	if isCentral(name) || len(mentioned) == 0 {
		return Region{}, false
	}
	c, ok := common(mentioned)
	if !ok {
		return Region{}, false
	}
	return c.region(d), true
}

// isCentral reports a central-government agency's name.
func isCentral(name string) bool {
	for _, p := range centralPrefixes {
		if strings.HasPrefix(name, p) && !strings.HasPrefix(name, "中国共产党") && !strings.HasPrefix(name, "中国共产主义青年团") {
			return true
		}
	}
	return false
}

// choose returns the one candidate consistent with the places the words
// name, if exactly one is.
func (d *divisions) choose(cands, mentioned []chain) (Region, bool) {
	var keep []chain
	for _, c := range cands {
		for _, m := range mentioned {
			if c.within(m) {
				keep = append(keep, c)
				break
			}
		}
	}
	if len(keep) != 1 {
		return Region{}, false
	}
	return keep[0].region(d), true
}

// chain is a place as its division codes: province (2 digits), city (4)
// and county (6); "" for a level not named.
type chain struct{ province, city, county string }

// within reports whether c lies inside m: every level m names, c names the
// same, and m names a province.
func (c chain) within(m chain) bool {
	return m.province != "" && c.province == m.province &&
		(m.city == "" || c.city == m.city) && (m.county == "" || c.county == m.county)
}

// common returns the region every chain shares, if they share a province.
func common(cs []chain) (chain, bool) {
	c := cs[0]
	for _, o := range cs[1:] {
		if o.province != c.province {
			return chain{}, false
		}
		if o.city != c.city {
			c.city, c.county = "", ""
		}
		if o.county != c.county {
			c.county = ""
		}
	}
	return c, c.province != ""
}

// divisions is the GB/T 2260 data: names by code and codes by name.
type divisions struct {
	names     map[string]string   // code (2, 4 or 6 digits) -> name
	provinces map[string]string   // name -> code
	cities    map[string][]string // name -> codes
	counties  map[string][]string // name -> codes
	maxRunes  int                 // the longest name, in runes
}

// placeholders are city-level rows that name no city.
var placeholders = map[string]bool{"市辖区": true, "县": true, "省直辖县级行政区划": true, "自治区直辖县级行政区划": true}

// genericCounties are county-level names that are words as much as places
// (阳泉市城区, 大同市矿区): they place an agency only after their city.
var genericCounties = map[string]bool{"城区": true, "郊区": true, "矿区": true, "东区": true, "西区": true}

// region returns the chain as a Region.
func (c chain) region(d *divisions) Region {
	r := Region{Province: d.names[c.province]}
	switch {
	case c.county != "":
		r.Code = c.county
	case c.city != "":
		r.Code = c.city + "00"
	default:
		r.Code = c.province + "0000"
	}
	if c.city != "" && !placeholders[d.names[c.city]] {
		r.City = d.names[c.city]
	} else if d.names[c.province+"01"] == "市辖区" {
		r.City = r.Province // a municipality
	}
	if c.county != "" {
		r.County = d.names[c.county]
	}
	return r
}

// readDivisions reads the three CSV files of data/.
func readDivisions() (*divisions, error) {
	d := &divisions{names: map[string]string{}, provinces: map[string]string{},
		cities: map[string][]string{}, counties: map[string][]string{}}
	add := func(file string, width int, byName func(name, code string)) error {
		return eachCSV(file, func(code, name string) error {
			if len(code) != width {
				return fmt.Errorf("code %q: want %d digits", code, width)
			}
			d.names[code] = name
			d.maxRunes = max(d.maxRunes, len([]rune(name)))
			byName(name, code)
			return nil
		})
	}
	if err := add("data/provinces.csv", 2, func(n, c string) { d.provinces[n] = c }); err != nil {
		return nil, err
	}
	if err := add("data/cities.csv", 4, func(n, c string) {
		if !placeholders[n] {
			d.cities[n] = append(d.cities[n], c)
		}
	}); err != nil {
		return nil, err
	}
	err := add("data/areas.csv", 6, func(n, c string) { d.counties[n] = append(d.counties[n], c) })
	return d, err
}

// eachCSV calls fn with the code and name of each record of a division
// file (header line first; code and name the first two columns).
func eachCSV(file string, fn func(code, name string) error) error {
	f, err := files.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	for line := 1; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if line == 1 {
			continue
		}
		if len(rec) < 2 {
			return fmt.Errorf("%s:%d: %d fields", file, line, len(rec))
		}
		if err := fn(rec[0], rec[1]); err != nil {
			return fmt.Errorf("%s:%d: %w", file, line, err)
		}
	}
}
