// Copyright 2014 The Go Authors.  All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package pdf

// The standard security handler (PDF 32000-1, 7.6.3 and 7.6.4, and ISO
// 32000-2, 7.6.4.3.3-4 for AES-256): RC4 with keys of 40 to 128 bits
// (revisions 2-4), AES-128 (revision 4, crypt filter AESV2) and AES-256
// (revisions 5 and 6, AESV3). A password opens a file as its user password
// or as its owner password, the way poppler tries them.

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// ErrInvalidPassword means the file is encrypted and no password tried
// opens it.
var ErrInvalidPassword = errors.New("encrypted PDF: invalid password")

// ErrUnsupportedEncryption means the file uses a security handler or an
// encryption method this package does not implement (public-key security,
// an unknown crypt filter, revision 3 of V=3).
var ErrUnsupportedEncryption = errors.New("unsupported PDF encryption")

var passwordPad = []byte{
	0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
}

// PDF encryption parameters. See PDF 32000-1:2008, §7.6.
const (
	// minKeyBits and maxKeyBits bound the /Length value (in bits) in the
	// encryption dictionary for revisions 2 to 4.
	minKeyBits = 40
	maxKeyBits = 128

	// ouEntryLen is the byte length of the O and U entries for encryption
	// revisions 2 through 4; revisions 5 and 6 use 48 bytes.
	ouEntryLen   = 32
	ouEntryLenV5 = 48

	// md5KeyIterations is the number of MD5 rounds used to derive the file
	// key for revisions >= 3 (Algorithm 2, step (b)).
	md5KeyIterations = 50

	// rc4UIterations is the number of RC4 rounds used to derive U for
	// revisions >= 3 (Algorithm 5).
	rc4UIterations = 19
)

// cryptMethod is how a string or a stream is encrypted (7.6.5).
type cryptMethod uint8

const (
	cryptIdentity cryptMethod = iota // not encrypted
	cryptRC4                         // RC4, per-object key (V2)
	cryptAESV2                       // AES-128 CBC, per-object key
	cryptAESV3                       // AES-256 CBC, the file key itself
)

// crypt is what a Reader needs to decrypt: the file key and the methods
// for strings and streams.
type crypt struct {
	key        []byte
	str, strm  cryptMethod
	filters    map[name]cryptMethod // the CF entries by name, for /Crypt stream filters
	noMetadata bool                 // EncryptMetadata false: /Metadata streams are plain
	encrypt    objptr               // the Encrypt dictionary, whose strings are plain
}

// securityHandler is the parsed Encrypt dictionary.
type securityHandler struct {
	V, R     int64
	keyBytes int    // file key length in bytes (revisions 2-4)
	O, U     []byte // owner and user entries
	OE, UE   []byte // revisions 5-6: the encrypted file keys
	P        uint32
	ID       []byte
	encMeta  bool
	str      cryptMethod
	strm     cryptMethod
	filters  map[name]cryptMethod
}

// readSecurityHandler reads the Encrypt dictionary of the trailer.
func (r *Reader) readSecurityHandler() (*securityHandler, error) {
	ev := r.resolve(objptr{}, r.trailer["Encrypt"])
	encrypt, _ := ev.data.(dict)
	if encrypt == nil {
		return nil, fmt.Errorf("malformed PDF: Encrypt is not a dictionary")
	}
	if encrypt["Filter"] != name("Standard") {
		return nil, fmt.Errorf("%w: security handler %v", ErrUnsupportedEncryption, objfmt(encrypt["Filter"]))
	}
	h := &securityHandler{encMeta: true}
	h.V, _ = encrypt["V"].(int64)
	h.R, _ = encrypt["R"].(int64)
	o, _ := encrypt["O"].(string)
	u, _ := encrypt["U"].(string)
	h.O, h.U = []byte(o), []byte(u)
	p, _ := encrypt["P"].(int64)
	h.P = uint32(p)
	if b, ok := encrypt["EncryptMetadata"].(bool); ok {
		h.encMeta = b
	}
	if ids, ok := r.trailer["ID"].(array); ok && len(ids) > 0 {
		s, _ := ids[0].(string)
		h.ID = []byte(s)
	}
	switch h.V {
	case 1, 2:
		n, _ := encrypt["Length"].(int64)
		if n == 0 || h.V == 1 {
			n = minKeyBits
		}
		if n%8 != 0 || n > maxKeyBits || n < minKeyBits {
			return nil, fmt.Errorf("malformed PDF: %d-bit encryption key", n)
		}
		h.keyBytes = int(n / 8)
		h.str, h.strm = cryptRC4, cryptRC4
	case 4, 5:
		h.filters = map[name]cryptMethod{"Identity": cryptIdentity}
		cf, _ := r.resolve(objptr{}, encrypt["CF"]).data.(dict)
		h.keyBytes = 16
		if n, ok := encrypt["Length"].(int64); ok && n%8 == 0 && n >= minKeyBits && n <= maxKeyBits {
			h.keyBytes = int(n / 8)
		}
		for k, v := range cf {
			f, _ := r.resolve(objptr{}, v).data.(dict)
			switch f["CFM"] {
			case name("None"), nil:
				h.filters[k] = cryptIdentity
			case name("V2"):
				h.filters[k] = cryptRC4
				if n, ok := f["Length"].(int64); ok {
					if n > 16 { // some writers give bits
						n /= 8
					}
					if n >= 5 && n <= 16 {
						h.keyBytes = int(n)
					}
				}
			case name("AESV2"):
				h.filters[k] = cryptAESV2
			case name("AESV3"):
				h.filters[k] = cryptAESV3
			default:
				return nil, fmt.Errorf("%w: crypt filter method %v", ErrUnsupportedEncryption, objfmt(f["CFM"]))
			}
		}
		method := func(key string) (cryptMethod, error) {
			n, ok := encrypt[name(key)].(name)
			if !ok {
				return cryptIdentity, nil // the default is Identity
			}
			m, ok := h.filters[n]
			if !ok {
				return 0, fmt.Errorf("malformed PDF: %s names no crypt filter: %v", key, objfmt(n))
			}
			return m, nil
		}
		var err error
		if h.str, err = method("StrF"); err != nil {
			return nil, err
		}
		if h.strm, err = method("StmF"); err != nil {
			return nil, err
		}
		if h.str == cryptAESV2 || h.strm == cryptAESV2 {
			h.keyBytes = 16 // AES-128 needs the full key
		}
	default:
		return nil, fmt.Errorf("%w: encryption version V=%d", ErrUnsupportedEncryption, h.V)
	}
	switch {
	case h.R >= 2 && h.R <= 4:
		if len(h.O) < ouEntryLen || len(h.U) < ouEntryLen {
			return nil, fmt.Errorf("malformed PDF: missing O= or U= encryption parameters")
		}
		h.O, h.U = h.O[:ouEntryLen], h.U[:ouEntryLen]
		if len(h.ID) == 0 {
			return nil, fmt.Errorf("malformed PDF: missing ID in trailer")
		}
	case h.R == 5 || h.R == 6:
		oe, _ := encrypt["OE"].(string)
		ue, _ := encrypt["UE"].(string)
		h.OE, h.UE = []byte(oe), []byte(ue)
		if len(h.O) < ouEntryLenV5 || len(h.U) < ouEntryLenV5 || len(h.OE) < 32 || len(h.UE) < 32 {
			return nil, fmt.Errorf("malformed PDF: missing O, U, OE or UE encryption parameters")
		}
		h.O, h.U, h.OE, h.UE = h.O[:ouEntryLenV5], h.U[:ouEntryLenV5], h.OE[:32], h.UE[:32]
	default:
		return nil, fmt.Errorf("%w: encryption revision R=%d", ErrUnsupportedEncryption, h.R)
	}
	return h, nil
}

// initEncrypt sets up decryption with password, tried as the user password
// and then as the owner password. It returns ErrInvalidPassword when the
// password is neither.
func (r *Reader) initEncrypt(password string) error {
	h, err := r.readSecurityHandler()
	if err != nil {
		return err
	}
	var key []byte
	if h.R >= 5 {
		key = h.fileKeyV5(password)
	} else {
		pw := latin1(password)
		key = h.userKey(pw)
		if key == nil {
			key = h.ownerKey(pw)
		}
	}
	if key == nil {
		return ErrInvalidPassword
	}
	ptr, _ := r.trailer["Encrypt"].(objptr)
	r.crypt = &crypt{key: key, str: h.str, strm: h.strm, filters: h.filters, noMetadata: !h.encMeta, encrypt: ptr}
	return nil
}

// latin1 converts a password to the PDFDocEncoding bytes that revisions 2
// to 4 hash; runes beyond Latin-1 are kept as UTF-8.
func latin1(s string) []byte {
	b := make([]byte, 0, len(s))
	for _, c := range s {
		if c > 0xff || c == utf8.RuneError {
			return []byte(s)
		}
		b = append(b, byte(c))
	}
	return b
}

// padPassword pads or truncates pw to 32 bytes (Algorithm 2, step a).
func padPassword(pw []byte) []byte {
	out := make([]byte, 0, len(passwordPad))
	out = append(out, pw[:min(len(pw), len(passwordPad))]...)
	return append(out, passwordPad[:len(passwordPad)-len(out)]...)
}

// fileKey computes the file key from a (user) password, Algorithm 2.
func (h *securityHandler) fileKey(pw []byte) []byte {
	m := md5.New()
	m.Write(padPassword(pw))
	m.Write(h.O)
	m.Write([]byte{byte(h.P), byte(h.P >> 8), byte(h.P >> 16), byte(h.P >> 24)})
	m.Write(h.ID)
	if h.R >= 4 && !h.encMeta {
		m.Write([]byte{0xff, 0xff, 0xff, 0xff})
	}
	key := m.Sum(nil)
	n := h.keyBytes
	if h.R == 2 {
		n = 5
	}
	if h.R >= 3 {
		for i := 0; i < md5KeyIterations; i++ {
			sum := md5.Sum(key[:n])
			key = sum[:]
		}
	}
	return key[:n]
}

// userKey returns the file key if pw is the user password, else nil
// (Algorithms 4 to 6).
func (h *securityHandler) userKey(pw []byte) []byte {
	key := h.fileKey(pw)
	c, err := rc4.NewCipher(key)
	if err != nil {
		return nil
	}
	if h.R == 2 {
		u := make([]byte, len(passwordPad))
		c.XORKeyStream(u, passwordPad)
		if bytes.Equal(u, h.U) {
			return key
		}
		return nil
	}
	m := md5.New()
	m.Write(passwordPad)
	m.Write(h.ID)
	u := m.Sum(nil)
	c.XORKeyStream(u, u)
	k1 := make([]byte, len(key))
	for i := 1; i <= rc4UIterations; i++ {
		for j := range key {
			k1[j] = key[j] ^ byte(i)
		}
		c, _ = rc4.NewCipher(k1)
		c.XORKeyStream(u, u)
	}
	if bytes.Equal(u, h.U[:16]) {
		return key
	}
	return nil
}

// ownerKey returns the file key if pw is the owner password, else nil
// (Algorithm 7): the owner password decrypts O to the user password.
func (h *securityHandler) ownerKey(pw []byte) []byte {
	sum := md5.Sum(padPassword(pw))
	k := sum[:]
	n := h.keyBytes
	if h.R == 2 {
		n = 5
	}
	if h.R >= 3 {
		for i := 0; i < md5KeyIterations; i++ {
			s := md5.Sum(k)
			k = s[:]
		}
	}
	k = k[:n]
	user := append([]byte(nil), h.O...)
	if h.R == 2 {
		c, _ := rc4.NewCipher(k)
		c.XORKeyStream(user, user)
	} else {
		k1 := make([]byte, len(k))
		for i := 19; i >= 0; i-- {
			for j := range k {
				k1[j] = k[j] ^ byte(i)
			}
			c, _ := rc4.NewCipher(k1)
			c.XORKeyStream(user, user)
		}
	}
	return h.userKey(user)
}

// fileKeyV5 returns the file key of a revision 5 or 6 file if password is
// its user or owner password, else nil (ISO 32000-2, Algorithm 2.A).
func (h *securityHandler) fileKeyV5(password string) []byte {
	// BUG(budgetpdf): the password is not normalized with SASLprep; an
	// ASCII password, or one typed in the form the writer stored, works.
	pw := []byte(password)
	if len(pw) > 127 {
		pw = pw[:127]
	}
	decrypt := func(k, enc []byte) []byte {
		c, err := aes.NewCipher(k)
		if err != nil {
			return nil
		}
		out := make([]byte, 32)
		cipher.NewCBCDecrypter(c, make([]byte, aes.BlockSize)).CryptBlocks(out, enc)
		return out
	}
	if bytes.Equal(h.hashV5(pw, h.U[32:40], nil), h.U[:32]) {
		return decrypt(h.hashV5(pw, h.U[40:48], nil), h.UE)
	}
	if bytes.Equal(h.hashV5(pw, h.O[32:40], h.U), h.O[:32]) {
		return decrypt(h.hashV5(pw, h.O[40:48], h.U), h.OE)
	}
	return nil
}

// hashV5 is the password hash of revision 5 (SHA-256) and revision 6
// (ISO 32000-2, Algorithm 2.B). udata is the 48-byte U entry when an owner
// password is checked, else nil.
func (h *securityHandler) hashV5(pw, salt, udata []byte) []byte {
	s := sha256.New()
	s.Write(pw)
	s.Write(salt)
	s.Write(udata)
	k := s.Sum(nil)
	if h.R == 5 {
		return k
	}
	var k1, e []byte
	for round := 0; ; round++ {
		k1 = k1[:0]
		for i := 0; i < 64; i++ {
			k1 = append(k1, pw...)
			k1 = append(k1, k...)
			k1 = append(k1, udata...)
		}
		c, _ := aes.NewCipher(k[:16])
		e = append(e[:0], k1...)
		cipher.NewCBCEncrypter(c, k[16:32]).CryptBlocks(e, e)
		// The first 16 bytes of E as a big-endian number modulo 3 equal
		// the sum of those bytes modulo 3 (256 = 1 mod 3).
		sum := 0
		for _, b := range e[:16] {
			sum += int(b)
		}
		switch sum % 3 {
		case 0:
			d := sha256.Sum256(e)
			k = d[:]
		case 1:
			d := sha512.Sum384(e)
			k = d[:]
		case 2:
			d := sha512.Sum512(e)
			k = d[:]
		}
		// At least 64 rounds, then until the last byte of E is at most
		// the number of rounds done less 32.
		if round >= 63 && int(e[len(e)-1]) <= round+1-32 {
			break
		}
	}
	return k[:32]
}

// objectKey is the key of object ptr for method m (Algorithm 1): the file
// key extended with the object number and generation, truncated to the
// file key's length plus 5 bytes, at most 16; AES-256 uses the file key.
func (c *crypt) objectKey(ptr objptr, m cryptMethod) []byte {
	if m == cryptAESV3 {
		return c.key
	}
	h := md5.New()
	h.Write(c.key)
	h.Write([]byte{byte(ptr.id), byte(ptr.id >> 8), byte(ptr.id >> 16), byte(ptr.gen), byte(ptr.gen >> 8)})
	if m == cryptAESV2 {
		h.Write([]byte("sAlT"))
	}
	return h.Sum(nil)[:min(len(c.key)+5, 16)]
}

// decryptString decrypts a string of object ptr.
func (c *crypt) decryptString(ptr objptr, s string) string {
	m := c.str
	if m == cryptIdentity || ptr == c.encrypt {
		return s
	}
	key := c.objectKey(ptr, m)
	data := []byte(s)
	if m == cryptRC4 {
		rc, _ := rc4.NewCipher(key)
		rc.XORKeyStream(data, data)
		return string(data)
	}
	// AES: a 16-byte IV, then whole blocks ending in PKCS#5 padding.
	if len(data) < 2*aes.BlockSize {
		return ""
	}
	block, _ := aes.NewCipher(key)
	body := data[aes.BlockSize : aes.BlockSize+(len(data)-aes.BlockSize)/aes.BlockSize*aes.BlockSize]
	cipher.NewCBCDecrypter(block, data[:aes.BlockSize]).CryptBlocks(body, body)
	return string(unpad(body))
}

// unpad removes PKCS#5 padding, if the last byte is a valid pad length.
func unpad(b []byte) []byte {
	if n := len(b); n > 0 {
		if p := int(b[n-1]); p >= 1 && p <= aes.BlockSize && p <= n {
			return b[:n-p]
		}
	}
	return b
}

// decryptStream wraps the raw data of stream ptr in its decryption.
func (c *crypt) decryptStream(ptr objptr, m cryptMethod, rd io.Reader) io.Reader {
	switch m {
	case cryptIdentity:
		return rd
	case cryptRC4:
		rc, _ := rc4.NewCipher(c.objectKey(ptr, m))
		return &cipher.StreamReader{S: rc, R: rd}
	}
	block, _ := aes.NewCipher(c.objectKey(ptr, m))
	return &cbcReader{block: block, rd: rd}
}

// cbcReader decrypts AES-CBC data whose first block is the IV, removing
// the padding of the last block. It decrypts in chunks: all complete
// blocks read so far except the last, which is held back until the end of
// the data shows whether it carries the padding.
type cbcReader struct {
	block cipher.Block
	cbc   cipher.BlockMode // nil until the IV is read
	rd    io.Reader
	buf   [4096 + aes.BlockSize]byte // ciphertext read, not yet decrypted: buf[:n]
	n     int
	out   []byte // plaintext ready, a slice of plain
	plain [4096 + aes.BlockSize]byte
	err   error // the end of the input (io.EOF or a read error)
}

func (r *cbcReader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		m, err := r.rd.Read(r.buf[r.n:])
		r.n += m
		if r.cbc == nil && r.n >= aes.BlockSize {
			r.cbc = cipher.NewCBCDecrypter(r.block, r.buf[:aes.BlockSize])
			r.n = copy(r.buf[:], r.buf[aes.BlockSize:r.n])
		}
		if err != nil {
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			r.err = err
			if r.cbc == nil {
				return 0, r.err
			}
			full := r.n / aes.BlockSize * aes.BlockSize
			r.cbc.CryptBlocks(r.plain[:full], r.buf[:full])
			r.out = unpad(r.plain[:full])
			r.n = 0
			break
		}
		if r.cbc == nil {
			continue
		}
		if full := (r.n/aes.BlockSize - 1) * aes.BlockSize; full > 0 {
			r.cbc.CryptBlocks(r.plain[:full], r.buf[:full])
			r.out = r.plain[:full]
			r.n = copy(r.buf[:], r.buf[full:r.n])
		}
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}
