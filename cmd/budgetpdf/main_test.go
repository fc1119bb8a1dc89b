package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{nil, 2, "usage:"},
		{[]string{"nosuch"}, 2, `unknown command "nosuch"`},
		{[]string{"text"}, 2, "want one FILE"},
		{[]string{"text", "a.pdf", "b.pdf"}, 2, "want one FILE"},
		{[]string{"glyphs", "-pages", "x", "a.pdf"}, 2, `bad page range "x"`},
		{[]string{"glyphs", "-pages", "5-3", "a.pdf"}, 2, `bad page range "5-3"`},
		{[]string{"text", "-nosuchflag", "a.pdf"}, 2, "flag provided but not defined"},
		{[]string{"text", "testdata/does-not-exist.pdf"}, 1, "no such file"},
		{[]string{"text", "../../extract/testdata/broken/truncated.pdf"}, 1, "truncated.pdf: damaged PDF"},
		{[]string{"text", "../../fixtures/beijing-data-bureau-2026-budget-notes-scanned-p1.pdf"}, 1, "no text layer"},
		{[]string{"tables", "-format", "xml", "a.pdf"}, 2, `unknown format "xml" (text, md, tsv, json, xlsx, csv)`},
		{[]string{"tables", "-format", "md", "-o", "x.md", "a.pdf"}, 2, "-o goes with -format xlsx or csv"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := runCLI(tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.err) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.err)
			}
		})
	}
}

func TestGlyphsJSON(t *testing.T) {
	code, out, stderr := runCLI("glyphs", "../../fixtures/jiangsu-npc-office-2019-budget-tables.pdf", "-json", "-pages", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var glyphs, lines int
	var text strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var o struct {
			Page           int
			Kind, Text     string
			X0, Y0, X1, Y1 float64
			Font           string
			Size, Width    float64
		}
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("invalid JSON line %q: %v", l, err)
		}
		if o.Page != 1 || o.X1 < o.X0 || o.Y1 < o.Y0 {
			t.Fatalf("bad object %q", l)
		}
		if o.Kind == "line" {
			lines++
			continue
		}
		glyphs++
		text.WriteString(o.Text)
	}
	if !strings.Contains(text.String(), "收支预算总表") || !strings.Contains(text.String(), "18,330.37") {
		t.Errorf("page text %q lacks the title or the total", text.String())
	}
	if glyphs < 400 || lines < 40 {
		t.Errorf("%d glyphs, %d lines: want a full ruled table", glyphs, lines)
	}
}

func TestText(t *testing.T) {
	code, out, stderr := runCLI("text", "-pages", "1", "../../fixtures/seed-yindu-hrss-2024-ruled.pdf")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"--- page 1 (595x842 pt) ---\n预算01表\n2024年部门收支预算表\n",
		"\n本年收入合计    6,192.14 本年支出合计    6,192.14\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAppendFixed2(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 12.5: "12.5", 3: "3", -0.25: "-0.25", 1.006: "1.01", -0.001: "0", 123.456: "123.46"} {
		if got := string(appendFixed2(nil, v)); got != want {
			t.Errorf("appendFixed2(%v) = %q, want %q", v, got, want)
		}
	}
	if got := string(appendJSONString(nil, "a\"b\\c\x01")); got != `"a\"b\\c\u0001"` {
		t.Errorf("appendJSONString = %s", got)
	}
}

func TestRunOutputErrorIsExit2(t *testing.T) {
	// The output directory is a file: nothing can be written there.
	f := t.TempDir() + "/a-file"
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI("run", "-o", f, "../../fixtures/jiangsu-npc-office-2019-budget-tables.pdf")
	if code != 2 || !strings.Contains(stderr, "output") {
		t.Errorf("exit %d, stderr %q; want 2 and an output error", code, stderr)
	}
	if code, _, _ := runCLI("run", "-format", "xml", "-o", t.TempDir(), "../../fixtures/jiangsu-npc-office-2019-budget-tables.pdf"); code != 2 {
		t.Errorf("unknown format: exit %d, want 2", code)
	}
}
