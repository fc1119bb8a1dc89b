#!/bin/sh
# Regenerates the encrypted test files from ../broken/valid.pdf with qpdf
# (11.x): cd extract/testdata/encrypted && sh gen.sh
# User password "user", owner password "owner"; "owner-only" files have
# an empty user password, as sites that "protect" their PDFs make them.
set -e
in=../broken/valid.pdf
q="qpdf --allow-weak-crypto"
$q --encrypt "" owner 40 -- $in rc4-40-owner-only.pdf
$q --encrypt user owner 40 -- $in rc4-40-user.pdf
$q --encrypt user owner 128 -- $in rc4-128-user.pdf
$q --encrypt "" owner 128 --use-aes=y -- $in aes-128-owner-only.pdf
$q --encrypt user owner 128 --use-aes=y -- $in aes-128-user.pdf
$q --encrypt "" owner 256 -- $in aes-256-owner-only.pdf
$q --encrypt user owner 256 -- $in aes-256-user.pdf
$q --encrypt user owner 256 --force-R5 -- $in aes-256-r5-user.pdf
$q --object-streams=generate --encrypt user owner 256 -- $in aes-256-objstm-user.pdf
