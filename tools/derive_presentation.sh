#!/bin/sh
# Derives data/arabic_presentation.tsv from Debian's unicode-data package
# (/usr/share/unicode/UnicodeData.txt, Unicode 15.0.0): for each Arabic
# presentation form (U+FB50-U+FDFF, U+FE70-U+FEFF) with an <isolated>,
# <initial>, <medial>, <final> or <compat> decomposition, the code point and
# the base letters it decomposes to. Run by hand when Unicode is updated;
# the build reads only the TSV.
set -eu
ud=${1:-/usr/share/unicode/UnicodeData.txt}
{
  echo "# Arabic presentation forms -> base letters (hex code points)."
  echo "# origin: Unicode 15.0.0 UnicodeData.txt, field 5 (compatibility decomposition),"
  echo "# derived by tools/derive_presentation.sh; facts of the Unicode Standard."
  awk -F';' '
    ($1 >= "FB50" && $1 <= "FDFF" && length($1) == 4) ||
    ($1 >= "FE70" && $1 <= "FEFF" && length($1) == 4) {
      d = $6
      if (d !~ /^<(isolated|initial|medial|final|compat)>/) next
      sub(/^<[a-z]+> /, "", d)
      n = split(d, parts, " ")
      out = parts[1]
      for (i = 2; i <= n; i++) out = out " " parts[i]
      printf "%s\t%s\n", $1, out
    }' "$ud"
} > data/arabic_presentation.tsv
