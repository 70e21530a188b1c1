#!/bin/sh
# claims_oracle.sh marsad-args...: stands in for the
# marsad binary the claims scorer runs, with the gold stories in place of
# marsad's (build/tools/claims_oracle): 'analyze --db DB FILE' writes the
# stories' JSON to DB, 'stories --db DB --json' prints it, 'show --db DB
# --json ID' names the report by the id it already has. The story gold
# and the oracle binary come from ORACLE_STORIES and ORACLE_BIN (see the
# claims line of tools/eval.sh).
gold=${ORACLE_STORIES:?} bin=${ORACLE_BIN:?}
cmd=$1
shift
db=
while [ $# -gt 0 ]; do
  case $1 in
    --db) db=$2; shift 2 ;;
    --json) shift ;;
    *) break ;;
  esac
done
case $cmd in
  analyze) exec "$bin" "$gold" "$@" >"$db" ;;
  stories) exec cat "$db" ;;
  show) printf '{"source_id": "%s"}\n' "$1" ;;
  *) echo "claims_oracle.sh: $cmd is not emulated" >&2; exit 2 ;;
esac
