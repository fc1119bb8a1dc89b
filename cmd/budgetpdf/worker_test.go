package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/budgetpdf/budgetpdf/schema"
)

// TestRunWorkers: budgetpdf run reads in worker processes (this test
// binary, see TestMain) and says how many and how much memory the
// largest took; -in-process reads without them; both write the same
// bytes.
func TestRunWorkers(t *testing.T) {
	files := []string{"../../fixtures/seed-yindu-hrss-2024-ruled.pdf", "../../fixtures/xian-sasac-2022-budget-p36.pdf",
		"../../extract/testdata/hostile/objstm-self.pdf", "../../extract/testdata/broken/truncated.pdf"}
	a, b := t.TempDir(), t.TempDir()
	code, stdout, stderr := runCLI(append([]string{"run", "-quiet", "-workers", "2", "-o", a}, files...)...)
	re := regexp.MustCompile(`\nworker processes: 2; the most memory one held: \d+ MiB \(ceiling 1024 MiB, -max-memory\), reading \S+; this process: \d+ MiB\n$`)
	if code != 1 || !re.MatchString(stdout) {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 (truncated.pdf) and the workers' line", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(append([]string{"run", "-quiet", "-workers", "2", "-in-process", "-o", b}, files...)...)
	if code != 1 || strings.Contains(stdout, "worker processes") {
		t.Errorf("-in-process: exit %d, stdout %q", code, stdout)
	}
	for _, set := range []string{"documents", "tables", "cells", "checks"} {
		for _, ext := range []string{".jsonl", ".parquet"} {
			if x, y := setBytes(t, a, set, ext), setBytes(t, b, set, ext); len(x) == 0 || string(x) != string(y) {
				t.Errorf("%s%s differs between worker processes and -in-process (%d and %d bytes)", set, ext, len(x), len(y))
			}
		}
	}
	if code, _, stderr := runCLI("worker", "x"); code != 2 || !strings.Contains(stderr, "worker takes no arguments") {
		t.Errorf("worker x: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI("run", "-max-memory", "0", "a.pdf"); code != 2 || !strings.Contains(stderr, "-max-memory must be at least 1") {
		t.Errorf("-max-memory 0: exit %d, %q", code, stderr)
	}
}

// TestRunPassword: -password opens a file encrypted with a user
// password; without it, or with a wrong one, the file is a failed record
// that says so, and the run goes on.
func TestRunPassword(t *testing.T) {
	enc := "../../extract/testdata/encrypted/aes-128-user.pdf"
	good := "../../fixtures/xian-sasac-2022-budget-p36.pdf"
	for _, tt := range []struct {
		password, status, err string
	}{
		{"", "failed", enc + ": PDF needs a password: the file has a user password (Options.Password)"},
		{"guess", "failed", enc + ": PDF needs a password: the password given is neither its user nor its owner password"},
		{"user", "ok", ""},
		{"owner", "ok", ""},
	} {
		out := t.TempDir()
		code, _, stderr := runCLI("run", "-quiet", "-password", tt.password, "-o", out, enc, good)
		docs := readSet(t, out, "documents")
		if len(docs) != 2 || docs[0]["status"] != tt.status || docs[0]["error"] != tt.err || docs[1]["status"] != "ok" {
			t.Errorf("-password %q: exit %d, %s, documents %v", tt.password, code, stderr, docs)
		}
	}
	code, stdout, stderr := runCLI("text", "-password", "user", enc)
	if code != 0 || !strings.Contains(stdout, "--- page 1") {
		t.Errorf("text -password: exit %d, %q, %q", code, stdout, stderr)
	}
}

// TestRunUnreadableDirectory: a directory that cannot be listed is a
// failed input, recorded with its error, and the run reads the rest. (Its
// path is longer than PATH_MAX, which no user, root included, can list.)
func TestRunUnreadableDirectory(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	good := filepath.Join(in, "a.pdf")
	b, err := os.ReadFile("../../fixtures/xian-sasac-2022-budget-p36.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, b, 0o644); err != nil {
		t.Fatal(err)
	}
	deep := deepDirectory(t, filepath.Join(in, "deep"), 4200)
	code, _, stderr := runCLI("run", "-o", out, in)
	if code != 1 {
		t.Fatalf("exit %d, %s", code, stderr)
	}
	docs, err := schema.ReadDataset[schema.Document](out)
	if err != nil || len(docs) != 2 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	got := fmt.Sprintf("%s %s | %s %.80s", filepath.Base(docs[0].SourceFile), docs[0].Status, docs[1].Status, docs[1].Error)
	want := fmt.Sprintf("a.pdf ok | failed open %.75s", deep)
	if got != want || !strings.HasSuffix(docs[1].Error, "dddd: file name too long") || !strings.Contains(docs[1].Error, "ddd...ddd") || !strings.HasPrefix(deep, docs[1].SourceFile) {
		t.Errorf("got  %s\nwant %s\n(error %d bytes, ending %q)", got, want, len(docs[1].Error), docs[1].Error[len(docs[1].Error)-60:])
	}
}

// deepDirectory makes a chain of directories under root whose path is
// longer than n bytes, each made relative to its parent (mkdirat), and
// returns the path.
func deepDirectory(t *testing.T, root string, n int) string {
	t.Helper()
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	fd, err := syscall.Open(root, syscall.O_DIRECTORY|syscall.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.Repeat("d", 200)
	path := root
	for len(path) <= n {
		if err := syscall.Mkdirat(fd, name, 0o755); err != nil {
			t.Fatal(err)
		}
		next, err := syscall.Openat(fd, name, syscall.O_DIRECTORY|syscall.O_RDONLY, 0)
		syscall.Close(fd)
		if err != nil {
			t.Fatal(err)
		}
		fd, path = next, path+"/"+name
	}
	syscall.Close(fd)
	return path
}

// TestRunKilledTakesWorkers: a run killed with SIGKILL takes its worker
// processes along (Linux: they die with it), even while they read (a
// worker whose input closes ends only after its document).
func TestRunKilledTakesWorkers(t *testing.T) {
	if runtime.GOOS != "linux" || testing.Short() {
		t.Skip("Linux only; builds the binary")
	}
	bin := buildBinary(t)
	// Two copies of a page tree of a million pages, let through: each
	// keeps its worker busy for a minute.
	dag, err := os.ReadFile("../../extract/testdata/hostile/dag-1m-pages.pdf")
	if err != nil {
		t.Fatal(err)
	}
	in := t.TempDir()
	var files []string
	for i := range 2 {
		files = append(files, filepath.Join(in, fmt.Sprintf("dag-%d.pdf", i)))
		if err := os.WriteFile(files[i], fmt.Appendf(slices.Clone(dag), "\n%% copy %d\n", i), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, append([]string{"run", "-quiet", "-workers", "2", "-max-pages", "2000000", "-o", t.TempDir()}, files...)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var workers []string
	for deadline := time.Now().Add(time.Minute); len(workers) < 2 && time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		workers = childProcesses(cmd.Process.Pid)
	}
	time.Sleep(500 * time.Millisecond)
	cmd.Process.Kill()
	cmd.Wait()
	if len(workers) < 2 {
		t.Fatalf("workers %v: the run ended before it had two", workers)
	}
	for _, pid := range workers {
		deadline := time.Now().Add(2 * time.Second)
		for processAlive(pid) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if processAlive(pid) {
			t.Errorf("worker %s outlived the run", pid)
		}
	}
}

// childProcesses lists the pids of a process's children (proc(5)).
func childProcesses(pid int) []string {
	var out []string
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, f := range tasks {
		b, _ := os.ReadFile(f)
		out = append(out, strings.Fields(string(b))...)
	}
	return out
}

// processAlive reports whether a process exists and is not a zombie.
func processAlive(pid string) bool {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return false
	}
	_, after, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(after, "Z") && !strings.HasPrefix(after, "X")
}

// TestLostPageExitStatus: a page whose text gave no glyph (text shown
// without a font) is not a scan: text exits 1 saying the page lost
// content, and run records the document as partial.
func TestLostPageExitStatus(t *testing.T) {
	content := "BT 40 150 Td (Budget) Tj ET"
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}
	var b strings.Builder
	b.WriteString("%PDF-1.7\n")
	var offsets []int
	for i, o := range objects {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	file := filepath.Join(t.TempDir(), "lost.pdf")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI("text", file)
	want := "budgetpdf: " + file + ": page 1: warning: text shown with no font selected\n" +
		"budgetpdf: " + file + ": page 1: content lost (see the warnings above)\n" +
		"budgetpdf text: " + file + ": 1 page(s) could not be read completely\n"
	if code != 1 || stderr != want {
		t.Errorf("text: exit %d, stderr\n%s\nwant\n%s", code, stderr, want)
	}
	out := t.TempDir()
	runCLI("run", "-quiet", "-o", out, file)
	docs := readSet(t, out, "documents")
	if len(docs) != 1 || docs[0]["status"] != "partial" || docs[0]["error"] != file+": page 1: content lost: text shown with no font selected" {
		t.Errorf("documents %v", docs)
	}
}
