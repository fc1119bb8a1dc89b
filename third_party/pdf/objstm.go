// Copyright 2014 The Go Authors.  All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pdf

// Fetching indirect objects, from their offset in the file or from an
// object stream (7.5.7). A damaged file can make these lookups loop: an
// object stream whose own entry places it inside itself, /Extends chains
// that come back, a stream whose /Length lives in the stream it measures.
// Every such loop ends with an error: object streams being decoded are
// marked, the nesting of lookups through object streams is bounded, and
// /Extends chains are followed at most maxExtends times.

import (
	"bytes"
	"fmt"
	"io"
)

const (
	// maxLookupDepth bounds the nesting of object lookups through object
	// streams (an object stream's /Length in another object stream, ...).
	maxLookupDepth = 32
	// maxExtends bounds an /Extends chain.
	maxExtends = 64
	// maxObjStmBytes bounds the decoded size of one object stream.
	maxObjStmBytes = 64 << 20
	// maxObjStmCache bounds the decoded object streams kept by a Reader.
	maxObjStmCache = 128 << 20
)

// objStm is a decoded object stream.
type objStm struct {
	data    []byte           // the decoded stream
	first   int64            // offset of the first object in data
	offsets map[uint32]int64 // object number to offset after first
	order   []uint32         // object numbers in stream order
	extends objptr           // the /Extends stream, or objptr{}
}

// fetch returns the object ptr refers to. found is false for an object the
// table does not have (a free or missing entry: a null). An error means
// the table points to something that is not the object, or to an object
// stream that cannot be read.
func (r *Reader) fetch(ptr objptr) (obj object, found bool, err error) {
	if ptr.id >= uint32(len(r.xref)) {
		return nil, false, nil
	}
	e := r.xref[ptr.id]
	if e.ptr != ptr || !e.inStream && e.offset == 0 {
		return nil, false, nil
	}
	if e.inStream {
		obj, err := r.objStmObject(e.stream, ptr)
		return obj, err == nil, err
	}
	defer func() {
		if x := recover(); x != nil {
			obj, found, err = nil, false, fmt.Errorf("object %d %d at offset %d: %v", ptr.id, ptr.gen, e.offset, panicError(x))
		}
	}()
	if e.offset < 0 || e.offset >= r.end {
		return nil, false, fmt.Errorf("object %d %d: offset %d is outside the file", ptr.id, ptr.gen, e.offset)
	}
	b := newBuffer(io.NewSectionReader(r.f, e.offset, r.end-e.offset), e.offset)
	b.crypt = r.crypt
	def, ok := b.readObject().(objdef)
	if !ok {
		return nil, false, fmt.Errorf("object %d %d: no object definition at offset %d", ptr.id, ptr.gen, e.offset)
	}
	if def.ptr != ptr {
		return nil, false, fmt.Errorf("object %d %d: offset %d holds object %d %d", ptr.id, ptr.gen, e.offset, def.ptr.id, def.ptr.gen)
	}
	return def.obj, true, nil
}

// objStmObject reads object ptr from the object stream sptr or the streams
// it extends.
func (r *Reader) objStmObject(sptr, ptr objptr) (object, error) {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxLookupDepth {
		return nil, fmt.Errorf("object %d: object lookups nested deeper than %d (a loop?)", ptr.id, maxLookupDepth)
	}
	start := sptr
	for hops := 0; ; hops++ {
		s, err := r.objStm(sptr)
		if err != nil {
			return nil, fmt.Errorf("object %d: %v", ptr.id, err)
		}
		if off, ok := s.offsets[ptr.id]; ok {
			return s.object(off)
		}
		if s.extends == (objptr{}) {
			return nil, fmt.Errorf("object %d is not in object stream %d", ptr.id, start.id)
		}
		if hops >= maxExtends || s.extends == start {
			return nil, fmt.Errorf("object stream %d: /Extends chain loops or is longer than %d", start.id, maxExtends)
		}
		sptr = s.extends
	}
}

// object parses the object at off (after First) in the stream.
func (s *objStm) object(off int64) (obj object, err error) {
	defer func() {
		if x := recover(); x != nil {
			obj, err = nil, panicError(x)
		}
	}()
	at := s.first + off
	if off < 0 || at > int64(len(s.data)) {
		return nil, fmt.Errorf("object offset %d is outside its object stream", off)
	}
	b := newBuffer(bytes.NewReader(s.data[at:]), 0)
	b.allowEOF = true
	return b.readObject(), nil
}

// objStm returns the decoded object stream sptr, decoding it on first use.
func (r *Reader) objStm(sptr objptr) (s *objStm, err error) {
	if s, ok := r.objStms[sptr]; ok {
		return s, nil
	}
	if r.loading[sptr] {
		return nil, fmt.Errorf("object stream %d %d contains itself", sptr.id, sptr.gen)
	}
	if r.loading == nil {
		r.loading = make(map[objptr]bool)
	}
	r.loading[sptr] = true
	loading := r.loading
	defer delete(loading, sptr)
	defer func() {
		if x := recover(); x != nil {
			s, err = nil, panicError(x)
		}
	}()
	strm := r.resolve(objptr{}, sptr)
	if strm.Kind() != Stream {
		return nil, fmt.Errorf("object stream %d %d is not a stream", sptr.id, sptr.gen)
	}
	if strm.Key("Type").Name() != "ObjStm" {
		return nil, fmt.Errorf("object %d %d is not an object stream", sptr.id, sptr.gen)
	}
	n := strm.Key("N").Int64()
	first := strm.Key("First").Int64()
	if first <= 0 || n < 0 {
		return nil, fmt.Errorf("object stream %d %d: missing /First or /N", sptr.id, sptr.gen)
	}
	rc := strm.Reader()
	defer rc.Close()
	data, rerr := io.ReadAll(io.LimitReader(rc, maxObjStmBytes+1))
	if len(data) > maxObjStmBytes {
		return nil, fmt.Errorf("object stream %d %d decodes to more than %d bytes", sptr.id, sptr.gen, maxObjStmBytes)
	}
	if rerr != nil && len(data) == 0 {
		return nil, fmt.Errorf("object stream %d %d: %v", sptr.id, sptr.gen, rerr)
	}
	s = &objStm{data: data, first: first, offsets: make(map[uint32]int64)}
	b := newBuffer(bytes.NewReader(data[:min(first, int64(len(data)))]), 0)
	b.allowEOF = true
	for i := int64(0); i < n; i++ {
		id, ok1 := b.readToken().(int64)
		off, ok2 := b.readToken().(int64)
		if !ok1 || !ok2 {
			break
		}
		if id < 0 || id > 1<<32-1 {
			continue
		}
		if _, dup := s.offsets[uint32(id)]; !dup {
			s.offsets[uint32(id)] = off
			s.order = append(s.order, uint32(id))
		}
	}
	if id, gen, ok := strm.KeyRef("Extends"); ok {
		s.extends = objptr{id, gen}
	}
	if r.objStms == nil || r.objStmBytes+len(data) > maxObjStmCache {
		r.objStms = make(map[objptr]*objStm)
		r.objStmBytes = 0
	}
	r.objStms[sptr] = s
	r.objStmBytes += len(data)
	return s, nil
}

// rebuildFor rebuilds the cross-reference table after err, once per
// Reader. It reports whether a new table is in place, so that the lookup
// that failed is worth trying again.
func (r *Reader) rebuildFor(err error) bool {
	if r.rebuilt {
		return false
	}
	r.rebuilt = true
	if r.rebuild(err) != nil {
		return false
	}
	r.indexPendingObjStms()
	return true
}
