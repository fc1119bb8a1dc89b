package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"

	"github.com/budgetpdf/budgetpdf/pipeline"
)

// watchRun runs the batch as pipeline.Watcher does: this program again,
// as the run's process ("budgetpdf run" with the same arguments, which
// reads, writes and commits as -in-process does), watched by this
// process, which starts it again after a crash (the documents it was
// reading are then read alone in worker processes), kills it over
// -timeout on a document or over its memory ceiling (-max-memory times
// -workers). It returns the run's exit status (exitCode): the run's
// process prints its own summary and errors. A list of inputs on
// standard input ("-") is read here and given to each run's process.
func watchRun(ctx context.Context, f *runFlags, args, inputs []string, stdin io.Reader, stdout, stderr io.Writer) error {
	// (the watcher waits: one thread for its runtime is enough, and
	// leaves the cores to the run: 0.2 s of CPU over a 14-second run,
	// not 0.5 s)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("%w: finding this program to start the run's process: %v (-in-process reads without it)", errOutput, err)
	}
	var list []byte
	if slices.Contains(inputs, "-") {
		if list, err = io.ReadAll(stdin); err != nil {
			return fmt.Errorf("%w: reading the list of inputs: %v", errUsage, err)
		}
	}
	// The manifest is read here once, as the list on standard input is,
	// and each run's process reads the copy under its name: one on a
	// pipe (/dev/stdin, <(...)) reads once, and the standard input of a
	// run's process is not this one's.
	var manifestCopy string
	if f.manifest != "" {
		b, err := os.ReadFile(f.manifest)
		if err != nil {
			return fmt.Errorf("%w: -manifest: %v", errUsage, err)
		}
		tmp, err := os.CreateTemp("", "budgetpdf-manifest-*")
		if err != nil {
			return fmt.Errorf("%w: -manifest: keeping a copy: %v", errOutput, err)
		}
		defer os.Remove(tmp.Name())
		_, werr := tmp.Write(b)
		if cerr := tmp.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("%w: -manifest: keeping a copy: %v", errOutput, werr)
		}
		manifestCopy = tmp.Name()
	}
	ceiling := int64(f.maxMemory) << 20 * int64(f.opts.Workers)
	w := &pipeline.Watcher{
		Command: func(resumed bool) *exec.Cmd {
			cmd := exec.Command(self, append([]string{"run"}, args...)...)
			cmd.Env = os.Environ()
			if manifestCopy != "" {
				cmd.Env = append(cmd.Env, manifestCopyEnv+"="+manifestCopy)
			}
			if resumed {
				// (its records were removed by the process before, which
				// committed some again: they stay; in its environment, not
				// its arguments, where after a final "--" a flag is an input)
				cmd.Env = append(cmd.Env, resumedEnv+"=1")
			}
			cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(list), stdout, stderr
			return cmd
		},
		MaxMemory: ceiling,
		Timeout:   f.opts.Timeout,
		Log:       stderr,
	}
	if f.logFormat == "json" {
		w.Log = jsonMessages{stderr}
	}
	code, stats, err := w.Run(ctx)
	if err != nil && ctx.Err() != nil {
		// (stopped before the run's process caught the signals: it
		// ended without a word, as a run stopped by them does)
		return exitError{fmt.Errorf("%w: %v; run again to read the rest", context.Cause(ctx), err)}
	}
	if err != nil {
		return fmt.Errorf("%w: %v", errOutput, err)
	}
	if code <= 1 {
		again := ""
		if stats.Starts > 1 {
			alone := 0
			for _, reason := range stats.Suspects {
				if reason == "" { // (one with a reason is recorded, not read)
					alone++
				}
			}
			again = fmt.Sprintf(", started %d times (%d documents read again alone)", stats.Starts, alone)
		}
		fmt.Fprintf(stdout, "the run's process: the most memory it held: %d MiB (ceiling %d MiB, -max-memory times -workers)%s\n", stats.Peak>>20, ceiling>>20, again)
	}
	return exitCode(code)
}

// jsonMessages writes each line written to it as a JSON object of its
// own, {"message": line}, among the per-document lines of -log-format
// json.
type jsonMessages struct{ w io.Writer }

func (j jsonMessages) Write(p []byte) (int, error) {
	for line := range strings.Lines(string(p)) {
		b, _ := json.Marshal(struct {
			Message string `json:"message"`
		}{strings.TrimSuffix(line, "\n")})
		if _, err := j.w.Write(append(b, '\n')); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// resumedEnv tells the run's process of a watched run that a process of
// the run before it began to read: -force is not to be done again.
const resumedEnv = "BUDGETPDF_RESUMED"

// manifestCopyEnv names, to the run's process of a watched run, the copy
// of the -manifest its watcher read.
const manifestCopyEnv = "BUDGETPDF_MANIFEST_COPY"

// exitCode is the exit status of a run whose process said why it ended
// already.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit status %d", int(c)) }
