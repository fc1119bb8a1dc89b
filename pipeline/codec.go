package pipeline

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"slices"
)

// The worker protocol's messages travel as frames: a uvarint length, then
// that many bytes, the first of which says what the message is (msgHello,
// msgRequest, msgAnswer); the value follows in encoding/gob, which carries
// every exported field of the records (a field added to a record travels
// without a change here), decimals with their coefficient and exponent
// (decimal.Decimal's GobEncode: "1.50" stays 150 times 10^-2). Gob leaves
// out zero values, so a -0 float comes back as 0 (the records hold no
// -0: see finite) and an empty list as nil (the records' writers treat the
// two alike). Both ends are the same build (workerProtocol); gob is not
// hardened against hostile input, and a frame comes from our own worker,
// is bounded (maxFrame), and a decoding error or panic is a garbled
// answer, never the supervisor's crash.

// Message kinds, the first byte of a frame.
const (
	msgHello   = 1 // a worker's greeting: the protocol's version
	msgRequest = 2 // a document to read: workerRequest
	msgAnswer  = 3 // the records of the document asked for: workerAnswer
)

// maxFrame bounds a frame, in bytes: a length over it is not a frame.
const maxFrame = 1 << 30

// errMalformed means a frame that does not hold what its kind says.
var errMalformed = errors.New("malformed message")

// writeFrame writes payload as one frame.
func writeFrame(w *bufio.Writer, payload []byte) error {
	var n [binary.MaxVarintLen64]byte
	if _, err := w.Write(n[:binary.PutUvarint(n[:], uint64(len(payload)))]); err != nil {
		return err
	}
	if _, err := w.Write(payload); err != nil {
		return err
	}
	return w.Flush()
}

// readFrame reads one frame; io.EOF when r ends before it. A frame is
// allocated whole up to frameChunk bytes; beyond, its memory grows as its
// bytes arrive, whatever length it claims.
func readFrame(r *bufio.Reader) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, err
	}
	if n == 0 || n > maxFrame {
		return nil, fmt.Errorf("%w: a frame of %d bytes", errMalformed, n)
	}
	buf := make([]byte, 0, min(n, frameChunk))
	for uint64(len(buf)) < n {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, int(min(n-uint64(len(buf)), frameChunk)))
		}
		m, err := io.ReadFull(r, buf[len(buf):min(uint64(cap(buf)), n)])
		buf = buf[:len(buf)+m]
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
	return buf, nil
}

// frameChunk is the most memory allocated for a frame before its bytes
// arrive.
const frameChunk = 64 << 20

// encoder writes messages; b holds the last one.
type encoder struct{ b []byte }

// message encodes v as a message of kind into e.b.
func (e *encoder) message(kind byte, v any) {
	buf := bytes.NewBuffer(append(e.b[:0], kind))
	if err := gob.NewEncoder(buf).Encode(v); err != nil {
		// Only a type gob cannot carry fails here: a programming error
		// that TestCodecRoundTrip catches.
		panic(fmt.Sprintf("pipeline: encoding a worker message: %v", err))
	}
	e.b = buf.Bytes()
}

func (e *encoder) hello()                   { e.message(msgHello, uint64(workerProtocol)) }
func (e *encoder) request(r *workerRequest) { e.message(msgRequest, r) }
func (e *encoder) answer(a *workerAnswer)   { e.message(msgAnswer, a) }

// decodeMessage decodes a frame of the kind wanted, every byte of it.
func decodeMessage[T any](frame []byte, kind byte) (v T, err error) {
	if len(frame) == 0 {
		return v, fmt.Errorf("%w: empty", errMalformed)
	}
	if frame[0] != kind {
		return v, fmt.Errorf("%w: message of kind %d, not %d", errMalformed, frame[0], kind)
	}
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("%w: %v", errMalformed, x)
		}
	}()
	r := bytes.NewReader(frame[1:])
	if err := gob.NewDecoder(r).Decode(&v); err != nil {
		return v, fmt.Errorf("%w: %v", errMalformed, err)
	}
	if r.Len() > 0 {
		return v, fmt.Errorf("%w: %d bytes after the message", errMalformed, r.Len())
	}
	return v, nil
}
