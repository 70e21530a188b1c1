#!/bin/sh
# eval.sh MARSAD_BIN SHARED_DIR: the development gold's measures, one line
# each, with the scorers marsad is judged by (SHARED_DIR/tools/score_*.py)
# and its own story scorer (tools/score_stories.py).
#   figures   ANT development articles, then the seeds (issue: figures)
#   claims    three ANT stories of 2018-04-07..09 (gold/CLAIMS.md), with
#             marsad's stories, then with the gold ones
#   stories   B-cubed over the 318 reports of that window, then over the
#             five seeds (undated, as the files are; gold/seeds-pairs.md)
#   entities  ANERcorp's last 20 % and the Wojood sample's test file, with
#             the rules alone (what marsad facts does by default) and with
#             the trained name tagger (MARSAD_NER=on)
# Exit 0 when every scorer ran, 1 when one failed or shared/ is missing.
set -u
bin=$1
S=$2
py=/usr/bin/python3
[ -x "$py" ] || py=python3
if [ ! -d "$S/gold" ]; then
  echo "eval: $S/gold is missing (the shared gold beside the checkout)" >&2
  exit 1
fi
rc=0
run() { # label, command...
  label=$1; shift
  out=$("$@") || { echo "$label: scorer failed ($*)" >&2; rc=1; }
  [ -n "$out" ] && printf '%-18s %s\n' "$label" "$out"
}
run "figures ANT dev" $py "$S/tools/score_figures.py" "$bin" "$S/gold/ant-figures-dev.jsonl" "$S/gold/ant-figures-dev-meta.jsonl"
run "figures seeds" $py "$S/tools/score_figures.py" "$bin" "$S/gold/seeds-figures.jsonl" "$S/seeds"
run "claims ANT dev" $py "$S/tools/score_claims.py" --stories "$S/gold/ant-stories-dev.jsonl" "$bin" \
  "$S/gold/claims-dev.jsonl" "$S/gold/claims-dev-quantities.jsonl" "$S/corpus/ant-multisource/jsonl"
# the same with the gold stories in place of marsad's (what claims do
# inside a story, whatever the clustering gives; tools/claims_oracle.sh)
oracle=$(dirname "$bin")/tools/claims_oracle
if [ -x "$oracle" ]; then
  export ORACLE_STORIES="$S/gold/ant-stories-dev.jsonl" ORACLE_BIN="$oracle"
  run "claims gold stor." $py "$S/tools/score_claims.py" --stories "$S/gold/ant-stories-dev.jsonl" \
    "$(cd "$(dirname "$0")" && pwd)/claims_oracle.sh" \
    "$S/gold/claims-dev.jsonl" "$S/gold/claims-dev-quantities.jsonl" "$S/corpus/ant-multisource/jsonl"
  unset ORACLE_STORIES ORACLE_BIN
fi
run "stories ANT dev" $py tools/score_stories.py "$bin" "$S/gold/ant-stories-dev.jsonl" "$S/corpus/ant-multisource/jsonl"
run "stories seeds" $py tools/score_stories.py "$bin" --seeds "$S/seeds" "$S/gold/seeds-pairs.md"
run "entities" $py "$S/tools/score_entities.py" "$bin" anercorp-test
run "entities" $py "$S/tools/score_entities.py" "$bin" wojood-test
export MARSAD_NER=on
run "entities tagger" $py "$S/tools/score_entities.py" "$bin" anercorp-test
run "entities tagger" $py "$S/tools/score_entities.py" "$bin" wojood-test
unset MARSAD_NER
exit $rc
