package schema

import (
	"bytes"
	stdjson "encoding/json"
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
)

// FuzzJSONLinesEncoder holds the JSON Lines encoder of each record set
// (newLineEncoder: goccy/go-json, for speed, where it gives the same bytes)
// to encoding/json's bytes, on the set's JSON object with every field
// fuzzed: escapes, invalid UTF-8, U+2028, HTML characters, map keys,
// floats where encoding/json turns to exponents.
func FuzzJSONLinesEncoder(f *testing.F) {
	f.Add("预算01表", "a\"b\\c\n\t<&>", "\xff\xfe\u2028\u2029\x00\x1f", int64(-12345))
	f.Add("", "🙂 e\u0301", "}{][,:", int64(0))
	f.Fuzz(func(t *testing.T, s1, s2, s3 string, n int64) {
		strs := []string{s1, s2, s3}
		for _, v := range []any{&cellJSON{}, &documentJSON{}, &tableJSON{}, &checkJSON{}, &factJSON{}, &indicatorJSON{}, &formFieldJSON{}, &fileRow{}} {
			fill(reflect.ValueOf(v).Elem(), strs, n)
			var want, got bytes.Buffer
			std := stdjson.NewEncoder(&want)
			std.SetEscapeHTML(false)
			err1, err2 := std.Encode(v), newLineEncoder(&got, reflect.TypeOf(v).Elem()).Encode(v)
			if (err1 == nil) != (err2 == nil) || !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatalf("%T:\n got %q, %v\nwant %q, %v", v, got.Bytes(), err2, want.Bytes(), err1)
			}
		}
	})
}

// fill sets every field of the struct v from strs and n.
func fill(v reflect.Value, strs []string, n int64) {
	for i := range v.NumField() {
		f := v.Field(i)
		s := strs[i%len(strs)]
		switch {
		case f.Type() == reflect.TypeFor[stdjson.Number]():
			f.SetString(strconv.FormatInt(n, 10) + ".25")
		case f.Kind() == reflect.String:
			f.SetString(s)
		case f.Kind() == reflect.Bool:
			f.SetBool(n%2 == 0)
		case f.CanInt():
			f.SetInt(n % (1 << 31))
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.String:
			f.Set(reflect.ValueOf(&s))
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Int32:
			x := int32(n % (1 << 31))
			f.Set(reflect.ValueOf(&x))
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Bool:
			b := n%3 == 0
			f.Set(reflect.ValueOf(&b))
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			f.Set(reflect.ValueOf(slices.Clone(strs)))
		case f.Kind() == reflect.Float64:
			f.SetFloat(floatOf(n))
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Struct:
			e := reflect.New(f.Type().Elem()).Elem()
			fill(e, strs, n)
			f.Set(reflect.Append(reflect.MakeSlice(f.Type(), 0, 2), e, e))
		case f.Kind() == reflect.Map:
			f.Set(reflect.ValueOf(map[string]string{strs[0]: strs[1], strs[2]: strs[0], "k": strs[2]}))
		default:
			panic("fill: a field of type " + f.Type().String())
		}
	}
}

// floatOf is a float64 of n: hundredths (the rounded coordinates), and
// values where encoding/json turns to exponents.
func floatOf(n int64) float64 {
	switch {
	case n%5 == 0:
		return float64(n) * 1e19
	case n%7 == 0:
		return float64(n) * 1e-9
	}
	return float64(n) / 100
}

// FuzzNumber holds number's own writing of coordinates to strconv's
// shortest text, for rounded coordinates and any other float64.
func FuzzNumber(f *testing.F) {
	for _, x := range []float64{0, 1, -1, 0.5, 0.05, 1.25, 841.89, 595.28, -0.01, 1e9, 1 << 30, 123456789.99, 1e-7, math.NaN(), math.Inf(1), math.Copysign(0, -1)} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		xs := []float64{x}
		if r, err := round2(x); err == nil {
			xs = append(xs, r)
		}
		for _, x := range xs {
			if got, want := string(number(x)), strconv.FormatFloat(x, 'f', -1, 64); got != want {
				t.Fatalf("number(%v) = %s, want %s", x, got, want)
			}
		}
	})
}

// TestNumberHundredths: every number of hundredths up to ±1,000 and a
// sample up to ±10^9, as round2 gives them, written as strconv writes them.
func TestNumberHundredths(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	check := func(c int64) {
		x, err := round2(float64(c) / 100)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := string(number(x)), strconv.FormatFloat(x, 'f', -1, 64); got != want {
			t.Fatalf("number(%v) = %s, want %s", x, got, want)
		}
	}
	for c := int64(-100000); c <= 100000; c++ {
		check(c)
	}
	for range 200000 {
		check(rng.Int64N(2e11) - 1e11)
	}
}

// FuzzRound2 holds round2 to its definition: the float64 nearest to the
// two-decimal text of x.
func FuzzRound2(f *testing.F) {
	for _, x := range []float64{0, -0.004, 0.005, 0.015, 0.125, 0.375, 1.005, 2.675, 159.565, 797.415, -12.345, 1 << 30, 1e20, math.SmallestNonzeroFloat64, math.Copysign(0, -1)} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		for _, x := range []float64{x, x / 1e6, math.Mod(x, 1000)} {
			got, err := round2(x)
			want, werr := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64)
			if math.IsNaN(x) || math.IsInf(x, 0) {
				if err == nil {
					t.Fatalf("round2(%v): no error", x)
				}
				continue
			}
			if want == 0 {
				want = 0
			}
			if err != nil || werr != nil || math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("round2(%v) = %v, %v; want %v", x, got, err, want)
			}
		}
	})
}

// TestRound2Halves: the values nearest to half-hundredths, and their
// neighbours, where rounding x×100 can go either way.
func TestRound2Halves(t *testing.T) {
	for c := int64(-200000); c <= 200000; c++ {
		h := (float64(c) + 0.5) / 100
		for _, x := range []float64{h, math.Nextafter(h, math.Inf(1)), math.Nextafter(h, math.Inf(-1))} {
			got, err := round2(x)
			want, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64)
			if want == 0 {
				want = 0
			}
			if err != nil || math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("round2(%v) = %v, %v; want %v", x, got, err, want)
			}
		}
	}
}

// FuzzUnscaled holds unscaledValue's int64 arithmetic to the decimal
// package's: for every coefficient (of 1 to 40 digits, from the fuzzed
// bytes and sign), exponent and scale, the same integer or the same error.
func FuzzUnscaled(f *testing.F) {
	for _, c := range []struct {
		mag   []byte
		neg   bool
		exp   int32
		scale int8
	}{{[]byte{0x01, 0x2c, 0x1f}, false, -2, 6}, {[]byte{0x0d, 0xe0, 0xb6, 0xb3, 0xa7, 0x63, 0xff, 0xff}, true, 0, 2},
		{nil, false, 5, 6}, {[]byte{0x0a}, false, -19, 2}, {[]byte{0x7b}, true, -7, 6}, {[]byte{0x01}, false, 12, 6}} {
		f.Add(c.mag, c.neg, c.exp, c.scale)
	}
	f.Fuzz(func(t *testing.T, mag []byte, neg bool, exp int32, scale int8) {
		if len(mag) > 17 {
			mag = mag[:17]
		}
		c := new(big.Int).SetBytes(mag)
		if neg {
			c.Neg(c)
		}
		exp %= 40 // (the decimal package's own arithmetic is slow far out)
		for _, d := range []decimal.Decimal{decimal.NewFromBigInt(c, exp), decimal.New(c.Int64()%1e15, exp)} {
			got, err := unscaledValue(&d, int32(scale))
			want, werr := unscaledBig(&d, int32(scale))
			if got != want || !errors.Is(err, werr) || (err == nil) != (werr == nil) {
				t.Fatalf("unscaledValue(%s, %d) = %d, %v; the decimal package gives %d, %v", d, scale, got, err, want, werr)
			}
		}
	})
}

// TestWriteback: what a part's writer writes reaches its file whole, in
// chunks past writebackChunk too, and is counted.
func TestWriteback(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "part"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := &writeback{f: f}
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	var want bytes.Buffer
	for i := range 20 {
		chunk[0] = byte('A' + i)
		if n, err := w.Write(chunk); n != len(chunk) || err != nil {
			t.Fatalf("Write: %d, %v", n, err)
		}
		want.Write(chunk)
	}
	if w.written != int64(want.Len()) || w.asked != 2*writebackChunk {
		t.Errorf("written %d, asked %d", w.written, w.asked)
	}
	got, err := os.ReadFile(f.Name())
	if err != nil || !bytes.Equal(got, want.Bytes()) {
		t.Errorf("the file holds %d bytes, not what was written (%v)", len(got), err)
	}
}
