#!/bin/sh
# usage: s2_dev.sh  (env MR_PA MR_PS MR_PR passed through): mean dev F1 over salts 0..5
cd /work/wt/stories2; S=../shared; tot=0
for salt in 0 1 2 3 4 5; do
 f=$(MR_SALT=$salt nice python3 tools/score_stories.py build/marsad $S/gold/ant-stories-dev.jsonl $S/corpus/ant-multisource/jsonl | sed 's/.*F1 \([0-9.]*\).*/\1/')
 printf '%s ' $f
done; echo
