# serve.sh: `marsad serve` over loopback on a store built from the seeds
# and the examples: status codes, the JSON shape of every endpoint, paging
# with cursors, since= (date and revision), CSV, Atom, ingest with and
# without the token, bad parameters -> 400 with a message, limits (413),
# the security headers, and a clean stop on SIGTERM. Real process, real
# HTTP (curl), real SQLite file.
. "$(dirname "$0")/lib.sh"
need_shared seeds
ok "curl is installed (Debian package curl)" command -v curl
ok "jq is installed (Debian package jq)" command -v jq

db="$TMPD/s.db"
"$MARSAD" analyze --db "$db" "$SHARED/seeds" examples >/dev/null 2>&1
eq "analyze builds the store from the seeds and examples" 0 $?

# get PATH [CURL ARGS...]: body to $TMPD/body, status printed
get() {
  _p=$1; shift
  curl -s -o "$TMPD/body" -w '%{http_code}' "$@" "$URL${_p#/}"
}

serve_start "$db"
case "$URL" in http://127.0.0.1:*/) ok "serve prints the address it listens on" true ;;
  *) ok "serve prints the address it listens on ($URL)" false ;; esac

# --- stories: shape, order, paging
eq "GET /api/stories is 200" 200 "$(get /api/stories)"
eq "stories carry schema marsad/2" "marsad/2" "$(jq -r .schema "$TMPD/body")"
n=$(jq '.stories | length' "$TMPD/body")
stored=$("$MARSAD" stories --db "$db" --json | wc -l)
eq "every stored story is listed" "$stored" "$n"
ok "a story has id, title, first/last seen, reports, outlets, claims, conflicts" \
  jq -e '.stories[0] | (.id|type=="string") and (.reports|type=="number") and (.outlets|type=="array") and (.claims|type=="number") and (.conflicts|type=="number") and has("first_seen") and has("last_seen")' "$TMPD/body"
ok "largest first" jq -e '[.stories[].reports] as $r | $r == ($r|sort|reverse)' "$TMPD/body"
ok "the conflicting story counts its conflicts" jq -e '[.stories[] | select(.conflicts > 0)] | length >= 1' "$TMPD/body"
all_ids=$(jq -r '.stories[].id' "$TMPD/body" | tr '\n' ' ')
rev=$(jq -r .revision "$TMPD/body")

get "/api/stories?limit=2" >/dev/null
p1=$(jq -r '.stories[].id' "$TMPD/body" | tr '\n' ' ')
cur=$(jq -r .next_cursor "$TMPD/body")
eq "limit=2 gives two stories" 2 "$(jq '.stories | length' "$TMPD/body")"
paged="$p1"
while [ "$cur" != null ]; do
  get "/api/stories?limit=2&cursor=$cur" >/dev/null
  paged="$paged$(jq -r '.stories[].id' "$TMPD/body" | tr '\n' ' ')"
  cur=$(jq -r .next_cursor "$TMPD/body")
done
eq "following next_cursor pages through every story once, in order" "$all_ids" "$paged"
eq "min_reports=3 keeps stories of 3 reports or more" 0 \
  "$(get '/api/stories?min_reports=3' >/dev/null; jq '[.stories[] | select(.reports < 3)] | length' "$TMPD/body")"
ok "min_reports=3 keeps some" jq -e '.stories | length >= 1' "$TMPD/body"
eq "since=2025-10 keeps stories seen from October 2025" 0 \
  "$(get '/api/stories?since=2025-10' >/dev/null; jq '[.stories[] | select(.last_seen < "2025-10")] | length' "$TMPD/body")"
eq "since=rREV (the current revision) lists nothing new" 0 \
  "$(get "/api/stories?since=r$rev" >/dev/null; jq '.stories | length' "$TMPD/body")"
eq "since=r0 lists everything" "$stored" \
  "$(get '/api/stories?since=r0' >/dev/null; jq '.stories | length' "$TMPD/body")"

# --- one story, one report
sid=$(get /api/claims?verdict=conflict >/dev/null; jq -r '.claims[0].story' "$TMPD/body")
eq "GET /api/stories/ID is 200" 200 "$(get "/api/stories/$sid")"
ok "the story holds its claims with values, spans and verdicts" \
  jq -e '.story.claims[0] | (.values[0] | has("report") and has("start") and has("end") and has("text")) and has("verdict")' "$TMPD/body"
ok "the story lists its reports' outlet and date" \
  jq -e '.reports | length >= 2 and all(has("outlet") and has("published"))' "$TMPD/body"
rid=$(jq -r '.story.claims[0].values[0].report' "$TMPD/body")
start=$(jq -r '.story.claims[0].values[0].start' "$TMPD/body")
end=$(jq -r '.story.claims[0].values[0].end' "$TMPD/body")
vtext=$(jq -r '.story.claims[0].values[0].text' "$TMPD/body")
eq "a story is found by one of its reports' ids" "$sid" \
  "$(get "/api/stories/$rid" >/dev/null; jq -r .id "$TMPD/body")"
eq "GET /api/reports/ID is 200" 200 "$(get "/api/reports/$rid")"
# the claim's span, cut out of the report text by bytes, is its text
span=$(jq -j .report.text "$TMPD/body" | head -c "$end" | tail -c "$((end - start))")
eq "the claim's byte span in the report's text is the claim's text" "$vtext" "$span"
ok "the report lists its facts with spans" \
  jq -e '.facts | length > 0 and all(has("kind") and has("start") and has("end") and has("fact"))' "$TMPD/body"
eq "the report names its story" "$sid" "$(jq -r .story "$TMPD/body")"
eq "an unknown story is 404" 404 "$(get /api/stories/0000000000000000)"
ok "a 404 says what is missing" jq -e '.error.status == 404 and (.error.message|length > 0)' "$TMPD/body"
eq "an unknown report is 404" 404 "$(get /api/reports/0000000000000000)"
eq "an unknown path is 404" 404 "$(get /api/nothing)"

# --- search
q=$(printf 'سيول' | jq -sRr @uri)
eq "GET /api/search is 200" 200 "$(get "/api/search?q=$q")"
ok "hits have id, title, outlet, published, score, snippet and marks" \
  jq -e '.hits | length >= 3 and all(has("id") and has("title") and has("outlet") and has("published") and (.score|type=="number") and (.snippet|type=="string") and (.marks|type=="array"))' "$TMPD/body"
ok "best first" jq -e '[.hits[].score] as $s | $s == ($s|sort|reverse)' "$TMPD/body"
nhits=$(jq '.hits | length' "$TMPD/body")
get "/api/search?q=$q&limit=1" >/dev/null
h1=$(jq -r '.hits[0].id' "$TMPD/body"); c1=$(jq -r .next_cursor "$TMPD/body")
get "/api/search?q=$q&limit=1&cursor=$c1" >/dev/null
h2=$(jq -r '.hits[0].id' "$TMPD/body")
ok "search pages: the second page is another hit" test -n "$h2" -a "$h1" != "$h2"
outlet=$(printf 'سوس بريس 24' | jq -sRr @uri)
eq "outlet= keeps that outlet's hits" "سوس بريس 24" \
  "$(get "/api/search?q=$q&outlet=$outlet" >/dev/null; jq -r '[.hits[].outlet] | unique | join(",")' "$TMPD/body")"
eq "a query with no word is 400" 400 "$(get '/api/search?q=%22%22')"
ok "the 400 carries a message" jq -e '.error.status == 400 and (.error.message | test("word"))' "$TMPD/body"
eq "no q is 400" 400 "$(get /api/search)"
eq "a bad date is 400" 400 "$(get "/api/search?q=$q&since=yesterday")"
eq "the 400 names the parameter" since "$(jq -r .error.parameter "$TMPD/body")"
eq "a bad limit is 400" 400 "$(get '/api/stories?limit=0')"
eq "a bad cursor is 400" 400 "$(get '/api/stories?cursor=zz')"
long=$(head -c 5000 /dev/zero | tr '\0' 'a')
eq "a parameter over 4096 bytes is 400" 400 "$(get "/api/search?q=$long")"

# --- CSV
eq "format=csv is 200" 200 "$(get "/api/search?q=$q&format=csv")"
eq "search CSV header" "id,published,outlet,title,score,snippet" "$(head -1 "$TMPD/body" | tr -d '\r')"
eq "one CSV row per hit" "$((nhits + 1))" "$(python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1], newline="")))))' "$TMPD/body")"
eq "Accept: text/csv gives CSV too" "id,title,first_seen,last_seen,reports,outlets,claims,conflicts,updated" \
  "$(get /api/stories -H 'Accept: text/csv' >/dev/null; head -1 "$TMPD/body" | tr -d '\r')"
eq "claims CSV lists the conflicts" conflict \
  "$(get '/api/claims?verdict=conflict&format=csv' >/dev/null; python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline=""))); print(",".join(sorted(set(x["verdict"] for x in r))))' "$TMPD/body")"

# --- claims, volume
eq "GET /api/claims is 200" 200 "$(get '/api/claims?event=killed')"
ok "claims of event=killed are all killed" jq -e '.claims | length > 0 and all(.claim.event == "killed")' "$TMPD/body"
eq "GET /api/volume is 200" 200 "$(get "/api/volume?q=$q")"
ok "volume counts matches per day with the day's total and share" \
  jq -e '.by == "day" and (.buckets | length > 0 and all(.matches <= .total and .share > 0 and .share <= 1))' "$TMPD/body"
ok "days in order" jq -e '[.buckets[].key] as $k | $k == ($k|sort)' "$TMPD/body"
eq "volume by=outlet" outlet "$(get '/api/volume?by=outlet' >/dev/null; jq -r .by "$TMPD/body")"
eq "volume without a query counts every report" \
  "$(sqlite3 "$db" 'select count(*) from reports')" "$(jq '[.buckets[].matches] | add' "$TMPD/body")"
eq "by=week is 400" 400 "$(get '/api/volume?by=week')"

# --- feeds
eq "the conflicts feed is 200" 200 "$(get /feeds/conflicts.atom)"
ok "the conflicts feed is well-formed Atom with entries" \
  sh -c "xmllint --noout '$TMPD/body' && grep -q '<entry>' '$TMPD/body'"
eq "the search feed is 200" 200 "$(get "/feeds/search.atom?q=$q")"
ok "the search feed is well-formed" xmllint --noout "$TMPD/body"

# --- headers, dashboard, methods
curl -s -D "$TMPD/h" -o /dev/null "$URL"
ok "the dashboard is served at /" grep -q '^HTTP/1.1 200' "$TMPD/h"
ok "a CSP with no inline script and no other origin" \
  grep -qi "^content-security-policy: default-src 'none'; script-src 'self';" "$TMPD/h"
ok "nosniff" grep -qi '^x-content-type-options: nosniff' "$TMPD/h"
eq "DELETE is 405" 405 "$(get /api/stories -X DELETE)"
eq "POST without --allow-ingest is 403" 403 "$(get /api/reports -X POST --data-binary 'x')"
serve_stop
eq "SIGTERM stops the server cleanly" 0 $?

# --- ingest
printf 'a-test-token-of-enough-length\n' >"$TMPD/token"
cp "$db" "$TMPD/w.db"
serve_start "$TMPD/w.db" --allow-ingest "$TMPD/token" --max-body 100000
rev=$(get /api/stories >/dev/null; jq -r .revision "$TMPD/body")
cat >"$TMPD/new.jsonl" <<'EOF'
{"id":"serve-test-1","outlet":"نشرة الاختبار","url":"https://example.org/serve-test-1","published":"2026-01-05","title":"انهيار جسر في مدينة الاختبار","text":"لقي 12 شخصا مصرعهم وأصيب 30 آخرون في انهيار جسر بمدينة الاختبار صباح الأحد، بحسب ما أعلنته الحماية المدنية في بيان."}
EOF
eq "POST without a token is 401" 401 "$(get /api/reports -X POST --data-binary @"$TMPD/new.jsonl")"
eq "POST with a wrong token is 403" 403 \
  "$(get /api/reports -X POST -H 'Authorization: Bearer not-the-token-at-all' --data-binary @"$TMPD/new.jsonl")"
eq "nothing was stored without the token" "$rev" \
  "$(get /api/stories >/dev/null; jq -r .revision "$TMPD/body")"
auth='Authorization: Bearer a-test-token-of-enough-length'
eq "POST with the token is 200" 200 \
  "$(get /api/reports -X POST -H "$auth" -H 'Content-Type: application/x-ndjson' --data-binary @"$TMPD/new.jsonl")"
eq "one report added" 1 "$(jq .added "$TMPD/body")"
ok "its story is returned" jq -e '.analysed and (.stories | length == 1)' "$TMPD/body"
newstory=$(jq -r '.stories[0]' "$TMPD/body")
eq "since=rREV lists only the new story" "$newstory" \
  "$(get "/api/stories?since=r$rev" >/dev/null; jq -r '[.stories[].id] | join(",")' "$TMPD/body")"
ok "the new story has its figure" sh -c "curl -s '${URL}api/stories/$newstory' | jq -e '[.story.claims[].values[].value.min] | index(12) != null' >/dev/null"
eq "posting it again adds nothing" "0 1" \
  "$(get /api/reports -X POST -H "$auth" --data-binary @"$TMPD/new.jsonl" >/dev/null; jq -r '"\(.added) \(.present)"' "$TMPD/body")"
eq "a body with no report is 400" 400 \
  "$(get /api/reports -X POST -H "$auth" -H 'Content-Type: application/x-ndjson' --data-binary '{"nothing": 1}')"
ok "the 400 says why" jq -e '.error.message | test("no report")' "$TMPD/body"
printf '{"id":"serve-test-2","outlet":"نشرة الاختبار","published":"2026-01-06","title":"حصيلة \u202e20 جسراختبار","text":"قالت الحماية المدنية إن حصيلة جسراختبار بلغت 20 قتيلا."}\n' >"$TMPD/rlo.jsonl"
get /api/reports -X POST -H "$auth" --data-binary @"$TMPD/rlo.jsonl" >/dev/null
get "/feeds/search.atom?q=$(printf 'جسراختبار' | jq -sRr @uri)" >/dev/null
ok "a feed shows a bidi control of a title as a visible mark" grep -q '\[U+202E\]20' "$TMPD/body"
ok "and never the control itself" sh -c "! grep -q \"$(printf '\342\200\256')\" '$TMPD/body'"
head -c 200000 /dev/zero | tr '\0' 'a' >"$TMPD/big"
eq "a body over --max-body is 413" 413 \
  "$(get /api/reports -X POST -H "$auth" --data-binary @"$TMPD/big")"
serve_stop

"$MARSAD" serve --db "$TMPD/none.db" --listen 127.0.0.1:0 >/dev/null 2>"$TMPD/err"
eq "a missing store is exit 3" 3 $?
"$MARSAD" serve --db "$db" --listen nowhere >/dev/null 2>&1
eq "a bad --listen is exit 2" 2 $?
done_testing
