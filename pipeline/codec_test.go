package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/budgetpdf/budgetpdf/schema"
	"github.com/shopspring/decimal"
)

// fill sets every field of the struct v points to, recursively, to a
// value of its own, none zero: a field the codec leaves out then differs
// after a round trip.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Type() {
	case reflect.TypeFor[decimal.Decimal]():
		v.Set(reflect.ValueOf(decimal.New(int64(*n)*987654321, int32(-*n%5))))
		return
	case reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Date(2024, 5, 1, 8, 30, *n%60, 123456000, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.Uint8:
		v.SetUint(uint64(*n % 256))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, n)
			fill(e, n)
			v.SetMapIndex(k, e)
		}
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d 预算\n\xff", *n))
	case reflect.Int32, reflect.Int:
		v.SetInt(int64(-*n * 1000))
	case reflect.Float64:
		v.SetFloat(float64(*n) + 0.1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), n)
		}
	case reflect.Pointer:
		if v.Type() == reflect.TypeFor[*decimal.Decimal]() {
			d := decimal.New(int64(*n)*123456789, int32(-*n%7))
			if *n%2 == 0 {
				d = decimal.RequireFromString("-123456789012345678901234567890.5" + strings.Repeat("0", *n%3))
			}
			v.Set(reflect.ValueOf(&d))
			return
		}
		panic("unexpected pointer " + v.Type().String())
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), n)
		}
	default:
		panic("unexpected kind " + v.Kind().String())
	}
}

// TestCodecRoundTrip: every field of every record, decimals with their
// exponent, floats bit for bit and strings byte for byte (invalid UTF-8
// included), comes back from the worker protocol's encoding as it went.
func TestCodecRoundTrip(t *testing.T) {
	var a workerAnswer
	n := 0
	fill(reflect.ValueOf(&a).Elem(), &n)
	a.Cells[1].X0 = math.Copysign(0, -1)
	a.Cells[1].Amount = nil
	// Records that repeat the strings of the record before, in part (sent
	// once, see encoder.str), and a string emptied after a full one.
	a.Cells = append(a.Cells, a.Cells[1], a.Cells[1], a.Cells[0])
	a.Cells[3].Text, a.Cells[3].RowLabel = "other", ""
	a.Checks = append(a.Checks, a.Checks[0])
	var e encoder
	e.answer(&a)
	got, err := decodeMessage(e.b, msgAnswer, (*decoder).answer)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, a) {
		t.Errorf("round trip:\n%+v\nwant\n%+v", got, a)
	}
	for i, c := range got.Cells {
		if c.Amount != nil && c.Amount.Exponent() != a.Cells[i].Amount.Exponent() {
			t.Errorf("cell %d: amount %s exponent %d, want %d", i, c.Amount, c.Amount.Exponent(), a.Cells[i].Amount.Exponent())
		}
	}
	if !math.Signbit(got.Cells[1].X0) {
		t.Errorf("-0 came back as %v", got.Cells[1].X0)
	}
	var req workerRequest
	fill(reflect.ValueOf(&req).Elem(), &n)
	e.request(&req)
	if back, err := decodeMessage(e.b, msgRequest, (*decoder).request); err != nil || !reflect.DeepEqual(back, req) {
		t.Errorf("request %+v, %v; want %+v", back, err, req)
	}
}

// TestCodecRecords: the records of a real document come back as they
// went, through frames.
func TestCodecRecords(t *testing.T) {
	r, _ := ReadDocument(context.Background(), ruled, nil)
	a := workerAnswer{Document: r.Document, Tables: r.Tables, Cells: r.Cells, Checks: r.Checks,
		Indicators: r.Indicators, FormFields: r.FormFields}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	var e encoder
	e.answer(&a)
	if err := writeFrame(w, e.b); err != nil {
		t.Fatal(err)
	}
	frame, err := readFrame(bufio.NewReader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeMessage(frame, msgAnswer, (*decoder).answer)
	// (compared by their encoding: a zero from arithmetic and a zero made
	// anew hold their big.Int differently, and are the same number)
	sent := bytes.Clone(e.b)
	e.answer(&got)
	if err != nil || !bytes.Equal(e.b, sent) || len(got.Cells) != len(a.Cells) || len(got.Cells) == 0 ||
		len(got.Indicators) != len(a.Indicators) || len(got.Indicators) == 0 || len(got.FormFields) != len(a.FormFields) || len(got.FormFields) == 0 {
		t.Errorf("%d cells back of %d, %d indicators of %d, %d form fields of %d, %v",
			len(got.Cells), len(a.Cells), len(got.Indicators), len(a.Indicators), len(got.FormFields), len(a.FormFields), err)
	}
}

// TestCodecMalformed: what is not a message is an error naming where,
// never a panic or an allocation of what a length claims.
func TestCodecMalformed(t *testing.T) {
	var e encoder
	e.answer(&workerAnswer{Document: schema.Document{SourceFile: "a.pdf"}, Cells: []schema.Cell{{Text: "x"}}})
	good := bytes.Clone(e.b)
	e.answer(&workerAnswer{})
	huge := append(e.b[:len(e.b)-6], 0xff, 0xff, 0xff, 0xff, 0x0f) // tables: 2^32 - 1 of them (after the 26 bytes of an empty document)
	// 2^20 cells in a little over 1 MiB: each zero byte is a field, a cell
	// repeating the one before takes a few of them, and decodes to 400.
	var e2 encoder
	e2.answer(&workerAnswer{})
	manyCells := append(bytes.Clone(e2.b[:len(e2.b)-5]), 0x80, 0x80, 0x40) // cells: 2^20
	manyCells = append(manyCells, make([]byte, 1<<20)...)
	farExponent, longCoefficient := decimal.New(1, maxExponent+1), decimal.NewFromBigInt(new(big.Int).Lsh(big.NewInt(1), 8*maxCoefficient), 0)
	e2.answer(&workerAnswer{Cells: []schema.Cell{{Amount: &farExponent}}})
	far := bytes.Clone(e2.b)
	e2.answer(&workerAnswer{Cells: []schema.Cell{{Amount: &longCoefficient}}})
	long := bytes.Clone(e2.b)
	tests := []struct {
		name  string
		frame []byte
		want  string
	}{
		{"empty", nil, "malformed message: message cut short at byte 0"},
		{"another kind", []byte{msgRequest}, "malformed message: message of kind 2, not 3 at byte 1"},
		{"cut short", good[:len(good)-6], "malformed message: message cut short at byte"},
		{"trailing bytes", append(append([]byte(nil), good...), 0), "malformed message: bytes after the message at byte"},
		{"huge list", huge, "malformed message: list longer than the message at byte 32"},
		{"bad varint", append([]byte{msgAnswer}, bytes.Repeat([]byte{0xff}, 11)...), "malformed message: bad varint at byte 1"},
		{"more cells than the message can hold", manyCells, fmt.Sprintf("malformed message: 1048576 items of %d bytes, more than the message can hold at byte 31", unsafe.Sizeof(schema.Cell{}))},
		{"a decimal's exponent out of range", far, "malformed message: decimal exponent out of range at byte"},
		{"a decimal's coefficient too long", long, "malformed message: decimal coefficient too long at byte"},
	}
	for _, tt := range tests {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := decodeMessage(tt.frame, msgAnswer, (*decoder).answer)
		runtime.ReadMemStats(&after)
		if err == nil || !errors.Is(err, errMalformed) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("%s: %d bytes allocated for a message of %d", tt.name, n, len(tt.frame))
		}
	}
	for _, in := range [][]byte{{0x00}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, {0x05, 1, 2}} {
		if _, err := readFrame(bufio.NewReader(bytes.NewReader(in))); err == nil {
			t.Errorf("frame % x: no error", in)
		}
	}
}

// FuzzDecodeAnswer: whatever a worker writes, decoding it never panics,
// and what decodes encodes back to the same bytes.
func FuzzDecodeAnswer(f *testing.F) {
	var a workerAnswer
	n := 0
	fill(reflect.ValueOf(&a).Elem(), &n)
	var e encoder
	e.answer(&a)
	f.Add(e.b)
	e.answer(&workerAnswer{})
	f.Add(e.b)
	f.Fuzz(func(t *testing.T, frame []byte) {
		got, err := decodeMessage(frame, msgAnswer, (*decoder).answer)
		if err != nil {
			return
		}
		var e encoder
		e.answer(&got)
		again, err := decodeMessage(e.b, msgAnswer, (*decoder).answer)
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("decoded %+v, encoded again and decoded %+v, %v", got, again, err)
		}
	})
}

// BenchmarkDecodeAnswer decodes the answer of a real document (the run's
// side of a worker's answer).
func BenchmarkDecodeAnswer(b *testing.B) {
	r, _ := ReadDocument(context.Background(), "../fixtures/jiangsu-npc-office-2019-budget-tables.pdf", nil)
	var e encoder
	e.answer(&workerAnswer{Document: r.Document, Tables: r.Tables, Cells: r.Cells, Checks: r.Checks,
		Indicators: r.Indicators, FormFields: r.FormFields})
	b.ReportAllocs()
	b.SetBytes(int64(len(e.b)))
	for b.Loop() {
		if _, err := decodeMessage(e.b, msgAnswer, (*decoder).answer); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(r.Cells)), "cells")
}

// BenchmarkEncodeAnswer encodes the answer of a real document (a worker's
// side).
func BenchmarkEncodeAnswer(b *testing.B) {
	r, _ := ReadDocument(context.Background(), "../fixtures/jiangsu-npc-office-2019-budget-tables.pdf", nil)
	a := workerAnswer{Document: r.Document, Tables: r.Tables, Cells: r.Cells, Checks: r.Checks,
		Indicators: r.Indicators, FormFields: r.FormFields}
	var e encoder
	e.answer(&a)
	b.ReportAllocs()
	b.SetBytes(int64(len(e.b)))
	for b.Loop() {
		e.answer(&a)
	}
	b.ReportMetric(float64(len(r.Cells)), "cells")
}
