#!/usr/bin/env bash
# Draws the ruling lines budgetpdf reads (red) over the page as poppler
# renders it, for checking by eye. Needs poppler-utils and imagemagick.
# usage: make.sh FILE.pdf PAGE OUT.png   (run from the repository root)
set -euo pipefail
f=$1 page=$2 out=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pdftoppm -f "$page" -l "$page" -r 72 -png "$f" "$tmp/pg"
draws=()
while read -r x0 y0 x1 y1; do
	draws+=(-draw "line $x0,$y0 $x1,$y1")
done < <(go run ./cmd/budgetpdf glyphs -pages "$page" "$f" | awk -F'\t' '$2=="line"{print $3, $4, $5, $6}')
convert "$tmp"/pg*.png -stroke red -strokewidth 1 "${draws[@]}" "$out"
