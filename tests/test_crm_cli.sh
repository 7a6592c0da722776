#!/usr/bin/env bash
# `greeter contacts import FILE` and `greeter contacts export --format
# vcard|vcard3|csv|csv-google|csv-outlook` on a fresh state folder: a bad value
# is reported with its line and left out, the record kept; a record that cannot
# be read is reported and skipped, the rest imported; duplicates merge; every
# export re-imports without duplicates; bad usage and unreadable files are
# clear errors.
set -euo pipefail
bin=${GREETER_BUILD_DIR:?}/greeter
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
g() { "$bin" --storage.dir="$tmp/state" --log.level=warn "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

cat >"$tmp/people.csv" <<'CSV'
First name,Last name,Email,Mobile,Company,Notes
Anna,O'Brien,anna@obrien.example,+49 176 1234567,"Acme ""Rockets"", Inc",
Bob,Stone,not-an-email,+1 206 555 0188,,
Carl,Sagan,carl@cosmos.example,,,"first line
second line"
Anna,O'Brien,ANNA@obrien.example,+49 30 5550100,,met again
Dora,,dora@x.example,,,too,many
CSV

rc=0
g contacts import "$tmp/people.csv" >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] || { cat "$tmp/out" "$tmp/err"; fail "import with bad records should exit 1, got $rc"; }
grep -q 'people.csv:3: dropped e-mail "not-an-email": not an e-mail address' "$tmp/err" || { cat "$tmp/err"; fail "bad e-mail not reported with line 3"; }
grep -q "people.csv:7: skipped: expected 6 fields" "$tmp/err" || { cat "$tmp/err"; fail "bad field count not reported with line 7"; }
grep -q '"created":3' "$tmp/out" || { cat "$tmp/out"; fail "three contacts should be created (Bob without his e-mail)"; }
grep -q '"merged":1' "$tmp/out" || { cat "$tmp/out"; fail "the repeated Anna should merge"; }
grep -q '"failed":1,"dropped":1' "$tmp/out" || { cat "$tmp/out"; fail "one record should fail, one value be dropped"; }

g contacts export --format csv >"$tmp/all.csv" 2>"$tmp/err"
head -1 "$tmp/all.csv" | grep -q '^name,given_name,family_name,title,company,phone_work,phone_mobile' || fail "CSV header"
grep -q '^Carl Sagan,Carl,Sagan,' "$tmp/all.csv" || { cat "$tmp/all.csv"; fail "CSV export should list Carl"; }
grep -q '"Acme ""Rockets"", Inc"' "$tmp/all.csv" || { cat "$tmp/all.csv"; fail "quoted company in CSV"; }
grep -q '+49 176 1234567; +49 30 5550100' "$tmp/all.csv" || { cat "$tmp/all.csv"; fail "merged phones kept"; }
grep -q 'exported 3 contacts as csv' "$tmp/err" || fail "export summary"

g contacts export --format vcard --output "$tmp/all.vcf" 2>/dev/null
[ "$(grep -c '^BEGIN:VCARD' "$tmp/all.vcf")" = 3 ] || { cat "$tmp/all.vcf"; fail "three vCards expected"; }
grep -q 'carl@cosmos.example' "$tmp/all.vcf" || fail "e-mail in vCard"

# Re-importing our own exports adds nothing new: everything merges.
g contacts import "$tmp/all.vcf" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err"; fail "vCard re-import"; }
grep -q '"format":"vcard","created":0,"merged":3,"failed":0' "$tmp/out" || { cat "$tmp/out"; fail "vCard re-import report"; }
g contacts import - <"$tmp/all.csv" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err"; fail "CSV re-import from stdin"; }
grep -q '"created":0,"merged":3' "$tmp/out" || { cat "$tmp/out"; fail "CSV re-import report"; }
for f in vcard3 csv-google csv-outlook; do
    g contacts export --format $f --output "$tmp/all.$f" 2>/dev/null || fail "export $f"
    g contacts import "$tmp/all.$f" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err"; fail "re-import $f"; }
    grep -q '"created":0,"merged":3,"failed":0,"dropped":0' "$tmp/out" || { cat "$tmp/out"; fail "$f re-import report"; }
done
grep -q '^VERSION:3.0' "$tmp/all.vcard3" || fail "vcard3 is vCard 3.0"
head -1 "$tmp/all.csv-google" | grep -q '^Name,Given Name,Family Name,' || fail "Google CSV header"
head -1 "$tmp/all.csv-outlook" | grep -q '^Title,First Name,Middle Name,Last Name,' || fail "Outlook CSV header"
count() { g contacts export --format vcard 2>/dev/null | grep -c '^BEGIN:VCARD'; }
[ "$(count)" = 3 ] || fail "still three contacts after re-imports"

# An Outlook 2003 card whose phone holds a label: the label is reported, the card kept.
rc=0; g contacts import "$GREETER_TEST_DATA/contacts/outlook2003.vcf" >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" = 0 ] || { cat "$tmp/err"; fail "a dropped value is no failure ($rc)"; }
grep -q 'outlook2003.vcf:7: dropped TEL "BusinessPhone": not a phone number' "$tmp/err" || { cat "$tmp/err"; fail "dropped TEL report"; }
grep -q '"created":2' "$tmp/out" || { cat "$tmp/out"; fail "both Outlook 2003 cards imported"; }

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
[ "$(count)" = 5 ] || fail "garbage import changed nothing"
echo "ok"
