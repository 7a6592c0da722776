#!/bin/bash
# Card reader end to end: `greeter cards scan` on the card photos shipped in
# tests/data/cards (golden truth next to each), the vCard output, and bad
# inputs (not an image, truncated JPEG, a photo with no card, a
# 100-megapixel image, a missing file) that must give a clear error.
set -u
bin="${GREETER_BUILD_DIR:-build/dev}/greeter"
data="${GREETER_TEST_DATA:-tests/data}/cards"
[ -x "$bin" ] || { echo "SKIP: $bin is not built"; exit 77; }
work=$(mktemp -d /tmp/greeter-ocr-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }

# 1. golden scan
"$bin" cards scan "$data"/*.jpg >"$work/scan.jsonl" 2>"$work/scan.err"
rc=$?
[ $rc -eq 0 ] || say "scan exit code $rc: $(cat "$work/scan.err")"
python3 - "$data" "$work/scan.jsonl" <<'PY' || fail=1
import json, os, re, sys, unicodedata
data, out = sys.argv[1], sys.argv[2]
def norm(s): return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", s or "").casefold()).strip(" ,;.")
def digits(s): return re.sub(r"\D", "", s)
def site(s): return re.sub(r"^www\.", "", re.sub(r"^[a-z]+://", "", norm(s))).rstrip("/")
def tokens(s): return re.findall(r"\w+", norm(s))
def f1(a, b):
    ta, tb = tokens(a), tokens(b)
    common = sum(min(ta.count(t), tb.count(t)) for t in set(ta))
    return 0 if not common else 2 * common / (len(ta) + len(tb))
got = {}
for line in open(out):
    o = json.loads(line)
    got.setdefault(os.path.basename(o["image"])[:3], o)
bad, total, right = 0, 0, 0
for f in sorted(os.listdir(data)):
    if not f.endswith(".json"): continue
    n = f[:3]; t = json.load(open(os.path.join(data, f))); p = got.get(n)
    if p is None:
        print(f"FAIL: {n}: no card in the output"); bad += 1; continue
    for key in ["name", "given_name", "family_name", "title", "company", "phones", "emails", "websites",
                "address", "address_parts", "confidence", "source"]:
        if key not in p: print(f"FAIL: {n}: key {key} missing"); bad += 1
    checks = {
        "name": norm(p.get("name")) == norm(t["name"]),
        "title": norm(p.get("title")) == norm(t["title"]),
        "company": norm(p.get("company")) == norm(t["company"]),
        "phones": sorted(digits(x["number"]) for x in p.get("phones", [])) == sorted(digits(x["number"]) for x in t["phones"]),
        "emails": sorted(norm(x) for x in p.get("emails", [])) == sorted(norm(x) for x in t["emails"]),
        "websites": sorted(site(x) for x in p.get("websites", [])) == sorted(site(x) for x in t["websites"]),
        "address": f1(p.get("address", ""), t["address"]) >= 0.8,
    }
    for k, ok in checks.items():
        total += 1; right += ok
        if not ok: print(f"note: {n} {k}: want {t[k]!r} got {p.get(k)!r}")
    # contact fields and E.164 must be exact on these clean photos
    for k in ["phones", "emails", "websites"]:
        if not checks[k]: print(f"FAIL: {n}: {k} wrong"); bad += 1
    for ph in p.get("phones", []):
        if not re.fullmatch(r"\+[1-9]\d{6,14}", ph["number"]) or ph["type"] not in ("work", "mobile", "fax", "other"):
            print(f"FAIL: {n}: phone not E.164/typed: {ph}"); bad += 1
    if t["render"]["qr"] and p.get("source") != "qr":
        print(f"FAIL: {n}: the card's QR code was not used"); bad += 1
    if t["decoys"]["tagline"] and norm(p.get("title")) == norm(t["decoys"]["tagline"]):
        print(f"FAIL: {n}: tagline taken for the title"); bad += 1
    if t["decoys"]["social"] and any(t["decoys"]["social"][1:] in e for e in p.get("emails", [])):
        print(f"FAIL: {n}: @handle taken for an e-mail"); bad += 1
print(f"golden cards: {right}/{total} fields right")
if right < 0.85 * total:
    print("FAIL: fewer than 85% of the fields right"); bad += 1
sys.exit(1 if bad else 0)
PY

# 1b. a card photographed out of focus is sharpened before reading: without
# it the blurred 'a' of the domain reads as 'o' (e.carter@northwindlobs.com)
blurred="${GREETER_TEST_DATA:-tests/data}/images/blurred_card.jpg"
"$bin" --log.level=debug cards scan "$blurred" >"$work/blur.jsonl" 2>"$work/blur.err" || say "blurred card: $(cat "$work/blur.err")"
grep -q 'sharpened=1' "$work/blur.err" || say "blurred card not sharpened"
python3 - "$work/blur.jsonl" <<'PY' || fail=1
import json, sys
got = [json.loads(l) for l in open(sys.argv[1])]
mails = [e for o in got for e in o.get("emails", [])]
if "e.carter@northwindlabs.com" not in mails:
    print(f"FAIL: blurred card: e-mails {mails}"); sys.exit(1)
# what is read off a blurred photo is less sure: name, company and site
# are never marked confident there (the person checks them)
for o in got:
    for k in ("name", "company", "websites"):
        if o["confident"][k]:
            print(f"FAIL: blurred card: {k} marked confident ({o['confidence'][k]})"); sys.exit(1)
PY

# 1c. an upside-down card OSD gave no verdict on, read first in Russian:
# turning it is judged by how much text reads well, not by mean confidence
# alone (a quarter turn read six marks at 0.47), and once the Russian pass
# has turned it, that orientation is read in English too (before, this
# render of tests/bench/ocr_synth.cpp, seed 4242, came out a quarter turned)
upside="${GREETER_TEST_DATA:-tests/data}/images/upside_down_card.jpg"
"$bin" cards scan "$upside" >"$work/upside.jsonl" 2>"$work/upside.err" || say "upside-down card: $(cat "$work/upside.err")"
python3 - "$work/upside.jsonl" <<'PY' || fail=1
import json, sys
got = [json.loads(l) for l in open(sys.argv[1])]
if not any(o.get("name") == "Lucas Bernard" and "l.bernard@bernard-conseil.fr" in o.get("emails", []) for o in got):
    print(f"FAIL: upside-down card: {[(o.get('name'), o.get('emails')) for o in got]}"); sys.exit(1)
PY

# 1d. scanned cards (ocr_cards2 renders, OCR_CARDS2_SCAN=1): the company is
# light print on a small dark blue (seed 2323, photo 008) or green (seed 2424,
# photo 012) panel, and no outline is found on the scanner's light lid. Read
# from the whole scan, or from the card's darkest channel, the panel came out
# a black block and the company was lost; the scan is now cut to where its
# marks are, and a card with a dark or deep-coloured panel inside it is read
# region by region against its own ground
for sc in "scanned_card.jpg|Charlotte Natarajan|Cobalt Design LLP" \
    "scanned_card_green.jpg|María José Martínez|Kestrel Foods S.A."; do
    IFS='|' read -r img want_name want_company <<<"$sc"
    "$bin" cards scan "${GREETER_TEST_DATA:-tests/data}/images/$img" >"$work/scanned.jsonl" 2>"$work/scanned.err" ||
        say "scanned card $img: $(cat "$work/scanned.err")"
    python3 - "$work/scanned.jsonl" "$want_name" "$want_company" <<'PY' || fail=1
import json, sys
got = [json.loads(l) for l in open(sys.argv[1])]
if not any(o.get("company") == sys.argv[3] and o.get("name") == sys.argv[2] for o in got):
    print(f"FAIL: scanned card: {[(o.get('name'), o.get('company')) for o in got]}"); sys.exit(1)
PY
done

# 1e. a card on a wooden desk (an ocr_cards2 render, OCR_CARDS2_DESK=1, seed
# 1212, photo 019): the grain's stripes make two more outlines, which read
# nothing a card holds; they are dropped, and the one card the photo gives
# is the card (before, the desk's outline at the top came first, empty)
"$bin" cards scan "${GREETER_TEST_DATA:-tests/data}/images/desk_grain_card.jpg" >"$work/desk.jsonl" 2>"$work/desk.err" ||
    say "desk card: $(cat "$work/desk.err")"
python3 - "$work/desk.jsonl" <<'PY' || fail=1
import json, sys
got = [json.loads(l) for l in open(sys.argv[1])]
if len(got) != 1 or got[0].get("name") != "Carlos Lima" or got[0].get("emails") != ["clima@evergreen.com.br"]:
    print(f"FAIL: desk card: {[(o.get('name'), o.get('emails')) for o in got]}"); sys.exit(1)
PY

# 1f. a Russian card whose logo (ВЕКТОР in pale bold capitals, drawn by
# ImageMagick with DejaVu Sans) Tesseract cannot read: the PP-OCR networks
# (optional models) find and read it as Latin look-alikes (`BEKTOP` 0.99),
# knowing no Cyrillic; on a card read in Russian only their e-mails, sites
# and numbers are taken (before, the company came out BEKTOP and the e-mail's
# domain was "mended" to agree with it: sergey@bektop.ru)
cyr="${GREETER_TEST_DATA:-tests/data}/images/cyrillic_logo_card.jpg"
"$bin" cards scan "$cyr" >"$work/cyr.jsonl" 2>"$work/cyr.err" || say "Cyrillic card: $(cat "$work/cyr.err")"
python3 - "$work/cyr.jsonl" <<'PY' || fail=1
import json, re, sys
got = [json.loads(l) for l in open(sys.argv[1])]
o = got[0] if got else {}
latin = [k for k in ("name", "title", "company") if re.search(r"[A-Za-z]{3}", o.get(k) or "")]
if len(got) != 1 or o.get("name") != "Сергей Иванов" or o.get("emails") != ["sergey@vektor.ru"] or latin:
    print(f"FAIL: Cyrillic card: {[(o.get('name'), o.get('company'), o.get('emails')) for o in got]}"); sys.exit(1)
PY

# 1g. a card held by a finger whose outline took the finger in (an ocr_cards2
# render, seed 9753 HAND TILT DESK SHADOW, photo 011): the outline cut across
# the card and turned its print aslant, which read nothing; when no outline
# reads two fields, the whole photo is read too and its reading kept
held="${GREETER_TEST_DATA:-tests/data}/images/finger_outline_card.jpg"
"$bin" --log.level=debug cards scan "$held" >"$work/held.jsonl" 2>"$work/held.err" ||
    say "finger's outline card: $(grep -v '^<7>' "$work/held.err")"
grep -q "the whole photo" "$work/held.err" || say "finger's outline card: no second reading of the whole photo"
python3 - "$work/held.jsonl" <<'PY' || fail=1
import json, sys
got = [json.loads(l) for l in open(sys.argv[1])]
if len(got) != 1 or got[0].get("name") != "Rajesh Sharma" or got[0].get("emails") != ["rsharma@solace.in"]:
    print(f"FAIL: finger's outline card: {[(o.get('name'), o.get('emails')) for o in got]}"); sys.exit(1)
PY

# 1h. a contact row aslant under a glare (an ocr_cards2 render, seed 5209
# HARD, photo 000): Tesseract read its two ends ("tpham@b", "vn | www.") and
# dropped its middle; the tall box of the address line under it reached a
# third into the line detector's box of the row, which then counted as read.
# Only lines of the box's own row count: the row is read whole and both the
# e-mail and the site come out (asserted when models/fetch.sh made the PP-OCR
# line recogniser and detector, optional models)
models="${GREETER_MODELS_DIR:-models/data}"
if [ -f "$models/ppocr_rec_w640.onnx" ] && [ -f "$models/ppocr_keys_v1.txt" ] && [ -f "$models/ppocr_det_448x800.onnx" ]; then
    # one card whose e-mail and site, and only those, must come out
    contact_card() { # LABEL FILE EMAIL SITE
        "$bin" cards scan "$2" >"$work/contact.jsonl" 2>"$work/contact.err" || say "$1: $(cat "$work/contact.err")"
        python3 - "$work/contact.jsonl" "$1" "$3" "$4" <<'PY' || fail=1
import json, sys
got = [json.loads(l) for l in open(sys.argv[1])]
o = got[0] if got else {}
if len(got) != 1 or o.get("emails") != [sys.argv[3]] or o.get("websites") != [sys.argv[4]]:
    print(f"FAIL: {sys.argv[2]}: {[(o.get('emails'), o.get('websites')) for o in got]}"); sys.exit(1)
PY
    }
    images="${GREETER_TEST_DATA:-tests/data}/images"
    contact_card "slanted row card" "$images/slanted_row_card.jpg" tpham@bluewaveanalytics.vn www.bluewaveanalytics.vn
    # a small card under a glare: every Tesseract reading of its e-mail
    # loses the @ ("E p desmet.: redwood.be", a site after an e-mail
    # label); the recogniser reads the line, the label kept apart
    contact_card "small mail card" "$images/small_mail_card.jpg" p.desmet@redwood.be www.redwood.be
else
    echo "note: no PP-OCR models in $models: the slanted row and small mail cards are not asserted"
fi

# 2. vCard output
"$bin" cards scan --vcard "$data/010.jpg" >"$work/010.vcf" 2>/dev/null || say "--vcard exit code"
grep -q $'^BEGIN:VCARD\r$' "$work/010.vcf" && grep -q '^FN:Melissa Neal' "$work/010.vcf" &&
    grep -q 'tel:+19528089893' "$work/010.vcf" || say "--vcard output: $(head -c 300 "$work/010.vcf")"

# 3. bad inputs: exit 1, a JSON error line naming the image, and a clear message
expect_error() { # file pattern
    out=$("$bin" cards scan "$1" 2>"$work/err")
    rc=$?
    [ $rc -eq 1 ] || say "$1: exit code $rc (want 1)"
    echo "$out" | python3 -c "import json,sys; o=json.loads(sys.stdin.readline()); assert o['image'] and o['error']" 2>/dev/null ||
        say "$1: no JSON error line: $out"
    grep -qi "$2" "$work/err" || say "$1: message lacks '$2': $(cat "$work/err")"
}
echo "hello, not a photo" >"$work/text.jpg"
expect_error "$work/text.jpg" "not a JPEG or PNG"
head -c 30000 "$data/010.jpg" >"$work/truncated.jpg"
expect_error "$work/truncated.jpg" "truncated"
python3 - "$work" <<'PY'
import struct, sys, zlib
d = sys.argv[1]
def png(w, h, rows):
    def chunk(t, b): return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
# a plain grey photo: no card, no text
open(d + "/blank.png", "wb").write(png(640, 480, b"".join(b"\0" + bytes([128]) * 640 for _ in range(480))))
# a header claiming 12000 x 10000 pixels (120 MP) with a tiny body
open(d + "/huge.png", "wb").write(png(12000, 10000, b"\0" * 100))
PY
expect_error "$work/blank.png" "no card"
expect_error "$work/huge.png" "megapixels"
expect_error "$work/missing.jpg" "cannot open"
expect_error "$work" "not a regular file"
# the time limit: a scan that cannot finish in 100 ms says so
out=$("$bin" cards scan --ocr.timeout_ms=100 "$data/010.jpg" 2>"$work/err")
[ $? -eq 1 ] && grep -q "ocr.timeout_ms" "$work/err" || say "time limit not reported: $out"
"$bin" cards scan --region DEU "$data/010.jpg" >/dev/null 2>&1
[ $? -eq 2 ] || say "--region DEU accepted"

[ $fail -eq 0 ] && echo "ok"
exit $fail
