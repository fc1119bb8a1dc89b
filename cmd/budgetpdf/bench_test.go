package main

import (
	"io"
	"path/filepath"
	"testing"
)

func BenchmarkGlyphsJSONCorpus(b *testing.B) {
	files, _ := filepath.Glob("../../../shared/corpus/*.pdf")
	if len(files) == 0 {
		b.Skip("no corpus")
	}
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			run([]string{"glyphs", "-json", f}, nil, io.Discard, io.Discard)
		}
	}
}
