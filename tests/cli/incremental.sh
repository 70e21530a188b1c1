# incremental.sh: stories rebuilt from stored facts (a second analyze, or
# shards merged with marsad_store_import) equal the stories of one fresh
# run, also for open-ended figures (سبعة على الأقل) stated twice in one
# report: the repeat of a value must not depend on what an open end held.
. "$(dirname "$0")/lib.sh"
d="$TMPD/in"
mkdir -p "$d"
cat > "$d/a.txt" <<'TXT'
مقتل سبعة على الأقل من أفراد الشرطة في هجوم

قتل سبعة على الأقل من أفراد الشرطة في هجوم على نقطة تفتيش، وقال مسؤول إن سبعة أشخاص على الأقل قتلوا وأصيب خمسة أشخاص آخرون.
TXT
cat > "$d/b.txt" <<'TXT'
هجوم على نقطة تفتيش للشرطة

قتل سبعة على الأقل من أفراد الشرطة في هجوم على نقطة تفتيش، بحسب مسؤول قال إن سبعة أشخاص على الأقل قتلوا.
TXT
"$MARSAD" analyze --db "$TMPD/one.db" "$d" >/dev/null 2>&1
eq "one run analyses both reports" 0 $?
"$MARSAD" analyze --db "$TMPD/two.db" "$d/a.txt" >/dev/null 2>&1
"$MARSAD" analyze --db "$TMPD/two.db" "$d/b.txt" >/dev/null 2>&1
eq "a second run adds the other" 0 $?
one=$("$MARSAD" stories --db "$TMPD/one.db" --json)
two=$("$MARSAD" stories --db "$TMPD/two.db" --json)
ok "the stories hold a repeated open-ended value" sh -c 'printf "%s" "$1" | grep -q "\"repeat\":true"' _ "$one"
eq "stories from stored facts equal one fresh run's" "$one" "$two"
done_testing
