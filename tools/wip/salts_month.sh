#!/bin/sh
for salt in 0 1 2 3 4 5; do MR_SALT=$salt python3 /work/wt/stories2/tools/wip/month_dev.py; done | awk '{f+=$8; n++; print} END {printf "mean %.4f\n", f/n}'
