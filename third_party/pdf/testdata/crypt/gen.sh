#!/bin/sh
# Regenerates the encrypted test files from base.pdf with qpdf (11.x):
#   cd third_party/pdf/testdata/crypt && sh gen.sh
# base.pdf is written here by hand: one page showing "Budget 1,234.50" and
# an Info dictionary whose /Title is "预算 budget" in UTF-16.
set -e
python3 - <<'PY'
import codecs
title = codecs.BOM_UTF16_BE + "预算 budget".encode("utf-16-be")
content = b"BT /F1 12 Tf 40 150 Td (Budget 1,234.50) Tj ET"
objs = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    b"<< /Title <" + title.hex().encode() + b"> /Producer (hand) >>",
]
out = bytearray(b"%PDF-1.7\n")
offs = []
for i, o in enumerate(objs):
    offs.append(len(out))
    out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs:
    out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open("base.pdf", "wb").write(out)
PY
q="qpdf --static-id --static-aes-iv --allow-weak-crypto"
$q --encrypt "" owner 40 -- base.pdf rc4-40-owner-only.pdf
$q --encrypt user owner 128 -- base.pdf rc4-128-user.pdf
$q --encrypt user owner 128 --use-aes=y -- base.pdf aes-128-user.pdf
$q --encrypt user owner 256 --force-R5 -- base.pdf aes-256-r5-user.pdf
$q --encrypt "" owner 256 -- base.pdf aes-256-owner-only.pdf
$q --object-streams=generate --encrypt user owner 256 -- base.pdf aes-256-user-objstm.pdf
# The file key of each, as qpdf computes it, for TestFileKeys.
for f in rc4-*.pdf aes-*.pdf; do # not r6-known.pdf, which is kept
	pw=user
	case $f in *owner-only*) pw="" ;; esac
	printf '%s %s\n' "$f" "$(qpdf --password="$pw" --show-encryption-key --show-encryption "$f" | sed -n 's/^Encryption key = //p')"
done > keys.txt
