#!/usr/bin/env bash
# `greeter contacts import FILE` and `greeter contacts export --format vcard|csv`
# on a fresh state folder: a bad record is reported with its line and skipped,
# the rest imported; duplicates merge; exports re-import without duplicates;
# bad usage and unreadable files are clear errors.
set -euo pipefail
bin=${GREETER_BUILD_DIR:?}/greeter
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
g() { "$bin" --storage.dir="$tmp/state" --log.level=warn "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

cat >"$tmp/people.csv" <<'CSV'
First name,Last name,Email,Mobile,Company,Notes
Anna,O'Brien,anna@obrien.example,+49 176 1234567,"Acme ""Rockets"", Inc",
Bob,Stone,not-an-email,,,
Carl,Sagan,carl@cosmos.example,,,"first line
second line"
Anna,O'Brien,ANNA@obrien.example,+49 30 5550100,,met again
Dora,,dora@x.example,,,too,many
CSV

rc=0
g contacts import "$tmp/people.csv" >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] || { cat "$tmp/out" "$tmp/err"; fail "import with bad records should exit 1, got $rc"; }
grep -q "people.csv:3: skipped: emails\[0\]" "$tmp/err" || { cat "$tmp/err"; fail "bad e-mail not reported with line 3"; }
grep -q "people.csv:7: skipped: expected 6 fields" "$tmp/err" || { cat "$tmp/err"; fail "bad field count not reported with line 7"; }
grep -q '"created":2' "$tmp/out" || { cat "$tmp/out"; fail "two contacts should be created"; }
grep -q '"merged":1' "$tmp/out" || { cat "$tmp/out"; fail "the repeated Anna should merge"; }
grep -q '"failed":2' "$tmp/out" || { cat "$tmp/out"; fail "two records should fail"; }

g contacts export --format csv >"$tmp/all.csv" 2>"$tmp/err"
head -1 "$tmp/all.csv" | grep -q '^name,given_name,family_name,title,company,phone_work,phone_mobile' || fail "CSV header"
grep -q '^Carl Sagan,Carl,Sagan,' "$tmp/all.csv" || { cat "$tmp/all.csv"; fail "CSV export should list Carl"; }
grep -q '"Acme ""Rockets"", Inc"' "$tmp/all.csv" || { cat "$tmp/all.csv"; fail "quoted company in CSV"; }
grep -q '+49 176 1234567; +49 30 5550100' "$tmp/all.csv" || { cat "$tmp/all.csv"; fail "merged phones kept"; }
grep -q 'exported 2 contacts as csv' "$tmp/err" || fail "export summary"

g contacts export --format vcard --output "$tmp/all.vcf" 2>/dev/null
[ "$(grep -c '^BEGIN:VCARD' "$tmp/all.vcf")" = 2 ] || { cat "$tmp/all.vcf"; fail "two vCards expected"; }
grep -q 'carl@cosmos.example' "$tmp/all.vcf" || fail "e-mail in vCard"

# Re-importing our own exports adds nothing new: everything merges.
g contacts import "$tmp/all.vcf" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err"; fail "vCard re-import"; }
grep -q '"format":"vcard","created":0,"merged":2,"failed":0' "$tmp/out" || { cat "$tmp/out"; fail "vCard re-import report"; }
g contacts import - <"$tmp/all.csv" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err"; fail "CSV re-import from stdin"; }
grep -q '"created":0,"merged":2' "$tmp/out" || { cat "$tmp/out"; fail "CSV re-import report"; }
count() { g contacts export --format vcard 2>/dev/null | grep -c '^BEGIN:VCARD'; }
[ "$(count)" = 2 ] || fail "still two contacts after re-imports"

# Errors.
rc=0; g contacts export --format xml 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] && grep -q 'vcard or csv' "$tmp/err" || fail "bad format should exit 2 ($rc)"
rc=0; g contacts import 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "missing file should exit 2 ($rc)"
rc=0; g contacts import "$tmp/nope.csv" 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] && grep -q 'cannot read' "$tmp/err" || fail "unreadable file should exit 1 ($rc)"
head -c 3000 /dev/urandom >"$tmp/garbage.bin"
printf 'foo,bar\n1,2\n' >>"$tmp/garbage.bin"
rc=0; g contacts import "$tmp/garbage.bin" 2>"$tmp/err" >/dev/null || rc=$?
[ "$rc" = 1 ] || fail "garbage should exit 1 ($rc)"
grep -q 'neither vCard nor CSV\|skipped' "$tmp/err" || { cat "$tmp/err"; fail "garbage message"; }
[ "$(count)" = 2 ] || fail "garbage import changed nothing"
echo "ok"
