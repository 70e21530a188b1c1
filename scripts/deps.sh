#!/bin/sh
# deps.sh GROUP: makes sure the Debian packages a make target needs are
# installed. As root it installs what is missing with apt-get; otherwise it
# prints the one apt-get line to run and fails.
#   build  compile marsad (make, make demo, make eval)
#   check  build + cmocka + what the integration tests drive (make check)
#   bench  build + Snowball's libstemmer (the baseline in make bench)
#   fuzz   build + clang and its libFuzzer runtime
#   peers-lucene, peers-xapian, peers-go   one peer of make bench-peers
#          (bench/peers.sh skips a peer whose packages cannot be had)
set -eu
group=${1:-build}
build="gcc make pkg-config libc6-dev libsqlite3-dev sqlite3 libxml2-dev libjson-c-dev zlib1g-dev"
case "$group" in
  build) want="$build" ;;
  check) want="$build libcmocka-dev" ;;
  bench) want="$build libstemmer-dev time" ;;
  fuzz)  want="$build clang libclang-rt-14-dev" ;;
  peers-lucene) want="g++ liblucene++-dev libboost-dev libboost-filesystem-dev libboost-thread-dev libboost-date-time-dev libboost-iostreams-dev libboost-regex-dev" ;;
  peers-xapian) want="g++ libxapian-dev" ;;
  peers-go) want="golang-go golang-github-ekzhu-minhash-lsh-dev" ;;
  *) echo "deps.sh: unknown group '$group'" >&2; exit 2 ;;
esac
# Extra packages a later layer adds for a group live in scripts/deps-GROUP.txt
# (one package per line), so adding one does not mean editing this script.
# Every group builds marsad, so deps-build.txt counts for each.
for f in scripts/deps-build.txt "scripts/deps-$group.txt"; do
  if [ -f "$f" ]; then
    want="$want $(grep -v '^#' "$f" | tr '\n' ' ')"
  fi
done

missing=""
for p in $want; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "marsad needs these Debian packages; run as root:" >&2
  echo "  apt-get install -y$missing" >&2
  exit 1
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has empty package lists: update first when they are.
if [ -z "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -v -e lock -e partial)" ]; then
  apt-get update -q >&2
fi
if ! apt-get install -y -q --no-install-recommends $missing >&2; then
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends $missing >&2
fi
