package extract

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestOpenFileInMemory: a file read whole gives the pages of the same
// file read from the disk, one document after another in the same
// buffer, larger then smaller; once closed, it reads nothing.
func TestOpenFileInMemory(t *testing.T) {
	files := []string{
		"../fixtures/seed-yindu-hrss-2024-ruled.pdf",
		"../fixtures/xian-sasac-2022-budget-p36.pdf",
		"../fixtures/seed-yindu-hrss-2024-ruled.pdf",
	}
	for _, file := range files {
		if _, err := os.Stat(file); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		fromDisk, err := Open(f, st.Size(), nil)
		if err != nil {
			t.Fatal(err)
		}
		d, err := OpenFile(file, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := d.closer.(*memFile); !ok {
			t.Errorf("%s: not read whole", file)
		}
		for i := range d.NumPages() {
			want, err1 := fromDisk.Page(i + 1)
			got, err2 := d.Page(i + 1)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s p%d: %v, %v", file, i+1, err1, err2)
			}
			if glyphString(got.Glyphs) != glyphString(want.Glyphs) || lineString(got.Lines) != lineString(want.Lines) {
				t.Errorf("%s p%d: read whole, the page differs from the disk's", file, i+1)
			}
		}
		m := d.closer.(*memFile)
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		if n, err := m.ReadAt(make([]byte, 4), 0); n != 0 || !errors.Is(err, os.ErrClosed) {
			t.Errorf("%s: read after Close: %d, %v", file, n, err)
		}
		f.Close()
	}
}

func TestMemFileReadAt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := readWhole(f, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for _, c := range []struct {
		off  int64
		n    int
		want string
		err  error
	}{
		{0, 4, "0123", nil},
		{6, 4, "6789", nil},
		{8, 4, "89", io.EOF},
		{10, 4, "", io.EOF},
		{12, 4, "", io.EOF},
	} {
		p := make([]byte, c.n)
		n, err := m.ReadAt(p, c.off)
		if string(p[:n]) != c.want || err != c.err {
			t.Errorf("ReadAt(%d bytes at %d) = %q, %v; want %q, %v", c.n, c.off, p[:n], err, c.want, c.err)
		}
	}
	if _, err := m.ReadAt(make([]byte, 1), -1); err == nil {
		t.Error("ReadAt at -1: no error")
	}
	// A file shorter than its size said (changed while read): an error.
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if _, err := readWhole(f, 11); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a file shorter than said: %v", err)
	}
}
