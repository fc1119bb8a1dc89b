package pdf

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestValueReaderOnNonStream(t *testing.T) {
	v := testValue(int64(1))
	rd := v.Reader()
	data, err := io.ReadAll(rd)
	if err == nil {
		t.Fatal("expected error reading non-stream value")
	}
	if !strings.Contains(err.Error(), "stream not present") {
		t.Fatalf("error = %q, want it to mention 'stream not present'", err)
	}
	if len(data) != 0 {
		t.Fatalf("read %q, want empty", data)
	}
}

// The PNG predictors, one row per filter type, two bytes per pixel
// (Colors 2): None, Sub, Up, Average, Paeth, then a short last row.
func TestPNGReader(t *testing.T) {
	input := []byte{
		0, 1, 2, 3, 4, // None: 1 2 3 4
		1, 1, 1, 1, 1, // Sub: 1 1 2 2
		2, 1, 1, 1, 1, // Up: 2 2 3 3
		3, 2, 2, 2, 2, // Average: 2+1 2+1 2+(3+3)/2 2+(3+3)/2 = 3 3 5 5
		4, 1, 1, 1, 1, // Paeth: 1+3 1+3 then 1+paeth(4,5,3)=1+5? see below
		2, 1, // a short last row: Up, one byte
	}
	r := &pngReader{r: bytes.NewReader(input), bpp: 2, prev: make([]byte, 4), cur: make([]byte, 5)}
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("ReadAll: %v", err)
	}
	// Paeth row: i=0,1: a=c=0, b=prev=3 -> predictor b=3 -> 4 4;
	// i=2: a=4 b=5 c=3 -> p=6, pa=2 pb=1 pc=3 -> b=5 -> 6; i=3 likewise 6.
	want := []byte{1, 2, 3, 4, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 5, 5, 4, 4, 6, 6, 5}
	if !bytes.Equal(got, want) {
		t.Fatalf("decoded = %v, want %v", got, want)
	}
}

func TestPNGReaderRejectsBadFilter(t *testing.T) {
	input := []byte{7, 5, 10} // there is no filter type 7
	r := &pngReader{r: bytes.NewReader(input), bpp: 1, prev: make([]byte, 2), cur: make([]byte, 3)}
	_, err := io.ReadAll(r)
	if err == nil || !strings.Contains(err.Error(), "malformed PNG predictor") {
		t.Fatalf("err = %v, want malformed PNG predictor error", err)
	}
}

func TestTIFFReader(t *testing.T) {
	r := &tiffReader{r: bytes.NewReader([]byte{10, 1, 1, 5, 2, 2}), bpp: 1, row: make([]byte, 3)}
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, []byte{10, 11, 12, 5, 7, 9}) {
		t.Fatalf("decoded = %v, %v", got, err)
	}
}

func TestASCIIHexAndRunLength(t *testing.T) {
	hex, err := io.ReadAll(&asciiHexReader{r: bufio.NewReader(strings.NewReader("48 65\n6c6C6f2>junk"))})
	if err != nil || string(hex) != "Hello " {
		t.Errorf("ASCIIHexDecode = %q, %v", hex, err)
	}
	rl, err := io.ReadAll(&runLengthReader{r: bufio.NewReader(bytes.NewReader([]byte{2, 'a', 'b', 'c', 254, 'x', 128, 'z'}))})
	if err != nil || string(rl) != "abcxxx" {
		t.Errorf("RunLengthDecode = %q, %v", rl, err)
	}
}

// A predictor whose row would be huge is refused before anything is
// allocated.
func TestPredictorRowBounded(t *testing.T) {
	defer func() {
		if x := recover(); x == nil || !strings.Contains(fmt.Sprint(x), "Columns") {
			t.Errorf("panic %v, want a malformed predictor parameters panic", x)
		}
	}()
	param := Value{nil, objptr{}, dict{"Predictor": int64(12), "Columns": int64(1) << 40}}
	predictor(bytes.NewReader(nil), param)
}

func TestCBCReader(t *testing.T) {
	key := bytes.Repeat([]byte{0x33}, 16)
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	iv := bytes.Repeat([]byte{0x05}, 16)
	for _, n := range []int{0, 1, 15, 16, 17, 4095, 4096, 5000, 10000} {
		plaintext := bytes.Repeat([]byte("abcdefghijklmnopq"), n/17+1)[:n]
		padded := append(append([]byte(nil), plaintext...), bytes.Repeat([]byte{byte(16 - n%16)}, 16-n%16)...)
		ct := make([]byte, len(padded))
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, padded)
		r := &cbcReader{block: block, rd: iotest.HalfReader(bytes.NewReader(append(append([]byte(nil), iv...), ct...)))}
		got, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("%d bytes: ReadAll: %v", n, err)
		}
		if !bytes.Equal(got, plaintext) {
			t.Fatalf("%d bytes: decrypted %d bytes, want the %d of the plaintext", n, len(got), len(plaintext))
		}
	}
}

// Object keys (Algorithm 1) are the file key's length plus 5 bytes, at
// most 16: a 40-bit RC4 key gives 10-byte object keys.
func TestObjectKeyLength(t *testing.T) {
	for _, tt := range []struct {
		key  int
		m    cryptMethod
		want int
	}{{5, cryptRC4, 10}, {7, cryptRC4, 12}, {16, cryptRC4, 16}, {16, cryptAESV2, 16}, {32, cryptAESV3, 32}} {
		c := &crypt{key: bytes.Repeat([]byte{1}, tt.key)}
		if got := len(c.objectKey(objptr{id: 1}, tt.m)); got != tt.want {
			t.Errorf("key of %d bytes, method %d: object key of %d bytes, want %d", tt.key, tt.m, got, tt.want)
		}
	}
	c := &crypt{key: []byte("secret")}
	if bytes.Equal(c.objectKey(objptr{id: 1}, cryptRC4), c.objectKey(objptr{id: 1}, cryptAESV2)) {
		t.Error("the AES salt does not change the key")
	}
	if bytes.Equal(c.objectKey(objptr{id: 1}, cryptRC4), c.objectKey(objptr{id: 2}, cryptRC4)) {
		t.Error("the object number does not change the key")
	}
}

func TestDecryptStringRC4RoundTrip(t *testing.T) {
	c := &crypt{key: []byte("0123456789abcdef"), str: cryptRC4}
	ptr := objptr{id: 3, gen: 1}
	plaintext := "hello, encrypted world"
	// RC4 is its own inverse.
	enc := c.decryptString(ptr, plaintext)
	if enc == plaintext {
		t.Fatal("RC4 pass did not transform the plaintext")
	}
	if got := c.decryptString(ptr, enc); got != plaintext {
		t.Fatalf("round trip = %q, want %q", got, plaintext)
	}
	c.encrypt = ptr
	if got := c.decryptString(ptr, enc); got != enc {
		t.Fatal("a string of the Encrypt dictionary was decrypted")
	}
}

func TestDecryptStringAESRemovesPadding(t *testing.T) {
	for _, m := range []cryptMethod{cryptAESV2, cryptAESV3} {
		c := &crypt{key: bytes.Repeat([]byte{0x42}, 16), str: m}
		if m == cryptAESV3 {
			c.key = bytes.Repeat([]byte{0x42}, 32)
		}
		ptr := objptr{id: 7, gen: 2}
		block, err := aes.NewCipher(c.objectKey(ptr, m))
		if err != nil {
			t.Fatal(err)
		}
		iv := bytes.Repeat([]byte{0x01}, 16)
		plaintext := []byte("Producer: qpdf")                     // 14 bytes
		padded := append(append([]byte(nil), plaintext...), 2, 2) // PKCS#5
		ct := make([]byte, len(padded))
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, padded)
		if got := c.decryptString(ptr, string(iv)+string(ct)); got != string(plaintext) {
			t.Errorf("method %d: round trip = %q, want %q", m, got, plaintext)
		}
		if got := c.decryptString(ptr, "short"); got != "" {
			t.Errorf("method %d: a string shorter than two blocks gave %q", m, got)
		}
	}
}

// A flipped bit in the Adler-32 checksum of Flate data loses nothing, and
// is counted, once per stream.
func TestFlateIgnoresChecksum(t *testing.T) {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write([]byte("BT (Budget) Tj ET"))
	w.Close()
	good := bytes.Clone(b.Bytes())
	data := b.Bytes()
	data[len(data)-1] ^= 1
	bad := 0
	got, err := io.ReadAll(applyFilter(bytes.NewReader(data), "FlateDecode", Value{}, &bad))
	if err != nil || string(got) != "BT (Budget) Tj ET" || bad != 1 {
		t.Errorf("%q, %v, %d bad checksums", got, err, bad)
	}
	got, err = io.ReadAll(applyFilter(bytes.NewReader(good), "FlateDecode", Value{}, &bad))
	if err != nil || string(got) != "BT (Budget) Tj ET" || bad != 1 {
		t.Errorf("a good checksum: %q, %v, %d bad checksums", got, err, bad)
	}
}
