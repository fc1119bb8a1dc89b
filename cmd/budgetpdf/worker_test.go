package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/budgetpdf/budgetpdf/schema"
)

// TestRunWorkers: budgetpdf run reads in a process of its own, watched
// (this test binary, see TestMain), and says how much memory it took;
// -worker-processes reads each document in a worker process and says how
// many and how much memory the largest took; -in-process reads in the
// run's process, unwatched; all three write the same bytes.
func TestRunWorkers(t *testing.T) {
	files := []string{"../../fixtures/seed-yindu-hrss-2024-ruled.pdf", "../../fixtures/xian-sasac-2022-budget-p36.pdf",
		"../../extract/testdata/hostile/objstm-self.pdf", "../../extract/testdata/broken/truncated.pdf"}
	watched, workers, inProcess := t.TempDir(), t.TempDir(), t.TempDir()
	code, stdout, stderr := runCLI(append([]string{"run", "-quiet", "-workers", "2", "-o", watched}, files...)...)
	re := regexp.MustCompile(`\nthe run's process: the most memory it held: \d+ MiB \(ceiling 2048 MiB, -max-memory times -workers\)\n$`)
	if code != 1 || !re.MatchString(stdout) || strings.Contains(stdout, "worker processes") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 (truncated.pdf) and the run's process's line", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(append([]string{"run", "-quiet", "-workers", "2", "-worker-processes", "-o", workers}, files...)...)
	re = regexp.MustCompile(`\nworker processes: 2; the most memory one held: \d+ MiB \(ceiling 1024 MiB, -max-memory\), reading \S+; this process: \d+ MiB\n$`)
	if code != 1 || !re.MatchString(stdout) {
		t.Errorf("-worker-processes: exit %d, stdout %q, stderr %q; want 1 (truncated.pdf) and the workers' line", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(append([]string{"run", "-quiet", "-workers", "2", "-in-process", "-o", inProcess}, files...)...)
	if code != 1 || strings.Contains(stdout, "worker processes") || strings.Contains(stdout, "the run's process") {
		t.Errorf("-in-process: exit %d, stdout %q", code, stdout)
	}
	for _, set := range []string{"documents", "tables", "cells", "checks"} {
		for _, ext := range []string{".jsonl", ".parquet"} {
			x, y, z := setBytes(t, watched, set, ext), setBytes(t, workers, set, ext), setBytes(t, inProcess, set, ext)
			if len(x) == 0 || string(x) != string(y) || string(x) != string(z) {
				t.Errorf("%s%s differs between the modes (%d, %d and %d bytes)", set, ext, len(x), len(y), len(z))
			}
		}
	}
	if code, _, stderr := runCLI("worker", "x"); code != 2 || !strings.Contains(stderr, "worker takes no arguments") {
		t.Errorf("worker x: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI("run", "-max-memory", "255", "a.pdf"); code != 2 || !strings.Contains(stderr, "-max-memory must be at least 256 (MiB)") {
		t.Errorf("-max-memory 255: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI("run", "-in-process", "-worker-processes", "a.pdf"); code != 2 || !strings.Contains(stderr, "-in-process and -worker-processes exclude each other") {
		t.Errorf("-in-process -worker-processes: exit %d, %q", code, stderr)
	}
}

// TestRunWatchedTimeout: a document the run's process reads for longer
// than -timeout (a page tree of a million pages, let through) has the
// process killed by its watcher; started again, the run records the
// document as timed out without reading it again, keeps what the process
// before committed (not removing it again for -force), and commits the
// rest.
func TestRunWatchedTimeout(t *testing.T) {
	in := t.TempDir()
	good, dag := filepath.Join(in, "a-good.pdf"), filepath.Join(in, "z-dag.pdf")
	copyFile(t, "../../fixtures/xian-sasac-2022-budget-p36.pdf", good)
	copyFile(t, "../../extract/testdata/hostile/dag-1m-pages.pdf", dag)
	// A manifest on a pipe (a FIFO, as /dev/stdin or <(...) are) reads
	// once: the watcher reads it, and each run's process its copy.
	fifo := filepath.Join(t.TempDir(), "manifest.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	manifest := "path\n" + good + "\n" + dag + "\n"
	for _, tt := range []struct {
		name string
		args []string
		json bool // -log-format json: the watcher's line as a JSON object
	}{
		{"a directory", []string{in}, false},
		// (after a final "--", an argument added for the process started
		// again would be an input, not a flag)
		{"a final --", []string{in, "--"}, false},
		{"a manifest on a pipe", []string{"-log-format", "json", "-manifest", fifo}, true},
	} {
		if tt.json {
			go func() {
				f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
				if err == nil {
					f.WriteString(manifest)
					f.Close()
				}
				// (a second reader, without the fix, would wait for a
				// writer for ever: it is given an empty manifest)
				time.Sleep(20 * time.Second)
				if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					f.Close()
				}
			}()
		}
		out := t.TempDir()
		start := time.Now()
		code, stdout, stderr := runCLI(append([]string{"run", "-quiet", "-force", "-part-size", "1", "-workers", "2", "-timeout", "3s", "-max-pages", "2000000", "-o", out}, tt.args...)...)
		t.Logf("%s: %v; stdout:\n%s\nstderr:\n%s", tt.name, time.Since(start), stdout, stderr)
		wantLog := "budgetpdf: the run's process read \"" + dag + "\" for over 3s (-timeout) and was killed (signal: killed); started again, it records it as timed out, and reads again what it had not committed"
		if tt.json {
			b, _ := json.Marshal(map[string]string{"message": wantLog})
			wantLog = string(b)
		}
		wantLog += "\n"
		wantOut := "1 documents already in " + out + " skipped (-force reads them again)\n1 documents (0 ok, 0 partial, 1 failed, 0 without text layer)"
		if code != 1 || !strings.HasPrefix(stderr, wantLog) || !strings.HasPrefix(stdout, wantOut) || !strings.HasSuffix(stdout, ", started 2 times (0 documents read again alone)\n") {
			t.Errorf("%s: exit %d; want 1, the watcher's line\n%s\nand the summary\n%s", tt.name, code, wantLog, wantOut)
		}
		docs := readSet(t, out, "documents")
		if len(docs) != 2 {
			t.Fatalf("%s: documents %v", tt.name, docs)
		}
		got := fmt.Sprint(docs[0]["source_file"], " ", docs[0]["status"], " | ", docs[1]["source_file"], " ", docs[1]["status"], " ", docs[1]["error"])
		want := good + " ok | " + dag + " failed " + dag + ": timed out: gave up after 3s (-timeout); the run's process, reading it, was killed (signal: killed)"
		if got != want {
			t.Errorf("%s: got  %s\nwant %s", tt.name, got, want)
		}
	}
}

// copyFile copies the file from into to.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err == nil {
		err = os.WriteFile(to, b, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestRunWatchedCrash: the run's process killed (SIGKILL) while it reads
// is started again by its watcher; the documents it was reading are read
// again, each alone in a worker process (here the page tree of a million
// pages, which the worker's -timeout ends), and the rest as before: every
// document recorded once.
func TestRunWatchedCrash(t *testing.T) {
	if runtime.GOOS != "linux" || testing.Short() {
		t.Skip("Linux only; builds the binary")
	}
	bin := buildBinary(t)
	dag := "../../extract/testdata/hostile/dag-1m-pages.pdf"
	files := []string{dag, "../../fixtures/xian-sasac-2022-budget-p36.pdf", "../../fixtures/seed-yindu-hrss-2024-ruled.pdf"}
	out := t.TempDir()
	cmd := exec.Command(bin, append([]string{"run", "-quiet", "-workers", "1", "-timeout", "4s", "-max-pages", "2000000", "-o", out}, files...)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The run's process, once it reads the page tree (the largest file
	// first): not a child that the Go runtime starts and ends at once, to
	// see whether pidfds work, which shares the watcher's command line.
	time.Sleep(time.Second)
	var child []string
	for deadline := time.Now().Add(time.Minute); len(child) < 1 && time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		child = childProcesses(cmd.Process.Pid)
	}
	for _, pid := range child {
		p, _ := strconv.Atoi(pid)
		if err := syscall.Kill(p, syscall.SIGKILL); err != nil {
			t.Errorf("kill %d: %v", p, err)
		}
	}
	err := cmd.Wait()
	t.Logf("%v; stdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	wantLog := "budgetpdf: the run's process ended (signal: killed) while it read \"" + dag + "\"; started again, it reads each of them alone in a worker process, and reads again what it had not committed\n"
	if len(child) != 1 || cmd.ProcessState.ExitCode() != 1 || !strings.HasPrefix(stderr.String(), wantLog) {
		t.Errorf("run's process %v, exit %v; want 1 and\n%s", child, err, wantLog)
	}
	docs := readSet(t, out, "documents")
	var got []string
	for _, d := range docs {
		got = append(got, fmt.Sprint(d["source_file"], " ", d["status"], " ", d["error"]))
	}
	want := []string{dag + " failed " + dag + ": timed out: gave up after 4s (-timeout); its worker process was killed (signal: killed)",
		files[2] + " ok ", files[1] + " ok "}
	if !slices.Equal(got, want) {
		t.Errorf("documents\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
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

// TestRunKilledTakesWorkers: a run killed with SIGKILL takes its
// processes along (Linux: they die with it), even while they read (a
// worker whose input closes ends only after its document): the run's
// process of a watched run, and the worker processes of
// -worker-processes.
func TestRunKilledTakesWorkers(t *testing.T) {
	if runtime.GOOS != "linux" || testing.Short() {
		t.Skip("Linux only; builds the binary")
	}
	bin := buildBinary(t)
	// Two copies of a page tree of a million pages, let through: each
	// keeps its reader busy for a minute.
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
	for _, tt := range []struct {
		mode     string
		children int
	}{{"-in-process=false", 1}, {"-worker-processes", 2}} {
		cmd := exec.Command(bin, append([]string{"run", tt.mode, "-quiet", "-workers", "2", "-max-pages", "2000000", "-o", t.TempDir()}, files...)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// (after a while: the Go runtime starts a child and ends it at
		// once, to see whether pidfds work)
		time.Sleep(time.Second)
		var children []string
		for deadline := time.Now().Add(time.Minute); len(children) < tt.children && time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			children = childProcesses(cmd.Process.Pid)
		}
		time.Sleep(500 * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		if len(children) < tt.children {
			t.Fatalf("%s: processes %v: the run ended before it had %d", tt.mode, children, tt.children)
		}
		for _, pid := range children {
			deadline := time.Now().Add(2 * time.Second)
			for processAlive(pid) && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if processAlive(pid) {
				t.Errorf("%s: process %s outlived the run", tt.mode, pid)
			}
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
