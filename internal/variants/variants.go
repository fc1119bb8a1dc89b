// Package variants rewrites a PDF the ways poppler still reads it (with
// qpdf, or by hand), and reads a file with pdftotext: the yardsticks of
// the corpus variant tests of packages extract and pipeline (make corpus).
// It runs qpdf and pdftotext, so only tests use it; budgetpdf itself never
// does.
package variants

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Variant is one way to rewrite a file.
type Variant struct {
	Name     string
	QPDF     []string            // qpdf arguments before IN OUT
	Hand     func([]byte) []byte // or a change made by hand
	Password string              // the user password it needs ("" if none): Options.Password and pdftotext -upw
}

// All are the variants: AES-256 and 40-bit RC4 with an owner password
// only, AES-128 with the user password "user", object streams,
// linearized, junk before the header, every offset 100 bytes off.
var All = []Variant{
	{Name: "aes256-owner-only", QPDF: []string{"--encrypt", "", "owner", "256", "--"}},
	{Name: "rc4-40-owner-only", QPDF: []string{"--allow-weak-crypto", "--encrypt", "", "owner", "40", "--"}},
	{Name: "aes128-user-password", QPDF: []string{"--encrypt", "user", "owner", "128", "--use-aes=y", "--"}, Password: "user"},
	{Name: "object-streams", QPDF: []string{"--object-streams=generate"}},
	{Name: "linearized", QPDF: []string{"--linearize"}},
	{Name: "junk-prefix", Hand: func(b []byte) []byte {
		return append([]byte("<html><body>Download starts...</body></html>\r\n"), b...)
	}},
	{Name: "xref-shifted-100", Hand: func(b []byte) []byte { return ShiftObjects(b, 100) }},
}

// toolTimeout bounds one run of qpdf or pdftotext.
const toolTimeout = time.Minute

// ShiftObjects puts n bytes of comment after the header line of pdf, so
// that every offset its cross-reference table gives is n bytes off.
func ShiftObjects(pdf []byte, n int) []byte {
	i := strings.IndexAny(string(pdf), "\r\n") + 1
	if i > 0 && i < len(pdf) && pdf[i-1] == '\r' && pdf[i] == '\n' {
		i++
	}
	pad := "%" + strings.Repeat("x", n-2) + "\n"
	return append(append(append([]byte(nil), pdf[:i]...), pad...), pdf[i:]...)
}

// Make writes v of file to out.
func (v Variant) Make(file, out string) error {
	if v.Hand != nil {
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		return os.WriteFile(out, v.Hand(data), 0o644)
	}
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	args := append(append([]string{}, v.QPDF...), file, out)
	msg, err := exec.CommandContext(ctx, "qpdf", args...).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 3 {
		err = nil // qpdf warned, and wrote the file
	}
	if err != nil {
		return fmt.Errorf("qpdf %s: %v: %s", strings.Join(args, " "), err, msg)
	}
	return nil
}

// PDFToText returns what pdftotext reads from file, with the user
// password when not "".
func PDFToText(file, password string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	args := []string{"-q"}
	if password != "" {
		args = append(args, "-upw", password)
	}
	out, err := exec.CommandContext(ctx, "pdftotext", append(args, file, "-")...).Output()
	return string(out), err
}
