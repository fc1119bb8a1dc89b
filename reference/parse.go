package reference

import (
	"strings"
	"unicode/utf8"
)

// This file reads the places a name or a sentence names: a province, then
// a city of it, then a county of that, each the longest division name that
// follows.

// parseName returns the places an agency's name starts with: at its start
// or after a party prefix (中共), where a county alone may place it (its
// candidates when the county's name is not unique); else the first place
// named anywhere in it from a province or city on (国家税务总局北京市税务局).
func (d *divisions) parseName(name string) []chain {
	starts := []string{name}
	for _, p := range localPrefixes {
		if t, ok := strings.CutPrefix(name, p); ok {
			starts = append(starts, t)
		}
	}
	for _, s := range starts {
		if cs, _ := d.parseAt(s, true); len(cs) > 0 {
			return cs
		}
	}
	for i := range name {
		if cs, _ := d.parseAt(name[i:], false); len(cs) > 0 {
			return cs
		}
	}
	return nil
}

// mentions returns every place words name from a province or city on, in
// order. A county name shared by two cities of the province named adds
// only the province.
func (d *divisions) mentions(words string) []chain {
	var out []chain
	for i := 0; i < len(words); {
		cs, n := d.parseAt(words[i:], false)
		if len(cs) == 0 {
			_, w := utf8.DecodeRuneInString(words[i:])
			i += w
			continue
		}
		if c, ok := common(cs); ok {
			out = append(out, c)
		}
		i += n
	}
	return out
}

// parseAt reads the place s starts with: a province, a city (of that
// province), a county (of that city or province). countyAlone allows a
// county with no province or city before it; its candidates are every
// county of that name. It returns the candidates (nil when s starts with
// no place) and the bytes read.
func (d *divisions) parseAt(s string, countyAlone bool) ([]chain, int) {
	var c chain
	n := 0
	if name, code := d.longest(s, func(name string) []string {
		if code, ok := d.provinces[name]; ok {
			return []string{code}
		}
		return nil
	}); code != nil {
		c.province, n = code[0], len(name)
	}
	if name, codes := d.longest(s[n:], func(name string) []string {
		return filter(d.cities[name], c.province)
	}); len(codes) == 1 {
		c.city, c.province = codes[0], codes[0][:2]
		n += len(name)
	}
	within := c.city
	if within == "" {
		within = c.province
	}
	if within == "" && !countyAlone {
		return nil, 0
	}
	name, codes := d.longest(s[n:], func(name string) []string {
		if within == "" && genericCounties[name] {
			return nil
		}
		return filter(d.counties[name], within)
	})
	if len(codes) == 0 {
		if within == "" {
			return nil, 0
		}
		return []chain{c}, n
	}
	out := make([]chain, len(codes))
	for i, code := range codes {
		out[i] = chain{province: code[:2], city: code[:4], county: code}
	}
	return out, n + len(name)
}

// longest returns the longest prefix of s (in whole runes, two at least)
// that lookup finds codes for, and those codes.
func (d *divisions) longest(s string, lookup func(string) []string) (string, []string) {
	ends := make([]int, 0, d.maxRunes)
	for i := range s {
		if i > 0 {
			ends = append(ends, i)
		}
		if len(ends) == d.maxRunes {
			break
		}
	}
	if len(ends) < d.maxRunes {
		ends = append(ends, len(s))
	}
	for k := len(ends) - 1; k >= 1; k-- {
		if codes := lookup(s[:ends[k]]); len(codes) > 0 {
			return s[:ends[k]], codes
		}
	}
	return "", nil
}

// filter returns the codes that start with prefix.
func filter(codes []string, prefix string) []string {
	if prefix == "" {
		return codes
	}
	var out []string
	for _, c := range codes {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}
