#!/usr/bin/env bash
# The build's check of the library graph (firmware/cmake/layers.cmake):
# the real tree passes, and a tree with an upward include, a sibling include,
# a private header used from outside or a relative include fails, naming the
# file and the rule.
set -euo pipefail
src=${GREETER_SOURCE_DIR:?}
check=$src/firmware/cmake/layers.cmake
cmake -DROOT="$src" -P "$check"
echo "ok: the tree keeps its layers"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails() { # name file text expected-message
    local t=$tmp/$1
    mkdir -p "$t/$(dirname "$2")" "$t/vision" "$t/crm" "$t/ocr" "$t/firmware/core"
    printf '%s\n' "$3" >"$t/$2"
    if out=$(cmake -DROOT="$t" -P "$check" 2>&1); then
        echo "FAIL: $1 was accepted"; exit 1
    fi
    grep -qF "$4" <<<"$out" || { echo "FAIL: $1: message lacks '$4':"; echo "$out"; exit 1; }
    echo "ok: $1 refused"
}
ok() { # name file text
    local t=$tmp/$1
    mkdir -p "$t/$(dirname "$2")"
    printf '%s\n' "$3" >"$t/$2"
    cmake -DROOT="$t" -P "$check" >/dev/null 2>&1 || { echo "FAIL: $1 was refused"; exit 1; }
    echo "ok: $1 accepted"
}
fails upward  firmware/core/log.c '#include "crm/store.h"' 'firmware/core/log.c: #include "crm/store.h": firmware/core may not use crm'
fails sibling vision/gallery.c    '#include "crm/store.h"' 'vision may not use crm'
fails ocr-crm ocr/fields.c        '#include "crm/contacts.h"' 'ocr may not use crm'
fails private web/api.c           '#include "ocr/fields_internal.h"' 'private to ocr'
fails relative crm/leads.c        '#include "store.h"' 'not a path from the repository root'
ok    downward web/api.c          '#include "crm/store.h"'
ok    plugin   crm/face_store.c   '#include "vision/store.h"'
ok    own-private ocr/names.c     '#include "ocr/fields_internal.h"'
echo "8 passed, 0 failed"
