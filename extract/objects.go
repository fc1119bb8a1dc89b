package extract

import (
	"reflect"

	"github.com/ledongthuc/pdf"
)

// The object layer resolves an indirect reference again on every lookup,
// and an object inside an object stream costs a decompression of the whole
// stream each time. Pages share their fonts, forms and graphics states, so
// the Document keeps the objects it resolved, keyed by object number.
//
// The object layer does not export references; rawRef reads them with
// reflect (read only) from the dictionary behind a Value.

// rawRef returns the object number and generation (as one key) of the
// indirect reference stored under key in the dictionary or stream v.
func rawRef(v pdf.Value, key string) (uint64, bool) {
	rv := reflect.ValueOf(v).FieldByName("data")
	if !rv.IsValid() || rv.Kind() != reflect.Interface || rv.IsNil() {
		return 0, false
	}
	rv = rv.Elem()
	if rv.Kind() == reflect.Struct && rv.NumField() > 0 { // a stream: its header dict comes first
		rv = rv.Field(0)
	}
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return 0, false
	}
	e := rv.MapIndex(reflect.ValueOf(key).Convert(rv.Type().Key()))
	if !e.IsValid() {
		return 0, false
	}
	if e.Kind() == reflect.Interface {
		if e.IsNil() {
			return 0, false
		}
		e = e.Elem()
	}
	if e.Kind() != reflect.Struct || e.Type().Name() != "objptr" || e.NumField() != 2 {
		return 0, false
	}
	return e.Field(0).Uint()<<16 | e.Field(1).Uint(), true
}

// maxCachedObjects bounds the resolved-object cache of one document.
const maxCachedObjects = 1 << 16

// get returns v.Key(key), resolving an indirect reference once per
// document.
func (d *Document) get(v pdf.Value, key string) pdf.Value {
	id, ok := rawRef(v, key)
	if !ok {
		return v.Key(key)
	}
	if c, ok := d.objs[id]; ok {
		return c
	}
	r := v.Key(key)
	if len(d.objs) < maxCachedObjects {
		d.objs[id] = r
	}
	return r
}
