#!/usr/bin/env bash
# The face library from the command line (issue 14): `greeter faces enroll`
# of a face the database already knows names that identity; `faces identify`
# answers every face of a photo with box, identity, label, distance and
# margin; `faces show|not-this|merge|delete-template|forget --suppress` correct
# the library; bad input is a clear error. Skips (77) without the models.
set -euo pipefail
bin=${GREETER_BUILD_DIR:?}/greeter
here=$(cd "$(dirname "$0")" && pwd)
data=$here/data/faces
models=${GREETER_MODELS_DIR:-$here/../models/data}
[ -f "$models/face_recognition_model.bin" ] || [ -f "$models/manifest.json" ] || { echo "skipped: no face models"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/g.db
g() { "$bin" --models.dir="$models" --log.level=warn "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
field() { python3 -c "import json,sys; d=json.loads(sys.stdin.readline()); print(eval(sys.argv[1]))" "$1"; }

g faces enroll --name Howard --db "$db" "$data/howard4.png" >"$tmp/h" || fail "enrol Howard"
g faces enroll --name Leonard --db "$db" "$data/leonard3.png" >"$tmp/l" || fail "enrol Leonard"
# a second photo of Leonard under another name: the identity is named, no second one
g faces enroll --name "Leonard H" --db "$db" "$data/leonard5.png" >"$tmp/l2" 2>"$tmp/l2.err" || fail "enrol again"
[ "$(field 'd["person_id"]' <"$tmp/l2")" = "$(field 'd["person_id"]' <"$tmp/l")" ] || fail "a second identity was made"
[ "$(field 'd["named_existing"]' <"$tmp/l2")" = True ] || fail "named_existing not reported"

# identify: the face of frame300.jpg is Howard, with a margin to Leonard
g faces identify --db "$db" "$data/frame300.jpg" >"$tmp/id" || fail "identify"
[ "$(field 'd["faces"][0]["label"]' <"$tmp/id")" = Howard ] || { cat "$tmp/id"; fail "not Howard"; }
[ "$(field 'd["faces"][0]["known"] and d["faces"][0]["margin"] > 0.1 and d["faces"][0]["box"][2] > 150' <"$tmp/id")" = True ] ||
    { cat "$tmp/id"; fail "distance/margin/box"; }
rc=0
g faces identify --db "$db" /etc/hostname 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] && grep -q "not a JPEG or PNG" "$tmp/err" || fail "a text file should be a clear error"

# the library: show, merge, delete a template, forget with suppression
howard=$(field 'd["person_id"]' <"$tmp/h")
leonard=$(field 'd["person_id"]' <"$tmp/l")
g faces show "$leonard" --db "$db" >"$tmp/show" || fail "show"
[ "$(field 'len(d["template_list"])' <"$tmp/show")" = 2 ] || { cat "$tmp/show"; fail "two templates"; }
tid=$(field 'd["template_list"][1]["id"]' <"$tmp/show")
g faces delete-template "$leonard" "$tid" --db "$db" >/dev/null || fail "delete-template"
[ "$(g faces show "$leonard" --db "$db" | field 'd["templates"]')" = 1 ] || fail "template not deleted"
rc=0
g faces merge "$leonard" "$leonard" --db "$db" 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] || fail "merging an identity with itself should fail"
rc=0
g faces merge x 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "bad usage should exit 2"
g faces forget "$howard" --suppress --db "$db" >"$tmp/sup" || fail "forget --suppress"
sid=$(field 'd["suppression_id"]' <"$tmp/sup")
g faces identify --db "$db" "$data/frame300.jpg" >"$tmp/id2"
[ "$(field 'd["faces"][0]["suppressed"] and d["faces"][0]["person_id"] == "'"$sid"'"' <"$tmp/id2")" = True ] ||
    { cat "$tmp/id2"; fail "the erased face should be recognised as the suppression entry"; }
rc=0
g faces enroll --name Howard --db "$db" "$data/howard4.png" 2>"$tmp/err" >/dev/null || rc=$?
[ "$rc" = 1 ] && grep -q "erased at the person's request" "$tmp/err" || { cat "$tmp/err"; fail "enrolling a suppressed face"; }
echo "ok"
