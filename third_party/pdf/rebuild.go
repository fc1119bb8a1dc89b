// Copyright 2014 The Go Authors.  All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pdf

// Rebuilding a damaged cross-reference table, as poppler (XRef::
// constructXRef), mupdf (pdf_repair_xref) and qpdf (reconstruct_xref) do:
// the file is scanned for object definitions "N G obj", the trailer is the
// last "trailer" dictionary (or cross-reference stream dictionary) that has
// a /Root, and the objects inside object streams are added from the
// streams found. A later definition of an object replaces an earlier one
// of the same or a lower generation (an incremental update); an object
// defined directly in the file wins over one in an object stream.

import (
	"bytes"
	"errors"
	"io"
	"strconv"
)

// scanChunk is how much of the file is scanned at a time.
const scanChunk = 1 << 20

// rebuild replaces the cross-reference table (and the trailer, when one is
// found) with what a scan of the file finds. cause is why, for Repaired.
// The object streams found are indexed by indexPendingObjStms, which needs
// decryption to be set up first.
func (r *Reader) rebuild(cause error) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = panicError(x)
		}
	}()
	table, trailer, stms := r.scan()
	if len(table) == 0 {
		return errors.New("no objects found")
	}
	if trailer == nil {
		if r.trailer == nil || r.trailer["Root"] == nil {
			return errors.New("no trailer dictionary found")
		}
		trailer = r.trailer
	}
	r.xref = table
	r.trailer = trailer
	r.trailerptr = objptr{}
	r.objStms = nil
	r.objStmBytes = 0
	r.pendingStms = stms
	r.repaired = "cross-reference table rebuilt: " + cause.Error()
	return nil
}

// scan finds the object definitions, the trailer and the object streams
// of the file.
func (r *Reader) scan() (table []xref, trailer dict, stms []objptr) {
	limit := maxObjects(r.end)
	const back, ahead = 32, 16
	buf := make([]byte, back+scanChunk+ahead)
	objKw, trailerKw := []byte("obj"), []byte("trailer")
	var xrefTrailer dict // from a cross-reference stream
	for pos := int64(0); pos < r.end; pos += scanChunk {
		lo := max(pos-back, 0)
		n, _ := r.f.ReadAt(buf[:min(int64(len(buf)), r.end-lo)], lo)
		w := buf[:n]
		base := int(pos - lo) // index in w of pos
		for i := base; i < len(w) && i < base+scanChunk; {
			j := bytes.Index(w[i:], objKw)
			if j < 0 {
				break
			}
			k := i + j
			i = k + len(objKw)
			if k >= base+scanChunk {
				break
			}
			if k+3 < len(w) && !isSpace(w[k+3]) && !isDelim(w[k+3]) {
				continue
			}
			num, gen, start, ok := objHeader(w, k, lo == 0)
			if !ok || num <= 0 || num >= limit {
				continue
			}
			off := lo + int64(start)
			table = ensureXrefLen(table, int(num))
			if e := table[num]; e.ptr.id == 0 || int64(e.ptr.gen) <= gen {
				table[num] = xref{ptr: objptr{uint32(num), uint16(gen)}, offset: off}
			}
			switch r.peekType(lo + int64(k) + 3) {
			case "ObjStm":
				stms = append(stms, objptr{uint32(num), uint16(gen)})
			case "XRef":
				if d := r.dictAt(off, true); d != nil && d["Root"] != nil {
					xrefTrailer = d
				}
			}
		}
		for i := base; i < len(w) && i < base+scanChunk; {
			j := bytes.Index(w[i:], trailerKw)
			if j < 0 {
				break
			}
			k := i + j
			i = k + len(trailerKw)
			if k >= base+scanChunk {
				break
			}
			if d := r.dictAt(lo+int64(i), false); d != nil && d["Root"] != nil {
				trailer = d
			}
		}
	}
	if trailer == nil {
		trailer = xrefTrailer
	}
	// Drop entries of object streams that a later definition replaced.
	kept := stms[:0]
	for _, s := range stms {
		if table[s.id].ptr == s && !table[s.id].inStream {
			kept = append(kept, s)
		}
	}
	return table, trailer, kept
}

// objHeader parses "num gen" before the "obj" keyword at k in w. start is
// the index of num. atFileStart says that w[0] is the first byte of the
// file, so that a number may start there.
func objHeader(w []byte, k int, atFileStart bool) (num, gen int64, start int, ok bool) {
	i := k
	skipSpace := func() bool {
		n := 0
		for i > 0 && isSpace(w[i-1]) {
			i--
			n++
		}
		return n > 0
	}
	digits := func(max int) (int64, bool) {
		end := i
		for i > 0 && w[i-1] >= '0' && w[i-1] <= '9' && end-i < max {
			i--
		}
		if i == end {
			return 0, false
		}
		v, err := strconv.ParseInt(string(w[i:end]), 10, 64)
		return v, err == nil
	}
	if !skipSpace() {
		return 0, 0, 0, false
	}
	gen, ok = digits(5)
	if !ok || gen > 65535 || !skipSpace() {
		return 0, 0, 0, false
	}
	num, ok = digits(10)
	if !ok {
		return 0, 0, 0, false
	}
	if i > 0 && !isSpace(w[i-1]) && !isDelim(w[i-1]) {
		return 0, 0, 0, false
	}
	if i == 0 && !atFileStart {
		return 0, 0, 0, false // the number may go on before the window
	}
	return num, gen, i, true
}

// peekType returns the /Type of the dictionary that starts at off if it is
// an object stream or a cross-reference stream, judged from the text
// before its "stream" keyword.
func (r *Reader) peekType(off int64) string {
	buf := make([]byte, 1024)
	n, _ := r.f.ReadAt(buf, off)
	buf = buf[:n]
	if i := bytes.Index(buf, []byte("stream")); i >= 0 {
		buf = buf[:i]
	} else {
		return ""
	}
	for _, t := range []string{"ObjStm", "XRef"} {
		if i := bytes.Index(buf, []byte("/"+t)); i >= 0 && (i+len(t)+1 == len(buf) || isSpace(buf[i+len(t)+1]) || isDelim(buf[i+len(t)+1])) {
			return t
		}
	}
	return ""
}

// dictAt parses the dictionary at off: after a "trailer" keyword, or the
// dictionary of the stream object there (isObj). It returns nil if there
// is none.
func (r *Reader) dictAt(off int64, isObj bool) (d dict) {
	defer func() {
		if recover() != nil {
			d = nil
		}
	}()
	b := newBuffer(io.NewSectionReader(r.f, off, r.end-off), off)
	b.allowEOF = true
	obj := b.readObject()
	if isObj {
		def, ok := obj.(objdef)
		if !ok {
			return nil
		}
		obj = def.obj
		if s, ok := obj.(stream); ok {
			obj = s.hdr
		}
	}
	d, _ = obj.(dict)
	return d
}

// indexPendingObjStms adds the objects of the object streams a rebuild
// found, once the streams can be decrypted. A direct definition of an
// object wins; of two object streams, the later in the file wins.
func (r *Reader) indexPendingObjStms() {
	if len(r.pendingStms) == 0 || r.trailer["Encrypt"] != nil && r.crypt == nil {
		return
	}
	stms := r.pendingStms
	r.pendingStms = nil
	// The lookups that led here may hold object streams as being decoded;
	// the new table has its own.
	saved := r.loading
	r.loading = nil
	defer func() { r.loading = saved }()
	isStm := make(map[uint32]bool, len(stms))
	for _, s := range stms {
		isStm[s.id] = true
	}
	limit := maxObjects(r.end)
	for _, sptr := range stms {
		s, err := r.objStm(sptr)
		if err != nil {
			continue
		}
		for _, id := range s.order {
			if id == 0 || int64(id) >= limit || isStm[id] {
				continue
			}
			r.xref = ensureXrefLen(r.xref, int(id))
			if e := r.xref[id]; e.ptr.id != 0 && !e.inStream {
				continue
			}
			r.xref[id] = xref{ptr: objptr{id, 0}, inStream: true, stream: sptr}
		}
	}
}
