package extract

import "github.com/ledongthuc/pdf"

// The object layer resolves an indirect reference again on every lookup.
// Pages share their fonts, forms and graphics states, so the Document
// keeps the objects it resolved, keyed by object number and generation.

// refKey packs an object number and generation into one key.
func refKey(id uint32, gen uint16) uint64 { return uint64(id)<<16 | uint64(gen) }

// maxCachedObjects bounds the resolved-object cache of one document.
const maxCachedObjects = 1 << 16

// get returns v.Key(key), resolving an indirect reference once per
// document.
func (d *Document) get(v pdf.Value, key string) pdf.Value {
	id, gen, ok := v.KeyRef(key)
	if !ok {
		return v.Key(key)
	}
	k := refKey(id, gen)
	if c, ok := d.objs[k]; ok {
		return c
	}
	r := v.Key(key)
	if len(d.objs) < maxCachedObjects {
		d.objs[k] = r
	}
	return r
}
