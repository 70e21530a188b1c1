#!/bin/sh
# peers.sh: marsad's search and MinHash beside the peers (issue 15), in one
# run on the same bytes: every report of SaudiNewsNet as `marsad ingest`
# stores it (29,882 reports, 97 MB of title and text), the 50 queries of
# bench/queries_ar.txt, top 10. Run by `make bench-peers` and `make bench`
# (not a test). Peers: Lucene++ (liblucene++-dev) and Xapian
# (libxapian-dev), small programs in bench/peers/ that index the same
# reports and run the same queries; the Go package ekzhu/minhash-lsh
# (golang-github-ekzhu-minhash-lsh-dev) on the shingles marsad makes.
# Each peer's Debian packages are installed when missing (scripts/deps.sh,
# as root); a peer whose packages cannot be had is skipped with a message.
# Environment (set by make): MARSAD_BIN, MARSAD_SHARED, MARSAD_BUILD.
set -eu
: "${MARSAD_BUILD:?run through make bench-peers}"
: "${MARSAD_SHARED:?run through make bench-peers}"
bin=${MARSAD_BIN:?}
top=$(cd "$(dirname "$0")/.." && pwd)
src="$top/bench/peers"
out="$MARSAD_BUILD/peers"
queries="$top/bench/queries_ar.txt"
snn="$MARSAD_SHARED/corpus/saudinewsnet/jsonl"
mkdir -p "$out"
db="$out/snn.db"

# the store: the same bytes for every engine
rm -f "$db" "$db-wal" "$db-shm" "$db-postings"
"$bin" ingest --db "$db" "$snn" > /dev/null 2>&1 || true
nrep=$(sqlite3 "$db" 'select count(*) from reports')
mb=$(sqlite3 "$db" 'select sum(length(cast(coalesce(title, "") as blob)) + length(cast(text as blob))) / 1e6 from reports')
fts=$(sqlite3 "$db" "select sum(pgsize) from dbstat where name like 'reports_fts%'" 2>/dev/null || echo 0)
printf '   SaudiNewsNet: %s reports, %.1f MB of title and text; %s queries (bench/queries_ar.txt), top 10\n' \
  "$nrep" "$mb" "$(grep -cv -e '^#' -e '^$' "$queries")"

# newer SRC... than BIN?
stale() {
  b=$1; shift
  [ -x "$b" ] || return 0
  for s in "$@"; do [ "$s" -nt "$b" ] && return 0; done
  return 1
}
# peer NAME GROUP: 0 when the peer's packages are there (installed now if
# need be), else a message and 1
have() {
  if sh "$top/scripts/deps.sh" "$2" > "$out/$1.deps" 2>&1; then return 0; fi
  echo "   $1: skipped, its Debian packages are missing and could not be installed:"
  sed 's/^/      /' "$out/$1.deps"
  return 1
}
cxx() { # NAME SOURCE PKG...: builds out/peer_NAME with g++
  name=$1; file=$2; shift 2
  stale "$out/peer_$name" "$src/$file" "$src/common.h" || return 0
  # shellcheck disable=SC2046
  g++ -O2 -std=c++17 -o "$out/peer_$name" "$src/$file" $(pkg-config --cflags --libs "$@")
}

"$MARSAD_BUILD/bench/bench_search" "$db" "$queries" | tee "$out/marsad.line"
printf '      (FTS5 index in the store: %s bytes; search reads the postings file, FTS5 stays the fallback)\n' "$fts"
: > "$out/peers.lines"
if have lucene++ peers-lucene && cxx lucene lucene.cpp liblucene++ liblucene++-contrib sqlite3; then
  rm -rf "$out/lucene.idx"
  "$out/peer_lucene" "$db" "$queries" "$out/lucene.idx" | tee -a "$out/peers.lines"
fi
if have xapian peers-xapian && cxx xapian xapian.cpp xapian-core sqlite3; then
  rm -rf "$out/xapian.idx" "$out/xapian.idx.build"
  "$out/peer_xapian" "$db" "$queries" "$out/xapian.idx" | tee -a "$out/peers.lines"
  rm -rf "$out/xapian.idx.build"
fi
# ratios: FIELD of a line (the number after a word)
field() { sed -n "s/.*$2 \([0-9.]*\).*/\1/p" "$1" | head -1; }
field_of() { echo "$1" | sed -n "s/.*$2 \([0-9.]*\).*/\1/p" | head -1; }
m50=$(sed -n 's/.*cpu p50 \([0-9]*\) us.*/\1/p' "$out/marsad.line")
m99=$(sed -n 's/.*p99 \([0-9]*\) us (wall.*/\1/p' "$out/marsad.line")
mix=$(field "$out/marsad.line" index)
mbd=$(field "$out/marsad.line" build)
while read -r line; do
  name=${line%%:*}
  p50=$(echo "$line" | sed -n 's/.*cpu p50 \([0-9]*\) us.*/\1/p')
  p99=$(echo "$line" | sed -n 's/.*p99 \([0-9]*\) us (wall.*/\1/p')
  ix=$(field_of "$line" index)
  bd=$(field_of "$line" build)
  awk -v n="$name" -v a="$m50" -v b="$p50" -v c="$m99" -v d="$p99" -v i="$mix" -v j="$ix" \
      -v x="$mbd" -v y="$bd" 'BEGIN {
    printf "   marsad / %s: p50 %.2fx faster, p99 %.2fx faster; index %.2fx its size (goal <= 1.2x Lucene++), build %.2fx its speed (goal >= 1.5x Lucene++)\n",
      n, b / a, d / c, i / j, y / x }'
done < "$out/peers.lines"

# MinHash: marsad's sketch and signature, then the Go package on the same shingles
"$MARSAD_BUILD/bench/bench_minhash" "$db" "$out/shingles.bin" | tee "$out/minhash.line"
if have go-minhash peers-go && {
     ! stale "$out/peer_minhash" "$src/minhash.go" ||
     (cd "$src" && GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$out/gocache" \
        GOFLAGS= go build -o "$out/peer_minhash" minhash.go); }; then
  "$out/peer_minhash" "$out/shingles.bin" | tee "$out/go.line"
  sig=$(sed -n 's/.*signature alone \([0-9.]*\) s.*/\1/p' "$out/minhash.line")
  sk=$(sed -n 's/.*terms) \([0-9.]*\) s.*/\1/p' "$out/minhash.line")
  go=$(sed -n 's/.*signature \([0-9.]*\) s.*/\1/p' "$out/go.line")
  awk -v s="$sig" -v k="$sk" -v g="$go" 'BEGIN {
    printf "   marsad / go minhash-lsh: signature %.2fx its speed (goal >= 3x); marsad'"'"'s whole sketch (shingles, sort, signature, terms) %.2fx the Go signature alone\n",
      g / s, g / k }'
fi
rm -f "$out/shingles.bin"
