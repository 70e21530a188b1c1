#!/bin/sh
# link_model.sh MARSAD_BIN SHARED_DIR OUT_DIR: the inputs of the join
# model's trainer (tools/train_link.c, make link-model): the clustering's
# input as `marsad analyze` builds it (MARSAD_CLUSTER_STATE), written to
#   OUT_DIR/dev.json    the reports of gold/ant-stories-dev.jsonl (picked
#                       out of ANT as tools/score_stories.py does)
#   OUT_DIR/month.json  every ANT report of April 2018
# Exit 0 when both were written, 1 otherwise.
set -u
bin=$1
S=$2
out=$3
py=/usr/bin/python3
[ -x "$py" ] || py=python3
mkdir -p "$out" || exit 1
here=$(cd "$(dirname "$0")" && pwd)
rm -f "$out/dev.json" "$out/month.json"
MARSAD_CLUSTER_STATE="$out/dev.json" $py "$here/score_stories.py" "$bin" \
  "$S/gold/ant-stories-dev.jsonl" "$S/corpus/ant-multisource/jsonl" || exit 1
tmp=$(mktemp -d) || exit 1
MARSAD_CLUSTER_STATE="$out/month.json" "$bin" analyze --db "$tmp/month.db" \
  "$S"/corpus/ant-multisource/jsonl/*_2018-04.jsonl >/dev/null
rc=$?
rm -rf "$tmp"
if [ "$rc" -gt 1 ] || [ ! -s "$out/dev.json" ] || [ ! -s "$out/month.json" ]; then
  echo "link_model.sh: marsad analyze did not write the clustering states" >&2
  exit 1
fi
exit 0
